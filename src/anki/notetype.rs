//! The Anki note types dangke exports, one per kind of card: their fields,
//! card templates and style, and their entry in the collection's `models`
//! JSON.

use serde_json::{Value, json};

use crate::deck::Kind;

/// Basic (front/back) or cloze, as Anki numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Basic = 0,
    Cloze = 1,
}

/// One note type.
#[derive(Debug, Clone)]
pub struct NoteType {
    pub kind: Kind,
    pub shape: Shape,
    pub name: String,
    pub fields: &'static [&'static str],
    pub front: String,
    pub back: String,
}

/// The layout version: part of every note type's id, so a later change of
/// fields or templates makes new note types instead of clashing in Anki
/// with ones imported earlier.
const LAYOUT: &str = "1";

const CSS: &str = "\
.card { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\", sans-serif;
  font-size: 22px; line-height: 1.6; text-align: left; color: #222; background-color: #fff; }
.nightMode .card, .card.nightMode { color: #eee; background-color: #222; }
.kind { display: inline-block; font-size: 14px; color: #b22222; border: 1px solid #b22222; border-radius: 4px; padding: 0 6px; margin-bottom: 8px; }
.options div { margin: 4px 0; }
.answer { font-weight: bold; color: #b22222; }
.nightMode .answer { color: #ff8080; }
.cloze { font-weight: bold; color: #1a4fd6; }
.nightMode .cloze { color: #8ab4ff; }
.accept, .explain { margin-top: 8px; font-size: 18px; }
.hint { font-weight: normal; font-size: 16px; color: #666; }
.source { margin-top: 12px; font-size: 16px; color: #555; border-left: 3px solid #ccc; padding-left: 8px; }
.nightMode .source { color: #aaa; }
.id { margin-top: 12px; font-size: 12px; color: #999; }
";

/// The parts of the back that every kind shares: explanation, source, id.
const BACK_TAIL: &str = "\
{{#解析}}<div class=\"explain\">解析：{{解析}}</div>{{/解析}}
{{#出处}}<div class=\"source\">{{出处}}</div>{{/出处}}
<div class=\"id\">{{编号}}</div>";

/// The note type for one kind of card.
pub fn note_type(kind: Kind) -> NoteType {
    let label = format!("<div class=\"kind\">{}</div>", kind.label());
    let (shape, fields, front, answer): (Shape, &'static [&'static str], String, String) =
        match kind {
            Kind::Qa => (
                Shape::Basic,
                &["题目", "答案", "其他答案", "解析", "出处", "编号"],
                format!("{label}\n<div class=\"prompt\">{{{{题目}}}}</div>"),
                "<div class=\"answer\">{{答案}}</div>\n\
                 {{#其他答案}}<div class=\"accept\">也可答：{{其他答案}}</div>{{/其他答案}}"
                    .to_owned(),
            ),
            Kind::Fill => (
                Shape::Cloze,
                &["文本", "其他答案", "解析", "出处", "编号"],
                format!("{label}\n<div class=\"prompt\">{{{{cloze:文本}}}}</div>"),
                "{{#其他答案}}<div class=\"accept\">也可答：{{其他答案}}</div>{{/其他答案}}"
                    .to_owned(),
            ),
            Kind::Choice | Kind::Multi => (
                Shape::Basic,
                &["题目", "选项", "答案", "解析", "出处", "编号"],
                format!(
                    "{label}\n<div class=\"prompt\">{{{{题目}}}}</div>\n\
                     <div class=\"options\">{{{{选项}}}}</div>"
                ),
                "<div class=\"answer\">答案：{{答案}}</div>".to_owned(),
            ),
            Kind::Judge => (
                Shape::Basic,
                &["题目", "答案", "解析", "出处", "编号"],
                format!(
                    "{label}\n<div class=\"prompt\">{{{{题目}}}}</div>\n\
                     <div class=\"hint\">这个说法正确还是错误？</div>"
                ),
                "<div class=\"answer\">{{答案}}</div>".to_owned(),
            ),
            Kind::List => (
                Shape::Basic,
                &["题目", "答案", "解析", "出处", "编号"],
                format!("{label}\n<div class=\"prompt\">{{{{题目}}}}</div>"),
                "<div class=\"answer\">{{答案}}</div>".to_owned(),
            ),
        };
    // A cloze back shows the text again with the blank filled; a basic
    // back shows the front above the line.
    let shown = match shape {
        Shape::Basic => "{{FrontSide}}".to_owned(),
        Shape::Cloze => front.clone(),
    };
    let back = format!("{shown}\n<hr id=answer>\n{answer}\n{BACK_TAIL}");
    NoteType {
        kind,
        shape,
        name: format!("党课学习卡·{}", kind.label()),
        fields,
        front,
        back,
    }
}

impl NoteType {
    /// The note type's id: stable across exports, derived from its name
    /// and the layout version.
    pub fn id(&self) -> i64 {
        super::stable_id(&["notetype", LAYOUT, &self.name])
    }

    /// The entry in the collection's `models` JSON (Anki schema 11).
    pub fn to_json(&self, now: i64) -> Value {
        let fields: Vec<Value> = self
            .fields
            .iter()
            .enumerate()
            .map(|(ord, name)| {
                json!({
                    "name": name, "ord": ord, "sticky": false, "rtl": false,
                    "font": "Arial", "size": 20, "media": [],
                })
            })
            .collect();
        let template_name = match self.shape {
            Shape::Basic => "卡片 1",
            Shape::Cloze => "填空",
        };
        json!({
            "id": self.id(),
            "name": self.name,
            "type": self.shape as i64,
            "mod": now,
            "usn": -1,
            "sortf": 0,
            "did": 1,
            "tmpls": [{
                "name": template_name, "ord": 0,
                "qfmt": self.front, "afmt": self.back,
                "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0,
            }],
            "flds": fields,
            "css": CSS,
            "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
            "latexPost": "\\end{document}",
            "latexsvg": false,
            // The first field must be non-empty for the card to exist.
            "req": [[0, "any", [0]]],
            "tags": [],
            "vers": [],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_names_only_its_own_fields() {
        for kind in Kind::ALL {
            let t = note_type(kind);
            for side in [&t.front, &t.back] {
                let mut rest = side.as_str();
                while let Some(i) = rest.find("{{") {
                    let end = rest[i..].find("}}").expect("closed") + i;
                    let name = rest[i + 2..end].trim_start_matches(['#', '/']);
                    let name = name.strip_prefix("cloze:").unwrap_or(name);
                    assert!(
                        name == "FrontSide" || t.fields.contains(&name),
                        "{}: {{{{{name}}}}} is not a field",
                        t.name
                    );
                    rest = &rest[end + 2..];
                }
            }
            assert!(
                t.back.contains("{{出处}}"),
                "{}: source on the back",
                t.name
            );
            assert!(
                !t.front.contains("{{答案}}"),
                "{}: answer on the front",
                t.name
            );
        }
        assert_eq!(note_type(Kind::Fill).shape, Shape::Cloze);
        assert!(note_type(Kind::Fill).front.contains("{{cloze:文本}}"));
        assert!(note_type(Kind::Choice).front.contains("{{选项}}"));
    }

    #[test]
    fn ids_are_distinct_and_pinned() {
        let ids: Vec<i64> = Kind::ALL.iter().map(|&k| note_type(k).id()).collect();
        for (i, a) in ids.iter().enumerate() {
            assert!(!ids[i + 1..].contains(a));
        }
        // Pinned: a changed id would make Anki see a new note type.
        assert_eq!(note_type(Kind::Qa).id(), 7_701_235_014_803_203);
    }
}
