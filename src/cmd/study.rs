//! `dangke study` (and plain `dangke`): the study loop. Shows a card, reads
//! the answer, grades it, shows the right answer and explanation, takes a
//! rating (Enter accepts the suggestion) and records it before the next
//! card. Every way out prints a summary; everything rated is saved.

use std::io::Write;
use std::time::Instant;

use super::{card_filter, clock_now, describe_due, load_library, open_learner, scheduler};
use crate::cli::FilterArgs;
use crate::config::Config;
use crate::error::{Exit, Result};
use crate::grade::grade_shown;
use crate::repl::input::{LineSource, Read};
use crate::repl::{self, Command, render};
use crate::schedule::queue::Slot;
use crate::schedule::{Rating, suggest};
use crate::session::Study;
use crate::term::{Painter, sanitize_line, terminal_width};

/// How a study session runs, from the command line.
pub struct Options {
    pub mistakes: bool,
    pub new_per_day: u32,
    pub reviews_per_day: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mistakes: false,
            new_per_day: 20,
            reviews_per_day: 200,
        }
    }
}

pub fn run(
    config: &Config,
    args: &FilterArgs,
    options: &Options,
    out: &mut dyn Write,
) -> Result<Exit> {
    let library = load_library(config)?;
    let filter = card_filter(&library, args)?;
    let (mut store, learner) = open_learner(config)?;
    let sched = scheduler(&learner)?;
    let history = config.db.parent().map(|dir| dir.join("history.txt"));
    let mut input = repl::line_source(history.as_deref());
    let start = clock_now(config);
    let mistakes = options.mistakes;
    let mut study = Study::new(
        &library, &mut store, learner, sched, &filter, mistakes, &start,
    )?;
    study.limits.new_per_day = options.new_per_day;
    study.limits.reviews_per_day = options.reviews_per_day;
    let painter = config.stdout_painter();
    let width = terminal_width().unwrap_or(0);
    let (due, new) = study.counts(&start);
    let scope = if mistakes {
        format!("错题本（{} 题）", study.entries.len())
    } else {
        sanitize_line(&filter.describe(&library))
    };
    writeln!(
        out,
        "{}",
        painter.bold(&format!(
            "学习者：{} · 今日到期 {due} · 新卡 {new} · 卡组：{scope}",
            sanitize_line(&study.learner.name)
        ))
    )?;
    if input.interactive() {
        writeln!(
            out,
            "{}",
            painter.dim("输入答案后按回车；:h 提示，:s 跳过，:u 撤销，:q 结束，:? 帮助。")
        )?;
    }
    let started = Instant::now();
    let result = study_loop(&mut study, input.as_mut(), config, &painter, width, out);
    let end = clock_now(config);
    study.finish(&end)?;
    result?;
    summary(&study, &end, started, &painter, out)?;
    // The process ends right after this: leave the session's card maps
    // and the decks to the OS instead of freeing hundreds of thousands of
    // strings one by one (a tenth of a start at 50k cards). The store is
    // still closed normally.
    std::mem::forget(study);
    std::mem::forget(library);
    Ok(Exit::Ok)
}

/// One card after another until the queue is empty or the learner leaves.
fn study_loop(
    study: &mut Study<'_>,
    input: &mut dyn LineSource,
    config: &Config,
    painter: &Painter,
    width: usize,
    out: &mut dyn Write,
) -> Result<()> {
    let mut shown = 0usize;
    'cards: loop {
        let clock = clock_now(config);
        let Some(turn) = study.next(&clock) else {
            let message = if study.tally.answered == 0 && shown == 0 {
                "现在没有要学的卡片。"
            } else {
                "今天的学习任务完成了！"
            };
            writeln!(out, "\n{}", painter.good(message))?;
            return Ok(());
        };
        shown += 1;
        let card = study.card(turn.entry);
        let deck = study.deck(turn.entry);
        let slot = match turn.slot {
            Slot::New => "新卡",
            Slot::Review => "复习",
            Slot::Learning => "学习中",
            Slot::Mistake => "错题",
        };
        let mut status = format!(
            "[{shown} · 还剩 {}] {} · {} · {slot}",
            turn.remaining,
            sanitize_line(&deck.title),
            card.kind().label()
        );
        if study.changed(turn.entry) {
            status.push_str(" · 卡片内容已更新");
        }
        writeln!(out, "\n{}", painter.dim(&status))?;
        let reps = study.row(turn.entry).map_or(0, |r| r.state.reps);
        let seed = crate::hash::stable_hash(&[
            study.learner.name.as_bytes(),
            study.entries[turn.entry].key.as_bytes(),
            &clock.secs().to_le_bytes(),
            &reps.to_le_bytes(),
        ]);
        let order = render::option_order(card, seed);
        write!(
            out,
            "{}",
            render::question(card, order.as_deref(), width, painter)
        )?;

        let asked = Instant::now();
        let mut hinted = false;
        let answer = loop {
            let line = match input.read("答> ", out) {
                Read::Line(line) => line,
                Read::Eof | Read::Interrupted => return Ok(()),
            };
            match repl::command(&line) {
                None if line.trim().is_empty() => {
                    writeln!(out, "请输入答案（想不起来可以输入 :h 看提示，:s 跳过）。")?;
                }
                None => break line,
                Some(Command::Hint) => {
                    hinted = true;
                    writeln!(
                        out,
                        "{}",
                        painter.warning(&render::hint(card, order.as_deref()))
                    )?;
                }
                Some(Command::Explain) => {
                    hinted = true;
                    let text = render::explanation(card, width, painter);
                    if text.is_empty() {
                        writeln!(out, "这张卡片没有解析。")?;
                    } else {
                        write!(out, "{text}")?;
                    }
                }
                Some(Command::Skip) => {
                    study.skip(turn.entry, &clock_now(config))?;
                    writeln!(out, "已跳过，明天再学这张卡片。")?;
                    continue 'cards;
                }
                Some(Command::Undo) => {
                    match study.undo()? {
                        Some(entry) => writeln!(
                            out,
                            "已撤销上一次评分（{}），可以重新作答。",
                            sanitize_line(&short(&study.card(entry).prompt))
                        )?,
                        None => writeln!(out, "没有可以撤销的评分。")?,
                    }
                    shown = shown.saturating_sub(1);
                    continue 'cards;
                }
                Some(Command::Stats) => session_stats(study, &clock_now(config), out)?,
                Some(Command::Quit) => return Ok(()),
                Some(Command::Help) => writeln!(out, "{}", repl::HELP)?,
                Some(Command::Unknown(c)) => {
                    writeln!(
                        out,
                        "未知命令 :{}，输入 :? 查看可用命令。",
                        sanitize_line(&c)
                    )?;
                }
            }
        };
        let elapsed = asked.elapsed();
        let verdict = grade_shown(card, &answer, order.as_deref());
        write!(
            out,
            "{}",
            render::feedback(card, &verdict, order.as_deref(), width, painter)
        )?;
        let suggested = suggest(verdict.outcome, elapsed, card.kind(), hinted);
        let (rating, leave) = read_rating(input, suggested, hinted, out)?;
        let clock = clock_now(config);
        study.rate(
            turn.entry,
            &verdict,
            rating,
            elapsed.as_millis() as i64,
            &clock,
        )?;
        recorded(study, turn.entry, rating, &clock, painter, out)?;
        if leave {
            return Ok(());
        }
    }
}

