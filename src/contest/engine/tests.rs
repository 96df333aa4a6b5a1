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
    assert!(out[0].as_ref().unwrap().contains("二组 作答"), "{out:?}");
    assert_eq!(out[1], Err("请先选择分值（v 队号 分值）".to_owned()));
    assert_eq!(out[2], Err("现在轮到第 2 队选分值".to_owned()));
    assert_eq!(out[3], Err("分值只能是 20、30、40".to_owned()));
    assert_eq!(scores(&c)[1], 130);
    let out = run(&mut c, &["n", "v 1 40", "-1"]);
    assert!(
        out[0].as_ref().unwrap().contains("一组 作答"),
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
    run(&mut c, &["n"]);
    assert_eq!(c.state.clock, 20);
    run(&mut c, &["t 5", "p", "t 5"]);
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
