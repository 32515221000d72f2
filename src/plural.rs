//! Plural forms of UI strings with a number in them, by CLDR's rules
//! (`icu_plurals`, compiled data: the only module that uses it).
//!
//! A theme string `x` is the "other" form; `x_zero`, `x_one`, `x_two`,
//! `x_few` and `x_many` are the forms a language has besides it (Arabic has
//! all six, Hebrew `one` and `two`, Romanian `one` and `few`, Chinese only
//! `x`). [`pick`] chooses the form for a number as CLDR says the language
//! reads it: Arabic "2 sentences" is the dual (`x_two`), 11–99 the
//! singular counted form (`x_many`). The browser side chooses the same way
//! with `Intl.PluralRules`, which carries the same CLDR rules.
//!
//! Pure: input a language tag and the language's strings, output text.

use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};

/// The suffixes of plural forms in theme string names, in CLDR's order
/// ("other" is the bare name).
pub const FORMS: [&str; 5] = ["zero", "one", "two", "few", "many"];

/// CLDR's cardinal rules for `tag` (through ICU's locale fallback: a
/// language ICU does not know has only "other"); None if the tag does not
/// parse.
///
/// The script is left out of the lookup: CLDR's rules are a language's
/// (and a region's, for pt-PT), whatever its script, but ICU's fallback
/// takes `sr-Latn`, `bs-Cyrl` or `az-Cyrl` to the root locale (CLDR's
/// parent locales, made for translated text), which has only "other", as
/// the browser's `Intl.PluralRules` does not.
fn rules(tag: &str) -> Option<PluralRules> {
    let mut locale = tag.parse::<Locale>().ok()?;
    locale.id.script = None;
    PluralRules::try_new_cardinal((&locale).into()).ok()
}

fn name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// The CLDR plural category of the whole number `n` in `tag`:
/// `zero`, `one`, `two`, `few`, `many` or `other`.
pub fn category(tag: &str, n: u64) -> &'static str {
    rules(tag).map_or("other", |r| name(r.category_for(n)))
}

/// The categories `tag` has besides `other`, in [`FORMS`] order: the
/// suffixes a theme's strings for that language need for each plural string.
pub fn forms(tag: &str) -> Vec<&'static str> {
    let Some(rules) = rules(tag) else {
        return Vec::new();
    };
    let have: Vec<&str> = rules.categories().map(name).collect();
    FORMS.into_iter().filter(|f| have.contains(f)).collect()
}

/// The string `base` for `n` in `tag`, `{count}` replaced by `n`: the form
/// of `n`'s category when `strings` has it, else `base` itself (the
/// "other" form).
pub fn pick(strings: &crate::view::Strings, tag: &str, base: &str, n: u64) -> String {
    let category = category(tag, n);
    let text = (category != "other")
        .then(|| strings.get(&format!("{base}_{category}")))
        .flatten()
        .filter(|s| !s.is_empty())
        .or_else(|| strings.get(base))
        .map_or("", String::as_str);
    text.replace("{count}", &n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The script does not change a language's rules (regression:
    /// `sr-Latn-RS` had only "other", while the browser gives it one, few
    /// and other as for `sr-RS`).
    #[test]
    fn a_script_keeps_the_language_rules() {
        for (tag, plain) in [
            ("sr-Latn-RS", "sr-RS"),
            ("sr-Cyrl", "sr"),
            ("bs-Cyrl", "bs"),
            ("az-Cyrl", "az"),
            ("uz-Latn", "uz"),
            ("zh-Hant-TW", "zh-TW"),
        ] {
            assert_eq!(forms(tag), forms(plain), "{tag}");
        }
        assert_eq!(forms("sr-Latn-RS"), ["one", "few"]);
        assert_eq!(category("sr-Latn-RS", 21), "one");
        assert_eq!(category("sr-Latn-RS", 22), "few");
        assert_eq!(category("sr-Latn-RS", 12), "other");
    }

    #[test]
    fn arabic_has_six_forms() {
        let got: Vec<&str> = [0, 1, 2, 5, 11, 100]
            .iter()
            .map(|n| category("ar-SA", *n))
            .collect();
        assert_eq!(got, ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!(forms("ar"), ["zero", "one", "two", "few", "many"]);
        assert!(forms("zh-CN").is_empty());
        assert_eq!(forms("he-IL"), ["one", "two"]);
        assert_eq!(category("not a tag", 1), "other");
    }
}
