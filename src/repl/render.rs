//! How a card looks in the REPL: the question per kind (options lettered
//! and shuffled, blanks as ＿＿, "共5项"), hints, and the feedback after an
//! answer (verdict, right answer, explanation, source in Simplified).

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;

use crate::deck::{Body, Card, FillPart, fill, option_letter};
use crate::grade::Verdict;
use crate::term::{Painter, sanitize, sanitize_line, wrap};
use crate::view;

/// The order options are shown in (`order[i]` = deck index of the option
/// shown as letter i), shuffled from `seed`; `None` for kinds without
/// options.
pub fn option_order(card: &Card, seed: u64) -> Option<Vec<usize>> {
    let n = match &card.body {
        Body::Choice { options, .. } | Body::Multi { options, .. } => options.len(),
        _ => return None,
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut Xoshiro256PlusPlus::seed_from_u64(seed));
    Some(order)
}

/// The question, ready to print.
pub fn question(card: &Card, order: Option<&[usize]>, width: usize, painter: &Painter) -> String {
    let mut out = String::new();
    out.push_str(&painter.bold(&wrap(&sanitize(&card.prompt_shown()), width)));
    out.push('\n');
    match &card.body {
        Body::Choice { options, .. } | Body::Multi { options, .. } => {
            let order: Vec<usize> =
                order.map_or_else(|| (0..options.len()).collect(), <[usize]>::to_vec);
            for (shown, &i) in order.iter().enumerate() {
                let line = format!("  {}. {}", option_letter(shown), sanitize_line(&options[i]));
                out.push_str(&wrap(&line, width));
                out.push('\n');
            }
        }
        _ => {}
    }
    out.push_str(&painter.dim(&instructions(card)));
    out.push('\n');
    out
}

/// How to answer, per kind.
pub fn instructions(card: &Card) -> String {
    match &card.body {
        Body::Qa { .. } => "（简答：直接输入答案）".to_owned(),
        Body::Fill { parts } => {
            let blanks = fill::blank_answers(parts).len();
            if blanks > 1 {
                format!("（填空：共{blanks}空，依次填写，用空格或顿号分开）")
            } else {
                "（填空：输入空格处的内容）".to_owned()
            }
        }
        Body::Choice { .. } => "（单选：输入字母）".to_owned(),
        Body::Multi { .. } => "（多选：输入所有正确选项的字母，如 ACD）".to_owned(),
        Body::Judge { .. } => "（判断：输入 对 或 错）".to_owned(),
        Body::List { items, ordered } => {
            let order = if *ordered { "，按顺序" } else { "" };
            format!("（列举：共{}项{order}，用顿号或空格分开）", items.len())
        }
    }
}

/// The `level`-th hint (1 for the first `:h`): each one gives away a
/// little more — more leading characters, one more list item, one more
/// wrong option ruled out — but never the whole answer. `None` when there
/// is nothing more to give.
pub fn hint(card: &Card, order: Option<&[usize]>, level: usize) -> Option<String> {
    let level = level.max(1);
    // The first `n` characters of `s`, never all of them.
    let head = |s: &str, n: usize| -> Option<String> {
        let len = s.chars().count();
        let n = n.min(len.saturating_sub(1));
        (n > 0).then(|| s.chars().take(n).collect())
    };
    let shown_order =
        |n: usize| -> Vec<usize> { order.map_or_else(|| (0..n).collect(), <[usize]>::to_vec) };
    match &card.body {
        Body::Qa { answer, .. } => {
            let len = answer.chars().count();
            // 1 character, then a quarter, then half of the answer.
            let mut steps: Vec<usize> = [1, (len / 4).max(2), (len / 2).max(3)]
                .into_iter()
                .filter(|&n| n < len)
                .collect();
            steps.dedup();
            let n = *steps.get(level - 1)?;
            let given = head(answer, n)?;
            Some(format!(
                "提示：答案以“{}”开头，共 {len} 个字",
                sanitize_line(&given)
            ))
        }
        Body::Fill { parts } => {
            let blanks: Vec<&String> = parts
                .iter()
                .filter_map(|p| match p {
                    FillPart::Blank(a) => a.first(),
                    FillPart::Text(_) => None,
                })
                .collect();
            let heads: Vec<Option<String>> = blanks.iter().map(|b| head(b, level)).collect();
            let before: Vec<Option<String>> = blanks.iter().map(|b| head(b, level - 1)).collect();
            if level > 1 && heads == before {
                return None;
            }
            let shown: Vec<String> = blanks
                .iter()
                .zip(&heads)
                .map(|(b, h)| {
                    format!(
                        "{}…（{} 字）",
                        sanitize_line(h.as_deref().unwrap_or("")),
                        b.chars().count()
                    )
                })
                .collect();
            Some(format!("提示：{}", shown.join("、")))
        }
        Body::List { items, .. } => {
            // One more item each time, never all of them.
            if items.len() < 2 || level >= items.len() {
                return None;
            }
            let named: Vec<String> = items[..level]
                .iter()
                .map(|i| format!("“{}”", sanitize_line(&i.text)))
                .collect();
            Some(format!(
                "提示：其中{}是{}",
                if level == 1 { "一项" } else { "几项" },
                named.join("、")
            ))
        }
        Body::Choice { options, answer } => {
            // Rule out one more wrong option each time; two always stay.
            let wrong: Vec<usize> = shown_order(options.len())
                .iter()
                .enumerate()
                .filter(|(_, i)| *i != answer)
                .map(|(shown, _)| shown)
                .collect();
            if options.len() <= 2 || level > options.len() - 2 {
                return None;
            }
            let letters: Vec<String> = wrong[..level]
                .iter()
                .map(|&s| option_letter(s).to_string())
                .collect();
            Some(format!("提示：{} 不对", letters.join("、")))
        }
        Body::Multi { options, answers } => {
            let wrong: Vec<usize> = shown_order(options.len())
                .iter()
                .enumerate()
                .filter(|(_, i)| !answers.contains(i))
                .map(|(shown, _)| shown)
                .collect();
            if level == 1 {
                return Some(format!(
                    "提示：共有 {} 个正确选项；{}",
                    answers.len(),
                    wrong.first().map_or_else(
                        || "每一项都对".to_owned(),
                        |&s| format!("{} 不对", option_letter(s))
                    )
                ));
            }
            if level > wrong.len() {
                return None;
            }
            let letters: Vec<String> = wrong[..level]
                .iter()
                .map(|&s| option_letter(s).to_string())
                .collect();
            Some(format!(
                "提示：共有 {} 个正确选项；{} 不对",
                answers.len(),
                letters.join("、")
            ))
        }
        Body::Judge { .. } => None,
    }
}

