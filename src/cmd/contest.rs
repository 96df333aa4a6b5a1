//! `dangke contest [FILE]`: runs a knowledge contest. On a terminal it is a
//! full-screen projector view (alternate screen, ticking clock, redrawn on
//! resize, restored on every exit); from a pipe it reads one host action per
//! line. Every action is saved as it happens unless `--rehearsal`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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
    /// `--resume [ID]`: 0 for the newest unfinished contest.
    pub resume: Option<i64>,
    /// `--host`: a line console for the host even on a terminal.
    pub host: bool,
    /// `--screen [ID]`: only show a contest run elsewhere (0: the newest).
    pub screen: Option<i64>,
    /// `--buzzers [ADDR:PORT]`: serve phone buzzers there.
    pub buzzers: Option<std::net::SocketAddr>,
}

pub use crate::contest::screen::HELP;

/// Reads the contest file, or the preset; with the file's text.
pub fn load_spec(file: Option<&Path>, library: &Library) -> Result<(ContestSpec, Option<String>)> {
    let Some(path) = file else {
        return Ok((ContestSpec::preset(), None));
    };
    let text = crate::deck::library::read_text(path).map_err(|d| {
        Error::ContestFile(Report {
            diagnostics: vec![d],
        })
    })?;
    let spec = parse_spec(&path.display().to_string(), &text, library)?;
    Ok((spec, Some(text)))
}

/// Parses a contest file and checks it against the loaded decks: a file
/// with a round that cannot draw a single question is refused.
fn parse_spec(display: &str, text: &str, library: &Library) -> Result<ContestSpec> {
    let src = SourceText::new(display, text);
    let ids: Vec<&str> = library.decks.iter().map(|d| d.id.as_str()).collect();
    let (spec, mut diagnostics) = crate::contest::parse(&src, &ids);
    if let Some(spec) = &spec {
        let decks: Vec<&crate::deck::Deck> = library.decks.iter().collect();
        diagnostics.extend(crate::contest::check_supply(&src, spec, &decks));
    }
    let report = Report { diagnostics };
    match spec {
        Some(spec) if !report.has_errors() => Ok(spec),
        _ => Err(Error::ContestFile(report.errors_only())),
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

/// Saves what the contest log gained since the last save, with the host
/// input that caused it (kept for `--resume`).
pub(crate) struct Recorder<'s> {
    store: Option<&'s mut Store>,
    contest_id: i64,
    ids: Vec<i64>,
    undone: Vec<bool>,
}

impl Recorder<'_> {
    pub(crate) fn save(&mut self, contest: &Contest<'_>, input: Option<(i64, &str)>) -> Result<()> {
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
            input,
            &contest.log[saved..],
            &newly_undone,
            &contest.state.teams,
        )?;
        self.ids.extend(ids);
        self.undone = contest.log.iter().map(|e| e.undone).collect();
        Ok(())
    }
}

/// Applies a host action and saves it. Every input but a tick is kept:
/// pauses and added time are part of the clock a replay rebuilds.
pub(crate) fn apply_and_save(
    contest: &mut Contest<'_>,
    recorder: &mut Recorder<'_>,
    action: &Action,
    typed: &str,
    at: i64,
) -> Result<std::result::Result<String, String>> {
    let result = contest.apply(action, typed, at);
    if result.is_ok() {
        let keep = !matches!(action, Action::Tick(_));
        recorder.save(contest, keep.then_some((at, typed)))?;
    }
    Ok(result)
}

/// How the host's side ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    /// The host ended it (`q`), or the script ran out.
    Done,
    /// A signal or a lost terminal: saved, left open for `--resume`.
    Interrupted,
}

/// The contest to resume: its id and the saved state replayed.
fn resume<'l>(
    store: &Store,
    id: i64,
    library: &'l Library,
) -> Result<(i64, Contest<'l>, Vec<i64>)> {
    let contests = store.contests()?;
    let row = if id == 0 {
        contests
            .iter()
            .find(|c| c.ended_at.is_none())
            .ok_or_else(|| {
                Error::NotFound("没有未结束的竞赛可以继续（用 dangke contests 查看）".to_owned())
            })?
    } else {
        contests.iter().find(|c| c.id == id).ok_or_else(|| {
            Error::NotFound(format!("没有第 {id} 场竞赛（用 dangke contests 查看编号）"))
        })?
    };
    if row.ended_at.is_some() {
        return Err(Error::Usage(format!(
            "第 {} 场竞赛已经正常结束，不能继续（dangke contests {} 查看结果）",
            row.id, row.id
        )));
    }
    let (contest, ids) = replay(store, row.id, library)?;
    Ok((row.id, contest, ids))
}

