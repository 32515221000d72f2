//! Locale tags: which folder names are locales, and which way their text runs.
//!
//! Tags are parsed with ICU (`icu_locale_core`); direction comes from ICU's
//! likely-subtags data (`icu_locale`), so a language helpbook has never seen
//! gets the right direction without a list kept here.

use icu_locale::LocaleDirectionality;
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

/// The language's name in itself, for language pickers: the configured
/// `[languages.<tag>] name` wins; this table covers common help-site languages,
/// and an unknown language shows its tag.
pub fn autonym(tag: &str) -> String {
    let lower = tag.to_ascii_lowercase();
    let chinese = |traditional: bool| {
        if traditional {
            "中文 (繁體)"
        } else {
            "中文 (简体)"
        }
    };
    let name = match primary(tag).as_str() {
        "zh" => chinese(
            lower.contains("hant")
                || lower.ends_with("-tw")
                || lower.ends_with("-hk")
                || lower.ends_with("-mo"),
        ),
        "en" => "English",
        "ja" => "日本語",
        "ko" => "한국어",
        "sv" => "Svenska",
        "et" => "Eesti",
        "ro" => "Română",
        "de" => "Deutsch",
        "fr" => "Français",
        "es" => "Español",
        "pt" => "Português",
        "it" => "Italiano",
        "nl" => "Nederlands",
        "da" => "Dansk",
        "nb" | "no" => "Norsk bokmål",
        "fi" => "Suomi",
        "pl" => "Polski",
        "cs" => "Čeština",
        "sk" => "Slovenčina",
        "hu" => "Magyar",
        "ru" => "Русский",
        "uk" => "Українська",
        "bg" => "Български",
        "el" => "Ελληνικά",
        "tr" => "Türkçe",
        "ar" => "العربية",
        "he" => "עברית",
        "fa" => "فارسی",
        "ur" => "اردو",
        "hi" => "हिन्दी",
        "th" => "ไทย",
        "vi" => "Tiếng Việt",
        "id" => "Bahasa Indonesia",
        "ms" => "Bahasa Melayu",
        "lt" => "Lietuvių",
        "lv" => "Latviešu",
        "sl" => "Slovenščina",
        "hr" => "Hrvatski",
        "sr" => "Srpski",
        "ca" => "Català",
        "eu" => "Euskara",
        "gl" => "Galego",
        _ => return tag.to_string(),
    };
    name.to_string()
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
}
