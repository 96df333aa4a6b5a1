//! The JSON Schema of deck files, for editors with a TOML language server
//! (Taplo, Even Better TOML): key completion, Chinese descriptions on
//! hover, and mistakes flagged while typing. Shipped decks point to it with
//! `#:schema ./deck.schema.json` on their first line.
//!
//! Written by hand with `serde_json` rather than derived (`schemars`): the
//! deck model is not deserialized with serde (the loader walks the TOML to
//! locate every error), and the file format differs from the model (an
//! answer is a letter, a letter list or a boolean depending on the kind).
//! A test keeps its keys equal to the loader's. It is draft-07, the newest
//! draft Taplo fully supports. `dangke check` stays the full check (quotes
//! found in the documents, duplicate ids, blank syntax); the schema catches
//! what can be seen in one file while typing.

use serde_json::{Map, Value, json};

use crate::deck::Kind;
use crate::deck::parse::MIN_QUOTE_CHARS;

/// The schema as pretty JSON, keys sorted, ending with a newline: the
/// content of `decks/deck.schema.json`.
pub fn deck_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&sorted(deck_schema())).unwrap_or_default();
    text.push('\n');
    text
}

/// The same value with every object's keys in sorted order, whatever map
/// serde_json was built with.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn id_schema(what: &str) -> Value {
    json!({
        "type": "string",
        "pattern": "^[a-z0-9-]+$",
        "description": format!("{what}：只能用小写字母、数字和连字符 -（如 ba-xiang-gui-ding）"),
    })
}

fn text(description: &str) -> Value {
    json!({ "type": "string", "minLength": 1, "description": description })
}

fn strings(description: &str) -> Value {
    json!({
        "type": "array",
        "items": { "type": "string", "minLength": 1 },
        "description": description,
    })
}

/// The whole schema.
pub fn deck_schema() -> Value {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "dangke 卡组",
        "description": "党课学习卡的卡组文件。写完后运行 dangke check 文件 做完整检查（引文核对用 --seeds）。",
        "type": "object",
        "required": ["deck"],
        "additionalProperties": false,
        "properties": {
            "deck": deck_table(),
            "sources": {
                "type": "array",
                "description": "卡片引用的原始文档，每个一段 [[sources]]；卡片的 source.doc 写这里的 id",
                "items": {
                    "type": "object",
                    "required": ["id", "title"],
                    "additionalProperties": false,
                    "properties": {
                        "id": text("文档 id（内置卡组用原始文档文件名的前三位数字，如 003）"),
                        "title": text("文档标题，显示在出处里"),
                    },
                },
            },
            "card": {
                "type": "array",
                "description": "卡片，每张一段 [[card]]（单数，不是 cards）",
                "items": { "$ref": "#/definitions/card" },
            },
        },
        "definitions": {
            "card": card(),
            "source": citation(),
            "listItem": {
                "type": "object",
                "required": ["text"],
                "additionalProperties": false,
                "properties": {
                    "text": text("这一项的标准说法"),
                    "accept": strings("这一项其他可接受的说法"),
                },
            },
        },
    })
}

fn deck_table() -> Value {
    json!({
        "type": "object",
        "description": "卡组信息",
        "required": ["id", "title"],
        "additionalProperties": false,
        "properties": {
            "id": id_schema("卡组 id，在所有已加载的卡组中唯一；学习进度按“卡组 id/卡片 id”记录"),
            "title": text("卡组标题，显示给学习者"),
            "description": text("一句话说明这个卡组"),
            "tags": strings("卡组的标签，用于筛选（--tag）"),
        },
    })
}

fn citation() -> Value {
    json!({
        "type": "object",
        "description": "出处：{ doc = \"文档 id\", quote = \"原文引文\" }；引文要逐字照抄原文（繁体文档保留繁体）",
        "required": ["doc", "quote"],
        "additionalProperties": false,
        "properties": {
            "doc": text("文档 id，必须在 [[sources]] 中声明"),
            "quote": {
                "description": format!(
                    "原文引文，至少 {MIN_QUOTE_CHARS} 个字；列举的各项分散在不同段落时写成数组，每段都逐字出自原文"
                ),
                "oneOf": [
                    { "type": "string", "minLength": MIN_QUOTE_CHARS },
                    {
                        "type": "array",
                        "minItems": 1,
                        "items": { "type": "string", "minLength": MIN_QUOTE_CHARS },
                    },
                ],
            },
        },
    })
}

fn card() -> Value {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    let kind_help = Kind::ALL
        .iter()
        .map(|k| format!("{}（{}）", k.name(), k.label()))
        .collect::<Vec<_>>()
        .join("、");
    let letter = json!({ "type": "string", "pattern": "^[A-Z]$" });
    let mut rules = Vec::new();
    for kind in Kind::ALL {
        rules.push(json!({
            "if": {
                "required": ["kind"],
                "properties": { "kind": { "const": kind.name() } },
            },
            "then": kind_rule(kind, &letter),
        }));
    }
    json!({
        "type": "object",
        "required": ["id", "kind", "prompt"],
        "additionalProperties": false,
        "properties": {
            "id": id_schema("卡片 id，卡组内唯一；改了 id 学习进度就接不上"),
            "kind": {
                "type": "string",
                "enum": kinds,
                "description": format!("题型：{kind_help}"),
            },
            "prompt": text("题面；填空题在题面里用 {{答案}} 标出空格，几种说法用 | 分开：{{理论联系实际|理论和实践相结合}}"),
            "answer": {
                "type": ["string", "array", "boolean"],
                "description": "答案。简答：字符串；单选：一个大写字母，如 \"B\"；多选：字母数组，如 [\"A\", \"C\"]；判断：true 或 false（不加引号）",
            },
            "accept": strings("简答题其他可接受的答案"),
            "options": {
                "type": "array",
                "minItems": 2,
                "maxItems": 26,
                "uniqueItems": true,
                "items": { "type": "string", "minLength": 1 },
                "description": "选择题的选项，2 到 26 个，不能重复；第一个是 A",
            },
            "items": {
                "type": "array",
                "minItems": 2,
                "items": {
                    "anyOf": [
                        { "type": "string", "minLength": 1 },
                        { "$ref": "#/definitions/listItem" },
                    ],
                },
                "description": "列举题的各项，至少 2 项；每项是字符串，或 { text = \"…\", accept = [\"…\"] }",
            },
            "ordered": { "type": "boolean", "description": "列举题是否要求顺序，默认 false" },
            "explain": text("解析：简短说明为什么、补充背景"),
            "source": { "$ref": "#/definitions/source" },
            "tags": strings("卡片的标签，用于筛选（--tag）"),
        },
        "allOf": rules,
    })
}

