//! Anki packages: the `.apkg` opened as a zip and a SQLite database here,
//! and imported with Anki's own Python package by `anki_check.py` when a
//! Python with `anki` is available (otherwise a skip notice is printed).

use std::collections::{HashMap, HashSet};
use std::io::Read as _;
use std::path::PathBuf;

use dangke::deck::{Body, Card, Deck, Kind, Library};
use serde_json::{Value, json};

use crate::test::{Test, crate_root};

fn shipped() -> Vec<Deck> {
    let (library, _) = Library::load(&[]).expect("the shipped decks load");
    library.decks
}

fn refs(decks: &[Deck]) -> Vec<&Deck> {
    decks.iter().collect()
}

/// The collection database inside a package, opened in memory.
fn open_collection(apkg: &[u8]) -> rusqlite::Connection {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(apkg)).expect("a zip");
    let mut names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    names.sort();
    assert_eq!(names, ["collection.anki2", "media"]);
    let mut media = String::new();
    zip.by_name("media")
        .unwrap()
        .read_to_string(&mut media)
        .unwrap();
    assert_eq!(media, "{}");
    let mut bytes = Vec::new();
    zip.by_name("collection.anki2")
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    let mut db = rusqlite::Connection::open_in_memory().unwrap();
    let len = bytes.len();
    db.deserialize_read_exact(rusqlite::MAIN_DB, std::io::Cursor::new(bytes), len, true)
        .unwrap();
    db
}

