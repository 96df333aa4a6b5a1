//! Grading typed answers as a fair examiner would: tolerant of script,
//! width, punctuation, numerals, order (where order does not matter) and
//! IME slips; never tolerant of a wrong fact. Pure: no I/O, no clock.

mod blanks;
pub mod normalize;
mod numerals;
mod parts;
mod sentence;
mod slip;

use serde::Serialize;

pub use normalize::{fold, is_ignorable};
pub use slip::Slip;

use crate::deck::{Body, Card, option_letter};

/// The four verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Right.
    Correct,
    /// Right, with a small slip that is shown.
    Close,
    /// Some of the parts right.
    Partial,
    /// Wrong (or empty).
    Wrong,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Correct => "correct",
            Outcome::Close => "close",
            Outcome::Partial => "partial",
            Outcome::Wrong => "wrong",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Correct => "正确",
            Outcome::Close => "基本正确",
            Outcome::Partial => "部分正确",
            Outcome::Wrong => "错误",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Outcome::Correct => "✓",
            Outcome::Close => "≈",
            Outcome::Partial => "◐",
            Outcome::Wrong => "✗",
        }
    }

    /// Whether the answer counts as right (for quizzes and contests).
    pub fn is_right(self) -> bool {
        matches!(self, Outcome::Correct | Outcome::Close)
    }
}

/// How one expected part (a blank, a list item, a right option) fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartStatus {
    Right,
    /// Right, with a slip.
    Slip,
    /// Right, but in the wrong place of an ordered list or another blank's.
    Misplaced,
    /// Given only in part (an item abbreviated past its essentials, a key
    /// with words that may not be true around it).
    Incomplete,
    /// Not given, or given wrongly.
    Missing,
}

impl PartStatus {
    fn weight(self) -> f64 {
        match self {
            PartStatus::Right => 1.0,
            PartStatus::Slip => SLIP_WEIGHT,
            PartStatus::Misplaced | PartStatus::Incomplete => 0.5,
            PartStatus::Missing => 0.0,
        }
    }
}

/// Credit for a part that was right but for a slip.
const SLIP_WEIGHT: f64 = 0.9;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// The expected text (a blank's answer, an item, an option).
    pub expected: String,
    /// What the learner gave for it, when something was matched to it.
    pub given: Option<String>,
    pub status: PartStatus,
}

/// The result of grading one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub outcome: Outcome,
    /// 0.0–1.0.
    pub score: f64,
    /// Per blank, list item or right option, in the card's order.
    pub parts: Vec<Part>,
    /// What was expected and not given.
    pub missing: Vec<String>,
    /// What was given and is not part of the answer.
    pub extra: Vec<String>,
    /// What was accepted as a slip.
    pub slips: Vec<Slip>,
    /// Items of an ordered list given out of place.
    pub misplaced: Vec<String>,
    /// A remark for the learner (an empty or unreadable answer).
    pub note: Option<String>,
}

impl Verdict {
    fn wrong(note: Option<&str>) -> Verdict {
        Verdict {
            outcome: Outcome::Wrong,
            score: 0.0,
            parts: Vec::new(),
            missing: Vec::new(),
            extra: Vec::new(),
            slips: Vec::new(),
            misplaced: Vec::new(),
            note: note.map(str::to_owned),
        }
    }

    fn single(outcome: Outcome, slips: Vec<Slip>) -> Verdict {
        Verdict {
            outcome,
            score: match outcome {
                Outcome::Correct => 1.0,
                Outcome::Close => SLIP_WEIGHT,
                _ => 0.0,
            },
            slips,
            ..Verdict::wrong(None)
        }
    }

