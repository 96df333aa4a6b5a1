//! One card as the fields of an Anki note, in the order of its note type
//! (`notetype.rs`), every piece of deck text HTML-escaped.

use super::html::escape;
use crate::deck::{Body, Card, Deck, FillPart, option_letter};

/// The fields of the note for `card`.
pub fn note_fields(deck: &Deck, card: &Card) -> Vec<String> {
    let explain = card.explain.as_deref().map(escape).unwrap_or_default();
    let source = source_field(deck, card);
    let id = escape(&card.key(deck));
    let prompt = escape(&card.prompt);
    match &card.body {
        Body::Qa { answer, accept } => vec![
            prompt,
            escape(answer),
            join_escaped(accept, "；"),
            explain,
            source,
            id,
        ],
        Body::Fill { parts } => vec![cloze_text(parts), fill_accept(parts), explain, source, id],
        Body::Choice { options, answer } => vec![
            prompt,
            options_html(options),
            lettered(options, &[*answer]),
            explain,
            source,
            id,
        ],
        Body::Multi { options, answers } => vec![
            prompt,
            options_html(options),
            lettered(options, answers),
            explain,
            source,
            id,
        ],
        Body::Judge { answer } => vec![
            prompt,
            if *answer { "正确" } else { "错误" }.to_owned(),
            explain,
            source,
            id,
        ],
        Body::List { items, ordered } => {
            let tag = if *ordered { "ol" } else { "ul" };
            let mut html = format!("<{tag}>");
            for item in items {
                html.push_str("<li>");
                html.push_str(&escape(&item.text));
                if !item.accept.is_empty() {
                    html.push_str(&format!("（也可答：{}）", join_escaped(&item.accept, "、")));
                }
                html.push_str("</li>");
            }
            html.push_str(&format!("</{tag}>"));
            if !ordered {
                html.push_str("<div class=\"hint\">（顺序不限）</div>");
            }
            vec![prompt, html, explain, source, id]
        }
    }
}

fn join_escaped(texts: &[String], sep: &str) -> String {
    texts
        .iter()
        .map(|t| escape(t))
        .collect::<Vec<_>>()
        .join(sep)
}

/// `《title》：quote……quote`, or empty for a card without a source.
fn source_field(deck: &Deck, card: &Card) -> String {
    let Some(citation) = &card.source else {
        return String::new();
    };
    let title = deck
        .sources
        .iter()
        .find(|s| s.id == citation.doc)
        .map_or(citation.doc.as_str(), |s| s.title.as_str());
    format!(
        "出处：《{}》：{}",
        escape(title),
        escape(&citation.joined())
    )
}

/// The fill prompt with every blank as cloze deletion 1, so that Anki
/// makes one card that hides all the blanks, as dangke asks them. The
/// blank shows its first (standard) answer.
fn cloze_text(parts: &[FillPart]) -> String {
    parts
        .iter()
        .map(|p| match p {
            FillPart::Text(text) => escape(text),
            // `:` escaped too, so an answer cannot end the deletion early
            // (`{{c1::answer::hint}}`).
            FillPart::Blank(answers) => format!(
                "{{{{c1::{}}}}}",
                escape(answers.first().map_or("", String::as_str)).replace(':', "&#58;")
            ),
        })
        .collect()
}

