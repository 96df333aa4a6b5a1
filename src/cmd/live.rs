//! `dangke live [FILE]`: runs a live group quiz. Starts the HTTP/WebSocket
//! server (the only command with an async runtime), the hub thread that
//! owns the session and the store, and the host: the projector view on a
//! terminal, or the scripted host reading stdin.

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use super::{clock_now, load_library};
use crate::config::Config;
use crate::deck::Library;
use crate::diag::{Report, SourceText};
use crate::error::{Error, Exit, Result};
use crate::live::engine::{Engine, Phase};
use crate::live::host::HostInput;
use crate::live::hub::{self, Cmd, Hub};
use crate::live::{LiveSpec, host, protocol, server};
use crate::store::{LiveEvent, Store};

pub struct Options<'a> {
    pub file: Option<&'a Path>,
    pub bind: Option<IpAddr>,
    pub port: u16,
    /// `--resume [ID]`: 0 for the newest unfinished session.
    pub resume: Option<i64>,
    pub export: Option<&'a Path>,
    pub export_questions: Option<&'a Path>,
    pub seed: Option<u64>,
}

fn live_file_error(diagnostics: Vec<crate::diag::Diagnostic>) -> Error {
    Error::LiveFile(Report { diagnostics }.errors_only())
}

/// Parses a live file and checks it against the decks.
pub fn parse_spec(display: &str, text: &str, library: &Library) -> Result<LiveSpec> {
    let src = SourceText::new(display, text);
    let ids: Vec<&str> = library.decks.iter().map(|d| d.id.as_str()).collect();
    let (spec, mut diagnostics) = crate::live::parse(&src, &ids);
    if let Some(spec) = &spec {
        let decks: Vec<&crate::deck::Deck> = library.decks.iter().collect();
        diagnostics.extend(crate::live::check_supply(&src, spec, &decks));
    }
    let report = Report { diagnostics };
    match spec {
        Some(spec) if !report.has_errors() => Ok(spec),
        _ => Err(live_file_error(report.diagnostics)),
    }
}

/// The spec of a stored session.
pub fn stored_spec(id: i64, text: Option<&str>, library: &Library) -> Result<LiveSpec> {
    match text {
        Some(text) => parse_spec(&format!("第 {id} 场现场答题的设置"), text, library),
        None => Ok(LiveSpec::preset()),
    }
}

/// Rebuilds a stored session (for `--resume` and `dangke lives`).
pub fn rebuild<'l>(
    store: &Store,
    id: i64,
    library: &'l Library,
) -> Result<(crate::store::LiveReplay, Engine<'l>, i64)> {
    let replay = store.live_replay(id)?.ok_or_else(|| {
        Error::NotFound(format!(
            "没有第 {id} 场现场答题（用 dangke lives 查看编号）"
        ))
    })?;
    let spec = stored_spec(id, replay.spec.as_deref(), library)?;
    let mut engine = Engine::new(spec, library, replay.row.seed);
    let last = hub::replay(&mut engine, &replay.events)
        .map_err(|e| Error::Usage(format!("无法恢复第 {id} 场现场答题：{e}；卡组可能已经改变")))?;
    Ok((replay, engine, last))
}

