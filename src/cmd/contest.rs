//! `dangke contest [FILE]`: runs a knowledge contest. On a terminal it is a
//! full-screen projector view (alternate screen, ticking clock, redrawn on
//! resize, restored on every exit); from a pipe it reads one host action per
//! line. Every action is saved as it happens unless `--rehearsal`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{clock_now, load_library};
use crate::config::Config;
use crate::contest::engine::{Action, Contest, LogEntry, Phase, parse_action};
use crate::contest::export::{Standing, log_csv, results_csv};
use crate::contest::{ContestSpec, screen};
use crate::deck::Library;
use crate::diag::{Report, SourceText};
use crate::error::{Error, Exit, Result};
use crate::grade::Outcome;
use crate::schedule::{Phase as CardPhase, Rating};
use crate::session::{CardFilter, entries};
use crate::store::{NewReview, Store};
use crate::term::{Painter, sanitize, sanitize_line};

/// How a contest is run.
pub struct Options<'a> {
    pub file: Option<&'a Path>,
    pub export: Option<&'a Path>,
    pub export_log: Option<&'a Path>,
    pub rehearsal: bool,
    pub learners: Option<&'a str>,
    pub seed: Option<u64>,
}

pub const HELP: &str = "\
主持人操作（每行一个）：
  n        下一题（或进入下一轮）      r        揭晓答案、解析和出处
  +N / -N  第 N 队答对 / 答错          f N      第 N 队抢答犯规
  v N 分值 风险题：第 N 队选择的分值    p        暂停 / 继续计时
  ] / [    加 / 减 30 秒               u        撤销上一个操作
  s        跳过本题（另出一题）         q        结束竞赛
  t 秒数   （仅脚本）让时间流逝若干秒";

/// Reads the contest file, or the preset.
pub fn load_spec(file: Option<&Path>, library: &Library) -> Result<ContestSpec> {
    let Some(path) = file else {
        return Ok(ContestSpec::preset());
    };
    let text = crate::deck::library::read_text(path).map_err(|d| {
        Error::Decks(Report {
            diagnostics: vec![d],
        })
    })?;
    let display = path.display().to_string();
    let src = SourceText::new(&display, &text);
    let ids: Vec<&str> = library.decks.iter().map(|d| d.id.as_str()).collect();
    let (spec, diagnostics) = crate::contest::parse(&src, &ids);
    match spec {
        Some(spec) => Ok(spec),
        None => Err(Error::Decks(Report { diagnostics }.errors_only())),
    }
}

/// `一组=张三,李四;二组=王五` → members per team index.
pub fn parse_learners(text: &str, teams: &[String]) -> Result<Vec<Vec<String>>> {
    let mut members = vec![Vec::new(); teams.len()];
    for part in text
        .split([';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (team, names) = part.split_once(['=', ':', '：']).ok_or_else(|| {
            Error::Usage(format!(
                "--learners 的写法是 队伍=成员,成员;队伍=成员，这里是“{part}”"
            ))
        })?;
        let team = team.trim();
        let index = teams
            .iter()
            .position(|t| t == team)
            .or_else(|| {
                team.parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .filter(|&n| n < teams.len())
            })
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--learners 中的队伍“{team}”不在本场竞赛中（队伍：{}）",
                    teams.join("、")
                ))
            })?;
        members[index].extend(
            names
                .split([',', '，', '、'])
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(sanitize_line),
        );
    }
    Ok(members)
}

/// Saves what the contest log gained since the last save.
struct Recorder<'s> {
    store: Option<&'s mut Store>,
    contest_id: i64,
    ids: Vec<i64>,
    undone: Vec<bool>,
}

impl Recorder<'_> {
    fn save(&mut self, contest: &Contest<'_>) -> Result<()> {
        let Some(store) = self.store.as_deref_mut() else {
            return Ok(());
        };
        let saved = self.ids.len();
        let newly_undone: Vec<i64> = (0..saved)
            .filter(|&i| contest.log[i].undone && !self.undone[i])
            .map(|i| self.ids[i])
            .collect();
        let ids = store.save_contest(
            self.contest_id,
            &contest.log[saved..],
            &newly_undone,
            &contest.state.teams,
        )?;
        self.ids.extend(ids);
        self.undone = contest.log.iter().map(|e| e.undone).collect();
        Ok(())
    }
}

