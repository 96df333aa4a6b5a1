//! The full-screen projector view: alternate screen, a ticking clock,
//! buzzer keys, a confirmation before quitting, a help overlay, and a
//! terminal that is restored on every exit. A lost terminal (reads that
//! fail with EIO) or a signal ends the contest as interrupted: everything
//! acknowledged is already saved and `--resume` continues it.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::terminal::{self, ClearType};
use crossterm::{cursor, execute, queue, style};

use super::{Ending, Recorder, apply_and_save};
use crate::cmd::clock_now;
use crate::config::Config;
use crate::contest::RoundKind;
use crate::contest::engine::{Action, Contest, Phase, parse_action};
use crate::contest::screen::{self, Overlay};
use crate::error::Result;
use crate::term::Painter;

pub(super) use crate::term::FullScreen as Screen;
pub(super) use crate::term::hung_up;

/// The signals that end a contest as interrupted: SIGTERM, a closed window
/// (SIGHUP), and SIGINT / SIGQUIT sent from outside (raw mode turns the
/// keys into plain input).
pub(super) fn watch_signals(stop: &Arc<AtomicBool>) -> std::io::Result<()> {
    #[cfg(unix)]
    let signals = [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ];
    #[cfg(not(unix))]
    let signals = [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT];
    for signal in signals {
        signal_hook::flag::register(signal, Arc::clone(stop))?;
    }
    Ok(())
}

/// The contest's watchdog: see [`crate::term::watchdog`].
pub(super) fn watchdog(stop: Arc<AtomicBool>, beat: Arc<AtomicU64>, epoch: Instant) {
    crate::term::watchdog(
        stop,
        beat,
        epoch,
        "竞赛中断（终端已断开）：已保存的操作可用 dangke contest --resume 继续。",
    );
}

pub(super) fn draw(
    contest: &Contest<'_>,
    overlay: &Overlay<'_>,
    painter: &Painter,
) -> std::io::Result<()> {
    let (cols, rows) = terminal::size().unwrap_or((100, 30));
    let lines = screen::frame(contest, cols as usize, rows as usize, overlay, painter);
    let mut stdout = std::io::stdout();
    for (i, line) in lines.iter().enumerate() {
        queue!(
            stdout,
            cursor::MoveTo(0, i as u16),
            terminal::Clear(ClearType::CurrentLine),
            style::Print(line)
        )?;
    }
    stdout.flush()
}

/// The host's side of the screen.
struct Host {
    message: String,
    input: String,
    help: bool,
    confirm_quit: bool,
    warned_next: bool,
    /// When the buzz question on screen was opened.
    opened_at: Option<Instant>,
}

/// The team a buzzer key belongs to: F1–F9, or the contest's keys
/// (default 1–9) when nothing is being typed.
fn buzzer(contest: &Contest<'_>, key: &KeyEvent, typing: bool) -> Option<usize> {
    let team = match key.code {
        KeyCode::F(n) => usize::from(n).checked_sub(1)?,
        KeyCode::Char(c) if !typing => contest.buzzer_keys().iter().position(|&k| k == c)?,
        _ => return None,
    };
    (team < contest.state.teams.len()).then_some(team)
}

fn buzz_round(contest: &Contest<'_>) -> bool {
    contest
        .round()
        .is_some_and(|r| matches!(r.kind, RoundKind::Buzz | RoundKind::Tiebreak))
        && contest.state.phase == Phase::Question
}

pub(super) fn run(
    contest: &mut Contest<'_>,
    recorder: &mut Recorder<'_>,
    config: &Config,
    resumed: bool,
    presses: Option<&std::sync::mpsc::Receiver<crate::live::buzzer::Press>>,
    buzzers_url: Option<String>,
) -> Result<Ending> {
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(&stop)?;
    let epoch = Instant::now();
    let beat = Arc::new(AtomicU64::new(0));
    watchdog(Arc::clone(&stop), Arc::clone(&beat), epoch);
    let _screen = Screen::enter()?;
    let painter = Painter::new(config.colors.stdout);
    let mut host = Host {
        message: if resumed {
            format!(
                "已恢复中断的竞赛（{} 条记录）；? 查看全部操作",
                contest.log.len()
            )
        } else {
            match &buzzers_url {
                Some(url) => format!("手机抢答器：{url}；按 n 开始（? 查看全部操作）"),
                None => "按 n 开始（? 查看全部操作）".to_owned(),
            }
        },
        input: String::new(),
        help: false,
        confirm_quit: false,
        warned_next: false,
        opened_at: contest
            .state
            .current
            .as_ref()
            .filter(|c| c.open)
            .map(|_| Instant::now()),
    };
    let mut last_tick = Instant::now();
    loop {
        beat.store(epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
        if stop.load(Ordering::Relaxed) {
            return Ok(Ending::Interrupted);
        }
        let overlay = Overlay {
            message: &host.message,
            input: &host.input,
            help: host.help,
            viewer: false,
        };
        if draw(contest, &overlay, &painter).is_err() {
            return Ok(Ending::Interrupted);
        }
        let timeout = Duration::from_millis(250)
            .min(Duration::from_secs(1).saturating_sub(last_tick.elapsed()));
        // A hung-up terminal is noticed here; one that hangs up while the
        // terminal library waits makes it spin, and the watchdog ends that.
        if hung_up() {
            return Ok(Ending::Interrupted);
        }
        match event::poll(timeout) {
            Err(_) => return Ok(Ending::Interrupted),
            Ok(false) => {}
            Ok(true) => match event::read() {
                Err(_) => return Ok(Ending::Interrupted),
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    if let Some(ending) = on_key(contest, recorder, config, &mut host, &key)? {
                        return Ok(ending);
                    }
                }
                Ok(Event::Resize(..)) => {
                    let _ = execute!(std::io::stdout(), terminal::Clear(ClearType::All));
                }
                Ok(_) => {}
            },
        }
        // Phone buzzers, in the order the server read them.
        while let Some(press) = presses.and_then(|p| p.try_recv().ok()) {
            let ms = match (
                contest.state.current.as_ref().is_some_and(|c| c.open),
                host.opened_at,
            ) {
                (true, Some(t)) => press.at.saturating_duration_since(t).as_millis() as u64,
                _ => 0,
            };
            let typed = format!("b {} {ms}", press.team + 1);
            run_command(contest, recorder, config, &mut host, &typed)?;
        }
        if last_tick.elapsed() >= Duration::from_secs(1) {
            last_tick = Instant::now();
            let m = contest.tick_now();
            if !m.is_empty() {
                host.message = m;
            }
        }
    }
}

