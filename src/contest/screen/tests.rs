//! The projector frame at hall and laptop sizes.

use super::*;
use crate::contest::engine::Action;
use crate::contest::{ContestSpec, RoundSpec};
use crate::deck::Library;
use crate::session::{CardFilter, entries};

fn library() -> Library {
    Library::load(&[]).unwrap().0
}

fn preset(lib: &Library) -> Contest<'_> {
    Contest::new(
        ContestSpec::preset(),
        lib,
        entries(lib, &CardFilter::default()),
        5,
    )
}

fn plain(c: &Contest<'_>, cols: usize, rows: usize, overlay: &Overlay<'_>) -> Vec<String> {
    frame(c, cols, rows, overlay, &Painter::plain())
}

fn fits(lines: &[String], cols: usize, rows: usize) {
    assert_eq!(lines.len(), rows, "the frame fills the screen exactly");
    for line in lines {
        assert!(
            width(line) < cols,
            "{cols} columns: {line:?} is {} wide",
            width(line)
        );
    }
}

#[test]
fn every_line_of_a_frame_fits_the_screen() {
    let lib = library();
    let mut c = preset(&lib);
    for action in [Action::Next, Action::Right(0), Action::Reveal] {
        c.apply(&action, "", 0).unwrap();
    }
    fits(&plain(&c, 60, 20, &Overlay::default()), 60, 20);
    // On into the buzz round, whose rules line is the longest.
    for _ in 0..6 {
        c.apply(&Action::Next, "n", 0).unwrap();
    }
    c.apply(&Action::Next, "n", 0).unwrap();
    assert_eq!(
        c.round().map(|r| r.kind),
        Some(crate::contest::RoundKind::Buzz)
    );
    c.apply(&Action::Right(0), "+1", 0).unwrap();
    c.apply(&Action::Reveal, "r", 0).unwrap();
    let overlay = Overlay {
        message: "一组 答对 +20",
        input: "v 2 30",
        help: false,
        viewer: false,
    };
    for (cols, rows) in [(40usize, 12usize), (60, 20), (80, 24), (100, 30), (160, 48)] {
        let lines = plain(&c, cols, rows, &overlay);
        fits(&lines, cols, rows);
        assert!(lines[0].contains("党课知识竞赛"), "title shown");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("一组") && l.contains("130")),
            "scoreboard shown at {cols}×{rows}"
        );
        assert!(
            lines.last().unwrap().contains("操作> v 2 30"),
            "the host's line is the last one"
        );
    }
}

#[test]
fn a_hall_screen_has_a_big_clock_bar_options_and_score_bars() {
    let lib = library();
    let spec = ContestSpec {
        rounds: vec![RoundSpec {
            kinds: vec![crate::deck::Kind::Choice],
            ..RoundSpec::with_defaults(crate::contest::RoundKind::Buzz)
        }],
        ..ContestSpec::preset()
    };
    let mut c = Contest::new(spec, &lib, entries(&lib, &CardFilter::default()), 5);
    c.apply(&Action::Next, "n", 0).unwrap();
    c.apply(&Action::Open, "o", 0).unwrap();
    c.apply(&Action::Buzz(1, 352), "b 2 352", 0).unwrap();
    let lines = plain(&c, 160, 48, &Overlay::default());
    fits(&lines, 160, 48);
    let text = lines.join("\n");
    assert!(text.contains("★ 二组 抢到！（0.352 秒）"), "{text}");
    assert!(text.contains("■ A. ") && text.contains("■ B. "), "{text}");
    let big = big_text("20");
    assert!(text.contains(big[0].as_str()), "big clock digits:\n{text}");
    assert!(
        text.contains("████████████████████ 20 秒"),
        "countdown bar:\n{text}"
    );
    assert!(
        lines
            .iter()
            .filter(|l| l.contains('█') && l.contains("100"))
            .count()
            == 3,
        "three score bars:\n{text}"
    );
    // The question is centred: its first line starts well in from the left.
    let prompt_line = lines
        .iter()
        .find(|l| {
            l.trim_start()
                .starts_with(|ch: char| !ch.is_ascii() && ch != '★' && ch != '■' && ch != '█')
        })
        .unwrap();
    assert!(prompt_line.starts_with("          "), "{prompt_line:?}");
    // At 80×24 the big digits give way so the question still fits.
    let small = plain(&c, 80, 24, &Overlay::default());
    fits(&small, 80, 24);
    assert!(small.iter().any(|l| l.contains(" 20 秒")));
}

