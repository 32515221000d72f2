//! Sorting in each language's own order (ICU collation): Swedish puts `Å Ä Ö`
//! after `Z`, Estonian puts `Š Z Ž` after `S`, Chinese sorts by pinyin.

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator as IcuCollator, CollatorBorrowed};
use std::cmp::Ordering;

pub struct Collator {
    inner: Option<CollatorBorrowed<'static>>,
}

impl Collator {
    /// A collator for `tag`; the root order when ICU has none for it.
    pub fn new(tag: &str) -> Collator {
        Collator::with(tag, CollatorOptions::default())
    }

    /// A collator for `tag` that compares base letters only (primary
    /// strength): `E` and `É` are equal in French, `A` and `Ä` are not in
    /// Swedish.
    pub fn primary(tag: &str) -> Collator {
        let mut options = CollatorOptions::default();
        options.strength = Some(icu_collator::options::Strength::Primary);
        Collator::with(tag, options)
    }

    fn with(tag: &str, options: CollatorOptions) -> Collator {
        let inner = tag
            .parse::<icu_locale_core::Locale>()
            .ok()
            .and_then(|locale| IcuCollator::try_new((&locale).into(), options).ok());
        Collator { inner }
    }

    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        match &self.inner {
            Some(c) => c.compare(a, b),
            None => a.cmp(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(tag: &str, words: &[&str]) -> Vec<String> {
        let c = Collator::new(tag);
        let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| c.compare(a, b));
        v
    }

    #[test]
    fn language_orders() {
        assert_eq!(sorted("sv-SE", &["Ö", "Z", "A"]), ["A", "Z", "Ö"]);
        assert_eq!(sorted("de-DE", &["Ö", "Z", "A"]), ["A", "Ö", "Z"]);
        assert_eq!(sorted("et-EE", &["Z", "Š", "T", "S"]), ["S", "Š", "Z", "T"]);
    }
}
