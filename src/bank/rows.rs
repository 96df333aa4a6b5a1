//! One bank row into one card: the kind, the stem's blanks, the options
//! and the answer in whatever spelling the bank used. Errors are the
//! reason in Chinese; the caller adds `FILE:ROW`.

use unicode_normalization::UnicodeNormalization;

use super::answers::{self, Piece};
use super::layout::Column;
use crate::deck::{Body, Kind, ListItem, fill, option_letter};

/// The cells of one row, by column.
pub struct Cells<'a> {
    pub map: &'a [(usize, Column)],
    pub cells: &'a [String],
}

impl Cells<'_> {
    /// The trimmed text of a column (empty when absent).
    pub fn get(&self, column: Column) -> String {
        self.map
            .iter()
            .find(|(_, c)| *c == column)
            .and_then(|(i, _)| self.cells.get(*i))
            .map(|t| answers::unguard(t.trim()).trim().replace("\r\n", "\n"))
            .unwrap_or_default()
    }
}

/// A card read from a row, before it has an id.
#[derive(Debug, Clone, PartialEq)]
pub struct RowCard {
    pub row: usize,
    /// A valid `编号` given in the bank.
    pub id: Option<String>,
    pub prompt: String,
    pub body: Body,
    pub explain: Option<String>,
    /// The `出处` text and the `原文` passages.
    pub source: Option<String>,
    pub quotes: Vec<String>,
    pub tags: Vec<String>,
}

pub fn read(row: usize, cells: &Cells<'_>) -> Result<RowCard, String> {
    let stem = cells.get(Column::Prompt);
    if stem.is_empty() {
        return Err("题干为空".to_owned());
    }
    let answer = cells.get(Column::Answer);
    let options = options(cells)?;
    let kind_text = cells.get(Column::Kind);
    let (kind, ordered) = if kind_text.is_empty() {
        guess_kind(&stem, &answer, &options)
    } else {
        answers::kind(&kind_text).ok_or_else(|| {
            format!("不认识的题型“{kind_text}”（可用：单选、多选、判断、填空、简答、列举）")
        })?
    };
    if matches!(kind, Kind::Choice | Kind::Multi) && options.len() < 2 {
        return Err(format!(
            "{}题至少要有 2 个选项（选项A、选项B…），这里有 {} 个",
            kind.label(),
            options.len()
        ));
    }
    if answer.is_empty() && !matches!(kind, Kind::Fill) {
        return Err("答案为空".to_owned());
    }
    let accept = lines(&cells.get(Column::Accept));
    let has_options = !options.is_empty();
    let (prompt, body) = match kind {
        Kind::Choice => {
            let answer = choice_answer(&answer, &options)?;
            (stem, Body::Choice { options, answer })
        }
        Kind::Multi => {
            let answers = multi_answer(&answer, &options)?;
            (stem, Body::Multi { options, answers })
        }
        Kind::Judge => (
            without_mark_slot(&stem),
            Body::Judge {
                answer: judge_answer(&answer, &options)?,
            },
        ),
        Kind::Fill => {
            let prompt = fill_prompt(&stem, &answer)?;
            let parts = fill::parse(&prompt).map_err(|e| e.message)?;
            (prompt, Body::Fill { parts })
        }
        Kind::Qa => match answers::numbered(&answer).filter(|_| accept.is_empty()) {
            Some(items) => (stem, list(items, false)?),
            None => (stem, Body::Qa { answer, accept }),
        },
        Kind::List => {
            let items = answers::numbered(&answer)
                .or_else(|| {
                    let parts = split(&answer, &['；', ';', '\n', '、']);
                    (parts.len() >= 2).then_some(parts)
                })
                .ok_or_else(|| {
                    format!(
                        "列举题的答案要有至少 2 项（如“1. 甲 2. 乙”或“甲；乙”），实际是“{answer}”"
                    )
                })?;
            (stem, list(items, ordered)?)
        }
    };
    if !matches!(
        body,
        Body::Choice { .. } | Body::Multi { .. } | Body::Judge { .. }
    ) && has_options
    {
        return Err(format!(
            "{}题不应有选项；若是选择题，请把题型写成“单选”或“多选”",
            body.kind().label()
        ));
    }
    let (source, quotes) = (cells.get(Column::Source), lines(&cells.get(Column::Quote)));
    if source.is_empty() && !quotes.is_empty() {
        return Err("有原文但没有出处：请在“出处”列写明原文出自哪份文档".to_owned());
    }
    let explain = cells.get(Column::Explain);
    let id = cells.get(Column::Id);
    let id =
        (crate::deck::is_valid_id(&id) && !id.bytes().all(|b| b.is_ascii_digit())).then_some(id);
    Ok(RowCard {
        row,
        id,
        prompt,
        body,
        explain: (!explain.is_empty()).then_some(explain),
        source: (!source.is_empty()).then_some(source),
        quotes,
        tags: tags(&cells.get(Column::Tags)),
    })
}