#[test]
fn help_overlay_leaderboard_and_podium() {
    let lib = library();
    let mut c = preset(&lib);
    let help = plain(
        &c,
        100,
        30,
        &Overlay {
            help: true,
            ..Overlay::default()
        },
    );
    assert!(help.iter().any(|l| l.contains("v N 分值")), "{help:#?}");
    assert!(help.iter().any(|l| l.contains("抢答器")));
    // Required round: one each, then the leaderboard before the buzz round.
    for cmd in ["n", "+1", "n", "-2", "n", "-3", "n", "n", "n", "n"] {
        let action = crate::contest::engine::parse_action(cmd).unwrap();
        let _ = c.apply(&action, cmd, 0);
    }
    assert_eq!(c.state.phase, Phase::Intro);
    assert!(c.state.round > 0);
    let board = plain(&c, 100, 30, &Overlay::default()).join("\n");
    assert!(board.contains("当前排名"), "{board}");
    assert!(board.contains("第1名 一组"), "{board}");
    assert!(board.contains("抢答题（按 n 出题）"), "{board}");
    c.apply(&Action::Quit, "q", 0).unwrap();
    let podium = plain(&c, 100, 30, &Overlay::default());
    fits(&podium, 100, 30);
    let text = podium.join("\n");
    assert!(
        text.contains("最终排名") && text.contains("第 1 名"),
        "{text}"
    );
    assert!(
        text.contains("第 2 名") && text.contains("100 分"),
        "{text}"
    );
    assert!(text.contains("按 q 或回车离开"), "{text}");
}

#[test]
fn no_size_or_score_breaks_a_frame() {
    let lib = library();
    let mut c = preset(&lib);
    c.state.teams[0].score = 1_234_567;
    c.state.teams[1].score = -98_765;
    for phase in 0..3 {
        match phase {
            0 => {}
            1 => {
                c.apply(&Action::Next, "n", 0).unwrap();
                c.apply(&Action::Reveal, "r", 0).unwrap();
            }
            _ => {
                c.apply(&Action::Quit, "q", 0).unwrap();
            }
        }
        for cols in [1usize, 10, 20, 21, 33, 47, 80, 120, 250] {
            for rows in [1usize, 5, 12, 24, 48, 100] {
                for help in [false, true] {
                    let overlay = Overlay {
                        message: "消息",
                        input: "输入",
                        help,
                        viewer: false,
                    };
                    let lines = plain(&c, cols, rows, &overlay);
                    assert_eq!(lines.len(), rows, "{cols}×{rows}");
                    assert!(
                        lines.iter().all(|l| width(l) < cols.max(20)),
                        "{cols}×{rows}: {:?}",
                        lines
                            .iter()
                            .filter(|l| width(l) >= cols.max(20))
                            .collect::<Vec<_>>()
                    );
                }
            }
        }
    }
}

#[test]
fn tied_teams_stand_equally_high_on_the_podium() {
    let lib = library();
    let mut c = preset(&lib);
    for (t, score) in [120, 110, 110].into_iter().enumerate() {
        c.state.teams[t].score = score;
    }
    c.apply(&Action::Quit, "q", 0).unwrap();
    let lines = plain(&c, 100, 30, &Overlay::default());
    let text = lines.join("\n");
    assert!(
        lines.iter().any(|l| l.matches("第 2 名").count() == 2),
        "both second places on one level:\n{text}"
    );
    assert!(!text.contains("第 3 名"), "{text}");
}

/// The bar of each team's line: (blank columns before it, its length).
fn bar_of(lines: &[String], name: &str) -> (usize, usize) {
    let line = lines
        .iter()
        .find(|l| l.contains(name) && l.contains('█'))
        .unwrap_or_else(|| panic!("no bar for {name}:\n{}", lines.join("\n")));
    let start = line.find('█').unwrap();
    let label_end = line.find(name).unwrap() + name.len();
    let gap = line[label_end..start].chars().count();
    (gap, line.matches('█').count())
}

