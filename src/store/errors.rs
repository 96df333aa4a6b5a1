//! SQLite's errors in Chinese, each with what to do about it: the English
//! text of the library never reaches a user.

use rusqlite::ErrorCode;

/// The SQLite result code of an error, if it has one.
fn code(e: &rusqlite::Error) -> Option<ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

/// Another process holds a lock the operation needs.
pub(crate) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        code(e),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// The file is not a readable database: damaged or not SQLite at all.
pub(crate) fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        code(e),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// A read or write of the file failed in the operating system.
pub(crate) fn is_io(e: &rusqlite::Error) -> bool {
    matches!(code(e), Some(ErrorCode::SystemIoFailure))
}

/// The file or its folder cannot be opened for writing (or at all).
pub(crate) fn is_access(e: &rusqlite::Error) -> bool {
    matches!(
        code(e),
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied)
    )
}

/// A Chinese description of a database error, with advice.
pub fn describe(e: &rusqlite::Error) -> String {
    if let rusqlite::Error::SqliteFailure(_, Some(msg)) = e
        && let Some(table) = msg.strip_prefix("no such table: ")
    {
        return format!(
            "数据库缺少数据表 {table}：文件可能已损坏或被别的程序改动，请运行 dangke db check 检查"
        );
    }
    match code(e) {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "数据库正被另一个程序占用（等待后仍未释放）：请关闭其他正在使用它的 dangke 窗口或程序后重试".to_owned()
        }
        Some(ErrorCode::DiskFull) => {
            "磁盘已满，无法写入进度数据库：请清理磁盘空间后重试（已记录的进度不受影响）".to_owned()
        }
        Some(ErrorCode::ReadOnly) => {
            "进度数据库是只读的，无法写入：请检查文件和所在文件夹的写权限，或用 --db 指定另一个文件".to_owned()
        }
        Some(ErrorCode::CannotOpen) => {
            "无法打开进度数据库：请检查路径是否正确、文件夹是否存在且有读写权限".to_owned()
        }
        Some(ErrorCode::PermissionDenied) => {
            "没有权限访问进度数据库：请检查文件和所在文件夹的权限".to_owned()
        }
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            "进度数据库已损坏：请运行 dangke db check 查看问题和可用的备份，再用 dangke db restore 恢复".to_owned()
        }
        Some(ErrorCode::SystemIoFailure) => {
            "读写进度数据库时发生磁盘错误（磁盘可能已满，或出了故障）：请检查磁盘空间后重试，并运行 dangke db check；已记录的进度不受影响".to_owned()
        }
        Some(ErrorCode::OutOfMemory) => "内存不足，无法访问进度数据库".to_owned(),
        _ => {
            // SQLite's own words only: an SQL input error also carries the
            // whole statement (a migration is a page of SQL).
            let cause = match e {
                rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
                _ => e.to_string(),
            };
            format!("数据库操作失败（{cause}）：请运行 dangke db check 检查数据库")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(code: i32, msg: Option<&str>) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), msg.map(str::to_owned))
    }

    #[test]
    fn every_common_error_is_chinese_with_advice() {
        use rusqlite::ffi;
        for (code, needle) in [
            (ffi::SQLITE_BUSY, "另一个程序占用"),
            (ffi::SQLITE_LOCKED, "另一个程序占用"),
            (ffi::SQLITE_FULL, "磁盘已满"),
            (ffi::SQLITE_READONLY, "只读"),
            (ffi::SQLITE_CANTOPEN, "无法打开"),
            (ffi::SQLITE_CORRUPT, "已损坏"),
            (ffi::SQLITE_NOTADB, "已损坏"),
            (ffi::SQLITE_IOERR, "磁盘可能已满"),
        ] {
            let text = describe(&failure(code, Some("english text")));
            assert!(text.contains(needle), "{code}: {text}");
            assert!(text.contains('：'), "advice after the cause: {text}");
            assert!(!text.contains("english"), "{text}");
        }
        let sql = "CREATE TABLE review_sums (a);\n".repeat(40);
        let text = describe(&rusqlite::Error::SqlInputError {
            error: rusqlite::ffi::Error::new(ffi::SQLITE_ERROR),
            msg: "table review_sums already exists".to_owned(),
            sql,
            offset: 576,
        });
        assert_eq!(
            text,
            "数据库操作失败（table review_sums already exists）：请运行 dangke db check 检查数据库",
            "a failed migration names the cause, not its page of SQL"
        );
        let text = describe(&failure(ffi::SQLITE_ERROR, Some("no such table: reviews")));
        assert!(text.contains("缺少数据表 reviews"), "{text}");
        assert!(text.contains("db check"), "{text}");
    }
}
