//! `dangke cards`: every card's id (deck/card) with its kind, marks and
//! the start of its prompt, so a learner can name a card; and suspending,
//! resuming, flagging and unflagging cards by id.

use std::io::Write;

use super::{load_library, note_user_decks, open_learner};
use crate::cli::CardsArgs;
use crate::config::Config;
use crate::error::{Error, Exit, Result};
use crate::term::{sanitize_line, terminal_width, width};

pub fn run(config: &Config, args: &CardsArgs, out: &mut dyn Write) -> Result<Exit> {
    let library = load_library(config)?;
    for id in &args.deck {
        if library.deck(id).is_none() {
            return Err(Error::NotFound(format!(
                "没有找到卡组“{id}”（可用 dangke decks 查看）"
            )));
        }
    }
    let (mut store, learner) = open_learner(config)?;
    note_user_decks(&mut store, &library, config)?;
    let known = |key: &str| -> Result<()> {
        let found = key
            .split_once('/')
            .and_then(|(d, c)| library.deck(d).and_then(|deck| deck.card(c)))
            .is_some();
        if found {
            Ok(())
        } else {
            Err(Error::NotFound(format!(
                "没有找到卡片“{}”（卡片写作 卡组/卡片，可用 dangke cards 列出）",
                sanitize_line(key)
            )))
        }
    };
    /// Keys, the suspended and flagged marks to set, what to say, and
    /// what to say when the card already is so.
    type Change<'a> = (&'a [String], Option<bool>, Option<bool>, &'a str, &'a str);
    let changes: [Change<'_>; 4] = [
        (
            &args.suspend,
            Some(true),
            None,
            "已暂停",
            "本来就已暂停，未改动",
        ),
        (
            &args.resume,
            Some(false),
            None,
            "已恢复",
            "没有被暂停，无需恢复",
        ),
        (
            &args.flag,
            None,
            Some(true),
            "已标记",
            "本来就已标记，未改动",
        ),
        (
            &args.unflag,
            None,
            Some(false),
            "已取消标记",
            "没有被标记，未改动",
        ),
    ];
    let mut changed = false;
    for (keys, suspended, flagged, done, already) in changes {
        for key in keys {
            known(key)?;
            changed = true;
            let now_suspended = store.suspended(learner.id)?.contains(key.as_str());
            let now_flagged = store.flagged(learner.id)?.contains(key.as_str());
            if suspended.is_none_or(|s| s == now_suspended)
                && flagged.is_none_or(|f| f == now_flagged)
            {
                writeln!(out, "卡片 {} {already}。", sanitize_line(key))?;
                continue;
            }
            store.set_marks(learner.id, key, suspended, flagged)?;
            writeln!(out, "{done}：{}", sanitize_line(key))?;
        }
    }
    if changed {
        return Ok(Exit::Ok);
    }
    let suspended = store.suspended(learner.id)?;
    let flagged = store.flagged(learner.id)?;
    let mut rows: Vec<(String, String, String, String)> = Vec::new();
    for deck in &library.decks {
        if !args.deck.is_empty() && !args.deck.contains(&deck.id) {
            continue;
        }
        for card in &deck.cards {
            let key = card.key(deck);
            let (s, f) = (suspended.contains(&key), flagged.contains(&key));
            if (args.suspended && !s) || (args.flagged && !f) {
                continue;
            }
            let marks = match (s, f) {
                (true, true) => "暂停 标记",
                (true, false) => "暂停",
                (false, true) => "标记",
                (false, false) => "",
            };
            let prompt = card.prompt_shown();
            rows.push((
                sanitize_line(&key),
                card.kind().label().to_owned(),
                marks.to_owned(),
                sanitize_line(&prompt),
            ));
        }
    }
    if rows.is_empty() {
        writeln!(out, "没有符合条件的卡片。")?;
        return Ok(Exit::Ok);
    }
    let key_w = rows.iter().map(|r| width(&r.0)).max().unwrap_or(0);
    let mark_w = rows.iter().map(|r| width(&r.2)).max().unwrap_or(0);
    let term = terminal_width();
    for (key, kind, marks, prompt) in &rows {
        let mut line = format!(
            "{key}{}  {kind}  {marks}{}",
            " ".repeat(key_w - width(key)),
            " ".repeat(mark_w - width(marks))
        );
        if mark_w > 0 {
            line.push_str("  ");
        }
        // On a terminal the prompt is cut to the line (on a line of its
        // own when the ids leave too little room); in a file it is whole.
        let room = term.map_or(usize::MAX, |w| w.saturating_sub(width(&line) + 1));
        if room >= 24 {
            line.push_str(&fit(prompt, room));
            writeln!(out, "{}", line.trim_end())?;
        } else {
            writeln!(out, "{}", line.trim_end())?;
            let room = term.map_or(usize::MAX, |w| w.saturating_sub(5));
            writeln!(out, "    {}", fit(prompt, room))?;
        }
    }
    let footer = format!(
        "共 {} 张。暂停：dangke cards --suspend 卡组/卡片；恢复：--resume；标记：--flag；取消：--unflag。",
        rows.len()
    );
    writeln!(
        out,
        "\n{}",
        crate::term::wrap(&footer, crate::term::reading_width())
    )?;
    Ok(Exit::Ok)
}

/// At most `room` columns of `text`, with "…" when cut.
fn fit(text: &str, room: usize) -> String {
    if width(text) <= room {
        return text.to_owned();
    }
    let mut s = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = crate::term::char_width(c);
        if used + w + 1 > room {
            break;
        }
        s.push(c);
        used += w;
    }
    if room > 0 {
        s.push('…');
    }
    s
}
