//! The HTTP side of `serve` (axum): the built site's files, the live-reload
//! socket and its script. The only module that uses axum and tower-http.
//!
//! - Every request first passes [`guard::layer`] (the `Host` check against
//!   DNS rebinding); the live-reload socket also checks `Origin`.
//! - Files: [`paths::resolve`] decides which file a path names (never one
//!   outside the site, no listings, `dir` redirected to `dir/`); tower-http's
//!   `ServeFile` then sends it, with its type (`mime_guess`),
//!   `Last-Modified`, conditional GETs (304) and byte ranges (206, 416).
//!   Text types get `charset=utf-8`; every answer is `no-store` and
//!   `nosniff`.
//! - HTML pages are the exception ([`page`]): they get the live-reload
//!   script injected before `</body>` on the way out (the built files stay
//!   as `build` writes them), which `ServeFile` cannot do, so they are read
//!   whole and sent whole (a range of the file would not be a range of the
//!   page; `no-store` pages are never asked for conditionally).
//! - `/__helpbook/events?page=URL` is a WebSocket carrying that page's
//!   updates as JSON text messages ([`super::live`]). A WebSocket is not
//!   one of the six connections per host a browser allows for HTTP/1.1, so
//!   any number of open pages keep loading and reloading.
//! - Side-by-side pages (`*.sxs.html`) also get their article's data (where
//!   each pair lives; with editing on, the file's hash and the run's token)
//!   and the editor's script, from the session ([`super::edit`]).
//!   `POST /__helpbook/edit` is the one endpoint that writes: it needs this
//!   server's `Origin`, the token in `X-Helpbook-Token`, and a body of at
//!   most [`edit::MAX_BODY`] bytes; the session then writes the file.

use super::early::{self, Answer, Early};
use super::edit;
use super::guard::{self, Need};
use super::live::{Live, SCRIPT};
use super::paths::{self, Refused, Resolved};
use super::session::Event;
use axum::body::{Body, Bytes};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tower::ServiceExt;
use tower_http::services::ServeFile;
use tower_http::set_header::SetResponseHeaderLayer;

/// What every request handler can see.
pub struct App {
    /// The served folder, canonical.
    pub root: PathBuf,
    pub live: Arc<Live>,
    /// Turns true on Ctrl-C: live-reload sockets close so the server can stop.
    pub shutdown: watch::Receiver<bool>,
    /// The session, which answers side-by-side pages and makes edits.
    pub session: std::sync::Mutex<std::sync::mpsc::Sender<Event>>,
    /// The per-run token edits must echo; None when editing is off.
    pub token: Option<String>,
    /// What is answered before the first build is on disk.
    pub early: Arc<Early>,
    /// Live-reload sockets that may be open at once ([`sockets`]).
    pub sockets: Arc<tokio::sync::Semaphore>,
}

/// How many live-reload sockets may be open at once, of `cap` connections:
/// three in four, so that sockets held open (by a thousand tabs, or by a
/// local process that opens them and never reads) always leave room for
/// the pages themselves. Past it a socket is refused with 503, and the
/// page's script tries again later.
pub fn sockets(cap: usize) -> usize {
    (cap * 3 / 4).max(1)
}

impl App {
    /// Asks the session; None when it has stopped.
    async fn ask<T>(
        &self,
        make: impl FnOnce(tokio::sync::oneshot::Sender<T>) -> Event,
    ) -> Option<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let sent = self
            .session
            .lock()
            .ok()
            .map(|s| s.send(make(tx)).is_ok())
            .unwrap_or(false);
        if !sent {
            return None;
        }
        rx.await.ok()
    }
}

/// The tag injected into HTML pages.
const TAG: &str = "<script src=\"/__helpbook/live.js\"></script>";

/// The tag injected into pages made in memory before the first build was
/// written: their socket says so ([`Early::stale`]).
const TAG_EARLY: &str = "<script src=\"/__helpbook/live.js\" data-early></script>";

/// How often an open socket is pinged (a closed tab's socket is noticed).
const PING: Duration = Duration::from_secs(30);

/// The largest message a page may send on its socket (it has nothing to say).
const MAX_MESSAGE: usize = 4096;

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/__helpbook/events", get(events))
        .route("/__helpbook/live.js", get(script))
        .route("/__helpbook/edit.js", get(edit_script))
        .route("/__helpbook/edit", post(edit))
        .fallback(file)
        .layer(axum::middleware::from_fn(guard::layer))
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
    /// Present when the page was made in memory before the first build.
    early: Option<String>,
}

async fn events(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Query(q): Query<EventsQuery>,
    upgrade: WebSocketUpgrade,
) -> Response {
    if let Err(refusal) = guard::origin(&headers, Need::IfPresent) {
        return refusal.into_response();
    }
    let Ok(permit) = app.sockets.clone().try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "too many live-reload connections are open",
        )
            .into_response();
    };
    upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| async move {
            live(socket, app, q.page, q.early.is_some()).await;
            drop(permit);
        })
}

