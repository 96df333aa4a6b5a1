//! The `--host` line console's input: lines read on their own thread so
//! that a signal is noticed while the host is typing. Ctrl-C asks once;
//! SIGTERM, SIGHUP and SIGQUIT interrupt at once. Either way the contest is
//! saved and left open for `--resume`, as in the projector view.

use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// Signals seen since the last look.
pub(super) struct Signals {
    interrupt: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl Signals {
    pub(super) fn watch() -> std::io::Result<Signals> {
        let interrupt = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&interrupt))?;
        #[cfg(unix)]
        let signals = [
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
            signal_hook::consts::SIGQUIT,
        ];
        #[cfg(not(unix))]
        let signals = [signal_hook::consts::SIGTERM];
        for signal in signals {
            signal_hook::flag::register(signal, Arc::clone(&stop))?;
        }
        Ok(Signals { interrupt, stop })
    }
}

/// What the host did next.
pub(super) enum Next {
    Line(Vec<u8>),
    /// The input ended.
    End,
    /// Ctrl-C.
    CtrlC,
    /// SIGTERM, SIGHUP or SIGQUIT.
    Stop,
    /// A phone's buzzer (`--buzzers`).
    Press(crate::live::buzzer::Press),
}

/// Reads stdin line by line on a thread of its own.
pub(super) fn read_lines() -> Receiver<Vec<u8>> {
    let (send, receive) = channel();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        loop {
            let mut buf = Vec::new();
            if stdin.read_until(b'\n', &mut buf).unwrap_or(0) == 0 || send.send(buf).is_err() {
                return;
            }
        }
    });
    receive
}

/// Waits for the next line, signal or buzzer press.
pub(super) fn next_line(
    lines: &Receiver<Vec<u8>>,
    signals: &Signals,
    presses: Option<&Receiver<crate::live::buzzer::Press>>,
) -> Next {
    loop {
        if let Some(press) = presses.and_then(|p| p.try_recv().ok()) {
            return Next::Press(press);
        }
        if signals.stop.load(Ordering::Relaxed) {
            return Next::Stop;
        }
        if signals.interrupt.swap(false, Ordering::Relaxed) {
            return Next::CtrlC;
        }
        let wait = if presses.is_some() { 20 } else { 100 };
        match lines.recv_timeout(Duration::from_millis(wait)) {
            Ok(buf) => return Next::Line(buf),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Next::End,
        }
    }
}
