//! The wire protocol (docs/live-protocol.md): client messages parsed from
//! JSON, server messages built from the engine for one participant. The
//! right answer appears only in `result` and `end`, and only once the
//! engine says it is revealed.

use serde::Deserialize;
use serde_json::{Value, json};

use super::engine::{Engine, Mark, Phase};
use crate::deck::Body;

/// Largest text frame a client may send (bytes).
pub const MAX_FRAME: usize = 4096;

/// What a participant's page may send.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "t", rename_all = "lowercase", deny_unknown_fields)]
pub enum ClientMsg {
    Join {
        room: String,
        name: String,
        #[serde(default)]
        team: Option<String>,
    },
    Resume {
        room: String,
        token: String,
    },
    Answer {
        q: i64,
        answer: String,
    },
    Ping,
}

pub fn parse(text: &str) -> Option<ClientMsg> {
    serde_json::from_str(text).ok()
}

pub fn error(code: &str, msg: &str) -> String {
    json!({"t": "error", "code": code, "msg": msg}).to_string()
}

pub fn pong() -> String {
    json!({"t": "pong"}).to_string()
}

pub fn welcome(engine: &Engine<'_>, p: usize) -> String {
    let part = &engine.participants[p];
    json!({
        "t": "welcome",
        "token": part.token,
        "name": part.name,
        "team": part.team,
        "title": engine.spec.title,
        "pace": engine.spec.pace.name(),
        "questions": engine.paper.len(),
        "reveal": engine.spec.reveal.name(),
    })
    .to_string()
}

pub fn ack(q: usize, answer: &str) -> String {
    json!({"t": "ack", "q": q, "answer": answer}).to_string()
}

fn blanks(engine: &Engine<'_>, q: usize) -> usize {
    match &engine.card(q).body {
        Body::Fill { parts } => crate::deck::fill::blank_answers(parts).len(),
        _ => 0,
    }
}

/// A question as participant `p` sees it: prompt (fill blanks as ____),
/// options in their order; never the answer.
fn question_fields(engine: &Engine<'_>, p: usize, q: usize) -> serde_json::Map<String, Value> {
    let card = engine.card(q);
    let prompt = match &card.body {
        Body::Fill { parts } => crate::deck::fill::render_with_blanks(parts, "____"),
        _ => card.prompt.clone(),
    };
    let answered = engine.participants[p].answers[q]
        .as_ref()
        .map(|a| a.text.clone());
    let mut m = serde_json::Map::new();
    m.insert("q".into(), json!(q));
    m.insert("kind".into(), json!(card.kind().name()));
    m.insert("prompt".into(), json!(prompt));
    m.insert("options".into(), json!(engine.options(p, q)));
    m.insert("blanks".into(), json!(blanks(engine, q)));
    m.insert("answered".into(), json!(answered));
    m
}

pub fn question(engine: &Engine<'_>, p: usize, q: usize, now: i64) -> String {
    let mut m = question_fields(engine, p, q);
    m.insert("t".into(), json!("question"));
    m.insert("total".into(), json!(engine.paper.len()));
    m.insert("seconds_left".into(), json!(engine.seconds_left(now)));
    Value::Object(m).to_string()
}

pub fn paper(engine: &Engine<'_>, p: usize, now: i64) -> String {
    let questions: Vec<Value> = (0..engine.paper.len())
        .map(|q| Value::Object(question_fields(engine, p, q)))
        .collect();
    json!({"t": "paper", "questions": questions, "seconds_left": engine.seconds_left(now)})
        .to_string()
}

/// "《文件名》：原文" for question `q`, or "".
pub fn source(engine: &Engine<'_>, q: usize) -> String {
    let card = engine.card(q);
    let deck = engine.deck(q);
    let Some(cite) = &card.source else {
        return String::new();
    };
    let title = deck
        .sources
        .iter()
        .find(|s| s.id == cite.doc)
        .map_or(cite.doc.as_str(), |s| s.title.as_str());
    format!(
        "《{}》：{}",
        hanconv::t2s(title),
        crate::view::quote_shown(cite)
    )
}

