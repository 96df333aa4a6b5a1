//! `dangke contests [ID]`: past contests, and re-exporting one's results.

use std::io::Write;
use std::path::Path;

use comfy_table::{Cell, Table, presets};

use super::contest::write_file;
use crate::config::Config;
use crate::contest::export::{Standing, log_csv, results_csv};
use crate::error::{Error, Exit, Result};
use crate::store::Store;
use crate::term::sanitize_line;

pub fn run(
    config: &Config,
    id: Option<i64>,
    export: Option<&Path>,
    export_log: Option<&Path>,
    out: &mut dyn Write,
) -> Result<Exit> {
    let store = Store::open_read(&config.db)?;
    let contests = store.contests()?;
    let Some(id) = id else {
        if export.is_some() || export_log.is_some() {
            return Err(Error::Usage(
                "导出时要指定竞赛编号，如 dangke contests 3 --export 结果.csv".to_owned(),
            ));
        }
        if contests.is_empty() {
            writeln!(out, "还没有竞赛记录。用 dangke contest 开始一场。")?;
            return Ok(Exit::Ok);
        }
        let mut table = Table::new();
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        crate::term::fit_table(&mut table);
        table.set_header(["编号", "竞赛", "开始时间", "状态", "排名"]);
        for c in &contests {
            let scores: Vec<i64> = c.teams.iter().map(|t| t.score).collect();
            let ranking = crate::contest::engine::rank(&scores)
                .iter()
                .map(|&(place, t)| {
                    format!(
                        "{place}. {} {}",
                        sanitize_line(&c.teams[t].name),
                        c.teams[t].score
                    )
                })
                .collect::<Vec<_>>()
                .join("  ");
            let started = jiff::Timestamp::from_second(c.started_at)
                .map(|t| {
                    t.to_zoned(config.clock.tz.clone())
                        .strftime("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            table.add_row(vec![
                Cell::new(c.id),
                Cell::new(sanitize_line(&c.title)),
                Cell::new(started),
                Cell::new(if c.ended_at.is_some() {
                    "已结束".to_owned()
                } else if store
                    .contest_host(c.id)?
                    .is_some_and(|h| super::contest::host::alive(h.beat))
                {
                    "进行中".to_owned()
                } else {
                    format!("中断（--resume {} 继续）", c.id)
                }),
                Cell::new(ranking),
            ]);
        }
        writeln!(out, "{table}")?;
        return Ok(Exit::Ok);
    };
    let contest = contests.iter().find(|c| c.id == id).ok_or_else(|| {
        Error::NotFound(format!("没有第 {id} 场竞赛（用 dangke contests 查看编号）"))
    })?;
    if export.is_none() && export_log.is_none() {
        show_log(config, contest, &store.contest_log(id)?, out)?;
        return Ok(Exit::Ok);
    }
    if let Some(path) = export {
        let standings: Vec<Standing<'_>> = contest.teams.iter().map(Standing::from).collect();
        write_file(path, &results_csv(&standings))?;
        writeln!(out, "排名已导出到 {}", path.display())?;
    }
    if let Some(path) = export_log {
        let names: Vec<&str> = contest.teams.iter().map(|t| t.name.as_str()).collect();
        write_file(
            path,
            &log_csv(&store.contest_log(id)?, &names, &config.clock),
        )?;
        writeln!(out, "过程记录已导出到 {}", path.display())?;
    }
    Ok(Exit::Ok)
}

/// The course of a contest: each round once as a heading, every action
/// with its time, and each question's text the first time it appears.
fn show_log(
    config: &Config,
    contest: &crate::store::ContestRow,
    log: &[crate::contest::engine::LogEntry],
    out: &mut dyn Write,
) -> Result<()> {
    // Question texts come from the decks; a deck since removed shows the
    // question's key instead.
    let library = crate::deck::Library::load(&config.deck_dirs)
        .or_else(|_| crate::deck::Library::load(&[]))
        .ok()
        .map(|(l, _)| l);
    let time = |at: i64| {
        jiff::Timestamp::from_second(at)
            .map(|t| {
                t.to_zoned(config.clock.tz.clone())
                    .strftime("%H:%M:%S")
                    .to_string()
            })
            .unwrap_or_default()
    };
    writeln!(
        out,
        "第 {} 场：{}（{}）",
        contest.id,
        sanitize_line(&contest.title),
        jiff::Timestamp::from_second(contest.started_at)
            .map(|t| {
                t.to_zoned(config.clock.tz.clone())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    )?;
    let mut round = None;
    let mut shown: Vec<&str> = Vec::new();
    for line in log {
        if !line.round.is_empty() && round != Some(line.round.as_str()) {
            round = Some(line.round.as_str());
            writeln!(out, "\n【{}】", sanitize_line(&line.round))?;
        }
        let mark = if line.undone { "（已撤销）" } else { "" };
        writeln!(
            out,
            "  {}  {}{mark}",
            time(line.at),
            sanitize_line(&line.text)
        )?;
        if let Some(key) = line.question.as_deref()
            && !shown.contains(&key)
        {
            shown.push(key);
            let text = library
                .as_ref()
                .and_then(|l| {
                    let (deck, card) = key.split_once('/')?;
                    l.deck(deck)?.card(card).map(question_text)
                })
                .unwrap_or_else(|| format!("（{key}，卡组中已没有这道题）"));
            writeln!(
                out,
                "            题目：{}",
                crate::term::abridge(&sanitize_line(&text), 80)
            )?;
        }
    }
    Ok(())
}

fn question_text(card: &crate::deck::Card) -> String {
    card.prompt_shown()
}
