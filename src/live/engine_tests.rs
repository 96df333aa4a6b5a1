use super::*;
use crate::deck::library::Loader;
use crate::deck::{Library, Origin};
use crate::live::{Draw, LiveSpec, Pace, Reveal};

/// One card of each kind the tests answer, in a deck of its own.
pub(crate) const DECK: &str = r#"
[deck]
id = "t"
title = "测验"

[[card]]
id = "choice"
kind = "choice"
prompt = "三大作风包括哪一项？"
options = ["批评和自我批评", "三问于民", "换位思考", "先办实事"]
answer = "A"

[[card]]
id = "multi"
kind = "multi"
prompt = "下列哪些属于三大作风？"
options = ["理论和实践相结合", "与人民群众密切联系", "批评和自我批评", "先听民声"]
answer = ["A", "B", "C"]

[[card]]
id = "judge"
kind = "judge"
prompt = "三大作风是在党的七大上提出的。"
answer = true

[[card]]
id = "fill"
kind = "fill"
prompt = "三大作风：理论和实践相结合的作风、与人民群众{{密切联系}}的作风、{{批评和自我批评}}的作风。"

[[card]]
id = "qa"
kind = "qa"
prompt = "党的根本宗旨是什么？"
answer = "全心全意为人民服务"
"#;

pub(crate) fn library() -> Library {
    let mut loader = Loader::default();
    loader.add_text("t.toml", DECK, Origin::File("t.toml".into()));
    let (library, _) = loader.finish().expect("the test deck loads");
    library
}

pub(crate) fn spec(pace: Pace, reveal: Reveal) -> LiveSpec {
    LiveSpec {
        title: "测".into(),
        pace,
        seed: None,
        teams: Vec::new(),
        late_join: true,
        reveal,
        time: 10,
        minutes: 1,
        points: 100,
        speed_bonus: 50,
        draws: vec![Draw {
            count: 5,
            decks: vec!["t".into()],
            tags: Vec::new(),
            kinds: Vec::new(),
        }],
    }
}

/// The paper question holding card `id`.
fn q_of(e: &Engine<'_>, id: &str) -> usize {
    e.paper
        .iter()
        .position(|q| q.key == format!("t/{id}"))
        .expect("card on the paper")
}

/// The letter participant `p` sees for the deck's option `index`.
fn letter(e: &Engine<'_>, p: usize, q: usize, index: usize) -> char {
    let order = e.order(p, q).unwrap();
    option_letter(order.iter().position(|&i| i == index).unwrap())
}

#[test]
fn the_paper_is_seeded_and_never_repeats_a_card() {
    let lib = library();
    let a = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 1);
    let b = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 1);
    assert_eq!(a.paper, b.paper);
    assert_eq!(a.paper.len(), 5);
    let mut keys: Vec<&str> = a.paper.iter().map(|q| q.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), 5);
    let mut s = spec(Pace::Host, Reveal::Each);
    s.draws[0].kinds = vec![Kind::Judge];
    s.draws[0].count = 3;
    let only = Engine::new(s, &lib, 1);
    assert_eq!(only.paper.len(), 1, "only one judge card exists");
}

#[test]
fn options_are_shuffled_per_participant_and_graded_by_their_letters() {
    let lib = library();
    let mut e = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 3);
    for i in 0..8 {
        e.join(&format!("人{i}"), None, format!("t{i}"), 0).unwrap();
    }
    let q = q_of(&e, "choice");
    let orders: std::collections::HashSet<Vec<usize>> =
        (0..8).map(|p| e.order(p, q).unwrap()).collect();
    assert!(orders.len() > 1, "eight people, one order: not shuffled");
    // Open the choice question.
    while e.current() != Some(q) {
        e.next(0);
    }
    if let Phase::Revealed { .. } | Phase::Closed { .. } = e.phase {
        e.next(0);
    }
    assert!(matches!(e.phase, Phase::Open { q: open, .. } if open == q));
    for p in 0..8 {
        let right = letter(&e, p, q, 0).to_string();
        let a = e.answer(p, q, &right.to_lowercase(), 1000).unwrap();
        assert_eq!(a.mark, Mark::Right, "participant {p} answered {right}");
        assert_eq!(a.text, right);
        assert!(
            e.answer_shown(p, q)
                .starts_with(&format!("{right}. 批评和自我批评"))
        );
    }
}

fn open_first(e: &mut Engine<'_>, now: i64) -> usize {
    assert_eq!(e.next(now), Step::Opened(0));
    0
}

