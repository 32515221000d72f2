//! Links that CommonMark leaves as text because the translation broke them:
//! `[[Already a partner?](partner)](https://aka.ms/x)` (a link inside link
//! text), `[here](https://a/b(v=1). ` (the closing parenthesis lost),
//! `[text] (https://a/b)` or `**text**] ( https://a/b)` (white space put
//! between `]`, `(` and the URL, the `[` lost to another block).
//! Readers would see raw `[text](url)`; [`leaked_links`] turns such text back
//! into the link the English had, and [`places`] tells where each one is in
//! the source, for the `markup::broken-link` finding. Both work on the event
//! stream of one block, never on HTML.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// One leaked link found in the events: where its `[` and `](url)` are.
struct Leak {
    /// The `[` (event, byte); None when the translation lost it.
    open: Option<(usize, usize)>,
    close_event: usize,
    close_at: usize,
    /// Bytes from `close_at` to the end of the link syntax.
    close_len: usize,
    url: String,
}

/// Repairs leaked links in `events`; `resolve` maps a URL to its final form
/// (None drops the link but keeps its text). Returns how many were repaired.
pub fn leaked_links<'a>(
    events: &mut Vec<Event<'a>>,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> usize {
    if !may_leak(events) {
        return 0;
    }
    coalesce(events);
    let mut repaired = 0;
    let mut from = 0;
    while let Some(leak) = find(events, from) {
        from = leak.close_event;
        let Some(url) = resolve(&leak.url) else {
            // Keep the text, drop the syntax around it.
            strip(events, &leak);
            continue;
        };
        let close_text = text_of(&events[leak.close_event]).to_string();
        let link = Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: url.clone().into(),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        });
        let Some((open_event, open_at)) = leak.open else {
            // No `[`: the URL itself becomes the link text.
            let after = &close_text[leak.close_at + leak.close_len..];
            let mut all = vec![
                Event::Text(close_text[..leak.close_at].to_string().into()),
                Event::Text(" ".into()),
                link,
                Event::Text(leak.url.clone().into()),
                Event::End(TagEnd::Link),
            ];
            if !after.is_empty() {
                all.push(Event::Text(after.to_string().into()));
            }
            events.splice(leak.close_event..=leak.close_event, all);
            repaired += 1;
            continue;
        };
        let open_text = text_of(&events[open_event]).to_string();
        let mut replacement_close = vec![
            Event::Text(close_text[..leak.close_at].to_string().into()),
            Event::End(TagEnd::Link),
        ];
        let after = &close_text[leak.close_at + leak.close_len..];
        if !after.is_empty() {
            replacement_close.push(Event::Text(after.to_string().into()));
        }
        if open_event == leak.close_event {
            let mut all = vec![Event::Text(open_text[..open_at].to_string().into()), link];
            all.push(Event::Text(
                close_text[open_at + 1..leak.close_at].to_string().into(),
            ));
            all.extend(replacement_close.into_iter().skip(1));
            events.splice(open_event..=open_event, all);
        } else {
            events.splice(leak.close_event..=leak.close_event, replacement_close);
            let open = vec![
                Event::Text(open_text[..open_at].to_string().into()),
                link,
                Event::Text(open_text[open_at + 1..].to_string().into()),
            ];
            events.splice(open_event..=open_event, open);
        }
        repaired += 1;
    }
    repaired
}

/// Joins runs of adjacent text events (the parser splits text at brackets).
/// Whether the text, with adjacent text events joined as [`coalesce`] joins
/// them, has a `](` (or `] (`) anywhere: most pages have none and need no repair pass.
fn may_leak(events: &[Event]) -> bool {
    let mut bracket_before = false;
    for e in events {
        match e {
            Event::Text(t) => {
                let trimmed = t.trim_start_matches([' ', '\t']);
                if has_close(t) || (bracket_before && trimmed.starts_with('(')) {
                    return true;
                }
                bracket_before = t.trim_end_matches([' ', '\t']).ends_with(']')
                    || (bracket_before && trimmed.is_empty());
            }
            _ => bracket_before = false,
        }
    }
    false
}

/// Joins each run of adjacent text events into one. Each run is copied
/// once, into one growing string (copying the joined text again at each
/// event made a run of n texts cost n²).
fn coalesce(events: &mut Vec<Event>) {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    // The text of the run that ends with `out`'s last event, once a second
    // text has joined it.
    let mut run: Option<String> = None;
    let flush = |out: &mut Vec<Event>, run: &mut Option<String>| {
        if let (Some(joined), Some(last)) = (run.take(), out.last_mut()) {
            *last = Event::Text(joined.into());
        }
    };
    for e in events.drain(..) {
        match (out.last(), e) {
            (Some(Event::Text(first)), Event::Text(t)) => {
                run.get_or_insert_with(|| first.to_string()).push_str(&t);
            }
            (_, e) => {
                flush(&mut out, &mut run);
                out.push(e);
            }
        }
    }
    flush(&mut out, &mut run);
    *events = out;
}

