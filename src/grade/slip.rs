//! Small slips in typed answers: a weighted edit distance in which a
//! same-pinyin substitution (the typical IME slip, 计 for 记) costs less
//! than another character, and negations and digits never count as slips.

use pinyin::ToPinyinMulti;
use serde::Serialize;

/// One place where the answer differs from the expected text but was
/// accepted as a slip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slip {
    pub expected: String,
    pub given: String,
    /// Whether every substituted character reads the same in pinyin.
    pub homophone: bool,
}

const HOMOPHONE: f32 = 0.4;
const EDIT: f32 = 1.0;
/// Effectively forbids an edit.
const NEVER: f32 = 1_000.0;

/// Characters that change a statement's meaning outright: dropping or
/// adding one is never a slip.
fn is_critical(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '不' | '没' | '无' | '非' | '未' | '否' | '勿' | '别' | '莫' | '禁'
        )
}

/// Whether two characters share a pinyin reading (tones ignored).
pub fn homophones(a: char, b: char) -> bool {
    same_reading(a.to_pinyin_multi(), b.to_pinyin_multi())
}

fn substitution(a: char, b: char) -> f32 {
    if a == b {
        0.0
    } else if is_critical(a) || is_critical(b) {
        NEVER
    } else if homophones(a, b) {
        HOMOPHONE
    } else {
        EDIT
    }
}

fn indel(c: char) -> f32 {
    if is_critical(c) { NEVER } else { EDIT }
}

/// The slip budget for an expected text of `n` characters. A one-character
/// answer never matches by fuzz; two or three characters allow one
/// homophone; longer texts allow about one edit in six characters.
pub fn allowance(n: usize) -> f32 {
    match n {
        0 | 1 => 0.0,
        2 | 3 => HOMOPHONE,
        4..=6 => EDIT,
        7..=12 => 2.0 * EDIT,
        _ => n as f32 / 6.0,
    }
}

/// Aligns a given answer against an expected text (both in comparison
/// form). Returns the slips when the difference is within the allowance.
pub fn within_slips(expected: &str, given: &str) -> Option<(f32, Vec<Slip>)> {
    // Cheap rejections first: this runs for every piece × item pair.
    let (n, m) = (expected.chars().count(), given.chars().count());
    let budget = allowance(n);
    if budget == 0.0 || (n.abs_diff(m) as f32) * EDIT > budget {
        return None;
    }
    SCRATCH.with_borrow_mut(|scratch| {
        let Scratch { e, g, cost, op } = scratch;
        e.clear();
        e.extend(expected.chars());
        g.clear();
        g.extend(given.chars());
        // Characters of one side missing from the other each cost at least
        // a homophone substitution.
        let missing = e.iter().filter(|c| !g.contains(c)).count();
        if missing as f32 * HOMOPHONE > budget + f32::EPSILON {
            return None;
        }
        let (total, slips) = align(e, g, budget, cost, op)?;
        (total > 0.0 && total <= budget + f32::EPSILON).then_some((total, slips))
    })
}

/// Buffers reused between alignments: grading a list compares every piece
/// with every item, and allocating for each comparison dominated.
#[derive(Default)]
struct Scratch {
    e: Vec<char>,
    g: Vec<char>,
    cost: Vec<f32>,
    op: Vec<Op>,
}

