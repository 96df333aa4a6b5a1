//! The projector view of a live session in the terminal: the join screen
//! (address, room code, QR code, who joined), then per question the
//! prompt, countdown and answered count, the answer distribution and the
//! top of the leaderboard; self pace: progress per person and time left.
//! The hub publishes a [`HostView`]; [`frame`] turns it into lines (pure,
//! tested); [`run`] owns the terminal and restores it on every exit.

use std::io::Write;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::terminal::{self, ClearType};
use crossterm::{cursor, queue, style};

use super::engine::{Engine, Phase};
use super::host::HostInput;
use super::hub::{Cmd, HostCmd};
use super::{Pace, Reveal};
use crate::error::Result;
use crate::term::{FullScreen as Screen, sanitize_line, width};

/// The question on the projector.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuestionView {
    pub q: usize,
    pub kind: String,
    pub prompt: String,
    /// In the deck's order (phones show their own shuffles).
    pub options: Vec<String>,
    /// Shown only once revealed.
    pub answer: Option<String>,
    pub source: Option<String>,
}

/// What the host's screen shows, published by the hub.
#[derive(Debug, Clone, PartialEq)]
pub struct HostView {
    pub title: String,
    pub pace: Pace,
    pub reveal: Reveal,
    pub phase: Phase,
    pub seconds_left: f64,
    pub total: usize,
    /// Everyone who joined, "张三（一组）".
    pub names: Vec<String>,
    pub question: Option<QuestionView>,
    pub answered: usize,
    /// (answer, count), most first; empty until revealed.
    pub distribution: Vec<(String, usize)>,
    /// (rank, name, score), best first.
    pub top: Vec<(usize, String, i64)>,
    /// Self pace: (name, answered).
    pub progress: Vec<(String, usize)>,
    /// The last few events.
    pub log: Vec<String>,
}

impl HostView {
    pub fn new(engine: &Engine<'_>, now: i64, log: &[String]) -> HostView {
        let names = engine
            .participants
            .iter()
            .map(|p| {
                if p.team.is_empty() {
                    sanitize_line(&p.name)
                } else {
                    format!("{}（{}）", sanitize_line(&p.name), sanitize_line(&p.team))
                }
            })
            .collect();
        let shown = matches!(engine.phase, Phase::Revealed { .. } | Phase::Ended);
        let question = engine.current().map(|q| {
            let card = engine.card(q);
            let options = match &card.body {
                crate::deck::Body::Choice { options, .. }
                | crate::deck::Body::Multi { options, .. } => options.clone(),
                _ => Vec::new(),
            };
            QuestionView {
                q,
                kind: card.kind().label().to_owned(),
                prompt: card.prompt_shown(),
                options,
                answer: shown.then(|| card.answer_text()),
                source: shown.then(|| super::protocol::source(engine, q)),
            }
        });
        let revealed_q = match engine.phase {
            Phase::Revealed { q } => Some(q),
            _ => None,
        };
        let ranks = engine.leaderboard();
        HostView {
            title: sanitize_line(&engine.spec.title),
            pace: engine.spec.pace,
            reveal: engine.spec.reveal,
            phase: engine.phase,
            seconds_left: engine.seconds_left(now),
            total: engine.paper.len(),
            names,
            question,
            answered: engine.current().map_or(0, |q| engine.answered_count(q)),
            distribution: revealed_q.map_or_else(Vec::new, |q| engine.distribution(q)),
            top: ranks
                .iter()
                .take(5)
                .map(|&(p, place)| {
                    let part = &engine.participants[p];
                    (place, sanitize_line(&part.name), part.score())
                })
                .collect(),
            progress: engine
                .participants
                .iter()
                .map(|p| (sanitize_line(&p.name), p.answered()))
                .collect(),
            log: log.to_vec(),
        }
    }
}

