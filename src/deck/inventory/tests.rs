use super::*;
use crate::deck::parse::parse_deck;
use crate::deck::{Body, Origin};
use crate::diag::SourceText;

const DECK: &str = r#"[deck]
id = "d"
title = "测试"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "lie"
kind = "list"
prompt = "三问是什么？"
items = [{ text = "问需于民" }, { text = "问计于民" }, { text = "问效于民" }]
source = { doc = "000", quote = "问需于民" }

[[card]]
id = "xuan"
kind = "judge"
prompt = "三问之一是问需于民。"
answer = true
source = { doc = "000", quote = "问需于民" }

[[card]]
id = "pan"
kind = "judge"
prompt = "三问之一是问政于民。"
answer = false
source = { doc = "000", quote = "问需于民" }
"#;

fn library() -> Library {
    let src = SourceText::new("d.toml", DECK);
    let deck = parse_deck(&src, Origin::File("d.toml".into()))
        .deck
        .expect("fixture deck parses");
    Library { decks: vec![deck] }
}

fn inventory(facts: &str) -> DocFacts {
    parse("inventory/000.toml", &format!("doc = \"000\"\n{facts}")).expect("fixture parses")
}

#[test]
fn a_fact_needs_exactly_one_of_cards_or_skip() {
    let both =
        "[[fact]]\nline = 1\nwhere = \"一\"\nfact = \"f\"\ncards = [\"d/lie\"]\nskip = \"因为\"\n";
    let neither = "[[fact]]\nline = 3\nwhere = \"一\"\nfact = \"f\"\n";
    let empty = "[[fact]]\nline = 4\nwhere = \"一\"\nfact = \"f\"\ncards = []\n";
    let blank_reason = "[[fact]]\nline = 5\nwhere = \"一\"\nfact = \"f\"\nskip = \" \"\n";
    for (text, line) in [(both, 1), (neither, 3), (empty, 4), (blank_reason, 5)] {
        let err = parse("x.toml", &format!("doc = \"000\"\n{text}")).unwrap_err();
        assert!(
            matches!(err, InventoryError::CoverOrSkip { line: l, index: 1, .. } if l == line),
            "{text}: {err:?}"
        );
        assert!(err.to_string().contains("cards 或 skip"), "{err}");
    }
}

#[test]
fn unknown_keys_and_kinds_are_errors() {
    let typo = "[[fact]]\nline = 1\nwhere = \"一\"\nfact = \"f\"\ncard = [\"d/lie\"]\n";
    assert!(matches!(
        parse("x.toml", &format!("doc = \"000\"\n{typo}")),
        Err(InventoryError::Syntax { .. })
    ));
    let kind =
        "[[fact]]\nline = 1\nwhere = \"一\"\nfact = \"f\"\nkind = \"list\"\ncards = [\"d/lie\"]\n";
    assert!(matches!(
        parse("x.toml", &format!("doc = \"000\"\n{kind}")),
        Err(InventoryError::Syntax { .. })
    ));
}

#[test]
fn coverage_counts_covered_skipped_and_dangling_facts() {
    let inv = inventory(
        r#"
[[fact]]
line = 1
where = "一"
fact = "三问"
kind = "enumeration"
cards = ["d/lie", "d/xuan"]

[[fact]]
line = 2
where = "一"
fact = "问政于民不是三问"
cards = ["d/pan"]

[[fact]]
line = 3
where = "二"
fact = "某县数字"
skip = "地方统计"

[[fact]]
line = 4
where = "二"
fact = "不存在的卡"
cards = ["d/nope"]
"#,
    );
    let (coverage, problems) = assess(&[inv], &library());
    assert_eq!(
        coverage,
        vec![Coverage {
            doc: "000".into(),
            facts: 4,
            covered: 2,
            skipped: 1
        }]
    );
    assert!((coverage[0].ratio() - 0.5).abs() < 1e-9);
    assert_eq!(
        problems,
        vec![Problem::UnknownCard {
            file: "inventory/000.toml",
            line: 4,
            card: "d/nope".into()
        }]
    );
}

