//! The column layout shared by import and export: which header words mean
//! which column, and the header row dangke writes. Keeping both in one
//! place is what makes a bank round-trip.

use unicode_normalization::UnicodeNormalization;

/// What a column of a bank holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// The card id (`编号`), kept so re-imports keep progress.
    Id,
    Kind,
    Prompt,
    /// Option A is 0.
    Option(usize),
    Answer,
    /// Other accepted answers of a 简答 question, one a line.
    Accept,
    Explain,
    /// The document (`003 标题`, or any name).
    Source,
    /// Verbatim passages of the document, one a line.
    Quote,
    Tags,
    /// Read and ignored, with a note (`难度`).
    Ignored,
}

/// Header words, tried in this order on the normalized header text: the
/// more specific words come first (“答案解析” is an explanation, “题目类型”
/// a kind, “可接受答案” not the answer).
const WORDS: &[(Column, &[&str])] = &[
    (
        Column::Ignored,
        &["难度", "difficulty", "分值", "score", "题号", "序号", "no."],
    ),
    (Column::Kind, &["题型", "题目类型", "类型", "type", "kind"]),
    (
        Column::Explain,
        &["解析", "解释", "说明", "explanation", "explain", "analysis"],
    ),
    (
        Column::Accept,
        &["可接受", "其他答案", "accept", "alternative"],
    ),
    (Column::Quote, &["原文", "引文", "quote", "passage"]),
    (
        Column::Source,
        &["出处", "来源", "依据", "source", "reference"],
    ),
    (Column::Tags, &["标签", "分类", "知识点", "tag", "category"]),
    (Column::Answer, &["答案", "answer", "key", "correct"]),
    (
        Column::Prompt,
        &[
            "题干", "题目", "试题", "问题", "题面", "question", "stem", "prompt",
        ],
    ),
    (Column::Id, &["编号", "id"]),
];

/// Header text as compared: full-width letters and digits folded
/// (Ａ → A), spaces and punctuation-like decoration dropped, lower case.
pub fn normalize_header(text: &str) -> String {
    text.nfkc()
        .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '*' | '(' | ')' | '[' | ']'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column a header cell names, if any.
pub fn column_of(header: &str) -> Option<Column> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    if let Some(i) = option_letter(&h) {
        return Some(Column::Option(i));
    }
    WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| h.contains(w)))
        .map(|(c, _)| *c)
}

/// `选项A`, `A`, `A选项`, `optionb`, `选项ａ` → the option index.
fn option_letter(h: &str) -> Option<usize> {
    let rest = ["选项", "option", "choice"]
        .iter()
        .fold(h.to_owned(), |acc, w| acc.replace(w, ""));
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_lowercase() && h.len() <= 16 => {
            Some(usize::from(c as u8 - b'a'))
        }
        _ => None,
    }
}

/// The sheet of a workbook that says which deck each question sheet is:
/// written by `export`, read by `import` when present.
pub const INFO_SHEET: &str = "卡组信息";
/// Its columns: the question sheet's name, then the deck's keys.
pub const INFO_HEADER: [&str; 5] = ["工作表", "卡组 id", "标题", "说明", "标签"];

/// The header row dangke writes, with `options` option columns.
pub fn export_header(options: usize) -> Vec<(Column, String)> {
    let mut out = vec![
        (Column::Id, "编号".to_owned()),
        (Column::Kind, "题型".to_owned()),
        (Column::Prompt, "题干".to_owned()),
    ];
    for i in 0..options {
        out.push((
            Column::Option(i),
            format!("选项{}", crate::deck::option_letter(i)),
        ));
    }
    out.extend([
        (Column::Answer, "答案".to_owned()),
        (Column::Accept, "可接受答案".to_owned()),
        (Column::Explain, "解析".to_owned()),
        (Column::Source, "出处".to_owned()),
        (Column::Quote, "原文".to_owned()),
        (Column::Tags, "标签".to_owned()),
    ]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_chinese_and_english_headers() {
        let cases = [
            ("题型", Column::Kind),
            ("题目类型", Column::Kind),
            ("Type", Column::Kind),
            ("题干内容", Column::Prompt),
            ("试题", Column::Prompt),
            ("Question", Column::Prompt),
            ("选项A", Column::Option(0)),
            ("选项Ｂ", Column::Option(1)),
            (" C ", Column::Option(2)),
            ("Option D", Column::Option(3)),
            ("F选项", Column::Option(5)),
            ("正确答案", Column::Answer),
            ("参考答案", Column::Answer),
            ("Answer", Column::Answer),
            ("答案解析", Column::Explain),
            ("可接受答案", Column::Accept),
            ("来源", Column::Source),
            ("依据", Column::Source),
            ("原文", Column::Quote),
            ("知识点", Column::Tags),
            ("分类", Column::Tags),
            ("难度", Column::Ignored),
            ("题号", Column::Ignored),
            ("编号", Column::Id),
        ];
        for (header, column) in cases {
            assert_eq!(column_of(header), Some(column), "{header}");
        }
        assert_eq!(column_of(""), None);
        assert_eq!(column_of("备注"), None);
    }

    #[test]
    fn the_export_header_reads_back_as_itself() {
        for (column, text) in export_header(6) {
            assert_eq!(column_of(&text), Some(column), "{text}");
        }
    }
}