/// One key press; `Some` when the contest screen should close.
fn on_key(
    contest: &mut Contest<'_>,
    recorder: &mut Recorder<'_>,
    config: &Config,
    host: &mut Host,
    key: &KeyEvent,
) -> Result<Option<Ending>> {
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    if contest.state.phase == Phase::Finished {
        // The podium stays until the host leaves it on purpose.
        return Ok(matches!(
            key.code,
            KeyCode::Char('q' | 'Q') | KeyCode::Enter | KeyCode::Esc
        )
        .then_some(Ending::Done)
        .or(ctrl_c.then_some(Ending::Done)));
    }
    if host.help {
        host.help = false;
        return Ok(None);
    }
    if host.confirm_quit {
        host.confirm_quit = false;
        if ctrl_c || matches!(key.code, KeyCode::Char('q' | 'Q')) {
            let at = clock_now(config).secs();
            apply_and_save(contest, recorder, &Action::Quit, "q", at)?.ok();
            // The podium comes next and stays until the host leaves it.
            host.message = "竞赛结束".to_owned();
            return Ok(None);
        }
        host.message = "继续竞赛".to_owned();
        return Ok(None);
    }
    if ctrl_c || (host.input.is_empty() && matches!(key.code, KeyCode::Char('q' | 'Q'))) {
        host.confirm_quit = true;
        host.input.clear();
        host.message = "确定结束竞赛吗？再按 q 结束，按其他键继续".to_owned();
        return Ok(None);
    }
    if buzz_round(contest)
        && let Some(team) = buzzer(contest, key, !host.input.is_empty())
    {
        let open = contest.state.current.as_ref().is_some_and(|c| c.open);
        let ms = match (open, host.opened_at) {
            (true, Some(t)) => t.elapsed().as_millis() as u64,
            _ => 0,
        };
        let typed = format!("b {} {ms}", team + 1);
        run_command(contest, recorder, config, host, &typed)?;
        return Ok(None);
    }
    let command = match key.code {
        KeyCode::Enter => Some(std::mem::take(&mut host.input)),
        KeyCode::Backspace => {
            host.input.pop();
            None
        }
        KeyCode::Esc => {
            host.input.clear();
            None
        }
        KeyCode::Char(c) if host.input.is_empty() && "?？".contains(c) => {
            host.help = true;
            None
        }
        KeyCode::Char(c) if host.input.is_empty() && "nrp][uso".contains(c) => Some(c.to_string()),
        KeyCode::Char(c) => {
            host.input.push(c);
            None
        }
        _ => None,
    };
    if let Some(command) = command.filter(|c| !c.trim().is_empty()) {
        run_command(contest, recorder, config, host, &command)?;
    }
    Ok(None)
}

fn run_command(
    contest: &mut Contest<'_>,
    recorder: &mut Recorder<'_>,
    config: &Config,
    host: &mut Host,
    command: &str,
) -> Result<()> {
    let action = match parse_action(command) {
        Ok(action) => action,
        Err(e) => {
            host.message = format!("！{e}");
            return Ok(());
        }
    };
    if action == Action::Next
        && !host.warned_next
        && let Some(w) = contest.next_warning()
    {
        host.warned_next = true;
        host.message = format!("！{w}");
        return Ok(());
    }
    host.warned_next = false;
    let at = clock_now(config).secs();
    host.message = match apply_and_save(contest, recorder, &action, command, at)? {
        Ok(m) => {
            match action {
                Action::Open => host.opened_at = Some(Instant::now()),
                Action::Next | Action::Skip => host.opened_at = None,
                _ => {}
            }
            m
        }
        Err(e) => format!("！{e}"),
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contest::ContestSpec;
    use crate::contest::engine::{Action, Contest};
    use crate::deck::Library;
    use crate::session::{CardFilter, entries};

    /// Buzzer keys count only during a question of a buzz round.
    #[test]
    fn buzzers_are_live_only_in_a_buzz_rounds_question() {
        let lib = Library::load(&[]).unwrap().0;
        let mut c = Contest::new(
            ContestSpec::preset(),
            &lib,
            entries(&lib, &CardFilter::default()),
            5,
        );
        assert!(!buzz_round(&c), "before the first round");
        c.apply(&Action::Next, "n", 0).unwrap();
        assert_ne!(c.round().map(|r| r.kind), Some(RoundKind::Buzz));
        assert!(!buzz_round(&c), "a question of the first (turn) round");
        let mut seen = false;
        for _ in 0..40 {
            c.apply(&Action::Next, "n", 0).unwrap();
            if c.round().is_some_and(|r| r.kind == RoundKind::Buzz)
                && c.state.phase == Phase::Question
            {
                seen = true;
                assert!(buzz_round(&c));
                break;
            }
        }
        assert!(seen, "reached a buzz round's question");
    }
}
