//! The connections of `serve`: accepted under a cap, read with a deadline
//! for their headers, each request told which address it came in on. The
//! only module that uses hyper directly.
//!
//! - **A cap on open connections** ([`cap`]: half the process's descriptor
//!   limit, at most 4,096). At the cap the server stops accepting: new
//!   connections wait in the kernel's queue (which holds 1,024) until one
//!   closes, instead of taking the descriptors that files, the watcher and
//!   the build need. A live-reload WebSocket counts as long as it is open.
//! - **A header-read timeout** ([`HEADER_TIMEOUT`]): a connection that has
//!   not sent a whole request head within it (half a header, nothing at
//!   all, or nothing more on a kept-alive connection) is closed, so slow or
//!   idle clients give their place back within seconds.
//! - Each request carries [`Local`], the connection's local address, which
//!   the Host check of [`super::guard`] allows beside the loopback names.
//! - On shutdown, connections finish the request they are on; the caller
//!   waits for them a moment, then stops anyway.

use super::guard::Local;
use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// How long a client has to send a request's head.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// How many connections may be open at once: half the descriptors the
/// process may hold (the rest is for files and the watcher), between 16
/// and 4,096.
pub fn cap() -> usize {
    #[cfg(target_os = "linux")]
    {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        match limit.current {
            Some(n) => usize::try_from(n / 2).unwrap_or(4096).clamp(16, 4096),
            None => 4096,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        256
    }
}

/// Serves `app` on `listener` until `stop` turns true; returns once every
/// connection has closed or `grace` has passed after that.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    cap: usize,
    stop: watch::Receiver<bool>,
    grace: Duration,
) {
    let permits = Arc::new(Semaphore::new(cap));
    loop {
        let mut stopping = stop.clone();
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = stopped(&mut stopping) => break,
        };
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = stopped(&mut stopping) => break,
        };
        match accepted {
            Ok((stream, _)) => {
                let local = stream
                    .local_addr()
                    .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |a| a.ip());
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(
                    Counted {
                        stream,
                        _permit: permit,
                    },
                    local,
                    app.clone(),
                    stop.clone(),
                ));
            }
            // Out of descriptors, or a connection reset before it was
            // accepted: wait a little rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    drop(listener);
    let all = u32::try_from(cap).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(grace, permits.acquire_many(all)).await;
}

/// One connection, HTTP/1.1 with upgrades (the live-reload WebSocket).
async fn connection(
    io: Counted,
    local: std::net::IpAddr,
    app: Router,
    mut stop: watch::Receiver<bool>,
) {
    let service = app.map_request(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(Local(local));
        request
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let conn = builder
        .serve_connection(TokioIo::new(io), TowerToHyperService::new(service))
        .with_upgrades();
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = stopped(&mut stop) => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Returns once `stop` is true (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// A connection holding its place under the cap until it is dropped (also
/// after an upgrade, when the WebSocket owns it).
struct Counted {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
}

impl AsyncRead for Counted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
