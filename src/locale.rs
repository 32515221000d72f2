//! Locale tags: which folder names are locales, and which way their text runs.
//!
//! Tags are parsed with ICU (`icu_locale_core`); direction comes from ICU's
//! likely-subtags data (`icu_locale`), so a language helpbook has never seen
//! gets the right direction without a list kept here.

use icu_locale::{LocaleDirectionality, LocaleExpander};
use icu_locale_core::LanguageIdentifier;

/// Whether `tag` is a BCP 47 language tag usable as a locale folder name.
///
/// ICU accepts 5–8 letter language subtags (reserved for registration), which
/// would make folders such as `media` or `includes` locales; helpbook requires
/// the 2–3 letter ISO 639 codes every real locale uses.
pub fn is_locale_tag(tag: &str) -> bool {
    match tag.parse::<LanguageIdentifier>() {
        Ok(id) => {
            let lang = id.language.as_str();
            (2..=3).contains(&lang.len()) && lang != "und"
        }
        Err(_) => false,
    }
}

/// The text direction of `tag`: `"rtl"` or `"ltr"`.
pub fn direction(tag: &str) -> &'static str {
    let Ok(locale) = tag.parse::<LanguageIdentifier>() else {
        return "ltr";
    };
    if LocaleDirectionality::new_extended().is_right_to_left(&locale) {
        "rtl"
    } else {
        "ltr"
    }
}

/// The folder and URL name of a locale: its tag in lower case (`zh-cn`).
pub fn slug(tag: &str) -> String {
    tag.to_ascii_lowercase()
}

/// The subtags of a tag that the UI and the exports choose by, as ICU reads
/// them: language and region lower case, script title case (`Hant`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subtags {
    pub language: String,
    pub script: Option<String>,
    pub region: Option<String>,
}

/// The subtags of `tag` (`_` read as `-`); `None` when it is no tag.
pub fn subtags(tag: &str) -> Option<Subtags> {
    let id: LanguageIdentifier = tag.replace('_', "-").parse().ok()?;
    Some(Subtags {
        language: id.language.as_str().to_string(),
        script: id.script.map(|s| s.as_str().to_string()),
        region: id.region.map(|r| r.as_str().to_ascii_lowercase()),
    })
}

/// The primary language subtag, lower case (`zh` for `zh-CN`).
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

/// The script `tag` is written in: the one it names, else the likely one
/// from ICU's data (`Hant` for zh-TW and zh-MO, `Hans` for zh-SG, `Cyrl`
/// for sr-RS). `None` when the tag is not one.
pub fn script(tag: &str) -> Option<String> {
    let mut id: LanguageIdentifier = tag.replace('_', "-").parse().ok()?;
    if id.script.is_none() {
        LocaleExpander::new_extended().maximize(&mut id);
    }
    id.script.map(|s| s.as_str().to_string())
}

