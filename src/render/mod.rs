//! Stage 4: one article's Markdown → safe HTML, its headings and its findings.
//!
//! 1. [`includes`] splices `[!INCLUDE[title](path)]` lines in (same locale,
//!    then the English), with cycle detection.
//! 2. pulldown-cmark parses the text (options in [`parser`], the only place
//!    they are set) into events; a block that would make more elements than
//!    [`budget`] allows is shown as plain text instead.
//! 3. One pass over the events: headings get ids (the English `<a name>`
//!    anchor the files carry, else a slug that keeps Unicode letters) and are
//!    collected for the page's table of contents; DocFX alerts become titled
//!    notes in the page's language; `> [!VIDEO url]` becomes a player for
//!    allowed hosts; links and images are resolved by [`links`]; raw HTML
//!    tags that are not HTML (`<email address>` in prose) become text.
//! 4. Links the translation broke (`[[a](b)](url)`, a lost `)`, `] (url`)
//!    are repaired ([`repair`]) and reported (`markup::broken-link`).
//! 5. Spaces between Chinese or Japanese sentences are dropped ([`cjk`]).
//! 6. The HTML is cleaned by the allow-list sanitiser ([`sanitize`]).
//!
//! Pure: the caller supplies everything this needs to know about other files
//! through [`Env`]; no I/O.

pub mod anchors;
pub mod budget;
pub mod cjk;
pub mod context;
pub mod includes;
pub mod links;
mod nesting;
mod repair;
pub mod sanitize;
pub mod segments;
mod slug;

use crate::diag::{Finding, Pos};
use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

pub use slug::slug;

/// A heading of the rendered page, for its "on this page" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The rendered article.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub findings: Vec<Finding>,
    /// The block each marked segment stands in (empty when none were marked).
    pub kinds: Vec<segments::BlockKind>,
}

/// Localized alert titles.
#[derive(Debug, Clone, Default)]
pub struct AlertTitles {
    pub note: String,
    pub tip: String,
    pub important: String,
    pub warning: String,
    pub caution: String,
    pub video: String,
}

/// What rendering needs to know about the rest of the site.
pub struct Env<'a> {
    /// The file shown in findings.
    pub file: &'a str,
    /// Resolves links and images (see [`links::Resolver`]).
    pub links: &'a dyn links::Resolver,
    /// Supplies include files (see [`includes::Source`]).
    pub includes: &'a dyn includes::Source,
    pub alerts: &'a AlertTitles,
    /// Hosts whose videos are embedded.
    pub video_hosts: &'a [String],
    pub sanitizer: &'a sanitize::Sanitizer,
    /// The place in the file of a byte offset of the rendered document (as
    /// given to [`render`], before includes are spliced in): how findings
    /// get their line and column ([`crate::check::position`]).
    pub place: &'a dyn Fn(usize) -> Pos,
    /// Segments to mark in the page (see [`segments`]); empty for none.
    pub marks: &'a [segments::Mark],
    pub mark_style: segments::Style,
    /// Screen-reader note for a sentence whose English has changed.
    pub stale_note: &'a str,
    /// The English (inline Markdown) of each mark of a translation, in the
    /// order of `marks`: where a link of the translation has no text, the
    /// English text of that link fills it. Empty for none.
    pub english: &'a [&'a str],
    /// The English's language tag (`source-language`, checked as a tag
    /// when the config is read), for `lang` on that English text.
    pub english_lang: &'a str,
}

/// The pulldown-cmark options every render uses.
pub fn parser(text: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(text, options)
}

