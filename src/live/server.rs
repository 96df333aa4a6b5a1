//! The HTTP and WebSocket side of a live session (axum on tokio): serves
//! the embedded participant page with a strict Content-Security-Policy and
//! relays each socket's messages to the hub thread, enforcing the frame
//! size and message rate limits before anything reaches it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::hub::{Cmd, Outgoing};
use super::protocol::{self, MAX_FRAME};

const INDEX: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const APP_CSS: &str = include_str!("page/app.css");

/// Messages a socket may send per second before the excess is dropped.
pub const RATE: u32 = 20;
/// Seconds in a row over the rate before the socket is closed.
pub const RATE_STRIKES: u32 = 3;
/// Hard cap on one message; larger ones end the connection at once.
const HARD_CAP: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub hub: Sender<Cmd>,
    pub next_conn: Arc<AtomicU64>,
    /// `GET /info`.
    pub info: Arc<String>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(app_js))
        .route("/app.css", get(app_css))
        .route("/info", get(info))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/ws", get(ws))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// `host:port` from the request, if it is only what a host may hold.
fn safe_host(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    (!host.is_empty()
        && host.len() <= 100
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".:[]-".contains(c)))
    .then(|| host.to_owned())
}

pub fn csp(host: Option<&str>) -> String {
    let ws = host.map(|h| format!(" ws://{h}")).unwrap_or_default();
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'{ws}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

pub(crate) async fn security_headers(req: Request, next: Next) -> Response {
    let host = safe_host(req.headers());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp(host.as_deref())) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn typed(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn index() -> Response {
    typed("text/html; charset=utf-8", INDEX)
}

async fn app_js() -> Response {
    typed("text/javascript; charset=utf-8", APP_JS)
}

async fn app_css() -> Response {
    typed("text/css; charset=utf-8", APP_CSS)
}

async fn info(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        state.info.as_str().to_owned(),
    )
        .into_response()
}

async fn ws(upgrade: WebSocketUpgrade, State(state): State<AppState>) -> Response {
    // Small buffers: messages are a few hundred bytes, and a room of 500
    // phones would otherwise hold 256 KiB of buffers each.
    upgrade
        .read_buffer_size(8 * 1024)
        .write_buffer_size(0)
        .max_message_size(HARD_CAP)
        .max_frame_size(HARD_CAP)
        .on_upgrade(move |socket| connection(socket, state))
}

/// Messages per second, counted in one-second windows.
#[derive(Debug)]
pub struct Rate {
    window: Instant,
    count: u32,
    strikes: u32,
    told: bool,
}

/// What to do with one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Over the rate: dropped; `true` the first time in this window.
    Drop(bool),
    Close,
}

impl Rate {
    pub fn new(now: Instant) -> Rate {
        Rate {
            window: now,
            count: 0,
            strikes: 0,
            told: false,
        }
    }

    pub fn hit(&mut self, now: Instant) -> Verdict {
        let elapsed = now.duration_since(self.window);
        if elapsed >= Duration::from_secs(1) {
            let over = self.count > RATE;
            // A quiet second in between forgives.
            self.strikes = if over && elapsed < Duration::from_secs(2) {
                self.strikes + 1
            } else {
                0
            };
            self.window = now;
            self.count = 0;
            self.told = false;
        }
        self.count += 1;
        if self.count <= RATE {
            return Verdict::Pass;
        }
        if self.strikes + 1 >= RATE_STRIKES {
            return Verdict::Close;
        }
        let first = !self.told;
        self.told = true;
        Verdict::Drop(first)
    }
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        })))
        .await;
}

