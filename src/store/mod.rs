//! The progress database: SQLite through `rusqlite`, WAL journal, a busy
//! timeout so concurrent dangke processes wait for each other, versioned
//! migrations, and a refusal to touch any file that is not ours. Every
//! rated answer is its own transaction, committed before the next card.

mod contests;
mod progress;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use thiserror::Error;

pub use contests::{ContestRow, TeamRow};
pub use progress::{CardRow, LearnerRow, NewReview, ReviewRow};

/// `PRAGMA application_id` of a dangke database ("dgke").
pub const APPLICATION_ID: i32 = 0x6467_6b65;

/// Migrations, in order; the schema version is how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_mode_index.sql"),
    include_str!("migrations/003_contests.sql"),
    include_str!("migrations/005_lean_indexes.sql"),
];

/// How long a writer waits for another process's transaction.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("“{}”不是 dangke 的进度数据库，未做任何修改（请用 --db 指定另一个文件）", .0.display())]
    Foreign(PathBuf),
    #[error("进度数据库“{}”来自更新版本的 dangke（数据库版本 {found}，本程序支持到 {supported}），请升级 dangke", .path.display())]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("“{}”是一个目录，请用 --db 指定数据库文件（如 {}/progress.db）", .0.display(), .0.display())]
    IsDirectory(PathBuf),
    #[error("无法创建目录“{}”：{}", .0.display(), crate::diag::io_reason(.1))]
    CreateDir(PathBuf, std::io::Error),
    #[error("数据库错误：{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("数据库中的数据无效：{0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`. A file that is
    /// not a dangke database is refused before anything is written to it.
    pub fn open(path: &Path) -> Result<Store> {
        if path.is_dir() {
            return Err(StoreError::IsDirectory(path.to_owned()));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| StoreError::CreateDir(parent.to_owned(), e))?;
        }
        let existing = std::fs::metadata(path)
            .map(|m| m.len() > 0)
            .unwrap_or(false);
        if existing {
            Self::inspect(path)?;
        }
        let conn = Connection::open(path)?;
        let mut store = Store {
            conn,
            path: Some(path.to_owned()),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// A private in-memory database, for tests and rehearsals.
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            conn: Connection::open_in_memory()?,
            path: None,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Looks at an existing file read-only: it must be SQLite, and either
    /// ours (application id) or completely empty of tables.
    fn inspect(path: &Path) -> Result<()> {
        let foreign = || StoreError::Foreign(path.to_owned());
        let mut header = [0u8; 16];
        let read = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut header))
            .map_err(|_| foreign())?;
        if read < 16 || &header != b"SQLite format 3\0" {
            return Err(foreign());
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|_| foreign())?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let app_id: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|_| foreign())?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|_| foreign())?;
        if app_id == APPLICATION_ID || (app_id == 0 && tables == 0) {
            Ok(())
        } else {
            Err(foreign())
        }
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers and one writer work at once; FULL makes each
        // commit durable (fsync of the WAL), not just crash-safe.
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
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

    /// Runs every migration the file has not seen, each in a transaction.
    fn migrate(&mut self) -> Result<()> {
        let supported = MIGRATIONS.len() as i64;
        // Up to date: nothing to write, so no transaction and no fsync.
        let current = |conn: &Connection| -> rusqlite::Result<bool> {
            let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
            Ok(version == supported && app_id == APPLICATION_ID)
        };
        if current(&self.conn)? {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > supported {
            return Err(StoreError::TooNew {
                path: self.path.clone().unwrap_or_default(),
                found: version,
                supported,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: an empty list means the file is sound.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let problems: Vec<String> = rows.collect::<Result<_, _>>()?;
        Ok(problems.into_iter().filter(|p| p != "ok").collect())
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
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