    /// Builds a verdict from its parts and the extras given.
    fn from_parts(parts: Vec<Part>, extra: Vec<String>, slips: Vec<Slip>) -> Verdict {
        let total = parts.len().max(1) as f64 + extra.len() as f64;
        let earned: f64 = parts.iter().map(|p| p.status.weight()).sum();
        let all_right = parts
            .iter()
            .all(|p| matches!(p.status, PartStatus::Right | PartStatus::Slip));
        let none_right = parts.iter().all(|p| p.status == PartStatus::Missing);
        let outcome = if none_right {
            Outcome::Wrong
        } else if all_right && extra.is_empty() {
            if parts.iter().any(|p| p.status == PartStatus::Slip) {
                Outcome::Close
            } else {
                Outcome::Correct
            }
        } else {
            Outcome::Partial
        };
        let pick = |status: PartStatus| -> Vec<String> {
            parts
                .iter()
                .filter(|p| p.status == status)
                .map(|p| p.expected.clone())
                .collect()
        };
        Verdict {
            outcome,
            score: if outcome == Outcome::Wrong {
                0.0
            } else {
                earned / total
            },
            missing: pick(PartStatus::Missing),
            misplaced: pick(PartStatus::Misplaced),
            parts,
            extra,
            slips,
            note: None,
        }
    }

    /// How many parts were right (in place and whole), for "部分正确 k/n".
    pub fn right_parts(&self) -> (usize, usize) {
        let right = self
            .parts
            .iter()
            .filter(|p| matches!(p.status, PartStatus::Right | PartStatus::Slip))
            .count();
        (right, self.parts.len())
    }
}

/// Grades an answer against a card, with options shown in deck order.
pub fn grade(card: &Card, answer: &str) -> Verdict {
    grade_shown(card, answer, None)
}

/// Grades an answer to a card whose options were shown shuffled:
/// `order[i]` is the deck index of the option shown at position `i`.
pub fn grade_shown(card: &Card, answer: &str, order: Option<&[usize]>) -> Verdict {
    let text = normalize::nfkc(answer);
    let folded = normalize::fold_nfkc(&text);
    if folded.is_empty() {
        return Verdict::wrong(Some("未作答"));
    }
    if sentence::is_dont_know(&folded) {
        // Plainly wrong; the answer is shown after it.
        return Verdict::wrong(None);
    }
    match &card.body {
        Body::Qa { answer, accept } => {
            let forms: Vec<&str> = std::iter::once(answer.as_str())
                .chain(accept.iter().map(String::as_str))
                .collect();
            match parts::match_forms(&folded, &parts::Forms::fold(&forms)) {
                Some(parts::Quality::Slip(_, slips)) => {
                    // What differs may only be words around the key
                    // (毛泽东在党的七大上): then it is no slip at all.
                    match in_sentence(&folded, &forms, &card_context(card, &forms)) {
                        v if v.outcome == Outcome::Correct => v,
                        _ => Verdict::single(Outcome::Close, slips),
                    }
                }
                Some(_) => Verdict::single(Outcome::Correct, Vec::new()),
                None => in_sentence(&folded, &forms, &card_context(card, &forms)),
            }
        }
        Body::Fill { parts: fill } => {
            let groups = crate::deck::fill::order_free_groups(&card.prompt);
            let answers: Vec<&str> = crate::deck::fill::blank_answers(fill);
            blanks::grade_fill(fill, &groups, &text, &card_context(card, &answers))
        }
        Body::List { items, ordered } => {
            // Numbering is read before NFKC turns ① into a bare 1.
            let text = normalize::nfkc(&parts::strip_numbering(answer));
            parts::grade_list(items, *ordered, &text, &card_context(card, &[]))
        }
        Body::Choice { options, answer } => {
            let order = display_order(order, options.len());
            match parts::choose(&text, options, &order) {
                Some(chosen) if chosen.len() == 1 && chosen[0] == *answer => {
                    Verdict::single(Outcome::Correct, Vec::new())
                }
                Some(chosen) => Verdict {
                    extra: chosen
                        .iter()
                        .map(|&i| option_label(options, &order, i))
                        .collect(),
                    missing: vec![option_label(options, &order, *answer)],
                    ..Verdict::wrong(None)
                },
                None => Verdict::wrong(Some("没有认出选的是哪一项：请回答选项字母，如 B")),
            }
        }
        Body::Multi { options, answers } => {
            let order = display_order(order, options.len());
            match parts::choose(&text, options, &order) {
                Some(chosen) => grade_multi(options, answers, &order, &chosen),
                None => Verdict::wrong(Some("没有认出选的是哪几项：请回答选项字母，如 ACD")),
            }
        }
        Body::Judge { answer } => match parts::judge_value(&folded) {
            Some(given) if given == *answer => Verdict::single(Outcome::Correct, Vec::new()),
            Some(_) => Verdict::wrong(None),
            None => Verdict::wrong(Some("没有认出是对还是错：请回答 对/错（或 √/×、是/否）")),
        },
    }
}

