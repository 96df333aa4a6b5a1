//! `dangke import`: a bank's sheets into a deck that passes `dangke check`,
//! with stable card ids (pinyin of the prompt's first words + a short hash
//! of the normalized prompt, never the row order) and every bad row as a
//! `FILE:ROW: 错误: 原因` diagnostic.

use std::collections::{BTreeMap, HashMap};

use unicode_normalization::UnicodeNormalization;

use super::BankError;
use super::layout::{Column, INFO_SHEET, column_of};
use super::read::Sheet;
use super::rows::{self, Cells, RowCard};
use crate::deck::parse::parse_deck;
use crate::deck::{Card, Citation, Deck, Origin, Quote, SourceDoc};
use crate::diag::{Diagnostic, Severity, SourceText};

/// What the command line says about the deck to make.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub id: Option<String>,
    pub title: Option<String>,
    /// The sheet to read (default: the first with a header row).
    pub sheet: Option<String>,
}

/// The result of reading a bank: the deck (as checked TOML too), the bad
/// rows, and notes for the person importing.
#[derive(Debug)]
pub struct Imported {
    pub deck: Deck,
    pub toml: String,
    pub errors: Vec<Diagnostic>,
    pub notes: Vec<String>,
    /// Cards without a `source` (the bank gave no 原文).
    pub unsourced: usize,
}

/// How many rows from the top a header row may be looked for.
const HEADER_SEARCH_ROWS: usize = 10;

pub fn import(
    display: &str,
    file_stem: &str,
    sheets: &[Sheet],
    opts: &Options,
) -> Result<Imported, BankError> {
    let no_header = || BankError::NoHeader {
        path: display.to_owned(),
    };
    let questions = sheets.iter().filter(|s| s.name != INFO_SHEET);
    let (sheet, header_at, map) = match &opts.sheet {
        Some(name) => {
            let sheet =
                sheets
                    .iter()
                    .find(|s| &s.name == name)
                    .ok_or_else(|| BankError::NoSheet {
                        path: display.to_owned(),
                        name: name.clone(),
                        names: sheets
                            .iter()
                            .map(|s| s.name.clone())
                            .collect::<Vec<_>>()
                            .join("、"),
                    })?;
            let (at, map) = header(sheet).ok_or_else(no_header)?;
            (sheet, at, map)
        }
        None => questions
            .clone()
            .find_map(|s| header(s).map(|(at, map)| (s, at, map)))
            .ok_or_else(no_header)?,
    };
    let mut notes = Vec::new();
    let others: Vec<&str> = questions
        .filter(|s| s.name != sheet.name && s.rows.iter().any(|r| !r.is_blank()))
        .map(|s| s.name.as_str())
        .collect();
    if !others.is_empty() {
        notes.push(format!(
            "只导入了工作表“{}”，其余工作表没有导入（可用 --sheet 选择）：{}",
            sheet.name,
            others.join("、")
        ));
    }
    let header_row = &sheet.rows[header_at];
    let ignored: Vec<String> = header_row
        .cells
        .iter()
        .enumerate()
        .filter(|(i, h)| {
            !h.trim().is_empty() && map.iter().all(|(j, c)| j != i || *c == Column::Ignored)
        })
        .map(|(_, h)| h.trim().to_owned())
        .collect();
    if !ignored.is_empty() {
        notes.push(format!(
            "这些列没有导入（卡组格式里没有对应的键）：{}",
            ignored.join("、")
        ));
    }

    let mut errors = Vec::new();
    let mut cards: Vec<RowCard> = Vec::new();
    for row in &sheet.rows[header_at + 1..] {
        if row.is_blank() {
            continue;
        }
        let cells = Cells {
            map: &map,
            cells: &row.cells,
        };
        match rows::read(row.number, &cells) {
            Ok(card) => cards.push(card),
            Err(reason) => errors.push(row_error(display, row.number, reason)),
        }
    }
    drop_duplicates(display, &mut cards, &mut errors);
    let mut given: HashMap<String, usize> = HashMap::new();
    cards.retain(|c| {
        let Some(id) = &c.id else { return true };
        if let Some(first) = given.get(id) {
            errors.push(row_error(
                display,
                c.row,
                format!("编号“{id}”与第 {first} 行相同；每道题的编号要不同"),
            ));
            return false;
        }
        given.insert(id.clone(), c.row);
        true
    });

    let info = info(sheets, &sheet.name);
    let meta = Meta {
        id: opts
            .id
            .clone()
            .or_else(|| info.as_ref().map(|i| i.id.clone()))
            .unwrap_or_else(|| deck_id(file_stem)),
        title: opts
            .title
            .clone()
            .or_else(|| info.as_ref().map(|i| i.title.clone()))
            .unwrap_or_else(|| file_stem.to_owned()),
        description: info.as_ref().map(|i| i.description.clone()),
        tags: info.map(|i| i.tags).unwrap_or_default(),
    };
    // Check errors the row reader did not foresee become row errors too,
    // and the deck is rebuilt without those rows.
    loop {
        let deck = build(&meta, &cards);
        let comment = format!(
            "由 dangke import 从题库“{}”导入；卡片 id 由题干生成，再次导入时不变。",
            crate::term::sanitize_line(display)
        );
        let (toml, lines) = super::write::deck(&deck, Some(&comment));
        let src = SourceText::new(display, &toml);
        let parsed = parse_deck(&src, Origin::File(display.into()));
        let bad: Vec<(usize, String)> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                let line = d.position.map_or(0, |p| p.0);
                let card = lines.iter().rposition(|&l| l <= line).unwrap_or(0);
                (card, without_deck_lines(&d.message))
            })
            .collect();
        if bad.is_empty() {
            let Some(checked) = parsed.deck else {
                return Err(BankError::Empty {
                    path: display.to_owned(),
                });
            };
            let unsourced = checked.cards.iter().filter(|c| c.source.is_none()).count();
            if unsourced > 0 {
                let named = cards
                    .iter()
                    .filter(|c| c.quotes.is_empty() && c.source.is_some())
                    .count();
                let kept = if named > 0 {
                    format!("；其中 {named} 道题库写了“出处”，写在了解析末尾")
                } else {
                    String::new()
                };
                notes.push(format!(
                    "{unsourced} 道题在题库里没有“原文”，导入的卡片没有注明出处（dangke check 会逐一警告）{kept}"
                ));
            }
            errors.sort_by_key(row_of);
            return Ok(Imported {
                deck: checked,
                toml,
                errors,
                notes,
                unsourced,
            });
        }
        let mut drop: Vec<usize> = Vec::new();
        for (card, message) in bad {
            if drop.contains(&card) {
                continue;
            }
            drop.push(card);
            if let Some(c) = cards.get(card) {
                errors.push(row_error(display, c.row, message));
            }
        }
        let mut index = 0;
        cards.retain(|_| {
            index += 1;
            !drop.contains(&(index - 1))
        });
    }
}

