//! Explicit anchors in raw HTML: the ids of `<a name="…">` and `<a id="…">`
//! tags, as the English files write them before heading text. Pure.

/// The `name`/`id` values of the `<a …>` start tags in a piece of raw HTML.
pub fn anchor_ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<a") {
        let start = from + i + 2;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        from = end;
        if !lower[start..].starts_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let tag = &html[start..end];
        if let Some(v) = attribute(tag, "name").or_else(|| attribute(tag, "id")) {
            if !v.is_empty() {
                out.push(v.to_string());
            }
        }
    }
    out
}

/// The value of attribute `name` in the inside of a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = tag[at + name.len()..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value = rest[1..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default(),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '/')
                .next()
                .unwrap_or_default(),
        });
    }
    None
}
