//! Turns one deck file into a [`Deck`] and every problem in it into a
//! located diagnostic. This is both the loader and `dangke check`: a deck
//! that loads is exactly a deck that checks without errors.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::table::{Fields, Repeats, Sink, Value, parse_document, string, string_array, type_name};
use super::{
    Body, Card, Citation, Deck, Kind, ListItem, Origin, Quote, SourceDoc, fill, is_valid_id,
};
use crate::diag::{Diagnostic, SourceText};

/// The keys each table of a deck file may have; `src/schema.rs` lists the
/// same keys for editors, and a test keeps the two in step.
pub const TOP_KEYS: &[&str] = &["deck", "sources", "card"];
pub const DECK_KEYS: &[&str] = &["id", "title", "description", "tags"];
pub const SOURCE_KEYS: &[&str] = &["id", "title"];
pub const CITATION_KEYS: &[&str] = &["doc", "quote"];
pub const ITEM_KEYS: &[&str] = &["text", "accept"];
pub const CARD_KEYS: &[&str] = &[
    "id", "kind", "prompt", "answer", "accept", "options", "items", "ordered", "explain", "source",
    "tags",
];
/// Keys whose meaning depends on the kind.
const KIND_KEYS: &[&str] = &["answer", "accept", "options", "items", "ordered"];

/// The shortest quote that can prove a fact, in characters.
pub const MIN_QUOTE_CHARS: usize = 4;

