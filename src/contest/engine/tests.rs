//! The contest rules, action by action.

use super::*;
use crate::contest::{ContestSpec, RoundKind, RoundSpec};
use crate::session::{CardFilter, entries};

fn library() -> Library {
    Library::load(&[]).unwrap().0
}

fn spec(rounds: Vec<RoundSpec>) -> ContestSpec {
    ContestSpec {
        title: "测试竞赛".into(),
        teams: vec!["一组".into(), "二组".into(), "三组".into()],
        start: 100,
        rounds,
        seed: Some(7),
        buzzers: Vec::new(),
    }
}

fn round(kind: RoundKind, questions: u32) -> RoundSpec {
    RoundSpec {
        questions,
        kinds: Vec::new(),
        ..RoundSpec::with_defaults(kind)
    }
}

fn contest(lib: &Library, rounds: Vec<RoundSpec>) -> Contest<'_> {
    Contest::new(spec(rounds), lib, entries(lib, &CardFilter::default()), 1)
}

fn run(c: &mut Contest<'_>, commands: &[&str]) -> Vec<Result<String, String>> {
    commands
        .iter()
        .map(|cmd| {
            let action = parse_action(cmd).unwrap();
            c.apply(&action, cmd, 0)
        })
        .collect()
}

fn scores(c: &Contest<'_>) -> Vec<i64> {
    c.state.teams.iter().map(|t| t.score).collect()
}

#[test]
fn required_questions_go_to_each_team_in_turn() {
    let lib = library();
    let mut c = contest(
        &lib,
        vec![round(RoundKind::Required, 1), round(RoundKind::Buzz, 1)],
    );
    let out = run(&mut c, &["n", "+1", "n", "+1", "-2", "n", "+3", "n"]);
    assert!(out[0].as_ref().unwrap().contains("一组 作答"));
    assert_eq!(out[3], Err("本题是 二组 的必答题".to_owned()));
    assert!(out[4].as_ref().unwrap().contains("二组 答错"));
    assert_eq!(scores(&c), vec![110, 100, 110]);
    assert!(out[7].as_ref().unwrap().contains("进入抢答题"));
    assert_eq!(c.state.phase, Phase::Intro);
    assert_eq!(c.state.teams[1].wrong, 1);
}

#[test]
fn buzz_rounds_score_and_deduct_and_fouls_cost_points() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 2)]);
    let out = run(
        &mut c,
        &["f 3", "n", "-1", "-1", "+2", "+3", "n", "r", "+1"],
    );
    assert!(out[0].as_ref().unwrap().contains("三组 抢答犯规"));
    assert_eq!(out[3], Err("一组 已经答过本题".to_owned()));
    assert_eq!(out[5], Err("本题已经判定（u 撤销，n 下一题）".to_owned()));
    assert_eq!(scores(&c), vec![100, 120, 80]);
    assert!(c.state.current.as_ref().unwrap().revealed);
}

#[test]
fn risk_values_are_chosen_by_the_lowest_team_first() {
    let lib = library();
    let mut c = contest(
        &lib,
        vec![round(RoundKind::Required, 1), round(RoundKind::Risk, 1)],
    );
    // After the required round: 一组 110, 二组 100, 三组 120.
    run(&mut c, &["n", "+1", "n", "-2", "n", "+3", "n"]);
    run(&mut c, &["+3"]); // nothing on screen yet
    run(&mut c, &["+3"]);
    let out = run(&mut c, &["n", "+2", "v 1 30", "v 2 50", "v 2 30", "+2"]);
    assert!(
        out[0].as_ref().unwrap().contains("请 二组 选择分值"),
        "{out:?}"
    );
    assert_eq!(out[1], Err("请先选择分值（v 队号 分值）".to_owned()));
    assert_eq!(out[2], Err("现在轮到 二组 选分值".to_owned()));
    assert_eq!(out[3], Err("分值只能是 20、30、40".to_owned()));
    assert_eq!(scores(&c)[1], 130);
    let out = run(&mut c, &["n", "v 1 40", "-1"]);
    assert!(
        out[0].as_ref().unwrap().contains("请 一组 选择分值"),
        "then the next lowest: {out:?}"
    );
    assert_eq!(scores(&c)[0], 70);
}

