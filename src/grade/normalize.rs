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

/// [`fold`] for a card's own text (accepted forms, options, prompts), which
/// is folded again for every answer: remembered per thread. Learners'
/// answers go through [`fold`] and are never kept.
pub fn fold_card(text: &str) -> String {
    /// Enough for every card of many decks; the memo starts over beyond.
    const MAX_REMEMBERED: usize = 20_000;
    thread_local! {
        static FOLDED: std::cell::RefCell<std::collections::HashMap<String, String>> =
            Default::default();
    }
    FOLDED.with_borrow_mut(|memo| {
        if let Some(folded) = memo.get(text) {
            return folded.clone();
        }
        let folded = fold(text);
        if memo.len() >= MAX_REMEMBERED {
            memo.clear();
        }
        memo.insert(text.to_owned(), folded.clone());
        folded
    })
}

/// [`fold`] for text that is already NFKC.
pub fn fold_nfkc(text: &str) -> String {
    let simplified = hanconv::t2s(text);
    let dated = numerals::dates(&simplified);
    let kept: String = dated
        .chars()
        .filter(|c| !is_ignorable(*c))
        .flat_map(char::to_lowercase)
        .collect();
    equate(&numerals::tidy(&numerals::arabize(&kept)))
}

/// Words that say the same thing, folded to one of them on both sides of a
/// comparison: the conjunctions 与/同/及/跟 = 和, 之 = 的, and names.
fn equate(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| match c {
            '与' | '同' | '及' | '跟' => '和',
            '之' => '的',
            c => c,
        })
        .collect();
    for (alias, name) in ALIASES {
        if out.contains(alias) {
            out = out.replace(alias, name);
        }
    }
    out
}

/// Other names for the same person (after [`equate`]'s own folding).
const ALIASES: &[(&str, &str)] = &[("毛主席", "毛泽东")];

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
        assert_eq!(fold("第二次"), "2次");
    }

    #[test]
    fn dates_in_every_common_format_fold_alike() {
        let want = fold("1943年7月2日");
        for date in [
            "1943.7.2",
            "1943-07-02",
            "1943/7/2",
            "１９４３．７．２",
            "1943年07月02日",
            "一九四三年七月二日",
        ] {
            assert_eq!(fold(date), want, "{date}");
        }
        assert_eq!(fold("1943.7"), fold("1943年7月"));
        assert_ne!(fold("1943.7.3"), want);
        // Not dates: decimals and numbers that are not a year.
        assert_eq!(fold("73.2%"), "732");
        assert_eq!(fold("12.5"), "125");
    }

    #[test]
    fn function_words_and_names_fold_alike() {
        assert_eq!(fold("理论与实践"), fold("理论和实践"));
        assert_eq!(fold("批评同自我批评"), fold("批评和自我批评"));
        assert_eq!(fold("奢靡之风"), fold("奢靡的风"));
        assert_eq!(fold("毛主席"), fold("毛泽东"));
        assert_eq!(fold("第八条"), fold("8条"));
        assert_ne!(fold("第八条"), fold("第七条"));
    }

    #[test]
    fn card_text_folds_the_same_remembered_or_not() {
        for text in ["群眾路線", "第八条", "1943.7.2", "理论与实践"] {
            assert_eq!(fold_card(text), fold(text));
            assert_eq!(fold_card(text), fold(text), "second time, remembered");
        }
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