/// The card's own words, which an answer may restate freely: the prompt
/// and `more` (accepted forms, blank answers), and for a qa card the
/// explanation (a list's or fill's explanation may name wrong items).
fn card_context<'a>(card: &'a Card, more: &[&'a str]) -> sentence::Context<'a> {
    let mut texts = vec![card.prompt.as_str()];
    if matches!(card.body, Body::Qa { .. }) {
        texts.push(card.explain.as_deref().unwrap_or_default());
    }
    texts.extend_from_slice(more);
    sentence::Context::new(&texts)
}

/// A qa answer that is not one of the forms as a whole: the key content
/// inside the learner's own sentence.
fn in_sentence(folded: &str, forms: &[&str], context: &sentence::Context) -> Verdict {
    let keys: Vec<sentence::KeyForm> = forms
        .iter()
        .filter_map(|f| sentence::KeyForm::new(f))
        .collect();
    match sentence::judge(folded, &keys, context) {
        sentence::Found::Right => Verdict::single(Outcome::Correct, Vec::new()),
        sentence::Found::Partial(share, other) => Verdict {
            outcome: Outcome::Partial,
            // Key content found, shared with what else was said.
            score: share / (1.0 + other.len() as f64),
            note: Some(
                if share < 1.0 {
                    "只答出了一部分要点"
                } else {
                    "要点答出了，但多写的内容不是标准答案里的"
                }
                .to_owned(),
            ),
            extra: other,
            ..Verdict::wrong(None)
        },
        sentence::Found::Wrong => Verdict::wrong(None),
    }
}

fn display_order(order: Option<&[usize]>, len: usize) -> Vec<usize> {
    match order {
        Some(order) if order.len() == len => order.to_vec(),
        _ => (0..len).collect(),
    }
}

/// "B. 眼睛", with the letter the option was shown under.
fn option_label(options: &[String], order: &[usize], index: usize) -> String {
    let shown = order.iter().position(|&i| i == index).unwrap_or(index);
    format!("{}. {}", option_letter(shown), options[index])
}

/// 多选: a wrong option chosen scores nothing (错选不得分); right options
/// alone, but not all of them, score their share (少选得部分分).
fn grade_multi(
    options: &[String],
    answers: &[usize],
    order: &[usize],
    chosen: &[usize],
) -> Verdict {
    let extra: Vec<String> = chosen
        .iter()
        .filter(|i| !answers.contains(i))
        .map(|&i| option_label(options, order, i))
        .collect();
    let parts: Vec<Part> = answers
        .iter()
        .map(|&i| {
            let label = option_label(options, order, i);
            let hit = chosen.contains(&i);
            Part {
                given: hit.then(|| label.clone()),
                expected: label,
                status: if hit {
                    PartStatus::Right
                } else {
                    PartStatus::Missing
                },
            }
        })
        .collect();
    let mut verdict = Verdict::from_parts(parts, extra, Vec::new());
    if !verdict.extra.is_empty() {
        verdict.outcome = Outcome::Wrong;
        verdict.score = 0.0;
        verdict.note = Some("多选题选了错误选项，不得分".to_owned());
    }
    verdict
}

#[cfg(test)]
mod teacher;
#[cfg(test)]
mod tests;
