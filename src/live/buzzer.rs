//! Phones as contest buzzers (`dangke contest --buzzers`): a tiny page with
//! one big button per team's phone. Each press is stamped and queued on
//! the server as it arrives, so the first press wins whatever the phones'
//! clocks say; the contest loop feeds the presses into the contest engine
//! as if the team's buzzer key had been pressed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Instant;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

use super::server::{Rate, Verdict};

const PAGE: &str = include_str!("buzzer.html");
const JS: &str = include_str!("buzzer.js");
const CSS: &str = include_str!("buzzer.css");

/// One press of a team's buzzer, stamped when the server read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Press {
    pub team: usize,
    pub at: Instant,
}

#[derive(Clone)]
struct BuzzState {
    teams: Arc<Vec<String>>,
    presses: Sender<Press>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "t", rename_all = "lowercase", deny_unknown_fields)]
enum BuzzMsg {
    Team { team: usize },
    Press,
}

/// The running buzzer server; dropping it stops the server.
pub struct Buzzers {
    pub addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Buzzers {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(std::time::Duration::from_millis(500));
        }
    }
}

/// Starts serving the buzzer page on `addr` for `teams`; presses go to
/// `presses` in the order they arrive.
pub fn start(
    addr: SocketAddr,
    teams: Vec<String>,
    presses: Sender<Press>,
) -> std::io::Result<Buzzers> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let (listener, local) = super::server::bind(&runtime, addr)?;
    let state = BuzzState {
        teams: Arc::new(teams),
        presses,
    };
    let app = Router::new()
        .route(
            "/",
            get(|| async { typed("text/html; charset=utf-8", PAGE) }),
        )
        .route(
            "/buzzer.js",
            get(|| async { typed("text/javascript; charset=utf-8", JS) }),
        )
        .route(
            "/buzzer.css",
            get(|| async { typed("text/css; charset=utf-8", CSS) }),
        )
        .route("/ws", get(ws))
        .layer(axum::middleware::from_fn(super::server::security_headers))
        .with_state(state);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    runtime.spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(Buzzers {
        addr: local,
        runtime: Some(runtime),
        stop: Some(stop),
    })
}

fn typed(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn ws(upgrade: WebSocketUpgrade, State(state): State<BuzzState>) -> Response {
    upgrade
        .read_buffer_size(8 * 1024)
        .write_buffer_size(0)
        .max_message_size(64 * 1024)
        .on_upgrade(move |socket| buzzer(socket, state))
}

async fn send(socket: &mut WebSocket, v: serde_json::Value) -> bool {
    socket
        .send(Message::Text(v.to_string().into()))
        .await
        .is_ok()
}

async fn buzzer(mut socket: WebSocket, state: BuzzState) {
    if !send(&mut socket, json!({"t": "teams", "teams": *state.teams})).await {
        return;
    }
    let mut team: Option<usize> = None;
    let mut rate = Rate::new(Instant::now());
    while let Some(Ok(msg)) = socket.recv().await {
        let Message::Text(text) = msg else {
            if matches!(msg, Message::Close(_)) {
                break;
            }
            continue;
        };
        // Stamped first: the order of arrival is the order of presses.
        let at = Instant::now();
        if text.len() > super::protocol::MAX_FRAME {
            break;
        }
        match rate.hit(at) {
            Verdict::Pass => {}
            Verdict::Drop(_) => continue,
            Verdict::Close => break,
        }
        let reply = match serde_json::from_str::<BuzzMsg>(text.as_str()) {
            Ok(BuzzMsg::Team { team: t }) if t < state.teams.len() => {
                team = Some(t);
                json!({"t": "ok", "team": t, "name": state.teams[t]})
            }
            Ok(BuzzMsg::Press) => match team {
                Some(t) => {
                    if state.presses.send(Press { team: t, at }).is_err() {
                        break;
                    }
                    json!({"t": "pressed"})
                }
                None => json!({"t": "error", "msg": "请先选择队伍"}),
            },
            _ => json!({"t": "error", "msg": "无法识别的消息"}),
        };
        if !send(&mut socket, reply).await {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buzzer_messages_are_a_team_or_a_press_and_nothing_else() {
        assert!(matches!(
            serde_json::from_str::<BuzzMsg>(r#"{"t":"team","team":1}"#),
            Ok(BuzzMsg::Team { team: 1 })
        ));
        assert!(matches!(
            serde_json::from_str::<BuzzMsg>(r#"{"t":"press"}"#),
            Ok(BuzzMsg::Press)
        ));
        for junk in [r#"{"t":"team","team":-1}"#, r#"{"t":"team"}"#, "[]", ""] {
            assert!(serde_json::from_str::<BuzzMsg>(junk).is_err(), "{junk}");
        }
    }
}
