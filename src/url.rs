//! URLs: the one place where a link, image or frame address is judged, and
//! where the site's own hrefs are made from file names.
//!
//! Everything that ends up in an `href` or `src` passes through here:
//!
//! - An address written in content or configuration is read by [`classify`]
//!   with the WHATWG URL rules browsers use (the `url` crate): tabs and line
//!   breaks inside it are dropped, letter case of the scheme does not matter,
//!   a backslash in an `http(s)` address is a `/`. So the scheme and host
//!   judged here are the ones a reader's browser would act on, whatever
//!   spelling hides them (`JaVaScRiPt:`, `java<TAB>script:`,
//!   `https://evil.example\@www.youtube.com/`).
//! - Only the schemes of [`SCHEMES`] pass (and `data:` for raster images in
//!   an `<img>`); everything else is refused with a reason the caller turns
//!   into a finding. A frame must be `https` on an allowed host, compared on
//!   the parsed host.
//! - A path made from a file name ([`encode_path`]) is percent-encoded
//!   segment by segment, `:` included, and a reference to a file beside the
//!   page starts with `./` ([`here`]): no file name can be read as a scheme,
//!   a query or a fragment.
//!
//! Pure functions; no I/O.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// The schemes a link may use. `ms-settings:` opens a page of Windows
/// Settings: help articles link to it (hundreds of times in real content),
/// and it cannot run code in a page.
pub const SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ms-settings"];

/// Image types a `data:` image may have: raster formats only (an SVG or HTML
/// document can carry script).
const DATA_IMAGE_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/gif",
    "image/webp",
];

/// What an address is used for: what it may be differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// `<a href>`: a page to go to.
    Link,
    /// `<img src>`: an image to show.
    Image,
}

/// What an address written in content is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A reference to the same page (`#x`) or empty.
    Fragment,
    /// A relative reference, to be resolved against the site (`x.md`,
    /// `media/a.png`, `/a/b`): as written, trimmed.
    Relative(String),
    /// An absolute address whose scheme is allowed for its use, as written
    /// (trimmed): a browser reads it as it was judged here.
    Absolute(String),
    /// Refused: why, in words for a finding.
    Refused(String),
}

/// Reads an address from content (a link or image destination, a raw
/// `href`/`src`, a `[!VIDEO]` target) as a browser would, and judges it.
pub fn classify(raw: &str, used: Use) -> Address {
    let trimmed = raw.trim_matches(|c: char| c <= ' ');
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Address::Fragment;
    }
    if is_plain_web_address(trimmed) {
        return Address::Absolute(trimmed.to_string());
    }
    parse_and_classify(trimmed, used)
}

/// [`classify`] of a trimmed, non-empty address by the parser.
fn parse_and_classify(trimmed: &str, used: Use) -> Address {
    let parsed = match url::Url::parse(trimmed) {
        // `//host/x` takes the page's scheme: an absolute address too.
        Err(url::ParseError::RelativeUrlWithoutBase) if starts_with_two_slashes(trimmed) => {
            url::Url::parse(&format!("https:{trimmed}"))
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            // `java script:` and `java\u{e}script:` are relative to a
            // browser, but a scheme once the space or control character
            // goes (a copy of the text with white space folded, a tool
            // downstream that drops it, an older browser that skipped
            // controls): judged without them too.
            let bare: String = trimmed
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            if bare.len() != trimmed.len() {
                if let Ok(url) = url::Url::parse(&bare) {
                    if let Err(why) = judge(&url, used) {
                        return Address::Refused(why);
                    }
                }
            }
            return Address::Relative(trimmed.to_string());
        }
        other => other,
    };
    match parsed {
        Ok(url) => match judge(&url, used) {
            Ok(()) => Address::Absolute(trimmed.to_string()),
            Err(why) => Address::Refused(why),
        },
        Err(e) => Address::Refused(format!("not a valid address ({e})")),
    }
}

/// Whether `s` is an `http(s)` address that the parser certainly reads
/// with its host, as most links of the corpus are: `https://` or `http://`,
/// a host of ASCII letters, digits, hyphens and dots whose labels are not
/// empty and whose last label is letters only (not an IPv4 address), then
/// nothing or a path, query or fragment of visible ASCII. Anything else is
/// left to the parser.
fn is_plain_web_address(s: &str) -> bool {
    let Some(rest) = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
    else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, after) = rest.split_at(end);
    // (`xn--` and any label with `--` third and fourth are punycode, which
    // the parser checks.)
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label.get(2..4) != Some("--")
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    let last = host.rsplit('.').next().unwrap_or("");
    labels_ok
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_alphabetic())
        && after.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

/// `//` or `\\` (or a mix) at the start: a browser reads both as the start
/// of a host.
fn starts_with_two_slashes(s: &str) -> bool {
    let mut chars = s.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    matches!(
        (chars.next(), chars.next()),
        (Some('/' | '\\'), Some('/' | '\\'))
    )
}