/// Reads the rating: Enter accepts the suggestion, 1–4 override. Leaving
/// here (Ctrl-D, Ctrl-C, :q) still records the suggested rating, so no
/// answered card is lost. Returns the rating and whether to leave.
fn read_rating(
    input: &mut dyn LineSource,
    suggested: Rating,
    hinted: bool,
    out: &mut dyn Write,
) -> Result<(Rating, bool)> {
    let prompt = format!(
        "评分 [回车 = {} · 1 重来 2 困难 3 良好 4 简单]> ",
        suggested.label()
    );
    loop {
        let line = match input.read(&prompt, out) {
            Read::Line(line) => line,
            Read::Eof | Read::Interrupted => return Ok((suggested, true)),
        };
        let choice = match line.trim() {
            "" => Some(suggested),
            text if repl::command(text) == Some(Command::Quit) => return Ok((suggested, true)),
            text => text
                .parse::<i64>()
                .ok()
                .and_then(Rating::from_number)
                .or_else(|| Rating::ALL.into_iter().find(|r| r.label() == text)),
        };
        match choice {
            Some(rating) if hinted && rating > Rating::Hard => {
                writeln!(out, "用过提示，这张卡片最高评为“困难”。")?;
                return Ok((Rating::Hard, false));
            }
            Some(rating) => return Ok((rating, false)),
            None => writeln!(out, "请按回车接受建议，或输入 1–4。")?,
        }
    }
}

fn recorded(
    study: &Study<'_>,
    entry: usize,
    rating: Rating,
    clock: &crate::clock::Clock,
    painter: &Painter,
    out: &mut dyn Write,
) -> Result<()> {
    let due = study.row(entry).map_or(clock.secs(), |r| r.state.due);
    writeln!(
        out,
        "{}",
        painter.dim(&format!(
            "已记录：{}，下次复习：{}",
            rating.label(),
            describe_due(due, clock)
        ))
    )?;
    Ok(())
}

fn session_stats(
    study: &Study<'_>,
    clock: &crate::clock::Clock,
    out: &mut dyn Write,
) -> Result<()> {
    let (due, new) = study.counts(clock);
    let t = study.tally;
    writeln!(
        out,
        "本次已答 {} 张，答对 {} 张；还有到期 {due} 张、新卡 {new} 张。",
        t.answered, t.right
    )?;
    Ok(())
}

fn summary(
    study: &Study<'_>,
    clock: &crate::clock::Clock,
    started: Instant,
    painter: &Painter,
    out: &mut dyn Write,
) -> Result<()> {
    let t = study.tally;
    let secs = started.elapsed().as_secs();
    let accuracy = if t.answered == 0 {
        "—".to_owned()
    } else {
        format!("{:.0}%", f64::from(t.right) * 100.0 / f64::from(t.answered))
    };
    let next = study
        .next_due(clock)
        .map_or_else(|| "暂无".to_owned(), |due| describe_due(due, clock));
    writeln!(
        out,
        "\n{}",
        painter.bold(&format!(
            "本次学习：{} 张卡片，正确率 {accuracy}，用时 {}:{:02}，下次到期：{next}。进度已保存。",
            t.answered,
            secs / 60,
            secs % 60
        ))
    )?;
    Ok(())
}

/// The start of a prompt, for naming a card in one line.
fn short(text: &str) -> String {
    let mut s: String = text.chars().take(16).collect();
    if text.chars().count() > 16 {
        s.push('…');
    }
    s
}