pub fn run(config: &Config, opts: &Options<'_>, out: &mut dyn Write) -> Result<Exit> {
    let library = load_library(config)?;
    let spec = load_spec(opts.file, &library)?;
    let members = opts
        .learners
        .map(|l| parse_learners(l, &spec.teams))
        .transpose()?;
    let start = clock_now(config);
    let seed = opts.seed.or(spec.seed).unwrap_or(start.secs() as u64);
    let pool = entries(&library, &CardFilter::default());
    let mut contest = Contest::new(spec, &library, pool, seed);
    let mut store = if opts.rehearsal {
        None
    } else {
        Some(super::open_writer(config)?)
    };
    let contest_id = match store.as_mut() {
        Some(s) => s.create_contest(
            &contest.spec.title,
            seed,
            &contest.state.teams,
            start.secs(),
        )?,
        None => 0,
    };
    let mut recorder = Recorder {
        store: store.as_mut(),
        contest_id,
        ids: Vec::new(),
        undone: Vec::new(),
    };
    let projector = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if projector {
        projector::run(&mut contest, &mut recorder, config)?;
    } else {
        scripted(&mut contest, &mut recorder, config, out)?;
    }
    let end = clock_now(config);
    if contest.state.phase != Phase::Finished {
        contest.apply(&Action::Quit, "q", end.secs()).ok();
    }
    recorder.save(&contest)?;
    drop(recorder);
    if let Some(s) = store.as_mut() {
        s.finish_contest(contest_id, end.secs())?;
    }
    let painter = config.stdout_painter();
    final_report(&contest, opts, contest_id, &painter, out)?;
    export(&contest, opts, config, out)?;
    if let (Some(members), Some(store)) = (members, store.as_mut()) {
        feed_learners(&contest.log, &members, &library, store, &end, out)?;
    }
    Ok(Exit::Ok)
}

fn scripted(
    contest: &mut Contest<'_>,
    recorder: &mut Recorder<'_>,
    config: &Config,
    out: &mut dyn Write,
) -> Result<()> {
    writeln!(out, "{}", sanitize_line(&contest.spec.title))?;
    writeln!(
        out,
        "队伍：{}",
        contest
            .spec
            .teams
            .iter()
            .map(|t| sanitize_line(t))
            .collect::<Vec<_>>()
            .join("、")
    )?;
    if let Some(r) = contest.round() {
        writeln!(out, "{}：{}", r.title, r.rules())?;
    }
    writeln!(out, "输入 ? 查看主持人操作。")?;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock();
    loop {
        let mut buf = Vec::new();
        write!(out, "操作> ")?;
        out.flush()?;
        if lines.read_until(b'\n', &mut buf).unwrap_or(0) == 0 {
            writeln!(out)?;
            return Ok(());
        }
        let line = sanitize_line(String::from_utf8_lossy(&buf).trim());
        writeln!(out, "{line}")?;
        if line.is_empty() {
            continue;
        }
        if line == "?" || line == "？" {
            writeln!(out, "{HELP}")?;
            continue;
        }
        let action = match parse_action(&line) {
            Ok(a) => a,
            Err(e) => {
                writeln!(out, "！{e}")?;
                continue;
            }
        };
        let before_entry = contest
            .state
            .current
            .as_ref()
            .map(|c| (c.entry, c.value, c.revealed));
        let round_before = contest.state.round;
        match contest.apply(&action, &line, clock_now(config).secs()) {
            Ok(message) => {
                recorder.save(contest)?;
                if !message.is_empty() {
                    writeln!(out, "{message}")?;
                }
                if contest.state.round != round_before && contest.state.phase == Phase::Intro {
                    if let Some(r) = contest.round() {
                        writeln!(out, "{}：{}", r.title, r.rules())?;
                    }
                }
                show_changes(contest, before_entry, out)?;
                writeln!(out, "{}", screen::status_line(contest))?;
            }
            Err(e) => writeln!(out, "！{e}")?,
        }
        if contest.state.phase == Phase::Finished || action == Action::Quit {
            return Ok(());
        }
    }
}

