//! Question banks in and out: the spreadsheet layout that exam software and
//! party branches keep their 题库 in (题型, 题干, 选项A…, 答案, 解析, 出处),
//! read from xlsx/xls/ods/CSV into decks and written back from decks. No
//! terminal I/O here: commands hand in bytes and get bytes or text back.

pub mod answers;
pub mod export;
pub mod import;
pub mod layout;
pub mod read;
pub mod rows;
pub mod write;

use thiserror::Error;

/// What can go wrong with a bank as a whole (bad rows are diagnostics).
#[derive(Debug, Error)]
pub enum BankError {
    /// The file could not be read as a spreadsheet or CSV.
    #[error("无法读取题库“{path}”：{reason}")]
    Unreadable { path: String, reason: String },
    /// No header row with a question column was found.
    #[error("题库“{path}”里没有找到表头（至少要有“题干”或“题目”一列）")]
    NoHeader { path: String },
    /// `--sheet` names a sheet the workbook does not have.
    #[error("题库“{path}”里没有工作表“{name}”（有：{names}）")]
    NoSheet {
        path: String,
        name: String,
        names: String,
    },
    /// Some rows could not be imported and `--partial` was not given.
    #[error("有 {count} 行无法导入，没有写入任何文件；修正后重试，或加 --partial 只导入其余的行")]
    BadRows { count: usize },
    /// No row could be imported at all.
    #[error("题库“{path}”里没有可以导入的题目")]
    Empty { path: String },
    /// The output file exists and `--force` was not given.
    #[error("文件“{path}”已存在；加 --force 覆盖")]
    Exists { path: String },
    /// A format or combination dangke cannot write (yet).
    #[error("{0}")]
    Unsupported(String),
    /// Writing a spreadsheet failed inside the writer.
    #[error("无法生成表格文件：{0}")]
    Xlsx(String),
}

#[cfg(test)]
mod tests;
