//! The answer inside a sentence: finds a card's key content in a longer
//! answer ("党的宗旨是全心全意为人民服务", "在转化上下功夫") and judges what is
//! left around it — words restating the question or framing the answer
//! are harmless; a negation, or words asserting something else, are not.

use std::sync::OnceLock;

use super::normalize::{fold, fold_card};
use super::parts::split_items;

/// Characters that negate: found around the key content they invert it.
pub fn is_negation(c: char) -> bool {
    matches!(
        c,
        '不' | '没' | '无' | '非' | '未' | '否' | '勿' | '别' | '莫'
    )
}

/// Words that frame an answer without asserting anything: "是", "在…上",
/// "要", "坚持", "提出的", "同志" … (in raw form; folded once).
const FILLER_WORDS: &[&str] = &[
    "答案是",
    "答案",
    "我认为",
    "我觉得",
    "应该",
    "应当",
    "也就是",
    "就是",
    "即是",
    "还有",
    "以及",
    "首先",
    "其次",
    "再次",
    "最后",
    "坚持",
    "做到",
    "做好",
    "下功夫",
    "提出",
    "同志",
    "总书记",
    "他的",
    "我们",
    "这个",
    "那个",
    "方面",
];

/// Single characters that frame without asserting.
const FILLER_CHARS: &str =
    "答是在上由的了就即为和也都而并着过所把被对于以从其该要呢啊吧地得里中时当他这那个来";

fn filler_words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: Vec<String> = FILLER_WORDS.iter().map(|w| fold(w)).collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        words
    })
}

/// Answers longer than this (in folded characters) are not searched for
/// key content: no one restates a question at that length.
pub const MAX_SENTENCE: usize = 120;

/// The card's own words (prompt, explanation, the text of a fill card), in
/// comparison form: an answer may restate them freely. Folded on first use
/// (most answers never need it).
pub struct Context<'a> {
    texts: Vec<&'a str>,
    folded: std::cell::OnceCell<String>,
}

impl<'a> Context<'a> {
    pub fn new(texts: &[&'a str]) -> Context<'a> {
        Context {
            texts: texts.to_vec(),
            folded: std::cell::OnceCell::new(),
        }
    }

    fn folded(&self) -> &str {
        self.folded.get_or_init(|| {
            self.texts
                .iter()
                .map(|t| fold_card(t))
                .collect::<Vec<_>>()
                .join("\u{1}")
        })
    }

    /// Whether a leftover piece of an answer (folded) only restates the
    /// card or frames the answer: it is covered by the card's own words
    /// (two characters or more at a time) and frame words.
    pub fn harmless(&self, text: &str) -> bool {
        let folded = self.folded();
        let mut chars = text.char_indices().peekable();
        if let Some((_, c)) = chars.peek().copied()
            && c.len_utf8() == text.len()
            && folded.contains(c)
        {
            // A character of the card's own left over (开 of 开短会).
            return true;
        }
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            if let Some(w) = filler_words().iter().find(|w| rest.starts_with(w.as_str())) {
                i += w.len();
                continue;
            }
            // The longest stretch of the card's words starting here (a
            // stretch not in them cannot be extended into them).
            let mut covered = 0;
            let mut chars_in = 0;
            for (at, c) in rest.char_indices() {
                let end = at + c.len_utf8();
                if chars_in >= 1 && !folded.contains(&rest[..end]) {
                    break;
                }
                chars_in += 1;
                covered = end;
            }
            if chars_in >= 2 {
                i += covered;
                continue;
            }
            let c = rest.chars().next().unwrap_or_default();
            if FILLER_CHARS.contains(c) {
                i += c.len_utf8();
                continue;
            }
            return false;
        }
        true
    }
}

impl Context<'_> {
    /// Whether a piece of an answer is only frame words (坚持, 要, 在…上).
    pub fn is_filler(text: &str) -> bool {
        let none = Context::new(&[]);
        !text.is_empty() && none.harmless(text)
    }
}

/// Finds `needle` in `hay` not inside a longer number (7大 is not in 17大).
pub fn find_word(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let digit_start = needle.starts_with(|c: char| c.is_ascii_digit());
    let digit_end = needle.ends_with(|c: char| c.is_ascii_digit());
    hay.get(from..)?
        .match_indices(needle)
        .map(|(at, _)| at + from)
        .find(|&at| {
            let before = hay[..at].chars().next_back();
            let after = hay[at + needle.len()..].chars().next();
            let digit_before = digit_start && before.is_some_and(|c| c.is_ascii_digit());
            let digit_after = digit_end && after.is_some_and(|c| c.is_ascii_digit());
            !digit_before && !digit_after
        })
}

/// One accepted form cut into its key pieces: "毛泽东，党的七大" is two
/// pieces that may come in any order and with words around them.
pub struct KeyForm {
    pieces: Vec<String>,
}

impl KeyForm {
    pub fn new(raw: &str) -> Option<KeyForm> {
        let mut pieces: Vec<String> = split_items(raw)
            .iter()
            .map(|p| {
                let f = fold_card(p);
                super::parts::strip_frame(&f).to_owned()
            })
            .filter(|p| !p.is_empty())
            .collect();
        pieces.sort_by_key(|p| std::cmp::Reverse(p.len()));
        pieces.dedup();
        (!pieces.is_empty()).then_some(KeyForm { pieces })
    }
}

