//! `dangke lives [ID]`: past live group quizzes, re-exporting one's
//! results; and feeding a session's wrong answers into each participant's
//! 错题本 (shared with `dangke live`).

use std::io::Write;
use std::path::Path;

use comfy_table::{Cell, Table, presets};

use super::contest::write_file;
use crate::config::Config;
use crate::error::{Error, Exit, Result};
use crate::grade::Outcome;
use crate::live::engine::{Engine, Mark};
use crate::schedule::{Phase as CardPhase, Rating};
use crate::store::{NewReview, Store};
use crate::term::sanitize_line;

pub fn run(
    config: &Config,
    id: Option<i64>,
    export: Option<&Path>,
    export_questions: Option<&Path>,
    out: &mut dyn Write,
) -> Result<Exit> {
    let store = Store::open_read(&config.db)?;
    let Some(id) = id else {
        if export.is_some() || export_questions.is_some() {
            return Err(Error::Usage(
                "导出时要指定场次编号，如 dangke lives 3 --export 成绩.csv".to_owned(),
            ));
        }
        let lives = store.lives()?;
        if lives.is_empty() {
            writeln!(out, "还没有现场答题记录。用 dangke live 开始一场。")?;
            return Ok(Exit::Ok);
        }
        let mut table = Table::new();
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        crate::term::fit_table(&mut table);
        table.set_header(["编号", "名称", "房间号", "开始时间", "人数", "状态"]);
        for l in &lives {
            let started = jiff::Timestamp::from_second(l.started_at)
                .map(|t| {
                    t.to_zoned(config.clock.tz.clone())
                        .strftime("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            table.add_row(vec![
                Cell::new(l.id),
                Cell::new(sanitize_line(&l.title)),
                Cell::new(&l.room),
                Cell::new(started),
                Cell::new(l.participants),
                Cell::new(if l.ended_at.is_some() {
                    "已结束"
                } else {
                    "未结束（可 --resume）"
                }),
            ]);
        }
        writeln!(out, "{table}")?;
        return Ok(Exit::Ok);
    };
    let library = super::load_library(config)?;
    let (replay, engine, _) = super::live::rebuild(&store, id, &library)?;
    writeln!(
        out,
        "第 {id} 场：{}（房间号 {}），{} 人参加，{} 题{}",
        sanitize_line(&replay.row.title),
        replay.row.room,
        engine.participants.len(),
        engine.paper.len(),
        if replay.row.ended_at.is_some() {
            ""
        } else {
            "，未结束"
        }
    )?;
    for (p, place) in engine.leaderboard() {
        let part = &engine.participants[p];
        let (right, wrong, none) = part.counts();
        writeln!(
            out,
            "{place}. {}{} {} 分（对 {right}，错 {wrong}，未答 {none}）",
            sanitize_line(&part.name),
            if part.team.is_empty() {
                String::new()
            } else {
                format!("（{}）", sanitize_line(&part.team))
            },
            part.score()
        )?;
    }
    if let Some(path) = export {
        write_file(path, &crate::live::export::results_csv(&engine))?;
        writeln!(out, "成绩已导出到 {}", path.display())?;
    }
    if let Some(path) = export_questions {
        write_file(path, &crate::live::export::questions_csv(&engine))?;
        writeln!(out, "逐题统计已导出到 {}", path.display())?;
    }
    Ok(Exit::Ok)
}

/// Logs every answer of the session for the learner with the
/// participant's name (as shown, "张三(2)" for a second 张三), and makes
/// the wrongly answered cards due: the 错题本 and study pick them up.
/// Returns how many wrong answers were fed.
pub fn feed_mistakes(
    engine: &Engine<'_>,
    store: &mut Store,
    clock: &crate::clock::Clock,
) -> Result<usize> {
    let mut fed = 0;
    for part in &engine.participants {
        if part.answered() == 0 {
            continue;
        }
        let learner = store.learner(&part.name, clock.secs())?;
        let mut rows = None;
        for (q, answer) in part.answers.iter().enumerate() {
            let Some(answer) = answer else { continue };
            let key = &engine.paper[q].key;
            let hash = engine.card(q).content_hash();
            let (rating, verdict) = match answer.mark {
                Mark::Right => (Rating::Good, Outcome::Correct),
                Mark::Partial => (Rating::Hard, Outcome::Partial),
                _ => (Rating::Again, Outcome::Wrong),
            };
            store.log_answer(&NewReview {
                learner_id: learner.id,
                card_key: key,
                session_id: None,
                at: clock.secs(),
                rating,
                verdict,
                score: if answer.mark == Mark::Right { 1.0 } else { 0.0 },
                response_ms: 0,
                mode: "live",
                phase_before: CardPhase::New,
                content_hash: &hash,
            })?;
            if answer.mark != Mark::Right {
                let rows = match &rows {
                    Some(r) => r,
                    None => rows.insert(store.card_rows(learner.id)?),
                };
                let current = rows.get(key.as_str()).cloned();
                store.make_due(learner.id, key, clock.secs(), current.as_ref(), &hash)?;
                fed += 1;
            }
        }
    }
    Ok(fed)
}