/// Rebuilds a saved contest by replaying its host inputs; with the ids of
/// its saved log entries.
pub(crate) fn replay<'l>(
    store: &Store,
    id: i64,
    library: &'l Library,
) -> Result<(Contest<'l>, Vec<i64>)> {
    let replay = store.contest_replay(id)?;
    let spec = match &replay.spec {
        Some(text) => parse_spec(&format!("第 {id} 场竞赛的赛制"), text, library)?,
        None => ContestSpec::preset(),
    };
    let pool = entries(library, &CardFilter::default());
    let mut contest = Contest::new(spec, library, pool, replay.seed);
    let mut last = None;
    for (at, input) in &replay.inputs {
        // The clock ran between two inputs (unless paused, which the
        // replayed pauses say).
        if let Some(before) = last.filter(|&b| *at > b) {
            contest.apply(&Action::Tick(*at - before), "", *at).ok();
        }
        last = Some(*at);
        let replayed = parse_action(input).and_then(|a| contest.apply(&a, input, *at));
        if let Err(e) = replayed {
            return Err(Error::Usage(format!(
                "无法重演第 {id} 场竞赛：保存的操作“{input}”重演失败（{e}）；卡组可能已经改变"
            )));
        }
    }
    if contest.log.len() != replay.log_ids.len() {
        return Err(Error::Usage(format!(
            "无法重演第 {id} 场竞赛：重演的过程与保存的记录不一致；卡组可能已经改变"
        )));
    }
    Ok((contest, replay.log_ids))
}