#[test]
fn undo_restores_scores_and_marks_the_log() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 2)]);
    run(&mut c, &["n", "+2"]);
    assert_eq!(scores(&c), vec![100, 120, 100]);
    let out = run(&mut c, &["u"]);
    assert_eq!(out[0], Ok("已撤销：二组 答对 +20".to_owned()));
    assert_eq!(scores(&c), vec![100, 100, 100]);
    assert!(c.log.iter().any(|e| e.text == "二组 答对 +20" && e.undone));
    // The question is open again and can be scored.
    run(&mut c, &["+1"]);
    assert_eq!(scores(&c), vec![120, 100, 100]);
    run(&mut c, &["u", "u", "u"]);
    assert_eq!(c.state.phase, Phase::Intro, "undo walks back to the start");
    assert_eq!(run(&mut c, &["u"])[0], Err("没有可以撤销的操作".to_owned()));
}

#[test]
fn a_tie_for_first_starts_a_tiebreak_among_the_tied_teams() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Required, 1)]);
    let out = run(&mut c, &["n", "+1", "n", "+2", "n", "-3", "n"]);
    assert!(
        out[6]
            .as_ref()
            .unwrap()
            .contains("一组、二组 同分并列第一，进入加赛"),
        "{out:?}"
    );
    let out = run(&mut c, &["n", "+3", "-1", "+2"]);
    assert_eq!(out[1], Err("三组 不参加加赛".to_owned()));
    assert!(out[3].as_ref().unwrap().contains("加赛决出胜负，竞赛结束"));
    assert_eq!(c.state.phase, Phase::Finished);
    assert_eq!(c.leader(), Some(1));
    // 二组 130 (won the tie-break), 三组 100, 一组 90 (lost 20 in it).
    assert_eq!(c.ranking(), vec![(1, 1), (2, 2), (3, 0)]);
}

#[test]
fn the_clock_counts_down_pauses_and_can_be_adjusted() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 1)]);
    run(&mut c, &["n", "t 5"]);
    assert_eq!(c.state.clock, 20, "a buzz question's clock waits for o");
    run(&mut c, &["o", "t 5", "p", "t 5"]);
    assert_eq!(c.state.clock, 15, "paused: no time passes");
    run(&mut c, &["p", "]", "t 10"]);
    assert_eq!(c.state.clock, 35);
    let out = run(&mut c, &["[", "t 3", "t 3"]);
    assert_eq!(out[1], Ok(String::new()));
    assert_eq!(out[2], Ok("时间到！".to_owned()));
    assert_eq!(c.state.clock, 0);
}

#[test]
fn ranking_shares_places_for_equal_scores() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 1)]);
    run(&mut c, &["n", "+2"]);
    assert_eq!(c.ranking(), vec![(1, 1), (2, 0), (2, 2)]);
}

#[test]
fn questions_never_repeat_and_skips_are_replaced() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 30)]);
    let mut seen = std::collections::HashSet::new();
    for i in 0..30 {
        run(&mut c, &["n"]);
        let entry = c.state.current.as_ref().unwrap().entry;
        assert!(seen.insert(entry), "question {i} repeated");
        if i % 5 == 0 {
            run(&mut c, &["s"]);
            run(&mut c, &["n"]);
            assert!(seen.insert(c.state.current.as_ref().unwrap().entry));
        }
    }
    assert_eq!(c.state.number, 30, "skipped questions do not count");
}