fn text_of<'e>(e: &'e Event) -> &'e str {
    match e {
        Event::Text(t) => t,
        _ => "",
    }
}

/// Removes the `[` and `](url)` of a leak whose URL may not be linked.
fn strip(events: &mut [Event], leak: &Leak) {
    let close_text = text_of(&events[leak.close_event]).to_string();
    let mut close = close_text[..leak.close_at].to_string();
    close.push_str(&close_text[leak.close_at + leak.close_len..]);
    events[leak.close_event] = Event::Text(close.into());
    if let Some((open_event, open_at)) = leak.open {
        let open_text = text_of(&events[open_event]).to_string();
        let mut open = open_text[..open_at].to_string();
        open.push_str(&open_text[open_at + 1..]);
        events[open_event] = Event::Text(open.into());
    }
}

/// Finds the next leaked link at or after event `from`.
fn find(events: &[Event], from: usize) -> Option<Leak> {
    for (i, e) in events.iter().enumerate().skip(from) {
        let Event::Text(t) = e else { continue };
        for (at, _) in t.match_indices(']') {
            let Some((url, len)) = close_at(&t[at..]) else {
                continue;
            };
            // `[x]](url)`: the extra `]` is text; the link is `[x]`.
            let open = opening_bracket(events, i, at).or_else(|| {
                t[..at]
                    .ends_with(']')
                    .then(|| opening_bracket(events, i, at - 1))
                    .flatten()
            });
            return Some(Leak {
                open,
                close_event: i,
                close_at: at,
                close_len: len,
                url,
            });
        }
    }
    None
}

/// The end of a link's syntax at the start of `s` (which starts with `]`):
/// `](url)`, `] (url`, `]( url`…: (the URL, bytes consumed from the `]`).
/// Spaces or tabs may stand between `]`, `(` and the URL, as translations
/// put them; a line break may not.
fn close_at(s: &str) -> Option<(String, usize)> {
    let rest = s.strip_prefix(']')?;
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let rest = rest[gap..].strip_prefix('(')?;
    let (url, len) = url_at(rest)?;
    Some((url, 1 + gap + 1 + len))
}

/// Whether `t` has the end of a link's syntax in it ([`close_at`]).
fn has_close(t: &str) -> bool {
    t.match_indices(']').any(|(at, _)| {
        let rest = t[at + 1..].trim_start_matches([' ', '\t']);
        rest.starts_with('(')
    })
}

/// The source offsets of the `]` of every leaked link in one page's events
/// (as the parser made them, before any pass; `offsets[i]` is where event
/// `i` starts in `source`). Only text events are read: the `](url)` of a
/// link CommonMark recognised is never text, so each place found is one
/// that [`leaked_links`] repairs.
pub fn places(events: &[Event], offsets: &[usize], source: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (e, &start) in events.iter().zip(offsets) {
        let Event::Text(t) = e else { continue };
        if !t.contains(']') {
            continue;
        }
        for (k, _) in t.match_indices(']') {
            let at = start + k;
            // Text with escapes or entities is not a slice of the source:
            // only a `]` found where the text says it is counts.
            if source.as_bytes().get(at) == Some(&b']')
                && source.get(at..).and_then(close_at).is_some()
                && out.last() != Some(&at)
            {
                out.push(at);
            }
        }
    }
    out
}

/// A link destination at the start of `s` (after `(` and any spaces): (the
/// URL, bytes consumed including the spaces and a closing `)` when present).
/// Only URLs that are clearly links: with a scheme, root-relative, relative
/// or `x.md`.
fn url_at(s: &str) -> Option<(String, usize)> {
    let lead = s.len() - s.trim_start_matches([' ', '\t']).len();
    let (url, len) = url_after_spaces(&s[lead..])?;
    Some((url, lead + len))
}

fn url_after_spaces(s: &str) -> Option<(String, usize)> {
    let looks_like_url = s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with('/')
        || s.starts_with("./")
        || s.starts_with("../")
        || s.split(['#', ')', ' '])
            .next()
            .is_some_and(|p| p.ends_with(".md"));
    if !looks_like_url {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some((s[..i].to_string(), i + 1)),
            ')' => depth -= 1,
            c if c.is_whitespace() => {
                // The closing parenthesis was lost: the URL ends here, less
                // any sentence punctuation.
                let url = s[..i].trim_end_matches(['.', ',', ';']);
                return Some((url.to_string(), url.len()));
            }
            _ => {}
        }
    }
    let url = s.trim_end_matches(['.', ',', ';']);
    Some((url.to_string(), url.len()))
}

