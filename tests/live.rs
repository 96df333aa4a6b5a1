//! `dangke live` driven for real: the binary serves on 127.0.0.1 with a
//! scripted host on stdin, and WebSocket clients join and answer.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::test::{dangke, reviews};

/// One card of each kind, with answers the tests know.
const DECK: &str = r#"
[deck]
id = "t"
title = "测验"

[[card]]
id = "choice"
kind = "choice"
prompt = "三大作风包括哪一项？"
options = ["批评和自我批评", "三问于民", "换位思考", "先办实事"]
answer = "A"

[[card]]
id = "judge"
kind = "judge"
prompt = "三大作风是在党的七大上提出的。"
answer = true

[[card]]
id = "qa"
kind = "qa"
prompt = "党的根本宗旨是什么？"
answer = "全心全意为人民服务"
"#;

fn live_file(extra: &str) -> String {
    format!(
        "[live]\ntitle = \"支部测验\"\nseed = 7\ntime = 30\n{extra}\n[[section]]\ncount = 3\ndecks = [\"t\"]\n"
    )
}

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    seen: Vec<String>,
    addr: String,
    room: String,
}

impl Server {
    fn start(dir: &std::path::Path, args: &[&str]) -> Server {
        let mut cmd = dangke(dir, None);
        cmd.env("DANGKE_DECKS", dir.join("decks"))
            .args(["live", "--port", "0", "--bind", "127.0.0.1"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().expect("start dangke live");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            stdin: child.stdin.take(),
            child,
            lines: rx,
            seen: Vec::new(),
            addr: String::new(),
            room: String::new(),
        };
        let listening = server.line("listening ");
        // listening http://127.0.0.1:PORT/ room 123456
        let words: Vec<&str> = listening.split_whitespace().collect();
        server.addr = words[1]
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        server.room = words[3].to_owned();
        server
    }

    /// Waits for a stdout line starting with `prefix`.
    fn line(&mut self, prefix: &str) -> String {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(_) => panic!("no line {prefix:?}; saw {:?}", self.seen),
            }
        }
    }

    fn host(&mut self, command: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{command}").expect("write to the host");
        stdin.flush().expect("flush");
    }

    fn client(&self) -> Client {
        Client::connect(&self.addr)
    }

    /// Quits and waits for the exit; returns the rest of stdout.
    fn quit(mut self) -> String {
        self.host("quit");
        drop(self.stdin.take());
        let status = wait_exit(&mut self.child);
        assert!(status.success(), "exit {status:?}; saw {:?}", self.seen);
        let mut rest: Vec<String> = self.seen.clone();
        rest.extend(self.lines.try_iter());
        rest.join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(Instant::now() < until, "dangke live did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Client {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
}

impl Client {
    fn connect(addr: &str) -> Client {
        let (ws, _) = tungstenite::connect(format!("ws://{addr}/ws")).expect("connect");
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        }
        Client { ws }
    }

    fn send(&mut self, v: Value) {
        self.ws.send(Message::text(v.to_string())).expect("send");
    }

    /// The next JSON message (pongs and pings skipped).
    fn recv(&mut self) -> Value {
        loop {
            match self.ws.read().expect("a message") {
                Message::Text(t) => return serde_json::from_str(t.as_str()).expect("JSON"),
                Message::Close(f) => panic!("closed: {f:?}"),
                _ => continue,
            }
        }
    }

    /// Skips messages until one of type `t`.
    fn until(&mut self, t: &str) -> Value {
        loop {
            let m = self.recv();
            if m["t"] == t {
                return m;
            }
        }
    }

    /// Reads until the server closes; returns the close code.
    fn close_code(&mut self) -> Option<u16> {
        loop {
            match self.ws.read() {
                Ok(Message::Close(f)) => return f.map(|f| u16::from(f.code)),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    fn join(addr: &str, room: &str, name: &str) -> (Client, Value) {
        let mut c = Client::connect(addr);
        c.send(json!({"t": "join", "room": room, "name": name}));
        let welcome = c.until("welcome");
        (c, welcome)
    }
}

/// The right answer to a question as the participant saw it.
fn right(q: &Value) -> String {
    match q["kind"].as_str().unwrap() {
        "judge" => "对".into(),
        "qa" => "全心全意为人民服务".into(),
        "choice" => {
            let options = q["options"].as_array().unwrap();
            let i = options.iter().position(|o| o == "批评和自我批评").unwrap();
            char::from(b'A' + i as u8).to_string()
        }
        other => panic!("unexpected kind {other}"),
    }
}

fn wrong(q: &Value) -> String {
    match q["kind"].as_str().unwrap() {
        "judge" => "错".into(),
        "qa" => "为人民币服务".into(),
        "choice" => {
            let options = q["options"].as_array().unwrap();
            let i = options.iter().position(|o| o == "三问于民").unwrap();
            char::from(b'A' + i as u8).to_string()
        }
        other => panic!("unexpected kind {other}"),
    }
}

fn setup(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("decks")).unwrap();
    std::fs::write(dir.path().join("decks/t.toml"), DECK).unwrap();
    std::fs::write(dir.path().join("live.toml"), live_file(extra)).unwrap();
    dir
}

fn path(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).display().to_string()
}

#[test]
fn a_host_paced_quiz_from_join_to_end() {
    let dir = setup("");
    let export = path(&dir, "成绩.csv");
    let per_q = path(&dir, "逐题.csv");
    let mut server = Server::start(
        dir.path(),
        &[
            &path(&dir, "live.toml"),
            "--export",
            &export,
            "--export-questions",
            &per_q,
        ],
    );
    let (mut a, wa) = Client::join(&server.addr, &server.room, "张三");
    assert_eq!(wa["name"], "张三");
    assert_eq!(wa["questions"], 3);
    assert_eq!(wa["pace"], "host");
    assert_eq!(a.recv()["t"], "lobby");
    server.line("joined 张三");
    let (mut b, wb) = Client::join(&server.addr, &server.room, "张三");
    assert_eq!(wb["name"], "张三(2)", "a second 张三 is told apart");
    assert_ne!(wa["token"], wb["token"]);
    server.line("joined 张三(2)");
    assert_eq!(b.until("lobby")["joined"], 2);
    while a.until("lobby")["joined"] != 2 {}
    for q in 0..3 {
        server.host("next");
        server.line(&format!("question {q} open"));
        let qa = a.until("question");
        let qb = b.until("question");
        assert_eq!(qa["q"], q);
        assert_eq!(qa["total"], 3);
        let text = qa.to_string();
        assert!(
            !text.contains("全心全意") && !text.contains("\"answer\""),
            "no answer before the reveal: {text}"
        );
        a.send(json!({"t": "answer", "q": q, "answer": right(&qa)}));
        let ack = a.until("ack");
        assert_eq!(ack["q"], q);
        server.line(&format!("answered {q} 1/2"));
        b.send(json!({"t": "answer", "q": q, "answer": wrong(&qb)}));
        assert_eq!(b.until("ack")["q"], q);
        // Everyone answered: the question closes by itself.
        server.line(&format!("question {q} closed"));
        assert_eq!(a.until("closed")["q"], q);
        server.host("next");
        server.line(&format!("reveal {q}"));
        let ra = a.until("result");
        let rb = b.until("result");
        assert_eq!(ra["outcome"], "right");
        assert_eq!(rb["outcome"], "wrong");
        assert!(ra["points"].as_i64().unwrap() > 100, "speed bonus: {ra}");
        assert_eq!(rb["points"], 0);
        assert_eq!(ra["rank"], 1);
        assert_eq!(rb["rank"], 2);
        assert_eq!(ra["of"], 2);
    }
    server.host("next");
    server.line("end");
    let end = b.until("end");
    assert_eq!(end["right"], 0);
    assert_eq!(end["wrong"], 3);
    assert_eq!(end["review"].as_array().unwrap().len(), 3);
    assert!(end.to_string().contains("全心全意为人民服务"));
    let end_a = a.until("end");
    assert_eq!(end_a["rank"], 1);
    let out = server.quit();
    assert!(out.contains("1. 张三 "), "{out}");
    let csv = std::fs::read_to_string(&export).unwrap();
    assert!(
        csv.starts_with("\u{feff}名次,姓名,队伍,得分,答对,答错,未答,用时\r\n"),
        "{csv}"
    );
    assert!(csv.contains("\r\n1,张三,,"), "{csv}");
    assert!(csv.contains("\r\n2,张三(2),,0,0,3,0,"), "{csv}");
    let per_q = std::fs::read_to_string(&per_q).unwrap();
    assert!(per_q.starts_with("\u{feff}题号,题目,正确率,常见错误答案\r\n"));
    assert!(per_q.contains(",50%,"), "{per_q}");
    assert!(per_q.contains("三问于民（1人）"), "{per_q}");
    // The second 张三's wrong answers are in their 错题本.
    let logged: Vec<_> = reviews(&dir.path().join("progress.db"))
        .into_iter()
        .filter(|r| r.mode == "live")
        .collect();
    assert_eq!(logged.len(), 6, "{logged:?}");
    assert_eq!(logged.iter().filter(|r| r.verdict == "wrong").count(), 3);
    let lives = std::process::Command::new(env!("CARGO_BIN_EXE_dangke"))
        .env("DANGKE_DB", dir.path().join("progress.db"))
        .env("DANGKE_DECKS", dir.path().join("decks"))
        .env("HOME", dir.path())
        .args(["lives"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&lives.stdout);
    assert!(
        listed.contains("支部测验") && listed.contains("已结束"),
        "{listed}"
    );
    // Re-exported from the store: the same ranking.
    let again = path(&dir, "again.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_dangke"))
        .env("DANGKE_DB", dir.path().join("progress.db"))
        .env("DANGKE_DECKS", dir.path().join("decks"))
        .env("HOME", dir.path())
        .args(["lives", "1", "--export", &again])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read_to_string(&again).unwrap(), csv);
    // And study's 错题本 has them, for that learner only.
    for (learner, book) in [("张三(2)", "错题本（3 题）"), ("张三", "错题本（0 题）")]
    {
        let study = dangke(dir.path(), None)
            .env("DANGKE_DECKS", dir.path().join("decks"))
            .args(["study", "--learner", learner, "--mistakes"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&study.stdout);
        assert!(text.contains(book), "{learner}: {text}");
    }
}

#[test]
fn reconnecting_with_the_token_keeps_the_answer_and_score() {
    let dir = setup("");
    let mut server = Server::start(dir.path(), &[&path(&dir, "live.toml")]);
    let (mut a, welcome) = Client::join(&server.addr, &server.room, "李四");
    let (_other, _) = Client::join(&server.addr, &server.room, "王五");
    server.host("next");
    let q = a.until("question");
    a.send(json!({"t": "answer", "q": 0, "answer": right(&q)}));
    a.until("ack");
    drop(a);
    // The phone comes back.
    let mut again = server.client();
    again.send(json!({"t": "resume", "room": server.room, "token": welcome["token"]}));
    let w = again.until("welcome");
    assert_eq!(w["name"], "李四");
    let q = again.until("question");
    assert_eq!(q["q"], 0);
    assert_eq!(q["answered"], json!(right(&q)));
    assert!(q["seconds_left"].as_f64().unwrap() > 0.0);
    // A guessed token and a wrong room are refused and closed.
    let mut thief = server.client();
    thief.send(
        json!({"t": "resume", "room": server.room, "token": "0123456789abcdef0123456789abcdef"}),
    );
    assert_eq!(thief.until("error")["code"], "token");
    assert_eq!(
        thief.close_code(),
        Some(4001),
        "a wrong token closes the socket"
    );
    let mut lost = server.client();
    lost.send(json!({"t": "join", "room": "000000x", "name": "路人"}));
    assert_eq!(lost.until("error")["code"], "room");
    server.host("reveal");
    let r = again.until("result");
    assert_eq!(r["outcome"], "right");
    assert!(r["score"].as_i64().unwrap() > 100);
    server.quit();
}

#[test]
fn late_joiners_follow_the_file() {
    let dir = setup("late_join = false");
    let mut server = Server::start(dir.path(), &[&path(&dir, "live.toml")]);
    let (_a, _) = Client::join(&server.addr, &server.room, "早到");
    server.host("next");
    server.line("question 0 open");
    let mut late = server.client();
    late.send(json!({"t": "join", "room": server.room, "name": "迟到"}));
    assert_eq!(late.until("error")["code"], "late");
    server.quit();

    let dir = setup("late_join = true");
    let mut server = Server::start(dir.path(), &[&path(&dir, "live.toml")]);
    let (_a, _) = Client::join(&server.addr, &server.room, "早到");
    server.host("next");
    server.line("question 0 open");
    let (mut late, w) = Client::join(&server.addr, &server.room, "迟到");
    assert_eq!(w["name"], "迟到");
    assert_eq!(late.until("question")["q"], 0);
    server.quit();
}

#[test]
fn an_answer_after_the_time_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("decks")).unwrap();
    std::fs::write(dir.path().join("decks/t.toml"), DECK).unwrap();
    std::fs::write(
        dir.path().join("live.toml"),
        "[live]\ntitle = \"快\"\ntime = 5\n[[section]]\ncount = 1\ndecks = [\"t\"]\n",
    )
    .unwrap();
    let mut server = Server::start(dir.path(), &[&path(&dir, "live.toml")]);
    let (mut a, _) = Client::join(&server.addr, &server.room, "慢");
    let (_b, _) = Client::join(&server.addr, &server.room, "快");
    server.host("next");
    let q = a.until("question");
    assert_eq!(a.until("closed")["q"], 0, "time is up after 5 s");
    server.line("question 0 closed");
    a.send(json!({"t": "answer", "q": 0, "answer": right(&q)}));
    assert_eq!(a.until("error")["code"], "closed");
    server.quit();
}

