//! Import and export together: the bank layout round-trips, ids are
//! stable, and bad rows are reported with their row numbers.

use super::import::{Imported, Options, card_id, import};
use super::read::{Sheet, csv_rows, sheets};
use crate::deck::library::SHIPPED;
use crate::deck::parse::parse_deck;
use crate::deck::{Body, Deck, Kind, Origin};
use crate::diag::SourceText;

fn bank(csv: &str) -> Imported {
    let rows = csv_rows("t.csv", csv.as_bytes()).unwrap();
    let sheet = Sheet {
        name: String::new(),
        rows,
    };
    import(
        "t.csv",
        "t",
        &[sheet],
        &Options {
            id: Some("t".into()),
            title: Some("测试".into()),
            sheet: None,
        },
    )
    .unwrap()
}

fn errors(imported: &Imported) -> Vec<String> {
    imported
        .errors
        .iter()
        .map(|d| format!("{}: {}", d.path, d.message))
        .collect()
}

fn ids(deck: &Deck) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = deck
        .cards
        .iter()
        .map(|c| (c.prompt.clone(), c.id.clone()))
        .collect();
    out.sort();
    out
}

const SMALL: &str = "题型,题干,选项A,选项B,选项C,答案,解析,出处,原文
单选,党的宗旨是什么？,全心全意为人民服务,实事求是,群众路线,A,,003：群众工作,黨的宗旨是全心全意為人民服務。
判断,三大优良作风是在党的七大上提出的。,,,,√,,,
填空,视群众为（ ），坚持问需于民。,,,,亲人,,党课,
多选,下列哪些属于三大作风？,理论和实践相结合,先办实事,批评和自我批评,\"A,C\",,,
简答,“三问”是哪三问？,,,,1. 问需于民 2. 问计于民 3. 问效于民,,,
";