#[test]
fn the_same_seed_draws_the_same_questions() {
    let lib = library();
    let draw = |seed: u64| {
        let mut s = spec(vec![round(RoundKind::Buzz, 5)]);
        s.seed = Some(seed);
        let mut c = Contest::new(s, &lib, entries(&lib, &CardFilter::default()), 0);
        (0..5)
            .map(|_| {
                c.apply(&Action::Next, "n", 0).unwrap();
                c.state.current.as_ref().unwrap().entry
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(draw(3), draw(3));
    assert_ne!(draw(3), draw(4));
}

#[test]
fn a_missed_turn_is_logged_against_the_team() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Required, 1)]);
    run(&mut c, &["n", "n"]);
    let missed: Vec<&LogEntry> = c.log.iter().filter(|e| e.missed).collect();
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].team, Some(0));
    assert!(missed[0].question.is_some());
}

#[test]
fn host_commands_parse() {
    assert_eq!(parse_action("n"), Ok(Action::Next));
    assert_eq!(parse_action("+2"), Ok(Action::Right(1)));
    assert_eq!(parse_action("＋ 3"), Ok(Action::Right(2)));
    assert_eq!(parse_action("-1"), Ok(Action::Wrong(0)));
    assert_eq!(parse_action("f 2"), Ok(Action::Foul(1)));
    assert_eq!(parse_action("f2"), Ok(Action::Foul(1)));
    assert_eq!(parse_action("v 3 40"), Ok(Action::Value(2, 40)));
    assert_eq!(parse_action("]"), Ok(Action::AddTime(30)));
    assert_eq!(parse_action("t 10"), Ok(Action::Tick(10)));
    assert!(parse_action("+0").is_err());
    assert!(parse_action("+x").is_err());
    assert!(parse_action("hello").unwrap_err().contains("未知操作"));
    assert!(parse_action("v 2").is_err());
}

fn choice_round(n: u32) -> RoundSpec {
    RoundSpec {
        questions: n,
        kinds: vec![crate::deck::Kind::Choice],
        ..RoundSpec::with_defaults(RoundKind::Buzz)
    }
}

#[test]
fn options_are_shuffled_by_the_seed_and_the_answer_follows_them() {
    let lib = library();
    let letters = |seed: u64| {
        let mut s = spec(vec![choice_round(12)]);
        s.seed = Some(seed);
        let mut c = Contest::new(s, &lib, entries(&lib, &CardFilter::default()), 0);
        (0..12)
            .map(|_| {
                c.apply(&Action::Next, "n", 0).unwrap();
                let current = c.state.current.clone().unwrap();
                let options = c.options(&current);
                let answer = c.answer(&current);
                assert!(
                    options.contains(&answer),
                    "the answer {answer:?} is one of the shown options {options:?}"
                );
                answer.chars().next().unwrap()
            })
            .collect::<String>()
    };
    let a = letters(3);
    assert!(a.chars().any(|l| l != 'A'), "every answer is A: {a}");
    assert_eq!(a, letters(3), "the same seed shows the same order");
}

#[test]
fn the_first_buzz_after_opening_wins_and_an_early_one_is_a_foul() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 2)]);
    let out = run(
        &mut c,
        &[
            "n", "b 3", "b 3", "o", "b 2 352", "b 1 410", "b 1 500", "-2", "b 1 900", "+1",
        ],
    );
    assert_eq!(out[1], Ok("三组 提前抢答，犯规 −20".to_owned()));
    assert_eq!(out[2], Err("三组 本题已记过犯规".to_owned()));
    assert_eq!(out[4], Ok("二组 抢答成功（0.352 秒）".to_owned()));
    assert_eq!(out[5], Ok("一组 抢答慢了 0.058 秒".to_owned()));
    assert_eq!(out[6], Err("一组 已经按过抢答器".to_owned()));
    assert_eq!(
        out[8],
        Ok("一组 抢答成功（0.900 秒）".to_owned()),
        "after a wrong answer the others may buzz again"
    );
    assert_eq!(scores(&c), vec![120, 80, 80]);
    assert_eq!(c.state.teams[2].fouls, 1);
    let order: Vec<(usize, u64, bool)> = c
        .state
        .current
        .as_ref()
        .unwrap()
        .buzzes
        .iter()
        .map(|b| (b.team, b.ms, b.won))
        .collect();
    assert_eq!(
        order,
        vec![
            (2, 0, false),
            (1, 352, true),
            (0, 410, false),
            (0, 900, true)
        ]
    );
    assert!(
        c.log
            .iter()
            .any(|e| e.action == "b 2 352" && e.text.contains("0.352"))
    );
    let out = run(&mut c, &["b 2 10"]);
    assert_eq!(out[0], Err("二组 按了抢答器，但本题已经判定".to_owned()));
}

