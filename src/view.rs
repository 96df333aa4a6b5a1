//! Chinese text for cards and verdicts, shared by every command that shows
//! them (grade, study, quiz). Builds strings; printing is the caller's.

use crate::deck::{Body, Card};
use crate::grade::{Outcome, PartStatus, Verdict};
use crate::term::{Painter, sanitize, sanitize_line};

/// "✓ 正确", "◐ 部分正确 3/5", coloured by outcome.
pub fn verdict_headline(verdict: &Verdict, painter: &Painter) -> String {
    let outcome = verdict.outcome;
    let mut text = format!("{} {}", outcome.symbol(), outcome.label());
    if outcome == Outcome::Partial {
        let (right, total) = verdict.right_parts();
        if total > 0 {
            text.push_str(&format!(" {right}/{total}"));
        }
    }
    match outcome {
        Outcome::Correct => painter.good(&text),
        Outcome::Close | Outcome::Partial => painter.warning(&text),
        Outcome::Wrong => painter.error(&text),
    }
}

/// The lines explaining a verdict: per-part results, missing and extra
/// items, out-of-place items, slips and notes.
pub fn verdict_details(card: &Card, verdict: &Verdict, painter: &Painter) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(note) = &verdict.note {
        // Not "提示：", which is what :h gives.
        lines.push(format!("说明：{note}"));
    }
    let show_parts =
        matches!(card.body, Body::List { .. } | Body::Fill { .. }) && verdict.parts.len() > 1;
    if show_parts {
        for (i, part) in verdict.parts.iter().enumerate() {
            let label = match card.body {
                Body::Fill { .. } => format!("第{}空", i + 1),
                _ => format!("{}.", i + 1),
            };
            let expected = sanitize_line(&part.expected);
            let line = match (part.status, &part.given) {
                (PartStatus::Right, _) => painter.good(&format!("  ✓ {label} {expected}")),
                (PartStatus::Slip, Some(given)) => painter.warning(&format!(
                    "  ≈ {label} {expected}（你写的是“{}”）",
                    sanitize_line(given)
                )),
                (PartStatus::Misplaced, _) => {
                    painter.warning(&format!("  ↕ {label} {expected}（位置不对）"))
                }
                (PartStatus::Incomplete, Some(given)) => painter.warning(&format!(
                    "  ◐ {label} {expected}（你写的是“{}”，不完整）",
                    sanitize_line(given)
                )),
                (PartStatus::Missing, Some(given)) => painter.error(&format!(
                    "  ✗ {label} {expected}（你写的是“{}”）",
                    sanitize_line(given)
                )),
                (_, _) => painter.error(&format!("  ✗ {label} {expected}（未答出）")),
            };
            lines.push(line);
        }
    } else if matches!(card.body, Body::Multi { .. }) {
        // Every pick, each marked: the right ones are the parts given,
        // the wrong ones the extras. Labels start with the letter shown,
        // so sorting puts A before B.
        let mut picks: Vec<(String, bool)> = verdict
            .parts
            .iter()
            .filter(|p| p.status == PartStatus::Right)
            .filter_map(|p| p.given.clone().map(|g| (g, true)))
            .chain(verdict.extra.iter().map(|e| (e.clone(), false)))
            .collect();
        picks.sort();
        if !picks.is_empty() && !verdict.outcome.is_right() {
            let shown: Vec<String> = picks
                .iter()
                .map(|(label, right)| {
                    let mark = if *right { "✓" } else { "✗" };
                    format!("{mark} {}", sanitize_line(label))
                })
                .collect();
            lines.push(format!("你选的：{}", shown.join("　")));
        }
        if !verdict.missing.is_empty() {
            let mut missing = verdict.missing.clone();
            missing.sort();
            lines.push(painter.error(&format!("漏选：{}", join(&missing))));
        }
    }
    if !verdict.extra.is_empty() && !matches!(card.body, Body::Multi { .. }) {
        let label = match card.body {
            Body::Choice { .. } | Body::Multi { .. } => "你选的",
            _ => "多写了",
        };
        lines.push(painter.error(&format!("{label}：{}", join(&verdict.extra))));
    }
    for slip in &verdict.slips {
        let kind = if slip.homophone {
            "（同音字）"
        } else {
            ""
        };
        let line = match (slip.expected.is_empty(), slip.given.is_empty()) {
            (false, false) => format!(
                "笔误：“{}”应为“{}”{kind}",
                sanitize_line(&slip.given),
                sanitize_line(&slip.expected)
            ),
            (false, true) => format!("笔误：漏了“{}”", sanitize_line(&slip.expected)),
            _ => format!("笔误：多了“{}”", sanitize_line(&slip.given)),
        };
        lines.push(painter.warning(&line));
    }
    lines
}