/// The result of reading one deck file: the deck when it has no errors,
/// and every diagnostic either way.
pub struct Parsed {
    pub deck: Option<Deck>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and checks one deck file.
pub fn parse_deck(src: &SourceText<'_>, origin: Origin) -> Parsed {
    let mut sink = Sink::new(src);
    let deck =
        parse_document(&mut sink, src.text).and_then(|doc| read_deck(&mut sink, &doc, origin));
    let has_errors = sink
        .diagnostics
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    Parsed {
        deck: if has_errors { None } else { deck },
        diagnostics: sink.diagnostics,
    }
}

fn read_deck(sink: &mut Sink<'_>, doc: &DeTable<'_>, origin: Origin) -> Option<Deck> {
    let mut top = Fields::new("文件顶层", 0..0, doc);
    let deck_value = top.take("deck");
    let sources_value = top.take("sources");
    let cards_value = top.take("card");
    top.finish(sink, TOP_KEYS, |key| {
        (key == "cards").then(|| "卡片要写成 [[card]]（单数），不是 cards".to_owned())
    });

    let Some(deck_value) = deck_value else {
        sink.error(0..0, "缺少 [deck] 表（卡组的 id 和 title 写在这里）");
        return None;
    };
    let DeValue::Table(deck_table) = deck_value.get_ref() else {
        sink.error(
            deck_value.span(),
            format!(
                "deck 应为表 [deck]，实际是{}",
                type_name(deck_value.get_ref())
            ),
        );
        return None;
    };
    let mut fields = Fields::new("[deck]", deck_value.span(), deck_table);
    let id = fields.req_str(sink, "id");
    if let Some(id) = &id {
        check_id(sink, id, "卡组");
    }
    let title = fields.req_str(sink, "title");
    let description = fields.opt_str(sink, "description");
    let tags = fields.str_list(sink, "tags");
    fields.finish(sink, DECK_KEYS, |_| None);

    let sources = read_sources(sink, sources_value);
    let cards = match cards_value {
        Some(v) => read_cards(sink, v, &sources),
        None => {
            sink.warning(deck_value.span(), "卡组里还没有卡片（用 [[card]] 添加）");
            Vec::new()
        }
    };

    let id = id?;
    Some(Deck {
        id_position: sink.src.position(id.span().start),
        id: id.into_inner(),
        title: title?.into_inner(),
        description: description.map(Spanned::into_inner),
        tags: tags.into_iter().map(Spanned::into_inner).collect(),
        sources,
        cards,
        origin,
    })
}

fn check_id(sink: &mut Sink<'_>, id: &Spanned<String>, what: &str) -> bool {
    let ok = is_valid_id(id.get_ref());
    if !ok {
        sink.error(
            id.span(),
            format!(
                "{what} id “{}”不合规：只能用小写字母、数字和连字符 -（如 ba-xiang-gui-ding）",
                id.get_ref()
            ),
        );
    }
    ok
}

/// An array of tables (`[[name]]`), or an error naming the right syntax.
fn table_array<'t, 'i>(
    sink: &mut Sink<'_>,
    name: &str,
    value: &'t Value<'i>,
) -> Vec<(Range<usize>, &'t DeTable<'i>)> {
    let DeValue::Array(items) = value.get_ref() else {
        sink.error(
            value.span(),
            format!(
                "{name} 应写成表数组 [[{name}]]，实际是{}",
                type_name(value.get_ref())
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::Table(t) => out.push((item.span(), t)),
            other => sink.error(
                item.span(),
                format!("{name} 的每一项都应是表，实际是{}", type_name(other)),
            ),
        }
    }
    out
}

fn read_sources(sink: &mut Sink<'_>, value: Option<&Value<'_>>) -> Vec<SourceDoc> {
    let Some(value) = value else {
        return Vec::new();
    };
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    let mut out = Vec::new();
    for (span, table) in table_array(sink, "sources", value) {
        let mut fields = Fields::new("[[sources]]", span, table);
        let id = fields.req_str(sink, "id");
        let title = fields.req_str(sink, "title");
        fields.finish(sink, SOURCE_KEYS, |_| None);
        let (Some(id), Some(title)) = (id, title) else {
            continue;
        };
        if let Some(first) = seen.get(id.get_ref()) {
            let line = sink.line(first);
            sink.error(
                id.span(),
                format!("出处 id “{}”重复（第 {line} 行已有）", id.get_ref()),
            );
            continue;
        }
        seen.insert(id.get_ref().clone(), id.span());
        out.push(SourceDoc {
            id: id.into_inner(),
            title: title.into_inner(),
        });
    }
    out
}

fn read_cards(sink: &mut Sink<'_>, value: &Value<'_>, sources: &[SourceDoc]) -> Vec<Card> {
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    let mut cards = Vec::new();
    for (span, table) in table_array(sink, "card", value) {
        // The id is looked at before the card is read, so a duplicate is
        // reported even when either card has other errors.
        let id = table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == "id")
            .and_then(|(_, v)| match v.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => {
                    Some((crate::term::sanitize(s), v.span()))
                }
                _ => None,
            });
        let mut duplicate = false;
        if let Some((id, id_span)) = id {
            // Duplicates are reported on the second card, naming the first.
            if let Some(first) = seen.get(&id) {
                let line = sink.line(first);
                sink.error(
                    id_span,
                    format!("卡片 id “{id}”重复：第 {line} 行已有同名卡片"),
                );
                duplicate = true;
            } else {
                seen.insert(id, id_span);
            }
        }
        let Some((card, _)) = read_card(sink, span, table, sources) else {
            continue;
        };
        if !duplicate {
            cards.push(card);
        }
    }
    cards
}

