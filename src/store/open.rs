//! Opening the progress file. Each state a file can be in is told apart
//! and answered truthfully: missing (created atomically: built under a
//! temporary name and linked into place, so a killed first run leaves no
//! half-made file and many processes starting at once agree on one);
//! left empty by an interrupted creation (finished in place); damaged;
//! another program's; from a newer dangke; or in a read-only place. Commands
//! that only read open without creating or writing anything.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{APPLICATION_ID, MIGRATIONS, Result, Store, StoreError, errors};

/// What a file turned out to be.
enum Kind {
    Missing,
    /// No data yet: a 0-byte file, or SQLite with no tables and no id
    /// (a first run killed while creating it).
    Unfinished,
    Ours,
}

/// How much of the file's header says about it.
fn header_kind(path: &Path) -> Result<Option<Kind>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Some(Kind::Missing)),
        Err(e) => {
            return Err(StoreError::Io {
                action: "读取",
                path: path.to_owned(),
                source: e,
            });
        }
    };
    if meta.is_dir() {
        return Err(StoreError::IsDirectory(path.to_owned()));
    }
    if meta.len() == 0 {
        return Ok(Some(Kind::Unfinished));
    }
    let mut header = Vec::with_capacity(100);
    std::fs::File::open(path)
        .and_then(|f| f.take(100).read_to_end(&mut header))
        .map_err(|e| StoreError::Io {
            action: "读取",
            path: path.to_owned(),
            source: e,
        })?;
    if header.iter().all(|&b| b == 0) {
        return Err(damaged(path, "文件内容全是零"));
    }
    if header.len() < 16 || &header[..16] != b"SQLite format 3\0" {
        return Err(StoreError::NotSqlite(path.to_owned()));
    }
    if header.len() < 100 {
        return Err(damaged(path, "文件被截断"));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    // The in-header size is valid when its change counter matches. A WAL
    // or journal may still complete the file (a checkpoint writes page 1
    // first), so only a file with neither is judged by its size.
    let valid = header[24..28] == header[92..96];
    let pending = ["-wal", "-journal"].iter().any(|suffix| {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        std::fs::metadata(PathBuf::from(s)).is_ok_and(|m| m.len() > 0)
    });
    if meta.len() < page_size || (valid && !pending && pages * page_size > meta.len()) {
        return Err(damaged(path, "文件被截断"));
    }
    Ok(None)
}

fn damaged(path: &Path, detail: &str) -> StoreError {
    StoreError::Damaged {
        path: path.to_owned(),
        detail: detail.to_owned(),
        backup: super::backup::newest_good(path),
    }
}

/// Maps an error met while looking inside the file.
fn inspect_error(path: &Path, e: rusqlite::Error) -> StoreError {
    if errors::is_damage(&e) {
        damaged(path, &errors::describe(&e))
    } else {
        StoreError::Sqlite(e)
    }
}

/// Whether the WAL index is there but the WAL is not: someone deleted the
/// -wal while a dangke session had it open.
fn wal_deleted(path: &Path) -> bool {
    let sibling = |suffix: &str| {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s).exists()
    };
    !sibling("-wal") && sibling("-shm")
}

/// After the -wal was found deleted, reads every page once: pages the WAL
/// index still points into the lost WAL fail here, not in the middle of a
/// command.
fn check_after_wal_loss(conn: &Connection, path: &Path, wal_gone: bool) -> Result<()> {
    if wal_gone {
        let verdict = conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get::<_, String>(0))
            .map_err(|e| explain_io(path, wal_gone, inspect_error(path, e)))?;
        if verdict != "ok" {
            return Err(StoreError::WalDeleted(path.to_owned()));
        }
    }
    Ok(())
}

/// An I/O error after the -wal was found deleted is that, not the disk.
fn explain_io(path: &Path, wal_gone: bool, e: StoreError) -> StoreError {
    match e {
        StoreError::Sqlite(e) if wal_gone && errors::is_io(&e) => {
            StoreError::WalDeleted(path.to_owned())
        }
        e => e,
    }
}