#[test]
fn hostile_clients_do_not_stop_the_server_or_lose_answers() {
    let dir = setup("");
    let mut server = Server::start(dir.path(), &[&path(&dir, "live.toml")]);
    let (mut good, _) = Client::join(&server.addr, &server.room, "好人");
    // Bad JSON, an unknown message, answering without joining.
    let mut junk = server.client();
    junk.ws.send(Message::text("{not json")).unwrap();
    assert_eq!(junk.until("error")["code"], "invalid");
    junk.send(json!({"t": "admin", "cmd": "reveal"}));
    assert_eq!(junk.until("error")["code"], "invalid");
    junk.send(json!({"t": "answer", "q": 0, "answer": "A"}));
    assert_eq!(junk.until("error")["code"], "token");
    // Too long a name.
    junk.send(json!({"t": "join", "room": server.room, "name": "长".repeat(50)}));
    assert_eq!(junk.until("error")["code"], "too_long");
    // An oversized frame closes that socket with 1009.
    let mut big = server.client();
    big.ws.send(Message::text("x".repeat(5000))).unwrap();
    assert_eq!(big.close_code(), Some(1009));
    // A flood: told once, then closed.
    let (mut flood, _) = Client::join(&server.addr, &server.room, "刷屏");
    let mut rate_errors = 0;
    let started = Instant::now();
    let mut closed = false;
    while started.elapsed() < Duration::from_secs(6) {
        if flood
            .ws
            .send(Message::text(json!({"t": "ping"}).to_string()))
            .is_err()
        {
            closed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
        if let MaybeTlsStream::Plain(s) = flood.ws.get_ref() {
            s.set_nonblocking(true).unwrap();
        }
        loop {
            match flood.ws.read() {
                Ok(Message::Text(t)) if t.as_str().contains("\"rate\"") => rate_errors += 1,
                Ok(Message::Close(_)) => {
                    closed = true;
                    break;
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    break;
                }
                Err(_) => {
                    closed = true;
                    break;
                }
            }
        }
        if let MaybeTlsStream::Plain(s) = flood.ws.get_ref() {
            s.set_nonblocking(false).unwrap();
        }
        if closed {
            break;
        }
    }
    assert!(rate_errors >= 1, "the flood was told");
    assert!(closed, "a sustained flood is closed");
    // The good participant plays on; an answer to a question not open is refused.
    server.host("next");
    let q = good.until("question");
    good.send(json!({"t": "answer", "q": 2, "answer": "对"}));
    assert_eq!(good.until("error")["code"], "closed");
    good.send(json!({"t": "answer", "q": 0, "answer": right(&q)}));
    assert_eq!(good.until("ack")["q"], 0);
    good.send(json!({"t": "answer", "q": 0, "answer": wrong(&q)}));
    assert_eq!(good.until("error")["code"], "answered");
    server.quit();
    // Every accepted answer is stored.
    let conn = rusqlite::Connection::open(dir.path().join("progress.db")).unwrap();
    let answers: i64 = conn
        .query_row(
            "SELECT count(*) FROM live_events WHERE kind = 'answer'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(answers, 1);
}

#[test]
fn a_killed_server_resumes_with_scores_tokens_and_room() {
    let dir = setup("");
    let mut server = Server::start(dir.path(), &[&path(&dir, "live.toml")]);
    let room = server.room.clone();
    let (mut a, welcome) = Client::join(&server.addr, &server.room, "赵六");
    let (_b, _) = Client::join(&server.addr, &server.room, "孙七");
    server.host("next");
    let q = a.until("question");
    a.send(json!({"t": "answer", "q": 0, "answer": right(&q)}));
    a.until("ack");
    server.host("reveal");
    let score = a.until("result")["score"].as_i64().unwrap();
    server.host("next");
    a.until("question");
    // kill -9: no chance to save anything more.
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    drop(server);

    let mut server = Server::start(dir.path(), &["--resume"]);
    assert_eq!(server.room, room, "the same room code");
    let mut back = server.client();
    back.send(json!({"t": "resume", "room": room, "token": welcome["token"]}));
    assert_eq!(back.until("welcome")["name"], "赵六");
    let q = back.until("question");
    assert_eq!(q["q"], 1, "the open question is reopened");
    assert!(q["seconds_left"].as_f64().unwrap() > 20.0);
    back.send(json!({"t": "answer", "q": 1, "answer": right(&q)}));
    back.until("ack");
    server.host("reveal");
    let r = back.until("result");
    assert!(r["score"].as_i64().unwrap() > score, "{r} after {score}");
    server.quit();
}

#[test]
fn check_reports_live_file_mistakes_where_they_are() {
    crate::test::Test::new()
        .write(
            "l.toml",
            "[live]\ntitle = \"测\"\npace = \"fast\"\n\n[[section]]\nkinds = [\"essay\"]\n",
        )
        .args(["check", "l.toml"])
        .stdout_has("l.toml:3:8: 错误: 未知的 pace")
        .stdout_has("l.toml:6:10: 错误: 未知的题型")
        .stdout_has("1 个现场答题文件：2 个错误")
        .status(1)
        .run();
    crate::test::Test::new()
        .write(
            "l.toml",
            "[live]\ntitle = \"测\"\npace = \"self\"\nminutes = 10\n\n[[section]]\ncount = 2\nkinds = [\"judge\"]\n",
        )
        .args(["check", "l.toml"])
        .stdout_has("1 个现场答题文件：0 个错误")
        .run();
}

#[test]
fn a_self_paced_test_hands_out_the_paper_and_reveals_each_answer() {
    let dir = setup("pace = \"self\"\nminutes = 5\nreveal = \"each\"");
    let mut server = Server::start(dir.path(), &[&path(&dir, "live.toml")]);
    let (mut a, welcome) = Client::join(&server.addr, &server.room, "周八");
    assert_eq!(welcome["pace"], "self");
    let (mut b, _) = Client::join(&server.addr, &server.room, "吴九");
    server.host("next");
    server.line("started");
    let paper = a.until("paper");
    let questions = paper["questions"].as_array().unwrap().clone();
    assert_eq!(questions.len(), 3);
    assert!(paper["seconds_left"].as_f64().unwrap() > 290.0);
    assert!(
        !paper.to_string().contains("全心全意"),
        "no answers on the paper"
    );
    // Answered in any order; each answer is acknowledged, then its result.
    for q in questions.iter().rev() {
        a.send(json!({"t": "answer", "q": q["q"], "answer": right(q)}));
        assert_eq!(a.until("ack")["q"], q["q"]);
        let r = a.until("result");
        assert_eq!(r["outcome"], "right");
        assert_eq!(r["points"], 100, "no speed bonus in a self-paced test");
    }
    server.line("progress 周八 3/3");
    // All answered: this participant's review comes at once.
    let end = a.until("end");
    assert_eq!(end["right"], 3);
    assert_eq!(end["score"], 300);
    // The other has not finished; a reload brings the paper back.
    let paper_b = b.until("paper");
    let first = &paper_b["questions"][0];
    b.send(json!({"t": "answer", "q": first["q"], "answer": wrong(first)}));
    b.until("ack");
    drop(b);
    let mut b = server.client();
    // Resuming 周八 on that phone: a finished participant's review.
    let token = welcome["token"].clone();
    b.send(json!({"t": "resume", "room": server.room, "token": token}));
    b.until("welcome");
    let again = b.recv();
    assert_eq!(
        again["t"], "end",
        "a finished participant sees their review"
    );
    server.host("next");
    server.line("end");
    let out = server.quit();
    assert!(out.contains("1. 周八 300 分"), "{out}");
}

#[test]
fn phone_buzzers_are_ordered_by_the_server_and_fed_to_the_contest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("decks")).unwrap();
    std::fs::write(dir.path().join("decks/t.toml"), DECK).unwrap();
    std::fs::write(
        dir.path().join("c.toml"),
        "[contest]\ntitle = \"赛\"\nteams = [\"甲\", \"乙\"]\n[[round]]\nkind = \"buzz\"\nquestions = 2\ndecks = [\"t\"]\n",
    )
    .unwrap();
    let mut cmd = dangke(dir.path(), None);
    cmd.env("DANGKE_DECKS", dir.path().join("decks"))
        .args(["contest", "c.toml", "--buzzers", "127.0.0.1:0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let mut wait_for = |needle: &str| -> String {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let line: String = lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no {needle:?} in {seen:?}"));
            seen.push(line.clone());
            if line.contains(needle) {
                return line;
            }
        }
    };
    let url = wait_for("buzzers http://");
    let addr = url
        .trim_start_matches("buzzers http://")
        .trim_end_matches('/')
        .to_owned();
    // The buzzer page, its script and style, each with its type.
    for (path, kind, body) in [
        ("/", "text/html; charset=utf-8", "<!doctype html>"),
        ("/buzzer.js", "text/javascript; charset=utf-8", "WebSocket"),
        ("/buzzer.css", "text/css; charset=utf-8", "{"),
    ] {
        let got = http_get(&addr, path);
        assert!(got.starts_with("HTTP/1.1 200"), "{path}: {got}");
        assert!(
            got.to_ascii_lowercase()
                .contains(&format!("content-type: {kind}")),
            "{path}: {got}"
        );
        assert!(got.contains(body), "{path}: {got}");
    }
    let mut phones: Vec<Client> = (0..2).map(|_| Client::connect(&addr)).collect();
    for (team, phone) in phones.iter_mut().enumerate() {
        assert_eq!(phone.until("teams")["teams"], json!(["甲", "乙"]));
        phone.send(json!({"t": "team", "team": team}));
        assert_eq!(phone.until("ok")["name"], ["甲", "乙"][team]);
    }
    // A press before the host opens the question is a foul.
    writeln!(stdin, "n").unwrap();
    wait_for("主持人读题后按 o 开始抢答");
    phones[0].send(json!({"t": "press"}));
    phones[0].until("pressed");
    wait_for("甲 提前抢答，犯规");
    // Open: 乙 presses first, then 甲; the server's order decides.
    writeln!(stdin, "o").unwrap();
    wait_for("开始抢答");
    phones[1].send(json!({"t": "press"}));
    phones[1].until("pressed");
    phones[0].send(json!({"t": "press"}));
    phones[0].until("pressed");
    wait_for("乙 抢答成功");
    wait_for("甲 抢答慢了");
    // Junk and an unknown team are refused; the server keeps going.
    let mut junk = Client::connect(&addr);
    junk.until("teams");
    junk.send(json!({"t": "team", "team": 9}));
    assert_eq!(junk.until("error")["t"], "error");
    junk.send(json!({"t": "press"}));
    assert_eq!(junk.until("error")["msg"], "请先选择队伍");
    writeln!(stdin, "+2").unwrap();
    wait_for("乙");
    writeln!(stdin, "q").unwrap();
    drop(stdin);
    assert!(wait_exit(&mut child).success());
    let rest: Vec<String> = lines.try_iter().collect();
    let all = format!("{}\n{}", seen.join("\n"), rest.join("\n"));
    assert!(all.contains("乙  120 分"), "{all}");
}