#[test]
fn enumerations_need_a_list_card_and_another_kind_and_core_needs_two_kinds() {
    let inv = inventory(
        r#"
[[fact]]
line = 1
where = "一"
fact = "只有列举题"
kind = "enumeration"
cards = ["d/lie"]

[[fact]]
line = 2
where = "一"
fact = "没有列举题"
kind = "enumeration"
cards = ["d/xuan", "d/pan"]

[[fact]]
line = 3
where = "一"
fact = "只有判断题"
kind = "core"
cards = ["d/xuan", "d/pan"]

[[fact]]
line = 4
where = "一"
fact = "两种题型"
kind = "core"
cards = ["d/xuan", "d/lie"]
"#,
    );
    let (coverage, problems) = assess(&[inv], &library());
    assert_eq!(coverage[0].covered, 4);
    let lines: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| match p {
            Problem::EnumerationForms { line, .. } => (*line, "enum"),
            Problem::CoreOneKind { line, .. } => (*line, "core"),
            Problem::UnknownCard { line, .. } => (*line, "unknown"),
        })
        .collect();
    assert_eq!(lines, vec![(1, "enum"), (2, "enum"), (3, "core")]);
    assert!(problems[2].to_string().contains("至少要有两种题型"));
}

#[test]
fn coverage_of_an_empty_document_is_zero_not_nan() {
    let c = Coverage {
        doc: "000".into(),
        facts: 0,
        covered: 0,
        skipped: 0,
    };
    assert_eq!(c.ratio(), 0.0);
}

// ---- The shipped inventory and decks ----

fn shipped_library() -> Library {
    Library::load(&[]).expect("shipped decks load").0
}

fn seed_lines(doc: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let entry = std::fs::read_dir(&dir)
        .expect("../shared/seeds is next to the repository")
        .flatten()
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("{doc}_"))
        })
        .unwrap_or_else(|| panic!("seed {doc} in {}", dir.display()));
    std::fs::read_to_string(entry.path())
        .expect("seed is UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn shipped_inventory_parses_one_file_per_document_with_real_lines() {
    let inventory = shipped().unwrap_or_else(|e| panic!("{e}"));
    let docs: Vec<&str> = inventory.iter().map(|d| d.doc.as_str()).collect();
    assert_eq!(docs, ["000", "001", "002", "003", "004"]);
    for doc in &inventory {
        assert!(
            doc.file.contains(&doc.doc),
            "{} declares doc {}",
            doc.file,
            doc.doc
        );
        let lines = seed_lines(&doc.doc);
        for fact in &doc.facts {
            let text = lines.get(fact.line.wrapping_sub(1)).unwrap_or_else(|| {
                panic!(
                    "{}: line {} is past the document's end",
                    doc.file, fact.line
                )
            });
            assert!(
                !text.trim().is_empty(),
                "{}: line {} of the document is empty ({})",
                doc.file,
                fact.line,
                fact.fact
            );
        }
    }
}

#[test]
fn shipped_inventory_breaks_no_rule_and_covers_95_percent_of_every_document() {
    let inventory = shipped().unwrap_or_else(|e| panic!("{e}"));
    let (coverage, problems) = assess(&inventory, &shipped_library());
    let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(listed.is_empty(), "{}", listed.join("\n"));
    for c in &coverage {
        assert!(c.facts > 0, "document {} has no facts listed", c.doc);
        assert!(
            c.ratio() >= 0.95,
            "document {}: {} of {} facts covered ({:.1} %)",
            c.doc,
            c.covered,
            c.facts,
            c.ratio() * 100.0
        );
    }
}