fn join(items: &[String]) -> String {
    items
        .iter()
        .map(|s| sanitize_line(s))
        .collect::<Vec<_>>()
        .join("、")
}

/// How much of a source quote is shown after an answer or on the projector.
pub const QUOTE_SHOWN: usize = 120;

/// A card's source passages in Simplified script, abridged and safe to
/// print (decks keep them whole and in the document's script).
/// Quotation marks at both ends of a passage are dropped: the caller
/// wraps it in “” itself (no `“"失去孩子没有失去爱"”`).
pub fn quote_shown(citation: &crate::deck::Citation) -> String {
    let joined = citation
        .quotes
        .iter()
        .map(|q| unquoted(q.text.trim()))
        .collect::<Vec<_>>()
        .join("……");
    sanitize_line(&crate::term::abridge(
        unquoted(&hanconv::t2s(&joined)),
        QUOTE_SHOWN,
    ))
}

/// `text` without a pair of quotation marks around all of it; a text
/// that only starts and ends with two different quotations
/// (`“眼睛”……“土地”`) is kept whole.
fn unquoted(text: &str) -> &str {
    const PAIRS: [(char, char); 6] = [
        ('"', '"'),
        ('\'', '\''),
        ('“', '”'),
        ('‘', '’'),
        ('「', '」'),
        ('『', '』'),
    ];
    let mut chars = text.chars();
    let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
        return text;
    };
    for (open, close) in PAIRS {
        if first == open && last == close {
            let inner = &text[open.len_utf8()..text.len() - close.len_utf8()];
            if !inner.contains(open) && !inner.contains(close) {
                return inner.trim();
            }
        }
    }
    text
}

/// "标准答案：…" with the card's right answer.
pub fn answer_line(card: &Card) -> String {
    format!("标准答案：{}", sanitize(&card.answer_text()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{Citation, Quote};

    fn cite(quotes: &[&str]) -> Citation {
        Citation {
            doc: "001".to_owned(),
            quotes: quotes
                .iter()
                .map(|q| Quote {
                    text: (*q).to_owned(),
                    position: (1, 1),
                })
                .collect(),
        }
    }

    #[test]
    fn a_multi_answer_shows_every_pick_marked() {
        let (lib, _) = crate::deck::Library::load(&[]).unwrap();
        let card = lib
            .deck("ba-xiang-gui-ding")
            .unwrap()
            .card("ba-xiang-duo-xuan")
            .unwrap();
        let verdict = crate::grade::grade_shown(card, "abc", None);
        let lines = verdict_details(card, &verdict, &Painter::plain()).join("\n");
        assert!(
            lines.contains("你选的：✓ A. 改进调查研究　✓ B. 精简会议活动　✗ C. 开展大调解"),
            "{lines}"
        );
        assert!(
            lines.contains("漏选：D. 改进警卫工作、E. 厉行勤俭节约"),
            "{lines}"
        );
        assert!(lines.contains("说明：多选题选了错误选项"), "{lines}");
        assert!(!lines.contains("提示："), "提示 is what :h gives: {lines}");
    }

    #[test]
    fn quotation_marks_around_a_whole_quote_are_not_doubled() {
        assert_eq!(
            quote_shown(&cite(&["\"失去孩子没有失去爱\""])),
            "失去孩子没有失去爱"
        );
        assert_eq!(
            quote_shown(&cite(&["“失去孩子没有失去爱”"])),
            "失去孩子没有失去爱"
        );
        assert_eq!(quote_shown(&cite(&["「人民好比土地」"])), "人民好比土地");
        assert_eq!(
            quote_shown(&cite(&["“眼睛”……“土地”"])),
            "“眼睛”……“土地”",
            "two quotations are not one"
        );
        assert_eq!(quote_shown(&cite(&["\"甲\"", "“乙”"])), "甲……乙");
        assert_eq!(
            quote_shown(&cite(&["把群众比喻为“眼睛”"])),
            "把群众比喻为“眼睛”"
        );
    }
}