/// The unmatched `[` before byte `at` of event `i`, within the same block
/// and with balanced inline tags between. Returns (event, byte offset).
fn opening_bracket(events: &[Event], i: usize, at: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut tags = 0i32;
    let mut j = i;
    let mut limit = at;
    loop {
        match &events[j] {
            Event::Text(t) => {
                for (k, c) in t[..limit].char_indices().rev() {
                    match c {
                        ']' => depth += 1,
                        '[' if depth == 0 => return (tags == 0).then_some((j, k)),
                        '[' => depth -= 1,
                        _ => {}
                    }
                }
            }
            Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => tags += 1,
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }) => {
                tags -= 1;
                if tags < 0 {
                    return None;
                }
            }
            Event::Code(_) | Event::SoftBreak | Event::HardBreak | Event::InlineHtml(_) => {}
            _ => return None,
        }
        if j == 0 {
            return None;
        }
        j -= 1;
        limit = text_of(&events[j]).len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(md: &str) -> String {
        let mut events: Vec<Event> = crate::render::parser(md).collect();
        leaked_links(&mut events, &|u| Some(u.to_string()));
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    #[test]
    fn coalesce_joins_each_run_of_texts() {
        let mut events: Vec<Event> = vec![
            Event::Text("a".into()),
            Event::Text("b".into()),
            Event::Text("c".into()),
            Event::SoftBreak,
            Event::Text("d".into()),
            Event::Code("e".into()),
            Event::Text("f".into()),
            Event::Text("g".into()),
        ];
        coalesce(&mut events);
        assert_eq!(
            events,
            [
                Event::Text("abc".into()),
                Event::SoftBreak,
                Event::Text("d".into()),
                Event::Code("e".into()),
                Event::Text("fg".into()),
            ]
        );
    }

    #[test]
    fn link_in_link_text() {
        let html = run("select [[Already a partner?](partner)](https://aka.ms/a) to go");
        assert!(html.contains(r#"<a href="https://aka.ms/a">"#), "{html}");
        assert!(!html.contains("]("), "{html}");
    }

    #[test]
    fn lost_parenthesis() {
        let html = run("see [here](https://d.example/ff(v=1). Then more");
        assert!(
            html.contains(r#"<a href="https://d.example/ff(v=1)">here</a>"#),
            "{html}"
        );
        assert!(html.contains(". Then more"), "{html}");
    }

    #[test]
    fn lost_bracket() {
        let html = run("**General** > **Storage**](https://o.example/s), or");
        assert!(
            html.contains(r#"<a href="https://o.example/s">https://o.example/s</a>, or"#),
            "{html}"
        );
        let html = run("**[A]** > [B]](https://o.example/b) x");
        assert!(
            html.contains(r#"<a href="https://o.example/b">B]</a> x"#),
            "{html}"
        );
    }

    /// The three shapes of `../shared/corpus` (`outlook-com-over-quota.md`,
    /// `import-a-pst-file-…`, `monitoring-conditional-access.md`).
    #[test]
    fn white_space_inside_the_syntax() {
        let html = run("**Allmänt** >  **Lagring**] ( https://o.example/s) eller så");
        assert!(
            html.contains(r#"<strong>Lagring</strong> <a href="https://o.example/s">https://o.example/s</a> eller så"#),
            "{html}"
        );
        let html = run("- [Importera information] (https://s.example/import-b4a6");
        assert!(
            html.contains(
                r#"<li><a href="https://s.example/import-b4a6">Importera information</a></li>"#
            ),
            "{html}"
        );
        let html = run("finns [här]( https://d.example/ff(v=exchg.141) .");
        assert!(
            html.contains(r#"finns <a href="https://d.example/ff(v=exchg.141)">här</a> .</p>"#),
            "{html}"
        );
        for html in [
            run("**A**] ( https://o.example/s)"),
            run("[B] (https://s.example/i"),
            run("[C]( https://d.example/ff(v=1) ."),
        ] {
            assert!(!html.contains("](") && !html.contains("] ("), "{html}");
        }
    }

    fn places_in(md: &str) -> Vec<usize> {
        let (events, offsets): (Vec<Event>, Vec<usize>) = crate::render::parser(md)
            .into_offset_iter()
            .map(|(e, r)| (e, r.start))
            .unzip();
        places(&events, &offsets, md)
    }

    #[test]
    fn places_are_the_brackets_of_leaks_only() {
        let md = "[ok](https://a.example) and **x**] ( https://b.example) then\n\n\
                  [y] (https://c.example and [z]( https://d.example(v=1) .";
        let want: Vec<usize> = ["] ( https://b", "] (https://c", "]( https://d"]
            .iter()
            .map(|n| md.find(n).expect("needle"))
            .collect();
        assert_eq!(places_in(md), want);
        assert!(places_in("[a]( https://a.example ) [1] (see) `[x] (https://c)`").is_empty());
    }

    #[test]
    fn leaves_plain_brackets() {
        assert_eq!(run("a [b] (c) and ](d)"), "<p>a [b] (c) and ](d)</p>\n");
    }
}
