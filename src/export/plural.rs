//! Gettext facts about a language, for PO headers: its `Plural-Forms`
//! expression and its gettext language code (`zh_CN`).
//!
//! The table follows GNU gettext's own plural table (the "Plural forms"
//! section of its manual, `plural-table.c`), which agrees with CLDR's
//! cardinal rules for these languages in the integer cases gettext can
//! express. A language not listed gets the Germanic rule
//! `nplurals=2; plural=(n != 1);`. Pure data; no I/O.

/// The default rule: one form for 1, another for everything else.
pub const DEFAULT: &str = "nplurals=2; plural=(n != 1);";

const ONE_FORM: &str = "nplurals=1; plural=0;";
const ZERO_ONE: &str = "nplurals=2; plural=(n > 1);";
const EAST_SLAVIC: &str = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);";
const CZECH: &str = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;";

/// The `Plural-Forms` header value for the language of BCP 47 tag `tag`.
pub fn plural_forms(tag: &str) -> &'static str {
    let subtags = crate::locale::subtags(tag).unwrap_or_default();
    let language = subtags.language.as_str();
    let region = subtags.region.as_deref();
    match language {
        // East and South-East Asian languages have no grammatical plural.
        "ja" | "zh" | "ko" | "vi" | "th" | "id" | "ms" | "lo" | "my" | "km" | "jv" | "su" => {
            ONE_FORM
        }
        "pt" if region == Some("br") => ZERO_ONE,
        "fr" | "oc" | "hi" | "fa" | "ln" | "mg" | "ti" | "wa" | "ak" | "am" => {
            ZERO_ONE
        }
        "ru" | "uk" | "be" | "sr" | "hr" | "bs" => EAST_SLAVIC,
        "cs" | "sk" => CZECH,
        "pl" => "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
        "lt" => "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
        "lv" => "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
        "ro" | "mo" => "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);",
        "sl" => "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
        "ga" => "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n>=3 && n<=6 ? 2 : n>=7 && n<=10 ? 3 : 4);",
        "ar" => "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
        "is" | "mk" => "nplurals=2; plural=(n%10 != 1 || n%100 == 11);",
        _ => DEFAULT,
    }
}

/// The gettext form of a BCP 47 tag: `ll_CC` (`zh-CN` → `zh_CN`), with a
/// script as gettext's modifier where it has one (`sr-Latn-RS` → `sr_RS@latin`).
pub fn gettext_language(tag: &str) -> String {
    let Some(subtags) = crate::locale::subtags(tag) else {
        return tag.replace('-', "_");
    };
    let language = subtags.language;
    let region = subtags.region.map(|r| r.to_ascii_uppercase());
    let script = subtags.script.map(|s| s.to_ascii_lowercase());
    let mut out = language;
    if let Some(r) = region {
        out.push('_');
        out.push_str(&r);
    }
    match script.as_deref() {
        Some("latn") => out.push_str("@latin"),
        Some("cyrl") => out.push_str("@cyrillic"),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_by_language() {
        assert_eq!(plural_forms("zh-CN"), "nplurals=1; plural=0;");
        assert_eq!(plural_forms("ja-JP"), "nplurals=1; plural=0;");
        assert_eq!(plural_forms("sv-SE"), DEFAULT);
        assert_eq!(plural_forms("et-EE"), DEFAULT);
        assert!(plural_forms("ro-RO").starts_with("nplurals=3;"));
        assert!(plural_forms("ar-SA").starts_with("nplurals=6;"));
        assert_eq!(plural_forms("pt-BR"), ZERO_ONE);
        assert_eq!(plural_forms("pt-PT"), DEFAULT);
        assert_eq!(plural_forms("fr"), ZERO_ONE);
        assert_eq!(plural_forms("xx-YY"), DEFAULT);
    }

    #[test]
    fn gettext_codes() {
        assert_eq!(gettext_language("zh-CN"), "zh_CN");
        assert_eq!(gettext_language("sv"), "sv");
        assert_eq!(gettext_language("sr-Latn-RS"), "sr_RS@latin");
        assert_eq!(gettext_language("zh-Hant-TW"), "zh_TW");
        assert_eq!(gettext_language("es-419"), "es_419");
    }
}