/// A judgement's statement without the “（ ）” banks leave at its end
/// for the √ or ×.
fn without_mark_slot(stem: &str) -> String {
    let mut text = stem.trim_end();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(head) = text.strip_suffix(close)
            && let Some(at) = head.rfind(open)
            && head[at + open.len_utf8()..].trim().is_empty()
            && at > 0
        {
            text = head[..at].trim_end();
        }
    }
    text.to_owned()
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn split(text: &str, seps: &[char]) -> Vec<String> {
    text.split(seps)
        .map(|p| p.trim().trim_end_matches('。').trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

pub fn tags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in split(text, &[',', '，', ';', '；', '、', '|', '\n']) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// `甲|另一种说法` items; an item written twice is an error.
fn list(items: Vec<String>, ordered: bool) -> Result<Body, String> {
    let items = items
        .into_iter()
        .map(|item| {
            let mut forms = item
                .split('|')
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty());
            ListItem {
                text: forms.next().unwrap_or_default(),
                accept: forms.collect(),
            }
        })
        .collect::<Vec<ListItem>>();
    for (i, item) in items.iter().enumerate() {
        if items[..i].iter().any(|other| other.text == item.text) {
            return Err(format!("列举项“{}”写了两次", item.text));
        }
    }
    Ok(Body::List { items, ordered })
}

/// The option cells in letter order, without a repeated “A.” prefix;
/// a gap (选项B empty, 选项C not) is an error.
fn options(cells: &Cells<'_>) -> Result<Vec<String>, String> {
    let mut found: Vec<(usize, String)> = cells
        .map
        .iter()
        .filter_map(|(_, c)| match c {
            Column::Option(i) => Some(*i),
            _ => None,
        })
        .map(|i| (i, cells.get(Column::Option(i))))
        .collect();
    found.sort_by_key(|(i, _)| *i);
    while found.last().is_some_and(|(_, t)| t.is_empty()) {
        found.pop();
    }
    let mut out = Vec::new();
    for (k, (i, text)) in found.into_iter().enumerate() {
        if i != k {
            return Err(format!("缺少选项{}", option_letter(k)));
        }
        if text.is_empty() {
            return Err(format!("选项{}为空，但后面还有选项", option_letter(i)));
        }
        let text = strip_letter(&text, i);
        if let Some(first) = out.iter().position(|o| *o == text) {
            return Err(format!(
                "选项{}与选项{}相同（“{text}”）",
                option_letter(i),
                option_letter(first)
            ));
        }
        out.push(text);
    }
    Ok(out)
}

/// “A. 甲” in the 选项A cell → “甲”.
fn strip_letter(text: &str, index: usize) -> String {
    let mut chars = text.chars();
    let letter = chars
        .next()
        .map(|c| c.nfkc().collect::<String>().to_uppercase());
    let sep = chars.next();
    if letter.as_deref() == Some(&option_letter(index).to_string())
        && sep.is_some_and(|s| ".、．:：)）".contains(s))
    {
        let rest = chars.as_str().trim();
        if !rest.is_empty() {
            return rest.to_owned();
        }
    }
    text.to_owned()
}

fn guess_kind(stem: &str, answer: &str, options: &[String]) -> (Kind, bool) {
    if !options.is_empty() {
        if answers::letters(answer).is_some_and(|l| l.len() > 1) {
            return (Kind::Multi, false);
        }
        return (Kind::Choice, false);
    }
    if answers::judgement(answer).is_some() {
        return (Kind::Judge, false);
    }
    if stem.contains("{{")
        || answers::blanks(stem)
            .iter()
            .any(|p| matches!(p, Piece::Blank(_)))
    {
        return (Kind::Fill, false);
    }
    (Kind::Qa, false)
}

fn range_text(options: &[String]) -> String {
    format!("A–{}", option_letter(options.len().saturating_sub(1)))
}

fn choice_answer(answer: &str, options: &[String]) -> Result<usize, String> {
    if let Some(i) = options.iter().position(|o| o == answer) {
        return Ok(i);
    }
    match answers::letters(answer).as_deref() {
        Some([i]) if *i < options.len() => Ok(*i),
        Some([i]) => Err(format!(
            "答案“{}”超出选项范围（{}）",
            option_letter(*i),
            range_text(options)
        )),
        Some(_) => Err(format!(
            "单选题只能有一个答案，这里是“{answer}”；若是多选题，请把题型写成“多选”"
        )),
        None => Err(format!(
            "单选题的答案应为一个选项字母（如 B），实际是“{answer}”"
        )),
    }
}

fn multi_answer(answer: &str, options: &[String]) -> Result<Vec<usize>, String> {
    let letters = answers::letters(answer).ok_or_else(|| {
        format!("多选题的答案应为选项字母（如 ABD 或 A、B、D），实际是“{answer}”")
    })?;
    if let Some(&i) = letters.iter().find(|&&i| i >= options.len()) {
        return Err(format!(
            "答案“{}”超出选项范围（{}）",
            option_letter(i),
            range_text(options)
        ));
    }
    Ok(letters)
}

/// 对/错 in any spelling; or, when the bank gives 选项A 正确 / 选项B 错误,
/// the letter of one of them.
fn judge_answer(answer: &str, options: &[String]) -> Result<bool, String> {
    if let Some(b) = answers::judgement(answer) {
        return Ok(b);
    }
    if let Some([i]) = answers::letters(answer).as_deref()
        && let Some(b) = options.get(*i).and_then(|o| answers::judgement(o))
    {
        return Ok(b);
    }
    Err(format!(
        "判断题的答案应为 对/错（√/×、正确/错误、T/F），实际是“{answer}”"
    ))
}

/// The stem in deck syntax (`{{答案}}` for each blank).
fn fill_prompt(stem: &str, answer: &str) -> Result<String, String> {
    if stem.contains("{{") {
        // Already deck syntax (what `dangke export` writes).
        let parts = fill::parse(stem).map_err(|e| e.message)?;
        let canonical = fill::blank_answers(&parts);
        let same = answer.is_empty()
            || answer == canonical.join("；")
            || answers::split_blanks(answer, canonical.len())
                .is_some_and(|parts| parts.iter().zip(&canonical).all(|(a, b)| a == b));
        if !same {
            return Err(format!(
                "题干里 {{{{…}}}} 标出的答案（{}）与答案列“{answer}”不一致",
                canonical.join("；")
            ));
        }
        return Ok(stem.to_owned());
    }
    let mut pieces = answers::blanks(stem);
    let empty = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Blank(a) if a.is_empty()))
        .count();
    let any_blank = pieces.iter().any(|p| matches!(p, Piece::Blank(_)));
    if empty > 0 {
        let parts = answers::split_blanks(answer, empty).ok_or_else(|| {
            if answer.is_empty() {
                "填空题的答案为空".to_owned()
            } else {
                format!(
                    "题干有 {empty} 个空，答案“{answer}”分不出 {empty} 个（多个空的答案用“；”分开）"
                )
            }
        })?;
        let mut parts = parts.into_iter();
        for p in &mut pieces {
            if let Piece::Blank(a) = p
                && a.is_empty()
            {
                *a = parts.next().unwrap_or_default();
            }
        }
    } else if !any_blank {
        pieces = inline_answers(stem, answer).ok_or_else(|| {
            "填空题的题干里没有空格：用 （ ）、____ 或 【答案】 标出要填的地方".to_owned()
        })?;
    }
    Ok(render(&pieces))
}

