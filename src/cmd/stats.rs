//! `dangke stats`: the learner's progress per deck, the week ahead,
//! retention and activity, as text or as JSON.

use std::io::Write;

use comfy_table::{Cell, CellAlignment, Table, presets};
use jiff::ToSpan;

use crate::config::Config;
use crate::error::{Error, Exit, Result};
use crate::stats::{
    HEATMAP_WEEKS, Input, LEECH_LAPSES, Marks, ReviewSums, Stats, Window, compute_marked,
};
use crate::term::{Painter, sanitize_line};

pub fn run(config: &Config, deck: Option<&str>, json: bool, out: &mut dyn Write) -> Result<Exit> {
    // The card states are read on another thread while the decks load
    // (at 50k cards each is about half of the work); only when opening
    // the database writes nothing (a new exam date or retention does).
    let read = || -> Result<_> {
        let (store, learner) = super::open_reader(config)?;
        let rows = store.card_brief_list_cached(learner.id, config.state_cache.as_deref())?;
        Ok((store, learner, rows))
    };
    let (library, opened) = if config.exam_date.is_none() && config.retention.is_none() {
        std::thread::scope(|scope| {
            let side = scope.spawn(read);
            let library = super::load_library(config);
            let opened = side
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (library, Some(opened))
        })
    } else {
        (super::load_library(config), None)
    };
    let library = library?;
    if let Some(id) = deck.filter(|id| library.deck(id).is_none()) {
        return Err(Error::NotFound(format!(
            "没有找到卡组“{id}”（可用 dangke decks 查看）"
        )));
    }
    let (store, learner, rows) = match opened {
        Some(opened) => opened?,
        None => read()?,
    };
    let seen = store.seen_decks()?;
    let clock = &config.clock;
    // The sums the store keeps per 15-minute slot; the review rows when a
    // day does not begin on a slot (an old local mean time) or the file
    // predates the sums (a reader does not migrate).
    let window = Window::new(clock);
    let sums = store
        .review_sums(learner.id, window.since())?
        .and_then(|(total, slots)| ReviewSums::from_slots(total, &slots, &window));
    let reviews = match sums {
        Some(sums) => sums,
        None => ReviewSums::from_rows(
            store.review_count(learner.id)?,
            &store.reviews_since(learner.id, window.since(), None)?,
            &window,
        ),
    };
    let marks = Marks {
        suspended: store.suspended(learner.id)?,
        mistakes: store.mistakes(learner.id)?,
    };
    let states = crate::stats::states(&rows);
    let stats = compute_marked(
        &Input {
            learner: &learner.name,
            library: &library,
            rows: &states,
            reviews: &reviews,
            deck_filter: deck,
        },
        &marks,
        clock,
    );
    if json {
        let text = serde_json::to_string_pretty(&stats)
            .map_err(|e| Error::Usage(format!("无法生成 JSON：{e}")))?;
        writeln!(out, "{text}")?;
    } else {
        write!(out, "{}", render(&stats, config, &config.stdout_painter()))?;
        if !stats.unloaded.is_empty() {
            writeln!(out, "\n这次没有加载的卡组（进度保留，不算删除）：")?;
            for (deck, n) in &stats.unloaded {
                let from = seen.get(deck).map_or(String::new(), |p| {
                    format!("，上次从 {} 加载", sanitize_line(p))
                });
                writeln!(out, "  {}：{n} 张卡片有进度{from}", sanitize_line(deck))?;
            }
            writeln!(
                out,
                "用 --decks 指定卡组目录，或写进设置文件的 decks（见 docs/study.md）。"
            )?;
        }
    }
    // The process ends right after this: leave the decks and the 50k card
    // states to the OS instead of freeing them string by string.
    std::mem::forget(states);
    std::mem::forget(rows);
    std::mem::forget(library);
    Ok(Exit::Ok)
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// The text report.
pub fn render(stats: &Stats, config: &Config, painter: &Painter) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "{}  累计复习 {} 次\n",
        painter.bold(&format!("学习者：{}", sanitize_line(&stats.learner))),
        stats.reviews_total
    ));
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    crate::term::fit_table(&mut table);
    table.set_header([
        "卡组",
        "卡片",
        "新卡",
        "学习中",
        "复习中",
        "现在到期",
        "错题本",
        "30 天保持率",
    ]);
    for d in &stats.decks {
        let right = |n: usize| Cell::new(n).set_alignment(CellAlignment::Right);
        table.add_row(vec![
            Cell::new(sanitize_line(&d.title)),
            right(d.cards),
            right(d.new),
            right(d.learning),
            right(d.review),
            right(d.due),
            right(d.mistakes),
            Cell::new(percent(d.retention)).set_alignment(CellAlignment::Right),
        ]);
    }
    s.push_str(&format!("{table}\n"));
    let suspended: usize = stats.decks.iter().map(|d| d.suspended).sum();
    if suspended > 0 {
        s.push_str(&format!(
            "已暂停 {suspended} 张卡片，不算到期（恢复：dangke cards --resume）。\n"
        ));
    }

    s.push_str("\n未来 7 天到期：\n");
    let max = stats.forecast.iter().copied().max().unwrap_or(0).max(1);
    let today = config.clock.today();
    for (i, n) in stats.forecast.iter().enumerate() {
        let label = match i {
            0 => "今天".to_owned(),
            1 => "明天".to_owned(),
            2 => "后天".to_owned(),
            _ => {
                let d = today.saturating_add((i as i64).days());
                format!("{:02}-{:02}", d.month(), d.day())
            }
        };
        let bar = "█".repeat((n * 30).div_ceil(max));
        // Padded by display width: 今天 is as wide as 03-05.
        let pad = " ".repeat(5usize.saturating_sub(crate::term::width(&label)));
        s.push_str(&format!("  {label}{pad} {} {n}\n", painter.good(&bar)));
    }

    s.push_str(&format!(
        "\n近 30 天真实保持率：{}（复习中卡片的 {} 次复习）\n",
        percent(stats.retention),
        stats.retention_reviews
    ));

    s.push_str(&format!(
        "\n近 {HEATMAP_WEEKS} 周每天复习次数\n（· 无  ░ 1–2  ▒ 3–5  ▓ 6–10  █ 10 以上）：\n"
    ));
    s.push_str(&heatmap(stats, config));

    let leeches: Vec<&String> = stats.decks.iter().flat_map(|d| &d.leeches).collect();
    let changed: Vec<&String> = stats.decks.iter().flat_map(|d| &d.changed).collect();
    list(
        &mut s,
        &format!("难记的卡片（遗忘 ≥ {LEECH_LAPSES} 次）"),
        &leeches,
    );
    list(&mut s, "学过之后内容有修改的卡片（进度保留）", &changed);
    list(
        &mut s,
        "已从卡组中删除的卡片（复习记录保留）",
        &stats.orphaned.iter().collect::<Vec<_>>(),
    );
    s
}