/// Reads one card; returns it with the span of its id when it is complete.
fn read_card(
    sink: &mut Sink<'_>,
    span: Range<usize>,
    table: &DeTable<'_>,
    sources: &[SourceDoc],
) -> Option<(Card, Range<usize>)> {
    let line = sink.line(&span);
    let mut f = Fields::new("[[card]]", span, table);
    let id = f.req_str(sink, "id");
    let id_ok = id.as_ref().is_some_and(|id| check_id(sink, id, "卡片"));
    if let Some(id) = &id {
        f.name = format!("卡片 {}", id.get_ref());
    }
    let kind = match f.take("kind") {
        None => {
            sink.error(
                f.span.clone(),
                format!("{} 缺少必填的键 kind（可选：{}）", f.name, kind_names()),
            );
            None
        }
        Some(v) => string(sink, "kind", v).and_then(|k| {
            let kind = Kind::from_name(k.get_ref());
            if kind.is_none() {
                sink.error(
                    k.span(),
                    format!(
                        "未知的题型 kind = “{}”（可选：{}）",
                        k.get_ref(),
                        kind_names()
                    ),
                );
            }
            kind
        }),
    };
    let prompt = f.req_str(sink, "prompt");
    let explain = f.opt_str(sink, "explain");
    let tags = f.str_list(sink, "tags");
    let source = match f.take("source") {
        Some(v) => read_citation(sink, v, sources),
        None => {
            // A warning only: a learner's own deck may hold unsourced notes.
            sink.warning(
                f.span.clone(),
                format!(
                    "{} 没有注明出处（source = {{ doc = \"…\", quote = \"…\" }}）",
                    f.name
                ),
            );
            None
        }
    };

    let body = match kind {
        Some(kind) => read_body(sink, &mut f, kind, prompt.as_ref()),
        None => {
            // Without a kind the kind-specific keys cannot be judged.
            for key in KIND_KEYS {
                f.take(key);
            }
            None
        }
    };
    let kind_name = kind.map_or("", Kind::name);
    f.finish(sink, CARD_KEYS, |key| {
        KIND_KEYS
            .contains(&key)
            .then(|| format!("kind = “{kind_name}”的卡片不使用 {key}"))
    });

    if !id_ok {
        return None;
    }
    let id = id?;
    let id_span = id.span();
    Some((
        Card {
            id: id.into_inner(),
            prompt: prompt?.into_inner(),
            body: body?,
            explain: explain.map(Spanned::into_inner),
            source,
            tags: tags.into_iter().map(Spanned::into_inner).collect(),
            line,
        },
        id_span,
    ))
}

fn kind_names() -> String {
    Kind::ALL.map(Kind::name).join("、")
}

fn read_citation(
    sink: &mut Sink<'_>,
    value: &Value<'_>,
    sources: &[SourceDoc],
) -> Option<Citation> {
    let DeValue::Table(table) = value.get_ref() else {
        sink.error(
            value.span(),
            format!(
                "source 应为表 {{ doc = \"…\", quote = \"…\" }}，实际是{}",
                type_name(value.get_ref())
            ),
        );
        return None;
    };
    let mut f = Fields::new("source", value.span(), table);
    let doc = f.req_str(sink, "doc");
    // One passage, or several when an enumeration is spread over a text.
    let quotes: Option<Vec<Spanned<String>>> = match f.take("quote") {
        None => {
            sink.error(value.span(), "source 缺少必填的键 quote");
            None
        }
        Some(v) => match v.get_ref() {
            DeValue::Array(_) => {
                let quotes = string_array(sink, "quote", v, Repeats::Warn);
                if quotes.is_empty() {
                    sink.error(v.span(), "quote 数组至少要有一段引文");
                    None
                } else {
                    Some(quotes)
                }
            }
            _ => string(sink, "quote", v).map(|q| vec![q]),
        },
    };
    f.finish(sink, CITATION_KEYS, |_| None);
    let (doc, quotes) = (doc?, quotes?);
    let mut ok = true;
    if !sources.iter().any(|s| &s.id == doc.get_ref()) {
        let declared = if sources.is_empty() {
            "本卡组没有声明任何 [[sources]]".to_owned()
        } else {
            format!(
                "已声明：{}",
                sources
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            )
        };
        sink.error(
            doc.span(),
            format!(
                "出处 doc = “{}”未在 [[sources]] 中声明（{declared}）",
                doc.get_ref()
            ),
        );
        ok = false;
    }
    for quote in &quotes {
        let chars = quote
            .get_ref()
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        if chars < MIN_QUOTE_CHARS {
            sink.error(
                quote.span(),
                format!("引文太短（{chars} 个字），至少要 {MIN_QUOTE_CHARS} 个字才能证明出处"),
            );
            ok = false;
        }
    }
    ok.then(|| Citation {
        doc: doc.into_inner(),
        quotes: quotes
            .into_iter()
            .map(|q| Quote {
                position: sink.src.position(q.span().start),
                text: q.into_inner(),
            })
            .collect(),
    })
}

