//! What the room sees: a frame of lines for a projector in a hall (or a
//! compact transcript in scripted mode) built from the contest state. Pure
//! text: the question large and centred, colour-coded options, a big clock
//! and countdown bar, the scoreboard as bars, the host's line kept to one
//! dim row, a leaderboard between rounds and a podium at the end.

use owo_colors::Style;

use super::RoundKind;
use super::engine::{Contest, Current, Phase, seconds};
use crate::deck::{Body, FillPart};
use crate::term::{Painter, sanitize, sanitize_line, width, wrap};
use text::{help_lines, wrap_at_commas};

/// What the host's side adds to a frame.
#[derive(Debug, Default, Clone, Copy)]
pub struct Overlay<'a> {
    /// The result of the last action, shown to the room.
    pub message: &'a str,
    /// What the host is typing.
    pub input: &'a str,
    /// The full list of host keys instead of the question.
    pub help: bool,
    /// A screen that only follows a contest hosted elsewhere (`--screen`).
    pub viewer: bool,
}

/// The host's keys on one line, as many as fit, each whole.
/// The help and quit keys come early so a narrow screen still shows them.
const KEYS: [&str; 10] = [
    "n 下一题",
    "o 开始抢答",
    "r 揭晓",
    "+N/-N 对/错",
    "? 全部操作",
    "q 结束",
    "f N 犯规",
    "v N 分值",
    "p 暂停",
    "u 撤销",
];

