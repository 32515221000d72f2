//! Jump links of a long language index: one link per initial of the titles,
//! in the index's own (collation) order, each to the first title with that
//! initial.
//!
//! The initial of a title is its first character (`#` for all titles that
//! open with a quote, bracket or other mark, which sort first):
//! - letters of alphabets, upper-cased (`é` → `É`); two initials the
//!   language's collation holds equal at primary strength share a link
//!   (French `É` goes with `E`; Swedish `Ä` keeps its own, after `Z`);
//! - digits: one link, `0–9`;
//! - Japanese kana: the row of the gojūon table (`カ`, `が` → `か`);
//! - Korean Hangul: the initial consonant (`한` → `ㅎ`; doubled consonants
//!   with their single one);
//! - Chinese characters (Han): one link for all of them (`漢字`/`汉字`),
//!   as titles carry no reading to order them by here.
//!
//! An initial met again after another one (a collation that interleaves
//! them) gets no second link. Pure: titles in, labels and anchors out.

use crate::collate::Collator;
use std::cmp::Ordering;

/// Groups with fewer articles than this get no jump links.
pub const MIN_ARTICLES: usize = 30;

/// One jump link: its label and the anchor of the first title it reaches.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Jump {
    pub label: String,
    pub id: String,
}

/// The jump links of a group of `titles` (already in collation order) in
/// `tag`, and for each title the anchor it carries (the first of each
/// initial). Anchors are `jump-{group}-{n}`, unique on the page.
pub fn jumps(tag: &str, group: usize, titles: &[&str]) -> (Vec<Jump>, Vec<Option<String>>) {
    let mut anchors = vec![None; titles.len()];
    if titles.len() < MIN_ARTICLES {
        return (Vec::new(), anchors);
    }
    let collator = Collator::primary(tag);
    let han = han_label(tag);
    let mut out: Vec<Jump> = Vec::new();
    let mut current: Option<String> = None;
    for (i, title) in titles.iter().enumerate() {
        let label = initial(title, han);
        let same = |other: &str| collator.compare(other, &label) == Ordering::Equal;
        if current.as_deref().is_some_and(same) || out.iter().any(|j| same(&j.label)) {
            continue;
        }
        let id = format!("jump-{group}-{}", out.len() + 1);
        anchors[i] = Some(id.clone());
        out.push(Jump {
            label: label.clone(),
            id,
        });
        current = Some(label);
    }
    (out, anchors)
}

/// The label of the one link for titles that start with a Chinese
/// character, in the script the language writes it in.
fn han_label(tag: &str) -> &'static str {
    let sub = crate::locale::subtags(tag).unwrap_or_default();
    let simplified = sub.language == "zh"
        && sub.script.as_deref() != Some("Hant")
        && !matches!(sub.region.as_deref(), Some("tw" | "hk" | "mo"));
    if simplified {
        "汉字"
    } else {
        "漢字"
    }
}

/// The initial of `title` (see the module's comment).
pub fn initial(title: &str, han: &str) -> String {
    // Titles that open with a quote, bracket or other mark sort before
    // letters: they share one link, `#`.
    let Some(c) = title
        .trim_start()
        .chars()
        .next()
        .filter(|c| c.is_alphanumeric())
    else {
        return "#".to_string();
    };
    if c.is_numeric() {
        return "0–9".to_string();
    }
    if let Some(row) = kana_row(c) {
        return row.to_string();
    }
    if let Some(consonant) = hangul_initial(c) {
        return consonant.to_string();
    }
    if is_han(c) {
        return han.to_string();
    }
    c.to_uppercase().collect()
}

/// The gojūon row of a hiragana or katakana letter, as its hiragana head.
fn kana_row(c: char) -> Option<char> {
    let cp = c as u32;
    // Katakana letters sit 0x60 above their hiragana.
    let hira = match cp {
        0x3041..=0x3096 => cp,
        0x30A1..=0x30F6 => cp - 0x60,
        _ => return None,
    };
    let row = match hira {
        0x3041..=0x304A | 0x3094 => 'あ',
        0x304B..=0x3054 | 0x3095 | 0x3096 => 'か',
        0x3055..=0x305E => 'さ',
        0x305F..=0x3069 => 'た',
        0x306A..=0x306E => 'な',
        0x306F..=0x307D => 'は',
        0x307E..=0x3082 => 'ま',
        0x3083..=0x3088 => 'や',
        0x3089..=0x308D => 'ら',
        _ => 'わ',
    };
    Some(row)
}

/// The initial consonant of a Hangul syllable, doubled ones as single.
fn hangul_initial(c: char) -> Option<char> {
    const INITIALS: [char; 19] = [
        'ㄱ', 'ㄱ', 'ㄴ', 'ㄷ', 'ㄷ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅂ', 'ㅅ', 'ㅅ', 'ㅇ', 'ㅈ', 'ㅈ', 'ㅊ',
        'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
    ];
    let cp = c as u32;
    (0xAC00..=0xD7A3)
        .contains(&cp)
        .then(|| INITIALS[((cp - 0xAC00) / 588) as usize])
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_by_script() {
        assert_eq!(initial("été", "漢字"), "É");
        assert_eq!(initial("«été»", "漢字"), "#");
        assert_eq!(initial("365 dagar", "漢字"), "0–9");
        assert_eq!(initial("カレンダー", "漢字"), "か");
        assert_eq!(initial("ごみ箱", "漢字"), "か");
        assert_eq!(initial("한국어", "漢字"), "ㅎ");
        assert_eq!(initial("까치", "漢字"), "ㄱ");
        assert_eq!(initial("设置", "汉字"), "汉字");
        assert_eq!(initial("—", "漢字"), "#");
    }

    fn labels(tag: &str, titles: &[&str]) -> Vec<String> {
        let mut all: Vec<&str> = titles.to_vec();
        while all.len() < MIN_ARTICLES {
            all.push(titles[titles.len() - 1]);
        }
        jumps(tag, 1, &all).0.into_iter().map(|j| j.label).collect()
    }

    #[test]
    fn one_link_per_initial_in_the_language_order() {
        assert_eq!(labels("fr-FR", &["Édition", "Effacer", "Zoom"]), ["É", "Z"]);
        assert_eq!(
            labels("sv-SE", &["Arkiv", "Zoom", "Ändra", "Öppna"]),
            ["A", "Z", "Ä", "Ö"]
        );
        let (jumps, anchors) = jumps("sv-SE", 2, &["Arkiv"; MIN_ARTICLES]);
        assert_eq!(jumps.len(), 1);
        assert_eq!(anchors[0].as_deref(), Some("jump-2-1"));
        assert!(anchors[1..].iter().all(Option::is_none));
        assert!(super::jumps("sv-SE", 1, &["A", "B"]).0.is_empty());
    }
}
