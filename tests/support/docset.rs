//! The locales of the real 36-language docset (the Alchemy Insights help
//! articles: 36 locale repositories beside the English), each with the real
//! corpus locale whose articles stand in for it. Shared by the docset tests
//! and the scale bench (`#[path]`-included there), so that both build the
//! languages the docset has.
//!
//! The order is the scale bench's: the five real locales first, then the
//! further tags in the order its sizes add them (6 language tags with the
//! English, then 12, 24, 36; all 36 locales make 37).

/// (tag, the corpus locale it is copied from); the real ones name themselves.
pub const DOCSET: [(&str, &str); 36] = [
    ("zh-CN", "zh-CN"),
    ("ja-JP", "ja-JP"),
    ("sv-SE", "sv-SE"),
    ("et-EE", "et-EE"),
    ("ro-RO", "ro-RO"),
    ("zh-TW", "zh-CN"),
    ("ko-KR", "ja-JP"),
    ("da-DK", "sv-SE"),
    ("lv-LV", "et-EE"),
    ("it-IT", "ro-RO"),
    ("nb-NO", "sv-SE"),
    ("ar-SA", "ro-RO"),
    ("fi-FI", "et-EE"),
    ("es-ES", "ro-RO"),
    ("lt-LT", "et-EE"),
    ("fr-FR", "ro-RO"),
    ("pt-BR", "ro-RO"),
    ("de-DE", "sv-SE"),
    ("nl-NL", "sv-SE"),
    ("pl-PL", "et-EE"),
    ("cs-CZ", "et-EE"),
    ("hu-HU", "et-EE"),
    ("ru-RU", "et-EE"),
    ("pt-PT", "ro-RO"),
    ("tr-TR", "ro-RO"),
    ("he-IL", "ro-RO"),
    ("sk-SK", "et-EE"),
    ("sl-SI", "et-EE"),
    ("hr-HR", "ro-RO"),
    ("bg-BG", "ro-RO"),
    ("uk-UA", "et-EE"),
    ("el-GR", "ro-RO"),
    ("id-ID", "sv-SE"),
    ("vi-VN", "ja-JP"),
    ("th-TH", "ja-JP"),
    ("sr-Latn-RS", "ro-RO"),
];
