//! A middlebox on the path, as Russian networks had one in front of foreign hosting and CDN
//! networks from 2025: it counts the bytes of each TCP connection and, past a threshold
//! (~16–20 KB), stops passing anything in either direction while the connection stays open.
//! The count lives as long as the connection: keep-alive requests add to it, as on real
//! networks (docs/lab.md, "Freezing ports").

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// The lab's default threshold: 16 KiB, the low end of the reports.
pub const FREEZE_BYTES: u64 = 16 * 1024;

/// Which bytes the middlebox counts towards its threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    /// Either direction past the threshold freezes the connection.
    BothWays,
    /// Only what the client sends (an upload freeze).
    Upstream,
}

/// A server-side connection seen through the middlebox.
pub struct Freezing {
    inner: TcpStream,
    counted: Counted,
    limit: u64,
    up: u64,
    down: u64,
    frozen: bool,
}

impl Freezing {
    pub fn new(inner: TcpStream, counted: Counted, limit: u64) -> Freezing {
        Freezing { inner, counted, limit, up: 0, down: 0, frozen: false }
    }

    /// How many more bytes may pass in one direction before the freeze.
    fn allowance(&self, passed: u64, counts: bool) -> u64 {
        if counts {
            self.limit.saturating_sub(passed)
        } else {
            u64::MAX
        }
    }
}

impl AsyncRead for Freezing {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.frozen {
            return swallow(&mut this.inner, cx);
        }
        let allowed = this.allowance(this.up, true);
        if allowed == 0 {
            this.frozen = true;
            return swallow(&mut this.inner, cx);
        }
        let mut scratch = vec![0u8; buf.remaining().min(allowed as usize)];
        let mut limited = ReadBuf::new(&mut scratch);
        match Pin::new(&mut this.inner).poll_read(cx, &mut limited) {
            Poll::Ready(Ok(())) => {
                let read = limited.filled();
                this.up += read.len() as u64;
                buf.put_slice(read);
                Poll::Ready(Ok(()))
            }
            other => other,
        }
    }
}

impl AsyncWrite for Freezing {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let allowed = this.allowance(this.down, this.counted == Counted::BothWays);
        if this.frozen || allowed == 0 {
            // Dropped on the floor, as the middlebox drops the packets: the server thinks it
            // sent them, the client never sees them.
            this.frozen = true;
            return Poll::Ready(Ok(data.len()));
        }
        let part = &data[..data.len().min(allowed as usize)];
        match Pin::new(&mut this.inner).poll_write(cx, part) {
            Poll::Ready(Ok(written)) => {
                this.down += written as u64;
                Poll::Ready(Ok(written))
            }
            other => other,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A frozen connection passes nothing on, but still notices the client hanging up (so the
/// server side ends when the browser aborts, instead of lingering).
fn swallow(inner: &mut TcpStream, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
    let mut scratch = [0u8; 4096];
    loop {
        let mut discard = ReadBuf::new(&mut scratch);
        match Pin::new(&mut *inner).poll_read(cx, &mut discard) {
            Poll::Ready(Ok(())) if discard.filled().is_empty() => return Poll::Ready(Ok(())),
            Poll::Ready(Ok(())) => continue,
            Poll::Ready(Err(err)) => return Poll::Ready(Err(err)),
            Poll::Pending => return Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    async fn pair(counted: Counted, limit: u64) -> (TcpStream, Freezing) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        (client, Freezing::new(server, counted, limit))
    }

    async fn read_for(stream: &mut (impl AsyncRead + Unpin), ms: u64) -> Vec<u8> {
        let mut got = Vec::new();
        let mut buf = [0u8; 8192];
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_millis(ms);
        while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        got
    }

    #[tokio::test]
    async fn downstream_stops_at_the_limit_and_the_count_spans_writes() {
        let (mut client, mut server) = pair(Counted::BothWays, 1000).await;
        server.write_all(&[1; 600]).await.unwrap();
        server.write_all(&[2; 600]).await.unwrap();
        server.flush().await.unwrap();
        let got = read_for(&mut client, 200).await;
        assert_eq!(got.len(), 1000, "a second response on the same connection adds to the count");
    }

    #[tokio::test]
    async fn upstream_freezes_both_ways_and_a_hang_up_is_noticed() {
        let (mut client, mut server) = pair(Counted::Upstream, 1000).await;
        client.write_all(&[7; 1500]).await.unwrap();
        let got = read_for(&mut server, 200).await;
        assert_eq!(got.len(), 1000);
        server.write_all(b"answer").await.unwrap();
        assert!(read_for(&mut client, 200).await.is_empty(), "after the freeze nothing comes back");
        drop(client);
        let mut buf = [0u8; 16];
        let end = tokio::time::timeout(std::time::Duration::from_secs(2), server.read(&mut buf)).await;
        assert!(matches!(end, Ok(Ok(0))), "the server sees the hang-up: {end:?}");
    }

    #[tokio::test]
    async fn an_upstream_count_lets_downloads_through() {
        let (mut client, mut server) = pair(Counted::Upstream, 1000).await;
        server.write_all(&[3; 5000]).await.unwrap();
        assert_eq!(read_for(&mut client, 200).await.len(), 5000);
    }
}
