//! The one thread that owns a live session: it applies every participant
//! message and host step to the engine, commits the resulting events to
//! the store in one transaction per burst, and only then sends the acks
//! and broadcasts. Sockets and the host talk to it through a channel.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use super::engine::{Engine, Phase, Step};
use super::protocol::{self, ClientMsg};
use super::screen::HostView;
use crate::store::{LiveEvent, Store};

/// What a socket task is told to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    Text(String),
    /// Close with a code and a reason.
    Close(u16, String),
}

/// The host's steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostCmd {
    Next,
    Reveal,
    Quit,
}

pub enum Cmd {
    Connect {
        conn: u64,
        tx: UnboundedSender<Outgoing>,
    },
    Disconnect {
        conn: u64,
    },
    Client {
        conn: u64,
        msg: ClientMsg,
    },
    Host(HostCmd),
}

/// Where the host learns what happens: one plain line per event
/// (`joined 张三`, `question 0 open`, …).
pub type EventSink<'s> = Box<dyn FnMut(&str) + 's>;

/// A random resume token: 128 bits from the operating system, as hex.
pub fn new_token() -> String {
    use rand::TryRng;
    let mut bytes = [0u8; 16];
    if rand::rngs::SysRng.try_fill_bytes(&mut bytes).is_err() {
        // No OS randomness: fall back to the std hasher's random keys.
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(Instant::now().elapsed().as_nanos());
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random 6-digit room code.
pub fn new_room() -> String {
    let token = new_token();
    let n = u64::from_str_radix(&token[..12], 16).unwrap_or(0);
    format!("{:06}", n % 1_000_000)
}

pub struct Hub<'a, 's> {
    pub engine: Engine<'a>,
    pub store: Option<Store>,
    pub live_id: i64,
    pub room: String,
    /// Session time at `started` (non-zero after a resume).
    base: i64,
    started: Instant,
    senders: HashMap<u64, UnboundedSender<Outgoing>>,
    /// Participant per bound connection, and the reverse.
    who: HashMap<u64, usize>,
    conn_of: HashMap<usize, u64>,
    events: Vec<LiveEvent>,
    /// Sent after the commit, in order.
    outbox: Vec<(u64, Outgoing)>,
    phase_changed: bool,
    lobby_changed: bool,
    log: EventSink<'s>,
    /// A store write failed: the session stops (what is stored can be
    /// resumed).
    pub failed: Option<crate::store::StoreError>,
    /// Where the terminal host reads what to show, when there is one.
    pub view: Option<Arc<Mutex<Option<HostView>>>>,
    recent: Vec<String>,
    shown_at: Option<Instant>,
    phase_seen: Phase,
}

impl<'a, 's> Hub<'a, 's> {
    pub fn new(
        engine: Engine<'a>,
        store: Option<Store>,
        live_id: i64,
        room: String,
        base: i64,
        log: EventSink<'s>,
    ) -> Self {
        Hub {
            engine,
            store,
            live_id,
            room,
            base,
            started: Instant::now(),
            senders: HashMap::new(),
            who: HashMap::new(),
            conn_of: HashMap::new(),
            events: Vec::new(),
            outbox: Vec::new(),
            phase_changed: false,
            lobby_changed: false,
            log,
            failed: None,
            view: None,
            recent: Vec::new(),
            shown_at: None,
            phase_seen: Phase::Lobby,
        }
    }

    /// Session time now, in milliseconds.
    pub fn now(&self) -> i64 {
        self.base + self.started.elapsed().as_millis() as i64
    }

    /// Tells the host: a line for the scripted host, the log on screen.
    fn event(&mut self, line: &str) {
        (self.log)(line);
        if self.view.is_some() {
            self.recent.push(line.to_owned());
            if self.recent.len() > 5 {
                self.recent.remove(0);
            }
            self.shown_at = None;
        }
    }

    /// Publishes the host's view (at most four times a second unless
    /// something happened).
    fn publish(&mut self) {
        let Some(view) = &self.view else { return };
        if self
            .shown_at
            .is_some_and(|t| t.elapsed() < Duration::from_millis(250))
        {
            return;
        }
        let snapshot = HostView::new(&self.engine, self.now(), &self.recent);
        if let Ok(mut v) = view.lock() {
            *v = Some(snapshot);
        }
        self.shown_at = Some(Instant::now());
    }

    fn send(&mut self, conn: u64, text: String) {
        self.outbox.push((conn, Outgoing::Text(text)));
    }

    fn record(&mut self, kind: &str, at: i64) -> &mut LiveEvent {
        self.events.push(LiveEvent {
            at,
            kind: kind.to_owned(),
            ..LiveEvent::default()
        });
        self.events.last_mut().expect("just pushed")
    }

    /// Runs until the host quits, the channel closes or a write fails.
    pub fn run(&mut self, rx: &Receiver<Cmd>) {
        loop {
            let wait = self.until_deadline().min(Duration::from_millis(250));
            let first = match rx.recv_timeout(wait) {
                Ok(cmd) => Some(cmd),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let mut quit = false;
            // A burst is applied and committed together.
            for cmd in first
                .into_iter()
                .chain(std::iter::from_fn(|| rx.try_recv().ok()))
            {
                if self.apply(cmd) {
                    quit = true;
                    break;
                }
                if self.events.len() >= 1000 {
                    break;
                }
            }
            let now = self.now();
            let step = self.engine.tick(now);
            self.stepped(step, "tick", now);
            if !self.flush() {
                return;
            }
            if self.phase_seen != self.engine.phase {
                self.phase_seen = self.engine.phase;
                self.shown_at = None;
            }
            self.publish();
            if quit {
                return;
            }
        }
    }

    fn until_deadline(&self) -> Duration {
        match self.engine.phase {
            Phase::Open { deadline, .. } | Phase::Running { deadline, .. } => {
                Duration::from_millis((deadline + 1 - self.now()).clamp(0, 1000) as u64)
            }
            _ => Duration::from_secs(1),
        }
    }

    /// Commits the burst's events, then sends what it produced. False when
    /// the store failed.
    pub fn flush(&mut self) -> bool {
        if let Some(store) = self.store.as_mut()
            && let Err(e) = store.append_live_events(self.live_id, &self.events)
        {
            self.event(&format!("error {e}"));
            for (conn, tx) in &self.senders {
                let _ = conn;
                let _ = tx.send(Outgoing::Text(protocol::error(
                    "ended",
                    "服务器无法保存记录，答题已暂停，请等待主持人处理",
                )));
            }
            self.failed = Some(e);
            return false;
        }
        self.events.clear();
        let now = self.now();
        if self.phase_changed {
            self.phase_changed = false;
            self.lobby_changed = false;
            let bound: Vec<(u64, usize)> = self.who.iter().map(|(&c, &p)| (c, p)).collect();
            for (conn, p) in bound {
                let text = protocol::state(&self.engine, p, now);
                self.send(conn, text);
            }
        } else if self.lobby_changed {
            self.lobby_changed = false;
            if self.engine.phase == Phase::Lobby {
                let text = protocol::lobby(self.engine.participants.len());
                let conns: Vec<u64> = self.who.keys().copied().collect();
                for conn in conns {
                    self.send(conn, text.clone());
                }
            }
        }
        for (conn, out) in self.outbox.drain(..) {
            if let Some(tx) = self.senders.get(&conn) {
                let _ = tx.send(out);
            }
        }
        true
    }

    /// Applies one command; true when the host quits.
    fn apply(&mut self, cmd: Cmd) -> bool {
        let now = self.now();
        match cmd {
            Cmd::Connect { conn, tx } => {
                self.senders.insert(conn, tx);
            }
            Cmd::Disconnect { conn } => {
                self.senders.remove(&conn);
                if let Some(p) = self.who.remove(&conn)
                    && self.conn_of.get(&p) == Some(&conn)
                {
                    self.conn_of.remove(&p);
                }
            }
            Cmd::Client { conn, msg } => self.client(conn, msg, now),
            Cmd::Host(HostCmd::Quit) => {
                if self.engine.end() == Step::Ended {
                    self.record("end", now);
                    self.phase_changed = true;
                    self.event("end");
                }
                return true;
            }
            Cmd::Host(HostCmd::Next) => {
                let step = self.engine.next(now);
                self.stepped(step, "next", now);
            }
            Cmd::Host(HostCmd::Reveal) => {
                let step = self.engine.reveal(now);
                self.stepped(step, "reveal", now);
            }
        }
        false
    }

    /// Records a step that changed the phase, and tells the host.
    fn stepped(&mut self, step: Step, kind: &str, now: i64) {
        if step == Step::Nothing {
            return;
        }
        self.record(kind, now);
        self.phase_changed = true;
        let line = match step {
            Step::Opened(q) => format!("question {q} open"),
            Step::Closed(q) => format!("question {q} closed"),
            Step::Revealed(q) => format!("reveal {q}"),
            Step::Started => "started".to_owned(),
            Step::Ended => "end".to_owned(),
            Step::Nothing => return,
        };
        self.event(&line);
    }

    fn bind(&mut self, conn: u64, p: usize) {
        if let Some(old) = self.conn_of.insert(p, conn)
            && old != conn
        {
            self.who.remove(&old);
            self.outbox
                .push((old, Outgoing::Close(4000, "已在另一处登录".to_owned())));
        }
        self.who.insert(conn, p);
    }

    fn refuse(&mut self, conn: u64, r: super::engine::Refusal) {
        let text = if r == super::engine::Refusal::Team {
            // The page can offer the teams right away.
            serde_json::json!({
                "t": "error",
                "code": r.code(),
                "msg": r.message(),
                "teams": self.engine.spec.teams,
            })
            .to_string()
        } else {
            protocol::error(r.code(), r.message())
        };
        self.send(conn, text);
    }

    /// A refused join or resume: a wrong room or unknown token also closes
    /// the socket (code 4001); other refusals leave it open to try again.
    fn turn_away(&mut self, conn: u64, r: super::engine::Refusal) {
        use super::engine::Refusal;
        self.refuse(conn, r);
        if matches!(r, Refusal::Room | Refusal::Token) {
            self.outbox
                .push((conn, Outgoing::Close(4001, r.code().to_owned())));
        }
    }

    fn client(&mut self, conn: u64, msg: ClientMsg, now: i64) {
        use super::engine::Refusal;
        match msg {
            ClientMsg::Ping => self.send(conn, protocol::pong()),
            ClientMsg::Join { room, name, team } => {
                if room.trim() != self.room {
                    self.turn_away(conn, Refusal::Room);
                    return;
                }
                if self.who.contains_key(&conn) {
                    self.refuse(conn, Refusal::Invalid);
                    return;
                }
                let token = new_token();
                match self.engine.join(&name, team.as_deref(), token.clone(), now) {
                    Ok(p) => {
                        let part = &self.engine.participants[p];
                        let (name, team) = (part.name.clone(), part.team.clone());
                        let e = self.record("join", now);
                        e.participant = Some(p as i64);
                        e.text = Some(name.clone());
                        e.token = Some(token);
                        e.team = (!team.is_empty()).then_some(team);
                        self.event(&format!("joined {}", crate::term::sanitize_line(&name)));
                        self.bind(conn, p);
                        self.send(conn, protocol::welcome(&self.engine, p));
                        if self.engine.phase == Phase::Lobby {
                            // Everyone, this one included, hears the new count.
                            self.lobby_changed = true;
                        } else {
                            self.send(conn, protocol::state(&self.engine, p, now));
                        }
                    }
                    Err(r) => self.turn_away(conn, r),
                }
            }
            ClientMsg::Resume { room, token } => {
                if room.trim() != self.room {
                    self.turn_away(conn, Refusal::Room);
                    return;
                }
                match self.engine.find(&token) {
                    Ok(p) => {
                        self.bind(conn, p);
                        self.event(&format!(
                            "rejoined {}",
                            crate::term::sanitize_line(&self.engine.participants[p].name)
                        ));
                        self.send(conn, protocol::welcome(&self.engine, p));
                        self.send(conn, protocol::state(&self.engine, p, now));
                    }
                    Err(r) => self.turn_away(conn, r),
                }
            }
            ClientMsg::Answer { q, answer } => {
                let Some(&p) = self.who.get(&conn) else {
                    self.refuse(conn, Refusal::Token);
                    return;
                };
                let Some(q) = usize::try_from(q)
                    .ok()
                    .filter(|&q| q < self.engine.paper.len())
                else {
                    self.refuse(conn, Refusal::Closed);
                    return;
                };
                match self.engine.answer(p, q, &answer, now) {
                    Ok(a) => {
                        let (text, mark, points) = (a.text.clone(), a.mark, a.points);
                        let e = self.record("answer", now);
                        e.participant = Some(p as i64);
                        e.q = Some(q as i64);
                        e.text = Some(text.clone());
                        e.mark = Some(mark.name().to_owned());
                        e.points = Some(points);
                        self.send(conn, protocol::ack(q, &text));
                        let line = match self.engine.spec.pace {
                            super::Pace::Host => format!(
                                "answered {q} {}/{}",
                                self.engine.answered_count(q),
                                self.engine.participants.len()
                            ),
                            super::Pace::SelfPaced => format!(
                                "progress {} {}/{}",
                                crate::term::sanitize_line(&self.engine.participants[p].name),
                                self.engine.participants[p].answered(),
                                self.engine.paper.len()
                            ),
                        };
                        self.event(&line);
                        if self.engine.spec.pace == super::Pace::SelfPaced
                            && self.engine.spec.reveal == super::Reveal::Each
                        {
                            self.send(conn, protocol::result(&self.engine, p, q));
                            if self.engine.participants[p].answered() == self.engine.paper.len() {
                                self.send(conn, protocol::end(&self.engine, p));
                            }
                        }
                        let step = self.engine.settle();
                        if step != Step::Nothing {
                            // Follows from the answer: not stored, replayed.
                            self.phase_changed = true;
                            let line = match step {
                                Step::Closed(q) => format!("question {q} closed"),
                                _ => "end".to_owned(),
                            };
                            self.event(&line);
                        }
                    }
                    Err(r) => self.refuse(conn, r),
                }
            }
        }
    }
}

/// Rebuilds a session from its stored events; returns the session time
/// of the last event.
pub fn replay(engine: &mut Engine<'_>, events: &[LiveEvent]) -> Result<i64, String> {
    let mut last = 0;
    for (i, e) in events.iter().enumerate() {
        last = last.max(e.at);
        let bad = |what: &str| format!("第 {} 条记录（{}）{what}", i + 1, e.kind);
        match e.kind.as_str() {
            "join" => {
                let p = engine
                    .join(
                        e.text.as_deref().unwrap_or_default(),
                        e.team.as_deref(),
                        e.token.clone().unwrap_or_default(),
                        e.at,
                    )
                    .map_err(|r| bad(r.message()))?;
                if Some(p as i64) != e.participant {
                    return Err(bad("的参加者编号不符"));
                }
            }
            "answer" => {
                let p = e.participant.unwrap_or(-1);
                let q = e.q.unwrap_or(-1);
                let (Ok(p), Ok(q)) = (usize::try_from(p), usize::try_from(q)) else {
                    return Err(bad("缺少参加者或题号"));
                };
                if q >= engine.paper.len() {
                    return Err(bad("的题号超出试卷"));
                }
                engine
                    .answer(p, q, e.text.as_deref().unwrap_or_default(), e.at)
                    .map_err(|r| bad(r.message()))?;
                engine.settle();
            }
            "next" => {
                engine.next(e.at);
            }
            "reveal" => {
                engine.reveal(e.at);
            }
            "tick" => {
                engine.tick(e.at);
            }
            "end" => {
                engine.end();
            }
            "reopen" => engine.reopen(e.points.unwrap_or(e.at), e.at),
            _ => return Err(bad("的类型未知")),
        }
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::engine::tests::{library, spec};
    use crate::live::{Pace, Reveal};
    use serde_json::Value;

    fn drain(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Outgoing>) -> Vec<Value> {
        let mut out = Vec::new();
        while let Ok(o) = rx.try_recv() {
            if let Outgoing::Text(t) = o {
                out.push(serde_json::from_str(&t).unwrap());
            }
        }
        out
    }

    fn event(kind: &str, participant: Option<i64>, q: Option<i64>) -> LiveEvent {
        LiveEvent {
            at: 1,
            kind: kind.into(),
            participant,
            q,
            text: Some("甲".into()),
            token: Some(format!("t{}", participant.unwrap_or(9))),
            team: None,
            mark: None,
            points: None,
        }
    }

    /// A stored answer without its participant or question is refused on
    /// replay, not given to somebody.
    #[test]
    fn a_replayed_answer_needs_its_participant_and_question() {
        let lib = library();
        for (p, q) in [(None, Some(0)), (Some(1), None)] {
            let mut engine = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 1);
            let events = [
                event("join", Some(0), None),
                event("join", Some(1), None),
                event("answer", p, q),
            ];
            let err = replay(&mut engine, &events).unwrap_err();
            assert_eq!(err, "第 3 条记录（answer）缺少参加者或题号", "{p:?} {q:?}");
        }
    }

    /// The host's screen lists the last five events, the oldest dropped.
    #[test]
    fn the_host_screen_shows_the_last_five_events() {
        let lib = library();
        let engine = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 1);
        let mut hub = Hub::new(engine, None, 0, "123456".into(), 0, Box::new(|_| {}));
        let view = Arc::new(Mutex::new(None));
        hub.view = Some(view.clone());
        let mut phones = Vec::new();
        for conn in 1..=6 {
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
            phones.push(rx);
            hub.apply(Cmd::Connect { conn, tx });
            let join = ClientMsg::Join {
                room: "123456".into(),
                name: format!("学员{conn}"),
                team: None,
            };
            hub.apply(Cmd::Client { conn, msg: join });
        }
        hub.publish();
        let log = view
            .lock()
            .unwrap()
            .as_ref()
            .expect("published")
            .log
            .clone();
        let expected: Vec<String> = (2..=6).map(|i| format!("joined 学员{i}")).collect();
        assert_eq!(log, expected);
    }

    #[test]
    fn an_answer_is_acknowledged_only_after_its_commit() {
        let lib = library();
        let mut store = Store::open_in_memory().unwrap();
        let id = store.create_live("测", "123456", 1, None, 0).unwrap();
        let engine = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 1);
        // Session time starts at 5 s (as after a resume), so a stored
        // event time of 0 cannot pass for the real one.
        let mut hub = Hub::new(
            engine,
            Some(store),
            id,
            "123456".into(),
            5_000,
            Box::new(|_| {}),
        );
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        hub.apply(Cmd::Connect { conn: 1, tx });
        let join = ClientMsg::Join {
            room: "123456".into(),
            name: "张三".into(),
            team: None,
        };
        hub.apply(Cmd::Client { conn: 1, msg: join });
        // Nothing leaves before the commit.
        assert!(drain(&mut rx).is_empty());
        assert!(hub.flush());
        let sent = drain(&mut rx);
        assert_eq!(sent[0]["t"], "welcome");
        assert_eq!(sent[1], serde_json::json!({"t": "lobby", "joined": 1}));
        let stored = hub
            .store
            .as_ref()
            .unwrap()
            .live_replay(id)
            .unwrap()
            .unwrap();
        assert_eq!(stored.events.len(), 1);
        assert_eq!(stored.events[0].kind, "join");
        let at = stored.events[0].at;
        assert!(
            (5_000..5_000 + 60_000).contains(&at),
            "the join is stored at its session time: {at}"
        );
        hub.apply(Cmd::Host(HostCmd::Next));
        assert!(hub.flush());
        assert_eq!(drain(&mut rx)[0]["t"], "question");
        // The store breaks: the answer is not acknowledged.
        hub.store
            .as_ref()
            .unwrap()
            .conn()
            .execute_batch("DROP TABLE live_events")
            .unwrap();
        let kind = hub.engine.card(0).kind();
        let answer = match kind {
            crate::deck::Kind::Judge => "对",
            crate::deck::Kind::Choice | crate::deck::Kind::Multi => "A",
            _ => "不知道",
        };
        hub.apply(Cmd::Client {
            conn: 1,
            msg: ClientMsg::Answer {
                q: 0,
                answer: answer.into(),
            },
        });
        assert!(!hub.flush(), "the failed commit stops the session");
        let sent = drain(&mut rx);
        assert!(sent.iter().all(|m| m["t"] != "ack"), "{sent:?}");
        assert!(sent.iter().any(|m| m["t"] == "error"), "{sent:?}");
        assert!(hub.failed.is_some());
    }

    #[test]
    fn a_second_socket_with_the_token_replaces_the_first() {
        let lib = library();
        let engine = Engine::new(spec(Pace::Host, Reveal::Each), &lib, 1);
        let mut hub = Hub::new(engine, None, 0, "1".into(), 0, Box::new(|_| {}));
        let (tx1, mut rx1) = tokio::sync::mpsc::unbounded_channel();
        let (tx2, mut rx2) = tokio::sync::mpsc::unbounded_channel();
        hub.apply(Cmd::Connect { conn: 1, tx: tx1 });
        hub.apply(Cmd::Connect { conn: 2, tx: tx2 });
        hub.apply(Cmd::Client {
            conn: 1,
            msg: ClientMsg::Join {
                room: "1".into(),
                name: "甲".into(),
                team: None,
            },
        });
        hub.flush();
        let token = drain(&mut rx1)[0]["token"].as_str().unwrap().to_owned();
        assert_eq!(token.len(), 32);
        hub.apply(Cmd::Client {
            conn: 2,
            msg: ClientMsg::Resume {
                room: "1".into(),
                token,
            },
        });
        hub.flush();
        assert_eq!(drain(&mut rx2)[0]["name"], "甲");
        let closed = rx1.try_recv().unwrap();
        assert_eq!(closed, Outgoing::Close(4000, "已在另一处登录".into()));
        // Answers now come from the new socket only.
        hub.apply(Cmd::Host(HostCmd::Next));
        hub.apply(Cmd::Client {
            conn: 1,
            msg: ClientMsg::Answer {
                q: 0,
                answer: "A".into(),
            },
        });
        hub.flush();
        let old = drain(&mut rx1);
        assert!(old.iter().all(|m| m["t"] != "ack"), "{old:?}");
        assert!(hub.engine.participants[0].answers[0].is_none());
    }

    #[test]
    fn room_codes_and_tokens_look_right() {
        let room = new_room();
        assert_eq!(room.len(), 6);
        assert!(room.chars().all(|c| c.is_ascii_digit()));
        assert_ne!(new_token(), new_token());
    }
}
