//! A write timeout on sockets: a connection whose client takes none of a response is ended.

use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A connection whose writes fail once they have waited `limit` for the client to read: hyper
/// has a timeout for reading a request head, none for a client that stops reading.
pub(super) struct Stalling<S> {
    inner: S,
    limit: Duration,
    /// Started when a write first has to wait; dropped when one goes through.
    waiting: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> Stalling<S> {
    pub(super) fn new(inner: S, limit: Duration) -> Self {
        Stalling {
            inner,
            limit,
            waiting: None,
        }
    }

    /// `poll` of a write, failed once it has waited longer than the limit.
    fn guard<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: impl FnOnce(Pin<&mut S>, &mut Context<'_>) -> Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>>
    where
        S: Unpin,
    {
        match poll(Pin::new(&mut self.inner), cx) {
            Poll::Ready(result) => {
                self.waiting = None;
                Poll::Ready(result)
            }
            Poll::Pending => {
                let limit = self.limit;
                let waiting = self
                    .waiting
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                match waiting.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the client took none of the response",
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Stalling<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Stalling<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.get_mut()
            .guard(cx, |inner, cx| inner.poll_write(cx, buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.get_mut().guard(cx, |inner, cx| inner.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;

    #[test]
    fn a_client_that_stops_reading_loses_its_connection_one_that_reads_slowly_does_not() {
        // On a paused clock, which moves on only when every task waits: the slow reader's
        // 20 ms pauses and the 100 ms limit keep their order however busy the machine is.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let limit = Duration::from_millis(100);
            let big = vec![b'x'; 1 << 20];
            // Never read: the write gives up after the limit, not never.
            let (_client, server) = tokio::io::duplex(4096);
            let mut stalled = Stalling::new(server, limit);
            let started = Instant::now();
            let result = stalled.write_all(&big).await;
            let error = result.expect_err("a write nobody reads fails");
            assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
            assert!(started.elapsed() < Duration::from_secs(5));
            // Read slowly, each wait shorter than the limit: everything arrives.
            let (mut client, server) = tokio::io::duplex(64 * 1024);
            let reader = tokio::spawn(async move {
                let mut got = Vec::new();
                let mut chunk = vec![0; 64 * 1024];
                loop {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    match client.read(&mut chunk).await {
                        Ok(0) | Err(_) => return got.len(),
                        Ok(n) => got.extend_from_slice(&chunk[..n]),
                    }
                }
            });
            let mut slow = Stalling::new(server, limit);
            slow.write_all(&big)
                .await
                .expect("a reading client gets it all");
            slow.shutdown().await.expect("shutdown");
            drop(slow);
            assert_eq!(reader.await.expect("reader"), big.len());
        });
    }
}
