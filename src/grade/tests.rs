//! A table of real answers per kind, each with the verdict a fair examiner
//! would give.

use super::*;
use crate::deck::parse::parse_deck;
use crate::deck::{Card, Origin};
use crate::diag::SourceText;

const CARDS: &str = r#"
[deck]
id = "t"
title = "判分测试"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "tong-qiang"
kind = "qa"
prompt = "真正的铜墙铁壁是什么？"
answer = "是群众，是千百万真心实意地拥护革命的群众"
accept = ["群众", "人民群众"]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "qi-da"
kind = "qa"
prompt = "三大作风在哪次会议上提出？"
answer = "党的七大"
accept = ["中共七大", "中国共产党第七次全国代表大会"]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "year"
kind = "qa"
prompt = "哪一年？"
answer = "1944年"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "one-char"
kind = "qa"
prompt = "鱼离不开什么？"
answer = "水"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "san-da"
kind = "list"
prompt = "三大作风"
items = [
  { text = "理论和实践相结合", accept = ["理论联系实际"] },
  { text = "与人民群众密切联系", accept = ["密切联系群众"] },
  { text = "批评和自我批评", accept = ["批评与自我批评"] },
]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "who-where"
kind = "qa"
prompt = "三大优良作风是谁在哪次会议上提出的？"
answer = "毛泽东在党的七大上提出"
accept = ["毛泽东，党的七大"]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "two-mountains"
kind = "list"
prompt = "两座大山"
items = ["帝国主义", "封建主义"]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "he-xie"
kind = "list"
prompt = "含“和”的项"
items = ["社会和谐", "民族团结"]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "inner-separator"
kind = "list"
prompt = "四项基本原则"
items = ["坚持社会主义道路", "坚持马列主义、毛泽东思想"]
ordered = true
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "short-accept"
kind = "list"
prompt = "两条要求"
items = [
  { text = "常修政德，树立良好形象", accept = ["常修政德"] },
  { text = "贴近群众，不断增进感情", accept = ["贴近群众"] },
]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "ordered"
kind = "list"
prompt = "生根、开花、结果"
items = ["生根", "开花", "结果"]
ordered = true
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "bu-shi-tai"
kind = "list"
prompt = "三不"
items = [{ text = "绝不失态", accept = ["不失态"] }, "不推诿", "不敷衍"]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "fill-two"
kind = "fill"
prompt = "开{{短会}}、讲{{短话|短的话}}"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "fill-one"
kind = "fill"
prompt = "我们共产党人好比{{种子}}，人民好比土地。"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "fill-year"
kind = "fill"
prompt = "{{1943年7月2日}}，发表宣言。"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "fill-adjacent"
kind = "fill"
prompt = "严格执行{{住房}}、{{车辆配备}}等规定。"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "choice"
kind = "choice"
prompt = "哪一个？"
options = ["《关于重庆谈判》", "《愚公移山》", "《中共中央为抗战六周年纪念宣言》", "《关心群众生活、注意工作方法》"]
answer = "B"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "numeric-options"
kind = "choice"
prompt = "知晓率？"
options = ["100%", "99%", "2"]
answer = "C"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "multi"
kind = "multi"
prompt = "哪些？"
options = ["铜墙铁壁", "种子", "眼睛", "桥和船", "上帝"]
answer = ["A", "C", "E"]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "judge-true"
kind = "judge"
prompt = "陈述"
answer = true
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "judge-false"
kind = "judge"
prompt = "陈述"
answer = false
source = { doc = "000", quote = "一段足够长的引文" }
"#;

fn card(id: &str) -> Card {
    let src = SourceText::new("t.toml", CARDS);
    let parsed = parse_deck(&src, Origin::Shipped("t.toml"));
    let deck = parsed
        .deck
        .unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
    deck.card(id)
        .unwrap_or_else(|| panic!("no card {id}"))
        .clone()
}

use Outcome::{Close as C, Correct as R, Partial as P, Wrong as W};