fn col_json(db: &rusqlite::Connection, column: &str) -> Value {
    let text: String = db
        .query_row(&format!("SELECT {column} FROM col"), [], |r| r.get(0))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn package_holds_every_card_as_a_note_with_its_note_type_and_deck() {
    let decks = shipped();
    let total: usize = decks.iter().map(|d| d.cards.len()).sum();
    let (bytes, summary) = dangke::anki::build_apkg(&refs(&decks), 1_700_000_000).unwrap();
    assert_eq!(summary.notes, total);
    assert_eq!(summary.decks, decks.len());
    let db = open_collection(&bytes);

    let ver: i64 = db
        .query_row("SELECT ver FROM col", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ver, 11);
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM notes") as usize, total);
    assert_eq!(count("SELECT count(*) FROM cards") as usize, total);
    assert_eq!(
        count("SELECT count(DISTINCT guid) FROM notes") as usize,
        total
    );
    assert_eq!(
        count("SELECT count(*) FROM cards c JOIN notes n ON n.id = c.nid") as usize,
        total,
        "every card belongs to a note"
    );
    assert_eq!(
        count("SELECT count(*) FROM notes WHERE mod != 1700000000"),
        0
    );

    let models = col_json(&db, "models");
    let models = models.as_object().unwrap();
    let names: HashSet<&str> = models
        .values()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for kind in Kind::ALL {
        assert!(names.contains(format!("党课学习卡·{}", kind.label()).as_str()));
    }
    let cloze = models
        .values()
        .find(|m| m["name"] == "党课学习卡·填空")
        .unwrap();
    assert_eq!(cloze["type"], 1);

    let anki_decks = col_json(&db, "decks");
    let deck_names: HashSet<&str> = anki_decks
        .as_object()
        .unwrap()
        .values()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(deck_names.contains("党课学习卡"));
    for d in &decks {
        assert!(deck_names.contains(format!("党课学习卡::{}", d.title).as_str()));
    }

    // Each note has as many fields as its note type, and the card sits
    // in a deck the collection knows.
    let mut stmt = db
        .prepare(
            "SELECT n.mid, n.flds, n.sfld, n.csum, c.did FROM notes n JOIN cards c ON c.nid = n.id",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, rusqlite::types::Value>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (mid, flds, sfld, csum, did) = row.unwrap();
        let model = &models[&mid.to_string()];
        let fields: Vec<&str> = flds.split('\u{1f}').collect();
        assert_eq!(fields.len(), model["flds"].as_array().unwrap().len());
        assert!(!fields[0].is_empty());
        assert!(
            !flds.chars().any(|c| c.is_control() && c != '\u{1f}'),
            "no control characters in {flds:?}"
        );
        assert!(anki_decks.get(did.to_string()).is_some());
        assert_eq!(csum, dangke::anki::html::checksum(fields[0]));
        let sfld = match sfld {
            rusqlite::types::Value::Text(t) => t,
            other => panic!("sfld {other:?}"),
        };
        assert_eq!(sfld, dangke::anki::html::strip(fields[0]));
    }
}

#[test]
fn fill_cards_become_cloze_notes_and_choices_show_their_options() {
    let decks = shipped();
    let (bytes, _) = dangke::anki::build_apkg(&refs(&decks), 1_700_000_000).unwrap();
    let db = open_collection(&bytes);
    let field = |deck: &Deck, card: &Card| -> Vec<String> {
        let flds: String = db
            .query_row(
                "SELECT flds FROM notes WHERE guid = ?1",
                [dangke::anki::guid(&deck.id, &card.id)],
                |r| r.get(0),
            )
            .unwrap();
        flds.split('\u{1f}').map(str::to_owned).collect()
    };
    let deck = decks.iter().find(|d| d.id == "wu-ge-bi-yu").unwrap();
    let fill = deck.card("tong-qiang-tie-bi-chang-he").unwrap();
    let f = field(deck, fill);
    assert!(
        f[0].starts_with(
            "1934年1月，毛泽东在江西{{c1::瑞金}}召开的{{c1::第二次全国工农兵代表大会}}"
        )
    );
    assert!(f[1].contains("二苏大"), "other accepted answers: {}", f[1]);
    assert!(f[3].starts_with("出处：《群众工作（第一篇至第五篇，繁体）》：1934年1月,毛澤東"));
    assert_eq!(f[4], "wu-ge-bi-yu/tong-qiang-tie-bi-chang-he");
    let choice = deck.card("tong-qiang-tie-bi-shi-jian").unwrap();
    let f = field(deck, choice);
    assert_eq!(f[0], "毛泽东把群众比作“铜墙铁壁”是在什么时候？");
    assert!(f[1].starts_with("<div>A. 1934年1月</div><div>B. 1943年7月2日</div>"));
    assert_eq!(f[2], "A. 1934年1月");
}

#[test]
fn ids_and_guids_do_not_change_between_exports() {
    let decks = shipped();
    let (first, _) = dangke::anki::build_apkg(&refs(&decks), 1_700_000_000).unwrap();
    let (again, _) = dangke::anki::build_apkg(&refs(&decks), 1_700_000_000).unwrap();
    assert_eq!(
        first, again,
        "the same decks at the same time give the same bytes"
    );
    let (later, _) = dangke::anki::build_apkg(&refs(&decks), 1_750_000_000).unwrap();
    let ids = |bytes: &[u8]| -> Vec<(i64, String, i64, i64, i64)> {
        let db = open_collection(bytes);
        let mut stmt = db
            .prepare(
                "SELECT n.id, n.guid, n.mid, c.id, c.did FROM notes n
                 JOIN cards c ON c.nid = n.id ORDER BY n.id",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    assert_eq!(ids(&first), ids(&later));
    // A deck exported alone keeps the ids it has among all the decks.
    let (alone, _) = dangke::anki::build_apkg(&[&decks[1]], 1_700_000_000).unwrap();
    let all: HashSet<_> = ids(&first).into_iter().collect();
    assert!(ids(&alone).iter().all(|row| all.contains(row)));
    // Pinned: GUIDs already imported into someone's Anki must not change.
    assert_eq!(
        dangke::anki::guid("wu-ge-bi-yu", "wu-ge-bi-yu-lie-ju"),
        GUID_PIN
    );
}

const GUID_PIN: &str = "OL.T[b6`,|";

#[test]
fn writing_a_package_leaves_only_the_file_and_reports_a_bad_folder() {
    let decks = shipped();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dangke.apkg");
    let summary = dangke::anki::write_apkg(&refs(&decks), &path, 1_700_000_000).unwrap();
    assert!(summary.notes > 100);
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no partial file left behind");
    let missing = dir.path().join("no-such-folder/x.apkg");
    let err = dangke::anki::write_apkg(&refs(&decks), &missing, 1_700_000_000).unwrap_err();
    assert!(err.to_string().contains("无法写入"), "{err}");
    let empty: Vec<&Deck> = Vec::new();
    assert!(dangke::anki::build_apkg(&empty, 0).is_err());
}

/// A Python that can `import anki`: `DANGKE_ANKI_PYTHON`, the venv that
/// the anki-compare bench harness makes, or `python3`.
fn anki_python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("DANGKE_ANKI_PYTHON").map(PathBuf::from),
        Some(PathBuf::from("/tmp/dangke-anki-bench/venv/bin/python")),
        Some(PathBuf::from("python3")),
    ];
    candidates.into_iter().flatten().find(|python| {
        std::process::Command::new(python)
            .args(["-c", "import anki.collection"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// One card of each kind, with what Anki should show of it.
fn samples(decks: &[Deck]) -> Vec<Value> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let Some((deck, card)) = decks
            .iter()
            .flat_map(|d| d.cards.iter().map(move |c| (d, c)))
            .find(|(_, c)| c.kind() == kind && c.source.is_some())
        else {
            continue;
        };
        let source = card.source.as_ref().unwrap();
        let title = &deck
            .sources
            .iter()
            .find(|s| s.id == source.doc)
            .unwrap()
            .title;
        let mut fields_have = vec![format!("《{title}》"), source.quotes[0].text.clone()];
        let mut question_has = Vec::new();
        let mut question_lacks = Vec::new();
        let mut answer_has = vec![format!("《{title}》")];
        match &card.body {
            Body::Qa { answer, .. } => {
                fields_have.extend([card.prompt.clone(), answer.clone()]);
                question_has.push(card.prompt.clone());
                if !card.prompt.contains(answer.as_str()) {
                    question_lacks.push(answer.clone());
                }
                answer_has.push(answer.clone());
            }
            Body::Fill { parts } => {
                let blanks = dangke::deck::fill::blank_answers(parts);
                let shown = card.prompt_shown();
                fields_have.extend(blanks.iter().map(|b| b.to_string()));
                question_has.push("[...]".to_owned());
                for b in &blanks {
                    if !shown.contains(b) {
                        question_lacks.push(b.to_string());
                    }
                }
                answer_has.extend(blanks.iter().map(|b| b.to_string()));
            }
            Body::Choice { options, answer } => {
                fields_have.push(card.prompt.clone());
                question_has.push(card.prompt.clone());
                question_has.extend(options.iter().cloned());
                answer_has.push(format!(
                    "答案：{}. {}",
                    dangke::deck::option_letter(*answer),
                    options[*answer]
                ));
            }
            Body::Multi { options, answers } => {
                fields_have.push(card.prompt.clone());
                question_has.push(card.prompt.clone());
                question_has.extend(options.iter().cloned());
                answer_has.extend(
                    answers
                        .iter()
                        .map(|&i| format!("{}. {}", dangke::deck::option_letter(i), options[i])),
                );
            }
            Body::Judge { answer } => {
                fields_have.push(card.prompt.clone());
                question_has.push(card.prompt.clone());
                answer_has.push(if *answer { "正确" } else { "错误" }.to_owned());
            }
            Body::List { items, .. } => {
                fields_have.push(card.prompt.clone());
                question_has.push(card.prompt.clone());
                for item in items {
                    if !card.prompt.contains(item.text.as_str()) {
                        question_lacks.push(item.text.clone());
                    }
                    answer_has.push(item.text.clone());
                }
            }
        }
        let tags: Vec<String> = deck
            .tags
            .iter()
            .chain(&card.tags)
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join("_"))
            .collect();
        out.push(json!({
            "id": card.key(deck),
            "guid": dangke::anki::guid(&deck.id, &card.id),
            "fields_have": fields_have,
            "question_has": question_has,
            "question_lacks": question_lacks,
            "answer_has": answer_has,
            "tags": tags,
        }));
    }
    out
}

#[test]
fn anki_imports_the_package_and_a_re_export_updates_it() {
    let Some(python) = anki_python() else {
        eprintln!(
            "anki_imports_the_package_and_a_re_export_updates_it: skipped, no Python with the \
             `anki` package (set DANGKE_ANKI_PYTHON, or run ../shared/bench/anki-compare/run once)"
        );
        return;
    };
    let decks = shipped();
    // The first export: every shipped deck, through the real binary.
    let mut export = Test::new().now("2023-11-14T22:13:20Z").arg("export");
    for deck in &decks {
        export = export.arg(deck.id.clone());
    }
    let first = export.path("first.apkg");
    let out = export
        .args(["-o", "first.apkg"])
        .stdout_has(&format!("已导出 {} 个卡组", decks.len()))
        .status(0)
        .run();

    // The second export, later: the first deck from an edited copy of its
    // file (a card's explanation changed, a card added), the rest by id.
    let deck = &decks[0];
    let card = deck.cards.iter().find(|c| c.explain.is_some()).unwrap();
    let file = match &deck.origin {
        dangke::deck::Origin::Shipped(path) => crate_root().join(path),
        dangke::deck::Origin::File(path) => path.clone(),
    };
    let text = std::fs::read_to_string(file).unwrap();
    let explain_line = format!(
        "explain = {}",
        toml_string(card.explain.as_deref().unwrap())
    );
    assert!(text.contains(&explain_line), "{explain_line}");
    let edited_text = text.replacen(&explain_line, "explain = \"这是重新导出时修改过的解析\"", 1)
        + "\n[[card]]\nid = \"anki-test-added\"\nkind = \"judge\"\nprompt = \"这是测试时新加的一张卡片。\"\nanswer = true\n";
    let mut export = out
        .then()
        .now("2023-11-14T22:15:00Z")
        .write("edited.toml", edited_text)
        .args(["export", "edited.toml"]);
    for other in &decks[1..] {
        export = export.arg(other.id.clone());
    }
    let second = export.path("second.apkg");
    let out = export
        .args(["-o", "second.apkg"])
        .stdout_has(&format!("已导出 {} 个卡组", decks.len()))
        .status(0)
        .run();
    let edited_guid = dangke::anki::guid(&deck.id, &card.id);
    let added_guid = dangke::anki::guid(&deck.id, "anki-test-added");
    let dir = &out.dir;

    let mut notetypes: HashMap<String, usize> = HashMap::new();
    for card in decks.iter().flat_map(|d| &d.cards) {
        *notetypes
            .entry(format!("党课学习卡·{}", card.kind().label()))
            .or_default() += 1;
    }
    let deck_cards: HashMap<String, usize> = decks
        .iter()
        .map(|d| (format!("党课学习卡::{}", d.title), d.cards.len()))
        .collect();
    let expect = json!({
        "notes": decks.iter().map(|d| d.cards.len()).sum::<usize>(),
        "notetypes": notetypes,
        "decks": deck_cards.keys().collect::<Vec<_>>(),
        "deck_cards": deck_cards,
        "samples": samples(&decks),
        "edited": { "guid": edited_guid, "now_has": "这是重新导出时修改过的解析" },
        "added_guid": added_guid,
    });
    let expect_path = dir.path().join("expect.json");
    std::fs::write(&expect_path, expect.to_string()).unwrap();
    let output = std::process::Command::new(&python)
        .arg(crate_root().join("tests/anki_check.py"))
        .arg(&expect_path)
        .args([&first, &second])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("anki_check: ok"),
        "anki_check.py failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
}

/// A TOML basic string as the shipped decks write one.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}