/// Renders one article body (`markdown`, the target or source document).
pub fn render(markdown: &str, env: &Env) -> Rendered {
    let mut findings = Vec::new();
    let (text, splices) =
        includes::expand(markdown, env.file, env.includes, env.place, &mut findings);
    // Segment offsets refer to `markdown`: moved past the included text.
    // (Regression: an article with an include had no segment marks, so Show
    // English showed nothing on it.)
    let shifted: Vec<segments::Mark>;
    let marks = if splices.is_empty() {
        env.marks
    } else {
        shifted = env
            .marks
            .iter()
            .map(|m| segments::Mark {
                range: includes::shift(m.range.clone(), &splices),
                stale: m.stale,
            })
            .collect();
        &shifted
    };
    let plain = budget::plain_parts(&text);
    for p in &plain {
        findings.push(Finding::new(
            crate::diag::lint::LIMIT_ELEMENTS,
            env.file,
            (env.place)(includes::unshift(p.range.start, &splices)),
            p.message(),
        ));
    }
    let mut limit = nesting::Limit::new(budget::events(&text, &plain));
    // The events stream from the parser, one top-level block at a time,
    // through the segment marks (if any), the pass and into the HTML, so
    // that no list of the page's events is held (250,000 headings were
    // 60 MB of them, twice; 20,000 marked pairs 20 MB).
    let mut marker = segments::Marker::new(marks, env.mark_style, env.stale_note);
    let first_link_finding = findings.len();
    let mut pass = Pass {
        env,
        splices: &splices,
        at: 0,
        out: Vec::new(),
        headings: Vec::new(),
        ids: HashSet::new(),
        next_suffix: HashMap::new(),
        html_depth: nesting::HtmlDepth::default(),
        tally: crate::diag::Tally::default(),
        findings,
        dropped_links: Vec::new(),
        open_link: None,
        needs_sanitizer: false,
        explicit: HashSet::new(),
        whole_page: true,
    };
    let resolve = |url: &str| match env.links.link(url, None) {
        links::Target::Url(u) => Some(u),
        links::Target::Drop(_) | links::Target::Refused => None,
    };
    let mut html = String::with_capacity(text.len() * 3 / 2);
    let mut broken_links = Vec::new();
    {
        let mut marked: std::collections::VecDeque<(Event, usize)> = Default::default();
        let mut finished = false;
        let mut out = Vec::new();
        let (limit, marker) = (&mut limit, &mut marker);
        let mut source = std::iter::from_fn(|| {
            if marks.is_empty() {
                return limit.next().map(|(e, r)| (e, r.start));
            }
            loop {
                if let Some(e) = marked.pop_front() {
                    return Some(e);
                }
                if finished {
                    return None;
                }
                match limit.next() {
                    Some((e, r)) => marker.push(e, r, &mut out),
                    None => {
                        marker.finish(&mut out);
                        finished = true;
                    }
                }
                marked.extend(out.drain(..));
            }
        });
        let mut ready: std::collections::VecDeque<Event> = std::collections::VecDeque::new();
        let (mut events, mut offsets) = (Vec::new(), Vec::new());
        let broken = &mut broken_links;
        let stream = std::iter::from_fn(|| loop {
            if let Some(e) = ready.pop_front() {
                return Some(e);
            }
            if !next_block(&mut source, &mut events, &mut offsets) {
                return None;
            }
            // A block shown as plain text keeps its characters as written
            // (and repairing links in 2 MB of text would cost its square).
            let as_written = offsets
                .first()
                .is_some_and(|at| plain.binary_search_by_key(at, |p| p.range.start).is_ok());
            if !as_written {
                // A link broken across lines of its block is within it.
                broken.extend(repair::places(&events, &offsets, &text));
            }
            pass.run(std::mem::take(&mut events), &offsets);
            offsets.clear();
            if !as_written {
                // Both work within a block.
                repair::leaked_links(&mut pass.out, &resolve);
                cjk::drop_spaces(&mut pass.out);
            }
            ready.extend(pass.out.drain(..));
        });
        pulldown_cmark::html::push_html(&mut html, stream);
    }
    let needs_sanitizer = pass.needs_sanitizer;
    let tally = std::mem::take(&mut pass.tally);
    tally.finish(&mut pass.findings[first_link_finding..]);
    for at in broken_links {
        pass.findings.push(Finding::new(
            crate::diag::lint::MARKUP_BROKEN_LINK,
            env.file,
            (env.place)(includes::unshift(at, &splices)),
            "broken link syntax shown as text (white space between `]`, `(` and the URL, \
             or a lost `[` or `)`): the page shows the link repaired"
                .to_string(),
        ));
    }
    if let Some(at) = limit.first_dropped {
        pass.findings.push(Finding::new(
            crate::diag::lint::LIMIT_NESTING,
            env.file,
            (env.place)(includes::unshift(at, &splices)),
            format!(
                "Markdown nested deeper than {} levels (block quotes, lists, emphasis, \
                 links) from here: the deeper levels are flattened, their text kept",
                nesting::MAX_DEPTH
            ),
        ));
    }
    // The parser's tree is not needed past here.
    drop(limit);
    crate::diag::cap(&mut pass.findings);
    Rendered {
        html: if needs_sanitizer {
            env.sanitizer.clean(&html)
        } else {
            html
        },
        headings: pass.headings,
        findings: pass.findings,
        kinds: marker.kinds,
    }
}