#[test]
fn every_shipped_card_examines_a_fact_of_the_inventory() {
    let inventory = shipped().unwrap_or_else(|e| panic!("{e}"));
    let listed: BTreeSet<&str> = inventory
        .iter()
        .flat_map(|d| d.facts.iter())
        .filter_map(|f| match &f.cover {
            Cover::Cards(cards) => Some(cards.iter().map(String::as_str)),
            Cover::Skip(_) => None,
        })
        .flatten()
        .collect();
    let library = shipped_library();
    let missing: Vec<String> = library
        .decks
        .iter()
        .flat_map(|d| d.cards.iter().map(move |c| c.key(d)))
        .filter(|key| !listed.contains(key.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "cards not traced to any fact of inventory/*.toml:\n{}",
        missing.join("\n")
    );
}

#[test]
fn shipped_sources_use_the_documents_real_titles() {
    for deck in &shipped_library().decks {
        for source in &deck.sources {
            assert_eq!(
                Some(source.title.as_str()),
                doc_title(&source.id),
                "{}: [[sources]] {}",
                deck.id,
                source.id
            );
        }
    }
}

#[test]
fn at_least_40_percent_of_shipped_judge_cards_are_false() {
    let library = shipped_library();
    let judges: Vec<bool> = library
        .decks
        .iter()
        .flat_map(|d| d.cards.iter())
        .filter_map(|c| match c.body {
            Body::Judge { answer } => Some(answer),
            _ => None,
        })
        .collect();
    let false_ones = judges.iter().filter(|a| !**a).count();
    assert!(
        false_ones * 10 >= judges.len() * 4,
        "{false_ones} of {} judge cards are false: answering 对 every time would score {:.0} %",
        judges.len(),
        100.0 * (judges.len() - false_ones) as f64 / judges.len() as f64
    );
}

/// Fill cards whose blank's words also appear elsewhere in the prompt, and
/// why that gives nothing away.
const GIVEAWAY_REVIEWED: &[(&str, &str)] = &[];

#[test]
fn no_shipped_fill_blank_is_given_away_by_its_own_prompt() {
    let library = shipped_library();
    let mut found = Vec::new();
    for deck in &library.decks {
        for card in &deck.cards {
            let Body::Fill { parts } = &card.body else {
                continue;
            };
            let key = card.key(deck);
            if GIVEAWAY_REVIEWED.iter().any(|(k, _)| *k == key) {
                continue;
            }
            let blanks: Vec<&str> = parts
                .iter()
                .filter_map(|p| match p {
                    crate::deck::FillPart::Blank(answers) => answers.first().map(String::as_str),
                    crate::deck::FillPart::Text(_) => None,
                })
                .collect();
            let text: String = parts
                .iter()
                .filter_map(|p| match p {
                    crate::deck::FillPart::Text(t) => Some(t.as_str()),
                    crate::deck::FillPart::Blank(_) => None,
                })
                .collect::<Vec<_>>()
                .join("＿＿");
            for (i, blank) in blanks.iter().enumerate() {
                if text.contains(blank) {
                    found.push(format!("{key}: blank “{blank}” appears in the prompt text"));
                }
                if blanks[..i].contains(blank) {
                    found.push(format!("{key}: blank “{blank}” is asked twice"));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Cards whose right answer is not a passage of their quote, and why that
/// is right (the answer is what the quote rules out, or a summary of it).
const ANSWER_NOT_QUOTED: &[(&str, &str)] = &[
    (
        "qun-zhong-lu-xian/san-da-ji-ben-guan-dian-xuan",
        "asks which option is NOT in the list the quote gives",
    ),
    (
        "qun-zhong-lu-xian/si-ge-ben-ling-xuan",
        "asks which option is NOT in the list the quote gives",
    ),
    (
        "san-da-zuo-feng/bu-shu-yu",
        "asks which option is NOT one of the three styles the quote gives",
    ),
    (
        "xin-fang-min-sheng/san-wei-yi-ti-xuan",
        "asks which option is NOT part of the 三位一体 the quote gives",
    ),
    (
        "ji-ceng-gong-zuo-fang-fa/zhong-dian-dui-hua",
        "the option abridges the quote's 五保户、孤儿、留守老人、留守儿童、困难群众等弱势群体",
    ),
    (
        "ji-ceng-gong-zuo-fang-fa/si-zhen-tian-kong",
        "the document misspells 号准脉搏 as 號準脈博; the card teaches the right word",
    ),
    (
        "xin-fang-min-sheng/san-you-hui-yin",
        "著落 in the Traditional quote is written 着落 in Simplified (hanconv keeps 著)",
    ),
];

#[test]
fn every_shipped_answer_occurs_in_its_quote() {
    use crate::grade::normalize::fold;
    let library = shipped_library();
    let mut found = Vec::new();
    for deck in &library.decks {
        for card in &deck.cards {
            let key = card.key(deck);
            let Some(source) = &card.source else {
                found.push(format!("{key}: no source"));
                continue;
            };
            if ANSWER_NOT_QUOTED.iter().any(|(k, _)| *k == key) {
                continue;
            }
            let quote = fold(&source.joined());
            let answers: Vec<&str> = match &card.body {
                Body::Fill { parts } => parts
                    .iter()
                    .filter_map(|p| match p {
                        crate::deck::FillPart::Blank(a) => a.first().map(String::as_str),
                        crate::deck::FillPart::Text(_) => None,
                    })
                    .collect(),
                Body::List { items, .. } => items.iter().map(|i| i.text.as_str()).collect(),
                Body::Choice { options, answer } => vec![options[*answer].as_str()],
                Body::Multi { options, answers } => {
                    answers.iter().map(|&i| options[i].as_str()).collect()
                }
                Body::Qa { .. } | Body::Judge { .. } => vec![],
            };
            for answer in answers {
                if !quote.contains(&fold(answer)) {
                    found.push(format!("{key}: “{answer}” is not in the quote"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{}\n({} in all)",
        found.join("\n"),
        found.len()
    );
}
