//! Who may talk to `serve`: the one guard against DNS rebinding and requests
//! from other sites, for every request and every endpoint to come.
//!
//! Any web page can make its reader's browser send requests to
//! `127.0.0.1`: plainly (an image, a form, a WebSocket), or, after a DNS
//! rebinding, under the page's own name (`attacker.example` resolving to
//! 127.0.0.1), where the browser lets the page read the answers. Two checks
//! close both ways:
//!
//! - [`host`], run on every request by [`layer`] (the router's outermost
//!   check): the `Host` header, and the authority of a request target in
//!   absolute form, must name this server the way its user reaches it:
//!   `localhost`, a loopback address (`127.0.0.1`, `[::1]`) or the address
//!   the connection came in on (with `--bind` on a network address, that
//!   address), with any port (a tunnel or a forwarded port changes it). An
//!   IP address cannot be rebound; a name other than `localhost` can. Any
//!   other `Host` gets 421 and a plain-text reason.
//! - [`origin`]: a browser names the page behind a request in `Origin`
//!   (always for WebSockets and for POST, PUT and DELETE). When present it
//!   must be this server's own origin, `http://` and the request's `Host`;
//!   otherwise 403. The live-reload socket calls it with
//!   [`Need::IfPresent`] (a tool outside a browser sends none, and no page
//!   can make a browser leave it out). **Every endpoint that changes
//!   anything (the editor, `POST /__helpbook/edit`) calls `origin(headers, Need::Present)`
//!   before reading its body**: with no `Origin`, or `null` (a sandboxed
//!   frame, a `file://` page), the request is refused too.
//!
//! [`Local`] is the address a connection came in on, put into each request
//! by the code that accepts connections (`listen`); where it is missing,
//! loopback is assumed.

use axum::extract::Request;
use axum::http::uri::Authority;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;

/// The local address of the connection a request came in on.
#[derive(Debug, Clone, Copy)]
pub struct Local(pub IpAddr);

/// A request the guard refuses: its status and the reason, in plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub reason: &'static str,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{}\n", self.reason),
        )
            .into_response()
    }
}

const NO_HOST: Refusal = Refusal {
    status: StatusCode::MISDIRECTED_REQUEST,
    reason: "no Host header: helpbook serve answers requests for localhost or its own address",
};
const FOREIGN_HOST: Refusal = Refusal {
    status: StatusCode::MISDIRECTED_REQUEST,
    reason: "this Host is not served here: helpbook serve answers requests for localhost \
             or its own address only",
};
const FOREIGN_ORIGIN: Refusal = Refusal {
    status: StatusCode::FORBIDDEN,
    reason: "cross-origin request refused: only pages of this server may use it",
};
const NO_ORIGIN: Refusal = Refusal {
    status: StatusCode::FORBIDDEN,
    reason: "request refused: it names no page of this server as its origin",
};

/// Whether `origin` may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Absent is accepted (reading endpoints: the event stream).
    IfPresent,
    /// Absent is refused (endpoints that write: the editor).
    #[allow(dead_code)]
    Present,
}

/// Refuses a request whose `Host` (or absolute target) does not name this
/// server; `local` is the address the connection came in on.
pub fn host(headers: &HeaderMap, uri: &Uri, local: IpAddr) -> Result<(), Refusal> {
    if let Some(authority) = uri.authority() {
        if !allowed(authority, local) {
            return Err(FOREIGN_HOST);
        }
    }
    let value = headers.get(header::HOST).ok_or(NO_HOST)?;
    let authority = value
        .to_str()
        .ok()
        .and_then(|v| v.parse::<Authority>().ok())
        .ok_or(FOREIGN_HOST)?;
    if allowed(&authority, local) {
        Ok(())
    } else {
        Err(FOREIGN_HOST)
    }
}

/// Refuses a request sent by a page of another origin (and, under
/// [`Need::Present`], one that names no origin). Call it after [`host`]
/// (as every request is, through [`layer`]).
pub fn origin(headers: &HeaderMap, need: Need) -> Result<(), Refusal> {
    let Some(value) = headers.get(header::ORIGIN) else {
        return match need {
            Need::IfPresent => Ok(()),
            Need::Present => Err(NO_ORIGIN),
        };
    };
    let origin = value
        .to_str()
        .ok()
        .and_then(|v| v.parse::<Uri>().ok())
        .ok_or(FOREIGN_ORIGIN)?;
    let own = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.parse::<Authority>().ok())
        .ok_or(NO_HOST)?;
    let same = origin.scheme_str() == Some("http")
        && origin.path() == "/"
        && origin.query().is_none()
        && origin
            .authority()
            .is_some_and(|a| same_authority(a, &own) && !a.as_str().contains('@'));
    if same {
        Ok(())
    } else {
        Err(FOREIGN_ORIGIN)
    }
}