#[test]
fn score_bars_are_proportional_to_the_scores_from_zero() {
    let lib = library();
    let mut c = preset(&lib);
    for (t, score) in [120, 110, 100].into_iter().enumerate() {
        c.state.teams[t].score = score;
    }
    c.apply(&Action::Next, "n", 0).unwrap();
    let lines = plain(&c, 160, 48, &Overlay::default());
    let (_, a) = bar_of(&lines, "一组");
    let (_, b) = bar_of(&lines, "二组");
    let (_, d) = bar_of(&lines, "三组");
    assert!(a >= 40, "{a}");
    assert!(
        b * 120 >= a * 110 - 120 && b * 120 <= a * 110 + 120,
        "{a} {b}"
    );
    assert!(
        d * 120 >= a * 100 - 120 && d * 120 <= a * 100 + 120,
        "{a} {d}"
    );
    // A negative score grows left of the 0 line the others start from.
    c.state.teams[2].score = -60;
    let lines = plain(&c, 160, 48, &Overlay::default());
    let (gap_a, a) = bar_of(&lines, "一组");
    let (gap_d, d) = bar_of(&lines, "三组");
    assert_eq!(gap_d + d, gap_a, "the 0 line");
    assert!(d * 2 >= a - 2 && d * 2 <= a + 2, "{a} {d}");
}

/// In a question the team whose turn it is has its score bar in the
/// turn colour (yellow); the others keep their own colours.
#[test]
fn the_team_on_turn_has_its_score_bar_in_the_turn_colour() {
    let lib = library();
    let mut c = preset(&lib);
    c.apply(&Action::Next, "n", 0).unwrap();
    let painter = Painter::new(true);
    let lines = frame(&c, 160, 48, &Overlay::default(), &painter);
    let bar = |team: &str| {
        lines
            .iter()
            .find(|l| l.contains(team) && l.contains('█'))
            .unwrap_or_else(|| panic!("no bar for {team}:\n{}", lines.join("\n")))
    };
    // The escape sequence a bar of that style starts with.
    let painted = |style: Style| {
        let one = painter.styled("█", style);
        one[..one.find('█').unwrap()].to_owned()
    };
    let turn = painted(Style::new().yellow().bold());
    let blue = painted(Style::new().bright_blue().bold());
    assert_eq!(
        c.state.current.as_ref().and_then(|q| q.team),
        Some(0),
        "一组 answers first"
    );
    assert!(
        bar("一组").contains(&format!("{turn}█")),
        "{:?}",
        bar("一组")
    );
    assert!(
        bar("二组").contains(&format!("{blue}█")),
        "{:?}",
        bar("二组")
    );
}

#[test]
fn narrow_screens_wrap_help_and_rules_and_show_whole_key_hints() {
    let lib = library();
    let mut c = preset(&lib);
    for cols in [40usize, 60, 80] {
        let help = plain(
            &c,
            cols,
            30,
            &Overlay {
                help: true,
                ..Overlay::default()
            },
        );
        fits(&help, cols, 30);
        let text: String = help.iter().map(|l| l.trim()).collect();
        for part in [
            "o        抢答题：宣布开始抢答",
            "v N 分值 风险题：第 N 队选择的分值",
            "?        显示 / 关闭本帮助",
            "t 秒数 让时间流逝。",
        ] {
            let part: String = part.split_whitespace().collect();
            let text: String = text.split_whitespace().collect();
            assert!(text.contains(&part), "{cols} columns: {part} in\n{help:#?}");
        }
    }
    // Into the buzz round, whose rules line is long.
    for _ in 0..40 {
        if c.state.phase == Phase::Question
            && c.round().map(|r| r.kind) == Some(crate::contest::RoundKind::Buzz)
        {
            break;
        }
        c.apply(&Action::Next, "n", 0).unwrap();
    }
    assert_eq!(
        c.round().map(|r| r.kind),
        Some(crate::contest::RoundKind::Buzz)
    );
    for cols in [60usize, 80] {
        let lines = plain(&c, cols, 24, &Overlay::default());
        fits(&lines, cols, 24);
        let text: String = lines.iter().map(|l| l.trim()).collect();
        assert!(
            text.contains("抢先犯规 −20，限时 20 秒"),
            "{cols}: {lines:#?}"
        );
        assert!(
            lines.iter().all(|l| !l.ends_with("抢先犯")),
            "{cols}: {lines:#?}"
        );
        let hints = lines.last().unwrap().trim_end().to_owned();
        assert!(
            KEYS.iter().any(|k| hints.ends_with(k)),
            "{cols} columns: the hints end with a whole hint: {hints:?}"
        );
    }
}

/// The trimmed lines of a frame.
fn trimmed(lines: &[String]) -> Vec<&str> {
    lines.iter().map(|l| l.trim()).collect()
}