fn read_body(
    sink: &mut Sink<'_>,
    f: &mut Fields<'_, '_>,
    kind: Kind,
    prompt: Option<&Spanned<String>>,
) -> Option<Body> {
    match kind {
        Kind::Qa => {
            let answer = f.req_str(sink, "answer");
            let accept = f.str_list(sink, "accept");
            Some(Body::Qa {
                answer: answer?.into_inner(),
                accept: accept.into_iter().map(Spanned::into_inner).collect(),
            })
        }
        Kind::Fill => {
            let prompt = prompt?;
            match fill::parse(prompt.get_ref()) {
                Ok(parts) => Some(Body::Fill { parts }),
                Err(err) => {
                    let at = string_offset(sink.src.text, prompt, err.offset);
                    sink.error(at..at, err.message);
                    None
                }
            }
        }
        Kind::Choice => {
            let options = read_options(sink, f);
            let answer = f.req_str(sink, "answer");
            let answer = answer.and_then(|a| option_index(sink, &a, options.as_deref()));
            Some(Body::Choice {
                options: options?,
                answer: answer?,
            })
        }
        Kind::Multi => {
            let options = read_options(sink, f);
            let answers = match f.take("answer") {
                None => {
                    sink.error(f.span.clone(), format!("{} 缺少必填的键 answer", f.name));
                    None
                }
                Some(v) => read_multi_answer(sink, v, options.as_deref()),
            };
            Some(Body::Multi {
                options: options?,
                answers: answers?,
            })
        }
        Kind::Judge => match f.take("answer") {
            None => {
                sink.error(
                    f.span.clone(),
                    format!(
                        "{} 缺少必填的键 answer（true 表示正确，false 表示错误）",
                        f.name
                    ),
                );
                None
            }
            Some(v) => match v.get_ref() {
                DeValue::Boolean(b) => Some(Body::Judge { answer: *b }),
                other => {
                    sink.error(
                        v.span(),
                        format!(
                            "判断题的 answer 应为 true 或 false（不加引号），实际是{}",
                            type_name(other)
                        ),
                    );
                    None
                }
            },
        },
        Kind::List => {
            let items = match f.take("items") {
                None => {
                    sink.error(f.span.clone(), format!("{} 缺少必填的键 items", f.name));
                    None
                }
                Some(v) => read_items(sink, v),
            };
            let ordered = f.opt_bool(sink, "ordered").unwrap_or(false);
            Some(Body::List {
                items: items?,
                ordered,
            })
        }
    }
}

/// The byte offset in the file of a character offset inside a string
/// value, when the string is written without escapes; otherwise the
/// string's start.
fn string_offset(text: &str, value: &Spanned<String>, offset: usize) -> usize {
    let span = value.span();
    let raw = text.get(span.clone()).unwrap_or("");
    for delim in ["\"\"\"", "'''", "\"", "'"] {
        if raw.len() >= 2 * delim.len() && raw.starts_with(delim) && raw.ends_with(delim) {
            let inner = &raw[delim.len()..raw.len() - delim.len()];
            if inner == value.get_ref() {
                return span.start + delim.len() + offset;
            }
            break;
        }
    }
    span.start
}

fn read_options(sink: &mut Sink<'_>, f: &mut Fields<'_, '_>) -> Option<Vec<String>> {
    let Some(v) = f.take("options") else {
        sink.error(f.span.clone(), format!("{} 缺少必填的键 options", f.name));
        return None;
    };
    let before = sink.diagnostics.len();
    let options = string_array(sink, "options", v, Repeats::Error);
    let clean = sink.diagnostics.len() == before;
    if options.len() < 2 {
        sink.error(
            v.span(),
            format!("选择题至少要有 2 个选项，这里只有 {} 个", options.len()),
        );
        return None;
    }
    if options.len() > 26 {
        sink.error(
            v.span(),
            format!("选项最多 26 个（A–Z），这里有 {} 个", options.len()),
        );
        return None;
    }
    clean.then(|| options.into_iter().map(Spanned::into_inner).collect())
}

