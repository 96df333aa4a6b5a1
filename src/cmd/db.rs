//! `dangke db check`: is the progress database sound?

use std::io::Write;

use crate::config::Config;
use crate::error::{Exit, Result};
use crate::store::Store;

pub fn check(config: &Config, out: &mut dyn Write) -> Result<Exit> {
    let store = Store::open(&config.db)?;
    let problems = store.integrity_check()?;
    let painter = config.stdout_painter();
    writeln!(
        out,
        "数据库：{}（版本 {}）",
        config.db.display(),
        store.schema_version()?
    )?;
    if problems.is_empty() {
        writeln!(out, "{}", painter.good("完整性检查通过：数据库完好。"))?;
        return Ok(Exit::Ok);
    }
    for problem in &problems {
        writeln!(out, "{}", painter.error(&format!("问题：{problem}")))?;
    }
    writeln!(
        out,
        "完整性检查发现 {} 个问题。请先备份这个文件。",
        problems.len()
    )?;
    Ok(Exit::Failure)
}