fn outcome(engine: &Engine<'_>, p: usize, q: usize) -> (Mark, String, i64) {
    match &engine.participants[p].answers[q] {
        Some(a) => (a.mark, a.text.clone(), a.points),
        None => (Mark::None, String::new(), 0),
    }
}

pub fn result(engine: &Engine<'_>, p: usize, q: usize) -> String {
    let (mark, your, points) = outcome(engine, p, q);
    let ranks = engine.ranks();
    json!({
        "t": "result",
        "q": q,
        "outcome": mark.name(),
        "your": your,
        "answer": engine.answer_shown(p, q),
        "explain": engine.card(q).explain.clone().unwrap_or_default(),
        "source": source(engine, q),
        "points": points,
        "score": engine.participants[p].score(),
        "rank": ranks[p],
        "of": engine.participants.len(),
    })
    .to_string()
}

pub fn end(engine: &Engine<'_>, p: usize) -> String {
    let part = &engine.participants[p];
    let (right, wrong, none) = part.counts();
    let review: Vec<Value> = (0..engine.paper.len())
        .map(|q| {
            let (mark, your, points) = outcome(engine, p, q);
            let card = engine.card(q);
            let prompt = match &card.body {
                Body::Fill { parts } => crate::deck::fill::render_with_blanks(parts, "____"),
                _ => card.prompt.clone(),
            };
            json!({
                "q": q,
                "kind": card.kind().name(),
                "prompt": prompt,
                "options": engine.options(p, q),
                "your": your,
                "outcome": mark.name(),
                "points": points,
                "answer": engine.answer_shown(p, q),
                "explain": card.explain.clone().unwrap_or_default(),
                "source": source(engine, q),
            })
        })
        .collect();
    json!({
        "t": "end",
        "score": part.score(),
        "rank": engine.ranks()[p],
        "of": engine.participants.len(),
        "right": right,
        "wrong": wrong,
        "none": none,
        "review": review,
    })
    .to_string()
}

pub fn lobby(joined: usize) -> String {
    json!({"t": "lobby", "joined": joined}).to_string()
}

pub fn closed(q: usize) -> String {
    json!({"t": "closed", "q": q}).to_string()
}

/// What participant `p` should see now (after `welcome`, and after every
/// change of phase).
pub fn state(engine: &Engine<'_>, p: usize, now: i64) -> String {
    match engine.phase {
        Phase::Lobby => lobby(engine.participants.len()),
        Phase::Open { q, .. } => question(engine, p, q, now),
        Phase::Closed { q } => closed(q),
        Phase::Revealed { q } => result(engine, p, q),
        Phase::Running { .. } => {
            if engine.participants[p].answered() == engine.paper.len()
                && engine.spec.reveal == super::Reveal::Each
            {
                end(engine, p)
            } else {
                paper(engine, p, now)
            }
        }
        Phase::Ended => end(engine, p),
    }
}

/// `GET /info`: what the page needs before joining; no answers.
pub fn info(engine: &Engine<'_>) -> String {
    json!({
        "title": engine.spec.title,
        "teams": engine.spec.teams,
        "pace": engine.spec.pace.name(),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_messages_parse_and_junk_does_not() {
        assert_eq!(
            parse(r#"{"t":"join","room":"123456","name":"张三"}"#),
            Some(ClientMsg::Join {
                room: "123456".into(),
                name: "张三".into(),
                team: None
            })
        );
        assert_eq!(
            parse(r#"{"t":"answer","q":3,"answer":"B"}"#),
            Some(ClientMsg::Answer {
                q: 3,
                answer: "B".into()
            })
        );
        assert_eq!(parse(r#"{"t":"ping"}"#), Some(ClientMsg::Ping));
        for junk in [
            "",
            "{",
            "[]",
            r#"{"t":"hack"}"#,
            r#"{"t":"answer","q":"x","answer":"B"}"#,
            r#"{"t":"answer","q":1,"answer":7}"#,
            r#"{"t":"join","room":"1","name":"a","admin":true}"#,
        ] {
            assert_eq!(parse(junk), None, "{junk}");
        }
    }
}