/// Reads the next top-level block (its events, each with its offset) from
/// `source` into `events` and `offsets`; false when there is none.
fn next_block<'t>(
    source: &mut dyn Iterator<Item = (Event<'t>, usize)>,
    events: &mut Vec<Event<'t>>,
    offsets: &mut Vec<usize>,
) -> bool {
    let mut depth = 0usize;
    for (e, at) in source {
        match &e {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        events.push(e);
        offsets.push(at);
        if depth == 0 {
            return true;
        }
    }
    !events.is_empty()
}

/// The links of inline Markdown: (URL as written, plain text).
fn link_texts(markdown: &str) -> Vec<(String, String)> {
    let mut links: Vec<(String, String)> = Vec::new();
    let mut open = false;
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push((dest_url.to_string(), String::new()));
                open = true;
            }
            Event::End(TagEnd::Link) => open = false,
            Event::Text(t) | Event::Code(t) if open => {
                if let Some((_, text)) = links.last_mut() {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    links
}

/// Renders the segment at `range` of the document `doc` (a translation or
/// its English) to sanitised HTML without a wrapping paragraph, read as its
/// block reads it ([`context`]): the one way a sentence is shown on its own.
pub fn segment(doc: &str, range: std::ops::Range<usize>, env: &Env) -> String {
    match context::markdown(doc, range) {
        Some(markdown) => inline(&markdown, env),
        None => String::new(),
    }
}

/// Renders one segment's inline Markdown (a translation or its English) to
/// sanitised HTML without a wrapping paragraph.
pub fn inline(markdown: &str, env: &Env) -> String {
    if is_plain_text(markdown) {
        return markdown.to_string();
    }
    if let Some(html) = strong_only(markdown) {
        return html;
    }
    let mut pass = Pass {
        env,
        splices: &[],
        at: 0,
        out: Vec::new(),
        headings: Vec::new(),
        ids: HashSet::new(),
        next_suffix: HashMap::new(),
        html_depth: nesting::HtmlDepth::default(),
        tally: crate::diag::Tally::default(),
        findings: Vec::new(),
        dropped_links: Vec::new(),
        open_link: None,
        needs_sanitizer: false,
        explicit: HashSet::new(),
        whole_page: false,
    };
    // Inline only: no headings, lists or alerts from a sentence.
    let plain = budget::plain_parts(markdown);
    let events: Vec<Event> = nesting::Limit::new(budget::events(markdown, &plain))
        .map(|(e, _)| e)
        .filter(|e| !matches!(e, Event::Start(_) | Event::End(_)) || is_inline_tag(e))
        .collect();
    for e in events {
        pass.inline(e);
    }
    let resolve = |url: &str| match env.links.link(url, None) {
        links::Target::Url(u) => Some(u),
        links::Target::Drop(_) | links::Target::Refused => None,
    };
    repair::leaked_links(&mut pass.out, &resolve);
    let needs_sanitizer = pass.needs_sanitizer;
    let mut html = String::with_capacity(markdown.len() + 16);
    pulldown_cmark::html::push_html(&mut html, pass.out.into_iter());
    if needs_sanitizer {
        env.sanitizer.clean(html.trim_end())
    } else {
        html.trim_end().to_string()
    }
}

/// Whether `text` renders inline as itself: one line that starts with a
/// letter (no block marker), ends without whitespace, and has none of the
/// characters that start Markdown or HTML syntax or need escaping. Most
/// sentences are like this, and need no parser.
fn is_plain_text(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphabetic)
        && !text.ends_with(char::is_whitespace)
        && !text.bytes().any(|b| {
            matches!(
                b,
                b'\n'
                    | b'\r'
                    | b'\t'
                    | b'\\'
                    | b'`'
                    | b'*'
                    | b'_'
                    | b'['
                    | b']'
                    | b'<'
                    | b'>'
                    | b'&'
                    | b'!'
                    | b'~'
                    | b'|'
                    | b'$'
                    | b'{'
                    | b'}'
            )
        })
}

/// Where the `**` runs of a sentence whose only Markdown is strong
/// emphasis are (their byte offsets; they pair in turn), as
/// about one in five are ("Select **Settings** > **Mail**."): runs of
/// exactly two `*` that open and close in turn, each able to do what its
/// turn asks by CommonMark's flanking rules, next to letters, digits, spaces or
/// ASCII punctuation; none of the other characters [`is_plain_text`] turns
/// away except `>` (text). None for anything else, which the parser
/// reads.
fn strong_runs(text: &str) -> Option<Vec<usize>> {
    let first = text.chars().next()?;
    if !(first.is_alphabetic() || text.starts_with("**")) || text.ends_with(char::is_whitespace) {
        return None;
    }
    if text.bytes().any(|b| {
        matches!(
            b,
            b'\n'
                | b'\r'
                | b'\t'
                | b'\\'
                | b'`'
                | b'_'
                | b'['
                | b']'
                | b'<'
                | b'&'
                | b'!'
                | b'~'
                | b'|'
                | b'$'
                | b'{'
                | b'}'
        )
    }) {
        return None;
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Class {
        Space,
        Punctuation,
        Word,
    }
    // The class of a run's neighbour (None: the start or the end of the
    // text), or None where it is not certain.
    let class = |c: Option<char>| match c {
        None | Some(' ') => Some(Class::Space),
        Some(c) if c.is_ascii_punctuation() => Some(Class::Punctuation),
        // The commonest CJK punctuation (all Unicode punctuation, P*).
        Some(
            '、' | '。' | '「' | '」' | '『' | '』' | '【' | '】' | '（' | '）' | '，' | '：'
            | '；' | '？' | '！' | '．',
        ) => Some(Class::Punctuation),
        Some(c) if c.is_ascii_alphanumeric() => Some(Class::Word),
        // Letters of Latin-1 and Latin Extended-A and -B, CJK ideographs,
        // kana and Hangul syllables; other characters (other scripts,
        // symbols, white space past ASCII) are left to the parser.
        Some(c) if matches!(c, '\u{c0}'..='\u{24f}') && !matches!(c, '\u{d7}' | '\u{f7}') => {
            Some(Class::Word)
        }
        Some(
            '\u{4e00}'..='\u{9fff}'
            | '\u{3041}'..='\u{3096}'
            | '\u{30a1}'..='\u{30fa}'
            | '\u{ac00}'..='\u{d7a3}',
        ) => Some(Class::Word),
        Some(_) => None,
    };
    let mut runs = Vec::new();
    let mut open = false;
    let mut rest = text;
    while let Some(at) = rest.find('*') {
        let run = rest[at..].bytes().take_while(|&b| b == b'*').count();
        if run != 2 {
            return None;
        }
        // Runs are whole, so only the first starts a text with nothing
        // before it.
        let piece = &rest[..at];
        let prev = piece.chars().next_back();
        let next = rest[at + 2..].chars().next();
        let (p, n) = (class(prev)?, class(next)?);
        let left = n != Class::Space
            && (n != Class::Punctuation || matches!(p, Class::Space | Class::Punctuation));
        let right = p != Class::Space
            && (p != Class::Punctuation || matches!(n, Class::Space | Class::Punctuation));
        // Runs pair up in turn: each must be able to do what its turn
        // asks (a run that can do both, as between two letters, does it).
        if (open && !right) || (!open && !left) {
            return None;
        }
        runs.push(text.len() - rest.len() + at);
        open = !open;
        rest = &rest[at + 2..];
    }
    (!open).then_some(runs)
}

/// [`inline`] of a sentence [`strong_runs`] reads.
fn strong_only(text: &str) -> Option<String> {
    let runs = strong_runs(text)?;
    let mut out = String::with_capacity(text.len() + 16 * runs.len());
    let mut at = 0;
    for (i, &run) in runs.iter().enumerate() {
        escape_text(&mut out, &text[at..run]);
        out.push_str(if i % 2 == 0 { "<strong>" } else { "</strong>" });
        at = run + 2;
    }
    escape_text(&mut out, &text[at..]);
    Some(out)
}

/// How many strong spans a sentence [`strong_runs`] reads has: all its
/// Markdown (for `markup::` lints, which count it).
pub fn strong_pairs(text: &str) -> Option<usize> {
    strong_runs(text).map(|runs| runs.len() / 2)
}

/// Text as the HTML writer escapes it between tags.
fn escape_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '>' => out.push_str("&gt;"),
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
}

fn is_inline_tag(e: &Event) -> bool {
    matches!(
        e,
        Event::Start(
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
        ) | Event::End(
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
        )
    )
}

struct Pass<'e, 'a> {
    env: &'e Env<'a>,
    /// The include directives spliced into the text, to map offsets back.
    splices: &'e [includes::Splice],
    /// The offset (in the expanded text) of the event being handled.
    at: usize,
    out: Vec<Event<'e>>,
    headings: Vec<Heading>,
    ids: HashSet<String>,
    /// For each wanted id that was taken: the next number to try after it
    /// (`-1`, `-2`, …), so that many equal headings cost linear time.
    next_suffix: HashMap<String, usize>,
    /// Raw HTML elements open, to keep their nesting bounded.
    html_depth: nesting::HtmlDepth,
    /// Link findings counted, so that only those listed are placed.
    tally: crate::diag::Tally,
    findings: Vec<Finding>,
    /// For each open link: whether it was dropped (its End must be dropped too).
    dropped_links: Vec<bool>,
    /// The URL of the open link as the Markdown wrote it (links do not nest).
    open_link: Option<String>,
    /// Raw HTML or a URL that only the sanitiser can judge was seen. Pages
    /// without (most of them) are made only of HTML that pulldown-cmark
    /// wrote and escaped itself, and skip the sanitiser's full parse.
    needs_sanitizer: bool,
    /// Ids given by explicit anchors (`<a name>`, `{#id}`) so far.
    explicit: HashSet<String>,
    /// A whole page, not a sentence rendered on its own.
    whole_page: bool,
}

impl<'e, 'a> Pass<'e, 'a> {
    fn run<'t>(&mut self, events: Vec<Event<'t>>, offsets: &[usize])
    where
        't: 'e,
    {
        let mut i = 0;
        while i < events.len() {
            self.at = offsets.get(i).copied().unwrap_or(self.at);
            match &events[i] {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let end = find_end(&events, i);
                    let inner = (i + 1).min(end)..end;
                    self.heading(*level, id.clone(), &events[inner.clone()], &offsets[inner]);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::BlockQuote(kind)) => {
                    if let Some(skip) = self.video(&events, i) {
                        i = skip;
                        continue;
                    }
                    self.alert_start(*kind);
                }
                Event::End(TagEnd::BlockQuote(kind)) => self.alert_end(*kind),
                _ => self.inline(events[i].clone()),
            }
            i += 1;
        }
    }

    /// Events inside blocks: links, images, raw HTML.
    fn inline<'t>(&mut self, event: Event<'t>)
    where
        't: 'e,
    {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match self.env.links.link(&dest_url, self.page_place(&dest_url)) {
                links::Target::Url(url) => {
                    self.needs_sanitizer |= !sanitize::is_safe_url(&url);
                    self.dropped_links.push(false);
                    self.open_link = Some(dest_url.to_string());
                    self.out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: url.into(),
                        title,
                        id,
                    }));
                }
                links::Target::Drop(problem) => {
                    self.dropped_links.push(true);
                    self.report(problem);
                }
                links::Target::Refused => self.dropped_links.push(true),
            },
            Event::End(TagEnd::Link) => {
                let url = self.open_link.take();
                if !self.dropped_links.pop().unwrap_or(false) {
                    let empty = matches!(self.out.last(), Some(Event::Start(Tag::Link { .. })));
                    if let (true, Some(text)) = (empty, url.and_then(|u| self.english_text(&u))) {
                        // The reader would see nothing to click: the
                        // English of the link, marked as English.
                        let open = format!("<span lang=\"{}\">", self.env.english_lang);
                        self.out.push(Event::InlineHtml(open.into()));
                        self.out.push(Event::Text(text.into()));
                        self.out.push(Event::InlineHtml("</span>".into()));
                    }
                    self.out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let url = match self.env.links.image(&dest_url) {
                    links::Target::Url(url) => {
                        self.needs_sanitizer |= !sanitize::is_safe_url(&url);
                        url
                    }
                    links::Target::Drop(problem) => {
                        self.report(problem);
                        String::new()
                    }
                    links::Target::Refused => String::new(),
                };
                self.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: url.into(),
                    title,
                    id,
                }));
            }
            Event::Html(raw) => {
                self.explicit_anchors(&raw);
                let html = self.vet_html(&raw);
                self.needs_sanitizer |= !sanitize::is_plain_markup(&html);
                self.out.push(Event::Html(html.into()))
            }
            Event::InlineHtml(raw) => {
                self.explicit_anchors(&raw);
                let html = self.vet_html(&raw);
                self.needs_sanitizer |= !sanitize::is_plain_markup(&html);
                self.out.push(Event::InlineHtml(html.into()))
            }
            other => self.out.push(other),
        }
    }

    fn heading<'t>(
        &mut self,
        level: HeadingLevel,
        explicit: Option<CowStr<'t>>,
        inner: &[Event<'t>],
        offsets: &[usize],
    ) where
        't: 'e,
    {
        let start = self.at;
        let mut anchor = None;
        let mut text = String::new();
        let mut body: Vec<(Event, usize)> = Vec::with_capacity(inner.len());
        for (k, e) in inner.iter().enumerate() {
            self.at = offsets.get(k).copied().unwrap_or(self.at);
            match e {
                Event::InlineHtml(raw) if anchor_name(raw).is_some() && anchor.is_none() => {
                    self.explicit_anchors(raw);
                    anchor = anchor_name(raw);
                }
                Event::InlineHtml(raw)
                    if raw.trim() == "</a>" && anchor.is_some() && body.is_empty() => {}
                Event::Text(t) | Event::Code(t) => {
                    text.push_str(t);
                    body.push((e.clone(), self.at));
                }
                _ => body.push((e.clone(), self.at)),
            }
        }
        let text = text.trim().to_string();
        self.at = start;
        if let Some(id) = &explicit {
            self.explicit_id(id);
        }
        let wanted = explicit
            .map(|s| s.to_string())
            .or(anchor)
            .unwrap_or_else(|| slug(&text));
        let id = self.unique_id(if wanted.is_empty() {
            "section".into()
        } else {
            wanted
        });
        self.out.push(Event::Start(Tag::Heading {
            level,
            id: Some(id.clone().into()),
            classes: Vec::new(),
            attrs: Vec::new(),
        }));
        for (e, at) in body {
            self.at = at;
            self.inline(e);
        }
        self.out.push(Event::End(TagEnd::Heading(level)));
        self.headings.push(Heading {
            level: level as u8,
            id,
            text,
        });
    }

    /// Notes the explicit anchors of a piece of raw HTML.
    fn explicit_anchors(&mut self, raw: &str) {
        if raw.contains("<a") || raw.contains("<A") {
            for id in anchors::anchor_ids(raw) {
                self.explicit_id(&id);
            }
        }
    }

    /// Where a link of the page's own text stands (None while rendering a
    /// sentence on its own).
    /// The English text of the link to `url` in the English of the
    /// segment being rendered: the link with the same URL, else the
    /// English's only link. None outside a page's marked segments.
    fn english_text(&self, url: &str) -> Option<String> {
        if !self.whole_page || self.env.english.is_empty() {
            return None;
        }
        let at = includes::unshift(self.at, self.splices);
        let i = self.env.marks.iter().position(|m| m.range.contains(&at))?;
        let links = link_texts(self.env.english.get(i)?);
        let text = match links.iter().find(|(u, _)| u == url) {
            Some((_, text)) => text,
            None if links.len() == 1 => &links[0].1,
            None => return None,
        };
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// Where a link of the page's own text stands, for the resolver to
    /// place a `#fragment` finding; placing costs a walk of the text before
    /// it, so only links with a fragment get one (200,000 links were
    /// quadratic).
    fn page_place(&self, url: &str) -> Option<Pos> {
        (self.whole_page && url.contains('#')).then(|| self.place())
    }

    /// Where the event being handled stands in the file.
    fn place(&self) -> Pos {
        (self.env.place)(includes::unshift(self.at, self.splices))
    }

    /// Notes an explicit anchor id, reporting it when an earlier one of the
    /// page has it (`#id` links then go to the first).
    fn explicit_id(&mut self, id: &str) {
        if !self.explicit.insert(id.to_string()) {
            self.findings.push(Finding::new(
                crate::diag::lint::ARTICLE_DUPLICATE_ANCHOR,
                self.env.file,
                self.place(),
                format!("the anchor `{id}` is defined twice; `#{id}` links go to the first"),
            ));
        }
    }

    fn unique_id(&mut self, wanted: String) -> String {
        if self.ids.insert(wanted.clone()) {
            return wanted;
        }
        // Numbers already handed out for `wanted` are not tried again.
        // (Regression: 40,000 equal headings probed `-1`, `-2`, … from the
        // start each time, and took minutes.)
        let next = self.next_suffix.entry(wanted.clone()).or_insert(1);
        loop {
            let candidate = format!("{wanted}-{next}");
            *next += 1;
            if self.ids.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    fn alert_start(&mut self, kind: Option<BlockQuoteKind>) {
        let Some(kind) = kind else {
            self.out.push(Event::Start(Tag::BlockQuote(None)));
            return;
        };
        let a = self.env.alerts;
        let (class, title) = match kind {
            BlockQuoteKind::Note => ("note", &a.note),
            BlockQuoteKind::Tip => ("tip", &a.tip),
            BlockQuoteKind::Important => ("important", &a.important),
            BlockQuoteKind::Warning => ("warning", &a.warning),
            BlockQuoteKind::Caution => ("caution", &a.caution),
        };
        self.out.push(Event::Html(
            format!(
                "<div class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{}</p>\n",
                escape(title)
            )
            .into(),
        ));
    }

    fn alert_end(&mut self, kind: Option<BlockQuoteKind>) {
        if kind.is_some() {
            self.out.push(Event::Html("</div>\n".into()));
        } else {
            self.out.push(Event::End(TagEnd::BlockQuote(None)));
        }
    }

    /// `> [!VIDEO url]`: a block quote whose only paragraph is that marker.
    /// Returns the index after the block quote when it was one.
    fn video(&mut self, events: &[Event], start: usize) -> Option<usize> {
        // Gives up at the first event a video block cannot hold, without
        // looking for the block's end first: for quotes nested thousands
        // deep, that search made each quote cost the rest of the page.
        let mut text = String::new();
        let mut end = None;
        for (i, e) in events.iter().enumerate().skip(start + 1) {
            match e {
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                Event::Text(t) => text.push_str(t),
                Event::End(TagEnd::BlockQuote(_)) => {
                    end = Some(i);
                    break;
                }
                _ => return None,
            }
        }
        let end = end?;
        let url = text
            .trim()
            .strip_prefix("[!VIDEO")?
            .strip_suffix(']')?
            .trim();
        let title = escape(&self.env.alerts.video);
        let html = if crate::url::frame_allowed(url, self.env.video_hosts) {
            format!(
                "<div class=\"video\"><iframe src=\"{}\" title=\"{title}\" loading=\"lazy\" allowfullscreen></iframe></div>\n",
                escape(url)
            )
        } else {
            // Not a frame: a link, resolved like any other.
            match self.env.links.link(url, self.page_place(url)) {
                links::Target::Url(href) if !href.is_empty() => format!(
                    "<p class=\"video-link\"><a href=\"{}\">{title}</a></p>\n",
                    escape(&href)
                ),
                links::Target::Url(_) | links::Target::Refused => String::new(),
                links::Target::Drop(problem) => {
                    self.report(problem);
                    String::new()
                }
            }
        };
        // Generated markup is judged like any other: it goes to the
        // sanitiser unless it is plain.
        self.needs_sanitizer |= !sanitize::is_plain_markup(&html);
        self.out.push(Event::Html(html.into()));
        Some(end + 1)
    }

    /// [`vet_html`] with this page's HTML depth; reports the first tag
    /// left out for it.
    fn vet_html(&mut self, raw: &str) -> String {
        let before = self.html_depth.dropped;
        let html = vet_html(raw, self.env.video_hosts, &mut self.html_depth);
        if before == 0 && self.html_depth.dropped > 0 {
            self.findings.push(Finding::new(
                crate::diag::lint::LIMIT_NESTING,
                self.env.file,
                self.place(),
                format!(
                    "HTML elements nested deeper than {} in this part: the tags past that \
                     depth are left out, their text kept",
                    nesting::MAX_HTML_DEPTH
                ),
            ));
        }
        html
    }

    fn report(&mut self, problem: links::Problem) {
        if !self.tally.wants(problem.lint) {
            return;
        }
        self.findings.push(Finding::new(
            problem.lint,
            self.env.file,
            self.place(),
            problem.message,
        ));
    }
}

/// The index of the `End` matching the `Start` at `start`.
fn find_end(events: &[Event], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, e) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// `<a name="x">` or `<a id="x">` → `x`.
fn anchor_name(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let inner = raw.strip_prefix("<a ")?.strip_suffix('>')?;
    let inner = inner.trim_end_matches('/').trim();
    for attr in ["name=", "id="] {
        if let Some(rest) = inner.strip_prefix(attr) {
            let value = rest.trim_matches(|c| c == '"' || c == '\'');
            if !value.is_empty() && !value.contains(['"', '\'', ' ']) {
                return Some(value.to_string());
            }
        }
    }
    None
}

/// Tags HTML knows pass on to the sanitiser (which keeps or removes them);
/// anything else that looks like a tag (`<email address>`, `<your-domain>`) is
/// prose written with angle brackets, and is escaped so that readers see it.
/// Tags nested deeper than `depth` allows are left out.
fn vet_html(raw: &str, video_hosts: &[String], depth: &mut nesting::HtmlDepth) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        // The tag's name in lower case: borrowed as it is written, mostly.
        let after = tail[1..].trim_start_matches('/');
        let name = &after[..after.bytes().take_while(u8::is_ascii_alphanumeric).count()];
        let name: Cow<str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        let known = sanitize::is_html_tag(&name);
        let closing = tail.starts_with("</");
        let allowed_frame = name == "iframe" && (closing || iframe_allowed(tail, video_hosts));
        if sanitize::is_form_or_frame(&name) && !allowed_frame {
            // Form fields and iframes of unlisted hosts never reach the page
            // (checkboxes come from task lists); the text around them stays.
            let end = tail.find('>').map_or(tail.len(), |e| e + 1);
            rest = &tail[end..];
            continue;
        }
        if !tail.starts_with("<!--") && known {
            let end = tail.find('>').map_or(tail.len(), |e| e + 1);
            let self_closing = tail[..end].trim_end_matches('>').ends_with('/');
            if !depth.keep(&name, closing, self_closing) {
                rest = &tail[end..];
                continue;
            }
        }
        if tail.starts_with("<!--") || known {
            out.push('<');
        } else {
            out.push_str("&lt;");
        }
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// Whether a raw `<iframe …>` tag shows an https page of an allowed video
/// host (the address read as a browser reads it: [`crate::url`]).
fn iframe_allowed(tag: &str, video_hosts: &[String]) -> bool {
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let Some(i) = tag.to_ascii_lowercase().find("src=") else {
        return false;
    };
    let rest = &tag[i + 4..];
    let value = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
        _ => rest.split([' ', '\t', '\n']).next().unwrap_or(""),
    };
    // The sanitiser judges the value again, entities decoded.
    crate::url::frame_allowed(value, video_hosts)
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the parser makes of `text` as one segment: its inline events
    /// only, as HTML.
    fn parsed_inline(text: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            parser(text)
                .filter(|e| !matches!(e, Event::Start(_) | Event::End(_)) || is_inline_tag(e)),
        );
        html.trim_end().to_string()
    }

    #[test]
    fn plain_text_renders_as_itself() {
        for text in [
            "Select Save.",
            "频繁发生 Excel 崩溃？",
            "Välj Spara, sedan OK.",
            "a - b: c. 1. d # e = f + g",
            "x  y",
            "Über 3.5",
            "Click \"OK\" or 'Cancel'.",
        ] {
            assert!(is_plain_text(text), "{text}");
            assert_eq!(parsed_inline(text), text);
        }
        for text in [
            "1. Step",
            "- item",
            "# Title",
            "> quote",
            "a *b*",
            "a <b>",
            "a & b",
            "text ",
            " text",
            "a\nb",
            "",
            "\u{3000}x",
        ] {
            assert!(!is_plain_text(text), "{text:?}");
        }
    }

    #[test]
    fn strong_emphasis_alone_renders_as_the_parser_renders_it() {
        for text in [
            "Select **Settings** > **Mail**.",
            "**Important**: read this.",
            "Välj **Spara** (**Ctrl+S**).",
            "选择**设置**，然后",
            "Go to **Settings**",
            "a**b**c",
        ] {
            let fast = strong_only(text);
            assert!(fast.is_some(), "{text}");
            assert_eq!(
                fast.as_deref(),
                Some(parsed_inline(text).as_str()),
                "{text}"
            );
        }
        // Left to the parser: single stars, longer runs, unmatched or
        // ambiguous runs, runs next to other characters, other syntax.
        for text in [
            "a *b*",
            "a ***b***",
            "a **b",
            "a ** b**",
            "**a** **b",
            "x**(y)**z",
            "a **b** & c",
            "a **[b](c)**",
            "« **a** »",
            "1. **a**",
            "**a**\nb",
            "* **a**",
            // Not left-flanking by CommonMark (a letter before, punctuation
            // after): the stars stay.
            "点击**「设置」**。",
        ] {
            if let Some(fast) = strong_only(text) {
                panic!("{text:?} took the fast path: {fast}");
            }
        }
    }

    /// Every segment of the corpus that the strong-emphasis fast path takes
    /// renders as the parser renders it (skipped where the corpus is absent).
    #[test]
    fn strong_only_fast_path_agrees_on_the_corpus() {
        let Some(articles) = crate::corpus::articles() else {
            return;
        };
        let (mut segments, mut fast) = (0, 0);
        for (_, a) in articles {
            for seg in &a.segments {
                let texts = [
                    context::markdown(&a.target, seg.target_range.clone()),
                    context::markdown(&a.source, seg.source_range.clone()),
                ];
                for text in texts.into_iter().flatten() {
                    segments += 1;
                    if let Some(html) = strong_only(&text) {
                        fast += usize::from(text.contains('*'));
                        assert_eq!(html, parsed_inline(&text), "{text:?}");
                    }
                }
            }
        }
        eprintln!("{fast} of {segments} segments took the strong-emphasis path");
        assert!(fast > segments / 20, "{fast} of {segments}");
    }

    /// Every segment of the corpus that the fast path takes renders as the
    /// parser renders it (skipped where the corpus is absent).
    #[test]
    fn plain_text_fast_path_agrees_on_the_corpus() {
        let (mut segments, mut plain) = (0, 0);
        let found = crate::corpus::each_pair_text(|_, text| {
            segments += 1;
            if is_plain_text(text) {
                plain += 1;
                assert_eq!(&parsed_inline(text), text);
            }
        });
        if !found {
            return;
        }
        eprintln!("{plain} of {segments} segments are plain text");
        assert!(plain > 1000);
    }

    #[test]
    fn anchors() {
        assert_eq!(anchor_name("<a name=\"sspr\">").as_deref(), Some("sspr"));
        assert_eq!(anchor_name("<a href=\"x\">"), None);
    }

    #[test]
    fn prose_brackets_are_text() {
        assert_eq!(
            vet_html("Get-User <email address>", &[], &mut Default::default()),
            "Get-User &lt;email address>"
        );
        assert_eq!(vet_html("<br>", &[], &mut Default::default()), "<br>");
        assert_eq!(
            vet_html("<script>x</script>", &[], &mut Default::default()),
            "<script>x</script>"
        );
        let hosts = ["www.youtube.com".to_string()];
        assert_eq!(
            vet_html(
                "<iframe src=\"https://evil.example/\"></iframe>",
                &hosts,
                &mut Default::default()
            ),
            "</iframe>"
        );
        assert_eq!(
            vet_html(
                "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
                &hosts,
                &mut Default::default()
            ),
            "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>"
        );
        assert_eq!(
            vet_html(
                "a<input type=\"password\">b",
                &hosts,
                &mut Default::default()
            ),
            "ab"
        );
    }
}
