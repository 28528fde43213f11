//! The `Host` check against DNS rebinding: which names a request may use for this server.
//!
//! A request is answered only if its `Host` (or the authority of an absolute-form request
//! target) names this server: `localhost`, `127.0.0.1`, the bound address, or `[::1]` when
//! bound to IPv6, with the served port or none (a browser always sends the port; the name is
//! what a rebinding attack changes). When bound to all interfaces (`0.0.0.0`, `::`), any IP
//! address is accepted too: an IP address cannot be rebound, and it is how other machines reach
//! the preview. Anything else gets 403. HTTP/1.1 requires `Host` (400 without it); an HTTP/1.0
//! request without `Host` is answered, as no browser sends one.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use hyper::header;
use hyper::{Request, StatusCode, Version};

/// The names a request may use for this server (its `Host`), against DNS rebinding.
#[derive(Debug, Clone, Copy)]
pub(super) struct Access {
    pub(super) bind: IpAddr,
    pub(super) port: u16,
}

impl Access {
    /// Whether `host` (`name[:port]` or `[v6][:port]`) is this server.
    fn allows(&self, host: &str) -> bool {
        let Some((name, port, bracketed)) = split_host(host) else {
            return false;
        };
        // Browsers always send the port (unless 80); a tool may leave it out.
        if port.is_some_and(|port| port != self.port) {
            return false;
        }
        if !bracketed && name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = match name.parse::<IpAddr>() {
            Ok(ip @ IpAddr::V6(_)) if bracketed => ip,
            Ok(ip @ IpAddr::V4(_)) if !bracketed => ip,
            _ => return false,
        };
        ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
            || ip == self.bind
            || (self.bind.is_ipv6() && ip == IpAddr::V6(Ipv6Addr::LOCALHOST))
            || self.bind.is_unspecified()
    }

    /// The base URL the site is built with: the bound address, `127.0.0.1` when bound to all.
    pub(super) fn base_url(&self) -> String {
        let host = match self.bind {
            ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(host, self.port))
    }

    /// The base URL as another machine reaches the server by `host` (`192.0.2.2:1111`), when
    /// that is not the one the site is built with: its pages' links are then written with it,
    /// or they would lead that machine's browser to its own `127.0.0.1`. Only when bound beyond
    /// loopback; `host` has passed [`Access::allows`].
    pub(super) fn base_for(&self, host: &str) -> Option<String> {
        if self.bind.is_loopback() {
            return None;
        }
        let theirs = format!("http://{host}/");
        (theirs != self.base_url()).then_some(theirs)
    }

    /// The addresses to name in a refusal.
    fn names(&self) -> String {
        let port = self.port;
        format!("http://localhost:{port}/ or http://127.0.0.1:{port}/")
    }
}

/// `name[:port]` → name, port, whether the name was in brackets. `None` when malformed.
fn split_host(host: &str) -> Option<(&str, Option<u16>, bool)> {
    let (name, rest, bracketed) = match host.strip_prefix('[') {
        Some(inner) => {
            let (name, rest) = inner.split_once(']')?;
            (name, rest, true)
        }
        None => match host.find(':') {
            Some(at) => (&host[..at], &host[at..], false),
            None => (host, "", false),
        },
    };
    let port = match rest {
        "" => None,
        rest => {
            let digits = rest.strip_prefix(':')?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(digits.parse().ok()?)
        }
    };
    Some((name, port, bracketed))
}

/// The server as the request names it: the authority of an absolute-form target, else `Host`.
pub(super) fn request_host<B>(request: &Request<B>) -> Option<&str> {
    match request.uri().authority() {
        Some(authority) => Some(authority.as_str()),
        None => request.headers().get(header::HOST)?.to_str().ok(),
    }
}

/// `None` when the request names this server; otherwise the refusal, as the status and text
/// of a plain answer: 403 for another name, 400 for a missing (HTTP/1.1) or repeated `Host`.
/// The authority of an absolute-form target (`GET http://host/ HTTP/1.1`) counts instead of
/// `Host`, as RFC 9112 says.
pub(super) fn check_host<B>(access: &Access, request: &Request<B>) -> Option<(StatusCode, String)> {
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str()),
        None => {
            let mut hosts = request.headers().get_all(header::HOST).iter();
            let first = hosts.next();
            if hosts.next().is_some() {
                return Some((
                    StatusCode::BAD_REQUEST,
                    "400 bad request: more than one Host header\n".into(),
                ));
            }
            first.map(|value| value.to_str().unwrap_or(""))
        }
    };
    match host {
        Some(host) if access.allows(host) => None,
        Some(host) => Some((
            StatusCode::FORBIDDEN,
            format!(
                "403 forbidden: this preview answers only requests addressed to {}, not to \
                 `{}` (other names are refused to protect it from DNS rebinding)\n",
                access.names(),
                printable(host)
            ),
        )),
        None if request.version() <= Version::HTTP_10 => None,
        None => Some((
            StatusCode::BAD_REQUEST,
            "400 bad request: an HTTP/1.1 request needs a Host header\n".into(),
        )),
    }
}

/// `text` shortened and limited to printable ASCII, to quote a client's header back.
fn printable(text: &str) -> String {
    let mut out: String = text
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(100)
        .collect();
    if text.len() > out.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_that_name_this_server() {
        let access = Access {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
        };
        for ok in [
            "localhost:1111",
            "LOCALHOST:1111",
            "127.0.0.1:1111",
            "127.0.0.1",
        ] {
            assert!(access.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:1112",
            "localhost:",
            "localhost:+1111",
            "[::1]:1111",
            "[localhost]:1111",
            "127.0.0.1.nip.io:1111",
            "user@localhost:1111",
            "",
            "[",
            "::1",
        ] {
            assert!(!access.allows(bad), "{bad}");
        }
        let v6 = Access {
            bind: IpAddr::V6(Ipv6Addr::LOCALHOST),
            port: 8080,
        };
        assert!(v6.allows("[::1]:8080") && v6.allows("localhost:8080"));
        let all = Access {
            bind: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            port: 8080,
        };
        assert!(all.allows("192.168.1.20:8080") && !all.allows("evil.example:8080"));
    }
}
