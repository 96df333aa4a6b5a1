//! The progress database: SQLite through `rusqlite`, WAL journal, versioned
//! migrations, and a refusal to touch any file that is not ours. Opening
//! tells apart a missing, interrupted, damaged, foreign, read-only or
//! newer file (see `open`); commands that only read open without writing.
//! Every rated answer is its own transaction, committed before the next
//! card; a write that finds the database locked waits and retries.

mod backup;
mod briefs;
mod contests;
mod errors;
mod live;
mod open;
mod progress;
mod snapshot;
mod sums;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use thiserror::Error;

pub use backup::{
    BackupInfo, CheckReport, check, newest_good, restore, restore_command, shell_arg,
};
pub use briefs::{Brief, BriefList, Places, place_briefs};
pub use contests::{ContestRow, Replay, TeamRow};
pub use errors::describe;
pub use live::{LiveEvent, LiveReplay, LiveRow};
pub use progress::{CardRow, LearnerRow, NewReview, Recorded, ReviewRow};
pub use sums::{SLOT, SlotSums};

/// `PRAGMA application_id` of a dangke database ("dgke").
pub const APPLICATION_ID: i32 = 0x6467_6b65;

/// Migrations, in order; the schema version is how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_mode_index.sql"),
    include_str!("migrations/003_contests.sql"),
    include_str!("migrations/004_lean_indexes.sql"),
    include_str!("migrations/005_marks_and_seen_decks.sql"),
    include_str!("migrations/006_contest_resume.sql"),
    include_str!("migrations/007_contest_hosts.sql"),
    include_str!("migrations/008_live.sql"),
    include_str!("migrations/009_review_sums.sql"),
    include_str!("migrations/010_state_changes.sql"),
];

/// The tables a complete dangke database has.
const TABLES: &[&str] = &[
    "learners",
    "card_states",
    "sessions",
    "reviews",
    "contests",
    "contest_teams",
    "contest_actions",
];

/// How long one attempt waits for another process's transaction before
/// the wait hook is told (and asked whether to go on waiting).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// Attempts a write makes when no wait hook is set (about 30 seconds).
const ATTEMPTS_WITHOUT_HOOK: u32 = 10;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("“{}”是别的程序的 SQLite 数据库，不是 dangke 的进度数据库，未做任何修改（请用 --db 指定另一个文件）", .0.display())]
    Foreign(PathBuf),
    #[error("“{}”不是 SQLite 数据库文件（文件头不对），未做任何修改：如果它原本是 dangke 的进度数据库，说明文件已损坏，请运行 dangke db check --db {} 查看可用的备份；否则请用 --db 指定另一个文件", .0.display(), backup::shell_arg(.0))]
    NotSqlite(PathBuf),
    #[error("进度数据库“{}”已损坏（{detail}），未做任何修改。{}", .path.display(), backup::advice(.path, .backup.as_deref()))]
    Damaged {
        path: PathBuf,
        detail: String,
        backup: Option<PathBuf>,
    },
    #[error("进度数据库“{}”来自更新版本的 dangke（数据库版本 {found}，本程序支持到 {supported}），未做任何修改，请升级 dangke", .path.display())]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("进度数据库“{}”的版本号无效（{found}），未做任何修改：文件可能已损坏，请运行 dangke db check", .path.display())]
    BadVersion { path: PathBuf, found: i64 },
    #[error("“{}”是一个目录，请用 --db 指定数据库文件（如 {}/progress.db）", .0.display(), .0.display())]
    IsDirectory(PathBuf),
    #[error("无法创建目录“{}”：{}", .0.display(), crate::diag::io_reason(.1))]
    CreateDir(PathBuf, std::io::Error),
    #[error("进度数据库“{}”不存在（还没有学习记录，或 --db 路径写错了）", .0.display())]
    Missing(PathBuf),
    #[error("进度数据库“{}”还是空的（上次创建时被中断）：运行 dangke 学习时会自动修复", .0.display())]
    Unfinished(PathBuf),
    #[error("进度数据库“{}”在只读的位置（{}），不能记录进度：请用 --db 指定一个可写的文件；stats、learners 等只读命令仍可使用", .path.display(), .reason)]
    ReadOnly { path: PathBuf, reason: String },
    #[error("无法{action}“{}”：{}", .path.display(), crate::diag::io_reason(.source))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("进度数据库“{}”的日志文件（-wal）在另一个 dangke 还在使用时被删除了，未做任何修改：请先关闭其他 dangke 窗口（它们退出时会把进度写回数据库），再重试", .0.display())]
    WalDeleted(PathBuf),
    #[error("数据库正被另一个程序占用，已放弃等待：请关闭其他正在使用它的 dangke 窗口或程序后重试")]
    GaveUpWaiting,
    #[error("{}", errors::describe(.0))]
    Sqlite(#[from] rusqlite::Error),
    #[error("数据库中的数据无效：{0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Called when a write has waited [`BUSY_TIMEOUT`] for the lock another
/// process holds, with the number of attempts so far; returns whether to
/// keep waiting. The REPL shows “等待数据库…” here and lets the person quit.
pub type WaitHook = Box<dyn FnMut(u32) -> bool + Send>;

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    read_only: bool,
    wait: Option<WaitHook>,
    /// Study sessions started, by handle (see `start_session`).
    sessions: std::collections::HashMap<i64, progress::SessionRef>,
    /// The study day whose backup is made after the first write.
    backup_day: Option<jiff::civil::Date>,
    /// The day's backup being made; finished before the store closes.
    backup_thread: Option<std::thread::JoinHandle<()>>,
    /// User decks to remember (id, file, time), written with the next
    /// write (see `note_decks`): a start that answers nothing writes nothing.
    pending_decks: Vec<(String, String, i64)>,
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(thread) = self.backup_thread.take() {
            let _ = thread.join();
        }
    }
}

