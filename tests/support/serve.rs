//! A `helpbook serve` process for tests and benchmarks: started on a free
//! loopback port, spoken to with raw HTTP/1.1 over `TcpStream` (so that
//! request paths and headers reach the server exactly as written) and
//! through its live-reload WebSocket (tungstenite), and killed when dropped.
//! Every wait is bounded.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};
use tungstenite::client::IntoClientRequest;
use tungstenite::http::{HeaderName, HeaderValue};
use tungstenite::{Message, WebSocket};

pub struct Server {
    pub child: Child,
    pub port: u16,
    /// The folder `serve` builds into (from its first line on stderr).
    pub site: PathBuf,
    /// Every line the server printed on stderr so far, and those to come.
    pub stderr: Receiver<String>,
    /// The line saying the first build is written, when it comes (also in
    /// `stderr`).
    built: Receiver<String>,
}

impl Server {
    /// Starts `helpbook serve DIR --port 0`; waits up to `limit` for its URL
    /// and its first build to be written.
    pub fn start(dir: &Path, extra: &[&str], limit: Duration) -> Server {
        Server::start_under(&[], dir, extra, limit)
    }

    /// Starts the server through `wrapper` (such as `prlimit --nofile=256
    /// --`, which runs it in its own process).
    pub fn start_under(wrapper: &[&str], dir: &Path, extra: &[&str], limit: Duration) -> Server {
        let server = Server::spawn(wrapper, &[], dir, extra, limit);
        server.wait_built(limit);
        server
    }

    /// [`Server::start`] with these environment variables set.
    pub fn start_with_env(
        env: &[(&str, &str)],
        dir: &Path,
        extra: &[&str],
        limit: Duration,
    ) -> Server {
        let server = Server::spawn(&[], env, dir, extra, limit);
        server.wait_built(limit);
        server
    }

    /// Starts the server with these environment variables set and returns
    /// as soon as it serves, its first build perhaps not written yet.
    pub fn start_early(
        env: &[(&str, &str)],
        dir: &Path,
        extra: &[&str],
        limit: Duration,
    ) -> Server {
        Server::spawn(&[], env, dir, extra, limit)
    }

    /// Waits up to `limit` for the line saying the first build is written
    /// (`built N pages …`); returns it. Panics if it does not come.
    pub fn wait_built(&self, limit: Duration) -> String {
        self.built
            .recv_timeout(limit)
            .unwrap_or_else(|_| panic!("the first build was not written within {limit:?}"))
    }