async fn connection(mut socket: WebSocket, state: AppState) {
    let conn = state.next_conn.fetch_add(1, Ordering::Relaxed);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    if state.hub.send(Cmd::Connect { conn, tx }).is_err() {
        close(&mut socket, 1001, "session over").await;
        return;
    }
    let mut rate = Rate::new(Instant::now());
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let text = match incoming {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                    Some(Ok(Message::Text(t))) => t.as_str().to_owned(),
                    Some(Ok(Message::Binary(b))) => {
                        if b.len() > MAX_FRAME {
                            close(&mut socket, 1009, "too big").await;
                            break;
                        }
                        let _ = socket.send(Message::Text(protocol::error("invalid", "只接受文本消息").into())).await;
                        continue;
                    }
                    Some(Ok(_)) => continue,
                };
                if text.len() > MAX_FRAME {
                    close(&mut socket, 1009, "too big").await;
                    break;
                }
                match rate.hit(Instant::now()) {
                    Verdict::Pass => {}
                    Verdict::Drop(first) => {
                        if first {
                            let _ = socket.send(Message::Text(protocol::error("rate", "发送太频繁，请稍候").into())).await;
                        }
                        continue;
                    }
                    Verdict::Close => {
                        close(&mut socket, 1008, "rate").await;
                        break;
                    }
                }
                match protocol::parse(&text) {
                    Some(protocol::ClientMsg::Ping) => {
                        if socket.send(Message::Text(protocol::pong().into())).await.is_err() {
                            break;
                        }
                    }
                    Some(msg) => {
                        if state.hub.send(Cmd::Client { conn, msg }).is_err() {
                            break;
                        }
                    }
                    None => {
                        let _ = socket.send(Message::Text(protocol::error("invalid", "无法识别的消息").into())).await;
                    }
                }
            }
            out = rx.recv() => match out {
                Some(Outgoing::Text(text)) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::Close(code, reason)) => {
                    close(&mut socket, code, &reason).await;
                    break;
                }
                None => break,
            }
        }
    }
    let _ = state.hub.send(Cmd::Disconnect { conn });
}

/// Binds the listener (in the runtime) and returns its address.
pub fn bind(
    rt: &tokio::runtime::Runtime,
    addr: SocketAddr,
) -> std::io::Result<(tokio::net::TcpListener, SocketAddr)> {
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        Ok((listener, local))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_drops_excess_and_closes_a_sustained_flood() {
        let t0 = Instant::now();
        let mut rate = Rate::new(t0);
        for _ in 0..RATE {
            assert_eq!(rate.hit(t0), Verdict::Pass);
        }
        assert_eq!(rate.hit(t0), Verdict::Drop(true));
        assert_eq!(rate.hit(t0), Verdict::Drop(false));
        // Second flooded second.
        let t1 = t0 + Duration::from_millis(1000);
        for _ in 0..RATE {
            assert_eq!(rate.hit(t1), Verdict::Pass);
        }
        assert_eq!(rate.hit(t1), Verdict::Drop(true));
        // Third: closed.
        let t2 = t1 + Duration::from_millis(1000);
        for _ in 0..RATE {
            assert_eq!(rate.hit(t2), Verdict::Pass);
        }
        assert_eq!(rate.hit(t2), Verdict::Close);
        // A calm client is never limited.
        let mut calm = Rate::new(t0);
        for i in 0..100 {
            assert_eq!(calm.hit(t0 + Duration::from_millis(i * 100)), Verdict::Pass);
        }
    }

    /// A client at exactly the limit, second after second, is not
    /// flooding: one message over it later is dropped, not a close.
    #[test]
    fn seconds_at_the_limit_are_no_strikes() {
        let t0 = Instant::now();
        let mut rate = Rate::new(t0);
        for s in 0..3 {
            let t = t0 + Duration::from_millis(1000 * s);
            for _ in 0..RATE {
                assert_eq!(rate.hit(t), Verdict::Pass);
            }
        }
        let t3 = t0 + Duration::from_millis(3000);
        for _ in 0..RATE {
            assert_eq!(rate.hit(t3), Verdict::Pass);
        }
        assert_eq!(rate.hit(t3), Verdict::Drop(true));
    }

    #[test]
    fn the_csp_names_the_socket_origin_only_for_a_plain_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("192.168.1.5:8080"));
        assert_eq!(safe_host(&h).as_deref(), Some("192.168.1.5:8080"));
        assert!(
            csp(Some("192.168.1.5:8080")).contains("connect-src 'self' ws://192.168.1.5:8080;")
        );
        h.insert(header::HOST, HeaderValue::from_static("x; script-src *"));
        assert_eq!(safe_host(&h), None);
        assert!(!csp(None).contains("unsafe"));
    }
}