/// The full host help, shown by `?`.
pub const HELP: &str = "\
主持人操作（单个字母直接生效，其余输入后按回车）：
  n        下一题（或进入下一轮）       o        抢答题：宣布开始抢答
  r        揭晓答案、解析和出处         +N / -N  第 N 队答对 / 答错
  f N      第 N 队抢答犯规              v N 分值 风险题：第 N 队选择的分值
  p        暂停 / 继续计时              ] / [    加 / 减 30 秒
  u        撤销上一个操作（可连续）     s        跳过本题（另出一题）
  q        结束竞赛（再按一次 q 确认）  ?        显示 / 关闭本帮助
抢答器：抢答题中各队按自己的键（默认 1–9 或 F1–F9）；按 o 之前按下算犯规。
没有终端时（脚本）：b N 毫秒 表示第 N 队按下抢答器，t 秒数 让时间流逝。";

/// Kahoot-like colours for options A, B, C, D, …
const OPTION_STYLES: [fn() -> Style; 4] = [
    || Style::new().bright_red().bold(),
    || Style::new().bright_blue().bold(),
    || Style::new().yellow().bold(),
    || Style::new().bright_green().bold(),
];

/// The full-screen frame: exactly `rows` lines, each narrower than `cols`.
pub fn frame(
    c: &Contest<'_>,
    cols: usize,
    rows: usize,
    overlay: &Overlay<'_>,
    painter: &Painter,
) -> Vec<String> {
    let cols = cols.max(20);
    let mut head = Vec::new();
    let title = sanitize_line(&c.spec.title);
    let heading = match (c.state.phase, c.round()) {
        (Phase::Finished, _) | (_, None) => title,
        (Phase::Intro, Some(r)) => format!("{title} · {}", sanitize_line(&r.title)),
        (Phase::Question, Some(r)) => format!(
            "{title} · {} · 第 {}/{} 题",
            sanitize_line(&r.title),
            c.state.number,
            c.round_size()
        ),
    };
    head.push(center_plain(&heading, cols, |t| painter.bold(t)));
    if let (Phase::Question, Some(r)) = (c.state.phase, c.round())
        && rows >= 20
    {
        for line in wrap_at_commas(&r.rules(), cols.saturating_sub(1).max(1)) {
            head.push(center_plain(&line, cols, |t| painter.dim(t)));
        }
    }
    head.push(String::new());

    let footer = footer(c, cols, rows, overlay, painter);
    let room = rows.saturating_sub(head.len() + footer.len());
    let body = if overlay.help {
        help_lines(cols)
            .iter()
            .map(|l| center_block_line(l, cols, 78))
            .collect()
    } else {
        match c.state.phase {
            Phase::Finished => podium(c, cols, room, painter),
            Phase::Intro => intro(c, cols, room, painter),
            Phase::Question => match &c.state.current {
                Some(current) => {
                    // As large as fits: double-spaced question and big
                    // clock, then the big clock, then neither.
                    let airy = question(c, current, cols, true, true, painter);
                    if airy.len() + 6 <= room {
                        airy
                    } else {
                        let big = question(c, current, cols, true, false, painter);
                        if big.len() <= room {
                            big
                        } else {
                            question(c, current, cols, false, false, painter)
                        }
                    }
                }
                None => vec![center_plain(
                    "（本题已跳过，按 n 另出一题）",
                    cols,
                    |t| painter.dim(t),
                )],
            },
        }
    };
    let mut lines = head;
    // The body sits in the middle of the free space, a little high.
    let spare = room.saturating_sub(body.len());
    lines.extend(std::iter::repeat_n(String::new(), spare / 3));
    lines.extend(body.into_iter().take(room));
    while lines.len() + footer.len() < rows {
        lines.push(String::new());
    }
    lines.extend(footer);
    lines.truncate(rows);
    lines
}

/// The question, its options, whose turn and the clock.
fn question(
    c: &Contest<'_>,
    current: &Current,
    cols: usize,
    big: bool,
    airy: bool,
    painter: &Painter,
) -> Vec<String> {
    let Some(round) = c.round() else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let turn = match (round.kind, current.team, current.value) {
        (RoundKind::Risk, Some(t), None) => format!(
            "请 {} 选择分值：{}",
            sanitize_line(&c.state.teams[t].name),
            round
                .values
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(" / ")
        ),
        (RoundKind::Risk, Some(t), Some(v)) => {
            format!("▶ {} 作答（{v} 分）", sanitize_line(&c.state.teams[t].name))
        }
        (_, Some(t), _) => format!("▶ {} 作答", sanitize_line(&c.state.teams[t].name)),
        (_, None, _) if current.settled => String::new(),
        (_, None, _) => match (current.answering, current.open) {
            (Some(t), _) => {
                let ms = current
                    .buzzes
                    .iter()
                    .rev()
                    .find(|b| b.won && b.team == t)
                    .map_or(0, |b| b.ms);
                format!(
                    "★ {} 抢到！（{}）",
                    sanitize_line(&c.state.teams[t].name),
                    seconds(ms)
                )
            }
            (None, true) => "抢答开始！".to_owned(),
            (None, false) => "请听题（主持人宣布开始后抢答，提前抢答犯规）".to_owned(),
        },
    };
    if !turn.is_empty() {
        lines.push(center_plain(&turn, cols, |t| painter.warning(t)));
        lines.push(String::new());
    }
    let hidden = round.kind == RoundKind::Risk && current.value.is_none();
    if hidden {
        lines.push(center_plain(
            "（选定分值后显示题目）",
            cols,
            |t| painter.dim(t),
        ));
        return lines;
    }
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
    // The question in a centred block at most three quarters of the width
    // (a reading measure), each line centred.
    let measure = (cols * 3 / 4).clamp(18, 100);
    for (i, line) in wrap(&sanitize(&prompt), measure - 2).lines().enumerate() {
        if airy && i > 0 {
            lines.push(String::new());
        }
        lines.push(center_plain(line, cols, |t| painter.bold(t)));
    }
    lines.push(String::new());
    if airy {
        lines.push(String::new());
    }
    let options = c.options(current);
    if !options.is_empty() {
        let options: Vec<String> = options.iter().map(|o| sanitize_line(o)).collect();
        let widest = options.iter().map(|o| width(o)).max().unwrap_or(0) + 2;
        let two_columns = options.len() > 2 && widest * 2 + 6 <= cols.saturating_sub(4);
        let cell = if two_columns {
            widest
        } else {
            widest.min(cols.saturating_sub(6))
        };
        let per_row = if two_columns { 2 } else { 1 };
        let row_width = cell * per_row + 4 * (per_row - 1);
        let pad = " ".repeat(cols.saturating_sub(row_width) / 2);
        for (row, items) in options.chunks(per_row).enumerate() {
            if airy && row > 0 {
                lines.push(String::new());
            }
            if !two_columns {
                // One option a row, wrapped with a hanging indent.
                let index = row;
                let style = OPTION_STYLES[index % OPTION_STYLES.len()]();
                let wrapped = wrap(&format!("■ {}", items[0]), cell.saturating_sub(2).max(8));
                for (i, part) in wrapped.lines().enumerate() {
                    let indent = if i == 0 { "" } else { "    " };
                    lines.push(format!("{pad}{indent}{}", painter.styled(part, style)));
                }
                continue;
            }
            let mut line = pad.clone();
            for (k, text) in items.iter().enumerate() {
                let index = row * per_row + k;
                let text = clip(&format!("■ {text}"), cell);
                let style = OPTION_STYLES[index % OPTION_STYLES.len()]();
                line.push_str(&painter.styled(&text, style));
                if k + 1 < items.len() {
                    line.push_str(&" ".repeat(cell - width(&text) + 4));
                }
            }
            lines.push(line);
        }
        lines.push(String::new());
    }
    if let Body::Judge { .. } = card.body {
        lines.push(center_plain("判断：对 / 错", cols, |t| {
            painter.bold(t)
        }));
        lines.push(String::new());
    }
    lines.extend(clock(c, round.time, cols, big, painter));
    if current.revealed {
        lines.push(String::new());
        let answer = format!("答案：{}", sanitize(&c.answer(current)));
        for line in wrap(&answer, measure - 2).lines() {
            lines.push(center_plain(line, cols, |t| painter.good(t)));
        }
        if let Some(e) = &card.explain {
            for line in wrap(&format!("解析：{}", sanitize(e)), measure - 2).lines() {
                lines.push(center_plain(line, cols, |t| t.to_owned()));
            }
        }
        if let Some(s) = &card.source {
            let quote = format!("出处：“{}”", crate::view::quote_shown(s));
            for line in wrap(&quote, measure - 2).lines() {
                lines.push(center_plain(line, cols, |t| painter.dim(t)));
            }
        }
    }
    lines
}

/// The clock: big digits where there is room, and a countdown bar.
fn clock(c: &Contest<'_>, full: u32, cols: usize, big: bool, painter: &Painter) -> Vec<String> {
    let left = c.state.clock.max(0);
    let paint = |t: &str| {
        if left <= 5 {
            painter.error(t)
        } else if left <= 10 {
            painter.warning(t)
        } else {
            painter.good(t)
        }
    };
    let text = if left >= 60 {
        format!("{}:{:02}", left / 60, left % 60)
    } else {
        left.to_string()
    };
    let mut lines = Vec::new();
    let digits = big_text(&text);
    if big && width(&digits[0]) + 4 < cols {
        for row in &digits {
            lines.push(center_plain(row, cols, paint));
        }
    }
    let bar_width = cols.saturating_sub(16).min(100);
    let full = i64::from(full).max(left).max(1);
    let filled = (left as usize * bar_width)
        .div_ceil(full as usize)
        .min(bar_width);
    let label = format!(" {left} 秒{}", if c.state.paused { "（暂停）" } else { "" });
    let bar = format!("{}{}", "█".repeat(filled), "░".repeat(bar_width - filled));
    let pad = " ".repeat(cols.saturating_sub(bar_width + width(&label)) / 2);
    lines.push(format!("{pad}{}{}", paint(&bar), paint(&label)));
    lines
}

/// Before a round: the standings so far (a leaderboard between rounds),
/// then the round's name and rules.
fn intro(c: &Contest<'_>, cols: usize, room: usize, painter: &Painter) -> Vec<String> {
    let Some(round) = c.round() else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let started = c.state.round > 0 || !c.state.tied.is_empty();
    if started {
        lines.push(center_plain("当前排名", cols, |t| painter.bold(t)));
        lines.push(String::new());
        let ranked: Vec<(usize, usize)> = c.ranking();
        lines.extend(bars(c, &ranked, cols, painter, true));
        lines.push(String::new());
    } else {
        let teams = c
            .state
            .teams
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{} {}", i + 1, sanitize_line(&t.name)))
            .collect::<Vec<_>>()
            .join("   ");
        lines.push(center_plain(&teams, cols, |t| painter.bold(t)));
        lines.push(String::new());
    }
    let next = format!("{}（按 n 出题）", sanitize_line(&round.title));
    if room > lines.len() + 4 {
        lines.push(String::new());
    }
    lines.push(center_plain(&next, cols, |t| painter.warning(t)));
    for line in wrap(&round.rules(), (cols * 3 / 4).max(18)).lines() {
        lines.push(center_plain(line, cols, |t| painter.dim(t)));
    }
    lines
}

/// Teams as horizontal bars, longest for the highest score: `(place, team)`.
fn bars(
    c: &Contest<'_>,
    ranked: &[(usize, usize)],
    cols: usize,
    painter: &Painter,
    places: bool,
) -> Vec<String> {
    let names: Vec<String> = ranked
        .iter()
        .map(|&(_, t)| sanitize_line(&c.state.teams[t].name))
        .collect();
    let name_w = names.iter().map(|n| width(n)).max().unwrap_or(0).min(16);
    // Bars start at 0, so their lengths are in proportion to the scores
    // (110 against 120 is eleven twelfths); negative scores grow to the
    // left of the 0 line.
    let top = c
        .state
        .teams
        .iter()
        .map(|t| t.score)
        .max()
        .unwrap_or(0)
        .max(0);
    let low = c
        .state
        .teams
        .iter()
        .map(|t| t.score)
        .min()
        .unwrap_or(0)
        .min(0);
    let span = (top - low).max(1) as u128;
    // Label ("第1名 " + name), bar, a space and the score fit the screen.
    let score_w = c
        .state
        .teams
        .iter()
        .map(|t| t.score.to_string().len())
        .max()
        .unwrap_or(1);
    let label_w = if places { 6 } else { 3 } + name_w + 1;
    let bar_w = cols
        .saturating_sub(label_w + score_w + 2)
        .saturating_sub(16)
        .clamp(1, 80);
    let turn = c
        .state
        .current
        .as_ref()
        .and_then(|q| q.team.or(q.answering));
    let mut out = Vec::new();
    for (&(place, t), name) in ranked.iter().zip(&names) {
        let score = c.state.teams[t].score;
        let zero = (low.unsigned_abs() as u128 * bar_w as u128 / span) as usize;
        let len = (score.unsigned_abs() as u128 * bar_w as u128 / span) as usize;
        let len = if score == 0 { 0 } else { len.max(1) };
        let name = clip(name, name_w);
        let label = format!(
            "{} {name}{} ",
            if places {
                format!("第{place}名")
            } else {
                format!("{:>2}", t + 1)
            },
            " ".repeat(name_w - width(&name))
        );
        let (gap, len) = if score < 0 {
            let len = len.min(zero);
            (zero - len, len)
        } else {
            (
                zero,
                len.min(bar_w.saturating_sub(zero))
                    .max(usize::from(score > 0)),
            )
        };
        let bar = "█".repeat(len);
        let line_w = width(&label) + bar_w + 1 + score_w;
        if line_w >= cols {
            // Too narrow for bars: the plain text, cut to the screen.
            let text = format!("{label}{score}");
            out.push(clip(&text, cols.saturating_sub(1)));
            continue;
        }
        let pad = " ".repeat(cols.saturating_sub(line_w) / 2);
        let style = if turn == Some(t) {
            Style::new().yellow().bold()
        } else {
            OPTION_STYLES[t % OPTION_STYLES.len()]()
        };
        out.push(format!(
            "{pad}{}{}{} {}",
            painter.bold(&label),
            " ".repeat(gap),
            painter.styled(&bar, style),
            painter.bold(&score.to_string())
        ));
    }
    out
}

/// The final screen: a podium for the first three places, then the rest.
fn podium(c: &Contest<'_>, cols: usize, room: usize, painter: &Painter) -> Vec<String> {
    let ranked = c.ranking();
    let mut lines = vec![center_plain("最终排名", cols, |t| painter.bold(t))];
    lines.push(String::new());
    // Columns in podium order: second, first, third.
    let order: Vec<(usize, usize)> = [1usize, 0, 2]
        .iter()
        .filter_map(|&i| ranked.get(i).copied())
        .collect();
    let col_w = (cols.saturating_sub(4) / 3).clamp(8, 24);
    if col_w * 3 >= cols {
        // Too narrow for a podium: the ranking as lines.
        for &(place, t) in &ranked {
            let team = &c.state.teams[t];
            let text = format!(
                "第 {place} 名 {} {} 分",
                sanitize_line(&team.name),
                team.score
            );
            lines.push(center_plain(&text, cols, |t| painter.bold(t)));
        }
        return lines;
    }
    let tall = room
        .saturating_sub(8 + ranked.len().saturating_sub(3))
        .clamp(3, 12);
    let height = |place_index: usize| match place_index {
        0 => tall,
        1 => tall * 2 / 3,
        _ => tall / 3,
    };
    // Each column: place, name, score above its block.
    let columns: Vec<(Vec<String>, usize, usize)> = order
        .iter()
        .map(|&(place, t)| {
            // Tied teams share a place and a height.
            let index = place.saturating_sub(1);
            let team = &c.state.teams[t];
            (
                vec![
                    format!("第 {place} 名"),
                    clip(&sanitize_line(&team.name), col_w - 2),
                    clip(&format!("{} 分", team.score), col_w - 2),
                ],
                height(index).max(1),
                t,
            )
        })
        .collect();
    let total = columns
        .iter()
        .map(|(l, h, _)| l.len() + h)
        .max()
        .unwrap_or(0);
    let row_w = col_w * columns.len();
    let pad = " ".repeat(cols.saturating_sub(row_w) / 2);
    for r in 0..total {
        let mut line = pad.clone();
        for (labels, h, t) in &columns {
            let top = total - h - labels.len();
            let cell = if r >= top + labels.len() {
                let block = "█".repeat(col_w - 2);
                painter.styled(&block, OPTION_STYLES[t % OPTION_STYLES.len()]()) + "  "
            } else if r >= top {
                let text = &labels[r - top];
                let w = width(text);
                let left = (col_w - 2).saturating_sub(w) / 2;
                format!(
                    "{}{}{}",
                    " ".repeat(left),
                    painter.bold(text),
                    " ".repeat(col_w.saturating_sub(left + w))
                )
            } else {
                " ".repeat(col_w)
            };
            line.push_str(&cell);
        }
        lines.push(line.trim_end().to_owned());
    }
    lines.push(String::new());
    for &(place, t) in ranked.iter().skip(3) {
        let team = &c.state.teams[t];
        let text = format!(
            "第 {place} 名  {}  {} 分",
            sanitize_line(&team.name),
            team.score
        );
        lines.push(center_plain(&text, cols, |t| painter.bold(t)));
    }
    lines.push(center_plain("主持人按 q 或回车离开", cols, |t| {
        painter.dim(t)
    }));
    lines
}

/// The bottom of the screen: the scoreboard, the last message, and the
/// host's input and keys on one dim line.
fn footer(
    c: &Contest<'_>,
    cols: usize,
    rows: usize,
    overlay: &Overlay<'_>,
    painter: &Painter,
) -> Vec<String> {
    let mut lines = vec![String::new()];
    let in_question = c.state.phase == Phase::Question;
    if in_question && rows >= 30 {
        let ranked: Vec<(usize, usize)> = (0..c.state.teams.len()).map(|t| (t + 1, t)).collect();
        lines.extend(bars(c, &ranked, cols, painter, false));
    } else if c.state.phase != Phase::Finished {
        let (board, w) = scoreboard(c, painter);
        if w < cols {
            lines.push(center(&board, w, cols));
        } else {
            lines.push(clip(&screen_plain_scores(c), cols - 1));
        }
    }
    lines.push(String::new());
    let message = clip(&sanitize_line(overlay.message), cols.saturating_sub(2));
    lines.push(center(&painter.bold(&message), width(&message), cols));
    let host = if overlay.viewer {
        " 投影画面：主持人在另一个终端操作 · q 离开".to_owned()
    } else {
        let prompt = format!(" 操作> {}▏  ", sanitize_line(overlay.input));
        let keys: &[&str] = if c.state.phase == Phase::Finished {
            &["q 或回车 离开"]
        } else {
            &KEYS
        };
        // Whole hints only: never a key cut from what it does.
        let mut line = prompt.clone();
        for (i, key) in keys.iter().enumerate() {
            let next = if i == 0 {
                (*key).to_owned()
            } else {
                format!(" · {key}")
            };
            if width(&line) + width(&next) >= cols {
                break;
            }
            line.push_str(&next);
        }
        line
    };
    lines.push(painter.dim(&clip(&host, cols - 1)));
    lines
}

fn screen_plain_scores(c: &Contest<'_>) -> String {
    c.state
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{} {} {}", i + 1, sanitize_line(&t.name), t.score))
        .collect::<Vec<_>>()
        .join(" │ ")
}

/// A 5-row block font for the clock's digits (each pixel two columns).
const FONT: [(char, [&str; 5]); 12] = [
    ('0', ["███", "█ █", "█ █", "█ █", "███"]),
    ('1', [" █ ", "██ ", " █ ", " █ ", "███"]),
    ('2', ["███", "  █", "███", "█  ", "███"]),
    ('3', ["███", "  █", "███", "  █", "███"]),
    ('4', ["█ █", "█ █", "███", "  █", "  █"]),
    ('5', ["███", "█  ", "███", "  █", "███"]),
    ('6', ["███", "█  ", "███", "█ █", "███"]),
    ('7', ["███", "  █", "  █", "  █", "  █"]),
    ('8', ["███", "█ █", "███", "█ █", "███"]),
    ('9', ["███", "█ █", "███", "  █", "███"]),
    (':', ["   ", " █ ", "   ", " █ ", "   "]),
    (' ', ["   ", "   ", "   ", "   ", "   "]),
];

/// Digits and `:` in big block letters, five rows.
pub fn big_text(text: &str) -> [String; 5] {
    let mut rows: [String; 5] = Default::default();
    for (i, ch) in text.chars().enumerate() {
        let glyph = FONT
            .iter()
            .find(|(c, _)| *c == ch)
            .map_or(FONT[11].1, |(_, g)| *g);
        for (row, pattern) in rows.iter_mut().zip(glyph) {
            if i > 0 {
                row.push_str("  ");
            }
            for px in pattern.chars() {
                row.push_str(if px == ' ' { "  " } else { "██" });
            }
        }
    }
    rows
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

/// "一组 110 │ 二组 100 │ 三组 90", the team on turn highlighted; with
/// its display width.
pub fn scoreboard(c: &Contest<'_>, painter: &Painter) -> (String, usize) {
    let turn = c
        .state
        .current
        .as_ref()
        .and_then(|q| q.team.or(q.answering));
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

/// Centres plain text (clipped to the screen), then styles it.
fn center_plain(text: &str, cols: usize, style: impl Fn(&str) -> String) -> String {
    let text = clip(text, cols.saturating_sub(1));
    center(&style(&text), width(&text), cols.saturating_sub(1))
}

/// A line of a left-aligned block `block` wide, the block centred.
fn center_block_line(text: &str, cols: usize, block: usize) -> String {
    let text = clip(text, cols.saturating_sub(1));
    let pad = cols.saturating_sub(block.min(cols)) / 2;
    clip(
        &format!("{}{text}", " ".repeat(pad)),
        cols.saturating_sub(1),
    )
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
mod tests;

/// Help and rules wrapped for narrow screens.
mod text;
