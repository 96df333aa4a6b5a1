//! The comparison normal form of typed answers: NFKC, Traditional folded to
//! Simplified, punctuation and spaces dropped, Chinese numerals as digits.
//! Only ever used to compare; what is displayed is never changed.

use unicode_normalization::UnicodeNormalization;

use super::numerals;

/// Answers longer than this (in characters) are cut before grading: no
/// right answer is this long, and grading stays fast on pasted essays.
pub const MAX_ANSWER_CHARS: usize = 2_000;

/// NFKC with control characters removed and length capped.
pub fn nfkc(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .take(MAX_ANSWER_CHARS)
        .nfkc()
        .collect()
}

/// Characters that carry no meaning in an answer: whitespace, punctuation,
/// quotes, brackets and similar symbols.
pub fn is_ignorable(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || c.is_ascii_punctuation()
        || matches!(c as u32,
            0x00A1..=0x00BF      // Latin-1 punctuation (·, «, ¿ …)
            | 0x2000..=0x206F    // general punctuation (—, …, “ ” ‘ ’)
            | 0x2190..=0x21FF    // arrows
            | 0x2500..=0x257F    // box drawing
            | 0x25A0..=0x25FF    // geometric shapes (●, ○)
            | 0x3000..=0x3006    // ideographic space, 、 。 〃
            | 0x3008..=0x303F    // 《》「」『』【】〔〕
            | 0xFE10..=0xFE6F    // vertical and small forms
            | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
        )
}

/// The comparison form of a piece of text.
pub fn fold(text: &str) -> String {
    fold_nfkc(&nfkc(text))
}

/// [`fold`] for text that is already NFKC.
pub fn fold_nfkc(text: &str) -> String {
    let simplified = hanconv::t2s(text);
    let kept: String = simplified
        .chars()
        .filter(|c| !is_ignorable(*c))
        .flat_map(char::to_lowercase)
        .collect();
    numerals::arabize(&kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_traditional_and_punctuation_fold_away() {
        assert_eq!(fold("群眾路線"), "群众路线");
        assert_eq!(fold("“铜墙铁壁”"), "铜墙铁壁");
        assert_eq!(fold("《愚公移山》"), "愚公移山");
        assert_eq!(fold("ＡＢＣ　１２３"), "abc123");
        assert_eq!(fold(" 理论 联系\t实际。"), "理论联系实际");
        assert_eq!(fold("一九四四年"), fold("1944年"));
        assert_eq!(fold("第二次"), "第2次");
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(fold("党\u{1b}[31m课"), "党31m课");
        assert_eq!(fold("\u{0}\u{7}"), "");
    }

    #[test]
    fn the_zero_numeral_is_not_punctuation() {
        assert!(!is_ignorable('〇'));
        assert_eq!(fold("二〇一二"), "2012");
    }
}
