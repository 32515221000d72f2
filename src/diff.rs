//! Differences between two texts: the one module that uses the `similar`
//! crate. A unified diff of lines (`import --diff`) and a word-level
//! difference of two English sentences (the changed rows of the
//! side-by-side page).

/// A unified diff of `old` and `new` with no context lines, headed by
/// `a/<name>` and `b/<name>`.
pub fn unified_lines(old: &str, new: &str, name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(0)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// One stretch of a word-level difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// In both texts.
    Same(String),
    /// Only in the old text.
    Removed(String),
    /// Only in the new text.
    Added(String),
}

/// The word-level difference between `old` and `new`: words, and the
/// spaces and punctuation between them one character at a time;
/// neighbouring stretches of one kind joined.
pub fn words(old: &str, new: &str) -> Vec<Change> {
    let (old, new) = (tokens(old), tokens(new));
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_slices(&old, &new);
    let mut out: Vec<Change> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        let next = match change.tag() {
            similar::ChangeTag::Equal => Change::Same(text.to_string()),
            similar::ChangeTag::Delete => Change::Removed(text.to_string()),
            similar::ChangeTag::Insert => Change::Added(text.to_string()),
        };
        match (out.last_mut(), next) {
            (Some(Change::Same(a)), Change::Same(b))
            | (Some(Change::Removed(a)), Change::Removed(b))
            | (Some(Change::Added(a)), Change::Added(b)) => a.push_str(&b),
            (_, next) => out.push(next),
        }
    }
    out
}

/// Words (runs of letters and digits) and every other character on its
/// own, so that `**Save**` differs from `**Apply**` in the word only.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        out.push(&text[i..i + c.len_utf8()]);
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// [`words`] as HTML: the text escaped, removed stretches in `<del>` and
/// added ones in `<ins>`.
pub fn words_html(old: &str, new: &str) -> String {
    let mut html = String::new();
    for change in words(old, new) {
        match change {
            Change::Same(t) => html.push_str(&escape(&t)),
            Change::Removed(t) => {
                html.push_str("<del>");
                html.push_str(&escape(&t));
                html.push_str("</del>");
            }
            Change::Added(t) => {
                html.push_str("<ins>");
                html.push_str(&escape(&t));
                html.push_str("</ins>");
            }
        }
    }
    html
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_word() {
        assert_eq!(
            words("Select Save now.", "Select Apply now."),
            [
                Change::Same("Select ".into()),
                Change::Removed("Save".into()),
                Change::Added("Apply".into()),
                Change::Same(" now.".into()),
            ]
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            words_html("a <b> c", "a <i> c"),
            "a &lt;<del>b</del><ins>i</ins>&gt; c"
        );
    }
}