/// The deck's own keys, from the command line, the workbook's
/// [`INFO_SHEET`] or the file name.
struct Meta {
    id: String,
    title: String,
    /// `Some` when the workbook says (`Some(None)`: the deck had none).
    description: Option<Option<String>>,
    tags: Vec<String>,
}

/// One row of the [`INFO_SHEET`].
struct Info {
    id: String,
    title: String,
    description: Option<String>,
    tags: Vec<String>,
}

/// What the workbook's [`INFO_SHEET`] says about the sheet `name`.
fn info(sheets: &[Sheet], name: &str) -> Option<Info> {
    let sheet = sheets.iter().find(|s| s.name == INFO_SHEET)?;
    let row = sheet
        .rows
        .iter()
        .skip(1)
        .find(|r| r.cells.first().is_some_and(|c| c.trim() == name))?;
    let cell = |i: usize| row.cells.get(i).map_or("", |c| c.trim()).to_owned();
    let (id, title) = (cell(1), cell(2));
    if !crate::deck::is_valid_id(&id) || title.is_empty() {
        return None;
    }
    let description = cell(3);
    Some(Info {
        id,
        title,
        description: (!description.is_empty()).then_some(description),
        tags: rows::tags(&cell(4)),
    })
}

/// A check message without the deck file's line numbers (“（第 11 行已有）”),
/// which mean nothing to someone looking at the bank.
pub(crate) fn without_deck_lines(message: &str) -> String {
    let mut out = message.to_owned();
    while let Some(at) = out.find("（第 ") {
        let Some(len) = out[at..].find('）') else {
            break;
        };
        let inner = &out[at..at + len];
        if !inner.contains(" 行") {
            break;
        }
        out.replace_range(at..at + len + '）'.len_utf8(), "");
    }
    out
}

