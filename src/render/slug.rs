//! Heading ids that keep Unicode letters: `設定を変更する` stays readable,
//! `Set up SSPR (preview)` becomes `set-up-sspr-preview`.

/// Lower-cases letters, keeps letters, digits, `-` and `_`, turns runs of
/// anything else into one `-`, and trims `-` from both ends.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn keeps_unicode_letters() {
        assert_eq!(slug("Set up SSPR (preview)"), "set-up-sspr-preview");
        assert_eq!(slug("設定を変更する"), "設定を変更する");
        assert_eq!(slug("Lösenord — återställ!"), "lösenord-återställ");
        assert_eq!(slug("  "), "");
    }
}