/// Why an answer should be typed again rather than graded: a choice
/// answer naming a letter that is not among the options (E on a
/// four-option card), or a letter followed by another option's text
/// ("C 精简会议活动" when C is something else). `None` when the answer
/// can be graded.
pub fn ask_again(card: &Card, answer: &str, order: Option<&[usize]>) -> Option<String> {
    let options = match &card.body {
        Body::Choice { options, .. } | Body::Multi { options, .. } if !options.is_empty() => {
            options
        }
        _ => return None,
    };
    let n = options.len();
    if let Some(why) = letter_and_text_disagree(options, answer, order) {
        return Some(why);
    }
    let letters: Vec<char> = answer
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '，' | '、' | ';' | '；' | '.' | '。'))
        .map(|c| match c {
            'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    // Only what reads as option letters (A–H, the letters cards use) is
    // asked again; "x" or "ok" is an answer, graded wrong.
    if letters.is_empty()
        || !letters
            .iter()
            .all(|c| matches!(c.to_ascii_uppercase(), 'A'..='H'))
    {
        return None;
    }
    let out_of_range = letters
        .iter()
        .any(|c| (c.to_ascii_uppercase() as usize).saturating_sub('A' as usize) >= n);
    out_of_range.then(|| {
        format!(
            "只有 A–{} 这 {n} 个选项，请重新输入。",
            option_letter(n - 1)
        )
    })
}

/// "C 精简会议活动": one letter, then text that is not the option shown
/// as that letter.
fn letter_and_text_disagree(
    options: &[String],
    answer: &str,
    order: Option<&[usize]>,
) -> Option<String> {
    let answer = answer.trim();
    let mut chars = answer.chars();
    let letter = match chars.next()? {
        c @ ('Ａ'..='Ｚ' | 'ａ'..='ｚ') => char::from_u32(c as u32 - 0xFEE0)?,
        c if c.is_ascii_alphabetic() => c,
        _ => return None,
    }
    .to_ascii_uppercase();
    let rest = chars
        .as_str()
        .trim_start_matches(|c: char| {
            c.is_whitespace()
                || matches!(c, '.' | '．' | '、' | ':' | '：' | ')' | '）' | ',' | '，')
        })
        .trim();
    // Only text after the letter ("AC", "A C" are letters).
    if rest.is_ascii() {
        return None;
    }
    let shown = (letter as usize).checked_sub('A' as usize)?;
    let index = match order {
        Some(order) => *order.get(shown)?,
        None => shown,
    };
    let option = crate::grade::fold(options.get(index)?);
    let given = crate::grade::fold(rest);
    if given.is_empty() || option.contains(&given) || given.contains(&option) {
        return None;
    }
    Some(format!(
        "字母 {letter} 是“{}”，和后面写的“{}”对不上：请重新输入。",
        sanitize_line(&options[index]),
        sanitize_line(rest)
    ))
}

/// A choice answer with no letter at all ("不知道") is plainly wrong: the
/// grader's remark about unreadable letters is dropped.
pub fn tidy_verdict(card: &Card, answer: &str, verdict: &mut Verdict) {
    let choice = matches!(card.body, Body::Choice { .. } | Body::Multi { .. });
    if choice && !verdict.outcome.is_right() && !answer.chars().any(|c| c.is_ascii_alphabetic()) {
        verdict.note = None;
    }
}

/// The right answer with options named by the letters they were shown as.
pub fn answer_shown(card: &Card, order: Option<&[usize]>) -> String {
    let shown = |i: usize| {
        order
            .and_then(|o| o.iter().position(|&x| x == i))
            .unwrap_or(i)
    };
    match &card.body {
        Body::Choice { options, answer } => {
            format!("{}. {}", option_letter(shown(*answer)), options[*answer])
        }
        Body::Multi { options, answers } => {
            let mut picked: Vec<(usize, &String)> =
                answers.iter().map(|&i| (shown(i), &options[i])).collect();
            picked.sort();
            picked
                .iter()
                .map(|(s, o)| format!("{}. {o}", option_letter(*s)))
                .collect::<Vec<_>>()
                .join("；")
        }
        _ => card.answer_text(),
    }
}

/// Everything shown after an answer.
pub fn feedback(
    card: &Card,
    verdict: &Verdict,
    order: Option<&[usize]>,
    width: usize,
    painter: &Painter,
) -> String {
    let mut out = String::new();
    out.push_str(&view::verdict_headline(verdict, painter));
    out.push('\n');
    for line in view::verdict_details(card, verdict, painter) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&wrap(
        &format!("标准答案：{}", sanitize(&answer_shown(card, order))),
        width,
    ));
    out.push('\n');
    out.push_str(&explanation(card, width, painter));
    out
}