#[test]
fn answers_count_only_inside_the_time_of_the_open_question() {
    let lib = library();
    let mut e = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 5);
    let p = e.join("张三", None, "a".into(), 0).unwrap();
    e.join("李四", None, "b".into(), 0).unwrap();
    // Nothing is open in the lobby.
    assert_eq!(e.answer(p, 0, "对", 10).unwrap_err(), Refusal::Closed);
    open_first(&mut e, 1_000);
    // Another question than the open one.
    assert_eq!(e.answer(p, 1, "对", 1_500).unwrap_err(), Refusal::Closed);
    // The deadline itself is still in time; a millisecond later is not.
    let deadline = 1_000 + 10_000;
    let any = match e.card(0).kind() {
        Kind::Choice | Kind::Multi => "A",
        Kind::Judge => "对",
        _ => "不知道",
    };
    assert_eq!(
        e.answer(p, 0, any, deadline + 1).unwrap_err(),
        Refusal::Closed
    );
    assert!(e.answer(p, 0, any, deadline).is_ok());
    assert_eq!(
        e.answer(p, 0, any, deadline).unwrap_err(),
        Refusal::Answered
    );
    // The clock closes it.
    assert_eq!(e.tick(deadline), Step::Nothing);
    assert_eq!(e.tick(deadline + 1), Step::Closed(0));
    assert_eq!(
        e.answer(1, 0, any, deadline + 2).unwrap_err(),
        Refusal::Closed
    );
}

#[test]
fn speed_bonus_is_linear_and_partial_answers_earn_their_share() {
    assert_eq!(speed_bonus(50, 0, 10_000, 0), 50);
    assert_eq!(speed_bonus(50, 0, 10_000, 5_000), 25);
    assert_eq!(speed_bonus(50, 0, 10_000, 10_000), 0);
    assert_eq!(speed_bonus(50, 0, 10_000, 20_000), 0);
    assert_eq!(speed_bonus(50, 5, 5, 5), 0, "no time at all");
    let lib = library();
    let mut s = spec(Pace::Host, Reveal::Each);
    s.draws[0].kinds = vec![Kind::Fill];
    let mut e = Engine::new(s, &lib, 1);
    let p = e.join("张三", None, "a".into(), 0).unwrap();
    e.next(0);
    let a = e.answer(p, 0, "密切联系；自我表扬", 2_000).unwrap();
    assert_eq!(a.mark, Mark::Partial);
    assert!(a.points > 0 && a.points < 100, "{}", a.points);
    let mut s = spec(Pace::Host, Reveal::Each);
    s.draws[0].kinds = vec![Kind::Fill];
    let mut e = Engine::new(s, &lib, 1);
    let p = e.join("张三", None, "a".into(), 0).unwrap();
    e.next(0);
    // Typed fairly: the grader's tolerance (blanks joined by 、).
    let a = e.answer(p, 0, "密切联系、批评和自我批评", 2_000).unwrap();
    assert_eq!(a.mark, Mark::Right);
    assert_eq!(a.points, 100 + 40);
}

#[test]
fn duplicate_names_get_numbers_and_bad_names_are_refused() {
    let lib = library();
    let mut e = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 1);
    e.join("张三", None, "a".into(), 0).unwrap();
    e.join(" 张三 ", None, "b".into(), 0).unwrap();
    e.join("张三", None, "c".into(), 0).unwrap();
    e.join("张三(2)", None, "d".into(), 0).unwrap();
    let names: Vec<&str> = e.participants.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["张三", "张三(2)", "张三(3)", "张三(2)(2)"]);
    assert_eq!(e.join("  \u{7}", None, "e".into(), 0), Err(Refusal::Name));
    assert_eq!(
        e.join(&"长".repeat(21), None, "f".into(), 0),
        Err(Refusal::TooLong)
    );
    assert!(e.join(&"长".repeat(20), None, "g".into(), 0).is_ok());
    assert_eq!(e.find("b"), Ok(1));
    assert_eq!(e.find("nope"), Err(Refusal::Token));
    assert_eq!(e.find(""), Err(Refusal::Token));
}