/// Prints a question when it appears and its answer when revealed.
fn show_changes(
    contest: &Contest<'_>,
    before: Option<(usize, Option<i64>, bool)>,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(current) = &contest.state.current else {
        return Ok(());
    };
    let card = contest.card(current.entry);
    let risk_waiting = contest
        .round()
        .is_some_and(|r| r.kind == crate::contest::RoundKind::Risk)
        && current.value.is_none();
    let newly_visible = match before {
        Some((entry, value, _)) if entry == current.entry => {
            value.is_none() && current.value.is_some()
        }
        _ => !risk_waiting,
    };
    if newly_visible {
        let text = match &card.body {
            crate::deck::Body::Fill { parts } => {
                crate::deck::fill::render_with_blanks(parts, "＿＿")
            }
            _ => card.prompt.clone(),
        };
        writeln!(out, "题目：{}", sanitize(&text))?;
        if let crate::deck::Body::Choice { options, .. }
        | crate::deck::Body::Multi { options, .. } = &card.body
        {
            for (i, o) in options.iter().enumerate() {
                writeln!(
                    out,
                    "  {}. {}",
                    crate::deck::option_letter(i),
                    sanitize_line(o)
                )?;
            }
        }
        writeln!(out, "限时 {} 秒", contest.state.clock)?;
    }
    if current.revealed && !before.is_some_and(|(e, _, r)| e == current.entry && r) {
        writeln!(out, "答案：{}", sanitize(&card.answer_text()))?;
        if let Some(e) = &card.explain {
            writeln!(out, "解析：{}", sanitize(e))?;
        }
        if let Some(s) = &card.source {
            writeln!(out, "出处：“{}”", crate::view::quote_shown(s))?;
        }
    }
    Ok(())
}

fn final_report(
    contest: &Contest<'_>,
    opts: &Options<'_>,
    id: i64,
    painter: &Painter,
    out: &mut dyn Write,
) -> Result<()> {
    writeln!(
        out,
        "\n{}",
        painter.bold(&format!("{} 最终排名", sanitize_line(&contest.spec.title)))
    )?;
    for (place, t) in contest.ranking() {
        let team = &contest.state.teams[t];
        writeln!(
            out,
            "  第 {place} 名  {}  {} 分（答对 {}，答错 {}，犯规 {}）",
            sanitize_line(&team.name),
            team.score,
            team.right,
            team.wrong,
            team.fouls
        )?;
    }
    if opts.rehearsal {
        writeln!(out, "彩排模式：结果没有记录。")?;
    } else {
        writeln!(
            out,
            "结果已记录（第 {id} 场，可用 dangke contests 查看和重新导出）。"
        )?;
    }
    Ok(())
}

fn export(
    contest: &Contest<'_>,
    opts: &Options<'_>,
    config: &Config,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(path) = opts.export {
        write_file(
            path,
            &results_csv(
                &contest
                    .state
                    .teams
                    .iter()
                    .map(Standing::from)
                    .collect::<Vec<_>>(),
            ),
        )?;
        writeln!(out, "排名已导出到 {}", path.display())?;
    }
    if let Some(path) = opts.export_log {
        let names: Vec<&str> = contest
            .state
            .teams
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        write_file(path, &log_csv(&contest.log, &names, &config.clock))?;
        writeln!(out, "过程记录已导出到 {}", path.display())?;
    }
    Ok(())
}

pub fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|source| Error::Io {
        action: "写入",
        path: PathBuf::from(path),
        source,
    })
}

/// Questions a team missed become due for each of its members.
fn feed_learners(
    log: &[LogEntry],
    members: &[Vec<String>],
    library: &Library,
    store: &mut Store,
    clock: &crate::clock::Clock,
    out: &mut dyn Write,
) -> Result<()> {
    let mut fed = 0;
    for entry in log.iter().filter(|e| e.missed && !e.undone) {
        let (Some(team), Some(key)) = (entry.team, entry.question.as_deref()) else {
            continue;
        };
        let hash = key
            .split_once('/')
            .and_then(|(deck, card)| library.deck(deck)?.card(card))
            .map(crate::deck::Card::content_hash)
            .unwrap_or_default();
        for name in members.get(team).into_iter().flatten() {
            let learner = store.learner(name, clock.secs())?;
            store.log_answer(&NewReview {
                learner_id: learner.id,
                card_key: key,
                session_id: None,
                at: entry.at,
                rating: Rating::Again,
                verdict: Outcome::Wrong,
                score: 0.0,
                response_ms: 0,
                mode: "contest",
                phase_before: CardPhase::New,
                content_hash: &hash,
            })?;
            let rows = store.card_rows(learner.id)?;
            store.make_due(learner.id, key, clock.secs(), rows.get(key), &hash)?;
            fed += 1;
        }
    }
    if fed > 0 {
        writeln!(out, "各队答错的题已加入成员的错题本（共 {fed} 题次）。")?;
    }
    Ok(())
}