fn list(s: &mut String, title: &str, keys: &[&String]) {
    if keys.is_empty() {
        return;
    }
    s.push_str(&format!("\n{title}：{} 张\n", keys.len()));
    for key in keys.iter().take(20) {
        s.push_str(&format!("  {}\n", sanitize_line(key)));
    }
    if keys.len() > 20 {
        s.push_str(&format!("  …… 另有 {} 张\n", keys.len() - 20));
    }
}

/// Seven rows (Monday to Sunday), one column per week.
fn heatmap(stats: &Stats, config: &Config) -> String {
    let Some((first, _)) = stats.heatmap.first() else {
        return String::new();
    };
    // The columns start on a Monday: the days before the first Monday are
    // left out rather than shown as blanks, which would push the marks
    // after them out of line wherever a mark is drawn wider than a space.
    let offset = first
        .parse::<jiff::civil::Date>()
        .map_or(0, |d| d.weekday().to_monday_zero_offset() as usize);
    let skip = (7 - offset) % 7;
    let cells: Vec<Option<usize>> = stats
        .heatmap
        .iter()
        .skip(skip)
        .map(|(_, n)| Some(*n))
        .collect();
    let weeks = cells.len().div_ceil(7);
    let painter = config.stdout_painter();
    let mut s = String::new();
    for (row, name) in ["一", "二", "三", "四", "五", "六", "日"]
        .iter()
        .enumerate()
    {
        s.push_str(&format!("  {name} "));
        for week in 0..weeks {
            let cell = match cells.get(week * 7 + row).copied().flatten() {
                None => " ",
                Some(0) => "·",
                Some(1..=2) => "░",
                Some(3..=5) => "▒",
                Some(6..=10) => "▓",
                Some(_) => "█",
            };
            s.push_str(&painter.good(cell));
            s.push(' ');
        }
        s.push('\n');
    }
    s
}