/// 解析 and 出处 (the quote in Simplified script).
pub fn explanation(card: &Card, width: usize, painter: &Painter) -> String {
    let mut out = String::new();
    if let Some(explain) = &card.explain {
        out.push_str(&wrap(&format!("解析：{}", sanitize(explain)), width));
        out.push('\n');
    }
    if let Some(source) = &card.source {
        let quote = view::quote_shown(source);
        out.push_str(&painter.dim(&wrap(
            &format!("出处〔{}〕：“{}”", sanitize_line(&source.doc), quote),
            width,
        )));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Library;

    fn card(deck: &str, id: &str) -> Card {
        let (lib, _) = Library::load(&[]).unwrap();
        lib.deck(deck).unwrap().card(id).unwrap().clone()
    }

    /// “不知道” to a choice question is plainly wrong: no remark about
    /// letters; an answer with a letter keeps the grader's remark.
    #[test]
    fn a_letterless_wrong_choice_answer_has_no_remark() {
        let c = card("wu-ge-bi-yu", "tong-qiang-tie-bi-shi-jian");
        let mut v = crate::grade::grade(&c, "不知道").clone();
        v.note = Some("remark".into());
        assert!(!v.outcome.is_right());
        tidy_verdict(&c, "不知道", &mut v);
        assert_eq!(v.note, None);
        let mut v = crate::grade::grade(&c, "Z").clone();
        v.note = Some("remark".into());
        tidy_verdict(&c, "Z", &mut v);
        assert_eq!(v.note.as_deref(), Some("remark"));
    }

    #[test]
    fn shuffled_options_are_lettered_in_shown_order_and_repeatable() {
        let c = card("wu-ge-bi-yu", "tong-qiang-tie-bi-shi-jian");
        let a = option_order(&c, 42).unwrap();
        assert_eq!(a, option_order(&c, 42).unwrap());
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, vec![0, 1, 2, 3]);
        let q = question(&c, Some(&a), 0, &Painter::plain());
        let first_shown = match &c.body {
            Body::Choice { options, .. } => options[a[0]].clone(),
            _ => unreachable!(),
        };
        assert!(q.contains(&format!("A. {first_shown}")), "{q}");
        let right = a.iter().position(|&i| i == 0).unwrap();
        assert!(answer_shown(&c, Some(&a)).starts_with(option_letter(right)));
    }

    #[test]
    fn fill_blanks_show_as_lines_and_lists_say_how_many() {
        let c = card("wu-ge-bi-yu", "zhong-zi-tu-di");
        assert!(
            question(&c, None, 0, &Painter::plain())
                .contains("我们共产党人好比＿＿，人民好比＿＿。")
        );
        let l = card("wu-ge-bi-yu", "wu-ge-bi-yu-lie-ju");
        assert!(question(&l, None, 0, &Painter::plain()).contains("共5项"));
    }

    #[test]
    fn the_source_is_shown_in_simplified_script() {
        let c = card("wu-ge-bi-yu", "zhong-zi-tu-di");
        let text = explanation(&c, 0, &Painter::plain());
        assert!(text.contains("我们共产党人好比种子"), "{text}");
    }

    #[test]
    fn hints_never_give_the_whole_answer_away() {
        let c = card("wu-ge-bi-yu", "shang-di-chu-chu");
        assert_eq!(
            hint(&c, None, 1).as_deref(),
            Some("提示：答案以“中”开头，共 13 个字")
        );
        let j = card("wu-ge-bi-yu", "yan-jing-pan-duan");
        assert_eq!(hint(&j, None, 1), None);
    }

    #[test]
    fn each_hint_gives_more_and_never_everything() {
        let c = card("wu-ge-bi-yu", "shang-di-chu-chu");
        let hints: Vec<String> = (1..10).map_while(|l| hint(&c, None, l)).collect();
        assert_eq!(hints.len(), 3, "{hints:?}");
        assert!(hints[1].contains("“中共七”"), "{hints:?}");
        let l = card("wu-ge-bi-yu", "wu-ge-bi-yu-lie-ju");
        let hints: Vec<String> = (1..10).map_while(|n| hint(&l, None, n)).collect();
        assert_eq!(
            hints.len(),
            4,
            "one item more each time, never all five: {hints:?}"
        );
        let f = card("wu-ge-bi-yu", "zhong-zi-tu-di");
        let first = hint(&f, None, 1).unwrap();
        assert!(
            first.contains("种…（2 字）") && first.contains("土…"),
            "{first}"
        );
        assert_eq!(
            hint(&f, None, 2),
            None,
            "a two-character blank is never given away"
        );
        let ch = card("wu-ge-bi-yu", "tong-qiang-tie-bi-shi-jian");
        let order = option_order(&ch, 7).unwrap();
        let hints: Vec<String> = (1..10).map_while(|n| hint(&ch, Some(&order), n)).collect();
        assert_eq!(hints.len(), 2, "two options always stay: {hints:?}");
        let right = option_letter(order.iter().position(|&i| i == 0).unwrap()).to_string();
        assert!(
            hints.iter().all(|h| !h.contains(right.as_str())),
            "{hints:?}"
        );
    }

    #[test]
    fn letters_beyond_the_options_are_asked_again() {
        let ch = card("wu-ge-bi-yu", "tong-qiang-tie-bi-shi-jian");
        assert!(ask_again(&ch, "E", None).unwrap().contains("A–D"));
        assert!(ask_again(&ch, "ｅ", None).is_some());
        assert_eq!(ask_again(&ch, "b", None), None);
        assert_eq!(ask_again(&ch, "不知道", None), None);
        // Not option letters at all: an answer, graded (wrong), so a
        // script's "x" is one answer, not a question asked twice.
        assert_eq!(ask_again(&ch, "x", None), None);
        assert_eq!(ask_again(&ch, "ok", None), None);
        assert!(ask_again(&ch, "ABF", None).is_some());
        let qa = card("wu-ge-bi-yu", "shang-di-chu-chu");
        assert_eq!(ask_again(&qa, "E", None), None);
    }

    /// A choice card built without options (decks refuse them, but cards
    /// are also made in code) is graded as typed, never asked again.
    #[test]
    fn a_choice_without_options_is_never_asked_again() {
        let mut ch = card("wu-ge-bi-yu", "tong-qiang-tie-bi-shi-jian");
        ch.body = Body::Choice {
            options: Vec::new(),
            answer: 0,
        };
        for answer in ["A", "E", "ABF", "不知道"] {
            assert_eq!(ask_again(&ch, answer, None), None, "{answer}");
        }
    }

    #[test]
    fn a_letter_with_another_options_text_is_asked_again() {
        // Options: 改进调查研究, 精简会议活动, 开展大调解, …
        let m = card("ba-xiang-gui-ding", "ba-xiang-duo-xuan");
        let why = ask_again(&m, "C 精简会议活动", None).unwrap();
        assert!(
            why.contains("开展大调解") && why.contains("精简会议活动"),
            "{why}"
        );
        assert_eq!(ask_again(&m, "B 精简会议活动", None), None);
        assert_eq!(ask_again(&m, "B. 精简会议", None), None);
        assert_eq!(ask_again(&m, "A C", None), None);
        assert_eq!(ask_again(&m, "精简会议活动", None), None);
        // Letters are the ones shown: with the first two swapped, A is
        // 精简会议活动.
        let order = [1, 0, 2, 3, 4, 5];
        assert_eq!(ask_again(&m, "A 精简会议活动", Some(&order)), None);
        assert!(ask_again(&m, "B 精简会议活动", Some(&order)).is_some());
    }
}
