//! Live-quiz benchmark: `cargo bench --bench live` (not a timed test).
//!
//! Starts `dangke live --port 0 --bind 127.0.0.1` with a scripted host,
//! lets 500 simulated participants join over loopback WebSockets (one
//! thread each), opens one question and has every participant answer it at
//! a random moment within one second. Reports the answer→ack latency
//! (p50/p90/p99/max: the server commits each answer before it acks), the
//! server's CPU time (Linux: /proc/PID/stat) and its peak RSS (VmHWM).
//! Targets: p99 < 50 ms, peak RSS < 100 MB.
//!
//! `DANGKE_BENCH_PARTICIPANTS=N` changes the head count.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use tungstenite::{Message, WebSocket};

const LIVE: &str = r#"[live]
title = "基准测试"
pace = "host"
reveal = "each"
seed = 1
time = 60

[[section]]
count = 1
kinds = ["choice"]
"#;

type Socket = WebSocket<TcpStream>;

fn connect(addr: &str) -> Socket {
    let stream = TcpStream::connect(addr).expect("connect to the server");
    stream.set_nodelay(true).expect("nodelay");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("read timeout");
    let (socket, _) = tungstenite::client(format!("ws://{addr}/ws"), stream).expect("upgrade");
    socket
}

fn send(socket: &mut Socket, json: &serde_json::Value) {
    socket
        .send(Message::text(json.to_string()))
        .expect("send a frame");
}

/// The next JSON message whose `t` is `kind`, skipping others.
fn wait_for(socket: &mut Socket, kind: &str) -> serde_json::Value {
    loop {
        match socket.read().expect("read a frame") {
            Message::Text(text) => {
                let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                if value["t"] == kind {
                    return value;
                }
                if value["t"] == "error" {
                    panic!("server error while waiting for {kind}: {value}");
                }
            }
            Message::Close(_) => panic!("closed while waiting for {kind}"),
            _ => {}
        }
    }
}

/// One participant: join, wait for the question, answer after `delay`,
/// return the answer→ack time.
fn participant(addr: &str, room: &str, i: usize, joined: &Barrier, delay: Duration) -> Duration {
    let mut socket = connect(addr);
    send(
        &mut socket,
        &serde_json::json!({"t": "join", "room": room, "name": format!("学员{i}")}),
    );
    wait_for(&mut socket, "welcome");
    joined.wait();
    let question = wait_for(&mut socket, "question");
    let q = question["q"].as_u64().expect("question index");
    let letters = ["A", "B", "C", "D"];
    std::thread::sleep(delay);
    let sent = Instant::now();
    send(
        &mut socket,
        &serde_json::json!({"t": "answer", "q": q, "answer": letters[i % 4]}),
    );
    wait_for(&mut socket, "ack");
    let latency = sent.elapsed();
    // Stay connected until the end, like a phone would.
    wait_for(&mut socket, "end");
    latency
}

/// utime + stime of a process, from /proc/PID/stat.
#[cfg(target_os = "linux")]
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    Some(Duration::from_secs_f64(ticks as f64 / per_second as f64))
}

#[cfg(not(target_os = "linux"))]
fn cpu_time(_pid: u32) -> Option<Duration> {
    None
}

/// Peak resident set size in kB (VmHWM).
#[cfg(target_os = "linux")]
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(not(target_os = "linux"))]
fn peak_rss_kb(_pid: u32) -> Option<u64> {
    None
}

fn expect_line(lines: &Receiver<String>, prefix: &str) -> String {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("the server never printed {prefix:?}"));
        if line.starts_with(prefix) {
            return line;
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let n: usize = std::env::var("DANGKE_BENCH_PARTICIPANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("live.toml"), LIVE).expect("live file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dangke"))
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .env("DANGKE_DB", dir.path().join("progress.db"))
        .env_remove("DANGKE_DECKS")
        .args(["live", "live.toml", "--port", "0", "--bind", "127.0.0.1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start dangke live");
    let pid = child.id();
    let mut host = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let listening = expect_line(&lines, "listening ");
    let mut words = listening.split_whitespace().skip(1);
    let url = words.next().expect("url");
    let room = words.nth(1).expect("room").to_owned();
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let cpu_idle = cpu_time(pid);

    // Joins: all participants connect at once.
    let joined = Arc::new(Barrier::new(n + 1));
    let started = Instant::now();
    let mut threads = Vec::with_capacity(n);
    let mut rng_state: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..n {
        // xorshift: spread the answers over one second, reproducibly.
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        let delay = Duration::from_micros(rng_state % 1_000_000);
        let addr = addr.clone();
        let room = room.clone();
        let joined = joined.clone();
        threads.push(
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || participant(&addr, &room, i, &joined, delay))
                .expect("spawn a participant"),
        );
    }
    joined.wait();
    let join_time = started.elapsed();
    let cpu_joined = cpu_time(pid);

    // One question, everyone answers within a second.
    let opened = Instant::now();
    writeln!(host, "next").expect("host: next");
    host.flush().expect("flush");
    expect_line(&lines, &format!("answered 0 {n}/{n}"));
    let answer_time = opened.elapsed();
    let cpu_answered = cpu_time(pid);
    writeln!(host, "next").expect("host: reveal");
    writeln!(host, "next").expect("host: end");
    host.flush().expect("flush");
    let mut latencies: Vec<Duration> = threads
        .into_iter()
        .map(|t| t.join().expect("a participant failed"))
        .collect();
    let peak = peak_rss_kb(pid);
    let cpu_end = cpu_time(pid);
    writeln!(host, "quit").expect("host: quit");
    drop(host);
    let _ = child.wait();

    latencies.sort();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("dangke live: {n} participants on loopback");
    println!("  joined (all connected + welcomed): {}", ms(join_time));
    println!(
        "  question open → all {n} answers acked: {} (answers spread over 1 s)",
        ms(answer_time)
    );
    println!(
        "  answer → ack: p50 {}, p90 {}, p99 {}, max {}",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.90)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().expect("latencies")),
    );
    if let (Some(a), Some(b), Some(c), Some(d)) = (cpu_idle, cpu_joined, cpu_answered, cpu_end) {
        println!(
            "  server CPU: start {}, joins {}, answers {}, reveal+end {}, total {}",
            ms(a),
            ms(b.saturating_sub(a)),
            ms(c.saturating_sub(b)),
            ms(d.saturating_sub(c)),
            ms(d)
        );
    }
    if let Some(kb) = peak {
        println!("  server peak RSS (VmHWM): {:.1} MB", kb as f64 / 1024.0);
    }
    println!("  machine load (1/5/15 min): {}", load.trim());
    let p99 = percentile(&latencies, 0.99);
    println!(
        "  targets: p99 < 50 ms {}, peak RSS < 100 MB {}",
        if p99 < Duration::from_millis(50) {
            "met"
        } else {
            "MISSED"
        },
        match peak {
            Some(kb) if kb < 100 * 1024 => "met",
            Some(_) => "MISSED",
            None => "not measured",
        }
    );
}
