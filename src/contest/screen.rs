//! What the room sees: a frame of lines for the projector (or a compact
//! transcript in scripted mode) built from the contest state. Pure text.

use super::RoundKind;
use super::engine::{Contest, Phase};
use crate::deck::{Body, FillPart, option_letter};
use crate::term::{Painter, sanitize, sanitize_line, width, wrap};

/// The full-screen frame, `cols` wide and `rows` tall at most.
pub fn frame(
    c: &Contest<'_>,
    cols: usize,
    rows: usize,
    message: &str,
    input: &str,
    painter: &Painter,
) -> Vec<String> {
    let inner = cols.saturating_sub(10).max(20);
    let mut lines: Vec<String> = Vec::new();
    let title = sanitize_line(&c.spec.title);
    lines.push(center(&painter.bold(&title), width(&title), cols));
    match (c.state.phase, c.round()) {
        (Phase::Finished, _) => {
            lines.push(String::new());
            lines.push(center(&painter.bold("最终排名"), 8, cols));
            for (place, t) in c.ranking() {
                let team = &c.state.teams[t];
                let text = format!(
                    "第 {place} 名  {}  {} 分",
                    sanitize_line(&team.name),
                    team.score
                );
                lines.push(center(&painter.good(&text), width(&text), cols));
            }
        }
        (_, Some(round)) => {
            let head = format!(
                "{}  ·  第 {}/{} 题",
                round.title,
                c.state.number,
                c.round_size()
            );
            lines.push(center(&painter.warning(&head), width(&head), cols));
            let rules = clip(&round.rules(), cols.saturating_sub(1));
            lines.push(center(&painter.dim(&rules), width(&rules), cols));
            lines.push(String::new());
            if let (Phase::Question, Some(current)) = (c.state.phase, &c.state.current) {
                if let Some(t) = current.team {
                    let turn = match (round.kind, current.value) {
                        (RoundKind::Risk, None) => format!(
                            "请 {} 选择分值：{}",
                            c.state.teams[t].name,
                            values(&round.values)
                        ),
                        (RoundKind::Risk, Some(v)) => {
                            format!("{} 作答（{v} 分）", c.state.teams[t].name)
                        }
                        _ => format!("{} 作答", c.state.teams[t].name),
                    };
                    lines.push(center(
                        &painter.bold(&sanitize_line(&turn)),
                        width(&turn),
                        cols,
                    ));
                }
                let hidden = round.kind == RoundKind::Risk && current.value.is_none();
                if !hidden {
                    let card = c.card(current.entry);
                    let prompt = match &card.body {
                        Body::Fill { parts } => parts
                            .iter()
                            .map(|p| match p {
                                FillPart::Text(t) => t.clone(),
                                FillPart::Blank(_) => "＿＿＿".to_owned(),
                            })
                            .collect(),
                        _ => card.prompt.clone(),
                    };
                    lines.push(String::new());
                    for line in wrap(&sanitize(&prompt), inner / 2 * 2).lines() {
                        lines.push(format!("    {}", painter.bold(line)));
                    }
                    if let Body::Choice { options, .. } | Body::Multi { options, .. } = &card.body {
                        for (i, o) in options.iter().enumerate() {
                            lines.push(format!("      {}. {}", option_letter(i), sanitize_line(o)));
                        }
                    }
                    if let Body::Judge { .. } = card.body {
                        lines.push("      （判断：对 / 错）".to_owned());
                    }
                    lines.push(String::new());
                    let clock = format!(
                        "⏱ {:>3} 秒{}",
                        c.state.clock,
                        if c.state.paused { "（暂停）" } else { "" }
                    );
                    let clock = if c.state.clock <= 5 {
                        painter.error(&clock)
                    } else {
                        painter.good(&clock)
                    };
                    lines.push(format!("    {clock}"));
                    if current.revealed {
                        lines.push(String::new());
                        lines.push(format!(
                            "    {}",
                            painter.good(&format!("答案：{}", sanitize(&card.answer_text())))
                        ));
                        if let Some(e) = &card.explain {
                            for line in wrap(&format!("解析：{}", sanitize(e)), inner).lines() {
                                lines.push(format!("    {line}"));
                            }
                        }
                        if let Some(s) = &card.source {
                            let quote = format!("出处：“{}”", crate::view::quote_shown(s));
                            for line in wrap(&quote, inner).lines() {
                                lines.push(format!("    {}", painter.dim(line)));
                            }
                        }
                    }
                }
            } else {
                lines.push(center(
                    &painter.bold(&format!("{}（按 n 出题）", round.title)),
                    width(&round.title) + 12,
                    cols,
                ));
            }
        }
        (_, None) => {}
    }
    // The scoreboard and the host line stay at the bottom.
    let board = scoreboard(c, painter);
    // Lines longer than the screen would wrap and scroll the frame.
    let fit = |text: String| clip(&text, cols.saturating_sub(1));
    let footer = [
        String::new(),
        center(&board.0, board.1, cols),
        String::new(),
        painter.dim(&fit(format!("  {}", sanitize_line(message)))),
        fit(format!("  操作> {}", sanitize_line(input))),
        painter.dim(&fit(
            "  n 下一题 · r 揭晓 · +N/-N 第N队对/错 · f N 犯规 · v N 分值 · p 暂停 · ]/[ ±30秒 · u 撤销 · s 跳过 · q 结束（多字符操作按回车）"
                .to_owned(),
        )),
    ];
    let room = rows.saturating_sub(footer.len());
    lines.truncate(room);
    while lines.len() < room {
        lines.push(String::new());
    }
    lines.extend(footer);
    lines
}

