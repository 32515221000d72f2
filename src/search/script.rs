//! What Unicode says about the characters of searched text, for the
//! tokenizer ([`super::tokenize`]): which characters belong to words, which
//! are read as CJK bigrams, and the words of the scripts written without
//! spaces between words (Thai, Lao, Khmer, Burmese), found by ICU4X's
//! dictionary word segmenter. The only user of `icu_properties`,
//! `icu_segmenter` and `icu_provider`.
//!
//! The browser makes the same decisions in `helpbook.js`: the same classes
//! as `\p{…}` escapes, and `Intl.Segmenter` for the same runs. Chromium's
//! segmenter is ICU4C with the dictionaries ICU4X's data is made from, so
//! both sides find the same words in nearly all text; `docs/search.md`
//! says how often they differ and where.
//!
//! Only the Thai, Lao, Khmer and Burmese dictionaries are compiled in: the
//! data provider here forwards ICU4X's own data for them and refuses the
//! Chinese and Japanese dictionary, which the index has no use for (CJK
//! runs are read as bigrams), so the linker leaves it out.

use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
use icu_properties::CodePointMapData;
use icu_provider::prelude::*;
use icu_segmenter::options::WordBreakOptions;
use icu_segmenter::provider::{
    Baked, SegmenterBreakGraphemeClusterV1, SegmenterBreakWordOverrideV1, SegmenterBreakWordV1,
    SegmenterDictionaryAutoV2, SegmenterDictionaryExtendedV2,
};
use icu_segmenter::WordSegmenter;

/// How a run of word characters is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Scripts written with spaces between words: a run is a word.
    Spaced,
    /// Chinese, Japanese, Korean: a run is read as bigrams.
    Cjk,
    /// Thai, Lao, Khmer, Burmese: a run is split into words by the
    /// dictionary segmenter.
    Unspaced,
}

/// Whether `c` is part of a word: a letter (Unicode `Alphabetic`), a mark
/// (a Thai tone mark, a Devanagari virama, a combining accent) or a number.
/// Rust's `is_alphanumeric` is `Alphabetic` or a number; marks without the
/// `Alphabetic` property are looked up in the general category.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric()
        || GeneralCategoryGroup::Mark.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// How `c`'s run is read (for a word character).
pub fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if is_unspaced(c) {
        Class::Unspaced
    } else {
        Class::Spaced
    }
}

/// Whether `c` belongs to a script written without spaces between words
/// (Han, Hiragana, Katakana) or best matched by bigrams (Hangul).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF       // Hangul Jamo
        | 0x3005..=0x3007     // 々 〆 〇
        | 0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3130..=0x318F     // Hangul compatibility Jamo
        | 0x31F0..=0x31FF     // Katakana phonetic extensions
        | 0x3400..=0x4DBF     // Han extension A
        | 0x4E00..=0x9FFF     // Han
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0xF900..=0xFAFF     // Han compatibility
        | 0xFF66..=0xFF9F     // half-width Katakana
        | 0x20000..=0x3FFFF) // Han extensions B…
}

/// Whether `c` is in the blocks of Thai, Lao, Burmese or Khmer, the scripts
/// ICU's dictionaries segment.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F       // Thai
        | 0x0E80..=0x0EFF     // Lao
        | 0x1000..=0x109F     // Myanmar
        | 0x1780..=0x17FF     // Khmer
        | 0xA9E0..=0xA9FF     // Myanmar extended-B
        | 0xAA60..=0xAA7F) // Myanmar extended-A
}

/// ICU4X's compiled data for word breaking and the Southeast Asian
/// dictionaries; no Chinese and Japanese dictionary (see the module doc).
struct Data;

macro_rules! forward {
    ($($marker:ty),*) => {$(
        impl DataProvider<$marker> for Data {
            fn load(&self, req: DataRequest) -> Result<DataResponse<$marker>, DataError> {
                Baked.load(req)
            }
        }
    )*};
}

forward!(
    SegmenterBreakWordV1,
    SegmenterBreakWordOverrideV1,
    SegmenterBreakGraphemeClusterV1,
    SegmenterDictionaryExtendedV2
);

impl DataProvider<SegmenterDictionaryAutoV2> for Data {
    fn load(&self, req: DataRequest) -> Result<DataResponse<SegmenterDictionaryAutoV2>, DataError> {
        Err(DataErrorKind::IdentifierNotFound.with_req(SegmenterDictionaryAutoV2::INFO, req))
    }
}

thread_local! {
    /// One segmenter per thread (its data handles are not `Sync`); made
    /// from static data, so making one costs next to nothing.
    static SEGMENTER: Option<WordSegmenter> =
        WordSegmenter::try_new_dictionary_unstable(&Data, WordBreakOptions::default()).ok();
}

/// Calls `f` with the start and end (byte offsets in `run`) of every word of
/// `run`, a run of [`Class::Unspaced`] word characters: the segments that
/// hold a letter or a number (a lone mark is not a word). Without the
/// segmenter's data, which cannot happen with compiled data, the whole run.
pub fn unspaced_words(run: &str, mut f: impl FnMut(usize, usize)) {
    SEGMENTER.with(|segmenter| {
        let Some(segmenter) = segmenter else {
            return f(0, run.len());
        };
        let mut start = 0;
        for end in segmenter.as_borrowed().segment_str(run).skip(1) {
            if run[start..end].chars().any(char::is_alphanumeric) {
                f(start, end);
            }
            start = end;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(run: &str) -> Vec<&str> {
        let mut out = Vec::new();
        unspaced_words(run, |s, e| out.push(&run[s..e]));
        out
    }

    #[test]
    fn marks_belong_to_words() {
        // Thai tone marks and Devanagari's virama are marks without the
        // Alphabetic property.
        for c in ['\u{0E49}', '\u{094D}', '\u{0301}', 'ก', 'a', '7', '٣'] {
            assert!(is_word_char(c), "{c:?}");
        }
        for c in [' ', ',', '。', '\u{0E5A}', '\u{00A0}', '-'] {
            assert!(!is_word_char(c), "{c:?}");
        }
    }

    #[test]
    fn thai_lao_khmer_and_burmese_are_split_into_words() {
        assert_eq!(class('ผ'), Class::Unspaced);
        assert_eq!(class('密'), Class::Cjk);
        assert_eq!(class('ö'), Class::Spaced);
        assert_eq!(
            words("รีเซ็ตรหัสผ่านของผู้ใช้"),
            ["รีเซ็ต", "รหัส", "ผ่าน", "ของ", "ผู้", "ใช้"]
        );
        assert_eq!(words("ทุกสองสัปดาห์"), ["ทุก", "สอง", "สัปดาห์"]);
        assert_eq!(words("ພາສາລາວ"), ["ພາສາ", "ລາວ"]);
        assert_eq!(words("ខ្ញុំចូលចិត្តរៀនភាសាខ្មែរ"), ["ខ្ញុំ", "ចូលចិត្ត", "រៀន", "ភាសាខ្មែរ"]);
        assert_eq!(
            words("ကျွန်တော်ကမြန်မာစကားပြောတတ်ပါတယ်"),
            ["ကျွန်တော်", "က", "မြန်မာ", "စကားပြော", "တတ်", "ပါ", "တယ်"]
        );
    }
}
