//! A live countdown for timed quizzes: the top line of the terminal is
//! kept out of the scrolling region and a small thread repaints the time
//! left there every quarter second, so it stays visible while the learner
//! types. Only used when stdout is a terminal; the terminal's scrolling
//! region is restored when the countdown is dropped (every way out).

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Countdown {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

/// "mm:ss".
pub fn clock_face(t: Duration) -> String {
    let secs = t.as_secs();
    format!("{:02}:{:02}", secs / 60, secs % 60)
}

/// The terminal itself, opened apart from stdout: the session holds the
/// stdout lock for its whole run, so the clock thread cannot use it.
fn terminal() -> std::io::Result<std::fs::File> {
    let path = if cfg!(windows) { "CONOUT$" } else { "/dev/tty" };
    std::fs::OpenOptions::new().write(true).open(path)
}

fn paint(tty: &mut std::fs::File, text: &str) {
    // One write: save the cursor, draw on the fixed top line, restore.
    let frame = format!("\x1b7\x1b[1;1H\x1b[2K{text}\x1b8");
    let _ = tty.write_all(frame.as_bytes());
    let _ = tty.flush();
}

impl Countdown {
    /// Starts the countdown to `deadline` on a terminal `rows` lines high.
    pub fn start(deadline: Instant, rows: u16) -> Option<Countdown> {
        if rows < 4 {
            return None;
        }
        let mut tty = terminal().ok()?;
        // Make room, keep line 1 out of the scrolling region, and put the
        // cursor back at the bottom where the session continues.
        let setup = format!("\n\x1b[2;{rows}r\x1b[{rows};1H");
        tty.write_all(setup.as_bytes()).ok()?;
        tty.flush().ok()?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::spawn(move || {
            let mut last = String::new();
            while !flag.load(Ordering::Relaxed) {
                let left = deadline.saturating_duration_since(Instant::now());
                let text = if left.is_zero() {
                    "⏱ 时间到！按回车交卷".to_owned()
                } else {
                    // Round up: 00:00 is only shown when time is up.
                    format!("⏱ 剩余 {}", clock_face(left + Duration::from_millis(999)))
                };
                if text != last {
                    paint(&mut tty, &text);
                    last = text;
                }
                std::thread::sleep(Duration::from_millis(250));
            }
        });
        Some(Countdown {
            stop,
            handle: Some(handle),
        })
    }
}

impl Drop for Countdown {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
        // Clear the top line and give the whole screen back to scrolling.
        if let Ok(mut tty) = terminal() {
            let _ = tty.write_all(b"\x1b7\x1b[1;1H\x1b[2K\x1b[r\x1b8");
            let _ = tty.flush();
        }
    }
}
