//! Spaces that Chinese and Japanese do not write: an ASCII space between a
//! full-width stop and the next sentence (`句子。 下一句`), left where the
//! hand-off joined its sentences with a space, shows as a gap in the line.
//! Dropped at render when the text on both sides is CJK; the source is
//! untouched. Works on one page's events, across the segment spans and
//! inline formatting that stand between the two sentences, never across
//! blocks.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The full-width stops that end a sentence.
fn is_stop(c: char) -> bool {
    matches!(c, '。' | '．' | '！' | '？')
}

/// Han, kana, CJK punctuation and full-width forms: text written without
/// spaces between sentences. (Korean writes spaces, so Hangul is not.)
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF      // CJK punctuation, Hiragana, Katakana
        | 0x3400..=0x4DBF    // Han extension A
        | 0x4E00..=0x9FFF    // Han
        | 0xF900..=0xFAFF    // Han compatibility
        | 0xFF00..=0xFFEF    // full-width forms
        | 0x20000..=0x3FFFF) // Han extensions B and later
}

/// Events a sentence runs through: segment spans and inline formatting.
fn transparent(e: &Event) -> bool {
    matches!(
        e,
        Event::InlineHtml(_)
            | Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link)
    )
}

/// Drops each run of ASCII spaces after a full-width stop and before CJK
/// text in `events`; returns how many runs were dropped.
pub fn drop_spaces(events: &mut [Event]) -> usize {
    let mut dropped = 0;
    // The last character of text seen in this block was a stop.
    let mut after_stop = false;
    // A run of spaces after a stop that ends its text event: (event, byte).
    let mut pending: Option<(usize, usize)> = None;
    for i in 0..events.len() {
        let Event::Text(text) = &events[i] else {
            if let Event::Code(code) = &events[i] {
                if let (Some((j, at)), Some(c)) = (pending, code.chars().next()) {
                    if is_cjk(c) {
                        truncate(&mut events[j], at);
                        dropped += 1;
                    }
                }
                pending = None;
                after_stop = false;
            } else if !transparent(&events[i]) {
                pending = None;
                after_stop = false;
            }
            continue;
        };
        if let Some((j, at)) = pending.take() {
            if text.chars().next().is_some_and(is_cjk) {
                truncate(&mut events[j], at);
                dropped += 1;
            }
        }
        let Event::Text(text) = &events[i] else {
            continue;
        };
        if !after_stop && !may_hold_stop(text) {
            // Nothing to drop, nor a stop at its end: most text of most
            // languages.
            continue;
        }
        let (kept, runs, tail) = scan(text, after_stop);
        after_stop = text.chars().last().is_some_and(is_stop);
        if let Some(at) = tail {
            pending = Some((i, at));
        }
        if runs > 0 {
            dropped += runs;
            events[i] = Event::Text(CowStr::from(kept));
        }
    }
    dropped
}

/// Whether `text` may hold a full-width stop: each is encoded in UTF-8
/// with a first byte of 0xE3 (`。`) or 0xEF (the full-width forms).
fn may_hold_stop(text: &str) -> bool {
    text.bytes().any(|b| b == 0xe3 || b == 0xef)
}

/// `text` without its space runs between a stop and CJK text (`after_stop`:
/// the text before it ended with a stop); how many runs went; and where a
/// run after a stop that reaches the end starts in the result.
fn scan(text: &str, after_stop: bool) -> (String, usize, Option<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut stop = after_stop;
    let mut runs = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == ' ' && stop {
            let mut end = at + 1;
            while let Some(&(_, ' ')) = chars.peek() {
                chars.next();
                end += 1;
            }
            match text[end..].chars().next() {
                None => return (out.clone() + &text[at..], runs, Some(out.len())),
                Some(next) if is_cjk(next) => runs += 1,
                Some(_) => out.push_str(&text[at..end]),
            }
            stop = false;
            continue;
        }
        out.push(c);
        stop = is_stop(c);
    }
    (out, runs, None)
}

/// Cuts a text event at byte `at`.
fn truncate(event: &mut Event, at: usize) {
    if let Event::Text(text) = event {
        let kept = text[..at].to_string();
        *event = Event::Text(kept.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dropped(events: &[&str]) -> (Vec<String>, usize) {
        let mut events: Vec<Event> = events
            .iter()
            .map(|t| match t.strip_prefix('<') {
                Some(_) => Event::InlineHtml(t.to_string().into()),
                None => Event::Text(t.to_string().into()),
            })
            .collect();
        let n = drop_spaces(&mut events);
        let texts = events
            .iter()
            .map(|e| match e {
                Event::Text(t) | Event::InlineHtml(t) => t.to_string(),
                _ => String::new(),
            })
            .collect();
        (texts, n)
    }

    #[test]
    fn a_space_between_cjk_sentences_goes() {
        assert_eq!(
            dropped(&["句子。 下一句"]),
            (vec!["句子。下一句".into()], 1)
        );
        assert_eq!(
            dropped(&["終わり！  次へ？ 「はい」"]).0,
            ["終わり！次へ？「はい」"]
        );
        // Across segment spans: the space is its own event or ends one.
        let (texts, n) = dropped(&["<span>", "句子。", "</span>", " ", "<span>", "下一句"]);
        assert_eq!(texts.concat(), "<span>句子。</span><span>下一句");
        assert_eq!(n, 1);
        let (texts, _) = dropped(&["句子。 ", "<span>", "下一句"]);
        assert_eq!(texts.concat(), "句子。<span>下一句");
    }

    #[test]
    fn other_spaces_stay() {
        for kept in [
            "句子。 Office 365",
            "Office. 下一句",
            "句子， 下一句",
            "문장입니다。 다음",
            "a。 b",
        ] {
            assert_eq!(dropped(&[kept]), (vec![kept.to_string()], 0), "{kept}");
        }
        // A block in between: the paragraphs are not joined.
        let mut events = vec![
            Event::Text("句子。 ".into()),
            Event::End(TagEnd::Paragraph),
            Event::Text("下一句".into()),
        ];
        assert_eq!(drop_spaces(&mut events), 0);
    }

    #[test]
    fn text_passed_over_holds_no_stop() {
        for stop in ['。', '．', '！', '？'] {
            assert!(
                is_stop(stop) && may_hold_stop(&format!("a{stop}b")),
                "{stop}"
            );
        }
        assert!(!may_hold_stop(
            "Sentence. Ünïcödé — “quoted” 문장입니다. Фраза."
        ));
        // Text without a stop after text that ended with one still loses
        // its leading space.
        let (texts, n) = dropped(&["句子。", "<span>", " 下一句"]);
        assert_eq!((texts.concat().as_str(), n), ("句子。<span>下一句", 1));
    }
}