/// (card, answer, expected outcome)
const TABLE: &[(&str, &str, Outcome)] = &[
    // qa: accepted forms, frame words, script, width, punctuation
    ("tong-qiang", "是群众，是千百万真心实意地拥护革命的群众", R),
    (
        "tong-qiang",
        "是群眾，是千百萬真心實意地擁護革命的群眾。",
        R,
    ),
    ("tong-qiang", "群众", R),
    ("tong-qiang", "是群众", R),
    ("tong-qiang", "“群众”", R),
    ("tong-qiang", "  群众  ", R),
    ("tong-qiang", "群衆", R),
    ("tong-qiang", "干部", W),
    ("tong-qiang", "不是群众", W),
    ("tong-qiang", "群众路线", W),
    ("tong-qiang", "是群众，是千百万真心实意地拥户革命的群众", C),
    ("qi-da", "中共七大", R),
    ("qi-da", "党的7大", R),
    ("qi-da", "中国共产党第7次全国代表大会", R),
    ("qi-da", "中國共產黨第七次全國代表大會", R),
    ("qi-da", "党的八大", W),
    ("qi-da", "党的十八大", W),
    ("year", "一九四四年", R),
    ("year", "１９４４年", R),
    ("year", "1944", C), // 年 left out: shown as a slip
    ("year", "1945年", W),
    ("one-char", "水", R),
    ("one-char", "水。", R),
    ("one-char", "火", W),
    ("one-char", "睡", W), // a homophone never rescues a one-character answer
    // list: separators, order, accepted forms, conjunctions, extras
    ("san-da", "理论联系实际、密切联系群众、批评与自我批评", R),
    (
        "san-da",
        "批评和自我批评，理论和实践相结合；与人民群众密切联系",
        R,
    ),
    ("san-da", "理論聯系實際 密切聯系群眾 批評與自我批評", R),
    ("san-da", "理论联系实际\n密切联系群众\n批评和自我批评", R),
    ("san-da", "理论联系实际、密切联系群众", P),
    (
        "san-da",
        "理论联系实际、密切联系群众、批评和自我批评、实事求是",
        P,
    ),
    ("san-da", "实事求是、群众路线、独立自主", W),
    ("san-da", "理论联系实即、密切联系群众、批评和自我批评", C),
    ("two-mountains", "帝国主义和封建主义", R),
    ("two-mountains", "帝国主义与封建主义", R),
    ("two-mountains", "帝国主义、官僚资本主义", P),
    ("he-xie", "社会和谐、民族团结", R),
    ("he-xie", "社会和谐与民族团结", R),
    // Regression: an item that contains a separator itself.
    (
        "inner-separator",
        "坚持社会主义道路、坚持马列主义、毛泽东思想",
        R,
    ),
    (
        "inner-separator",
        "坚持社会主义道路 坚持马列主义毛泽东思想",
        R,
    ),
    (
        "inner-separator",
        "坚持马列主义、毛泽东思想、坚持社会主义道路",
        P,
    ),
    ("inner-separator", "坚持社会主义道路、坚持马列主义", P),
    // Regression: a short accepted form must not claim half of an item
    // whose full text contains a comma.
    (
        "short-accept",
        "常修政德，树立良好形象，贴近群众，不断增进感情",
        R,
    ),
    ("short-accept", "常修政德、贴近群众", R),
    ("short-accept", "常修政德，树立良好形象", P),
    ("ordered", "生根、开花、结果", R),
    ("ordered", "开花、生根、结果", P),
    ("ordered", "生根 开花", P),
    ("bu-shi-tai", "不失态、不推诿、不敷衍", R),
    ("bu-shi-tai", "失态、不推诿、不敷衍", P),
    // fill: blanks only, whole sentence, alternatives, separators
    ("fill-two", "短会、短话", R),
    ("fill-two", "短会 短的话", R),
    ("fill-two", "开短会、讲短话", R),
    ("fill-two", "短会，长话", P),
    ("fill-two", "长会，长话", W),
    ("fill-two", "短会短话", R),
    ("fill-one", "种子", R),
    ("fill-one", "種子", R),
    ("fill-one", "我们共产党人好比种子，人民好比土地。", R),
    ("fill-one", "土地", W),
    ("fill-year", "一九四三年七月二日", R),
    // Regression: blanks separated only by 、 in a whole-sentence answer
    // that happens to split into as many pieces as there are blanks.
    ("fill-adjacent", "严格执行住房、车辆配备等规定。", R),
    ("fill-adjacent", "住房、车辆配备", R),
    ("fill-adjacent", "住房、汽车", P),
    ("fill-year", "1943年7月3日", W),
    // choice: letters in any case or width, numbers, option text
    ("choice", "B", R),
    ("choice", "b", R),
    ("choice", "Ｂ", R),
    ("choice", "（B）", R),
    ("choice", "选B", R),
    ("choice", "2", R),
    ("choice", "愚公移山", R),
    ("choice", "《愚公移山》", R),
    ("choice", "A", W),
    ("choice", "AB", W),
    // Regression: options that are numbers are matched as text first.
    ("numeric-options", "2", R),
    ("numeric-options", "C", R),
    ("numeric-options", "100%", W),
    ("numeric-options", "3", R),
    ("choice", "E", W),
    ("choice", "9", W),
    // multi: any order and separator; wrong picks score nothing
    ("multi", "ACE", R),
    ("multi", "a c e", R),
    ("multi", "E、A、C", R),
    ("multi", "ＡＣＥ", R),
    ("multi", "135", R),
    ("multi", "铜墙铁壁、眼睛、上帝", R),
    ("multi", "AC", P),
    ("multi", "ACEB", W),
    ("multi", "B", W),
    // judge: every usual way to say true or false
    ("judge-true", "对", R),
    ("judge-true", "正确", R),
    ("judge-true", "√", R),
    ("judge-true", "✓", R),
    ("judge-true", "T", R),
    ("judge-true", "y", R),
    ("judge-true", "true", R),
    ("judge-true", "1", R),
    ("judge-true", "是", R),
    ("judge-true", "錯", W),
    ("judge-true", "×", W),
    ("judge-false", "错", R),
    ("judge-false", "错误", R),
    ("judge-false", "✗", R),
    ("judge-false", "F", R),
    ("judge-false", "N", R),
    ("judge-false", "0", R),
    ("judge-false", "否", R),
    ("judge-false", "对", W),
    ("judge-false", "也许", W),
    // empty, blank and hostile input
    ("tong-qiang", "", W),
    ("tong-qiang", "   \t\n", W),
    ("tong-qiang", "\u{1b}[2J\u{7}", W),
    ("san-da", "、、、，，", W),
    ("choice", "\u{0}", W),
];