/// The row number in a row diagnostic (`FILE:ROW`), for sorting.
fn row_of(d: &Diagnostic) -> usize {
    d.path
        .rsplit(':')
        .next()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

fn row_error(display: &str, row: usize, reason: String) -> Diagnostic {
    Diagnostic::file_error(&format!("{display}:{row}"), reason)
}

/// The header row (within the first rows) and its columns: the first row
/// naming a question column.
fn header(sheet: &Sheet) -> Option<(usize, Vec<(usize, Column)>)> {
    sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(at, row)| {
            let mut map: Vec<(usize, Column)> = Vec::new();
            for (i, cell) in row.cells.iter().enumerate() {
                if let Some(c) = column_of(cell) {
                    // The first of two columns with one meaning is used.
                    if c == Column::Ignored || !map.iter().any(|(_, m)| *m == c) {
                        map.push((i, c));
                    }
                }
            }
            map.iter()
                .any(|(_, c)| *c == Column::Prompt)
                .then_some((at, map))
        })
}

/// A question written twice (same kind, prompt and answers) is an error
/// on its later row.
fn drop_duplicates(display: &str, cards: &mut Vec<RowCard>, errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    cards.retain(|c| {
        let key = content_key(c);
        match seen.get(&key) {
            Some(first) => {
                errors.push(row_error(
                    display,
                    c.row,
                    format!("与第 {first} 行是同一道题（题型、题干和答案都相同）"),
                ));
                false
            }
            None => {
                seen.insert(key, c.row);
                true
            }
        }
    });
}

fn content_key(c: &RowCard) -> String {
    card_of(c, String::new(), None).content_hash()
}