/// How an answer containing key content fared.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// All the key content, and nothing else that asserts anything.
    Right,
    /// All of it with other assertions, or part of it and nothing else:
    /// the share of key pieces found (1.0: all), and what else was said.
    Partial(f64, Vec<String>),
    Wrong,
}

impl Found {
    fn rank(&self) -> (u8, f64) {
        match self {
            Found::Right => (2, 1.0),
            Found::Partial(share, other) => (1, *share / (1.0 + other.len() as f64)),
            Found::Wrong => (0, 0.0),
        }
    }
}

/// Judges a folded answer that did not match any form as a whole: the key
/// pieces of the best form found in it, and what is left around them.
pub fn judge(given: &str, forms: &[KeyForm], context: &Context) -> Found {
    // A negation the card does not have inverts whatever it surrounds.
    let negated = given
        .chars()
        .filter(|c| is_negation(*c))
        .any(|c| !forms.iter().any(|f| f.pieces.iter().any(|p| p.contains(c))));
    if negated || given.chars().count() > MAX_SENTENCE {
        return Found::Wrong;
    }
    let mut best = Found::Wrong;
    for form in forms {
        let found = judge_form(given, form, context);
        if found.rank() > best.rank() {
            best = found;
        }
        if best == Found::Right {
            break;
        }
    }
    best
}

fn judge_form(given: &str, form: &KeyForm, context: &Context) -> Found {
    let mut rest = given.to_owned();
    let mut found = 0usize;
    for piece in &form.pieces {
        if let Some(at) = find_word(&rest, piece, 0) {
            rest.replace_range(at..at + piece.len(), "\u{0}");
            found += 1;
        }
    }
    if found == 0 {
        return Found::Wrong;
    }
    let other: Vec<String> = rest
        .split('\u{0}')
        .filter(|s| !s.is_empty() && !context.harmless(s))
        .map(str::to_owned)
        .collect();
    let whole = found == form.pieces.len();
    // Another number than the card's asserts another fact (18日 for 17日).
    if other
        .iter()
        .any(|o| o.contains(|c: char| c.is_ascii_digit()))
    {
        return Found::Wrong;
    }
    // A short key inside other words is another term (群众 in 群众路线).
    let short_key = form.pieces.len() == 1 && form.pieces[0].chars().count() <= 2;
    match (whole, other.is_empty()) {
        (true, true) => Found::Right,
        (true, false) if short_key => Found::Wrong,
        (true, false) => Found::Partial(1.0, other),
        (false, true) => Found::Partial(found as f64 / form.pieces.len() as f64, other),
        (false, false) => Found::Wrong,
    }
}

/// Answers that say "I don't know": plainly wrong, on every kind of card.
pub fn is_dont_know(folded: &str) -> bool {
    const DONT_KNOW: &[&str] = &[
        "不知道",
        "我不知道",
        "不会",
        "我不会",
        "不清楚",
        "不确定",
        "不记得",
        "不记得了",
        "忘了",
        "忘记了",
        "不懂",
        "不晓得",
        "没学过",
        "不知",
        "跳过",
        "pass",
        "idk",
    ];
    DONT_KNOW.contains(&folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restating_the_prompt_and_frame_words_are_harmless() {
        let c = Context::new(&["党的宗旨是什么？"]);
        assert!(c.harmless(&fold("党的宗旨是")));
        assert!(c.harmless(&fold("是在")));
        assert!(!c.harmless(&fold("发展经济")));
        assert!(!c.harmless(&fold("不")));
    }

    #[test]
    fn numbers_are_whole_words() {
        assert_eq!(find_word("7大", "7大", 0), Some(0));
        assert_eq!(find_word("17大", "7大", 0), None);
        assert_eq!(find_word("在7大上", "7大", 0), Some(3));
        // A number ends where the digits end, on both sides.
        assert_eq!(find_word("7大8大", "7大", 0), Some(0));
        assert_eq!(find_word("19456", "1945", 0), None);
        assert_eq!(find_word("在1945年", "1945", 0), Some(3));
        // Searching on from a byte offset gives offsets in the whole text.
        assert_eq!(find_word("不转化和转化", "转化", 6), Some(12));
    }

    #[test]
    fn very_long_answers_are_not_searched() {
        let c = Context::new(&["党的宗旨是什么？"]);
        let forms: Vec<KeyForm> = KeyForm::new("全心全意为人民服务").into_iter().collect();
        let key = fold("全心全意为人民服务");
        let padded = |n: usize| "是".repeat(n - key.chars().count()) + &key;
        assert_eq!(judge(&padded(MAX_SENTENCE), &forms, &c), Found::Right);
        assert_eq!(judge(&padded(MAX_SENTENCE + 1), &forms, &c), Found::Wrong);
    }

    #[test]
    fn the_key_inside_a_sentence() {
        let c = Context::new(&["三大优良作风是谁在哪次会议上提出的？"]);
        let forms: Vec<KeyForm> = ["毛泽东在党的七大上提出", "毛泽东，党的七大", "毛泽东 七大"]
            .iter()
            .filter_map(|f| KeyForm::new(f))
            .collect();
        let j = |a: &str| judge(&fold(a), &forms, &c);
        assert_eq!(j("是在七大上由毛泽东提出的"), Found::Right);
        assert_eq!(j("七大，毛泽东"), Found::Right);
        assert_eq!(j("毛泽东不是在七大上提出的"), Found::Wrong);
        assert_eq!(j("刘少奇在七大上提出"), Found::Wrong);
        assert!(matches!(j("七大"), Found::Partial(..)));
    }
}