#[test]
fn buzzers_do_nothing_outside_buzz_rounds() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Required, 1)]);
    let out = run(&mut c, &["n", "b 2 100", "o"]);
    assert_eq!(out[1], Err("二组 按了抢答器，但本轮不是抢答题".to_owned()));
    assert_eq!(out[2], Err("只有抢答题需要宣布开始抢答".to_owned()));
    assert_eq!(scores(&c), vec![100, 100, 100]);
}

#[test]
fn undoing_twice_names_only_what_each_undo_takes_back() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 2)]);
    run(&mut c, &["n", "+2"]);
    let out = run(&mut c, &["u", "u"]);
    assert_eq!(out[0], Ok("已撤销：二组 答对 +20".to_owned()));
    let second = out[1].clone().unwrap();
    assert!(second.starts_with("已撤销：抢答题 第 1 题"), "{second}");
    assert!(
        !second.contains("二组 答对") && !second.contains("已撤销：已撤销"),
        "{second}"
    );
}

#[test]
fn next_warns_before_an_unjudged_turn_or_a_risk_team_without_a_value() {
    let lib = library();
    let mut c = contest(
        &lib,
        vec![round(RoundKind::Required, 1), round(RoundKind::Risk, 1)],
    );
    assert_eq!(c.next_warning(), None, "nothing on screen yet");
    run(&mut c, &["n"]);
    let warning = c.next_warning().unwrap();
    assert!(warning.contains("本题还没有判定"), "{warning}");
    run(&mut c, &["-1"]);
    assert_eq!(c.next_warning(), None, "judged");
    run(&mut c, &["n", "+2", "n", "+3", "n", "n"]);
    assert_eq!(c.round().map(|r| r.kind), Some(RoundKind::Risk));
    let warning = c.next_warning().unwrap();
    assert!(warning.contains("一组 还没有选分值"), "{warning}");
}

#[test]
fn a_risk_question_asks_the_team_to_choose_before_it_is_shown() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Risk, 1)]);
    let out = run(&mut c, &["n"]);
    assert_eq!(
        out[0],
        Ok("风险题 第 1 题：请 一组 选择分值（20/30/40）".to_owned())
    );
}

#[test]
fn a_buzz_question_judges_only_the_team_that_buzzed() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 2)]);
    let out = run(&mut c, &["n", "o", "b 3 200", "+2", "-1", "-3", "+2"]);
    assert_eq!(
        out[3],
        Err("本题由 三组 抢到，请先判定 三组（二组 没有抢到）".to_owned())
    );
    assert!(out[4].is_err(), "{out:?}");
    assert!(out[5].as_ref().unwrap().contains("三组 答错"), "{out:?}");
    // 三组 missed: the others may answer now.
    assert!(out[6].as_ref().unwrap().contains("二组 答对"), "{out:?}");
    let s = scores(&c);
    assert!(s[0] == 100 && s[1] == 120 && s[2] < 100, "{s:?}");
    // Judged before o with no buzz: allowed, with a warning.
    let out = run(&mut c, &["n", "+1"]);
    let judged = out[1].as_ref().unwrap();
    assert!(
        judged.contains("一组 答对") && judged.contains("还没有按 o 开始抢答"),
        "{judged}"
    );
}

#[test]
fn passing_over_an_unanswered_buzz_question_warns() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 3)]);
    run(&mut c, &["n", "o"]);
    let w = c.next_warning().expect("a warning");
    assert!(w.contains("本题还没有人答对"), "{w}");
    run(&mut c, &["r"]);
    assert_eq!(c.next_warning(), None, "the answer was revealed on purpose");
    run(&mut c, &["n", "+1"]);
    assert_eq!(c.next_warning(), None, "answered");
}