/// Before a round its rules are wrapped to three quarters of the screen:
/// one line on a wide screen, two on a laptop.
#[test]
fn a_rounds_rules_are_wrapped_to_three_quarters_of_the_screen() {
    let lib = library();
    let c = preset(&lib);
    let rules = "每队依次作答 2 题，答对 +10，答错不扣分，限时 30 秒";
    let wide = plain(&c, 100, 30, &Overlay::default());
    fits(&wide, 100, 30);
    assert!(trimmed(&wide).contains(&rules), "{wide:#?}");
    let narrow = plain(&c, 60, 30, &Overlay::default());
    let narrow = trimmed(&narrow);
    let at = narrow
        .iter()
        .position(|l| l.starts_with("每队依次作答"))
        .expect("the rules");
    assert_eq!(
        narrow[at..at + 2],
        ["每队依次作答 2 题，答对 +10，答错不扣分，限时", "30 秒"]
    );
}

/// A choice question with short options shows them two to a row when the
/// screen is wide enough, and the revealed answer, explanation and source
/// are wrapped to the question's reading measure (three quarters of the
/// screen, less two).
#[test]
fn options_stand_two_to_a_row_and_the_answer_keeps_the_reading_measure() {
    let lib = library();
    for (kind, cols) in [
        (crate::deck::Kind::Choice, 60),
        (crate::deck::Kind::Choice, 100),
        (crate::deck::Kind::List, 60),
        (crate::deck::Kind::List, 100),
    ] {
        let spec = ContestSpec {
            rounds: vec![RoundSpec {
                kinds: vec![kind],
                ..RoundSpec::with_defaults(crate::contest::RoundKind::Buzz)
            }],
            ..ContestSpec::preset()
        };
        let mut c = Contest::new(spec, &lib, entries(&lib, &CardFilter::default()), 5);
        c.apply(&Action::Next, "n", 0).unwrap();
        c.apply(&Action::Reveal, "r", 0).unwrap();
        let lines = plain(&c, cols, 40, &Overlay::default());
        fits(&lines, cols, 40);
        let text = lines.join("\n");
        if kind == crate::deck::Kind::Choice {
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains("■ A. ") && l.contains("■ B. ")),
                "A and B on one row at {cols} columns:\n{text}"
            );
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains("■ C. ") && l.contains("■ D. ")),
                "C and D on one row at {cols} columns:\n{text}"
            );
        }
        let measure = (cols * 3 / 4).clamp(18, 100) - 2;
        let lines = trimmed(&lines);
        let start = lines
            .iter()
            .position(|l| l.starts_with("答案："))
            .expect("the answer");
        let block: Vec<&str> = lines[start..]
            .iter()
            .copied()
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(block.len() >= 3, "answer, explanation, source:\n{text}");
        for line in &block {
            assert!(
                width(line) <= measure,
                "{line:?} is wider than {measure} at {cols} columns:\n{text}"
            );
        }
        // The measure is used: some line of the block comes close to it.
        assert!(
            block.iter().any(|l| width(l) + 4 > measure),
            "{measure} at {cols} columns:\n{text}"
        );
    }
}

/// A contest of one buzz round of `kind` questions.
fn buzz_round_of<'a>(lib: &'a Library, kind: crate::deck::Kind, questions: u32) -> Contest<'a> {
    let spec = ContestSpec {
        rounds: vec![RoundSpec {
            questions,
            kinds: vec![kind],
            ..RoundSpec::with_defaults(crate::contest::RoundKind::Buzz)
        }],
        ..ContestSpec::preset()
    };
    Contest::new(spec, lib, entries(lib, &CardFilter::default()), 5)
}

/// Two options to a row are centred as a row: the left margin is half of
/// what the row leaves of the screen, never more.
#[test]
fn a_row_of_two_options_is_centred() {
    let lib = library();
    let mut c = buzz_round_of(&lib, crate::deck::Kind::Choice, 10);
    c.apply(&Action::Next, "n", 0).unwrap();
    let cols = 100;
    let lines = plain(&c, cols, 40, &Overlay::default());
    let row = lines
        .iter()
        .find(|l| l.contains("■ A. ") && l.contains("■ B. "))
        .expect("A and B on one row");
    let margin = row.len() - row.trim_start().len();
    let used = width(row.trim());
    assert!(margin > 0, "{row:?}");
    assert!(margin * 2 + used <= cols, "not centred: {row:?}");
    assert!(row.contains("    ■ B. "), "a gap between the two: {row:?}");
}

