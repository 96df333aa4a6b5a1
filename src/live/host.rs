//! The host's side of a live session: the scripted host (stdin not a
//! terminal) reads `next`, `reveal`, `quit`, `wait N` lines; the terminal
//! host draws the projector view (see `screen`). Both only send host
//! commands to the hub and read what it publishes.

use std::io::{BufRead, Write};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use super::hub::{Cmd, HostCmd};

/// One scripted line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Line {
    Cmd(HostCmd),
    Wait(f64),
    Unknown,
    Blank,
}

pub fn parse_line(line: &str) -> Line {
    let line = line.trim();
    let mut words = line.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (None, _, _) => Line::Blank,
        (Some("next" | "n"), None, _) => Line::Cmd(HostCmd::Next),
        (Some("reveal" | "r"), None, _) => Line::Cmd(HostCmd::Reveal),
        (Some("quit" | "q"), None, _) => Line::Cmd(HostCmd::Quit),
        (Some("wait"), Some(n), None) => match n.parse::<f64>() {
            Ok(s) if s.is_finite() && (0.0..=3600.0).contains(&s) => Line::Wait(s),
            _ => Line::Unknown,
        },
        _ => Line::Unknown,
    }
}

/// What reaches the host's loop: a line typed (scripted host), an event
/// from the hub, or the hub stopping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostInput {
    Line(String),
    /// End of the host's input.
    Eof,
    Event(String),
    Stopped,
}

/// Reads stdin lines on a thread of its own into the host's channel.
pub fn read_stdin(tx: Sender<HostInput>) {
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(HostInput::Line(line)).is_err() {
                return;
            }
        }
        let _ = tx.send(HostInput::Eof);
    });
}

/// Runs the scripted host until `quit`, end of input, or the hub
/// stopping; prints every hub event as a line on `out`.
pub fn scripted(
    hub: &Sender<Cmd>,
    input: &Receiver<HostInput>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut waiting: Option<Instant> = None;
    let mut queued: std::collections::VecDeque<String> = Default::default();
    loop {
        let timeout = waiting.map_or(Duration::from_secs(3600), |until| {
            until.saturating_duration_since(Instant::now())
        });
        let next = match waiting {
            Some(until) if Instant::now() >= until => {
                waiting = None;
                None
            }
            _ => match input.recv_timeout(timeout) {
                Ok(i) => Some(i),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            },
        };
        match next {
            Some(HostInput::Event(line)) => {
                writeln!(out, "{line}")?;
                out.flush()?;
            }
            Some(HostInput::Stopped) => return Ok(()),
            Some(HostInput::Eof) => queued.push_back("quit".to_owned()),
            Some(HostInput::Line(line)) => queued.push_back(line),
            None => {}
        }
        while waiting.is_none() {
            let Some(line) = queued.pop_front() else {
                break;
            };
            match parse_line(&line) {
                Line::Cmd(cmd) => {
                    if hub.send(Cmd::Host(cmd)).is_err() {
                        return Ok(());
                    }
                }
                Line::Wait(secs) => {
                    waiting = Some(Instant::now() + Duration::from_secs_f64(secs));
                }
                Line::Blank => {}
                Line::Unknown => {
                    eprintln!(
                        "！无法识别的主持人操作“{}”（可用：next、reveal、quit、wait 秒数）",
                        crate::term::sanitize_line(line.trim())
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_lines() {
        assert_eq!(parse_line("next"), Line::Cmd(HostCmd::Next));
        assert_eq!(parse_line("  reveal "), Line::Cmd(HostCmd::Reveal));
        assert_eq!(parse_line("quit"), Line::Cmd(HostCmd::Quit));
        assert_eq!(parse_line("wait 1.5"), Line::Wait(1.5));
        assert_eq!(parse_line("wait -1"), Line::Unknown);
        assert_eq!(parse_line("wait NaN"), Line::Unknown);
        assert_eq!(parse_line("next now"), Line::Unknown);
        assert_eq!(parse_line(""), Line::Blank);
    }
}