/// Languages' names in themselves, by primary language subtag, or by
/// language and script where the script changes the name. Kept sorted.
const AUTONYMS: &[(&str, &str)] = &[
    ("af", "Afrikaans"),
    ("am", "አማርኛ"),
    ("ar", "العربية"),
    ("as", "অসমীয়া"),
    ("az", "Azərbaycan"),
    ("az-Cyrl", "Азәрбајҹан"),
    ("be", "Беларуская"),
    ("bg", "Български"),
    ("bn", "বাংলা"),
    ("bs", "Bosanski"),
    ("bs-Cyrl", "Босански"),
    ("ca", "Català"),
    ("ckb", "کوردیی ناوەندی"),
    ("cs", "Čeština"),
    ("cy", "Cymraeg"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("dv", "ދިވެހި"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("et", "Eesti"),
    ("eu", "Euskara"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fil", "Filipino"),
    ("fr", "Français"),
    ("ga", "Gaeilge"),
    ("gd", "Gàidhlig"),
    ("gl", "Galego"),
    ("gu", "ગુજરાતી"),
    ("ha", "Hausa"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hr", "Hrvatski"),
    ("hu", "Magyar"),
    ("hy", "Հայերեն"),
    ("id", "Bahasa Indonesia"),
    ("ig", "Igbo"),
    ("is", "Íslenska"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ka", "ქართული"),
    ("kk", "Қазақ тілі"),
    ("km", "ខ្មែរ"),
    ("kn", "ಕನ್ನಡ"),
    ("ko", "한국어"),
    ("kok", "कोंकणी"),
    ("ku", "Kurdî"),
    ("ku-Arab", "کوردی"),
    ("ky", "Кыргызча"),
    ("lb", "Lëtzebuergesch"),
    ("lo", "ລາວ"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("mi", "Māori"),
    ("mk", "Македонски"),
    ("ml", "മലയാളം"),
    ("mn", "Монгол"),
    ("mr", "मराठी"),
    ("ms", "Bahasa Melayu"),
    ("mt", "Malti"),
    ("my", "မြန်မာ"),
    ("nb", "Norsk bokmål"),
    ("ne", "नेपाली"),
    ("nl", "Nederlands"),
    ("nn", "Norsk nynorsk"),
    ("no", "Norsk"),
    ("or", "ଓଡ଼ିଆ"),
    ("pa", "ਪੰਜਾਬੀ"),
    ("pa-Arab", "پنجابی"),
    ("pl", "Polski"),
    ("ps", "پښتو"),
    ("pt", "Português"),
    ("qu", "Runasimi"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("rw", "Kinyarwanda"),
    ("sd", "سنڌي"),
    ("si", "සිංහල"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
    ("sq", "Shqip"),
    ("sr", "Српски"),
    ("sr-Latn", "Srpski"),
    ("sv", "Svenska"),
    ("sw", "Kiswahili"),
    ("ta", "தமிழ்"),
    ("te", "తెలుగు"),
    ("tg", "Тоҷикӣ"),
    ("th", "ไทย"),
    ("ti", "ትግርኛ"),
    ("tk", "Türkmen dili"),
    ("tr", "Türkçe"),
    ("tt", "Татар"),
    ("ug", "ئۇيغۇرچە"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("uz", "Oʻzbek"),
    ("uz-Cyrl", "Ўзбек"),
    ("vi", "Tiếng Việt"),
    ("wo", "Wolof"),
    ("xh", "isiXhosa"),
    ("yi", "ייִדיש"),
    ("yo", "Èdè Yorùbá"),
    ("zh", "中文"),
    ("zh-Hans", "中文 (简体)"),
    ("zh-Hant", "中文 (繁體)"),
    ("zu", "isiZulu"),
];

/// Regions' names in the language of the tag, for telling apart two
/// languages that share a name (pt-BR and pt-PT), by language, or by
/// language and script where the script changes the name. A region not
/// here shows its code. Kept sorted.
const REGIONS: &[(&str, &str, &str)] = &[
    ("ar", "ae", "الإمارات"),
    ("ar", "eg", "مصر"),
    ("ar", "sa", "السعودية"),
    ("de", "at", "Österreich"),
    ("de", "ch", "Schweiz"),
    ("de", "de", "Deutschland"),
    ("en", "au", "Australia"),
    ("en", "ca", "Canada"),
    ("en", "gb", "United Kingdom"),
    ("en", "ie", "Ireland"),
    ("en", "in", "India"),
    ("en", "my", "Malaysia"),
    ("en", "nz", "New Zealand"),
    ("en", "sg", "Singapore"),
    ("en", "us", "United States"),
    ("en", "za", "South Africa"),
    ("es", "419", "Latinoamérica"),
    ("es", "ar", "Argentina"),
    ("es", "cl", "Chile"),
    ("es", "co", "Colombia"),
    ("es", "es", "España"),
    ("es", "mx", "México"),
    ("es", "us", "Estados Unidos"),
    ("fr", "be", "Belgique"),
    ("fr", "ca", "Canada"),
    ("fr", "ch", "Suisse"),
    ("fr", "fr", "France"),
    ("it", "ch", "Svizzera"),
    ("it", "it", "Italia"),
    ("nl", "be", "België"),
    ("nl", "nl", "Nederland"),
    ("pt", "ao", "Angola"),
    ("pt", "br", "Brasil"),
    ("pt", "mz", "Moçambique"),
    ("pt", "pt", "Portugal"),
    ("sr", "ba", "Босна и Херцеговина"),
    ("sr", "me", "Црна Гора"),
    ("sr", "rs", "Србија"),
    ("sr-Latn", "ba", "Bosna i Hercegovina"),
    ("sr-Latn", "me", "Crna Gora"),
    ("sr-Latn", "rs", "Srbija"),
    ("sv", "fi", "Finland"),
    ("sv", "se", "Sverige"),
    ("zh", "cn", "中国"),
    ("zh", "hk", "香港"),
    ("zh", "mo", "澳門"),
    ("zh", "sg", "新加坡"),
    ("zh", "tw", "台灣"),
];

/// The language's name in itself (autonym), for language pickers, by its
/// script where that changes it (`Srpski` for sr-Latn, `Српски` for sr);
/// an unknown language shows its tag. [`names`] tells apart the languages
/// of one site that share a name.
pub fn autonym(tag: &str) -> String {
    let Some(sub) = subtags(tag) else {
        return tag.to_string();
    };
    let find = |key: &str| {
        AUTONYMS
            .binary_search_by(|(k, _)| k.cmp(&key))
            .ok()
            .map(|i| AUTONYMS[i].1)
    };
    let scripted = script(tag).and_then(|s| find(&format!("{}-{s}", sub.language)));
    match scripted.or_else(|| find(&sub.language)) {
        Some(name) => name.to_string(),
        None => tag.to_string(),
    }
}

/// The name of `region` in `language` written in `script`, or its code.
fn region_name(language: &str, script: Option<&str>, region: &str) -> String {
    let find = |language: &str| {
        REGIONS
            .binary_search_by(|(l, r, _)| (*l, *r).cmp(&(language, region)))
            .ok()
            .map(|i| REGIONS[i].2)
    };
    script
        .and_then(|s| find(&format!("{language}-{s}")))
        .or_else(|| find(language))
        .map_or_else(|| region.to_ascii_uppercase(), str::to_string)
}

/// `name` with `more` added inside its closing parenthesis, or in one of
/// its own: "中文 (繁體)" and "台灣" make "中文 (繁體, 台灣)".
fn qualified(name: &str, more: &str) -> String {
    match name.strip_suffix(')') {
        Some(open) => format!("{open}, {more})"),
        None => format!("{name} ({more})"),
    }
}

/// The names a site shows for its languages, given each tag and its
/// configured name: the configured name as it is, else the autonym; where
/// two or more share a name, those named by autonym add their region in
/// their own language ("Português (Brasil)", "中文 (繁體, 香港)"), so that a
/// reader can tell pt-BR from pt-PT, and where that is not enough (two tags
/// for one locale, such as zh-TW and zh-Hant-TW), their tag too. The result
/// depends only on the set given, never on which of them a build writes.
pub fn names(languages: &[(&str, Option<&str>)]) -> Vec<String> {
    let autonyms: Vec<String> = languages
        .iter()
        .map(|(tag, configured)| configured.map_or_else(|| autonym(tag), str::to_string))
        .collect();
    let shared = |names: &[String], name: &str| names.iter().filter(|n| *n == name).count() > 1;
    let by_region: Vec<String> = languages
        .iter()
        .zip(&autonyms)
        .map(|((tag, configured), name)| {
            let sub = subtags(tag);
            match sub
                .as_ref()
                .and_then(|s| Some((&s.language, s.region.as_deref()?)))
            {
                Some((language, region)) if configured.is_none() && shared(&autonyms, name) => {
                    let script = script(tag);
                    qualified(name, &region_name(language, script.as_deref(), region))
                }
                _ => name.clone(),
            }
        })
        .collect();
    // Only names that helpbook chose are changed again: a configured name
    // is shown as it is written.
    let chosen: Vec<String> = languages
        .iter()
        .zip(&by_region)
        .filter(|((_, configured), _)| configured.is_none())
        .map(|(_, name)| name.clone())
        .collect();
    languages
        .iter()
        .zip(&by_region)
        .map(|((tag, configured), name)| {
            if configured.is_none() && shared(&chosen, name) {
                qualified(name, tag)
            } else {
                name.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_folders() {
        for ok in [
            "zh-CN",
            "ja-JP",
            "en-US",
            "sr-Latn-RS",
            "de",
            "et-EE",
            "es-419",
        ] {
            assert!(is_locale_tag(ok), "{ok}");
        }
        for not in ["media", "includes", "breadcrumb", "x", "zh_CN!", "", "und"] {
            assert!(!is_locale_tag(not), "{not}");
        }
    }

    #[test]
    fn directions_from_data() {
        for rtl in [
            "ar-SA", "he-IL", "fa-IR", "ur-PK", "ps", "dv", "yi", "ckb", "az-Arab",
        ] {
            assert_eq!(direction(rtl), "rtl", "{rtl}");
        }
        for ltr in ["zh-CN", "en-US", "sv-SE", "az-Latn", "ja-JP"] {
            assert_eq!(direction(ltr), "ltr", "{ltr}");
        }
    }

    #[test]
    fn subtags_as_icu_reads_them() {
        let zh = subtags("zh_hant_TW").expect("a tag");
        assert_eq!(zh.language, "zh");
        assert_eq!(zh.script.as_deref(), Some("Hant"));
        assert_eq!(zh.region.as_deref(), Some("tw"));
        assert_eq!(
            subtags("es-419").and_then(|s| s.region).as_deref(),
            Some("419")
        );
        assert_eq!(subtags("SV").map(|s| s.language).as_deref(), Some("sv"));
        assert_eq!(subtags("not a tag"), None);
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(AUTONYMS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(REGIONS
            .windows(2)
            .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
    }

    #[test]
    fn autonyms_follow_the_script() {
        for (tag, name) in [
            ("zh-CN", "中文 (简体)"),
            ("zh-SG", "中文 (简体)"),
            ("zh-TW", "中文 (繁體)"),
            ("zh-MO", "中文 (繁體)"),
            ("zh-Hant-CN", "中文 (繁體)"),
            ("sr-Latn-RS", "Srpski"),
            ("sr-RS", "Српски"),
            ("sr-Cyrl-RS", "Српски"),
            ("ku-Arab-IQ", "کوردی"),
            ("pt-BR", "Português"),
            ("am-ET", "አማርኛ"),
            ("qaa", "qaa"),
            ("not a tag", "not a tag"),
        ] {
            assert_eq!(autonym(tag), name, "{tag}");
        }
    }

    #[test]
    fn languages_that_share_a_name_add_their_region() {
        let got = names(&[
            ("en-US", None),
            ("pt-BR", None),
            ("pt-PT", None),
            ("zh-CN", None),
            ("zh-SG", None),
            ("zh-TW", None),
            ("zh-HK", None),
            ("es-419", None),
            ("es-ES", None),
            ("es-ZZ", None),
            ("de-DE", None),
            ("sv", None),
            ("sv-FI", Some("Svenska")),
        ]);
        assert_eq!(
            got,
            [
                "English",
                "Português (Brasil)",
                "Português (Portugal)",
                "中文 (简体, 中国)",
                "中文 (简体, 新加坡)",
                "中文 (繁體, 台灣)",
                "中文 (繁體, 香港)",
                "Español (Latinoamérica)",
                "Español (España)",
                "Español (ZZ)",
                "Deutsch",
                "Svenska",
                "Svenska",
            ]
        );
    }

    /// Every region of a language that Microsoft's documentation publishes
    /// in more than one region has its name, not its code.
    #[test]
    fn the_regions_of_microsofts_docs_have_names() {
        let tags = [
            "de-AT", "de-CH", "de-DE", "en-AU", "en-CA", "en-GB", "en-IE", "en-IN", "en-MY",
            "en-NZ", "en-SG", "en-US", "en-ZA", "es-ES", "es-MX", "fr-BE", "fr-CA", "fr-CH",
            "fr-FR", "it-CH", "it-IT", "nl-BE", "nl-NL", "pt-BR", "pt-PT", "zh-CN", "zh-HK",
            "zh-TW",
        ];
        let languages: Vec<(&str, Option<&str>)> = tags.iter().map(|t| (*t, None)).collect();
        let got = names(&languages);
        for (tag, name) in tags.iter().zip(&got) {
            let region = &tag[3..];
            assert!(!name.contains(region), "{tag}: {name}");
            assert!(name.contains('('), "{tag}: {name}");
        }
        let mut distinct = got.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), got.len(), "{got:?}");
    }

    #[test]
    fn region_names_follow_the_script_and_tags_settle_the_rest() {
        let got = names(&[
            ("sr-Latn-RS", None),
            ("sr-Latn-ME", None),
            ("sr-Cyrl-RS", None),
            ("sr-RS", None),
            ("sr-BA", None),
            ("zh-TW", None),
            ("zh-Hant-TW", None),
        ]);
        assert_eq!(
            got,
            [
                "Srpski (Srbija)",
                "Srpski (Crna Gora)",
                "Српски (Србија, sr-Cyrl-RS)",
                "Српски (Србија, sr-RS)",
                "Српски (Босна и Херцеговина)",
                "中文 (繁體, 台灣, zh-TW)",
                "中文 (繁體, 台灣, zh-Hant-TW)",
            ]
        );
    }
}