/// On a tall screen the question is set airy: a blank line between its
/// wrapped lines.
#[test]
fn an_airy_question_has_a_blank_line_between_its_lines() {
    let lib = library();
    let mut c = buzz_round_of(&lib, crate::deck::Kind::Qa, 20);
    let cols = 60;
    let measure = (cols * 3 / 4).clamp(18, 100) - 2;
    for _ in 0..20 {
        c.apply(&Action::Next, "n", 0).unwrap();
        let Some(current) = &c.state.current else {
            continue;
        };
        let prompt = crate::term::sanitize(&c.card(current.entry).prompt);
        let wrapped: Vec<String> = crate::term::wrap(&prompt, measure)
            .lines()
            .map(str::to_owned)
            .collect();
        if wrapped.len() < 2 {
            continue;
        }
        let lines = plain(&c, cols, 60, &Overlay::default());
        let lines = trimmed(&lines);
        let first = lines
            .iter()
            .position(|l| *l == wrapped[0].trim())
            .unwrap_or_else(|| panic!("{:?} not in {lines:#?}", wrapped[0]));
        assert_eq!(lines[first + 1], "", "{lines:#?}");
        assert_eq!(lines[first + 2], wrapped[1].trim(), "{lines:#?}");
        return;
    }
    panic!("no question wrapped to two lines");
}

#[test]
fn big_digits_are_blocks_where_the_glyph_has_ink() {
    for row in big_text(" ") {
        assert!(!row.contains('█'), "{row:?}");
    }
    // The top row of 8 is solid; a colon's is empty.
    assert_eq!(big_text("8")[0], "██████");
    assert_eq!(big_text(":")[0].trim(), "");
    assert_eq!(big_text("1:0")[1].matches('█').count() % 2, 0);
}

/// The clock's big digits are for screens with room for them; a small
/// screen shows the clock as a bar only.
#[test]
fn big_clock_digits_only_where_they_fit_the_layout() {
    let lib = library();
    let mut c = preset(&lib);
    c.apply(&Action::Next, "n", 0).unwrap();
    let left = c.state.clock.max(0);
    assert!(left > 0 && left < 60, "{left}");
    let digits = big_text(&left.to_string());
    let shows = |lines: &[String]| lines.iter().any(|l| l.contains(digits[0].trim()));
    assert!(shows(&plain(&c, 100, 60, &Overlay::default())));
    // The smallest screen that shows the clock at all shows its bar and
    // seconds, not the five rows of big digits.
    let label = format!(" {left} 秒");
    let first = (8..60)
        .map(|rows| plain(&c, 60, rows, &Overlay::default()))
        .find(|lines| lines.iter().any(|l| l.contains(&label)))
        .expect("the clock shows on some screen");
    assert!(!shows(&first), "{first:#?}");
}

/// Before a round, on a tall screen, the round's title stands apart: two
/// blank lines above it (one on a short screen).
#[test]
fn the_next_round_title_stands_apart_on_a_tall_screen() {
    let lib = library();
    let c = preset(&lib);
    let blank_lines_above = |rows: usize| {
        let lines = plain(&c, 100, rows, &Overlay::default());
        let lines = trimmed(&lines);
        let at = lines
            .iter()
            .position(|l| l.ends_with("（按 n 出题）"))
            .unwrap_or_else(|| panic!("{lines:#?}"));
        lines[..at]
            .iter()
            .rev()
            .take_while(|l| l.is_empty())
            .count()
    };
    assert_eq!(blank_lines_above(40), 2);
}

/// In the standings (with places) the leading team's bar spans the whole
/// bar width: the screen less the label (place, name), the score and the
/// margins.
#[test]
fn the_leaders_bar_spans_the_bar_width_in_the_standings() {
    let lib = library();
    let mut c = preset(&lib);
    for (t, score) in [120, 60, 30].into_iter().enumerate() {
        c.state.teams[t].score = score;
    }
    // Through the first round to the next round's standings.
    c.apply(&Action::Next, "n", 0).unwrap();
    while c.round().is_some_and(|_| c.state.round == 0) {
        c.apply(&Action::Next, "n", 0).unwrap();
    }
    let cols = 70;
    let lines = plain(&c, cols, 40, &Overlay::default());
    assert!(lines.iter().any(|l| l.contains("当前排名")), "{lines:#?}");
    let (_, top) = bar_of(&lines, "一组");
    let name_w = 4;
    let score_w = 3;
    assert_eq!(top, cols - (6 + name_w + 1) - score_w - 2 - 16);
}
