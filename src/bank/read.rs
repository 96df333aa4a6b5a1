//! Reading a bank file into rows of text cells, each with the row number a
//! person sees in Excel: spreadsheets through `calamine`, CSV through the
//! `csv` crate after guessing the encoding (UTF-8 with or without BOM,
//! UTF-16 with BOM, otherwise GB18030, which covers GBK: what Excel in
//! China saves).

use std::io::Cursor;

use calamine::{Data, Reader};

use super::BankError;

/// One row of a sheet: its Excel row number (1-based) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

impl Row {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// One sheet of a workbook (a CSV file is one sheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
}

/// Which reader a file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Spreadsheet,
    Csv,
}

impl FileKind {
    /// By extension; anything not a spreadsheet is read as CSV/TSV.
    pub fn of(path: &str) -> FileKind {
        let lower = path.to_lowercase();
        if [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            FileKind::Spreadsheet
        } else {
            FileKind::Csv
        }
    }
}

/// Every sheet of a bank file.
pub fn sheets(path: &str, bytes: Vec<u8>) -> Result<Vec<Sheet>, BankError> {
    match FileKind::of(path) {
        FileKind::Spreadsheet => spreadsheet(path, bytes),
        FileKind::Csv => Ok(vec![Sheet {
            name: String::new(),
            rows: csv_rows(path, &bytes)?,
        }]),
    }
}

fn unreadable(path: &str, reason: impl Into<String>) -> BankError {
    BankError::Unreadable {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

fn spreadsheet(path: &str, bytes: Vec<u8>) -> Result<Vec<Sheet>, BankError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        unreadable(
            path,
            format!(
                "不是有效的 Excel/ODS 文件（{}）",
                crate::term::sanitize_line(&e.to_string())
            ),
        )
    })?;
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| unreadable(path, format!("工作表“{name}”无法读取（{e}）")))?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let mut texts = vec![String::new(); left as usize];
                texts.extend(cells.iter().map(cell_text));
                Row {
                    number: top as usize + i + 1,
                    cells: texts,
                }
            })
            .collect();
        out.push(Sheet { name, rows });
    }
    Ok(out)
}

/// A cell as the text a person sees: whole numbers without “.0”.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Bool(true) => "TRUE".to_owned(),
        Data::Bool(false) => "FALSE".to_owned(),
        Data::Error(_) | Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Decodes CSV bytes: a BOM decides; valid UTF-8 is UTF-8; anything else is
/// GB18030 (a superset of GBK and GB2312).
pub fn decode(path: &str, bytes: &[u8]) -> Result<String, BankError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(str::to_owned)
            .map_err(|_| unreadable(path, "文件开头标明是 UTF-8，但内容不是有效的 UTF-8"));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        if bad {
            return Err(unreadable(path, "UTF-16 编码的内容有无效字节"));
        }
        return Ok(text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| t.into_owned())
        .ok_or_else(|| {
            unreadable(
                path,
                "编码无法识别：既不是 UTF-8，也不是 GBK/GB18030；请在 Excel 中另存为“CSV UTF-8”",
            )
        })
}

/// The rows of a CSV (or tab-separated) file, numbered as Excel shows
/// them: blank lines count as rows, a quoted line break does not.
pub fn csv_rows(path: &str, bytes: &[u8]) -> Result<Vec<Row>, BankError> {
    let text = decode(path, bytes)?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches('\t').count() > first_line.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut previous = 0;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let at = e
                .position()
                .map(|p| format!("第 {} 行附近：", p.line()))
                .unwrap_or_default();
            unreadable(path, format!("{at}CSV 格式有误（{e}）"))
        })?;
        // A record's position is where the reader started looking for it,
        // before the blank lines it skipped; Excel shows those as rows.
        let from = record.position().map_or(0, |p| p.byte() as usize);
        let mut rest = text.get(from..).unwrap_or("");
        // The reader may stop between the \r and \n of the last line end.
        if from > 0 && text.as_bytes().get(from - 1) == Some(&b'\r') {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        }
        let skipped = rest
            .bytes()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .filter(|&b| b == b'\n')
            .count();
        let number = previous + 1 + skipped;
        previous = number;
        rows.push(Row {
            number,
            cells: record.iter().map(|c| c.replace("\r\n", "\n")).collect(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A number cell reads as a person sees it: a whole number without
    /// “.0”, and one too large for an exact integer as the number itself
    /// (not clamped to i64).
    #[test]
    fn number_cells_read_as_shown() {
        assert_eq!(cell_text(&Data::Float(2.0)), "2");
        assert_eq!(cell_text(&Data::Float(-15.0)), "-15");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Float(1e20)), "100000000000000000000");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    #[test]
    fn decodes_utf8_bom_and_gbk() {
        assert_eq!(decode("x", "\u{feff}题干".as_bytes()).unwrap(), "题干");
        assert_eq!(decode("x", "题干".as_bytes()).unwrap(), "题干");
        let (gbk, _, _) = encoding_rs::GBK.encode("党的根本宗旨，答案");
        assert_eq!(decode("x", &gbk).unwrap(), "党的根本宗旨，答案");
        let err = decode("x", b"\xEF\xBB\xBF\xFF\xFE").unwrap_err();
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }

    #[test]
    fn csv_rows_are_numbered_as_excel_shows_them() {
        let text = "\r\n题干,答案\r\n\r\n\"一\r\n二\",A\r\n三,B\r\n\r\n\r\n四,C\r\n";
        let rows = csv_rows("x", text.as_bytes()).unwrap();
        let numbers: Vec<usize> = rows.iter().map(|r| r.number).collect();
        // A blank row 1, the header on row 2, a blank row 3, a cell with a
        // line break on row 4, two blank rows before row 8.
        assert_eq!(numbers, vec![2, 4, 5, 8]);
        let unix = text.replace("\r\n", "\n");
        let rows = csv_rows("x", unix.as_bytes()).unwrap();
        let numbers: Vec<usize> = rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![2, 4, 5, 8]);
        assert_eq!(rows[1].cells, vec!["一\n二", "A"]);
    }

    #[test]
    fn utf16_unicode_text_is_read() {
        // What Excel saves as “Unicode 文本”: UTF-16LE with BOM, tabs.
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "题干\t答案\r\n问\t对\r\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let rows = csv_rows("x.txt", &bytes).unwrap();
        assert_eq!(rows[1].cells, vec!["问", "对"]);
    }

    #[test]
    fn tab_separated_files_are_read() {
        let rows = csv_rows("x", "题干\t答案\n问\t对\n".as_bytes()).unwrap();
        assert_eq!(rows[1].cells, vec!["问", "对"]);
    }

    #[test]
    fn spreadsheet_kind_by_extension() {
        assert_eq!(FileKind::of("题库.XLSX"), FileKind::Spreadsheet);
        assert_eq!(FileKind::of("题库.csv"), FileKind::Csv);
    }
}
