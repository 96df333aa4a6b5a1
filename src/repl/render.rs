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
    let prompt = match &card.body {
        Body::Fill { parts } => fill::render_with_blanks(parts, "＿＿"),
        _ => card.prompt.clone(),
    };
    out.push_str(&painter.bold(&wrap(&sanitize(&prompt), width)));
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

/// A hint: the first character of the answer (of each blank), one list
/// item, or one wrong option ruled out.
pub fn hint(card: &Card, order: Option<&[usize]>) -> String {
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    match &card.body {
        Body::Qa { answer, .. } => format!(
            "提示：答案以“{}”开头，共 {} 个字",
            first(answer),
            answer.chars().count()
        ),
        Body::Fill { parts } => {
            let heads: Vec<String> = parts
                .iter()
                .filter_map(|p| match p {
                    FillPart::Blank(a) => a.first().map(|s| format!("{}…", first(s))),
                    FillPart::Text(_) => None,
                })
                .collect();
            format!("提示：{}", heads.join("、"))
        }
        Body::List { items, .. } => format!("提示：其中一项是“{}”", sanitize_line(&items[0].text)),
        Body::Choice { options, answer } if options.len() > 2 => {
            let order: Vec<usize> =
                order.map_or_else(|| (0..options.len()).collect(), <[usize]>::to_vec);
            match order.iter().position(|i| i != answer) {
                Some(shown) => format!("提示：{} 不对", option_letter(shown)),
                None => "提示：这道题没有提示，想一想再答".to_owned(),
            }
        }
        Body::Multi { options, answers } => {
            let order: Vec<usize> =
                order.map_or_else(|| (0..options.len()).collect(), <[usize]>::to_vec);
            format!(
                "提示：共有 {} 个正确选项；{}",
                answers.len(),
                order.iter().position(|i| !answers.contains(i)).map_or_else(
                    || "每一项都对".to_owned(),
                    |shown| format!("{} 不对", option_letter(shown))
                )
            )
        }
        _ => "提示：这道题没有提示，想一想再答".to_owned(),
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
        assert_eq!(hint(&c, None), "提示：答案以“中”开头，共 13 个字");
        let j = card("wu-ge-bi-yu", "yan-jing-pan-duan");
        assert!(hint(&j, None).contains("没有提示"));
    }
}