/// Cuts plain text to `cols` display columns.
fn clip(text: &str, cols: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += crate::term::char_width(*c);
            used <= cols
        })
        .collect()
}

fn values(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(" / ")
}

/// "一组 110 │ 二组 100 │ 三组 90", the team on turn highlighted; with
/// its display width.
pub fn scoreboard(c: &Contest<'_>, painter: &Painter) -> (String, usize) {
    let turn = c.state.current.as_ref().and_then(|q| q.team);
    let mut plain = Vec::new();
    let mut styled = Vec::new();
    for (i, team) in c.state.teams.iter().enumerate() {
        let text = format!(" {} {}：{} ", i + 1, sanitize_line(&team.name), team.score);
        styled.push(if turn == Some(i) {
            painter.warning(&text)
        } else {
            painter.bold(&text)
        });
        plain.push(text);
    }
    let w = plain.iter().map(|s| width(s)).sum::<usize>() + 3 * plain.len().saturating_sub(1);
    (styled.join(" │ "), w)
}

fn center(styled: &str, visible: usize, cols: usize) -> String {
    let pad = cols.saturating_sub(visible) / 2;
    format!("{}{styled}", " ".repeat(pad))
}

/// The plain transcript line after an action in scripted mode.
pub fn status_line(c: &Contest<'_>) -> String {
    let teams: Vec<String> = c
        .state
        .teams
        .iter()
        .map(|t| format!("{} {}", sanitize_line(&t.name), t.score))
        .collect();
    format!("比分：{}", teams.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contest::ContestSpec;
    use crate::contest::engine::Action;
    use crate::deck::Library;
    use crate::session::{CardFilter, entries};

    #[test]
    fn every_line_of_a_frame_fits_the_screen() {
        let lib = Library::load(&[]).unwrap().0;
        let mut c = Contest::new(
            ContestSpec::preset(),
            &lib,
            entries(&lib, &CardFilter::default()),
            5,
        );
        for action in [Action::Next, Action::Right(0), Action::Reveal] {
            c.apply(&action, "", 0).unwrap();
        }
        let required = frame(&c, 60, 20, "", "", &Painter::plain());
        assert!(required.iter().all(|l| width(l) < 60));
        // On into the buzz round, whose rules line is the longest.
        for _ in 0..6 {
            c.apply(&Action::Next, "n", 0).unwrap();
        }
        assert_eq!(
            c.round().map(|r| r.kind),
            Some(crate::contest::RoundKind::Buzz)
        );
        for (cols, rows) in [(60usize, 20usize), (100, 30), (160, 45)] {
            let lines = frame(&c, cols, rows, "一组 答对 +10", "v 2 30", &Painter::plain());
            assert_eq!(lines.len(), rows, "the frame fills the screen exactly");
            for line in &lines {
                assert!(
                    width(line) < cols,
                    "{cols} columns: {line:?} is {} wide",
                    width(line)
                );
            }
            assert!(
                lines.iter().any(|l| l.contains("党课知识竞赛")),
                "title shown"
            );
            assert!(
                lines.iter().any(|l| l.contains("1 一组：110")),
                "scoreboard shown"
            );
        }
    }
}
