//! Dates as a page's readers write them: month names, the order of day,
//! month and year, and the digits of the language, by CLDR's patterns
//! (`icu_datetime` with compiled data: the only module that uses it).
//!
//! The calendar is the Gregorian one whatever the locale prefers (ar-SA's
//! default is the Umm al-Qura calendar): hand-off dates are Gregorian dates
//! of a publishing process, and the `datetime` attribute next to the text
//! stays ISO `YYYY-MM-DD`. Pure: a tag and a date in, text out.

use crate::parse::front_matter::Date;
use icu_calendar::Gregorian;
use icu_datetime::fieldsets::YMD;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_locale_core::Locale;
use std::cell::RefCell;

type Formatter = FixedCalendarDateTimeFormatter<Gregorian, YMD>;

thread_local! {
    /// The formatter of the language last asked for on this thread, if ICU
    /// has one: pages come a language at a time, and making a formatter
    /// was a hundredth of a build.
    static LAST: RefCell<Option<(String, Option<Formatter>)>> = const { RefCell::new(None) };
}

/// `date` in `tag`'s long form ("15 april 2021", "2021年4月15日",
/// "١٥ أبريل ٢٠٢١"); ISO `YYYY-MM-DD` when ICU cannot format it.
pub fn long(tag: &str, date: Date) -> String {
    let day = icu_calendar::Date::try_new_gregorian(i32::from(date.year), date.month, date.day);
    let formatted = LAST.with_borrow_mut(|last| {
        if last.as_ref().is_none_or(|(t, _)| t != tag) {
            let formatter = tag
                .parse::<Locale>()
                .ok()
                .and_then(|locale| Formatter::try_new((&locale).into(), YMD::long()).ok());
            *last = Some((tag.to_string(), formatter));
        }
        let formatter = last.as_ref()?.1.as_ref()?;
        Some(formatter.format(day.as_ref().ok()?).to_string())
    });
    formatted.unwrap_or_else(|| date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// One date in every language of the default theme.
    #[test]
    fn every_language_of_the_theme() {
        let day = d(2026, 1, 15);
        for (tag, want) in [
            ("en", "January 15, 2026"),
            ("ar-SA", "١٥ يناير ٢٠٢٦"),
            ("de-DE", "15. Januar 2026"),
            ("es-ES", "15 de enero de 2026"),
            ("et-EE", "15 jaanuar 2026"),
            ("fr-FR", "15 janvier 2026"),
            ("he-IL", "15 בינואר 2026"),
            ("ja-JP", "2026年1月15日"),
            ("ko-KR", "2026년 1월 15일"),
            ("ro-RO", "15 ianuarie 2026"),
            ("sv-SE", "15 januari 2026"),
            ("zh-CN", "2026年1月15日"),
            ("zh-TW", "2026年1月15日"),
        ] {
            assert_eq!(long(tag, day), want, "{tag}");
        }
    }

    #[test]
    fn falls_back_to_iso() {
        assert_eq!(long("not a tag", d(2021, 4, 15)), "2021-04-15");
        assert_eq!(long("sv-SE", d(2021, 2, 31)), "2021-02-31");
    }
}