/// One page's socket: its snapshot, then its updates, until the page goes
/// away or the server stops.
async fn live(mut socket: WebSocket, app: Arc<App>, page: Option<String>, early: bool) {
    if let (Some(page), Ok(session)) = (&page, app.session.lock()) {
        let _ = session.send(Event::Opened(page.clone()));
    }
    // A page made before the first build, opened too late to hear that
    // the build made it differently: reloaded now.
    if let Some(page) = page.as_deref().filter(|p| early && app.early.stale(p)) {
        let reload = super::live::Update {
            changed: vec![page.to_string()],
            ..Default::default()
        };
        let text = serde_json::to_string(&reload).unwrap_or_default();
        if socket.send(Message::Text(text.into())).await.is_err() {
            return;
        }
    }
    let updates = app.live.stream(page, app.shutdown.clone());
    let mut updates = std::pin::pin!(updates);
    let mut ping = tokio::time::interval(PING);
    ping.tick().await;
    loop {
        tokio::select! {
            update = updates.next() => match update {
                Some(u) => {
                    let text = serde_json::to_string(&u).unwrap_or_default();
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                None => {
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                }
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => {
                if socket.send(Message::Ping(Bytes::new())).await.is_err() {
                    return;
                }
            }
        }
    }
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn edit_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        edit::SCRIPT,
    )
        .into_response()
}

/// `POST /__helpbook/edit`: a save or "keep translation" of one pair.
async fn edit(State(app): State<Arc<App>>, request: Request) -> Response {
    let json = |status: u16, body: serde_json::Value| {
        (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body.to_string(),
        )
            .into_response()
    };
    let refuse = |status: u16, why: &str| json(status, serde_json::json!({ "error": why }));
    if let Err(refusal) = guard::origin(request.headers(), Need::Present) {
        return refuse(403, refusal.reason);
    }
    let Some(token) = &app.token else {
        return refuse(
            403,
            "editing is off in this server (--read-only, or --bind on a network \
             address without --allow-edit)",
        );
    };
    let given = request
        .headers()
        .get("x-helpbook-token")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !same_token(given, token.as_bytes()) {
        return refuse(
            403,
            "missing or wrong edit token: reload the page (the token changes with each run of serve)",
        );
    }
    let body = match axum::body::to_bytes(request.into_body(), edit::MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return refuse(
                413,
                &format!("the request is larger than {} bytes", edit::MAX_BODY),
            )
        }
    };
    let request: edit::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return refuse(400, &format!("the request is not an edit: {e}")),
    };
    match app.ask(|reply| Event::Edit { request, reply }).await {
        Some(reply) => json(reply.status, reply.body),
        None => refuse(503, "the server is stopping"),
    }
}

/// Compares tokens in time that does not depend on where they differ.
fn same_token(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn file(State(app): State<Arc<App>>, request: Request) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed\n",
        )
            .into_response();
    }
    let raw = request.uri().path().to_string();
    let mut resolved = paths::resolve(&app.root, &raw);
    if resolved == Err(Refused::NotFound) && !app.early.is_built() {
        if let Some(response) = early(&app, &raw, method == Method::HEAD).await {
            return response;
        }
        // The first build was swapped in meanwhile: look again.
        resolved = paths::resolve(&app.root, &raw);
    }
    match resolved {
        Ok(Resolved::File(path)) => {
            match send(&path, request, side_by_side(&app, &path).await).await {
                Some(response) => response,
                None => not_found(&app.root, &raw, method).await,
            }
        }
        Ok(Resolved::Redirect(to)) => {
            (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, to)], "").into_response()
        }
        Err(Refused::Bad) => (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "bad request path\n",
        )
            .into_response(),
        Err(Refused::NotFound) => not_found(&app.root, &raw, method).await,
    }
}

/// Before the first build is on disk: the answer made in memory
/// ([`Early::answer`], on a blocking thread: it may render a page). None
/// once the build is on disk.
async fn early(app: &Arc<App>, raw: &str, head: bool) -> Option<Response> {
    let segments = paths::clean(raw).ok()?;
    let dir = raw.ends_with('/') || segments.is_empty();
    let kind = if dir {
        "text/html".to_string()
    } else {
        let name = segments.last().map_or("", String::as_str);
        mime_guess::from_path(name)
            .first_or_octet_stream()
            .essence_str()
            .to_string()
    };
    let early = Arc::clone(&app.early);
    let answer = tokio::task::spawn_blocking(move || early.answer(&segments, dir))
        .await
        .ok()??;
    let (status, kind, body) = match answer {
        Answer::File { bytes, status } if status == 404 || kind == "text/html" => (
            status,
            "text/html".to_string(),
            inject_tag(bytes, "", TAG_EARLY),
        ),
        Answer::File { bytes, status } => (status, kind, bytes),
        Answer::Redirect(to) => {
            return Some(
                (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, to)], "").into_response(),
            )
        }
        Answer::Building { page: true, text } => (
            503,
            "text/html".to_string(),
            early::building_page(&text).into_bytes(),
        ),
        Answer::Building { page: false, text } => (
            503,
            "text/plain".to_string(),
            format!("{text}\n").into_bytes(),
        ),
        Answer::Missing => (404, "text/plain".to_string(), b"not found\n".to_vec()),
    };
    let length = body.len();
    let mut response = if head {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(body))
    };
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&kind) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    add_charset(headers);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if status == 503 {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    Some(response)
}

