//! A `helpbook serve` process for tests and benchmarks: started on a free
//! loopback port, spoken to with raw HTTP/1.1 over `TcpStream` (so that
//! request paths reach the server exactly as written), and killed when
//! dropped. Every wait is bounded.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub port: u16,
    /// The folder `serve` builds into (from its first line on stderr).
    pub site: PathBuf,
    /// Every line the server printed on stderr so far, and those to come.
    pub stderr: Receiver<String>,
}

impl Server {
    /// Starts `helpbook serve DIR --port 0`; waits up to `limit` for its URL.
    pub fn start(dir: &Path, extra: &[&str], limit: Duration) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_helpbook"))
            .arg("serve")
            .arg(dir)
            .args(["--port", "0"])
            .args(extra)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start helpbook serve");
        let (err_tx, err_rx) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
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
        }
    }

    pub fn get(&self, path: &str) -> Response {
        request(self.port, "GET", path)
    }

    /// Opens the event stream of `page` and waits for its first event.
    pub fn events(&self, page: Option<&str>) -> Events {
        let query = page.map_or_else(String::new, |p| format!("?page={}", encode(p)));
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET /__helpbook/events{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        let mut events = Events {
            stream,
            buffer: Vec::new(),
            first: serde_json::Value::Null,
        };
        events.first = events
            .next(Duration::from_secs(10))
            .expect("the event stream starts with a snapshot");
        events
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

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A server-sent event stream, read with timeouts.
pub struct Events {
    stream: TcpStream,
    buffer: Vec<u8>,
    /// The snapshot sent on connecting (the findings shown now).
    pub first: serde_json::Value,
}

impl Events {
    /// The data of the next `update` event, as JSON, within `limit`.
    pub fn next(&mut self, limit: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(v) = self.take_event() {
                return Some(v);
            }
            if Instant::now() >= deadline {
                return None;
            }
            let mut chunk = [0u8; 8192];
            match self.stream.read(&mut chunk) {
                Ok(0) => return None,
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
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

    fn take_event(&mut self) -> Option<serde_json::Value> {
        loop {
            let text = String::from_utf8_lossy(&self.buffer).into_owned();
            let start = text.find("event: update\n")?;
            let rest = &text[start..];
            let end = rest.find("\n\n")?;
            let block = &rest[..end];
            let consumed = text[..start + end + 2].len();
            self.buffer.drain(..consumed);
            let data: String = block
                .lines()
                .filter_map(|l| l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")))
                .collect::<Vec<_>>()
                .join("\n");
            if let Ok(v) = serde_json::from_str(&data) {
                return Some(v);
            }
        }
    }
}

/// Copies a folder tree.
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