/// The other accepted answers of each blank that has some.
fn fill_accept(parts: &[FillPart]) -> String {
    let blanks: Vec<&Vec<String>> = parts
        .iter()
        .filter_map(|p| match p {
            FillPart::Blank(answers) => Some(answers),
            FillPart::Text(_) => None,
        })
        .collect();
    let many = blanks.len() > 1;
    blanks
        .iter()
        .enumerate()
        .filter(|(_, answers)| answers.len() > 1)
        .map(|(i, answers)| {
            let others = join_escaped(&answers[1..], "、");
            if many {
                format!("第 {} 空 {others}", i + 1)
            } else {
                others
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn options_html(options: &[String]) -> String {
    options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("<div>{}. {}</div>", option_letter(i), escape(o)))
        .collect()
}

/// The right options with their letters: `A. 甲；C. 丙`.
fn lettered(options: &[String], answers: &[usize]) -> String {
    answers
        .iter()
        .filter_map(|&i| {
            options
                .get(i)
                .map(|o| format!("{}. {}", option_letter(i), escape(o)))
        })
        .collect::<Vec<_>>()
        .join("；")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{Citation, Origin, Quote, SourceDoc, fill};

    fn deck(body: Body, prompt: &str) -> (Deck, Card) {
        let card = Card {
            id: "c".into(),
            prompt: prompt.into(),
            body,
            explain: Some("因为<原文>".into()),
            source: Some(Citation {
                doc: "003".into(),
                quotes: vec![
                    Quote {
                        text: "第一個是".into(),
                        position: (1, 1),
                    },
                    Quote {
                        text: "第二個是".into(),
                        position: (1, 1),
                    },
                ],
            }),
            tags: vec![],
            line: 1,
        };
        let deck = Deck {
            id: "d".into(),
            title: "卡组".into(),
            description: None,
            tags: vec![],
            sources: vec![SourceDoc {
                id: "003".into(),
                title: "群众工作".into(),
            }],
            cards: vec![card.clone()],
            origin: Origin::Shipped("decks/d.toml"),
            id_position: (1, 1),
        };
        (deck, card)
    }

    #[test]
    fn fill_becomes_one_cloze_with_alternatives_listed() {
        let prompt = "开{{短会}}、讲{{短话|短的话}}，a:b {{x::y}}";
        let parts = fill::parse(prompt).unwrap();
        let (d, c) = deck(Body::Fill { parts }, prompt);
        let f = note_fields(&d, &c);
        assert_eq!(
            f[0],
            "开{{c1::短会}}、讲{{c1::短话}}，a:b {{c1::x&#58;&#58;y}}"
        );
        assert_eq!(f[1], "第 2 空 短的话");
        assert_eq!(f[2], "因为&lt;原文&gt;");
        assert_eq!(f[3], "出处：《群众工作》：第一個是……第二個是");
        assert_eq!(f[4], "d/c");
    }

    #[test]
    fn choice_and_multi_show_options_and_lettered_answers() {
        let options: Vec<String> = vec!["甲".into(), "<乙>".into(), "丙".into()];
        let (d, c) = deck(
            Body::Multi {
                options: options.clone(),
                answers: vec![0, 2],
            },
            "哪些？",
        );
        let f = note_fields(&d, &c);
        assert_eq!(
            f[1],
            "<div>A. 甲</div><div>B. &lt;乙&gt;</div><div>C. 丙</div>"
        );
        assert_eq!(f[2], "A. 甲；C. 丙");
        let (d, c) = deck(Body::Choice { options, answer: 1 }, "哪个？");
        assert_eq!(note_fields(&d, &c)[2], "B. &lt;乙&gt;");
    }

    #[test]
    fn judge_qa_and_list() {
        let (d, c) = deck(Body::Judge { answer: false }, "说法");
        assert_eq!(note_fields(&d, &c)[1], "错误");
        let (d, c) = deck(
            Body::Qa {
                answer: "七大".into(),
                accept: vec!["中共七大".into(), "党的七大".into()],
            },
            "哪次会议？",
        );
        let f = note_fields(&d, &c);
        assert_eq!((f[0].as_str(), f[1].as_str()), ("哪次会议？", "七大"));
        assert_eq!(f[2], "中共七大；党的七大");
        let (d, c) = deck(
            Body::List {
                items: vec![
                    crate::deck::ListItem {
                        text: "甲".into(),
                        accept: vec![],
                    },
                    crate::deck::ListItem {
                        text: "乙".into(),
                        accept: vec!["乙二".into()],
                    },
                ],
                ordered: true,
            },
            "列举",
        );
        assert_eq!(
            note_fields(&d, &c)[1],
            "<ol><li>甲</li><li>乙（也可答：乙二）</li></ol>"
        );
    }
}
