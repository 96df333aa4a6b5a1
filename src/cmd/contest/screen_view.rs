//! `dangke contest --screen [ID]`: the projector screen of a contest hosted
//! in another terminal (`dangke contest --host`). It follows the host's
//! saved actions in the database, replaying them whenever new ones arrive,
//! and runs the clock itself; it changes nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use super::projector::{Screen, draw, hung_up, watch_signals, watchdog};
use super::replay;
use crate::cmd::clock_now;
use crate::config::Config;
use crate::contest::engine::{Action, Contest};
use crate::contest::screen::Overlay;
use crate::deck::Library;
use crate::error::{Error, Exit, Result};
use crate::store::Store;
use crate::term::Painter;

/// How often the database is asked for new host actions.
const FOLLOW: Duration = Duration::from_millis(300);

pub(super) fn run(store: &Store, id: i64, library: &Library, config: &Config) -> Result<Exit> {
    let contests = store.contests()?;
    let id = if id == 0 {
        contests.first().map(|c| c.id).ok_or_else(|| {
            Error::NotFound("还没有竞赛记录（先用 dangke contest --host 开始一场）".to_owned())
        })?
    } else {
        contests
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.id)
            .ok_or_else(|| {
                Error::NotFound(format!("没有第 {id} 场竞赛（用 dangke contests 查看编号）"))
            })?
    };
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(&stop)?;
    let epoch = Instant::now();
    let beat = Arc::new(AtomicU64::new(0));
    watchdog(Arc::clone(&stop), Arc::clone(&beat), epoch);
    let _screen = Screen::enter()?;
    let painter = Painter::new(config.colors.stdout);
    let mut shown: Option<(usize, Contest<'_>)> = None;
    let mut message = String::new();
    let mut last_follow: Option<Instant> = None;
    let mut last_tick = Instant::now();
    loop {
        beat.store(epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
        if stop.load(Ordering::Relaxed) || hung_up() {
            return Ok(Exit::Ok);
        }
        if last_follow.is_none_or(|t| t.elapsed() >= FOLLOW) {
            last_follow = Some(Instant::now());
            let saved = store.contest_replay(id)?;
            let count = saved.inputs.len();
            let last_input = saved.inputs.last().map(|(at, _)| *at);
            if shown.as_ref().is_none_or(|(n, _)| *n != count) {
                // Read while the host writes: a torn read is tried again.
                let Ok((mut contest, _)) = replay(store, id, library) else {
                    continue;
                };
                message = contest
                    .log
                    .last()
                    .map(|e| e.text.clone())
                    .unwrap_or_default();
                // The clock has run since the host's last input (a pause
                // or added time included: they are saved too).
                if let Some(at) = last_input {
                    let behind = clock_now(config).secs() - at;
                    if behind > 0 {
                        contest.apply(&Action::Tick(behind), "", at).ok();
                    }
                }
                last_tick = Instant::now();
                shown = Some((count, contest));
            }
        }
        if let Some((_, contest)) = &shown {
            let overlay = Overlay {
                message: &message,
                input: "",
                help: false,
                viewer: true,
            };
            if draw(contest, &overlay, &painter).is_err() {
                return Ok(Exit::Ok);
            }
        }
        match event::poll(Duration::from_millis(100)) {
            Err(_) => return Ok(Exit::Ok),
            Ok(false) => {}
            Ok(true) => match event::read() {
                Err(_) => return Ok(Exit::Ok),
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    let ctrl_c = key.code == KeyCode::Char('c')
                        && key.modifiers.contains(KeyModifiers::CONTROL);
                    if ctrl_c || matches!(key.code, KeyCode::Char('q' | 'Q') | KeyCode::Esc) {
                        return Ok(Exit::Ok);
                    }
                }
                Ok(Event::Resize(..)) => {
                    let _ = crossterm::execute!(
                        std::io::stdout(),
                        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
                    );
                }
                Ok(_) => {}
            },
        }
        if last_tick.elapsed() >= Duration::from_secs(1) {
            last_tick = Instant::now();
            if let Some((_, contest)) = shown.as_mut() {
                let m = contest.tick_now();
                if !m.is_empty() {
                    message = m;
                }
            }
        }
    }
}