/// Resolves an answer letter to an option index.
fn option_index(
    sink: &mut Sink<'_>,
    letter: &Spanned<String>,
    options: Option<&[String]>,
) -> Option<usize> {
    let text = letter.get_ref();
    let mut chars = text.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        sink.error(
            letter.span(),
            format!("答案应为一个大写字母（如 “B”），实际是“{text}”"),
        );
        return None;
    };
    if !c.is_ascii_uppercase() {
        let hint = if c.is_ascii_lowercase() {
            format!("：请写成大写 “{}”", c.to_ascii_uppercase())
        } else {
            String::new()
        };
        sink.error(
            letter.span(),
            format!("答案应为大写字母 A–Z，实际是“{text}”{hint}"),
        );
        return None;
    }
    let index = usize::from(c as u8 - b'A');
    let options = options?;
    if index >= options.len() {
        let last = super::option_letter(options.len() - 1);
        sink.error(
            letter.span(),
            format!(
                "答案“{c}”超出选项范围（共 {} 个选项，A–{last}）",
                options.len()
            ),
        );
        return None;
    }
    Some(index)
}

fn read_multi_answer(
    sink: &mut Sink<'_>,
    v: &Value<'_>,
    options: Option<&[String]>,
) -> Option<Vec<usize>> {
    let DeValue::Array(items) = v.get_ref() else {
        sink.error(
            v.span(),
            format!(
                "多选题的 answer 应为字母数组（如 [\"A\", \"C\"]），实际是{}",
                type_name(v.get_ref())
            ),
        );
        return None;
    };
    if items.iter().next().is_none() {
        sink.error(v.span(), "多选题的 answer 不能为空数组");
        return None;
    }
    let mut seen: Vec<(usize, Range<usize>)> = Vec::new();
    let mut ok = true;
    for item in items.iter() {
        let Some(letter) = string(sink, "answer", item) else {
            ok = false;
            continue;
        };
        let Some(index) = option_index(sink, &letter, options) else {
            ok = false;
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(i, _)| *i == index) {
            let line = sink.line(first);
            sink.error(
                letter.span(),
                format!("答案“{}”重复（第 {line} 行已有）", letter.get_ref()),
            );
            ok = false;
            continue;
        }
        seen.push((index, letter.span()));
    }
    if !ok {
        return None;
    }
    let mut answers: Vec<usize> = seen.into_iter().map(|(i, _)| i).collect();
    answers.sort_unstable();
    Some(answers)
}

fn read_items(sink: &mut Sink<'_>, v: &Value<'_>) -> Option<Vec<ListItem>> {
    let DeValue::Array(values) = v.get_ref() else {
        sink.error(
            v.span(),
            format!("items 应为数组，实际是{}", type_name(v.get_ref())),
        );
        return None;
    };
    let mut items: Vec<(ListItem, Range<usize>)> = Vec::new();
    let mut ok = true;
    for value in values.iter() {
        let item = match value.get_ref() {
            DeValue::String(_) => string(sink, "items", value).map(|s| ListItem {
                text: s.into_inner(),
                accept: Vec::new(),
            }),
            DeValue::Table(t) => {
                let mut f = Fields::new("列举项", value.span(), t);
                let text = f.req_str(sink, "text");
                let accept = f.str_list(sink, "accept");
                f.finish(sink, ITEM_KEYS, |_| None);
                text.map(|text| ListItem {
                    text: text.into_inner(),
                    accept: accept.into_iter().map(Spanned::into_inner).collect(),
                })
            }
            other => {
                sink.error(
                    value.span(),
                    format!(
                        "列举项应为字符串或 {{ text = \"…\", accept = [\"…\"] }}，实际是{}",
                        type_name(other)
                    ),
                );
                None
            }
        };
        let Some(item) = item else {
            ok = false;
            continue;
        };
        if let Some((_, first)) = items.iter().find(|(i, _)| i.text == item.text) {
            let line = sink.line(first);
            sink.error(
                value.span(),
                format!("列举项“{}”重复（第 {line} 行已有）", item.text),
            );
            ok = false;
            continue;
        }
        items.push((item, value.span()));
    }
    if items.len() < 2 && ok {
        sink.error(
            v.span(),
            format!("列举题至少要有 2 项，这里只有 {} 项", items.len()),
        );
        return None;
    }
    ok.then(|| items.into_iter().map(|(i, _)| i).collect())
}

#[cfg(test)]
mod tests;