/// Reads the file's id, version and tables; refuses what is not ours.
fn probe(conn: &Connection, path: &Path) -> Result<Kind> {
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| inspect_error(path, e))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| inspect_error(path, e))?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(|e| inspect_error(path, e))?;
    let ours_by_tables = ["learners", "reviews", "card_states"]
        .iter()
        .all(|t| tables.iter().any(|x| x == t));
    if app_id == 0 && tables.is_empty() && version == 0 {
        return Ok(Kind::Unfinished);
    }
    if app_id != APPLICATION_ID && !(app_id == 0 && ours_by_tables) {
        return Err(StoreError::Foreign(path.to_owned()));
    }
    let supported = MIGRATIONS.len() as i64;
    if version < 0 {
        return Err(StoreError::BadVersion {
            path: path.to_owned(),
            found: version,
        });
    }
    if version > supported {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: version,
            supported,
        });
    }
    Ok(Kind::Ours)
}

fn open_flags(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    Ok(conn)
}

impl Store {
    /// Opens the database at `path` to read and write, creating it if it
    /// does not exist. A file that is not a dangke database, is damaged or
    /// comes from a newer dangke is refused before anything is written.
    pub fn open(path: &Path) -> Result<Store> {
        let kind = header_kind(path).inspect_err(|e| {
            if let StoreError::Damaged { detail, .. } = e {
                super::backup::mark_damaged(path, detail);
            }
        })?;
        if let Some(detail) = super::backup::damage_mark(path)
            && !matches!(kind, Some(Kind::Missing))
        {
            return Err(StoreError::Damaged {
                path: path.to_owned(),
                detail: format!("之前的检查发现：{}；不再写入", detail.trim()),
                backup: super::backup::newest_good(path),
            });
        }
        let wal_gone = wal_deleted(path);
        if matches!(kind, Some(Kind::Missing)) {
            create(path)?;
        }
        let conn = open_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(|e| {
            if errors::is_access(&e) {
                read_only(path, &e)
            } else {
                inspect_error(path, e)
            }
        })?;
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(StoreError::ReadOnly {
                path: path.to_owned(),
                reason: "文件只读".to_owned(),
            });
        }
        let kind = probe(&conn, path).map_err(|e| match e {
            StoreError::Sqlite(e) if errors::is_access(&e) => read_only(path, &e),
            e => explain_io(path, wal_gone, e),
        })?;
        check_after_wal_loss(&conn, path, wal_gone)?;
        let mut store = Store::wrap(conn, Some(path), false);
        if matches!(kind, Kind::Ours) && store.schema_version()? < MIGRATIONS.len() as i64 {
            super::backup::before_migration(&store)?;
        }
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database only to read: creates nothing, writes
    /// nothing (`query_only`), and works in a read-only folder.
    pub fn open_read(path: &Path) -> Result<Store> {
        match header_kind(path)? {
            Some(Kind::Missing) => return Err(StoreError::Missing(path.to_owned())),
            Some(Kind::Unfinished) => return Err(StoreError::Unfinished(path.to_owned())),
            _ => {}
        }
        let wal_gone = wal_deleted(path);
        let writable = std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly());
        let mut last = None;
        // Read-write without create lets SQLite finish a crashed commit
        // (roll back a hot journal, rebuild a WAL index); a read-only file
        // or folder is opened read-only, then as immutable (no -shm).
        let mut attempts: Vec<Box<dyn Fn() -> rusqlite::Result<Connection>>> = Vec::new();
        if writable {
            attempts.push(Box::new(|| {
                open_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            }));
        }
        attempts.push(Box::new(|| {
            open_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        }));
        attempts.push(Box::new(|| {
            open_flags(
                Path::new(&immutable_uri(path)),
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
            )
        }));
        for attempt in attempts {
            let conn = match attempt() {
                Ok(c) => c,
                Err(e) => {
                    last = Some(inspect_error(path, e));
                    continue;
                }
            };
            match probe(&conn, path) {
                Ok(Kind::Ours) => {
                    check_after_wal_loss(&conn, path, wal_gone)?;
                    conn.pragma_update(None, "query_only", true)?;
                    return Ok(Store::wrap(conn, Some(path), true));
                }
                Ok(_) => return Err(StoreError::Unfinished(path.to_owned())),
                Err(StoreError::Sqlite(e)) if errors::is_access(&e) => {
                    last = Some(StoreError::Sqlite(e));
                }
                Err(e) => return Err(explain_io(path, wal_gone, e)),
            }
        }
        Err(last.unwrap_or_else(|| StoreError::Missing(path.to_owned())))
    }
}

