//! `dangke learners`: everyone who has studied on this database.

use std::io::Write;

use comfy_table::{Cell, CellAlignment, Table, presets};

use crate::config::Config;
use crate::error::{Exit, Result};
use crate::store::Store;
use crate::term::sanitize_line;

pub fn run(config: &Config, out: &mut dyn Write) -> Result<Exit> {
    let store = Store::open_read(&config.db)?;
    let learners = store.learners()?;
    if learners.is_empty() {
        writeln!(out, "还没有学习者。运行 dangke 开始学习。")?;
        return Ok(Exit::Ok);
    }
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    crate::term::fit_table(&mut table);
    table.set_header(["学习者", "复习次数", "最近复习", "考试日期", "目标保持率"]);
    for (learner, reviews, last) in learners {
        let last = last
            .map(|secs| config.clock.day_of(secs).to_string())
            .unwrap_or_else(|| "—".to_owned());
        let exam = learner
            .exam_date
            .map_or_else(|| "—".to_owned(), |d| d.to_string());
        let mut name = sanitize_line(&learner.name);
        if learner.name == config.learner {
            name.push_str("（当前）");
        }
        table.add_row(vec![
            Cell::new(name),
            Cell::new(reviews).set_alignment(CellAlignment::Right),
            Cell::new(last),
            Cell::new(exam),
            Cell::new(format!("{:.0}%", learner.desired_retention * 100.0)),
        ]);
    }
    writeln!(out, "{table}")?;
    Ok(Exit::Ok)
}
