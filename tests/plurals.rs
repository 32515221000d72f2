//! Plural forms of the default theme's UI strings: every language's table
//! has the CLDR forms its language has, and `helpbook::plural::pick` gives
//! the right sentence for 0, 1, 2, 5, 11 and 100 in each language of the
//! theme (Arabic's dual and its 11–99 form among them).

use helpbook::plural::{forms, pick};
use helpbook::theme::Theme;
use std::path::Path;

/// The languages the default theme has strings for, by a tag of each.
const LANGUAGES: &[&str] = &[
    "en",
    "ar-SA",
    "bg-BG",
    "cs-CZ",
    "da-DK",
    "de-DE",
    "el-GR",
    "es-ES",
    "et-EE",
    "fi-FI",
    "fr-FR",
    "he-IL",
    "hr-HR",
    "hu-HU",
    "id-ID",
    "it-IT",
    "ja-JP",
    "ko-KR",
    "lt-LT",
    "lv-LV",
    "nb-NO",
    "nl-NL",
    "pl-PL",
    "pt-BR",
    "ro-RO",
    "ru-RU",
    "sk-SK",
    "sl-SI",
    "sr-Cyrl-RS",
    "sr-Latn-RS",
    "sv-SE",
    "th-TH",
    "tr-TR",
    "uk-UA",
    "vi-VN",
    "zh-CN",
    "zh-TW",
];

/// The strings with a number in them (bare key = CLDR "other").
const PLURAL_STRINGS: &[&str] = &["changed", "search_results"];

fn theme() -> Theme {
    Theme::load(Path::new("/nonexistent"), "default").expect("built-in theme")
}

#[test]
fn every_table_has_the_forms_of_its_language() {
    let theme = theme();
    let files =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n"))
            .expect("i18n folder")
            .count();
    assert_eq!(
        files,
        LANGUAGES.len(),
        "a language of the theme is not tested"
    );
    for tag in LANGUAGES {
        let strings = theme.strings(tag);
        for base in PLURAL_STRINGS {
            assert!(strings.contains_key(*base), "{tag}: no `{base}`");
            for form in forms(tag) {
                let key = format!("{base}_{form}");
                assert!(strings.contains_key(&key), "{tag}: no `{key}`");
            }
            // And no form the language does not have (English's `_one`
            // in Chinese would show English).
            for form in helpbook::plural::FORMS {
                if !forms(tag).contains(&form) {
                    let key = format!("{base}_{form}");
                    assert!(
                        !strings.contains_key(&key),
                        "{tag}: `{key}` is not a form of it"
                    );
                }
            }
        }
    }
}

/// `changed` for 0, 1, 2, 5, 11 and 100 in `tag`.
fn changed(theme: &Theme, tag: &str) -> Vec<String> {
    let strings = theme.strings(tag);
    [0, 1, 2, 5, 11, 100]
        .iter()
        .map(|n| pick(&strings, tag, "changed", *n))
        .collect()
}

fn check(tag: &str, want: [&str; 6]) {
    let got = changed(&theme(), tag);
    for (g, w) in got.iter().zip(want) {
        assert!(g.contains(w), "{tag}: {g:?} lacks {w:?} (all: {got:#?})");
    }
}

#[test]
fn arabic_zero_one_dual_few_many_other() {
    check(
        "ar-SA",
        [
            "لم تتغيّر أي جملة",
            "جملة واحدة",
            "جملتان",
            "5 جمل ",
            "11 جملة ",
            "100 جملة ",
        ],
    );
}

#[test]
fn hebrew_one_two_other() {
    check(
        "he-IL",
        [
            "0 משפטים",
            "משפט אחד",
            "שני משפטים",
            "5 משפטים",
            "11 משפטים",
            "100 משפטים",
        ],
    );
}

#[test]
fn romanian_one_few_other() {
    check(
        "ro-RO",
        [
            "0 propoziții s-au",
            "1 propoziție s-a",
            "2 propoziții s-au",
            "5 propoziții s-au",
            "11 propoziții s-au",
            "100 de propoziții s-au",
        ],
    );
}

#[test]
fn french_zero_is_singular() {
    check(
        "fr-FR",
        [
            "0 phrase a",
            "1 phrase a",
            "2 phrases ont",
            "5 phrases ont",
            "11 phrases ont",
            "100 phrases ont",
        ],
    );
}