#[test]
fn teams_must_be_the_files_and_late_joiners_follow_the_file() {
    let lib = library();
    let mut s = spec(Pace::Host, Reveal::Each);
    s.teams = vec!["一组".into(), "二组".into()];
    s.late_join = false;
    let mut e = Engine::new(s, &lib, 1);
    assert_eq!(e.join("甲", None, "a".into(), 0), Err(Refusal::Team));
    assert_eq!(
        e.join("甲", Some("三组"), "a".into(), 0),
        Err(Refusal::Team)
    );
    assert_eq!(e.join("甲", Some("一组"), "a".into(), 0), Ok(0));
    e.next(0);
    assert_eq!(
        e.join("乙", Some("一组"), "b".into(), 5),
        Err(Refusal::Late)
    );
    // Resuming is not joining.
    assert_eq!(e.find("a"), Ok(0));
    let mut e = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 1);
    e.next(0);
    let p = e.join("迟到", None, "c".into(), 5).unwrap();
    assert_eq!(e.participants[p].answers.len(), e.paper.len());
    e.end();
    assert_eq!(e.join("太迟", None, "d".into(), 9), Err(Refusal::Ended));
}

#[test]
fn host_pace_walks_open_reveal_next_and_end() {
    let lib = library();
    let mut e = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 1);
    let p = e.join("张三", None, "a".into(), 0).unwrap();
    assert!(!e.revealed(p, 0));
    assert_eq!(e.next(0), Step::Opened(0));
    assert!(!e.revealed(p, 0), "never before the reveal");
    assert_eq!(e.reveal(100), Step::Revealed(0));
    assert!(e.revealed(p, 0));
    assert!(!e.revealed(p, 1));
    assert_eq!(e.reveal(150), Step::Nothing);
    for q in 1..5 {
        assert_eq!(e.next(200 * q as i64), Step::Opened(q));
        assert_eq!(e.next(200 * q as i64 + 100), Step::Revealed(q));
    }
    assert_eq!(e.next(2_000), Step::Ended);
    assert_eq!(e.next(2_100), Step::Nothing);
    assert!(e.revealed(p, 4));
}

#[test]
fn reveal_at_end_shows_nothing_until_the_end() {
    let lib = library();
    let mut e = Engine::new(spec(Pace::Host, Reveal::End), &lib, 1);
    let p = e.join("张三", None, "a".into(), 0).unwrap();
    assert_eq!(e.next(0), Step::Opened(0));
    assert_eq!(e.next(10), Step::Closed(0));
    assert!(!e.revealed(p, 0));
    assert_eq!(e.reveal(20), Step::Nothing);
    assert_eq!(e.next(30), Step::Opened(1));
    assert!(!e.revealed(p, 0));
    e.end();
    assert!(e.revealed(p, 0) && e.revealed(p, 4));
}

#[test]
fn a_question_closes_when_everyone_has_answered() {
    let lib = library();
    let mut s = spec(Pace::Host, Reveal::Each);
    s.draws[0].kinds = vec![Kind::Judge];
    let mut e = Engine::new(s, &lib, 1);
    e.join("甲", None, "a".into(), 0).unwrap();
    e.join("乙", None, "b".into(), 0).unwrap();
    e.next(0);
    e.answer(0, 0, "对", 10).unwrap();
    assert_eq!(e.settle(), Step::Nothing);
    e.answer(1, 0, "错", 20).unwrap();
    assert_eq!(e.settle(), Step::Closed(0));
    assert_eq!(e.next(30), Step::Revealed(0));
    let scores: Vec<i64> = e.participants.iter().map(Participant::score).collect();
    assert_eq!(scores, [150, 0]);
    assert_eq!(e.ranks(), [1, 2]);
    assert_eq!(
        e.distribution(0),
        [("对".to_owned(), 1), ("错".to_owned(), 1)]
    );
}

#[test]
fn self_pace_takes_any_question_until_the_total_time() {
    let lib = library();
    let mut e = Engine::new(spec(Pace::SelfPaced, Reveal::End), &lib, 1);
    let p = e.join("张三", None, "a".into(), 0).unwrap();
    e.join("李四", None, "b".into(), 0).unwrap();
    assert_eq!(e.next(1_000), Step::Started);
    let judge = q_of(&e, "judge");
    let qa = q_of(&e, "qa");
    assert_eq!(
        e.answer(p, qa, "全心全意为人民服务", 5_000).unwrap().points,
        100
    );
    assert!(!e.revealed(p, qa), "reveal = end");
    assert_eq!(e.answer(p, judge, "√", 61_000).unwrap().mark, Mark::Right);
    assert_eq!(e.answer(p, 99, "对", 61_000).unwrap_err(), Refusal::Closed);
    assert_eq!(
        e.answer(p, judge, "对", 61_000).unwrap_err(),
        Refusal::Answered
    );
    // A minute from the start, inclusive.
    let choice = q_of(&e, "choice");
    assert_eq!(
        e.answer(p, choice, "A", 61_001).unwrap_err(),
        Refusal::Closed
    );
    assert_eq!(e.tick(61_000), Step::Nothing);
    assert_eq!(e.tick(61_001), Step::Ended);
    assert_eq!(e.participants[p].counts(), (2, 0, 3));
    assert!(e.opened.iter().all(|o| *o == Some(1_000)));
}