impl Store {
    /// A private in-memory database, for tests and rehearsals.
    /// A store around an open connection, nothing configured yet.
    fn wrap(conn: Connection, path: Option<&std::path::Path>, read_only: bool) -> Store {
        Store {
            conn,
            path: path.map(ToOwned::to_owned),
            read_only,
            wait: None,
            sessions: Default::default(),
            backup_day: None,
            backup_thread: None,
            pending_decks: Vec::new(),
        }
    }

    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store::wrap(Connection::open_in_memory()?, None, false);
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Sets what a write does while another process holds the lock.
    pub fn set_wait_hook(&mut self, hook: WaitHook) {
        self.wait = Some(hook);
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers and one writer work at once; FULL makes each
        // commit durable (fsync of the WAL), not just crash-safe. Setting
        // a mode the file already has writes nothing.
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // Set on purpose: no memory map (pages of a mapped file count in
        // the process's memory, and `stats` over a 1M-review log would
        // touch a hundred MB of them) and a page cache of at most 8 MB
        // (SQLite's default is 2 MB): enough for the card states and the
        // review index's upper levels, which a session reads again on
        // every commit.
        self.conn.pragma_update(None, "mmap_size", 0)?;
        self.conn.pragma_update(None, "cache_size", -8 * 1024)?;
        self.conn.set_prepared_statement_cache_capacity(32);
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Runs every migration the file has not seen, in one transaction;
    /// a file that is up to date is not written to.
    fn migrate(&mut self) -> Result<()> {
        let supported = MIGRATIONS.len() as i64;
        if self.schema_version()? == supported {
            return Ok(());
        }
        let path = self.path.clone().unwrap_or_default();
        self.write(|tx| {
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version > supported {
                return Err(StoreError::TooNew {
                    path: path.clone(),
                    found: version,
                    supported,
                });
            }
            let from = usize::try_from(version).map_err(|_| StoreError::BadVersion {
                path: path.clone(),
                found: version,
            })?;
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(from) {
                tx.execute_batch(sql)?;
                tx.pragma_update(None, "user_version", i as i64 + 1)?;
            }
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            Ok(())
        })
    }

    /// Runs `f` in an immediate (write) transaction and commits it. When
    /// another process holds the lock, waits and tries again, asking the
    /// wait hook after each [`BUSY_TIMEOUT`]; without a hook it gives up
    /// after about 30 seconds.
    pub(crate) fn write<T>(
        &mut self,
        mut f: impl FnMut(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut attempts = 0;
        loop {
            let outcome = (|| {
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                let value = f(&tx)?;
                progress::write_seen_decks(&tx, &self.pending_decks)?;
                tx.commit()?;
                Ok(value)
            })();
            match outcome {
                Err(StoreError::Sqlite(e)) if errors::is_busy(&e) => {
                    attempts += 1;
                    let go_on = match &mut self.wait {
                        Some(hook) => hook(attempts),
                        None => attempts < ATTEMPTS_WITHOUT_HOOK,
                    };
                    if !go_on {
                        return Err(if self.wait.is_some() {
                            StoreError::GaveUpWaiting
                        } else {
                            StoreError::Sqlite(e)
                        });
                    }
                }
                Ok(value) => {
                    self.pending_decks.clear();
                    if let Some(day) = self.backup_day.take() {
                        self.daily_backup_in_background(day);
                    }
                    return Ok(value);
                }
                Err(StoreError::Sqlite(e)) if errors::is_damage(&e) => {
                    // Found damaged while writing: no later session writes
                    // into this file until it is checked or restored.
                    if let Some(path) = &self.path {
                        backup::mark_damaged(path, &errors::describe(&e));
                    }
                    return Err(StoreError::Sqlite(e));
                }
                other => return other,
            }
        }
    }

    /// Whether this store was opened only to read.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The database file, if not in memory.
    pub fn file(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`, and every table a
    /// dangke database must have: an empty list means the file is sound.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check(1000)")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let present = self.tables()?;
        for table in TABLES {
            if !present.iter().any(|t| t == table) {
                problems.push(format!("缺少数据表 {table}"));
            }
        }
        if problems.is_empty() {
            let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
            let rows = stmt.query_map([], |r| {
                Ok(format!(
                    "表 {} 第 {} 行引用了不存在的 {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                    r.get::<_, String>(2)?
                ))
            })?;
            for row in rows {
                problems.push(row?);
            }
        }
        Ok(problems)
    }

    /// The names of the tables in the file.
    pub(crate) fn tables(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A single value, or None.
    pub(crate) fn one<T: rusqlite::types::FromSql>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Option<T>> {
        Ok(self.conn.query_row(sql, params, |r| r.get(0)).optional()?)
    }
}

/// The default database file: `<data dir>/dangke/progress.db`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "dangke").map(|dirs| dirs.data_dir().join("progress.db"))
}

#[cfg(test)]
mod tests;
