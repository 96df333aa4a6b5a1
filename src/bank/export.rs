//! Decks back into the bank layout: the same columns `import` reads, as
//! an xlsx workbook (`rust_xlsxwriter`) or a UTF-8 CSV with BOM (what Excel
//! in China opens correctly), so import → export → import gives the same
//! deck.

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use super::BankError;
use super::answers::kind_label;
use super::import::SOURCE_NOTE;
use super::layout::{Column, INFO_HEADER, INFO_SHEET, export_header};
use crate::deck::{Body, Card, Deck, fill, option_letter};

/// The fewest option columns written, so a bank of short choices still
/// shows the usual 选项A–选项D.
const MIN_OPTIONS: usize = 4;

/// A deck as bank rows: the header and one row per card.
pub fn table(deck: &Deck) -> (Vec<(Column, String)>, Vec<Vec<String>>) {
    let options = deck
        .cards
        .iter()
        .map(|c| match &c.body {
            Body::Choice { options, .. } | Body::Multi { options, .. } => options.len(),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
        .max(MIN_OPTIONS);
    let header = export_header(options);
    let rows = deck
        .cards
        .iter()
        .map(|c| {
            header
                .iter()
                .map(|(column, _)| cell(deck, c, *column))
                .collect()
        })
        .collect();
    (header, rows)
}

fn cell(deck: &Deck, card: &Card, column: Column) -> String {
    let (explain, note) = split_note(card);
    match column {
        Column::Id => card.id.clone(),
        Column::Kind => kind_label(
            card.kind(),
            matches!(card.body, Body::List { ordered: true, .. }),
        )
        .to_owned(),
        Column::Prompt => card.prompt.clone(),
        Column::Option(i) => match &card.body {
            Body::Choice { options, .. } | Body::Multi { options, .. } => {
                options.get(i).cloned().unwrap_or_default()
            }
            _ => String::new(),
        },
        Column::Answer => answer(card),
        Column::Accept => match &card.body {
            Body::Qa { accept, .. } => accept.join("\n"),
            _ => String::new(),
        },
        Column::Explain => explain.unwrap_or_default(),
        Column::Source => match &card.source {
            Some(s) => {
                let title = deck
                    .sources
                    .iter()
                    .find(|d| d.id == s.doc)
                    .map_or("", |d| d.title.as_str());
                format!("{}：{title}", s.doc)
            }
            None => note.unwrap_or_default(),
        },
        Column::Quote => card.source.as_ref().map_or(String::new(), |s| {
            s.quotes
                .iter()
                .map(|q| q.text.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        }),
        Column::Tags => card.tags.join("，"),
        Column::Ignored => String::new(),
    }
}

/// A card's explanation without the `（出处：…）` that `import` added, and
/// that 出处.
fn split_note(card: &Card) -> (Option<String>, Option<String>) {
    let Some(explain) = &card.explain else {
        return (None, None);
    };
    if card.source.is_none()
        && let Some(head) = explain.strip_suffix(SOURCE_NOTE.1)
        && let Some(at) = head.rfind(SOURCE_NOTE.0)
    {
        let note = head[at + SOURCE_NOTE.0.len()..].to_owned();
        let rest = head[..at].to_owned();
        if !note.is_empty() {
            return ((!rest.is_empty()).then_some(rest), Some(note));
        }
    }
    (Some(explain.clone()), None)
}

fn answer(card: &Card) -> String {
    match &card.body {
        Body::Qa { answer, .. } => answer.clone(),
        Body::Fill { parts } => fill::blank_answers(parts).join("；"),
        Body::Choice { answer, .. } => option_letter(*answer).to_string(),
        Body::Multi { answers, .. } => answers.iter().map(|&i| option_letter(i)).collect(),
        Body::Judge { answer } => if *answer { "正确" } else { "错误" }.to_owned(),
        Body::List { items, .. } => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let mut forms = vec![item.text.as_str()];
                forms.extend(item.accept.iter().map(String::as_str));
                format!("{}. {}", i + 1, forms.join("|"))
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Text a spreadsheet would run as a formula (`= + - @`, or a leading tab
/// or carriage return) gets a leading `'`; `import` drops it again.
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// One deck as CSV: UTF-8 with BOM, CRLF line ends, quoted where needed.
pub fn csv(deck: &Deck) -> Result<Vec<u8>, BankError> {
    let (header, rows) = table(deck);
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let fail = |e: csv::Error| BankError::Xlsx(e.to_string());
    writer
        .write_record(header.iter().map(|(_, h)| h.as_str()))
        .map_err(fail)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|c| safe_cell(c)))
            .map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| BankError::Xlsx(e.to_string()))
}

/// Decks as an xlsx workbook, one sheet per deck: header row bold and
/// frozen, text format on every column (so an answer “1” stays text),
/// widths to fit CJK text, long text wrapped.
pub fn xlsx(decks: &[&Deck]) -> Result<Vec<u8>, BankError> {
    let fail = |e: rust_xlsxwriter::XlsxError| BankError::Xlsx(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_num_format("@");
    let text = Format::new()
        .set_num_format("@")
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let mut names: Vec<String> = Vec::new();
    for deck in decks {
        let (header, rows) = table(deck);
        let sheet = book.add_worksheet();
        let name = sheet_name(&deck.title, &names);
        sheet.set_name(&name).map_err(fail)?;
        names.push(name);
        for (col, (column, title)) in header.iter().enumerate() {
            let col = col as u16;
            sheet.set_column_format(col, &text).map_err(fail)?;
            sheet.set_column_width(col, width(*column)).map_err(fail)?;
            sheet
                .write_string_with_format(0, col, title, &bold)
                .map_err(fail)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (col, value) in row.iter().enumerate() {
                if !value.is_empty() {
                    sheet
                        .write_string_with_format(r as u32 + 1, col as u16, value, &text)
                        .map_err(fail)?;
                }
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
    }
    // Which deck each sheet is, so `import` gives the whole deck back.
    let info = book.add_worksheet();
    info.set_name(INFO_SHEET).map_err(fail)?;
    for (col, title) in INFO_HEADER.iter().enumerate() {
        let col = col as u16;
        info.set_column_format(col, &text).map_err(fail)?;
        info.set_column_width(col, if col == 3 { 50.0 } else { 20.0 })
            .map_err(fail)?;
        info.write_string_with_format(0, col, *title, &bold)
            .map_err(fail)?;
    }
    for (r, (deck, name)) in decks.iter().zip(&names).enumerate() {
        let values = [
            name.as_str(),
            &deck.id,
            &deck.title,
            deck.description.as_deref().unwrap_or(""),
            &deck.tags.join("，"),
        ];
        for (col, value) in values.iter().enumerate() {
            info.write_string_with_format(r as u32 + 1, col as u16, *value, &text)
                .map_err(fail)?;
        }
    }
    info.set_freeze_panes(1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

/// Column widths in Excel character units (a CJK character is about 2).
fn width(column: Column) -> f64 {
    match column {
        Column::Id => 24.0,
        Column::Kind => 9.0,
        Column::Prompt => 50.0,
        Column::Option(_) => 18.0,
        Column::Answer => 16.0,
        Column::Accept | Column::Explain | Column::Quote => 36.0,
        Column::Source => 20.0,
        Column::Tags | Column::Ignored => 14.0,
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`,
/// unique in the workbook.
fn sheet_name(title: &str, taken: &[String]) -> String {
    let clean: String = title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control())
        .take(28)
        .collect();
    let base = clean.trim_matches('\'').trim().to_owned();
    let base = if base.is_empty() {
        "题库".to_owned()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}
