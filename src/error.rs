//! Typed errors and the exit codes they map to, kept in one place so every
//! command fails the same way and scripts can rely on the numbers.

use std::path::PathBuf;

use thiserror::Error;

use crate::diag::Report;

/// The process exit codes dangke promises. They never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Ok = 0,
    /// A user-facing failure: a bad deck, a card that does not exist, a
    /// file that cannot be read.
    Failure = 1,
    /// The command line itself was wrong.
    Usage = 2,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}

/// Every error dangke reports to a user. Messages are Simplified Chinese
/// because they are printed as they are.
#[derive(Debug, Error)]
pub enum Error {
    /// The command line was understood but does not make sense.
    #[error("{0}")]
    Usage(String),

    /// Loading decks found errors; the report holds every diagnostic.
    #[error("卡组有错误（共 {} 处），请修正后再试；可用 `dangke check` 查看。", .0.error_count())]
    Decks(Report),

    /// The contest file has errors; the report holds every diagnostic.
    #[error("竞赛文件有错误（共 {} 处），请修正后再试；可用 `dangke check 竞赛文件` 查看。", .0.error_count())]
    ContestFile(Report),

    /// The paper plan has errors; the report holds every diagnostic.
    #[error("试卷方案有错误（共 {} 处），请修正后再试；可用 `dangke check 方案文件` 查看。", .0.error_count())]
    PaperPlan(Report),

    /// An exam paper could not be made (no browser for a PDF, …).
    #[error("{0}")]
    Paper(String),
    /// The live quiz file has errors; the report holds every diagnostic.
    #[error("现场答题文件有错误（共 {} 处），请修正后再试；可用 `dangke check 文件` 查看。", .0.error_count())]
    LiveFile(Report),

    /// The settings file (`config.toml`) cannot be read or is wrong.
    #[error("{0}")]
    Settings(String),

    /// A deck or card named on the command line does not exist.
    #[error("{0}")]
    NotFound(String),

    /// A question bank could not be imported or exported.
    #[error("{0}")]
    Bank(#[from] crate::bank::BankError),

    /// Reading or writing a file failed.
    #[error("无法{action}“{}”：{}", path.display(), crate::diag::io_reason(source))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The progress database could not be used.
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),

    /// The scheduler could not be built (bad stored parameters).
    #[error("{0}")]
    Schedule(#[from] crate::schedule::ScheduleError),

    /// The embedded fact inventory is broken (a build of dangke with a bad
    /// `inventory/*.toml`; the tests parse them, so users never see this).
    #[error("内置知识点清单有错误：{0}")]
    Inventory(#[from] crate::deck::inventory::InventoryError),

    /// An Anki package could not be written.
    #[error("{0}")]
    Anki(#[from] crate::anki::AnkiError),

    /// Writing to the terminal failed (for example a closed pipe).
    #[error("输出失败：{}", crate::diag::io_reason(.0))]
    Output(#[from] std::io::Error),
}

impl Error {
    /// The exit code this error ends the process with.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Usage(_) | Error::NotFound(_) => Exit::Usage,
            Error::Decks(_)
            | Error::Bank(_)
            | Error::ContestFile(_)
            | Error::PaperPlan(_)
            | Error::Paper(_)
            | Error::LiveFile(_)
            | Error::Settings(_)
            | Error::Io { .. }
            | Error::Output(_)
            | Error::Store(_)
            | Error::Schedule(_)
            | Error::Inventory(_)
            | Error::Anki(_) => Exit::Failure,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