/// A plain HTTP/1.1 GET: the whole response, headers and body.
fn http_get(addr: &str, path: &str) -> String {
    use std::io::Read;
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn teams_are_offered_and_the_page_is_served_under_a_strict_policy() {
    let dir = setup("teams = [\"一组\", \"二组\"]");
    let server = Server::start(dir.path(), &[&path(&dir, "live.toml")]);
    let info = http_get(&server.addr, "/info");
    assert!(info.contains(r#""teams":["一组","二组"]"#), "{info}");
    assert!(!info.contains("全心全意"));
    let page = http_get(&server.addr, "/?room=123456");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let lower = page.to_lowercase();
    assert!(
        lower.contains(
            "content-security-policy: default-src 'none'; script-src 'self'; style-src 'self';"
        ),
        "{page}"
    );
    assert!(!lower.contains("unsafe-inline"));
    assert!(lower.contains("x-content-type-options: nosniff"));
    assert!(lower.contains("referrer-policy: no-referrer"));
    assert!(lower.contains("cache-control: no-store"));
    assert!(
        http_get(&server.addr, "/app.js")
            .to_lowercase()
            .contains("content-type: text/javascript")
    );
    assert!(http_get(&server.addr, "/nope").starts_with("HTTP/1.1 404"));
    let mut c = server.client();
    c.send(json!({"t": "join", "room": server.room, "name": "甲"}));
    let e = c.until("error");
    assert_eq!(e["code"], "team");
    assert_eq!(e["teams"], json!(["一组", "二组"]));
    c.send(json!({"t": "join", "room": server.room, "name": "甲", "team": "二组"}));
    assert_eq!(c.until("welcome")["team"], "二组");
    server.quit();
}

/// The host's terminal goes away without a SIGHUP (a multiplexer dies, an
/// SSH connection drops): the host view spun inside the terminal library
/// at full CPU for ever. It must end, leaving the session open to resume.
#[cfg(unix)]
#[test]
fn a_host_whose_terminal_goes_away_exits_and_leaves_the_session_open() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut p =
        crate::contest::own_pty::spawn(dir.path(), &["live", "--port", "0", "--bind", "127.0.0.1"]);
    p.expect("房间号");
    p.master = None;
    assert!(
        p.exited_within(std::time::Duration::from_secs(15)),
        "still running (spinning on the dead terminal) after its terminal went away"
    );
    let conn = rusqlite::Connection::open(dir.path().join("progress.db")).unwrap();
    let ended: Option<i64> = conn
        .query_row("SELECT ended_at FROM lives", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ended, None, "left open for --resume");
}
