//! The HTTP side of `serve` (axum): the built site's files, the event stream
//! and the live-reload script. The only module that uses axum.
//!
//! Files are found through [`paths::resolve`] (never outside the site, no
//! listings); every response says its type (text in UTF-8) and is not cached,
//! and HTML gets the live-reload script injected on the way out (the built
//! files are left as `build` writes them).

use super::live::{Live, SCRIPT};
use super::paths::{self, Refused, Resolved};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::StreamExt;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;

/// What every request handler can see.
pub struct App {
    /// The served folder, canonical.
    pub root: PathBuf,
    pub live: Arc<Live>,
    /// Turns true on Ctrl-C: event streams end so the server can stop.
    pub shutdown: watch::Receiver<bool>,
}

/// The tag injected into HTML pages.
const TAG: &str = "<script src=\"/__helpbook/live.js\"></script>";

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/__helpbook/events", get(events))
        .route("/__helpbook/live.js", get(script))
        .fallback(file)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(app)
}

#[derive(serde::Deserialize)]
struct EventsQuery {
    page: Option<String>,
}

async fn events(State(app): State<Arc<App>>, Query(q): Query<EventsQuery>) -> Response {
    let stream = app.live.stream(q.page, app.shutdown.clone()).map(|u| {
        Ok::<_, Infallible>(
            Event::default()
                .event("update")
                .data(serde_json::to_string(&u).unwrap_or_default()),
        )
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn file(State(app): State<Arc<App>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed\n",
        )
            .into_response();
    }
    match paths::resolve(&app.root, uri.path()) {
        Ok(Resolved::File(path)) => match tokio::fs::read(&path).await {
            Ok(bytes) => send(StatusCode::OK, &path, bytes),
            Err(_) => not_found(&app.root, uri.path()).await,
        },
        Ok(Resolved::Redirect(to)) => {
            (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, to)], "").into_response()
        }
        Err(Refused::Bad) => (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "bad request path\n",
        )
            .into_response(),
        Err(Refused::NotFound) => not_found(&app.root, uri.path()).await,
    }
}

/// The 404 page of the language the path is in, else the site's.
async fn not_found(root: &Path, raw: &str) -> Response {
    let first = paths::clean(raw)
        .ok()
        .and_then(|s| s.into_iter().next())
        .filter(|s| !s.contains('.'));
    let candidates = first
        .map(|slug| root.join(slug).join("404.html"))
        .into_iter()
        .chain(std::iter::once(root.join("404.html")));
    for page in candidates {
        if let Ok(bytes) = tokio::fs::read(&page).await {
            return send(StatusCode::NOT_FOUND, &page, bytes);
        }
    }
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "not found\n",
    )
        .into_response()
}

fn send(status: StatusCode, path: &Path, bytes: Vec<u8>) -> Response {
    let kind = paths::content_type(path);
    let body = if kind.starts_with("text/html") {
        inject(bytes)
    } else {
        bytes
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    response
}

/// Inserts the live-reload script before `</body>` (or at the end).
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, TAG.bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_end_of_body() {
        let out = String::from_utf8(inject(b"<p>x</p></BODY></html>".to_vec())).expect("utf8");
        assert_eq!(out, format!("<p>x</p>{TAG}</BODY></html>"));
        let out = String::from_utf8(inject(b"<p>x</p>".to_vec())).expect("utf8");
        assert_eq!(out, format!("<p>x</p>{TAG}"));
    }
}