/// What one kind requires of a card, and the keys it does not use
/// (`false`: the key must not be there).
fn kind_rule(kind: Kind, letter: &Value) -> Value {
    let (required, properties): (&[&str], Value) = match kind {
        Kind::Qa => (
            &["answer"],
            json!({ "answer": { "type": "string", "minLength": 1 } }),
        ),
        Kind::Fill => (
            &[],
            json!({ "prompt": { "pattern": "\\{\\{[^{}]+\\}\\}" } }),
        ),
        Kind::Choice => (&["options", "answer"], json!({ "answer": letter })),
        Kind::Multi => (
            &["options", "answer"],
            json!({
                "answer": { "type": "array", "minItems": 1, "uniqueItems": true, "items": letter },
            }),
        ),
        Kind::Judge => (&["answer"], json!({ "answer": { "type": "boolean" } })),
        Kind::List => (&["items"], json!({})),
    };
    let mut properties = match properties {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let used: &[&str] = match kind {
        Kind::Qa => &["answer", "accept"],
        Kind::Fill => &[],
        Kind::Choice | Kind::Multi => &["options", "answer"],
        Kind::Judge => &["answer"],
        Kind::List => &["items", "ordered"],
    };
    for key in ["answer", "accept", "options", "items", "ordered"] {
        if !used.contains(&key) {
            properties.insert(key.to_owned(), Value::Bool(false));
        }
    }
    json!({ "required": required, "properties": properties })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::parse::{
        CARD_KEYS, CITATION_KEYS, DECK_KEYS, ITEM_KEYS, SOURCE_KEYS, TOP_KEYS,
    };

    fn keys(schema: &Value) -> Vec<String> {
        let mut keys: Vec<String> = schema["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    fn sorted_keys(list: &[&str]) -> Vec<String> {
        let mut keys: Vec<String> = list.iter().map(|k| k.to_string()).collect();
        keys.sort();
        keys
    }

    #[test]
    fn keys_are_the_loaders() {
        let schema = deck_schema();
        assert_eq!(keys(&schema), sorted_keys(TOP_KEYS));
        assert_eq!(keys(&schema["properties"]["deck"]), sorted_keys(DECK_KEYS));
        assert_eq!(
            keys(&schema["properties"]["sources"]["items"]),
            sorted_keys(SOURCE_KEYS)
        );
        let defs = &schema["definitions"];
        assert_eq!(keys(&defs["card"]), sorted_keys(CARD_KEYS));
        assert_eq!(keys(&defs["source"]), sorted_keys(CITATION_KEYS));
        assert_eq!(keys(&defs["listItem"]), sorted_keys(ITEM_KEYS));
    }

    #[test]
    fn every_key_has_a_chinese_description() {
        fn walk(value: &Value, path: &str) {
            if let Some(props) = value.get("properties").and_then(Value::as_object) {
                for (key, schema) in props {
                    // `false` and kind rules narrow keys described above.
                    if schema.is_object() && !path.contains("allOf") {
                        let has = schema
                            .get("description")
                            .and_then(Value::as_str)
                            .is_some_and(|d| {
                                d.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                            })
                            || schema.get("$ref").is_some();
                        assert!(has, "{path}.{key} has no Chinese description");
                    }
                    walk(schema, &format!("{path}.{key}"));
                }
            }
            for key in ["items", "definitions"] {
                if let Some(v) = value.get(key) {
                    if key == "definitions" {
                        for (name, def) in v.as_object().expect("definitions") {
                            walk(def, &format!("{path}.{name}"));
                        }
                    } else {
                        walk(v, &format!("{path}[]"));
                    }
                }
            }
        }
        walk(&deck_schema(), "");
    }

    #[test]
    fn every_kind_has_a_rule() {
        let schema = deck_schema();
        let rules = schema["definitions"]["card"]["allOf"].as_array().unwrap();
        assert_eq!(rules.len(), Kind::ALL.len());
        // A judge card may not have options; a choice card must.
        let judge = &rules[Kind::ALL.iter().position(|&k| k == Kind::Judge).unwrap()];
        assert_eq!(judge["then"]["properties"]["options"], Value::Bool(false));
        let choice = &rules[Kind::ALL.iter().position(|&k| k == Kind::Choice).unwrap()];
        assert_eq!(choice["then"]["required"], json!(["options", "answer"]));
    }

    #[test]
    fn text_is_sorted_and_ends_with_a_newline() {
        let text = deck_schema_text();
        assert!(text.ends_with("}\n"));
        assert!(text.starts_with("{\n  \"$schema\""));
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, deck_schema());
    }
}
