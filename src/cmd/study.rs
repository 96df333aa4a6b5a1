//! `dangke study` (and plain `dangke`): the study loop. Shows a card, reads
//! the answer, grades it, shows the right answer and explanation, takes a
//! rating (Enter accepts the suggestion) and records it before the next
//! card. Every way out prints a summary; everything rated is saved.

use std::io::Write;
use std::time::Instant;

use super::{card_filter, clock_now, describe_due, open_learner, scheduler};
use crate::cli::FilterArgs;
use crate::config::Config;
use crate::error::{Exit, Result};
use crate::grade::grade_shown;
use crate::repl::input::{LineSource, Read};
use crate::repl::{self, Command, render};
use crate::schedule::queue::Slot;
use crate::schedule::{Rating, suggest};
use crate::session::{Empty, Study};
use crate::term::{Painter, reading_width, sanitize_line};

/// How a study session runs, from the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub mistakes: bool,
    /// New cards to add to today's allowance (`--new`).
    pub more_new: Option<u32>,
    /// Reviews to add to today's allowance (`--reviews`).
    pub more_reviews: Option<u32>,
}

pub fn run(
    config: &Config,
    args: &FilterArgs,
    options: &Options,
    out: &mut dyn Write,
) -> Result<Exit> {
    // The cards to study are listed while the database is read.
    let (library, (filter, mut begin), opened) = super::load_beside_store(config, |library| {
        let filter = card_filter(library, args)?;
        let begin = crate::session::Start::new(crate::session::entries(library, &filter));
        Ok((filter, begin))
    })?;
    let (mut store, learner, rows) = match opened {
        Some(opened) => {
            let (store, rows) = opened?;
            match rows {
                // The learner as read beside the decks, when nothing is to
                // be stored for it (a new exam date or retention).
                Some((learner, briefs, marks))
                    if config.exam_date.is_none() && config.retention.is_none() =>
                {
                    (store, learner, Some((briefs, marks)))
                }
                rows => {
                    let (store, learner) = super::learner_in(config, store)?;
                    // Rows read for the learner of that name before it was
                    // settled.
                    let rows = rows
                        .filter(|(early, _, _)| early.id == learner.id)
                        .map(|(_, briefs, marks)| (briefs, marks));
                    (store, learner, rows)
                }
            }
        }
        None => {
            let (store, learner) = open_learner(config)?;
            (store, learner, None)
        }
    };
    super::note_user_decks(&mut store, &library, config)?;
    let sched = scheduler(&learner)?;
    let history = config.history_file();
    let mut input = repl::line_source(history.as_deref());
    let start = clock_now(config);
    let mistakes = options.mistakes;
    let mut study = Study::start(
        &library,
        &mut store,
        learner,
        sched,
        {
            if let Some((rows, marks)) = rows {
                begin.rows = Some(rows);
                begin.marks = Some(marks);
            }
            begin
        },
        mistakes,
        &start,
    )?;
    // The daily limits come from the settings; --new and --reviews add to
    // what is left of today's allowance.
    study.limits.new_per_day = match options.more_new {
        Some(more) => config.limits.new_per_day.max(study.limits.new_done_today) + more,
        None => config.limits.new_per_day,
    };
    study.limits.reviews_per_day = match options.more_reviews {
        Some(more) => {
            config
                .limits
                .reviews_per_day
                .max(study.limits.reviews_done_today)
                + more
        }
        None => config.limits.reviews_per_day,
    };
    let painter = config.stdout_painter();
    let width = reading_width();
    let (due, new) = study.counts(&start);
    let scope = if mistakes {
        format!("错题本（{} 题）", study.entries.len())
    } else {
        sanitize_line(&filter.describe(&library))
    };
    writeln!(
        out,
        "{}",
        painter.bold(&crate::term::wrap(
            &format!(
                "学习者：{} · 今日到期 {due} · 新卡 {new} · 卡组：{scope}",
                sanitize_line(&study.learner.name)
            ),
            width
        ))
    )?;
    if input.interactive() {
        writeln!(
            out,
            "{}",
            painter.dim(&crate::term::wrap(
                "输入答案后按回车；:h 提示，:s 跳过，:u 撤销，:f 标记，:q 结束，:? 帮助。",
                width
            ))
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
            if nothing_left(study, input, shown, &clock, painter, out)? {
                continue 'cards;
            }
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
        if study.changed(turn.entry)? {
            status.push_str(" · 卡片内容已更新");
        }
        if study.is_flagged(turn.entry) {
            status.push_str(" · 已标记");
        }
        writeln!(out, "\n{}", painter.dim(&crate::term::wrap(&status, width)))?;
        let reps = study.row(turn.entry)?.map_or(0, |r| r.state.reps);
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
        let mut hints = 0usize;
        let answer = loop {
            let line = match input.read("答> ", out) {
                Read::Line(line) => line,
                Read::Eof | Read::Interrupted => return Ok(()),
            };
            match repl::command(&line) {
                None if line.trim().is_empty() => {
                    writeln!(out, "请输入答案（想不起来可以输入 :h 看提示，:s 跳过）。")?;
                }
                None => match render::ask_again(card, &line, order.as_deref()) {
                    Some(why) => writeln!(out, "{why}")?,
                    None => break line,
                },
                Some(Command::Hint) => match render::hint(card, order.as_deref(), hints + 1) {
                    Some(text) => {
                        hinted = true;
                        hints += 1;
                        writeln!(out, "{}", painter.warning(&text))?;
                    }
                    None if hints == 0 => writeln!(out, "这道题没有提示，想一想再答。")?,
                    None => writeln!(out, "提示已经用完了：再给就是答案了。")?,
                },
                Some(Command::Flag) => {
                    let on = study.toggle_flag(turn.entry)?;
                    writeln!(
                        out,
                        "{}",
                        if on {
                            "已标记这张卡片（dangke cards --flagged 列出所有标记的卡片）。"
                        } else {
                            "已取消标记。"
                        }
                    )?;
                }
                Some(Command::Suspend) => {
                    study.suspend(turn.entry)?;
                    writeln!(
                        out,
                        "已暂停这张卡片，不再安排学习（恢复：dangke cards --resume {}）。",
                        sanitize_line(&study.entries[turn.entry].key)
                    )?;
                    continue 'cards;
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
                    if undo(study, out)? {
                        shown = shown.saturating_sub(2);
                    } else {
                        shown = shown.saturating_sub(1);
                    }
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
        let mut verdict = grade_shown(card, &answer, order.as_deref());
        render::tidy_verdict(card, &answer, &mut verdict);
        write!(
            out,
            "{}",
            render::feedback(card, &verdict, order.as_deref(), width, painter)
        )?;
        let suggested = suggest(verdict.outcome, elapsed, card.kind(), hinted);
        let preview = study.preview(turn.entry, &clock_now(config))?;
        let clock = clock_now(config);
        writeln!(
            out,
            "{}",
            painter.dim(&crate::term::wrap(&preview_line(&preview, &clock), width))
        )?;
        let (rating, leave) = match read_rating(input, suggested, hinted, out)? {
            Choice::Rate(rating, leave) => (rating, leave),
            Choice::Undo => {
                if undo(study, out)? {
                    writeln!(out, "（这张卡片还没有评分，稍后会再出现。）")?;
                    shown = shown.saturating_sub(2);
                    continue 'cards;
                }
                // Nothing to undo: ask for this card's rating again.
                match read_rating(input, suggested, hinted, out)? {
                    Choice::Rate(rating, leave) => (rating, leave),
                    Choice::Undo => (suggested, false),
                }
            }
        };
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

/// What the rating prompt gave.
enum Choice {
    /// A rating, and whether to leave afterwards.
    Rate(Rating, bool),
    /// `:u`: take back the previous card's rating.
    Undo,
}

/// Reads the rating: Enter accepts the suggestion, 1–4 override, `:u`
/// undoes the previous card's rating. Leaving here (Ctrl-D, Ctrl-C, :q)
/// still records the suggested rating, so no answered card is lost.
fn read_rating(
    input: &mut dyn LineSource,
    suggested: Rating,
    hinted: bool,
    out: &mut dyn Write,
) -> Result<Choice> {
    let prompt = format!("评分 [回车 = {}]> ", suggested.label());
    loop {
        let line = match input.read(&prompt, out) {
            Read::Line(line) => line,
            Read::Eof | Read::Interrupted => return Ok(Choice::Rate(suggested, true)),
        };
        let choice = match line.trim() {
            "" => Some(suggested),
            text => match repl::command(text) {
                Some(Command::Quit) => return Ok(Choice::Rate(suggested, true)),
                Some(Command::Undo) => return Ok(Choice::Undo),
                Some(_) => None,
                None => text
                    .parse::<i64>()
                    .ok()
                    .and_then(Rating::from_number)
                    .or_else(|| Rating::ALL.into_iter().find(|r| r.label() == text)),
            },
        };
        match choice {
            Some(rating) if hinted && rating > Rating::Hard => {
                writeln!(out, "用过提示，这张卡片最高评为“困难”。")?;
                return Ok(Choice::Rate(Rating::Hard, false));
            }
            Some(rating) => return Ok(Choice::Rate(rating, false)),
            None => writeln!(
                out,
                "请按回车接受建议，或输入 1–4；:u 撤销上一张的评分，:q 结束。"
            )?,
        }
    }
}

/// Takes back the last rating and says which card it was; false when
/// there was none.
fn undo(study: &mut Study<'_>, out: &mut dyn Write) -> Result<bool> {
    match study.undo()? {
        Some(entry) => {
            writeln!(
                out,
                "已撤销上一次评分（{}），可以重新作答。",
                short(&sanitize_line(&study.card(entry).prompt_shown()))
            )?;
            Ok(true)
        }
        None => {
            writeln!(out, "没有可以撤销的评分。")?;
            Ok(false)
        }
    }
}

/// "1 重来 1分钟 · 2 困难 6分钟 · 3 良好 1天 · 4 简单 4天": when the card
/// would come back after each rating.
fn preview_line(preview: &[(Rating, i64)], clock: &crate::clock::Clock) -> String {
    preview
        .iter()
        .map(|&(rating, due)| {
            format!(
                "{} {} {}",
                rating as i64,
                rating.label(),
                interval(due - clock.secs())
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A short interval: 1分钟, 6小时, 4天, 2个月.
fn interval(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        s if s < 3600 => format!("{}分钟", ((s + 59) / 60).max(1)),
        s if s < 86_400 => format!("{}小时", (s + 1800) / 3600),
        s if s < 60 * 86_400 => format!("{}天", (s + 43_200) / 86_400),
        s if s < 365 * 86_400 => format!("{}个月", (s + 15 * 86_400) / (30 * 86_400)),
        s => format!("{:.1}年", s as f64 / (365.0 * 86_400.0)),
    }
}

/// The queue is empty: says why, and when the new-card allowance is what
/// stopped it, offers more. Returns true to go on studying.
fn nothing_left(
    study: &mut Study<'_>,
    input: &mut dyn LineSource,
    shown: usize,
    clock: &crate::clock::Clock,
    painter: &Painter,
    out: &mut dyn Write,
) -> Result<bool> {
    let done = study.tally.answered > 0 || shown > 0;
    match study.why_empty(clock) {
        Empty::NewLimit { limit, left } => {
            writeln!(
                out,
                "\n{}",
                painter.good(&format!(
                    "今天的新卡额度（{limit} 张）已经学完，还有 {left} 张新卡没学。"
                ))
            )?;
            while let Read::Line(line) = input.read("再学几张新卡？输入张数，回车结束> ", out)
            {
                let text = line.trim();
                if text.is_empty() || repl::command(text).is_some() {
                    break;
                }
                match text.parse::<u32>() {
                    Ok(0) => break,
                    Ok(more) if more <= 1000 => {
                        study.limits.new_per_day = study.limits.new_done_today + more;
                        return Ok(true);
                    }
                    _ => writeln!(out, "请输入 1–1000 之间的张数，或直接回车结束。")?,
                }
            }
            writeln!(
                out,
                "以后想多学，可以运行 dangke study --new 10（在今天的额度上再加 10 张）。"
            )?;
        }
        Empty::ReviewLimit { limit, left } => {
            writeln!(
                out,
                "\n{}",
                painter.good(&format!(
                    "今天的复习额度（{limit} 次）已经用完，还有 {left} 张卡片到期。"
                ))
            )?;
            writeln!(
                out,
                "想多复习，可以运行 dangke study --reviews 50（在今天的额度上再加 50 次）。"
            )?;
        }
        Empty::NothingDue { next, buried } => {
            let message = if done {
                "今天的学习任务完成了！"
            } else if study.entries.is_empty() && study.only_mistakes() {
                "错题本是空的：测验（dangke quiz）、竞赛和现场答题中答错的题会自动记入错题本。"
            } else if study.entries.is_empty() {
                "没有符合条件的卡片。"
            } else {
                "现在没有要学的卡片。"
            };
            let mut why = match next {
                Some(due) => format!("下一张卡片到期：{}", describe_due(due, clock)),
                None if study.entries.is_empty() => String::new(),
                None => "没有已经到期的卡片".to_owned(),
            };
            if buried > 0 {
                if !why.is_empty() {
                    why.push('；');
                }
                why.push_str(&format!("{buried} 张跳过的卡片明天再学"));
            }
            if study.suspended_count > 0 {
                if !why.is_empty() {
                    why.push('；');
                }
                why.push_str(&format!("{} 张已暂停", study.suspended_count));
            }
            writeln!(out, "\n{}", painter.good(message))?;
            if !why.is_empty() {
                writeln!(out, "{why}。")?;
            }
        }
    }
    Ok(false)
}

fn recorded(
    study: &Study<'_>,
    entry: usize,
    rating: Rating,
    clock: &crate::clock::Clock,
    painter: &Painter,
    out: &mut dyn Write,
) -> Result<()> {
    let due = study.row(entry)?.map_or(clock.secs(), |r| r.state.due);
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
        .next_due_or_now(clock)
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

/// The start of a prompt, for naming a card in one line. Quotes and
/// brackets opened in the part kept are closed again after the "…".
fn short(text: &str) -> String {
    const KEEP: usize = 16;
    if text.chars().count() <= KEEP {
        return text.to_owned();
    }
    let kept: String = text.chars().take(KEEP).collect();
    let mut open: Vec<char> = Vec::new();
    for c in kept.chars() {
        let close = match c {
            '“' => Some('”'),
            '‘' => Some('’'),
            '《' => Some('》'),
            '（' => Some('）'),
            '「' => Some('」'),
            '(' => Some(')'),
            _ => None,
        };
        match close {
            Some(close) => open.push(close),
            None if open.last() == Some(&c) => {
                open.pop();
            }
            None => {}
        }
    }
    let mut s = kept;
    s.push('…');
    s.extend(open.iter().rev());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortened_prompt_keeps_its_quotes_closed() {
        assert_eq!(short("短题目"), "短题目");
        assert_eq!(
            short("毛泽东把群众比作“铜墙铁壁”是在哪一年哪篇文章中提出的？"),
            "毛泽东把群众比作“铜墙铁壁”是在…"
        );
        assert_eq!(
            short("“轻车简从，减少陪同、简化接待”属于八项规定的哪一条？"),
            "“轻车简从，减少陪同、简化接待”…"
        );
        assert_eq!(
            short("毛泽东说“我们共产党人好比种子，人民好比土地”，这个比喻的意思是什么？"),
            "毛泽东说“我们共产党人好比种子，…”"
        );
    }

    #[test]
    fn intervals_are_short() {
        assert_eq!(interval(60), "1分钟");
        assert_eq!(interval(600), "10分钟");
        assert_eq!(interval(86_400), "1天");
        assert_eq!(interval(4 * 86_400), "4天");
        assert_eq!(interval(90 * 86_400), "3个月");
    }
}