#[test]
fn a_fair_examiner_table() {
    let mut failures = Vec::new();
    for (id, answer, expected) in TABLE {
        let verdict = grade(&card(id), answer);
        if verdict.outcome != *expected {
            failures.push(format!(
                "{id} {answer:?}: expected {expected:?}, got {verdict:?}"
            ));
        }
        assert!(
            (0.0..=1.0).contains(&verdict.score),
            "{id} {answer:?}: score {}",
            verdict.score
        );
        if !verdict.outcome.is_right() {
            assert!(
                verdict.score < 1.0,
                "{id} {answer:?}: not right but full score"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} wrong verdicts:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn partial_lists_name_exactly_what_is_missing_and_extra() {
    let v = grade(&card("san-da"), "理论联系实际、实事求是");
    assert_eq!(v.outcome, Outcome::Partial);
    assert_eq!(v.missing, vec!["与人民群众密切联系", "批评和自我批评"]);
    assert_eq!(v.extra, vec!["实事求是"]);
    assert_eq!(v.right_parts(), (1, 3));
}

#[test]
fn ordered_lists_report_items_out_of_place() {
    let v = grade(&card("ordered"), "开花、生根、结果");
    assert_eq!(v.misplaced, vec!["开花"]);
    assert!(v.missing.is_empty());
}

#[test]
fn slips_say_what_was_accepted() {
    let v = grade(
        &card("san-da"),
        "理论联系实即、密切联系群众、批评和自我批评",
    );
    assert_eq!(v.outcome, Outcome::Close);
    assert_eq!(v.slips.len(), 1);
    assert_eq!(
        (v.slips[0].expected.as_str(), v.slips[0].given.as_str()),
        ("际", "即")
    );
    assert!(v.slips[0].homophone);
}

#[test]
fn shuffled_options_are_graded_by_what_was_shown() {
    // Shown as: A = 《愚公移山》 (deck B), B = 《关于重庆谈判》 (deck A), …
    let order = [1, 0, 2, 3];
    let c = card("choice");
    assert_eq!(grade_shown(&c, "A", Some(&order)).outcome, Outcome::Correct);
    assert_eq!(grade_shown(&c, "B", Some(&order)).outcome, Outcome::Wrong);
    let m = card("multi");
    let order = [4, 3, 2, 1, 0]; // reversed
    assert_eq!(
        grade_shown(&m, "ACE", Some(&order)).outcome,
        Outcome::Correct
    );
    assert_eq!(grade_shown(&m, "BD", Some(&order)).outcome, Outcome::Wrong);
}

#[test]
fn a_multi_answer_with_a_wrong_pick_names_it() {
    let v = grade(&card("multi"), "A、B、C、E");
    assert_eq!(v.outcome, Outcome::Wrong);
    assert_eq!(v.extra, vec!["B. 种子"]);
    assert_eq!(v.score, 0.0);
}

#[test]
fn very_long_answers_are_graded_quickly_and_wrong() {
    let long = "群众".repeat(50_000);
    let start = std::time::Instant::now();
    for id in [
        "tong-qiang",
        "san-da",
        "fill-two",
        "choice",
        "multi",
        "judge-true",
    ] {
        assert!(!grade(&card(id), &long).outcome.is_right(), "{id}");
    }
    // Not a benchmark: a guard against quadratic blow-ups (seconds, not ms).
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}

/// Ways a learner may type the right answer to a card: the textbook form,
/// every accepted form, in Traditional script and with full-width
/// punctuation.
fn right_answers(card: &Card) -> Vec<String> {
    use crate::deck::{Body, fill, option_letter};
    let mut base: Vec<String> = match &card.body {
        Body::Qa { answer, accept } => std::iter::once(answer).chain(accept).cloned().collect(),
        Body::Fill { parts } => vec![
            fill::blank_answers(parts).join("、"),
            parts
                .iter()
                .map(|p| match p {
                    fill::FillPart::Text(t) => t.clone(),
                    fill::FillPart::Blank(a) => a[0].clone(),
                })
                .collect(),
        ],
        Body::Choice { options, answer } => {
            vec![option_letter(*answer).to_string(), options[*answer].clone()]
        }
        Body::Multi { answers, .. } => vec![answers.iter().map(|&i| option_letter(i)).collect()],
        Body::Judge { answer } => vec![if *answer { "对" } else { "错" }.to_owned()],
        Body::List { items, .. } => vec![
            items
                .iter()
                .map(|i| i.text.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            items
                .iter()
                .map(|i| i.text.as_str())
                .collect::<Vec<_>>()
                .join("，"),
            items
                .iter()
                .map(|i| i.accept.first().unwrap_or(&i.text).as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ],
    };
    let traditional: Vec<String> = base.iter().map(hanconv::s2t).collect();
    let full_width: Vec<String> = base
        .iter()
        .map(|a| a.replace(',', "，").replace(';', "；").replace(' ', "　"))
        .collect();
    base.extend(traditional);
    base.extend(full_width);
    base
}

#[test]
fn every_shipped_card_accepts_its_answer_in_every_script_and_width() {
    let (library, _) = crate::deck::Library::load(&[]).expect("shipped decks load");
    let mut failures = Vec::new();
    for deck in &library.decks {
        for card in &deck.cards {
            for answer in right_answers(card) {
                let v = grade(card, &answer);
                if v.outcome != Outcome::Correct {
                    failures.push(format!(
                        "{}/{} {answer:?}: {:?}",
                        deck.id, card.id, v.outcome
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_shipped_card_accepts_another_cards_answer_of_the_same_kind() {
    // Distinct facts must not grade each other correct (qa and list only:
    // choice letters and true/false collide by design).
    use crate::deck::Body;
    let (library, _) = crate::deck::Library::load(&[]).expect("shipped decks load");
    let cards: Vec<&Card> = library.decks.iter().flat_map(|d| &d.cards).collect();
    for a in &cards {
        for b in &cards {
            if std::ptr::eq(*a, *b) || a.kind() != b.kind() {
                continue;
            }
            if let (Body::Qa { answer, .. }, Body::Qa { answer: other, .. }) = (&a.body, &b.body)
                && fold(answer) != fold(other)
            {
                assert!(
                    !grade(a, other).outcome.is_right(),
                    "{} accepts {}'s answer",
                    a.id,
                    b.id
                );
            }
        }
    }
}

const NEAR_OPTIONS: &str = r#"
[deck]
id = "near"
title = "相近选项"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "near-choice"
kind = "choice"
prompt = "哪一个？"
options = ["为人民服物", "为人民服务", "为群众办事"]
answer = "B"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "near-multi"
kind = "multi"
prompt = "哪些？"
options = ["为人民服物", "为人民服务", "为群众办事"]
answer = ["B", "C"]
source = { doc = "000", quote = "一段足够长的引文" }
"#;

#[test]
fn an_option_typed_exactly_beats_one_it_is_a_slip_of() {
    let src = SourceText::new("near.toml", NEAR_OPTIONS);
    let parsed = parse_deck(&src, Origin::Shipped("near.toml"));
    let deck = parsed
        .deck
        .unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
    let c = deck.card("near-choice").unwrap();
    // Typed exactly as B, within a slip of A: B is the pick.
    let v = grade(c, "为人民服务");
    assert_eq!(v.outcome, Outcome::Correct, "{v:?}");
    assert!(v.slips.is_empty(), "{v:?}");
    // Typed exactly as A (a slip away from B): A is the pick, and wrong.
    assert_eq!(grade(c, "为人民服物").outcome, Outcome::Wrong);
    // Piece by piece in a multi answer, each piece picks its exact option.
    let m = deck.card("near-multi").unwrap();
    for answer in ["为人民服务、为群众办事", "是为人民服务；为群众办事"] {
        let v = grade(m, answer);
        assert_eq!(v.outcome, Outcome::Correct, "{answer}: {v:?}");
    }
    let v = grade(m, "为人民服物、为群众办事");
    assert_eq!(v.outcome, Outcome::Wrong, "{v:?}");
    assert_eq!(v.extra, vec!["A. 为人民服物"]);
}

/// A qa answer inside the learner's own sentence: the note says whether a
/// key point is missing or something else was added.
#[test]
fn a_sentence_answer_names_what_is_short_or_extra() {
    let short = grade(&card("who-where"), "是在党的七大上提出的");
    assert_eq!(short.outcome, Outcome::Partial);
    assert_eq!(short.note.as_deref(), Some("只答出了一部分要点"));
    assert!(short.score > 0.0 && short.score < 1.0, "{}", short.score);
    let extra = grade(&card("qi-da"), "党的七大和遵义会议");
    assert_eq!(extra.outcome, Outcome::Partial);
    assert_eq!(
        extra.note.as_deref(),
        Some("要点答出了，但多写的内容不是标准答案里的")
    );
    assert_eq!(extra.score, 0.5);
    let whole = grade(&card("who-where"), "是毛泽东在党的七大上提出的");
    assert_eq!(whole.outcome, Outcome::Correct);
}

/// A whole-sentence answer to a fill card may begin with words of the
/// learner's own ("毛主席说……"): the blanks are still cut out at the
/// prompt's text, and a wrong blank shows what stood in it, not the
/// learner's whole clause.
#[test]
fn a_whole_sentence_after_words_of_ones_own_is_cut_at_the_prompts_text() {
    let given = |v: &Verdict| -> Vec<(PartStatus, Option<String>)> {
        v.parts
            .iter()
            .map(|p| (p.status, p.given.clone()))
            .collect()
    };
    let v = grade(
        &card("fill-one"),
        "毛主席说我们共产党人好比种子，人民好比土地。",
    );
    assert_eq!(v.outcome, R, "{v:?}");
    assert_eq!(given(&v), [(PartStatus::Right, Some("种子".to_owned()))]);
    let v = grade(&card("fill-two"), "要开长会、讲短话");
    assert_eq!(v.outcome, P, "{v:?}");
    assert_eq!(
        given(&v),
        [
            (PartStatus::Missing, Some("长会".to_owned())),
            (PartStatus::Right, Some("短话".to_owned())),
        ]
    );
}
