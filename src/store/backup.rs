//! Backups next to the database, made with SQLite's online backup API
//! (consistent even while another process writes): one before every
//! migration, one a day (the newest few kept), and on request; checking a
//! file and restoring one, always keeping the current file.

use std::path::{Path, PathBuf};

use super::{Result, Store, StoreError};

/// Daily backups kept; older ones are removed.
const DAILY_KEPT: usize = 3;

/// What `dangke db check` found.
#[derive(Debug)]
pub struct CheckReport {
    pub version: i64,
    pub problems: Vec<String>,
    /// The newest backup that passes the same check.
    pub good_backup: Option<PathBuf>,
}

/// A backup file next to the database.
#[derive(Debug, Clone)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub modified: std::time::SystemTime,
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "progress.db".to_owned())
}

/// `<file>.backup-<tag>`, next to the database.
fn backup_path(path: &Path, tag: &str) -> PathBuf {
    path.with_file_name(format!("{}.backup-{tag}", name_of(path)))
}

/// Every backup of `path`, newest first.
pub fn list(path: &Path) -> Vec<BackupInfo> {
    let prefix = format!("{}.backup-", name_of(path));
    let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(d) => d.to_owned(),
        None => PathBuf::from("."),
    };
    let mut out: Vec<BackupInfo> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && !n.ends_with("-wal") && !n.ends_with("-shm")
        })
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some(BackupInfo {
                path: dir.join(e.file_name()),
                modified: meta.modified().ok()?,
            })
        })
        .collect();
    out.sort_by(|a, b| b.modified.cmp(&a.modified).then(b.path.cmp(&a.path)));
    out
}

/// The newest backup of `path` that is a sound dangke database.
pub fn newest_good(path: &Path) -> Option<PathBuf> {
    list(path).into_iter().map(|b| b.path).find(|p| {
        Store::open_read(p).is_ok_and(|s| s.integrity_check().is_ok_and(|v| v.is_empty()))
    })
}

/// `<file>.damaged`: written when a check or a write found the file
/// damaged, so no later session writes into it; removed by a passing
/// `db check` or a restore.
fn mark_path(path: &Path) -> PathBuf {
    path.with_file_name(format!("{}.damaged", name_of(path)))
}

/// Remembers that the file was found damaged, and why.
pub(crate) fn mark_damaged(path: &Path, detail: &str) {
    let _ = std::fs::write(mark_path(path), detail);
}

/// Why the file was found damaged, if it was.
pub(crate) fn damage_mark(path: &Path) -> Option<String> {
    std::fs::read_to_string(mark_path(path)).ok()
}

fn clear_mark(path: &Path) {
    let _ = std::fs::remove_file(mark_path(path));
}

