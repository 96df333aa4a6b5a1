//! `dangke db check | backup | restore`: is the progress database sound,
//! copy it, and put a good copy back.

use std::io::Write;
use std::path::Path;

use crate::config::Config;
use crate::error::{Error, Exit, Result};
use crate::store::{self, Store};

pub fn check(config: &Config, out: &mut dyn Write) -> Result<Exit> {
    let painter = config.stdout_painter();
    let report = match store::check(&config.db) {
        Ok(r) => r,
        Err(e @ store::StoreError::Damaged { .. }) => {
            writeln!(out, "数据库：{}", config.db.display())?;
            writeln!(out, "{}", painter.error(&format!("问题：{e}")))?;
            return Ok(Exit::Failure);
        }
        Err(e) => return Err(e.into()),
    };
    writeln!(
        out,
        "数据库：{}（版本 {}）",
        config.db.display(),
        report.version
    )?;
    if report.problems.is_empty() {
        writeln!(out, "{}", painter.good("完整性检查通过：数据库完好。"))?;
        return Ok(Exit::Ok);
    }
    for problem in &report.problems {
        writeln!(out, "{}", painter.error(&format!("问题：{problem}")))?;
    }
    writeln!(
        out,
        "完整性检查发现 {} 个问题。请先复制保存这个文件，不要再用它学习。",
        report.problems.len()
    )?;
    match &report.good_backup {
        Some(b) => writeln!(
            out,
            "最新的完好备份：{}\n恢复：{}（当前文件会另存保留）",
            b.display(),
            store::restore_command(&config.db, b)
        )?,
        None => writeln!(out, "没有找到完好的备份。")?,
    }
    Ok(Exit::Failure)
}

/// Whether `a` and `b` name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

pub fn backup(
    config: &Config,
    file: Option<&Path>,
    force: bool,
    out: &mut dyn Write,
) -> Result<Exit> {
    if let Some(file) = file {
        if same_file(file, &config.db) {
            return Err(Error::Usage(format!(
                "“{}”就是进度数据库本身，不能备份到它自己：请给另一个文件名或一个文件夹",
                file.display()
            )));
        }
        let ends_with_separator = file
            .as_os_str()
            .to_string_lossy()
            .ends_with(['/', std::path::MAIN_SEPARATOR]);
        let folder = if file.is_dir() || ends_with_separator {
            file
        } else {
            file.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        if !folder.is_dir() {
            return Err(Error::Io {
                action: "写入备份文件",
                path: file.to_owned(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
    }
    let store = Store::open_read(&config.db)?;
    let problems = store.integrity_check()?;
    if !problems.is_empty() {
        return Err(Error::Store(store::StoreError::Damaged {
            path: config.db.clone(),
            detail: problems.join("；"),
            backup: store::newest_good(&config.db),
        }));
    }
    let tag = config
        .clock
        .now
        .to_zoned(config.clock.tz.clone())
        .strftime("%Y-%m-%dT%H%M%S")
        .to_string();
    let dest = match file {
        Some(f) if f.is_dir() => f.join(format!(
            "{}.backup-{tag}",
            config
                .db
                .file_name()
                .map_or_else(|| "progress.db".into(), |n| n.to_string_lossy())
        )),
        Some(f) => f.to_owned(),
        None => store.backup_named(None, &tag)?,
    };
    if file.is_some() {
        if dest.exists() && !force {
            return Err(Error::Usage(format!(
                "备份文件“{}”已经存在，没有覆盖：请换一个文件名，或加 --force 覆盖它",
                dest.display()
            )));
        }
        store.backup_named(Some(&dest), &tag)?;
    }
    writeln!(out, "已备份到 {}", dest.display())?;
    Ok(Exit::Ok)
}

pub fn restore(config: &Config, file: &Path, out: &mut dyn Write) -> Result<Exit> {
    if !file.exists() {
        return Err(Error::Io {
            action: "读取备份文件",
            path: file.to_owned(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    if same_file(file, &config.db) {
        return Err(Error::Usage(format!(
            "“{}”就是进度数据库本身，不能用它恢复它自己：请给一个备份文件（可用 dangke db check 查看最新的完好备份）",
            file.display()
        )));
    }
    let kept = store::restore(&config.db, file)?;
    writeln!(
        out,
        "已用 {} 恢复进度数据库 {}。",
        file.display(),
        config.db.display()
    )?;
    if let Some(kept) = kept {
        writeln!(out, "原来的文件另存为 {}。", kept.display())?;
    }
    Ok(Exit::Ok)
}