#[test]
fn imports_every_kind_into_a_deck_that_checks() {
    let imported = bank(SMALL);
    assert_eq!(errors(&imported), Vec::<String>::new());
    let kinds: Vec<Kind> = imported.deck.cards.iter().map(|c| c.kind()).collect();
    assert_eq!(
        kinds,
        vec![
            Kind::Choice,
            Kind::Judge,
            Kind::Fill,
            Kind::Multi,
            Kind::List
        ]
    );
    let src = SourceText::new("t.toml", &imported.toml);
    let parsed = parse_deck(&src, Origin::Shipped("t.toml"));
    assert!(parsed.deck.is_some(), "{:?}", parsed.diagnostics);
    let deck = &imported.deck;
    assert_eq!(deck.sources.len(), 1);
    assert_eq!(deck.sources[0].id, "003");
    assert_eq!(deck.sources[0].title, "群众工作");
    assert_eq!(deck.cards[2].prompt, "视群众为{{亲人}}，坚持问需于民。");
    // 出处 without 原文: no invented quote, the 出处 kept in the explanation.
    assert!(deck.cards[2].source.is_none());
    assert_eq!(deck.cards[2].explain.as_deref(), Some("（出处：党课）"));
    assert_eq!(imported.unsourced, 4);
    assert!(
        imported.notes.iter().any(|n| n.contains("4 道题")),
        "{:?}",
        imported.notes
    );
    match &deck.cards[4].body {
        Body::List { items, ordered } => {
            let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
            assert_eq!(texts, vec!["问需于民", "问计于民", "问效于民"]);
            assert!(!ordered);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn ids_come_from_the_prompt_not_the_row() {
    assert_eq!(card_id("党的宗旨是什么？"), card_id(" 党的宗旨是什么? "));
    assert!(card_id("党的宗旨是什么？").starts_with("dang-de-zong-zhi-"));
    assert_ne!(card_id("党的宗旨是什么？"), card_id("党的宗旨是什么呢？"));
    let first = bank(SMALL);
    // Reorder the rows and edit one question: the others keep their ids.
    let mut lines: Vec<&str> = SMALL.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let edited = lines
        .iter()
        .map(|l| {
            l.replace(
                "视群众为（ ），坚持问需于民。",
                "视群众为（ ），坚持问计于民。",
            )
        })
        .collect::<Vec<_>>();
    let text = format!("{header}\n{}\n", edited.join("\n"));
    let second = bank(&text);
    let before = ids(&first.deck);
    let after = ids(&second.deck);
    let kept: Vec<_> = before.iter().filter(|p| after.contains(p)).collect();
    assert_eq!(kept.len(), before.len() - 1, "{before:?}\n{after:?}");
    assert!(!after.iter().any(|(p, _)| p.contains("问需于民。")));
}

#[test]
fn two_questions_with_one_prompt_get_ids_by_content() {
    let text = "题型,题干,答案\n判断,党的宗旨是全心全意为人民服务。,对\n简答,党的宗旨是全心全意为人民服务。,是的\n";
    let a = bank(text);
    let reordered = "题型,题干,答案\n简答,党的宗旨是全心全意为人民服务。,是的\n判断,党的宗旨是全心全意为人民服务。,对\n";
    let b = bank(reordered);
    let mut a_ids: Vec<&str> = a.deck.cards.iter().map(|c| c.id.as_str()).collect();
    let mut b_ids: Vec<&str> = b.deck.cards.iter().map(|c| c.id.as_str()).collect();
    assert_ne!(a_ids[0], a_ids[1]);
    a_ids.sort_unstable();
    b_ids.sort_unstable();
    assert_eq!(a_ids, b_ids);
}

#[test]
fn bad_rows_are_reported_with_their_row_and_reason() {
    let text = "题型,题干,选项A,选项B,答案,出处,原文
单选,问一？,甲,乙,C,,

判断,问二。,,,也许,,
填空,问三没有空格。,,,答案,,
作文,问四,,,略,,
简答,问五？,,,答,文档,短
单选,问一？,甲,乙,C,,
简答,,,,答,,
简答,问六？,,,答六,,
";
    let imported = bank(text);
    assert_eq!(
        errors(&imported),
        vec![
            "t.csv:2: 答案“C”超出选项范围（A–B）",
            "t.csv:4: 判断题的答案应为 对/错（√/×、正确/错误、T/F），实际是“也许”",
            "t.csv:5: 填空题的题干里没有空格：用 （ ）、____ 或 【答案】 标出要填的地方",
            "t.csv:6: 不认识的题型“作文”（可用：单选、多选、判断、填空、简答、列举）",
            "t.csv:7: 引文太短（1 个字），至少要 4 个字才能证明出处",
            "t.csv:8: 答案“C”超出选项范围（A–B）",
            "t.csv:9: 题干为空",
        ]
    );
    assert_eq!(imported.deck.cards.len(), 1);
    assert_eq!(imported.deck.cards[0].prompt, "问六？");
}

#[test]
fn duplicate_rows_are_errors_on_the_later_row() {
    let text = "题型,题干,答案\n判断,问。,对\n判断,问。,对\n";
    assert_eq!(
        errors(&bank(text)),
        vec!["t.csv:3: 与第 2 行是同一道题（题型、题干和答案都相同）"]
    );
}

#[test]
fn fill_spellings() {
    let text = "题型,题干,答案
填空,开____、讲____。,短会；短话
填空,宗旨是（全心全意为人民服务）。,
填空,宗旨是【全心全意为人民服务】。,
填空,党的宗旨是全心全意为人民服务。,全心全意为人民服务
填空,开{{短会}}、讲{{短话|短的话}}。,短会；短话
填空,开{{短会}}、讲{{短话}}。,长会；短话
";
    let imported = bank(text);
    let prompts: Vec<&str> = imported
        .deck
        .cards
        .iter()
        .map(|c| c.prompt.as_str())
        .collect();
    assert_eq!(
        prompts,
        vec![
            "开{{短会}}、讲{{短话}}。",
            "宗旨是{{全心全意为人民服务}}。",
            "党的宗旨是{{全心全意为人民服务}}。",
            "开{{短会}}、讲{{短话|短的话}}。",
        ]
    );
    // Rows 3 and 4 make the same card as row 3's spelling differs only in
    // brackets; row 7's answer column contradicts its blanks.
    let errs = errors(&imported);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].starts_with("t.csv:4: 与第 3 行是同一道题"),
        "{errs:?}"
    );
    assert!(
        errs[1].starts_with(
            "t.csv:7: 题干里 {{…}} 标出的答案（短会；短话）与答案列“长会；短话”不一致"
        ),
        "{errs:?}"
    );
}

/// What a bank carries of a deck: its cards and the sources they cite.
fn carried(deck: &Deck) -> (Vec<crate::deck::Card>, Vec<crate::deck::SourceDoc>) {
    let mut cards = deck.cards.clone();
    for c in &mut cards {
        c.line = 0;
        if let Some(s) = &mut c.source {
            for q in &mut s.quotes {
                q.position = (0, 0);
            }
        }
    }
    let mut sources: Vec<_> = deck
        .sources
        .iter()
        .filter(|s| {
            deck.cards
                .iter()
                .any(|c| c.source.as_ref().is_some_and(|cs| cs.doc == s.id))
        })
        .cloned()
        .collect();
    sources.sort_by(|a, b| a.id.cmp(&b.id));
    (cards, sources)
}

fn reimport(path: &str, bytes: Vec<u8>, deck: &Deck, given: bool) -> Deck {
    let sheets: Vec<Sheet> = sheets(path, bytes).unwrap();
    let imported = import(
        path,
        "x",
        &sheets,
        &Options {
            id: given.then(|| deck.id.clone()),
            title: given.then(|| deck.title.clone()),
            sheet: None,
        },
    )
    .unwrap();
    assert_eq!(
        errors(&imported),
        Vec::<String>::new(),
        "{path} {}",
        deck.id
    );
    imported.deck
}

#[test]
fn every_shipped_deck_round_trips_through_xlsx_and_csv() {
    for file in SHIPPED {
        let src = SourceText::new(file.path, file.text);
        let deck = parse_deck(&src, Origin::Shipped(file.path)).deck.unwrap();
        // The workbook names the deck in its 卡组信息 sheet.
        let xlsx = super::export::xlsx(&[&deck]).unwrap();
        let again = reimport("x.xlsx", xlsx, &deck, false);
        assert_eq!(carried(&again), carried(&deck), "xlsx {}", file.path);
        assert_eq!(
            (&again.id, &again.title, &again.description, &again.tags),
            (&deck.id, &deck.title, &deck.description, &deck.tags),
            "xlsx {}",
            file.path
        );
        // A CSV carries the cards and their sources; the deck's id and
        // title come from the command line.
        let csv = super::export::csv(&deck).unwrap();
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        let again = reimport("x.csv", csv, &deck, true);
        assert_eq!(carried(&again), carried(&deck), "csv {}", file.path);
    }
}

#[test]
fn a_workbook_of_several_decks_imports_each_by_sheet() {
    let decks: Vec<Deck> = SHIPPED[..2]
        .iter()
        .map(|f| {
            let src = SourceText::new(f.path, f.text);
            parse_deck(&src, Origin::Shipped(f.path)).deck.unwrap()
        })
        .collect();
    let xlsx = super::export::xlsx(&decks.iter().collect::<Vec<_>>()).unwrap();
    let sheets = sheets("x.xlsx", xlsx).unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        vec![decks[0].title.as_str(), decks[1].title.as_str(), "卡组信息"]
    );
    for deck in &decks {
        let imported = import(
            "x.xlsx",
            "x",
            &sheets,
            &Options {
                sheet: Some(deck.title.clone()),
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(imported.deck.id, deck.id);
        assert_eq!(carried(&imported.deck), carried(deck));
    }
    let err = import(
        "x.xlsx",
        "x",
        &sheets,
        &Options {
            sheet: Some("没有".into()),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("没有工作表“没有”"), "{err}");
}

#[test]
fn an_imported_bank_round_trips_whole() {
    let first = bank(SMALL).deck;
    for (path, bytes) in [
        ("x.xlsx", super::export::xlsx(&[&first]).unwrap()),
        ("x.csv", super::export::csv(&first).unwrap()),
    ] {
        let mut again = reimport(path, bytes, &first, true);
        again.origin = first.origin.clone();
        again.id_position = first.id_position;
        let (a, b) = (carried(&again), carried(&first));
        assert_eq!(a, b, "{path}");
        assert_eq!(again.description, first.description, "{path}");
    }
}

#[test]
fn csv_cells_that_look_like_formulas_are_guarded() {
    let text = "题型,题干,答案\n简答,'=1+1 等于几？,'-2\n";
    let deck = bank(text).deck;
    assert_eq!(deck.cards[0].prompt, "=1+1 等于几？");
    let csv = String::from_utf8(super::export::csv(&deck).unwrap()).unwrap();
    assert!(csv.contains(",'=1+1 等于几？,"), "{csv}");
    assert!(csv.contains(",'-2,"), "{csv}");
}

#[test]
fn junk_and_empty_banks_are_errors_not_panics() {
    for (path, bytes) in [
        ("x.csv", Vec::new()),
        ("x.csv", b"\xff\xfe\x00".to_vec()),
        ("x.csv", b"\"unterminated,\n".to_vec()),
        ("x.csv", vec![0x81; 64]),
        ("x.xlsx", b"PK\x03\x04 not really a zip".to_vec()),
        ("x.ods", Vec::new()),
    ] {
        if let Ok(sheets) = sheets(path, bytes) {
            let result = import(path, "x", &sheets, &Options::default());
            assert!(
                result.as_ref().map_or(true, |i| i.deck.cards.is_empty()),
                "{path}"
            );
        }
    }
    let header_only = bank("题型,题干,答案\n\n");
    assert!(header_only.deck.cards.is_empty());
}

#[test]
fn a_judgement_loses_the_slot_for_its_mark() {
    let deck =
        bank("题型,题干,答案\n判断,三大作风是在七大上提出的。（  ）,√\n判断,说法正确( ),对\n").deck;
    assert_eq!(deck.cards[0].prompt, "三大作风是在七大上提出的。");
    assert_eq!(deck.cards[1].prompt, "说法正确");
}

#[test]
fn a_given_id_is_kept_when_a_made_one_collides() {
    let made = card_id("问？");
    let text = format!("编号,题型,题干,答案\n{made},简答,另一题？,答\n,简答,问？,答\n");
    let deck = bank(&text).deck;
    assert_eq!(deck.cards[0].id, made);
    assert!(
        deck.cards[1].id.starts_with(&format!("{made}-")),
        "{}",
        deck.cards[1].id
    );
}

/// Three 出处 whose titles begin with the same four syllables get ids
/// numbered on (-2, -3), and each card cites its own document.
#[test]
fn sources_whose_titles_begin_alike_get_numbered_ids() {
    let imported = bank(
        "题型,题干,答案,出处,原文
简答,一？,答,关于加强党的建设的决定,加强党的建设
简答,二？,答,关于加强党的纪律的通知,严明党的纪律
简答,三？,答,关于加强党的作风的意见,改进党的作风
",
    );
    assert_eq!(errors(&imported), Vec::<String>::new());
    let deck = imported.deck;
    let sources: Vec<(&str, &str)> = deck
        .sources
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str()))
        .collect();
    assert_eq!(
        sources,
        [
            ("guan-yu-jia-qiang", "关于加强党的作风的意见"),
            ("guan-yu-jia-qiang-2", "关于加强党的建设的决定"),
            ("guan-yu-jia-qiang-3", "关于加强党的纪律的通知"),
        ]
    );
    let cited: Vec<&str> = deck
        .cards
        .iter()
        .map(|c| c.source.as_ref().map_or("", |s| s.doc.as_str()))
        .collect();
    assert_eq!(
        cited,
        [
            "guan-yu-jia-qiang-2",
            "guan-yu-jia-qiang-3",
            "guan-yu-jia-qiang"
        ]
    );
}

#[test]
fn repeated_options_and_items_are_named_by_column() {
    let text =
        "题型,题干,选项A,选项B,选项C,答案\n单选,问？,甲,乙,甲,A\n列举,哪两项？,,,,甲；乙；甲\n";
    assert_eq!(
        errors(&bank(text)),
        vec![
            "t.csv:2: 选项C与选项A相同（“甲”）",
            "t.csv:3: 列举项“甲”写了两次",
        ]
    );
    let text = "编号,题型,题干,答案\nabc,简答,问一？,答\nabc,简答,问二？,答\n";
    assert_eq!(
        errors(&bank(text)),
        vec!["t.csv:3: 编号“abc”与第 2 行相同；每道题的编号要不同"]
    );
    assert_eq!(
        super::import::without_deck_lines("options 中的“甲”重复（第 11 行已有）"),
        "options 中的“甲”重复"
    );
}