fn read_only(path: &Path, e: &rusqlite::Error) -> StoreError {
    StoreError::ReadOnly {
        path: path.to_owned(),
        reason: errors::describe(e),
    }
}

/// `file:` URI opening a file as immutable (percent-encoded path).
fn immutable_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let text = abs.to_string_lossy().replace('\\', "/");
    let mut uri = String::from(if text.starts_with('/') {
        "file:"
    } else {
        "file:/"
    });
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.:~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri + "?immutable=1"
}

/// Creates a new database atomically: built and checkpointed under a
/// temporary name in the same folder, then linked to `path` only if no
/// other process got there first.
fn create(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::CreateDir(parent.to_owned(), e))?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "progress.db".to_owned());
    let temp = path.with_file_name(format!(".{name}.creating-{}", std::process::id()));
    let cleanup = |p: &Path| {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut s = p.as_os_str().to_owned();
            s.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(s));
        }
    };
    cleanup(&temp);
    remove_stale_temporaries(path, &name);
    let built = (|| -> Result<()> {
        let conn = Connection::open(&temp).map_err(|e| match e {
            e if errors::is_access(&e) => read_only(path, &e),
            e => StoreError::Sqlite(e),
        })?;
        let mut store = Store::wrap(conn, Some(path), false);
        store.configure()?;
        store.migrate()?;
        store
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        drop(store);
        Ok(())
    })();
    if let Err(e) = built {
        cleanup(&temp);
        return Err(e);
    }
    let linked = match std::fs::hard_link(&temp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A file system without hard links: rename unless someone won.
        Err(_) if !path.exists() => std::fs::rename(&temp, path),
        Err(_) => Ok(()),
    };
    cleanup(&temp);
    linked.map_err(|e| StoreError::Io {
        action: "创建",
        path: path.to_owned(),
        source: e,
    })?;
    sync_dir(path);
    Ok(())
}

/// Removes what killed runs left behind: temporary files of a creation or
/// backup more than an hour old (a younger one may be in use).
fn remove_stale_temporaries(path: &Path, name: &str) {
    let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(d) => d.to_owned(),
        None => PathBuf::from("."),
    };
    let creating = format!(".{name}.creating-");
    let writing = format!(".{name}.backup-");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let n = entry.file_name().to_string_lossy().into_owned();
        if !(n.starts_with(&creating) || (n.starts_with(&writing) && n.contains(".writing-"))) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 3600);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Makes the new directory entry durable (Unix; Windows has no such call).
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(parent) = path.parent() {
        let dir = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(code: i32) -> StoreError {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            None,
        ))
    }

    /// A read that fails after the -wal was deleted is the lost WAL (the
    /// WAL index points into it), not a failing disk; any other error, or
    /// an I/O error with the -wal in place, is left as it is.
    #[test]
    fn an_io_error_after_the_wal_was_deleted_is_called_that() {
        let path = Path::new("/tmp/x/progress.db");
        let io = rusqlite::ffi::SQLITE_IOERR_SHORT_READ;
        assert!(matches!(
            explain_io(path, true, failure(io)),
            StoreError::WalDeleted(p) if p == path
        ));
        assert!(matches!(
            explain_io(path, false, failure(io)),
            StoreError::Sqlite(_)
        ));
        assert!(matches!(
            explain_io(path, true, failure(rusqlite::ffi::SQLITE_FULL)),
            StoreError::Sqlite(_)
        ));
    }
}