/// The QR code of `url` in Unicode half blocks (light modules drawn, for
/// a dark terminal), one string per line.
pub fn qr_lines(url: &str) -> Vec<String> {
    use qrcode::render::unicode::Dense1x2;
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build()
            .lines()
            .map(str::to_owned)
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn bar(count: usize, most: usize, cells: usize) -> String {
    let n = if most == 0 {
        0
    } else {
        (count * cells).div_ceil(most)
    };
    "█".repeat(n)
}

/// The screen as lines no wider than `cols` (text cut to fit).
pub fn frame(view: &HostView, url: &str, room: &str, qr: &[String], cols: usize) -> Vec<String> {
    let cols = cols.max(20);
    let mut lines = Vec::new();
    let fit = |s: String| cut(&s, cols);
    lines.push(fit(format!(
        "{}  ·  {}  ·  房间号 {room}",
        view.title,
        match view.pace {
            Pace::Host => "主持人逐题",
            Pace::SelfPaced => "限时自主作答",
        }
    )));
    lines.push(String::new());
    match view.phase {
        Phase::Lobby => {
            lines.push(fit(format!(
                "手机连接同一 Wi-Fi，打开 {url}  输入房间号 {room}，或扫码："
            )));
            lines.extend(qr.iter().cloned());
            lines.push(fit(format!(
                "已加入 {} 人：{}",
                view.names.len(),
                view.names.join("、")
            )));
            lines.push(String::new());
            lines.push("按 Enter 开始 · q 结束".to_owned());
        }
        Phase::Open { .. } | Phase::Closed { .. } | Phase::Revealed { .. } => {
            if let Some(q) = &view.question {
                lines.push(fit(format!(
                    "第 {}/{} 题（{}）{}",
                    q.q + 1,
                    view.total,
                    q.kind,
                    match view.phase {
                        Phase::Open { .. } => format!("  剩余 {:.0} 秒", view.seconds_left.ceil()),
                        Phase::Closed { .. } => "  时间到".to_owned(),
                        _ => "  已公布答案".to_owned(),
                    }
                )));
                for l in
                    crate::term::wrap(&sanitize_line(&q.prompt), cols.saturating_sub(2)).lines()
                {
                    lines.push(l.to_owned());
                }
                for (i, o) in q.options.iter().enumerate() {
                    lines.push(fit(format!(
                        "  {}. {}",
                        crate::deck::option_letter(i),
                        sanitize_line(o)
                    )));
                }
                lines.push(String::new());
                lines.push(format!("已作答 {}/{}", view.answered, view.names.len()));
                if let Some(answer) = &q.answer {
                    lines.push(fit(format!("答案：{}", sanitize_line(answer))));
                    if let Some(source) = q.source.as_ref().filter(|s| !s.is_empty()) {
                        lines.push(fit(format!("出处：{source}")));
                    }
                    let most = view.distribution.first().map_or(0, |d| d.1);
                    for (answer, count) in view.distribution.iter().take(6) {
                        lines.push(fit(format!(
                            "  {} {:>3} {}",
                            pad(&sanitize_line(answer), 16),
                            count,
                            bar(*count, most, 20)
                        )));
                    }
                }
                if matches!(view.phase, Phase::Revealed { .. }) {
                    top(view, &mut lines, &fit);
                }
            }
            lines.push(String::new());
            lines.push(
                match view.phase {
                    Phase::Open { .. } => "Enter 结束作答并公布 · r 立即公布 · q 结束",
                    Phase::Closed { .. } if view.reveal == Reveal::Each => {
                        "Enter 公布答案 · q 结束"
                    }
                    _ => "Enter 下一题 · q 结束",
                }
                .to_owned(),
            );
        }
        Phase::Running { .. } => {
            let secs = view.seconds_left.ceil() as u64;
            lines.push(format!(
                "剩余 {}:{:02} · 共 {} 题",
                secs / 60,
                secs % 60,
                view.total
            ));
            let done = view.progress.iter().filter(|p| p.1 == view.total).count();
            lines.push(format!("已交卷 {done}/{}", view.progress.len()));
            for (name, n) in &view.progress {
                lines.push(fit(format!(
                    "  {} {:>3}/{} {}",
                    pad(name, 12),
                    n,
                    view.total,
                    bar(*n, view.total, 20)
                )));
            }
            lines.push(String::new());
            lines.push("Enter 提前收卷 · q 结束".to_owned());
        }
        Phase::Ended => {
            lines.push(format!("答题结束 · {} 人参加", view.names.len()));
            top(view, &mut lines, &fit);
            lines.push(String::new());
            lines.push("q 退出".to_owned());
        }
    }
    if !view.log.is_empty() {
        lines.push(String::new());
        lines.extend(view.log.iter().map(|l| fit(l.clone())));
    }
    lines
}

/// At most `cells` terminal columns of `text`, "…" marking a cut.
fn cut(text: &str, cells: usize) -> String {
    if width(text) <= cells {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = crate::term::char_width(c);
        if used + w + 1 > cells {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

fn pad(text: &str, cells: usize) -> String {
    let text = cut(text, cells);
    let w = width(&text);
    format!("{text}{}", " ".repeat(cells.saturating_sub(w)))
}

fn top(view: &HostView, lines: &mut Vec<String>, fit: &dyn Fn(String) -> String) {
    if view.top.is_empty() {
        return;
    }
    lines.push(String::new());
    lines.push("排行榜".to_owned());
    for (place, name, score) in &view.top {
        lines.push(fit(format!("  {place}. {} {score}", pad(name, 12))));
    }
}

fn draw(lines: &[String]) -> std::io::Result<()> {
    let (_, rows) = terminal::size().unwrap_or((100, 30));
    let mut stdout = std::io::stdout();
    queue!(stdout, cursor::MoveTo(0, 0))?;
    for (i, line) in lines.iter().take(rows as usize).enumerate() {
        queue!(
            stdout,
            cursor::MoveTo(0, i as u16),
            terminal::Clear(ClearType::CurrentLine),
            style::Print(line)
        )?;
    }
    queue!(stdout, terminal::Clear(ClearType::FromCursorDown))?;
    stdout.flush()
}

/// Runs the host's terminal until the host quits (confirmed) or the hub
/// stops. `view` is what the hub publishes.
pub fn run(
    hub: &Sender<Cmd>,
    input: &Receiver<HostInput>,
    view: &Arc<Mutex<Option<HostView>>>,
    url: &str,
    room: &str,
) -> Result<()> {
    // The QR code carries the room code too.
    let qr = qr_lines(&format!("{url}?room={room}"));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    let signals = [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ];
    #[cfg(not(unix))]
    let signals = [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT];
    for signal in signals {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let screen = Screen::enter()?;
    let epoch = Instant::now();
    let beat = Arc::new(std::sync::atomic::AtomicU64::new(0));
    crate::term::watchdog(
        Arc::clone(&stop),
        Arc::clone(&beat),
        epoch,
        "现场答题中断（终端已断开）：已保存的加入和答案可用 dangke live --resume 继续（同一房间号）。",
    );
    let mut confirming = false;
    loop {
        beat.store(
            epoch.elapsed().as_millis() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        // A closed window or a dropped SSH connection without SIGHUP: the
        // terminal library would spin on the dead terminal for ever.
        if stop.load(std::sync::atomic::Ordering::Relaxed) || crate::term::hung_up() {
            // Killed from outside: everything accepted is committed, so the
            // session is left open to resume rather than ended.
            drop(screen);
            let _ = writeln!(
                std::io::stderr(),
                "现场答题中断：已保存的加入和答案可用 dangke live --resume 继续（同一房间号）。"
            );
            std::process::exit(1);
        }
        match input.try_recv() {
            Ok(HostInput::Stopped) | Err(TryRecvError::Disconnected) => return Ok(()),
            Ok(_) => continue,
            Err(TryRecvError::Empty) => {}
        }
        let (cols, _) = terminal::size().unwrap_or((100, 30));
        let mut lines = match view.lock().ok().and_then(|v| v.clone()) {
            Some(v) => frame(&v, url, room, &qr, cols as usize),
            None => vec!["正在准备……".to_owned()],
        };
        if confirming {
            lines.push(String::new());
            lines.push("确认结束本场答题？按 y 结束，其他键继续。".to_owned());
        }
        draw(&lines)?;
        if !event::poll(Duration::from_millis(200))? {
            continue;
        }
        let Event::Key(key) = event::read()? else {
            continue;
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if confirming {
            confirming = false;
            if matches!(key.code, KeyCode::Char('y' | 'Y')) || ctrl_c {
                break;
            }
            continue;
        }
        let cmd = match key.code {
            _ if ctrl_c => {
                confirming = true;
                None
            }
            KeyCode::Char('q' | 'Q') | KeyCode::Esc => {
                confirming = true;
                None
            }
            KeyCode::Enter | KeyCode::Char('n' | 'N' | ' ') => Some(HostCmd::Next),
            KeyCode::Char('r' | 'R') => Some(HostCmd::Reveal),
            _ => None,
        };
        if let Some(cmd) = cmd
            && hub.send(Cmd::Host(cmd)).is_err()
        {
            return Ok(());
        }
    }
    let _ = hub.send(Cmd::Host(HostCmd::Quit));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(phase: Phase) -> HostView {
        HostView {
            title: "支部测验".into(),
            pace: Pace::Host,
            reveal: Reveal::Each,
            phase,
            seconds_left: 12.3,
            total: 10,
            names: vec!["张三".into(), "李四（一组）".into()],
            question: Some(QuestionView {
                q: 2,
                kind: "单选".into(),
                prompt: "三大作风包括哪一项？".into(),
                options: vec!["批评和自我批评".into(), "三问于民".into()],
                answer: None,
                source: None,
            }),
            answered: 1,
            distribution: Vec::new(),
            top: vec![(1, "张三".into(), 140), (2, "李四".into(), 0)],
            progress: vec![("张三".into(), 3), ("李四".into(), 10)],
            log: vec!["answered 2 1/2".into()],
        }
    }

    #[test]
    fn the_join_screen_has_address_room_qr_and_names() {
        let qr = qr_lines("http://192.168.1.5:8080/?room=123456");
        assert!(qr.len() > 10, "{qr:?}");
        assert!(qr.iter().all(|l| l.chars().all(|c| " ▀▄█".contains(c))));
        let lines = frame(
            &view(Phase::Lobby),
            "http://192.168.1.5:8080/",
            "123456",
            &qr,
            100,
        );
        let text = lines.join("\n");
        assert!(text.contains("http://192.168.1.5:8080/"), "{text}");
        assert!(text.contains("房间号 123456"));
        assert!(text.contains("已加入 2 人：张三、李四（一组）"));
    }

    #[test]
    fn an_open_question_shows_count_and_time_but_no_answer() {
        let lines = frame(
            &view(Phase::Open {
                q: 2,
                opened: 0,
                deadline: 1,
            }),
            "u",
            "1",
            &[],
            80,
        );
        let text = lines.join("\n");
        assert!(text.contains("第 3/10 题（单选）  剩余 13 秒"), "{text}");
        assert!(text.contains("A. 批评和自我批评"));
        assert!(text.contains("已作答 1/2"));
        assert!(!text.contains("答案："));
        assert!(!text.contains("排行榜"), "no leaderboard while answering");
    }

    /// The host's keys follow the question's phase: while it is open,
    /// Enter closes and reveals; once closed, Enter reveals; once revealed,
    /// Enter goes on.
    #[test]
    fn the_hosts_keys_follow_the_questions_phase() {
        let keys = |phase: Phase, reveal: Reveal| {
            let mut v = view(phase);
            v.reveal = reveal;
            frame(&v, "u", "1", &[], 80)
                .into_iter()
                .find(|l| l.starts_with("Enter "))
                .unwrap_or_default()
        };
        let open = Phase::Open {
            q: 2,
            opened: 0,
            deadline: 1,
        };
        for reveal in [Reveal::Each, Reveal::End] {
            assert_eq!(
                keys(open, reveal),
                "Enter 结束作答并公布 · r 立即公布 · q 结束"
            );
        }
        let closed = Phase::Closed { q: 2 };
        assert_eq!(keys(closed, Reveal::Each), "Enter 公布答案 · q 结束");
        assert_eq!(keys(closed, Reveal::End), "Enter 下一题 · q 结束");
        assert_eq!(
            keys(Phase::Revealed { q: 2 }, Reveal::Each),
            "Enter 下一题 · q 结束"
        );
    }

    #[test]
    fn a_reveal_shows_answer_distribution_and_leaders() {
        let mut v = view(Phase::Revealed { q: 2 });
        if let Some(q) = v.question.as_mut() {
            q.answer = Some("A. 批评和自我批评".into());
        }
        v.distribution = vec![("批评和自我批评".into(), 1), ("三问于民".into(), 1)];
        let text = frame(&v, "u", "1", &[], 80).join("\n");
        assert!(text.contains("答案：A. 批评和自我批评"), "{text}");
        assert!(text.contains("排行榜"));
        assert!(text.contains("1. 张三"));
        // Self pace: progress per person and the time left.
        let mut v = view(Phase::Running {
            started: 0,
            deadline: 1,
        });
        v.seconds_left = 125.0;
        let text = frame(&v, "u", "1", &[], 80).join("\n");
        assert!(text.contains("剩余 2:05"), "{text}");
        assert!(text.contains("已交卷 1/2"));
        // Nothing wider than the screen.
        for line in frame(&view(Phase::Lobby), &"x".repeat(300), "1", &[], 40) {
            assert!(width(&line) <= 40, "{line}");
        }
    }
}