/// `path` as one word a shell takes as it is: unquoted when it is plain,
/// else quoted (`'…'` on Unix, `"…"` on Windows), so a printed command
/// can be copied and pasted.
pub fn shell_arg(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty()
        && text.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && !"'\"`$&*?![](){}<>|;#~^%,=\\".contains(c)
                || (cfg!(windows) && c == '\\')
        });
    if plain {
        text
    } else if cfg!(windows) {
        format!("\"{text}\"")
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The command that puts the backup `from` back as the database `path`.
pub fn restore_command(path: &Path, from: &Path) -> String {
    format!(
        "dangke db restore {} --db {}",
        shell_arg(from),
        shell_arg(path)
    )
}

/// What to do about a damaged file.
pub fn advice(path: &Path, backup: Option<&Path>) -> String {
    match backup {
        Some(b) => format!(
            "最新的完好备份是“{}”：可用 {} 恢复（当前文件会另存保留）",
            b.display(),
            restore_command(path, b)
        ),
        None => {
            "没有找到完好的备份：请先复制保存这个文件，再运行 dangke db check 查看问题".to_owned()
        }
    }
}

/// Before a migration changes an existing file: a backup of the old version.
pub(crate) fn before_migration(store: &Store) -> Result<()> {
    let Some(path) = store.file() else {
        return Ok(());
    };
    let version = store.schema_version()?;
    store.backup_to(&backup_path(path, &format!("v{version}")))
}

impl Store {
    /// Copies the database to `dest` with the online backup API: written
    /// under a temporary name and renamed, so `dest` is always whole.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let temp =
            dest.with_file_name(format!(".{}.writing-{}", name_of(dest), std::process::id()));
        let _ = std::fs::remove_file(&temp);
        let result = self
            .conn()
            .backup(
                rusqlite::MAIN_DB,
                &temp,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .map_err(StoreError::Sqlite)
            .and_then(|()| {
                std::fs::rename(&temp, dest).map_err(|e| StoreError::Io {
                    action: "写入备份",
                    path: dest.to_owned(),
                    source: e,
                })
            });
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result
    }

    /// Today's backup, unless there is one: at most one a day, the newest
    /// [`DAILY_KEPT`] kept. Returns the file written, if any.
    pub fn daily_backup(&self, day: jiff::civil::Date) -> Result<Option<PathBuf>> {
        let Some(path) = self.file() else {
            return Ok(None);
        };
        let dest = backup_path(path, &day.to_string());
        if dest.exists() {
            return Ok(None);
        }
        self.backup_to(&dest)?;
        let daily: Vec<BackupInfo> = list(path)
            .into_iter()
            .filter(|b| {
                let n = name_of(&b.path);
                n.rsplit("backup-")
                    .next()
                    .is_some_and(|tag| tag.parse::<jiff::civil::Date>().is_ok())
            })
            .collect();
        for old in daily.iter().skip(DAILY_KEPT) {
            let _ = std::fs::remove_file(&old.path);
        }
        Ok(Some(dest))
    }

    /// [`Store::daily_backup`] on a thread of its own (with its own
    /// read-only connection), so a large file does not delay the first
    /// card; a backup cut short by the process ending leaves only a
    /// temporary file, never a partial backup. The store waits for it
    /// when it closes.
    pub fn daily_backup_in_background(&mut self, day: jiff::civil::Date) {
        let Some(path) = self.file().map(Path::to_owned) else {
            return;
        };
        if backup_path(&path, &day.to_string()).exists() {
            return;
        }
        self.backup_thread = Some(std::thread::spawn(move || {
            if let Ok(store) = Store::open_read(&path) {
                let _ = store.daily_backup(day);
            }
        }));
    }

    /// Makes the day's backup after the first write that follows (a start
    /// that changes nothing writes nothing, not even a backup).
    pub fn backup_after_first_write(&mut self, day: jiff::civil::Date) {
        self.backup_day = Some(day);
    }

    /// A backup with a name of the caller's choosing (inside it, with the
    /// default name, when it is a folder), or `<file>.backup-<tag>`.
    pub fn backup_named(&self, dest: Option<&Path>, tag: &str) -> Result<PathBuf> {
        let dest = match (dest, self.file()) {
            (Some(d), file) if d.is_dir() => d.join(format!(
                "{}.backup-{tag}",
                file.map_or_else(|| "progress.db".to_owned(), name_of)
            )),
            (Some(d), _) => d.to_owned(),
            (None, Some(path)) => backup_path(path, tag),
            (None, None) => PathBuf::from(format!("progress.db.backup-{tag}")),
        };
        self.backup_to(&dest)?;
        Ok(dest)
    }
}

/// `dangke db check`: every problem of the file, and the newest good backup.
pub fn check(path: &Path) -> Result<CheckReport> {
    let store = match Store::open_read(path) {
        Ok(s) => s,
        Err(e @ StoreError::Damaged { .. }) => {
            mark_damaged(path, &e.to_string());
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let problems = store.integrity_check()?;
    if problems.is_empty() {
        clear_mark(path);
    } else {
        mark_damaged(path, &problems.join("；"));
    }
    Ok(CheckReport {
        version: store.schema_version()?,
        good_backup: if problems.is_empty() {
            None
        } else {
            newest_good(path)
        },
        problems,
    })
}

/// Replaces the database at `path` with the backup `from`, after checking
/// that `from` is a sound dangke database. The current file is kept under
/// a new name, which is returned (None when there was no current file).
pub fn restore(path: &Path, from: &Path) -> Result<Option<PathBuf>> {
    let source = Store::open_read(from)?;
    let problems = source.integrity_check()?;
    if !problems.is_empty() {
        return Err(StoreError::Damaged {
            path: from.to_owned(),
            detail: problems.join("；"),
            backup: None,
        });
    }
    let kept = (1..)
        .map(|n| path.with_file_name(format!("{}.before-restore-{n}", name_of(path))))
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.with_file_name(format!("{}.before-restore", name_of(path))));
    let had_file = path.exists();
    if had_file {
        match Store::open_read(path) {
            Ok(current) => current.backup_to(&kept)?,
            Err(_) => {
                // Too damaged to read: move it aside whole, with its WAL.
                for suffix in ["", "-wal", "-shm"] {
                    let mut a = path.as_os_str().to_owned();
                    a.push(suffix);
                    let mut b = kept.as_os_str().to_owned();
                    b.push(suffix);
                    let a = PathBuf::from(a);
                    if a.exists() {
                        std::fs::rename(&a, PathBuf::from(b)).map_err(|e| StoreError::Io {
                            action: "另存",
                            path: a.clone(),
                            source: e,
                        })?;
                    }
                }
            }
        }
    }
    let mut dest = rusqlite::Connection::open(path)?;
    dest.busy_timeout(super::BUSY_TIMEOUT)?;
    let backup = rusqlite::backup::Backup::new(source.conn(), &mut dest)?;
    backup.run_to_completion(256, std::time::Duration::ZERO, None)?;
    drop(backup);
    dest.pragma_update(None, "journal_mode", "WAL")?;
    clear_mark(path);
    Ok(had_file.then_some(kept))
}