/// The prompt as hashed for its id: compatibility forms folded, blanks,
/// spaces and punctuation dropped, so that “（ ）” for “____” or a trailing
/// space does not change a card's id.
pub fn normalize_prompt(prompt: &str) -> String {
    prompt
        .nfkc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Pinyin syllables (and ASCII words) of the first `words` words of a text,
/// joined by `-`.
pub fn pinyin_words(text: &str, words: usize) -> String {
    use pinyin::ToPinyin;
    let mut out: Vec<String> = Vec::new();
    let mut ascii = String::new();
    for c in text.nfkc() {
        if out.len() >= words {
            break;
        }
        if c.is_ascii_alphanumeric() {
            ascii.push(c.to_ascii_lowercase());
            continue;
        }
        if !ascii.is_empty() {
            out.push(std::mem::take(&mut ascii));
        }
        if let Some(p) = c.to_pinyin() {
            out.push(p.plain().to_owned());
        }
    }
    if !ascii.is_empty() && out.len() < words {
        out.push(ascii);
    }
    out.truncate(words);
    out.join("-")
}

/// The id of a card made from a prompt: `dang-de-gen-ben-3f9a2c`.
pub fn card_id(prompt: &str) -> String {
    let hash = crate::hash::stable_hash(&[normalize_prompt(prompt).as_bytes()]);
    let words = pinyin_words(prompt, 4);
    let words = if words.is_empty() {
        "ti".to_owned()
    } else {
        words
    };
    format!("{words}-{:06x}", hash & 0xff_ffff)
}

fn deck_id(stem: &str) -> String {
    if crate::deck::is_valid_id(stem) {
        return stem.to_owned();
    }
    let words = pinyin_words(stem, 8);
    if words.is_empty() {
        "ti-ku".to_owned()
    } else {
        words
    }
}

/// `003：标题` names a document id and its title; any other text is a
/// title, and its id is made from its pinyin.
fn source_doc(text: &str) -> (Option<String>, String) {
    if let Some((id, title)) = text.split_once(['：', ':']) {
        let (id, title) = (id.trim(), title.trim());
        if crate::deck::is_valid_id(id) && !title.is_empty() {
            return (Some(id.to_owned()), title.to_owned());
        }
    }
    (None, text.to_owned())
}

/// The deck from the rows: sources declared for the 出处 that have 原文,
/// ids given to every card.
fn build(meta: &Meta, cards: &[RowCard]) -> Deck {
    // Distinct sources in title order, so ids do not follow row order.
    let mut by_text: BTreeMap<String, SourceDoc> = BTreeMap::new();
    let mut taken: Vec<String> = Vec::new();
    let mut named: Vec<(String, String, String)> = Vec::new();
    for c in cards.iter().filter(|c| !c.quotes.is_empty()) {
        let Some(text) = &c.source else { continue };
        let (given, title) = source_doc(text);
        named.push((text.clone(), given.unwrap_or_default(), title));
    }
    named.sort();
    named.dedup();
    for (_, given, _) in &named {
        if !given.is_empty() {
            taken.push(given.clone());
        }
    }
    for (text, given, title) in named {
        let id = if given.is_empty() {
            let base = pinyin_words(&title, 4);
            let base = if base.is_empty() {
                "wen-jian".to_owned()
            } else {
                base
            };
            let mut id = base.clone();
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            taken.push(id.clone());
            id
        } else {
            given
        };
        by_text.entry(text).or_insert(SourceDoc { id, title });
    }
    let mut sources: Vec<SourceDoc> = Vec::new();
    for doc in by_text.values() {
        if !sources.iter().any(|s| s.id == doc.id) {
            sources.push(doc.clone());
        }
    }
    sources.sort_by(|a, b| a.id.cmp(&b.id));

    let ids = assign_ids(cards);
    let cards: Vec<Card> = cards
        .iter()
        .zip(ids)
        .map(|(c, id)| {
            let doc = c
                .source
                .as_ref()
                .and_then(|t| by_text.get(t))
                .map(|d| d.id.clone());
            card_of(c, id, doc)
        })
        .collect();
    let unsourced = cards.iter().filter(|c| c.source.is_none()).count();
    let description = match &meta.description {
        Some(given) => given.clone(),
        None if unsourced > 0 => Some(format!(
            "由题库导入。其中 {unsourced} 道题题库没有给出原文，卡片未注明出处。"
        )),
        None => Some("由题库导入。".to_owned()),
    };
    Deck {
        id: meta.id.clone(),
        title: meta.title.clone(),
        description,
        tags: meta.tags.clone(),
        sources,
        cards,
        origin: Origin::Shipped(""),
        id_position: (0, 0),
    }
}

/// Given ids where valid, otherwise made from the prompt; when two cards
/// would share an id, each gets the hash of its whole content appended,
/// so the result never depends on which row came first.
fn assign_ids(cards: &[RowCard]) -> Vec<String> {
    let wanted: Vec<String> = cards
        .iter()
        .map(|c| c.id.clone().unwrap_or_else(|| card_id(&c.prompt)))
        .collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for w in &wanted {
        *count.entry(w.as_str()).or_default() += 1;
    }
    cards
        .iter()
        .zip(&wanted)
        .map(|(c, w)| {
            // A given id is kept (two rows giving one id fail the check).
            if c.id.is_none() && count[w.as_str()] > 1 {
                format!("{w}-{}", &content_key(c)[..4])
            } else {
                w.clone()
            }
        })
        .collect()
}

/// Where a card's bank 出处 goes when there is no 原文 to quote: the end
/// of its explanation (`export` takes it back out).
pub const SOURCE_NOTE: (&str, &str) = ("（出处：", "）");

fn card_of(c: &RowCard, id: String, doc: Option<String>) -> Card {
    let source = match (&doc, c.quotes.is_empty()) {
        (Some(doc), false) => Some(Citation {
            doc: doc.clone(),
            quotes: c
                .quotes
                .iter()
                .map(|q| Quote {
                    text: q.clone(),
                    position: (0, 0),
                })
                .collect(),
        }),
        _ => None,
    };
    let mut explain = c.explain.clone();
    if let (None, Some(text)) = (&source, &c.source) {
        let note = format!("{}{text}{}", SOURCE_NOTE.0, SOURCE_NOTE.1);
        explain = Some(match explain {
            Some(e) if e.ends_with(&note) => e,
            Some(e) => format!("{e}{note}"),
            None => note,
        });
    }
    Card {
        id,
        prompt: c.prompt.clone(),
        body: c.body.clone(),
        explain,
        source,
        tags: c.tags.clone(),
        line: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Body;

    fn row(explain: Option<&str>, source: Option<&str>) -> RowCard {
        RowCard {
            row: 2,
            id: None,
            prompt: "群众路线是什么？".to_owned(),
            body: Body::Qa {
                answer: "一切为了群众".to_owned(),
                accept: Vec::new(),
            },
            explain: explain.map(str::to_owned),
            source: source.map(str::to_owned),
            quotes: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// A `出处` that names no known document is kept at the end of the
    /// explanation, once: a bank exported and imported again already ends
    /// with it.
    #[test]
    fn a_source_of_no_known_document_is_kept_once_in_the_explanation() {
        let note = "（出处：某某讲话）";
        let card = card_of(&row(Some("解析。"), Some("某某讲话")), "c".into(), None);
        assert_eq!(
            card.explain.as_deref(),
            Some(format!("解析。{note}").as_str())
        );
        let again = format!("解析。{note}");
        let card = card_of(&row(Some(&again), Some("某某讲话")), "c".into(), None);
        assert_eq!(card.explain.as_deref(), Some(again.as_str()));
        let card = card_of(&row(None, Some("某某讲话")), "c".into(), None);
        assert_eq!(card.explain.as_deref(), Some(note));
        let card = card_of(&row(Some("解析。"), None), "c".into(), None);
        assert_eq!(card.explain.as_deref(), Some("解析。"));
    }
}
