//! Live reload: the pages listening for server-sent events, and each page's event stream.
//!
//! An event stream holds its connection for as long as its page is open and never idles long
//! enough to time out: counted only against the connection limit, enough streams (from a
//! local process, or over the network with `--bind 0.0.0.0`) would hold every connection, and
//! page requests would wait until they closed. A new stream beyond [`MAX_EVENT_STREAMS`] ends
//! the oldest rather than being refused: `EventSource` reconnects after a stream ends but gives
//! up on an error status, and the oldest is the likeliest to belong to a page already closed.
//! The stream's response carries `Connection: close`, so an ended stream frees its connection
//! at once instead of idling in keep-alive.

use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::Bytes;
use tokio::sync::mpsc;

use super::{MAX_EVENT_STREAMS, State};

/// A comment sent on idle event streams, so closed ones are noticed and dropped.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Events waiting for one slow page; a page that falls this far behind is disconnected (its
/// script reconnects and reloads).
const EVENT_QUEUE: usize = 64;

/// The live-reload side: who listens, and what a new listener must be told.
#[derive(Default)]
pub(super) struct Hub {
    clients: Vec<mpsc::Sender<String>>,
    /// Counts the builds served; a page built before the latest one reloads on connecting.
    pub(super) generation: u64,
    /// The text of the current build error, shown over every page until fixed.
    pub(super) error: Option<String>,
}

impl Hub {
    /// Sends an event to every page; a page whose queue is full or closed is dropped.
    pub(super) fn broadcast(&mut self, event: &str, data: &str) {
        let message = sse(event, data);
        self.clients.retain(|c| c.try_send(message.clone()).is_ok());
    }

    /// Adds a page's stream. Beyond [`MAX_EVENT_STREAMS`], the oldest ones are dropped, which
    /// ends their streams and closes their connections; closed ones go first.
    fn join(&mut self, client: mpsc::Sender<String>) {
        self.clients.retain(|c| !c.is_closed());
        let excess = (self.clients.len() + 1).saturating_sub(MAX_EVENT_STREAMS);
        self.clients.drain(..excess);
        self.clients.push(client);
    }

    fn hello(&self) -> String {
        let state = serde_json::json!({"generation": self.generation, "error": self.error});
        sse("hello", &state.to_string())
    }
}

/// One server-sent event; `data` must be a single line.
fn sse(event: &str, data: &str) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// Server-sent events for one page: what the hub sends, and a comment when it is quiet.
pub(super) struct EventStream {
    events: mpsc::Receiver<String>,
    idle: Pin<Box<tokio::time::Sleep>>,
}

/// Registers a new page with the hub; its stream starts with the reconnect delay and `hello`.
pub(super) fn events(state: &State) -> EventStream {
    let mut hub = state.lock_hub();
    let (tx, rx) = mpsc::channel(EVENT_QUEUE);
    let _ = tx.try_send(format!("retry: 500\n\n{}", hub.hello()));
    hub.join(tx);
    EventStream {
        events: rx,
        idle: Box::pin(tokio::time::sleep(KEEP_ALIVE)),
    }
}

impl EventStream {
    pub(super) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        if let Poll::Ready(message) = self.events.poll_recv(cx) {
            self.idle
                .as_mut()
                .reset(tokio::time::Instant::now() + KEEP_ALIVE);
            return Poll::Ready(message.map(Bytes::from));
        }
        if self.idle.as_mut().poll(cx).is_ready() {
            self.idle
                .as_mut()
                .reset(tokio::time::Instant::now() + KEEP_ALIVE);
            return Poll::Ready(Some(Bytes::from_static(b": keep-alive\n\n")));
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_streams_beyond_the_cap_end_the_oldest_closed_ones_first() {
        use tokio::sync::mpsc::error::TryRecvError;
        fn ended(page: &mut Option<mpsc::Receiver<String>>) -> bool {
            page.as_mut()
                .is_some_and(|rx| rx.try_recv() == Err(TryRecvError::Disconnected))
        }
        let mut hub = Hub::default();
        let mut pages = Vec::new();
        for _ in 0..MAX_EVENT_STREAMS + 5 {
            let (tx, rx) = mpsc::channel(EVENT_QUEUE);
            hub.join(tx);
            pages.push(Some(rx));
        }
        assert_eq!(hub.clients.len(), MAX_EVENT_STREAMS);
        assert!(pages[..5].iter_mut().all(ended));
        assert!(!pages[5..].iter_mut().any(ended));
        // A page that went away makes room before any open one is ended.
        pages[20] = None;
        let (tx, _rx) = mpsc::channel(EVENT_QUEUE);
        hub.join(tx);
        assert_eq!(hub.clients.len(), MAX_EVENT_STREAMS);
        assert!(!pages[5..].iter_mut().any(ended));
    }
}
