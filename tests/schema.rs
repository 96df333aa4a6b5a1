//! `dangke schema`: the JSON Schema of deck files. The committed
//! `decks/deck.schema.json` is the command's output, every shipped deck
//! points to it and validates against it, and it flags the mistakes
//! `dangke check` reports for one file.

use serde_json::Value;

use crate::test::{Test, crate_root};

fn committed_schema() -> String {
    std::fs::read_to_string(crate_root().join("decks/deck.schema.json"))
        .expect("decks/deck.schema.json is committed")
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&committed_schema()).expect("the schema is JSON");
    jsonschema::draft7::new(&schema).expect("the schema is a valid draft-07 schema")
}

/// The validation errors for a deck's TOML text, as `path: message` lines.
fn errors(validator: &jsonschema::Validator, toml_text: &str) -> Vec<String> {
    let value: Value = toml::from_str(toml_text).expect("the deck is TOML");
    validator
        .iter_errors(&value)
        .map(|e| format!("{}: {}", e.instance_path(), e))
        .collect()
}

fn shipped_decks() -> Vec<(String, String)> {
    let mut decks: Vec<(String, String)> = std::fs::read_dir(crate_root().join("decks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    decks.sort();
    decks
}

#[test]
fn committed_schema_is_the_commands_output() {
    let out = Test::new().args(["schema"]).status(0).run();
    assert!(
        out.stdout == committed_schema(),
        "decks/deck.schema.json is stale: run `cargo run -- schema > decks/deck.schema.json`"
    );
}

#[test]
fn every_shipped_deck_names_the_schema_and_validates() {
    let validator = validator();
    let decks = shipped_decks();
    assert!(decks.len() >= 7);
    for (name, text) in &decks {
        assert_eq!(
            text.lines().next(),
            Some("#:schema ./deck.schema.json"),
            "{name}: the first line points editors to the schema"
        );
        let errors = errors(&validator, text);
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
    }
}

#[test]
fn the_documented_example_deck_validates() {
    let doc = std::fs::read_to_string(crate_root().join("docs/deck-format.md")).unwrap();
    let start = doc.find("```toml\n").expect("an example deck") + "```toml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let errors = errors(&validator(), &doc[start..end]);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

const GOOD: &str = r#"#:schema ./deck.schema.json
[deck]
id = "mine"
title = "我的卡组"

[[sources]]
id = "003"
title = "群众工作"

[[card]]
id = "pan-duan"
kind = "judge"
prompt = "三大作风是在党的七大上提出的。"
answer = true
source = { doc = "003", quote = "黨的七大提出" }
"#;

/// Each mistake is flagged by the schema (at the path given) and by
/// `dangke check`: the schema warns in the editor about what check rejects.
#[test]
fn mistakes_are_flagged_where_they_are() {
    let validator = validator();
    assert_eq!(errors(&validator, GOOD), Vec::<String>::new());
    Test::new()
        .write("good.toml", GOOD)
        .args(["check", "good.toml"])
        .status(0)
        .run();
    // (what, text replaced, by, where the schema flags it)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "unknown key",
            "answer = true",
            "answer = true\nanwser = true",
            "/card/0",
        ),
        (
            "wrong type",
            "answer = true",
            "answer = \"true\"",
            "/card/0/answer",
        ),
        (
            "options on a judge card",
            "answer = true",
            "answer = true\noptions = [\"甲\", \"乙\"]",
            "/card/0/options",
        ),
        (
            "unknown kind",
            "kind = \"judge\"",
            "kind = \"essay\"",
            "/card/0/kind",
        ),
        (
            "bad card id",
            "id = \"pan-duan\"",
            "id = \"Pan_Duan\"",
            "/card/0/id",
        ),
        (
            "short quote",
            "quote = \"黨的七大提出\"",
            "quote = \"七大\"",
            "/card/0/source/quote",
        ),
        ("missing title", "title = \"我的卡组\"\n", "", "/deck"),
        ("cards instead of card", "[[card]]", "[[cards]]", ""),
    ];
    for (what, from, to, at) in cases {
        let text = GOOD.replacen(from, to, 1);
        assert_ne!(text, GOOD, "{what}: the mistake was made");
        let found = errors(&validator, &text);
        assert!(
            found.iter().any(|e| e.starts_with(&format!("{at}: "))),
            "{what}: schema errors {found:?} do not point at {at:?}"
        );
        Test::new()
            .write("bad.toml", &text)
            .args(["check", "bad.toml"])
            .stdout_has("错误")
            .status(1)
            .run();
    }
}

#[test]
fn kind_rules_follow_the_kind() {
    let validator = validator();
    let choice = GOOD
        .replace("kind = \"judge\"", "kind = \"choice\"")
        .replace(
            "answer = true",
            "options = [\"七大\", \"八大\"]\nanswer = \"a\"",
        );
    let found = errors(&validator, &choice);
    assert!(
        found.iter().any(|e| e.starts_with("/card/0/answer: ")),
        "a lowercase letter is flagged: {found:?}"
    );
    let fixed = choice.replace("answer = \"a\"", "answer = \"A\"");
    assert_eq!(errors(&validator, &fixed), Vec::<String>::new());
    let multi = fixed
        .replace("kind = \"choice\"", "kind = \"multi\"")
        .replace("answer = \"A\"", "answer = [\"A\", \"B\"]");
    assert_eq!(errors(&validator, &multi), Vec::<String>::new());
    let fill_without_blank = GOOD
        .replace("kind = \"judge\"", "kind = \"fill\"")
        .replace("answer = true\n", "");
    assert!(!errors(&validator, &fill_without_blank).is_empty());
    let fill = fill_without_blank.replace("党的七大", "党的{{七大}}");
    assert_eq!(errors(&validator, &fill), Vec::<String>::new());
}