/// Whether a parsed address may be used so; why not.
fn judge(url: &url::Url, used: Use) -> Result<(), String> {
    let scheme = url.scheme();
    if SCHEMES.contains(&scheme) {
        if matches!(scheme, "http" | "https") && url.host_str().is_none_or(str::is_empty) {
            return Err("an http(s) address without a host".into());
        }
        return Ok(());
    }
    if scheme == "data" && used == Use::Image {
        let kind = url
            .path()
            .split([';', ','])
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if DATA_IMAGE_TYPES.contains(&kind.as_str()) {
            return Ok(());
        }
        return Err(format!(
            "a `data:` image of type `{kind}`; only PNG, JPEG, GIF and WebP images may be inlined"
        ));
    }
    Err(format!(
        "the `{scheme}:` scheme is not allowed (allowed: {}, and relative links)",
        SCHEMES.join(", ")
    ))
}

/// The host of an absolute `http(s)` address as a browser reads it,
/// lower-case; None for anything else.
pub fn host(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim_matches(|c: char| c <= ' ')).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.host_str().map(str::to_ascii_lowercase)
}

/// Whether `raw` may be shown in a frame: an `https` address whose parsed
/// host is one of `hosts` (compared without letter case).
pub fn frame_allowed(raw: &str, hosts: &[String]) -> bool {
    let trimmed = raw.trim_matches(|c: char| c <= ' ');
    url::Url::parse(trimmed).is_ok_and(|url| {
        url.scheme() == "https"
            && url
                .host_str()
                .is_some_and(|h| hosts.iter().any(|a| a.eq_ignore_ascii_case(h)))
    })
}

/// Whether an address already judged safe by this module needs no
/// sanitiser: a relative reference, a fragment, or an allowed scheme.
pub fn is_safe(raw: &str) -> bool {
    !matches!(classify(raw, Use::Link), Address::Refused(_))
}

/// What is percent-encoded in a path segment made from a file name: what
/// URLs do not allow, what would end the segment or the path (`/` is added
/// between segments, never taken from a name), and `:`, so that no name
/// reads as a scheme.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A `/`-separated path of file names as a URL path: each segment encoded.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    for (i, part) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(part, SEGMENT));
    }
    out
}

/// One file-name segment, encoded (see [`encode_path`]).
pub fn encode_segment(name: &str) -> String {
    utf8_percent_encode(name, SEGMENT).to_string()
}

/// A reference from a page to `rel` (an encoded path relative to the page's
/// folder): `./rel` unless it already climbs (`../`), so that it can never
/// be read as anything but a path.
pub fn here(rel: &str) -> String {
    if rel.starts_with("../") || rel.starts_with("./") {
        rel.to_string()
    } else {
        format!("./{rel}")
    }
}

/// Decodes `%XX` escapes of a relative reference; invalid escapes are kept
/// as written and invalid UTF-8 is replaced.
pub fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Checks a configured site address (`site-url`): an absolute `http(s)`
/// URL with a host. Returns it with one trailing `/`, or why it is not.
pub fn site_url(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw.trim()).map_err(|e| format!("`{raw}` is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "`{raw}` is not an absolute http:// or https:// URL with a host"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "`{raw}` has a query or fragment; give the site's base address"
        ));
    }
    let mut s: String = url.into();
    while s.ends_with('/') {
        s.pop();
    }
    s.push('/');
    Ok(s)
}