/// The 404 page of the language the path is in, else the site's.
async fn not_found(root: &Path, raw: &str, method: Method) -> Response {
    let first = paths::clean(raw)
        .ok()
        .and_then(|s| s.into_iter().next())
        .filter(|s| !s.contains('.'));
    let candidates = first
        .map(|slug| root.join(slug).join("404.html"))
        .into_iter()
        .chain(std::iter::once(root.join("404.html")));
    for page in candidates {
        // A plain request: no range, no condition applies to a 404 page.
        let mut request = Request::new(Body::empty());
        *request.method_mut() = method.clone();
        match send(&page, request, None).await {
            Some(mut response) if response.status() == StatusCode::OK => {
                *response.status_mut() = StatusCode::NOT_FOUND;
                return response;
            }
            _ => {}
        }
    }
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "not found\n",
    )
        .into_response()
}

/// For a side-by-side page of the site: its data and the editor's script,
/// to inject with the live-reload script.
async fn side_by_side(app: &App, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(&app.root).ok()?;
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let page = format!("/{}", rel.join("/"));
    if !page.ends_with(".sxs.html") {
        return None;
    }
    let token = app.token.clone();
    let data = app
        .ask(|reply| Event::Describe { page, token, reply })
        .await??;
    // `<` escaped: the data cannot end its script element.
    let json = serde_json::to_string(&data).ok()?.replace('<', "\\u003c");
    Some(format!(
        "<script type=\"application/json\" id=\"helpbook-edit\">{json}</script>\
         <script src=\"/__helpbook/edit.js\"></script>"
    ))
}

/// File `path`, HTML with the script (and `extra`) injected; None when it
/// cannot be sent (gone since it was resolved, or unreadable).
async fn send(path: &Path, request: Request, extra: Option<String>) -> Option<Response> {
    if is_html(path) {
        return page(path, request.method() == Method::HEAD, extra).await;
    }
    let response = match ServeFile::new(path).oneshot(request).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND || response.status().is_server_error() {
        return None;
    }
    let (mut parts, body) = response.into_parts();
    add_charset(&mut parts.headers);
    Some(Response::from_parts(parts, Body::new(body)))
}

/// An HTML page, read whole and the script injected. Not through
/// `ServeFile`, which cannot change a body: collecting its stream to inject
/// the script served half as many pages a second as reading the file
/// (measured: docs/reliability.md). A `Range` is not
/// answered (the page is always sent whole: a range of the file would not
/// be a range of the page), nor a condition (pages are `no-store`).
async fn page(path: &Path, head: bool, extra: Option<String>) -> Option<Response> {
    let html = inject(
        tokio::fs::read(path).await.ok()?,
        extra.as_deref().unwrap_or(""),
    );
    let length = html.len();
    let mut response = if head {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(html))
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    Some(response)
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Text types (`text/*`, JSON, XML, JavaScript, SVG) say they are UTF-8.
fn add_charset(headers: &mut HeaderMap) {
    let Some(kind) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return;
    };
    let essence = kind.split(';').next().unwrap_or("").trim();
    let text = essence.starts_with("text/")
        || essence.ends_with("+xml")
        || essence.ends_with("+json")
        || matches!(
            essence,
            "application/json" | "application/xml" | "application/javascript"
        );
    if text && !kind.contains("charset") {
        if let Ok(v) = HeaderValue::from_str(&format!("{essence}; charset=utf-8")) {
            headers.insert(header::CONTENT_TYPE, v);
        }
    }
}

/// Inserts `extra` and the live-reload script before `</body>` (or at the end).
fn inject(html: Vec<u8>, extra: &str) -> Vec<u8> {
    inject_tag(html, extra, TAG)
}

/// [`inject`] with the script's tag `tag`.
fn inject_tag(mut html: Vec<u8>, extra: &str, tag: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, extra.bytes().chain(tag.bytes()));
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_end_of_body() {
        let out = String::from_utf8(inject(b"<p>x</p></BODY></html>".to_vec(), "")).expect("utf8");
        assert_eq!(out, format!("<p>x</p>{TAG}</BODY></html>"));
        let out = String::from_utf8(inject(b"<p>x</p>".to_vec(), "")).expect("utf8");
        assert_eq!(out, format!("<p>x</p>{TAG}"));
    }

    #[test]
    fn text_types_say_utf8_others_are_left_alone() {
        for (given, wanted) in [
            ("text/html", "text/html; charset=utf-8"),
            ("text/css", "text/css; charset=utf-8"),
            ("text/xml", "text/xml; charset=utf-8"),
            ("application/json", "application/json; charset=utf-8"),
            ("image/svg+xml", "image/svg+xml; charset=utf-8"),
            ("text/plain; charset=utf-8", "text/plain; charset=utf-8"),
            ("image/png", "image/png"),
            ("font/woff2", "font/woff2"),
        ] {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(given));
            add_charset(&mut h);
            assert_eq!(h[header::CONTENT_TYPE], wanted, "{given}");
        }
    }
}