/// The address phones should use: the bound one, or for 0.0.0.0 the
/// machine's address on the local network (the route the system would
/// take; no packet is sent).
fn lan_address(bound: IpAddr) -> IpAddr {
    if !bound.is_unspecified() {
        return bound;
    }
    std::net::UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(|s| {
            // TEST-NET-1 (RFC 5737): only used to pick a route.
            s.connect((Ipv4Addr::new(192, 0, 2, 1), 9))?;
            s.local_addr()
        })
        .map(|a| a.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// What the hub thread reports once the session is ready.
struct Ready {
    live_id: i64,
    room: String,
    info: String,
    resumed: bool,
}

/// What is left when the hub stops.
struct Finished {
    lines: Vec<String>,
}

pub fn run(config: &Config, opts: &Options<'_>, out: &mut dyn Write) -> Result<Exit> {
    let library = load_library(config)?;
    for path in [opts.export, opts.export_questions].into_iter().flatten() {
        super::contest::check_export(path)?;
    }
    let (spec, text) = match (opts.resume, opts.file) {
        (Some(_), _) => (None, None),
        (None, None) => (Some(LiveSpec::preset()), None),
        (None, Some(path)) => {
            let text =
                crate::deck::library::read_text(path).map_err(|d| live_file_error(vec![d]))?;
            let spec = parse_spec(&path.display().to_string(), &text, &library)?;
            (Some(spec), Some(text))
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("无法启动网络服务：{e}")))?;
    let bind = opts.bind.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let (listener, local) =
        server::bind(&runtime, SocketAddr::new(bind, opts.port)).map_err(|e| {
            Error::Usage(format!(
                "无法在 {bind} 端口 {} 上监听：{}（端口可能已被占用，可用 --port 换一个）",
                opts.port,
                crate::diag::io_reason(&e)
            ))
        })?;
    let (hub_tx, hub_rx) = std::sync::mpsc::channel::<Cmd>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<Ready>>();
    let (host_tx, host_rx) = std::sync::mpsc::channel::<HostInput>();
    let scripted = !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal();
    let view = std::sync::Arc::new(std::sync::Mutex::new(None));
    let start = clock_now(config);
    let library = &library;

    let finished: Result<Finished> = std::thread::scope(|scope| {
        let events = host_tx.clone();
        let hub_view = std::sync::Arc::clone(&view);
        let hub_thread = scope.spawn(move || -> Result<Finished> {
            let setup = (|| -> Result<(Hub<'_, '_>, Ready)> {
                let mut store = super::open_writer(config)?;
                let (engine, live_id, room, base, resumed) = match opts.resume {
                    Some(id) => {
                        let id = pick_resume(&store, id)?;
                        let (replay, mut engine, last) = rebuild(&store, id, library)?;
                        if engine.phase == Phase::Ended {
                            return Err(Error::Usage(format!(
                                "第 {id} 场现场答题已经结束，不能继续（dangke lives {id} 查看结果）"
                            )));
                        }
                        let now = last + 1;
                        engine.reopen(last, now);
                        store.append_live_events(
                            id,
                            &[LiveEvent {
                                at: now,
                                kind: "reopen".into(),
                                points: Some(last),
                                ..LiveEvent::default()
                            }],
                        )?;
                        (engine, id, replay.row.room, now, true)
                    }
                    None => {
                        let spec = spec.clone().expect("a spec unless resuming");
                        // 48 random bits when neither the file nor --seed gives one.
                        let seed = opts.seed.or(spec.seed).unwrap_or_else(|| {
                            u64::from_str_radix(&hub::new_token()[..12], 16).unwrap_or(0)
                        });
                        let room = hub::new_room();
                        let live_id = store.create_live(
                            &spec.title,
                            &room,
                            seed,
                            text.as_deref(),
                            start.secs(),
                        )?;
                        (Engine::new(spec, library, seed), live_id, room, 0, false)
                    }
                };
                let info = protocol::info(&engine);
                let sink = events.clone();
                let log: hub::EventSink<'_> = Box::new(move |line: &str| {
                    let _ = sink.send(HostInput::Event(line.to_owned()));
                });
                let ready = Ready {
                    live_id,
                    room: room.clone(),
                    info,
                    resumed,
                };
                let mut hub = Hub::new(engine, Some(store), live_id, room, base, log);
                if !scripted {
                    hub.view = Some(hub_view);
                }
                Ok((hub, ready))
            })();
            let mut hub = match setup {
                Ok((hub, ready)) => {
                    let _ = ready_tx.send(Ok(ready));
                    hub
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    let _ = events.send(HostInput::Stopped);
                    return Ok(Finished { lines: Vec::new() });
                }
            };
            hub.run(&hub_rx);
            let _ = events.send(HostInput::Stopped);
            if let Some(e) = hub.failed.take() {
                return Err(e.into());
            }
            finish(&mut hub, config, opts)
        });
        let ready = match ready_rx.recv() {
            Ok(Ok(ready)) => ready,
            Ok(Err(e)) => return Err(e),
            Err(_) => {
                return match hub_thread.join() {
                    Ok(r) => r,
                    Err(_) => Err(Error::Usage("现场答题意外停止".to_owned())),
                };
            }
        };
        let shown = lan_address(local.ip());
        let url = format!("http://{}:{}/", url_host(shown), local.port());
        {
            let lock = &mut *out;
            writeln!(lock, "session {}", ready.live_id)?;
            writeln!(
                lock,
                "listening http://{}:{}/ room {}",
                url_host(local.ip()),
                local.port(),
                ready.room
            )?;
            // What phones open (the LAN address when bound to all).
            writeln!(lock, "join {url}?room={}", ready.room)?;
            if ready.resumed {
                writeln!(lock, "resumed {}", ready.live_id)?;
            }
            lock.flush()?;
        }
        let state = server::AppState {
            hub: hub_tx.clone(),
            next_conn: Arc::new(AtomicU64::new(1)),
            info: Arc::new(ready.info),
        };
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let app = server::router(state);
        runtime.spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stop_rx.await;
                })
                .await;
        });
        if scripted {
            host::read_stdin(host_tx.clone());
            host::scripted(&hub_tx, &host_rx, out)?;
        } else {
            crate::live::screen::run(&hub_tx, &host_rx, &view, &url, &ready.room)?;
        }
        let _ = hub_tx.send(Cmd::Host(hub::HostCmd::Quit));
        let finished = match hub_thread.join() {
            Ok(r) => r,
            Err(_) => Err(Error::Usage("现场答题意外停止".to_owned())),
        };
        // Let the sockets send the last messages before the server stops.
        std::thread::sleep(std::time::Duration::from_millis(300));
        let _ = stop_tx.send(());
        finished
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    let finished = finished?;
    for line in finished.lines {
        writeln!(out, "{line}")?;
    }
    Ok(Exit::Ok)
}