/// The router's first check: [`host`] on every request.
pub async fn layer(request: Request, next: Next) -> Response {
    let local = request
        .extensions()
        .get::<Local>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |l| l.0);
    match host(request.headers(), request.uri(), local) {
        Ok(()) => next.run(request).await,
        Err(refusal) => refusal.into_response(),
    }
}

/// Whether `authority` names this server: `localhost`, a loopback address
/// or `local`, any port, no user information.
fn allowed(authority: &Authority, local: IpAddr) -> bool {
    if authority.as_str().contains('@') {
        return false;
    }
    let host = authority.host();
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match bare.parse::<IpAddr>() {
        Ok(ip) => {
            let ip = ip.to_canonical();
            ip.is_loopback() || ip == local.to_canonical()
        }
        Err(_) => false,
    }
}

/// The same host (case aside) and the same port (80 when none is given).
fn same_authority(a: &Authority, b: &Authority) -> bool {
    a.host().eq_ignore_ascii_case(b.host())
        && a.port_u16().unwrap_or(80) == b.port_u16().unwrap_or(80)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, HeaderValue::from_str(value).expect("header value"));
        }
        h
    }

    const LOOPBACK: [u8; 4] = [127, 0, 0, 1];

    fn host_ok(value: &str, local: IpAddr) -> bool {
        host(&headers(&[("host", value)]), &Uri::from_static("/"), local).is_ok()
    }

    #[test]
    fn loopback_names_and_the_local_address_are_this_server() {
        let lo = IpAddr::from(LOOPBACK);
        for ok in [
            "localhost",
            "LocalHost:3000",
            "127.0.0.1",
            "127.0.0.1:3000",
            "127.0.0.2:8080",
            "[::1]",
            "[::1]:3000",
            "[::ffff:127.0.0.1]:3000",
        ] {
            assert!(host_ok(ok, lo), "{ok}");
        }
        for refused in [
            "attacker.example",
            "attacker.example:3000",
            "localhost.attacker.example",
            "127.0.0.1.nip.io",
            "localhost@attacker.example",
            "user@127.0.0.1",
            "192.168.1.5",
            "",
            "local host",
        ] {
            assert!(!host_ok(refused, lo), "{refused}");
        }
        // Bound to a network address: that address too, and no other.
        let lan = IpAddr::from([192, 168, 1, 5]);
        assert!(host_ok("192.168.1.5:3000", lan));
        assert!(host_ok("localhost:3000", lan));
        assert!(!host_ok("192.168.1.6:3000", lan));
        assert!(!host_ok("helpbook.lan:3000", lan));
    }

    #[test]
    fn no_host_and_a_foreign_absolute_target_are_refused() {
        let lo = IpAddr::from(LOOPBACK);
        assert_eq!(
            host(&HeaderMap::new(), &Uri::from_static("/"), lo),
            Err(NO_HOST)
        );
        let h = headers(&[("host", "127.0.0.1:3000")]);
        let foreign = Uri::from_static("http://attacker.example/zh-cn/");
        assert_eq!(host(&h, &foreign, lo), Err(FOREIGN_HOST));
        let own = Uri::from_static("http://127.0.0.1:3000/zh-cn/");
        assert_eq!(host(&h, &own, lo), Ok(()));
    }

    #[test]
    fn only_this_servers_own_origin_passes() {
        let with = |origin: &str| headers(&[("host", "127.0.0.1:3000"), ("origin", origin)]);
        assert_eq!(
            origin(&with("http://127.0.0.1:3000"), Need::Present),
            Ok(())
        );
        for foreign in [
            "http://attacker.example",
            "http://attacker.example:3000",
            "http://localhost:3000",
            "http://127.0.0.1:3001",
            "http://127.0.0.1",
            "https://127.0.0.1:3000",
            "null",
            "file://",
            "http://user@127.0.0.1:3000",
            "",
        ] {
            assert_eq!(
                origin(&with(foreign), Need::IfPresent),
                Err(FOREIGN_ORIGIN),
                "{foreign}"
            );
        }
        let none = headers(&[("host", "127.0.0.1:3000")]);
        assert_eq!(origin(&none, Need::IfPresent), Ok(()));
        assert_eq!(origin(&none, Need::Present), Err(NO_ORIGIN));
        let default_port = headers(&[("host", "localhost"), ("origin", "http://localhost:80")]);
        assert_eq!(origin(&default_port, Need::Present), Ok(()));
    }
}