/// A stem without blank marks: its bracketed texts are the blanks (when
/// the answer column is empty or names them), or else each answer is
/// found in the stem.
fn inline_answers(stem: &str, answer: &str) -> Option<Vec<Piece>> {
    let bracketed = answers::inline(stem);
    let inside: Vec<&str> = bracketed
        .iter()
        .filter_map(|p| match p {
            Piece::Blank(a) => Some(a.as_str()),
            Piece::Text(_) => None,
        })
        .collect();
    if !inside.is_empty() {
        let matches = answer.is_empty()
            || answers::split_blanks(answer, inside.len())
                .is_some_and(|parts| parts.iter().zip(&inside).all(|(a, b)| a == b));
        if matches {
            return Some(bracketed);
        }
    }
    if answer.is_empty() {
        return None;
    }
    let parts = split(answer, &['；', ';', '|', '，', ',', '、']);
    let mut pieces = Vec::new();
    let mut rest = stem;
    for part in parts {
        let at = rest.find(part.as_str())?;
        if at > 0 {
            pieces.push(Piece::Text(rest[..at].to_owned()));
        }
        pieces.push(Piece::Blank(part.clone()));
        rest = &rest[at + part.len()..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_owned()));
    }
    Some(pieces)
}

fn render(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.clone(),
            Piece::Blank(a) => format!("{{{{{a}}}}}"),
        })
        .collect()
}