#[test]
fn self_pace_reveals_each_answer_to_its_author_only() {
    let lib = library();
    let mut e = Engine::new(spec(Pace::SelfPaced, Reveal::Each), &lib, 1);
    let p = e.join("张三", None, "a".into(), 0).unwrap();
    let other = e.join("李四", None, "b".into(), 0).unwrap();
    e.next(0);
    let judge = q_of(&e, "judge");
    e.answer(p, judge, "错", 10).unwrap();
    assert!(e.revealed(p, judge));
    assert!(!e.revealed(other, judge));
}

#[test]
fn self_pace_ends_when_everyone_has_answered_everything() {
    let lib = library();
    let mut s = spec(Pace::SelfPaced, Reveal::End);
    s.draws[0].kinds = vec![Kind::Judge, Kind::Qa];
    let mut e = Engine::new(s, &lib, 1);
    e.join("张三", None, "a".into(), 0).unwrap();
    e.next(0);
    let judge = q_of(&e, "judge");
    let qa = q_of(&e, "qa");
    e.answer(0, judge, "对", 10).unwrap();
    assert_eq!(e.settle(), Step::Nothing);
    e.answer(0, qa, "为人民服务", 20).unwrap();
    assert_eq!(e.settle(), Step::Ended);
}

#[test]
fn a_restart_gives_the_open_question_its_full_time_again() {
    let lib = library();
    let mut e = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 1);
    e.join("张三", None, "a".into(), 0).unwrap();
    e.next(1_000);
    e.reopen(9_000, 9_001);
    assert_eq!(
        e.phase,
        Phase::Open {
            q: 0,
            opened: 1_000,
            deadline: 19_001
        }
    );
    let mut e = Engine::new(spec(Pace::SelfPaced, Reveal::Each), &lib, 1);
    e.next(0);
    e.reopen(30_000, 30_001);
    assert_eq!(
        e.phase,
        Phase::Running {
            started: 0,
            deadline: 60_001
        }
    );
}

#[test]
fn answers_are_normalized_and_junk_is_refused() {
    assert_eq!(normalize_answer(Kind::Multi, "c a, a").unwrap(), "AC");
    assert_eq!(normalize_answer(Kind::Choice, "b").unwrap(), "B");
    assert_eq!(normalize_answer(Kind::Choice, "AB"), Err(Refusal::Invalid));
    assert_eq!(normalize_answer(Kind::Choice, "甲"), Err(Refusal::Invalid));
    assert_eq!(normalize_answer(Kind::Judge, "×").unwrap(), "错");
    assert_eq!(normalize_answer(Kind::Judge, "也许"), Err(Refusal::Invalid));
    assert_eq!(normalize_answer(Kind::Qa, ""), Err(Refusal::Invalid));
    assert_eq!(clean_text(" a\u{0}b\n ", 10).unwrap(), "ab");
    assert_eq!(clean_text(&"字".repeat(201), 200), Err(Refusal::TooLong));
}

#[test]
fn wrong_answers_are_named_by_option_text_not_letter() {
    let lib = library();
    let mut s = spec(Pace::Host, Reveal::Each);
    s.draws[0].kinds = vec![Kind::Choice];
    let mut e = Engine::new(s, &lib, 11);
    for i in 0..6 {
        e.join(&format!("人{i}"), None, format!("t{i}"), 0).unwrap();
    }
    e.next(0);
    // Everyone picks 三问于民 (deck option 1), under their own letter.
    for p in 0..6 {
        let l = letter(&e, p, 0, 1).to_string();
        assert_eq!(e.answer(p, 0, &l, 10).unwrap().mark, Mark::Wrong);
    }
    assert_eq!(e.wrong_answers(0), [("三问于民".to_owned(), 6)]);
    assert_eq!(e.distribution(0), [("三问于民".to_owned(), 6)]);
}