#[test]
fn one_and_other() {
    check(
        "en",
        [
            "0 sentences have",
            "1 sentence has",
            "2 sentences have",
            "5 sentences",
            "11 sentences",
            "100 sentences",
        ],
    );
    check(
        "de-DE",
        [
            "0 Sätze",
            "1 Satz ",
            "2 Sätze",
            "5 Sätze",
            "11 Sätze",
            "100 Sätze",
        ],
    );
    check(
        "es-ES",
        [
            "0 frases han",
            "1 frase ha",
            "2 frases han",
            "5 frases",
            "11 frases",
            "100 frases",
        ],
    );
    check(
        "sv-SE",
        [
            "0 meningar",
            "1 mening ",
            "2 meningar",
            "5 meningar",
            "11 meningar",
            "100 meningar",
        ],
    );
    check(
        "et-EE",
        [
            "0 lauset",
            "1 lause.",
            "2 lauset",
            "5 lauset",
            "11 lauset",
            "100 lauset",
        ],
    );
}

#[test]
fn no_plural_in_chinese_japanese_korean() {
    check(
        "zh-CN",
        [
            "有 0 个",
            "有 1 个",
            "有 2 个",
            "有 5 个",
            "有 11 个",
            "有 100 个",
        ],
    );
    check(
        "zh-TW",
        [
            "有 0 個",
            "有 1 個",
            "有 2 個",
            "有 5 個",
            "有 11 個",
            "有 100 個",
        ],
    );
    check(
        "ja-JP",
        [
            "で 0 文",
            "で 1 文",
            "で 2 文",
            "で 5 文",
            "で 11 文",
            "で 100 文",
        ],
    );
    check(
        "ko-KR",
        [
            "0개 문장",
            "1개 문장",
            "2개 문장",
            "5개 문장",
            "11개 문장",
            "100개 문장",
        ],
    );
}

#[test]
fn russian_one_few_many() {
    check(
        "ru-RU",
        [
            "0 предложений",
            "1 предложение",
            "2 предложения",
            "5 предложений",
            "11 предложений",
            "100 предложений",
        ],
    );
}

#[test]
fn polish_one_few_many() {
    check(
        "pl-PL",
        [
            "zmieniło się 0 zdań",
            "zmieniło się 1 zdanie",
            "zmieniły się 2 zdania",
            "zmieniło się 5 zdań",
            "zmieniło się 11 zdań",
            "zmieniło się 100 zdań",
        ],
    );
}

#[test]
fn czech_one_few_other() {
    check(
        "cs-CZ",
        [
            "změnilo 0 vět",
            "změnila 1 věta",
            "změnily 2 věty",
            "změnilo 5 vět",
            "změnilo 11 vět",
            "změnilo 100 vět",
        ],
    );
}

#[test]
fn slovenian_one_two_few_other() {
    check(
        "sl-SI",
        [
            "spremenilo 0 stavkov",
            "spremenil 1 stavek",
            "spremenila 2 stavka",
            "spremenilo 5 stavkov",
            "spremenilo 11 stavkov",
            "spremenilo 100 stavkov",
        ],
    );
}

#[test]
fn latvian_zero_one_other() {
    check(
        "lv-LV",
        [
            "mainījušies 0 teikumi",
            "mainījies 1 teikums",
            "mainījušies 2 teikumi",
            "mainījušies 5 teikumi",
            "mainījušies 11 teikumi",
            "mainījušies 100 teikumi",
        ],
    );
}

#[test]
fn serbian_one_few_other_in_either_script() {
    check(
        "sr-Latn-RS",
        [
            "promenilo 0 rečenica",
            "promenila 1 rečenica",
            "promenile 2 rečenice",
            "promenilo 5 rečenica",
            "promenilo 11 rečenica",
            "promenilo 100 rečenica",
        ],
    );
    check(
        "sr-Cyrl-RS",
        [
            "променило 0 реченица",
            "променила 1 реченица",
            "промениле 2 реченице",
            "променило 5 реченица",
            "променило 11 реченица",
            "променило 100 реченица",
        ],
    );
}

/// Serbian is written in two scripts: a tag that names none gets the one
/// its region is likely to use (Cyrillic in Serbia, by CLDR's
/// likely-subtags data), as Chinese does.
#[test]
fn a_table_is_found_by_the_script_of_the_tag() {
    let theme = theme();
    let skip = |tag: &str| theme.strings(tag)["skip"].clone();
    assert_eq!(skip("sr-Latn-RS"), "Pređi na glavni sadržaj");
    assert_eq!(skip("sr-Cyrl-RS"), "Пређи на главни садржај");
    assert_eq!(skip("sr-RS"), "Пређи на главни садржај");
    assert_eq!(skip("sr"), "Пређи на главни садржај");
    assert_eq!(skip("zh-HK"), theme.strings("zh-Hant")["skip"]);
    assert_eq!(skip("zh-SG"), theme.strings("zh-Hans")["skip"]);
    assert_ne!(skip("zh-HK"), skip("zh-SG"));
}