fn url_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

fn pick_resume(store: &Store, id: i64) -> Result<i64> {
    let lives = store.lives()?;
    if id == 0 {
        return lives
            .iter()
            .find(|l| l.ended_at.is_none())
            .map(|l| l.id)
            .ok_or_else(|| {
                Error::NotFound("没有未结束的现场答题可以继续（用 dangke lives 查看）".to_owned())
            });
    }
    match lives.iter().find(|l| l.id == id) {
        None => Err(Error::NotFound(format!(
            "没有第 {id} 场现场答题（用 dangke lives 查看编号）"
        ))),
        Some(l) if l.ended_at.is_some() => Err(Error::Usage(format!(
            "第 {id} 场现场答题已经结束，不能继续（dangke lives {id} 查看结果）"
        ))),
        Some(l) => Ok(l.id),
    }
}

/// After the host quits: the session is marked finished, results are
/// exported and wrong answers go into each participant's 错题本.
fn finish(hub: &mut Hub<'_, '_>, config: &Config, opts: &Options<'_>) -> Result<Finished> {
    let mut lines = Vec::new();
    let end = clock_now(config);
    let engine = &hub.engine;
    lines.push(format!(
        "{}：{} 人参加，{} 题",
        crate::term::sanitize_line(&engine.spec.title),
        engine.participants.len(),
        engine.paper.len()
    ));
    for (p, place) in engine.leaderboard() {
        let part = &engine.participants[p];
        let (right, wrong, none) = part.counts();
        lines.push(format!(
            "{place}. {} {} 分（对 {right}，错 {wrong}，未答 {none}）",
            crate::term::sanitize_line(&part.name),
            part.score()
        ));
    }
    if let Some(path) = opts.export {
        super::contest::write_file(path, &crate::live::export::results_csv(engine))?;
        lines.push(format!("成绩已导出到 {}", path.display()));
    }
    if let Some(path) = opts.export_questions {
        super::contest::write_file(path, &crate::live::export::questions_csv(engine))?;
        lines.push(format!("逐题统计已导出到 {}", path.display()));
    }
    if let Some(store) = hub.store.as_mut()
        && engine.phase == Phase::Ended
    {
        store.finish_live(hub.live_id, end.secs())?;
        let fed = super::lives::feed_mistakes(engine, store, &end)?;
        if fed > 0 {
            lines.push(format!("答错的题已加入各人的错题本（共 {fed} 题次）。"));
        }
    }
    Ok(Finished { lines })
}