/// The path part of a checked site address (`https://x.org/repo/` →
/// `/repo/`): where the site sits on its server.
pub fn site_path(site_url: &str) -> String {
    url::Url::parse(site_url)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| "/".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_web_addresses_are_read_as_the_parser_reads_them() {
        let plain = [
            "https://go.microsoft.com/fwlink/?linkid=2100",
            "http://example.com",
            "https://a-b.example.org/x%20y#frag",
            "https://Support.Microsoft.com/en-us/office",
        ];
        for a in plain {
            assert!(is_plain_web_address(a), "{a}");
            assert_eq!(
                parse_and_classify(a, Use::Link),
                Address::Absolute(a.into())
            );
        }
        for a in [
            "https://1.2.3.4/x",
            "https://example.123",
            "https://xn--nxasmq6b.com",
            "https://a..b.com",
            "https://.com",
            "https://example.com:8080/",
            "https://user@example.com",
            "https://exa mple.com",
            "https://example.com/a b",
            "https://example.com\\x",
            "HTTPS://example.com",
            "javascript:alert(1)",
            "page.md",
        ] {
            assert!(!is_plain_web_address(a), "{a}");
        }
        // Every link and image of the corpus that the fast path takes.
        let Some(files) = crate::corpus::files() else {
            return;
        };
        use pulldown_cmark::{Event, Tag};
        let (mut links, mut fast) = (0, 0);
        for (_, bytes) in files {
            let text = String::from_utf8_lossy(&bytes);
            for event in crate::render::parser(&text) {
                let (Event::Start(Tag::Link { dest_url, .. })
                | Event::Start(Tag::Image { dest_url, .. })) = event
                else {
                    continue;
                };
                links += 1;
                let trimmed = dest_url.trim_matches(|c: char| c <= ' ');
                if is_plain_web_address(trimmed) {
                    fast += 1;
                    for used in [Use::Link, Use::Image] {
                        assert_eq!(
                            parse_and_classify(trimmed, used),
                            Address::Absolute(trimmed.into()),
                            "{trimmed}"
                        );
                    }
                }
            }
        }
        eprintln!("{fast} of {links} addresses took the fast path");
        assert!(fast > links / 4, "{fast} of {links}");
    }

    #[test]
    fn a_scheme_split_by_spaces_is_judged_without_them() {
        assert!(matches!(
            classify("java script:alert(1)", Use::Link),
            Address::Refused(_)
        ));
        assert!(matches!(
            classify("my page.html", Use::Link),
            Address::Relative(_)
        ));
        assert!(matches!(
            classify("mail to:a@b.example", Use::Link),
            Address::Absolute(_) | Address::Relative(_)
        ));
    }

    fn refused(raw: &str, used: Use) -> bool {
        matches!(classify(raw, used), Address::Refused(_))
    }

    #[test]
    fn script_schemes_are_refused_however_spelt() {
        for raw in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "javas\u{e}cript:alert(1)",
            "java\u{0}script:alert(1)",
            " \u{1}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "https://",
        ] {
            assert!(refused(raw, Use::Link), "{raw:?}");
            assert!(refused(raw, Use::Image), "{raw:?}");
        }
    }

    #[test]
    fn ordinary_addresses_pass() {
        assert_eq!(
            classify("https://a.example/b?c#d", Use::Link),
            Address::Absolute("https://a.example/b?c#d".into())
        );
        assert_eq!(
            classify("mailto:a@b.example", Use::Link),
            Address::Absolute("mailto:a@b.example".into())
        );
        assert!(matches!(
            classify("ms-settings:windowsupdate", Use::Link),
            Address::Absolute(_)
        ));
        assert_eq!(
            classify("../a b.md#x", Use::Link),
            Address::Relative("../a b.md#x".into())
        );
        assert_eq!(
            classify("a/b:c", Use::Link),
            Address::Relative("a/b:c".into())
        );
        assert_eq!(classify("#top", Use::Link), Address::Fragment);
        assert_eq!(
            classify("//cdn.example/x.png", Use::Image),
            Address::Absolute("//cdn.example/x.png".into())
        );
    }

    #[test]
    fn data_images_are_raster_only() {
        assert!(matches!(
            classify("data:image/png;base64,iVBORw0KGgo=", Use::Image),
            Address::Absolute(_)
        ));
        assert!(refused("data:image/png;base64,iVBORw0KGgo=", Use::Link));
        assert!(refused("data:image/svg+xml,<svg onload=x>", Use::Image));
        assert!(refused("data:text/html;base64,PHNjcmlwdD4=", Use::Image));
    }

    #[test]
    fn hosts_are_read_as_browsers_read_them() {
        let hosts = ["www.youtube.com".to_string()];
        assert!(frame_allowed("https://www.youtube.com/embed/x", &hosts));
        assert!(frame_allowed("https://WWW.YouTube.com:443/embed/x", &hosts));
        assert!(!frame_allowed(
            "https://evil.example\\@www.youtube.com/x",
            &hosts
        ));
        assert!(!frame_allowed(
            "https://www.youtube.com.evil.example/",
            &hosts
        ));
        assert!(!frame_allowed("http://www.youtube.com/embed/x", &hosts));
        assert!(!frame_allowed(
            "javascript:alert(1)//www.youtube.com",
            &hosts
        ));
        assert_eq!(
            host("https://evil.example\\@www.youtube.com/x").as_deref(),
            Some("evil.example")
        );
        assert_eq!(host("https://u:p@h.example/").as_deref(), Some("h.example"));
    }

    #[test]
    fn file_names_never_read_as_schemes() {
        assert_eq!(encode_path("javascript:alert(1)"), "javascript%3Aalert(1)");
        assert_eq!(encode_path("a b/c#d?.md"), "a%20b/c%23d%3F.md");
        assert_eq!(encode_path("java\tscript:x"), "java%09script%3Ax");
        assert_eq!(encode_path("密码.md"), "%E5%AF%86%E7%A0%81.md");
        assert_eq!(here("javascript%3Ax.html"), "./javascript%3Ax.html");
        assert_eq!(here("../en-us/x.html"), "../en-us/x.html");
        assert_eq!(decode(&encode_path("a b:c/密.md")), "a b:c/密.md");
    }

    #[test]
    fn site_urls_are_absolute_http() {
        assert_eq!(
            site_url("https://help.example.com").as_deref(),
            Ok("https://help.example.com/")
        );
        assert_eq!(
            site_url("https://x.github.io/repo//").as_deref(),
            Ok("https://x.github.io/repo/")
        );
        for bad in [
            "javascript:alert(1)",
            "not a url",
            "/repo/",
            "ftp://x.org/",
            "https://x.org/?q",
        ] {
            assert!(site_url(bad).is_err(), "{bad}");
        }
        assert_eq!(site_path("https://x.github.io/repo/"), "/repo/");
    }
}