/// Whether two looked-up readings share a pinyin (tones ignored).
fn same_reading(a: Option<pinyin::PinyinMulti>, b: Option<pinyin::PinyinMulti>) -> bool {
    match (a, b) {
        (Some(pa), Some(pb)) => pa
            .into_iter()
            .any(|x| pb.into_iter().any(|y| x.plain() == y.plain())),
        _ => false,
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Keep,
    Sub,
    Del,
    Ins,
    Swap,
}

/// Weighted Damerau-Levenshtein alignment with the differing stretches.
/// Gives up (None) as soon as the difference must exceed `budget`.
fn align(
    e: &[char],
    g: &[char],
    budget: f32,
    cost: &mut Vec<f32>,
    op: &mut Vec<Op>,
) -> Option<(f32, Vec<Slip>)> {
    let (n, m) = (e.len(), g.len());
    let w = m + 1;
    cost.clear();
    cost.resize((n + 1) * w, 0.0);
    op.clear();
    op.resize((n + 1) * w, Op::Keep);
    for i in 1..=n {
        cost[i * w] = cost[(i - 1) * w] + indel(e[i - 1]);
        op[i * w] = Op::Del;
    }
    for j in 1..=m {
        cost[j] = cost[j - 1] + indel(g[j - 1]);
        op[j] = Op::Ins;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = cost[(i - 1) * w + j - 1] + substitution(e[i - 1], g[j - 1]);
            let del = cost[(i - 1) * w + j] + indel(e[i - 1]);
            let ins = cost[i * w + j - 1] + indel(g[j - 1]);
            let mut best = (
                sub,
                if e[i - 1] == g[j - 1] {
                    Op::Keep
                } else {
                    Op::Sub
                },
            );
            if del < best.0 {
                best = (del, Op::Del);
            }
            if ins < best.0 {
                best = (ins, Op::Ins);
            }
            if i > 1
                && j > 1
                && e[i - 1] == g[j - 2]
                && e[i - 2] == g[j - 1]
                && e[i - 1] != g[j - 1]
            {
                let swap = cost[(i - 2) * w + j - 2] + EDIT;
                if swap < best.0 {
                    best = (swap, Op::Swap);
                }
            }
            cost[i * w + j] = best.0;
            op[i * w + j] = best.1;
        }
        // Every path crosses row i or row i-1 (a swap may skip one row),
        // and costs never decrease along a path: once both rows are over
        // budget, so is the whole alignment.
        let row_min = |r: usize| {
            cost[r * w..(r + 1) * w]
                .iter()
                .copied()
                .fold(f32::INFINITY, f32::min)
        };
        if row_min(i) > budget + f32::EPSILON && row_min(i - 1) > budget + f32::EPSILON {
            return None;
        }
    }
    // Walk back, grouping neighbouring edits into one slip.
    let mut slips: Vec<Slip> = Vec::new();
    let (mut i, mut j) = (n, m);
    let mut current: Option<(Vec<char>, Vec<char>, bool)> = None;
    let flush = |current: &mut Option<(Vec<char>, Vec<char>, bool)>, slips: &mut Vec<Slip>| {
        if let Some((mut ex, mut gi, homophone)) = current.take() {
            ex.reverse();
            gi.reverse();
            slips.push(Slip {
                expected: ex.into_iter().collect(),
                given: gi.into_iter().collect(),
                homophone,
            });
        }
    };
    while i > 0 || j > 0 {
        let this = op[i * w + j];
        if this == Op::Keep {
            flush(&mut current, &mut slips);
            i -= 1;
            j -= 1;
            continue;
        }
        let entry = current.get_or_insert_with(|| (Vec::new(), Vec::new(), true));
        match this {
            Op::Sub => {
                entry.2 &= homophones(e[i - 1], g[j - 1]);
                entry.0.push(e[i - 1]);
                entry.1.push(g[j - 1]);
                i -= 1;
                j -= 1;
            }
            Op::Del => {
                entry.2 = false;
                entry.0.push(e[i - 1]);
                i -= 1;
            }
            Op::Ins => {
                entry.2 = false;
                entry.1.push(g[j - 1]);
                j -= 1;
            }
            Op::Swap => {
                entry.2 = false;
                entry.0.extend([e[i - 1], e[i - 2]]);
                entry.1.extend([g[j - 1], g[j - 2]]);
                i -= 2;
                j -= 2;
            }
            Op::Keep => {}
        }
    }
    flush(&mut current, &mut slips);
    slips.reverse();
    Some((cost[n * w + m], slips))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ime_homophone_is_a_cheap_slip() {
        let (cost, slips) = within_slips("记忆", "计忆").expect("homophone slip");
        assert!(cost < 0.5);
        assert_eq!(
            slips,
            vec![Slip {
                expected: "记".into(),
                given: "计".into(),
                homophone: true
            }]
        );
    }

    #[test]
    fn a_non_homophone_in_a_short_answer_is_not_a_slip() {
        assert!(within_slips("眼睛", "眼珠").is_none());
        assert!(within_slips("水", "火").is_none());
        assert!(
            within_slips("水", "水").is_none(),
            "an exact match is not a slip"
        );
    }

    #[test]
    fn one_typo_in_a_longer_answer_is_a_slip() {
        let (_, slips) = within_slips("理论联系实际", "理论连系实际").expect("slip");
        assert_eq!(slips[0].expected, "联");
        let (_, slips) = within_slips("密切联系群众", "密切联系众群").expect("swap");
        assert_eq!(
            (slips[0].expected.as_str(), slips[0].given.as_str()),
            ("群众", "众群")
        );
    }

    #[test]
    fn negations_and_digits_are_never_slips() {
        assert!(within_slips("要坚持群众路线", "不要坚持群众路线").is_none());
        assert!(within_slips("绝不失态了", "绝失态了").is_none());
        assert!(within_slips("1944年7月", "1945年7月").is_none());
    }

    #[test]
    fn many_differences_are_too_many() {
        assert!(within_slips("群众观念只能强化", "群众观念只能淡化弱化").is_none());
    }

    #[test]
    fn homophones_ignore_tone_and_know_heteronyms() {
        assert!(homophones('记', '计'));
        assert!(homophones('行', '航')); // 行 reads háng as well as xíng
        assert!(!homophones('水', '火'));
        assert!(!homophones('a', 'b'));
    }
}