#[test]
fn after_the_end_only_quit_still_applies() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 2)]);
    let out = run(&mut c, &["n", "+1", "q", "n", "+2", "q"]);
    assert_eq!(out[2], Ok("竞赛结束".to_owned()));
    assert_eq!(c.state.phase, Phase::Finished);
    let ended = Err("竞赛已经结束（q 退出）".to_owned());
    assert_eq!(out[3], ended);
    assert_eq!(out[4], ended);
    assert_eq!(out[5], Ok("竞赛结束".to_owned()), "q again just ends");
    assert_eq!(scores(&c), vec![120, 100, 100]);
}

#[test]
fn a_wrong_required_answer_settles_the_question_but_a_wrong_buzz_does_not() {
    let lib = library();
    let mut c = contest(
        &lib,
        vec![round(RoundKind::Required, 1), round(RoundKind::Buzz, 1)],
    );
    let out = run(&mut c, &["n", "-1", "-1", "+1"]);
    assert_eq!(out[2], Err("本题已经判定（u 撤销，n 下一题）".to_owned()));
    assert_eq!(out[3], Err("本题已经判定（u 撤销，n 下一题）".to_owned()));
    assert!(c.state.current.as_ref().unwrap().settled);
    // Finish the required round, then a buzz question: 二组 buzzes and
    // misses; the question stays open for the others and 三组 may answer
    // without buzzing; it is settled only when 三组 gets it right.
    run(
        &mut c,
        &["n", "+2", "n", "+3", "n", "n", "o", "b 2 300", "-2"],
    );
    let q = c.state.current.as_ref().unwrap();
    assert!(!q.settled);
    assert_eq!(q.answering, None, "the buzz is spent by the wrong answer");
    let out = run(&mut c, &["+3"]);
    assert!(out[0].as_ref().unwrap().contains("三组 答对"), "{out:?}");
    assert!(c.state.current.as_ref().unwrap().settled);
    // 一组 100 (a required miss costs nothing), 二组 110 − 20, 三组 110 + 20.
    assert_eq!(scores(&c), vec![100, 90, 130]);
}

#[test]
fn a_buzz_question_settles_when_every_team_has_missed() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Buzz, 1)]);
    run(&mut c, &["n", "o", "-1", "-2"]);
    assert!(
        !c.state.current.as_ref().unwrap().settled,
        "三组 may still answer"
    );
    run(&mut c, &["-3"]);
    assert!(c.state.current.as_ref().unwrap().settled);
    assert_eq!(scores(&c), vec![80, 80, 80]);
}

#[test]
fn the_clock_runs_only_while_a_question_is_live_and_unpaused() {
    let lib = library();
    let mut c = contest(&lib, vec![round(RoundKind::Risk, 2)]);
    let start = c.state.clock;
    run(&mut c, &["t 3"]);
    assert_eq!(c.state.clock, start, "no question yet");
    run(&mut c, &["n", "t 3"]);
    let before_value = c.state.clock;
    run(&mut c, &["t 3"]);
    assert_eq!(
        c.state.clock, before_value,
        "a risk question waits for its value"
    );
    run(&mut c, &["v 1 20", "t 3"]);
    let running = c.state.clock;
    assert!(running > 0);
    run(&mut c, &["p", "t 2"]);
    assert_eq!(c.state.clock, running, "paused");
    run(&mut c, &["p", "t 2"]);
    assert_eq!(c.state.clock, running - 2, "resumed");
    run(&mut c, &["+1", "t 2"]);
    assert_eq!(c.state.clock, running - 2, "settled: the clock stops");
    // Paused at zero, and unpaused at zero: no second "时间到".
    run(&mut c, &["n"]);
    let first = run(&mut c, &["v 2 20", "t 1000"]);
    assert_eq!(first[1], Ok("时间到！".to_owned()));
    assert_eq!(run(&mut c, &["t 1"])[0], Ok(String::new()));
    assert_eq!(c.state.clock, 0);
}
