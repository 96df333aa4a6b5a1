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
            "最新的完好备份：{}\n恢复：dangke db restore “{}” --db “{}”（当前文件会另存保留）",
            b.display(),
            b.display(),
            config.db.display()
        )?,
        None => writeln!(out, "没有找到完好的备份。")?,
    }
    Ok(Exit::Failure)
}

pub fn backup(config: &Config, file: Option<&Path>, out: &mut dyn Write) -> Result<Exit> {
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
    let dest = store.backup_named(file, &tag)?;
    writeln!(out, "已备份到 {}", dest.display())?;
    Ok(Exit::Ok)
}

pub fn restore(config: &Config, file: &Path, out: &mut dyn Write) -> Result<Exit> {
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