pub fn run(config: &Config, opts: &Options<'_>, out: &mut dyn Write) -> Result<Exit> {
    let library = load_library(config)?;
    if let Some(id) = opts.screen {
        // Only reads: a missing database is not created.
        let store = Store::open_read(&config.db)?;
        if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
            return Err(Error::Usage(
                "--screen 是投影仪的全屏画面，需要在终端窗口里运行（标准输入和输出都不能是管道或文件）"
                    .to_owned(),
            ));
        }
        return screen_view::run(&store, id, &library, config);
    }
    // A contest is not played to the end only to fail to export it.
    for path in [opts.export, opts.export_log].into_iter().flatten() {
        check_export(path)?;
    }
    let start = clock_now(config);
    let mut store = if opts.rehearsal {
        None
    } else {
        Some(super::open_writer(config)?)
    };
    let (contest_id, mut contest, saved_ids) = match (opts.resume, store.as_mut()) {
        (Some(id), Some(s)) => resume(s, id, &library)?,
        (Some(_), None) => {
            return Err(Error::Usage("彩排不记录，因此不能继续".to_owned()));
        }
        (None, store) => {
            let (mut spec, text) = load_spec(opts.file, &library)?;
            if opts.seed.is_some() {
                spec.seed = opts.seed;
            }
            let seed = spec.seed.unwrap_or(start.secs() as u64);
            let pool = entries(&library, &CardFilter::default());
            let contest = Contest::new(spec, &library, pool, seed);
            let id = match store {
                Some(s) => s.create_contest(
                    &contest.spec.title,
                    contest.seed,
                    &contest.state.teams,
                    start.secs(),
                    text.as_deref(),
                )?,
                None => 0,
            };
            (id, contest, Vec::new())
        }
    };
    // Held until the contest is over: a second host is refused meanwhile.
    let _lease = match store.as_mut() {
        Some(s) => Some(host::claim(s, &config.db, contest_id)?),
        None => None,
    };
    let members = opts
        .learners
        .map(|l| parse_learners(l, &contest.spec.teams))
        .transpose()?;
    let resumed = !saved_ids.is_empty() || opts.resume.is_some();
    let mut recorder = Recorder {
        store: store.as_mut(),
        contest_id,
        undone: contest.log.iter().map(|e| e.undone).collect(),
        ids: saved_ids,
    };
    let projector_mode =
        !opts.host && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    // Phones as buzzers: presses arrive on `presses`, in server order.
    let (press_tx, press_rx) = std::sync::mpsc::channel();
    let buzzers = match opts.buzzers {
        Some(addr) => {
            let server = crate::live::buzzer::start(addr, contest.spec.teams.clone(), press_tx)
                .map_err(|e| {
                    Error::Usage(format!(
                        "无法在 {addr} 上启动抢答器：{}（端口可能已被占用）",
                        crate::diag::io_reason(&e)
                    ))
                })?;
            writeln!(out, "buzzers http://{}/", server.addr)?;
            out.flush()?;
            Some(server)
        }
        None => None,
    };
    let presses = buzzers.as_ref().map(|_| &press_rx);
    let ending = if projector_mode {
        let url = buzzers.as_ref().map(|b| format!("http://{}/", b.addr));
        projector::run(&mut contest, &mut recorder, config, resumed, presses, url)?
    } else {
        scripted(&mut contest, &mut recorder, config, resumed, presses, out)?
    };
    drop(buzzers);
    let end = clock_now(config);
    let painter = config.stdout_painter();
    if ending == Ending::Interrupted {
        recorder.save(&contest, None)?;
        writeln!(
            out,
            "\n{}",
            painter.warning(&format!(
                "竞赛中断：已保存到此刻的全部操作。用 dangke contest --resume {contest_id} 从这里继续。"
            ))
        )?;
        standings(&contest, &painter, out)?;
        return Ok(Exit::Failure);
    }
    if contest.state.phase != Phase::Finished {
        apply_and_save(&mut contest, &mut recorder, &Action::Quit, "q", end.secs())?.ok();
    }
    recorder.save(&contest, None)?;
    drop(recorder);
    if let Some(s) = store.as_mut() {
        s.finish_contest(contest_id, end.secs())?;
    }
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
    resumed: bool,
    presses: Option<&std::sync::mpsc::Receiver<crate::live::buzzer::Press>>,
    out: &mut dyn Write,
) -> Result<Ending> {
    // When the buzz question was opened, for a phone buzzer's time.
    let mut opened_at: Option<std::time::Instant> = None;
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
    if resumed {
        writeln!(
            out,
            "继续中断的竞赛（已恢复 {} 条记录）。",
            contest.log.len()
        )?;
        writeln!(out, "{}", screen::status_line(contest))?;
        show_changes(contest, None, out)?;
    } else if let Some(r) = contest.round() {
        writeln!(out, "{}：{}", r.title, r.rules())?;
    }
    writeln!(out, "输入 ? 查看主持人操作。")?;
    let echoed = std::io::stdin().is_terminal();
    let signals = console::Signals::watch()?;
    let lines = console::read_lines();
    let mut warned = false;
    let mut ctrl_c = false;
    loop {
        write!(out, "操作> ")?;
        out.flush()?;
        let mut pressed = false;
        let buf = match console::next_line(&lines, &signals, presses) {
            console::Next::Line(buf) => buf,
            console::Next::Press(p) => {
                pressed = true;
                let ms = opened_at.map_or(0, |t| p.at.saturating_duration_since(t).as_millis());
                format!("b {} {ms}", p.team + 1).into_bytes()
            }
            console::Next::End => {
                writeln!(out)?;
                return Ok(Ending::Done);
            }
            console::Next::Stop => return Ok(Ending::Interrupted),
            console::Next::CtrlC if ctrl_c => return Ok(Ending::Interrupted),
            console::Next::CtrlC => {
                ctrl_c = true;
                writeln!(
                    out,
                    "\n！再按一次 Ctrl-C 中断竞赛（已保存的操作可用 dangke contest --resume 继续）；输入 q 正常结束，输入其他操作则继续比赛。"
                )?;
                continue;
            }
        };
        ctrl_c = false;
        let line = sanitize_line(String::from_utf8_lossy(&buf).trim());
        // A transcript shows what was read; a terminal echoed it already.
        if !echoed || pressed {
            writeln!(out, "{line}")?;
        }
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
        if action == Action::Next
            && !warned
            && let Some(w) = contest.next_warning()
        {
            warned = true;
            writeln!(out, "！{w}")?;
            continue;
        }
        warned = false;
        let before_entry = contest
            .state
            .current
            .as_ref()
            .map(|c| (c.entry, c.value, c.revealed));
        let round_before = contest.state.round;
        match apply_and_save(contest, recorder, &action, &line, clock_now(config).secs())? {
            Ok(message) => {
                match action {
                    Action::Open => opened_at = Some(std::time::Instant::now()),
                    Action::Next | Action::Skip => opened_at = None,
                    _ => {}
                }
                if !message.is_empty() {
                    writeln!(out, "{message}")?;
                }
                if contest.state.round != round_before
                    && contest.state.phase == Phase::Intro
                    && let Some(r) = contest.round()
                {
                    writeln!(out, "{}：{}", r.title, r.rules())?;
                }
                show_changes(contest, before_entry, out)?;
                writeln!(out, "{}", screen::status_line(contest))?;
            }
            Err(e) => writeln!(out, "！{e}")?,
        }
        if contest.state.phase == Phase::Finished || action == Action::Quit {
            return Ok(Ending::Done);
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
        let text = card.prompt_shown();
        writeln!(out, "题目：{}", sanitize(&text))?;
        for option in contest.options(current) {
            writeln!(out, "  {}", sanitize_line(&option))?;
        }
        writeln!(out, "限时 {} 秒", contest.state.clock)?;
    }
    if current.revealed && !before.is_some_and(|(e, _, r)| e == current.entry && r) {
        writeln!(out, "答案：{}", sanitize(&contest.answer(current)))?;
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
    standings(contest, painter, out)?;
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

fn standings(contest: &Contest<'_>, _painter: &Painter, out: &mut dyn Write) -> Result<()> {
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

/// Whether an export file can be written: its folder exists and takes a
/// new file, and the path is not a folder. Nothing is left behind.
pub(crate) fn check_export(path: &Path) -> Result<()> {
    let failed = |source| Error::Io {
        action: "写入导出文件",
        path: PathBuf::from(path),
        source,
    };
    if path.is_dir() {
        return Err(failed(std::io::Error::from(
            std::io::ErrorKind::IsADirectory,
        )));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let probe = folder.join(format!(".dangke-export-check-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(failed)?;
    std::fs::remove_file(&probe).ok();
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

/// The `--host` line console's input and signals.
mod console;
/// Who hosts a contest, so two terminals cannot host the same one.
pub(crate) mod host;
/// The full-screen view for a projector.
mod projector;
/// The projector screen of a contest hosted in another terminal.
mod screen_view;
#[cfg(test)]
mod tests;