    fn spawn(
        wrapper: &[&str],
        env: &[(&str, &str)],
        dir: &Path,
        extra: &[&str],
        limit: Duration,
    ) -> Server {
        let helpbook = env!("CARGO_BIN_EXE_helpbook");
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(helpbook);
                c
            }
            None => Command::new(helpbook),
        };
        let mut child = command
            .arg("serve")
            .arg(dir)
            .args(["--port", "0"])
            .args(extra)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start helpbook serve");
        let (err_tx, err_rx) = mpsc::channel();
        let (built_tx, built) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.starts_with("built ") {
                    let _ = built_tx.send(line.clone());
                }
                if err_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let (out_tx, out_rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = out_tx.send(line);
            }
        });
        let line = out_rx.recv_timeout(limit).unwrap_or_else(|_| {
            let _ = child.kill();
            let err: Vec<String> = err_rx.try_iter().collect();
            panic!("no URL within {limit:?}; stderr:\n{}", err.join("\n"))
        });
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let port = url
            .trim_start_matches("http://127.0.0.1:")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|_| panic!("not a loopback URL: {url}"));
        let mut site = PathBuf::new();
        let mut seen = Vec::new();
        while let Ok(l) = err_rx.recv_timeout(Duration::from_millis(200)) {
            if let Some((_, s)) = l.split_once(" into ") {
                site = PathBuf::from(s);
            }
            seen.push(l);
            if !site.as_os_str().is_empty() {
                break;
            }
        }
        Server {
            child,
            port,
            site,
            stderr: err_rx,
            built,
        }
    }

    /// Waits up to `limit` for a line of the server's stderr that contains
    /// `what`, reading the lines before it. Panics if none comes.
    pub fn wait_line(&self, what: &str, limit: Duration) {
        let deadline = std::time::Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) if line.contains(what) => return,
                Ok(_) => {}
                Err(_) => panic!("no line with {what:?} within {limit:?}"),
            }
        }
    }

    pub fn get(&self, path: &str) -> Response {
        request(self.port, "GET", path)
    }

    /// Opens the live-reload socket of `page` and waits for its first
    /// message.
    pub fn events(&self, page: Option<&str>) -> Events {
        self.events_with(page, &[])
            .unwrap_or_else(|status| panic!("the live-reload socket was refused: {status}"))
    }

    /// Opens the live-reload socket of `page` with extra request headers
    /// (`Origin`, or a `Host` that replaces the real one); the status of
    /// the answer when the server refuses it.
    pub fn events_with(&self, page: Option<&str>, headers: &[(&str, &str)]) -> Result<Events, u16> {
        let query = page.map_or_else(String::new, |p| format!("?page={}", encode(p)));
        self.events_at(&query, headers)
    }

    /// Opens the live-reload socket with the query `query` (`?page=…&…`,
    /// as given).
    pub fn events_at(&self, query: &str, headers: &[(&str, &str)]) -> Result<Events, u16> {
        let url = format!("ws://127.0.0.1:{}/__helpbook/events{query}", self.port);
        let mut request = url.into_client_request().expect("a WebSocket request");
        for (name, value) in headers {
            request.headers_mut().insert(
                HeaderName::from_bytes(name.as_bytes()).expect("header name"),
                HeaderValue::from_str(value).expect("header value"),
            );
        }
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let socket = match tungstenite::client(request, stream) {
            Ok((socket, _)) => socket,
            Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(r))) => {
                return Err(r.status().as_u16())
            }
            Err(e) => panic!("WebSocket handshake: {e}"),
        };
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        let mut events = Events {
            socket,
            seen: Vec::new(),
            first: serde_json::Value::Null,
        };
        events.first = events
            .next(Duration::from_secs(10))
            .expect("the live-reload socket starts with a snapshot");
        Ok(events)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Politely first (the server removes its folder), then for sure.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on its own connection (`Connection: close`).
pub fn request(port: u16, method: &str, path: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    parse_response(&raw)
}

pub fn parse_response(raw: &[u8]) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..i]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = i + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}

/// Percent-encodes a path or query value (`/` kept).
pub fn encode(s: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(s, KEEP).to_string()
}

/// A page's live-reload socket, read with timeouts.
pub struct Events {
    socket: WebSocket<TcpStream>,
    /// Every message received, as sent.
    pub seen: Vec<String>,
    /// The snapshot sent on connecting (the findings shown now).
    pub first: serde_json::Value,
}

impl Events {
    /// The next update, as JSON, within `limit` (None: none came, or the
    /// server closed the socket).
    pub fn next(&mut self, limit: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + limit;
        loop {
            match self.socket.read() {
                Ok(Message::Text(text)) => {
                    self.seen.push(text.to_string());
                    if let Ok(v) = serde_json::from_str(&text) {
                        return Some(v);
                    }
                }
                Ok(Message::Close(_)) => return None,
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if Instant::now() >= deadline {
                        return None;
                    }
                }
                Err(_) => return None,
            }
        }
    }

    /// The next event whose JSON satisfies `want`, within `limit`.
    pub fn wait_for(
        &mut self,
        limit: Duration,
        want: impl Fn(&serde_json::Value) -> bool,
    ) -> Option<serde_json::Value> {
        let deadline = Instant::now() + limit;
        while let Some(v) = self.next(deadline.saturating_duration_since(Instant::now())) {
            if want(&v) {
                return Some(v);
            }
        }
        None
    }
}

/// Copies the folder tree `from` into `to`, over any file already there
/// (as a merge job copying downloaded artifacts does). Here, not in
/// `support`, because the serve bench includes this file alone.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Whether `prlimit` (util-linux) is here to limit a server's resources;
/// if not, says that the test skips and what it would have limited.
pub fn prlimit_available(limits: &str) -> bool {
    let here = std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_ok();
    if !here {
        eprintln!("skipped: no prlimit (util-linux) to limit the server's {limits}");
    }
    here
}