/// The full-screen view for a projector.
mod projector {
    use std::io::Write;

    use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use crossterm::terminal::{self, ClearType};
    use crossterm::{cursor, execute, queue, style};

    use super::*;

    /// Puts the terminal back however the contest ends.
    struct Screen;

    impl Screen {
        fn enter() -> std::io::Result<Screen> {
            terminal::enable_raw_mode()?;
            let screen = Screen;
            execute!(
                std::io::stdout(),
                terminal::EnterAlternateScreen,
                cursor::Hide
            )?;
            Ok(screen)
        }
    }

    impl Drop for Screen {
        fn drop(&mut self) {
            let _ = execute!(
                std::io::stdout(),
                cursor::Show,
                terminal::LeaveAlternateScreen
            );
            let _ = terminal::disable_raw_mode();
        }
    }

    fn draw(
        contest: &Contest<'_>,
        message: &str,
        input: &str,
        painter: &Painter,
    ) -> std::io::Result<()> {
        let (cols, rows) = terminal::size().unwrap_or((100, 30));
        let lines = screen::frame(
            contest,
            cols as usize,
            rows as usize,
            message,
            input,
            painter,
        );
        let mut stdout = std::io::stdout();
        queue!(stdout, cursor::MoveTo(0, 0))?;
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

    pub fn run(
        contest: &mut Contest<'_>,
        recorder: &mut Recorder<'_>,
        config: &Config,
    ) -> Result<()> {
        // SIGTERM or SIGHUP (a closed window) end the contest like `q`, so
        // the terminal is restored and the result is saved.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
            signal_hook::flag::register(signal, std::sync::Arc::clone(&stop))?;
        }
        let _screen = Screen::enter()?;
        let painter = Painter::new(config.colors.stdout);
        let mut message = "按 n 开始（? 查看全部操作）".to_owned();
        let mut input = String::new();
        let mut last_tick = Instant::now();
        loop {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                contest
                    .apply(&Action::Quit, "q", clock_now(config).secs())
                    .ok();
                recorder.save(contest)?;
                return Ok(());
            }
            draw(contest, &message, &input, &painter)?;
            let wait = Duration::from_millis(250)
                .min(Duration::from_secs(1).saturating_sub(last_tick.elapsed()));
            if event::poll(wait)? {
                match event::read()? {
                    Event::Key(key) if key.kind != KeyEventKind::Release => {
                        let command = match key.code {
                            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                                Some("q".to_owned())
                            }
                            KeyCode::Enter => Some(std::mem::take(&mut input)),
                            KeyCode::Backspace => {
                                input.pop();
                                None
                            }
                            KeyCode::Esc => {
                                input.clear();
                                None
                            }
                            KeyCode::Char(c) if input.is_empty() && "nrp][usq?？".contains(c) => {
                                Some(c.to_string())
                            }
                            KeyCode::Char(c) => {
                                input.push(c);
                                None
                            }
                            _ => None,
                        };
                        if let Some(command) = command.filter(|c| !c.trim().is_empty()) {
                            if command == "?" || command == "？" {
                                message = HELP.replace('\n', "  ");
                                continue;
                            }
                            message = match parse_action(&command) {
                                Ok(action) => {
                                    match contest.apply(&action, &command, clock_now(config).secs())
                                    {
                                        Ok(m) => {
                                            recorder.save(contest)?;
                                            if action == Action::Quit {
                                                return Ok(());
                                            }
                                            m
                                        }
                                        Err(e) => format!("！{e}"),
                                    }
                                }
                                Err(e) => format!("！{e}"),
                            };
                        }
                    }
                    Event::Resize(..) => {
                        let mut stdout = std::io::stdout();
                        execute!(stdout, terminal::Clear(ClearType::All))?;
                    }
                    _ => {}
                }
            }
            if last_tick.elapsed() >= Duration::from_secs(1) {
                last_tick = Instant::now();
                let m = contest.tick_now();
                if !m.is_empty() {
                    message = m;
                }
            }
            if contest.state.phase == Phase::Finished {
                draw(contest, &message, "", &painter)?;
                // Leave the final board up until a key is pressed.
                let _ = event::read();
                return Ok(());
            }
        }
    }
}
