//! The participant page in a real browser: Debian's headless Chromium,
//! driven through the DevTools protocol (headless_chrome), against
//! `dangke live` with a scripted host. Two phones join, answer by tapping
//! and by typing (through an IME composition), and the test reads what
//! their pages show: verdicts, the right answers, ranks and the review.
//! Screenshots go to target/live-screens/.
//!
//! Without Chromium the test prints a notice and passes, unless
//! DANGKE_REQUIRE_CHROMIUM is set (CI sets it once it has installed it).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::{Emulation, Input, Page};
use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::test::dangke;

/// Every check waits at most this long for the page or the server.
const PATIENCE: Duration = Duration::from_secs(15);

const DECK: &str = r#"[deck]
id = "liu-lan-qi"
title = "浏览器测试"

[[sources]]
id = "003"
title = "第一篇：群众工作"

[[card]]
id = "dan-xuan"
kind = "choice"
prompt = "下列哪一项属于三大作风？"
options = ["批评和自我批评", "三问于民", "换位思考", "先办实事"]
answer = "A"
source = { doc = "003", quote = "批評和自我批評的作風" }

[[card]]
id = "tian-kong"
kind = "fill"
prompt = "三大作风：{{理论和实践相结合}}的作风、与人民群众{{密切联系}}的作风、批评和自我批评的作风。"
source = { doc = "003", quote = "理論和實踐相結合的作風" }
"#;

const LIVE: &str = r#"[live]
title = "浏览器测试"
pace = "host"
reveal = "each"
seed = 7
teams = ["一组", "二组"]
time = 60

[[section]]
count = 2
decks = ["liu-lan-qi"]
"#;

/// What a page reports about itself, with JavaScript errors and CSP
/// violations collected from the first script on.
const PROBE: &str = r#"
window.__problems = [];
window.addEventListener('error', function (e) { window.__problems.push('error: ' + e.message); });
document.addEventListener('securitypolicyviolation', function (e) {
  window.__problems.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI);
});
"#;

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DANGKE_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let paths = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&paths) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// `dangke live` with its stdin as the host's keyboard and its event lines
/// on a channel; killed when dropped.
struct Server {
    child: Child,
    host: ChildStdin,
    events: Receiver<String>,
    seen: Vec<String>,
    url: String,
    room: String,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut cmd = dangke(dir, None);
        cmd.env("DANGKE_DECKS", dir.join("decks"))
            .args(["live", "live.toml", "--port", "0", "--bind", "127.0.0.1"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().expect("start dangke live");
        let host = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, events) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            host,
            events,
            seen: Vec::new(),
            url: String::new(),
            room: String::new(),
        };
        let line = server.expect("listening ");
        // listening http://127.0.0.1:PORT/ room 123456
        let mut words = line.split_whitespace().skip(1);
        server.url = words.next().expect("url").trim_end_matches('/').to_owned();
        server.room = words.nth(1).expect("room code").to_owned();
        server
    }

    /// Waits for an event line starting with `prefix`; returns it.
    fn expect(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "the server never printed {prefix:?}; it printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    fn host(&mut self, command: &str) {
        writeln!(self.host, "{command}").expect("write to the host's stdin");
        self.host.flush().expect("flush the host's stdin");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One participant's phone: a tab in its own browser context (its own
/// localStorage), with a 390x844 touch screen.
struct Phone {
    tab: Arc<Tab>,
    who: &'static str,
}

impl Phone {
    fn open(browser: &Browser, url: &str, who: &'static str) -> Phone {
        let context = browser.new_context().expect("a browser context");
        let tab = context.new_tab().expect("a tab");
        let phone = Phone { tab, who };
        phone.viewport(844);
        let tab = phone.tab.clone();
        tab.call_method(Emulation::SetTouchEmulationEnabled {
            enabled: true,
            max_touch_points: Some(5),
        })
        .expect("touch screen");
        tab.call_method(Page::AddScriptToEvaluateOnNewDocument {
            source: PROBE.to_owned(),
            world_name: None,
            include_command_line_api: None,
            run_immediately: None,
        })
        .expect("probe script");
        tab.navigate_to(url).expect("open the page");
        tab.wait_until_navigated().expect("page loaded");
        phone
    }

    /// A 390 px wide phone screen, `height` px tall.
    fn viewport(&self, height: u32) {
        self.tab
            .call_method(Emulation::SetDeviceMetricsOverride {
                width: 390,
                height,
                device_scale_factor: 1.0,
                mobile: true,
                scale: None,
                screen_width: None,
                screen_height: None,
                position_x: None,
                position_y: None,
                dont_set_visible_size: None,
                screen_orientation: None,
                viewport: None,
                display_feature: None,
                device_posture: None,
            })
            .expect("phone viewport");
    }

    /// Evaluates `expr` (a JavaScript expression) as a string.
    fn text(&self, expr: &str) -> String {
        let wrapped = format!(
            "(function () {{ try {{ var v = ({expr}); return v === null || v === undefined ? '' : String(v); }} catch (e) {{ return 'THREW ' + e; }} }})()"
        );
        let value = self
            .tab
            .evaluate(&wrapped, false)
            .unwrap_or_else(|e| panic!("{}: evaluate {expr}: {e}", self.who))
            .value;
        match value {
            Some(serde_json::Value::String(s)) => s,
            other => panic!("{}: {expr} gave {other:?}", self.who),
        }
    }

    fn shown(&self, selector: &str) -> String {
        self.text(&format!(
            "(function () {{ var n = document.querySelector({selector:?}); return n && !n.closest('[hidden]') ? n.innerText : ''; }})()"
        ))
    }

    /// Waits until the visible text of `selector` contains `needle`.
    fn wait_text(&self, selector: &str, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = self.shown(selector);
            if text.contains(needle) {
                return text;
            }
            if Instant::now() > deadline {
                panic!(
                    "{}: {selector} never showed {needle:?}; it shows {text:?}\npage:\n{}",
                    self.who,
                    self.shown("body")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_visible(&self, selector: &str) {
        let deadline = Instant::now() + PATIENCE;
        let probe = format!(
            "(function () {{ var n = document.querySelector({selector:?}); return !!(n && !n.closest('[hidden]') && n.getBoundingClientRect().height > 0); }})()"
        );
        while self.text(&probe) != "true" {
            if Instant::now() > deadline {
                panic!(
                    "{}: {selector} never became visible\npage:\n{}",
                    self.who,
                    self.shown("body")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A finger tap in the middle of the element (touch events, as on a
    /// phone; the browser turns them into a click).
    fn tap(&self, selector: &str) {
        self.wait_visible(selector);
        let rect = self.text(&format!(
            "(function () {{ var n = document.querySelector({selector:?}); n.scrollIntoView({{block: 'center'}}); var r = n.getBoundingClientRect(); return (r.left + r.width / 2) + ',' + (r.top + r.height / 2); }})()"
        ));
        let (x, y) = rect.split_once(',').expect("a point");
        let point = Input::TouchPoint {
            x: x.parse().expect("x"),
            y: y.parse().expect("y"),
            radius_x: None,
            radius_y: None,
            rotation_angle: None,
            force: None,
            tangential_pressure: None,
            tilt_x: None,
            tilt_y: None,
            twist: None,
            id: None,
        };
        for (kind, points) in [
            (Input::DispatchTouchEventTypeOption::TouchStart, vec![point]),
            (Input::DispatchTouchEventTypeOption::TouchEnd, vec![]),
        ] {
            self.tab
                .call_method(Input::DispatchTouchEvent {
                    Type: kind,
                    touch_points: points,
                    modifiers: None,
                    timestamp: None,
                })
                .unwrap_or_else(|e| panic!("{}: tap {selector}: {e}", self.who));
        }
    }

    /// Types text into a field as a phone keyboard with a pinyin IME does:
    /// a composition, an Enter that only commits it, then the text.
    fn type_ime(&self, selector: &str, text: &str) {
        self.tap(selector);
        self.tab
            .call_method(Input::ImeSetComposition {
                text: "li".to_owned(),
                selection_start: 2,
                selection_end: 2,
                replacement_start: None,
                replacement_end: None,
            })
            .expect("start a composition");
        // The Enter that picks a candidate arrives while composing.
        self.text(&format!(
            "document.querySelector({selector:?}).dispatchEvent(new KeyboardEvent('keydown', {{key: 'Enter', keyCode: 229, isComposing: true, bubbles: true, cancelable: true}}))"
        ));
        self.tab
            .call_method(Input::InsertText {
                text: text.to_owned(),
            })
            .expect("commit the composition");
    }

    fn press_enter(&self) {
        self.tab.press_key("Enter").expect("press Enter");
    }

    /// The `data-value` of the option whose text is `text`.
    fn option(&self, text: &str) -> String {
        let value = self.text(&format!(
            "(function () {{ var all = document.querySelectorAll('#q-answer .opt'); for (var i = 0; i < all.length; i++) {{ if (all[i].querySelector('.text').textContent === {text:?}) return all[i].getAttribute('data-value'); }} return ''; }})()"
        ));
        assert!(!value.is_empty(), "{}: no option {text:?}", self.who);
        value
    }

    fn screenshot(&self, name: &str, full: bool) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/live-screens");
        std::fs::create_dir_all(&dir).expect("target/live-screens");
        self.text("window.scrollTo(0, 0)");
        // A whole-page shot: a screen as tall as the page, for a moment.
        let height = if full {
            self.text("document.documentElement.scrollHeight")
                .parse()
                .expect("page height")
        } else {
            844
        };
        self.viewport(height);
        let png = self
            .tab
            .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
            .expect("screenshot");
        self.viewport(844);
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write the screenshot");
    }

    fn problems(&self) -> String {
        self.text("window.__problems.join('\\n')")
    }
}

/// Chromium started, and `dangke live` on a deck of our own with `live`
/// as its live file; None (after a notice) when Chromium is missing and
/// not required.
fn setup(live: &str) -> Option<(tempfile::TempDir, Server, Browser)> {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("DANGKE_REQUIRE_CHROMIUM").is_none(),
            "DANGKE_REQUIRE_CHROMIUM is set but chromium was not found (set DANGKE_CHROMIUM to its path)"
        );
        eprintln!("skipped: the browser test needs chromium (Debian: apt-get install chromium)");
        return None;
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir_all(dir.path().join("decks")).expect("decks folder");
    std::fs::write(dir.path().join("decks/liu-lan-qi.toml"), DECK).expect("deck");
    std::fs::write(dir.path().join("live.toml"), live).expect("live file");
    let server = Server::start(dir.path());
    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(chromium))
            .headless(true)
            .sandbox(false)
            .window_size(Some((390, 844)))
            .idle_browser_timeout(Duration::from_secs(60))
            .build()
            .expect("launch options"),
    )
    .expect("start chromium");
    Some((dir, server, browser))
}

#[test]
fn two_phones_join_answer_and_see_their_results() {
    let Some((_dir, mut server, browser)) = setup(LIVE) else {
        return;
    };

    // Both phones open the QR code's address; the room code is filled in.
    let join = format!("{}/?room={}", server.url, server.room);
    let a = Phone::open(&browser, &join, "张三's phone");
    let b = Phone::open(&browser, &join, "李四's phone");
    for (phone, name, team) in [(&a, "张三", "一组"), (&b, "李四", "二组")] {
        phone.wait_visible("#join-team");
        assert_eq!(
            phone.text("document.getElementById('join-room').value"),
            server.room
        );
        phone.type_ime("#join-name", name);
        phone.text(&format!(
            "(function () {{ var s = document.getElementById('join-team'); s.value = {team:?}; return s.value; }})()"
        ));
        if name == "张三" {
            phone.screenshot("join", false);
        }
        phone.tap("#join-go");
        phone.wait_text("#s-lobby", "等待主持人开始");
        server.expect(&format!("joined {name}"));
    }
    assert!(
        a.shown("#bar-me").contains("张三 · 一组"),
        "{}",
        a.shown("#bar-me")
    );

    server.host("next");
    let mut verdicts = Vec::new();
    for q in 0..2 {
        let kind = a.wait_text("#q-kind", "题");
        b.wait_text("#q-kind", "题");
        assert_eq!(a.shown("#q-no"), format!("第 {} / 2 题", q + 1));
        if kind == "单选题" {
            assert_eq!(a.shown("#q-prompt"), "下列哪一项属于三大作风？");
            a.screenshot("question", false);
            // The shuffle is per participant: find the options by text.
            a.tap(&format!(
                ".opt[data-value=\"{}\"]",
                a.option("批评和自我批评")
            ));
            a.wait_text("#q-status", "已提交");
            // A reloads the page (as a phone that slept does): the token in
            // localStorage brings it back to the open question, answered.
            a.tab.reload(false, None).expect("reload");
            a.wait_text("#q-status", "已提交");
            assert_eq!(a.shown("#q-no"), "第 1 / 2 题");
            assert_eq!(a.shown("#q-answer .opt.chosen .text"), "批评和自我批评");
            b.tap(&format!(".opt[data-value=\"{}\"]", b.option("三问于民")));
            b.wait_text("#q-status", "已提交");
            verdicts.push(("choice", "回答正确", "回答错误"));
        } else {
            assert_eq!(kind, "填空题");
            assert!(
                a.shown("#q-prompt").contains("____"),
                "{}",
                a.shown("#q-prompt")
            );
            // Typed with an IME: the Enter that commits a candidate must not
            // submit, a real Enter moves to the next blank, the last submits.
            a.type_ime("#q-blank-0", "理论和实践相结合");
            assert!(a.shown("#q-status").is_empty(), "submitted while composing");
            a.text("document.getElementById('q-blank-0').dispatchEvent(new CompositionEvent('compositionend', {data: ''}))");
            std::thread::sleep(Duration::from_millis(50));
            a.press_enter();
            assert_eq!(a.text("document.activeElement.id"), "q-blank-1");
            a.type_ime("#q-blank-1", "密切联系");
            a.screenshot("fill", false);
            a.text("document.getElementById('q-blank-1').dispatchEvent(new CompositionEvent('compositionend', {data: ''}))");
            std::thread::sleep(Duration::from_millis(50));
            a.press_enter();
            b.type_ime("#q-blank-0", "实事求是");
            b.type_ime("#q-blank-1", "联系");
            b.tap("#q-submit");
            a.wait_text("#q-status", "已提交：理论和实践相结合；密切联系");
            b.wait_text("#q-status", "已提交");
            verdicts.push(("fill", "回答正确", "回答错误"));
        }
        server.expect(&format!("answered {q} 2/2"));
        if kind == "单选题" {
            // Everyone has answered, so the question is closed: a reload now
            // gets only `closed` from the server, and the page shows the
            // question and B's answer from what it kept.
            b.tab.reload(false, None).expect("reload");
            b.wait_text("#q-status", "已提交");
            assert_eq!(b.shown("#q-prompt"), "下列哪一项属于三大作风？");
            assert_eq!(b.shown("#q-answer .opt.chosen .text"), "三问于民");
        }
        server.host("next");
        let (_, right, wrong) = verdicts[q];
        let shown_a = a.wait_text("#q-result", right);
        let shown_b = b.wait_text("#q-result", wrong);
        assert!(shown_a.contains("出处"), "{shown_a}");
        assert!(shown_b.contains("正确答案"), "{shown_b}");
        if verdicts[q].0 == "choice" {
            assert!(shown_b.contains("批评和自我批评"), "{shown_b}");
            assert!(shown_b.contains("三问于民"), "{shown_b}");
            a.screenshot("result", false);
        } else {
            assert!(shown_b.contains("理论和实践相结合；密切联系"), "{shown_b}");
        }
        a.wait_text("#q-score", "第 1 名 / 共 2 人");
        b.wait_text("#q-score", "第 2 名 / 共 2 人");
        server.expect(&format!("reveal {q}"));
        server.host("next");
    }

    // The end: score, rank, and every question reviewed with its source.
    a.wait_text("#s-end", "测验结束");
    b.wait_text("#s-end", "测验结束");
    assert_eq!(a.shown("#end-rank"), "第 1 名（共 2 人）");
    assert_eq!(b.shown("#end-rank"), "第 2 名（共 2 人）");
    assert_eq!(a.shown("#end-counts"), "答对 2 题 · 答错 0 题 · 未答 0 题");
    let review = b.shown("#end-review");
    for needle in [
        "下列哪一项属于三大作风？",
        "三问于民",
        "实事求是；联系",
        "回答错误",
        "理论和实践相结合；密切联系",
        "出处",
        "《第一篇：群众工作》：批评和自我批评的作风",
    ] {
        assert!(
            review.contains(needle),
            "the review lacks {needle:?}:\n{review}"
        );
    }
    assert_eq!(
        b.text("document.querySelectorAll('#end-review > li').length"),
        "2"
    );
    a.screenshot("review", true);
    server.expect("end");

    for phone in [&a, &b] {
        assert_eq!(
            phone.problems(),
            "",
            "{}: script errors or CSP violations",
            phone.who
        );
    }
    server.host("quit");
}

/// Self pace: the whole paper at once, answered in any order, each
/// verdict right after its ack (reveal = "each"), the end after the last.
#[test]
fn a_phone_works_through_a_self_paced_paper() {
    let live = LIVE
        .replace("pace = \"host\"", "pace = \"self\"")
        .replace("teams = [\"一组\", \"二组\"]\n", "");
    let Some((_dir, mut server, browser)) = setup(&live) else {
        return;
    };
    let join = format!("{}/?room={}", server.url, server.room);
    let c = Phone::open(&browser, &join, "王五's phone");
    c.type_ime("#join-name", "王五");
    c.tap("#join-go");
    c.wait_text("#s-lobby", "限时内自行作答");
    server.expect("joined 王五");
    server.host("next");
    c.wait_visible("#q-nav");
    assert_eq!(
        c.text("document.querySelectorAll('#q-nav .nav').length"),
        "2"
    );
    // Start with the fill question, wherever the shuffle put it.
    if c.shown("#q-kind") != "填空题" {
        c.tap("#q-next");
        c.wait_text("#q-kind", "填空题");
    }
    c.type_ime("#q-blank-0", "理论和实践相结合");
    c.type_ime("#q-blank-1", "密切");
    c.tap("#q-submit");
    // Two of two blanks asked, one given in full: not all right.
    let verdict = c.wait_text("#q-result", "正确答案");
    assert!(!verdict.contains("回答正确"), "{verdict}");
    c.wait_text("#q-score", "已答 1 / 2");
    // The other question, through the question grid.
    c.tap("#q-nav .nav:not(.cur)");
    c.wait_text("#q-kind", "单选题");
    c.tap(&format!(
        ".opt[data-value=\"{}\"]",
        c.option("批评和自我批评")
    ));
    // The last answer ends this participant's test.
    c.wait_text("#s-end", "测验结束");
    assert_eq!(c.shown("#end-rank"), "第 1 名（共 1 人）");
    let review = c.shown("#end-review");
    assert!(review.contains("回答正确"), "{review}");
    assert!(review.contains("理论和实践相结合；密切"), "{review}");
    assert_eq!(c.problems(), "", "script errors or CSP violations");
    server.host("quit");
}

/// The page must run in WeChat's built-in browser: ES2017 at most, and
/// nothing that could turn server text into markup.
#[test]
fn the_page_script_stays_es2017_and_textcontent_only() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/live/page");
    let js = std::fs::read_to_string(dir.join("app.js")).expect("app.js");
    for (needle, why) in [
        ("?.", "optional chaining (ES2020)"),
        ("??", "nullish coalescing (ES2020)"),
        ("innerHTML", "markup from strings"),
        ("outerHTML", "markup from strings"),
        ("insertAdjacentHTML", "markup from strings"),
        ("document.write", "markup from strings"),
        ("eval(", "eval (the CSP forbids it)"),
        ("new Function", "eval (the CSP forbids it)"),
        ("import ", "modules"),
        ("export ", "modules"),
        ("...", "spread (object spread is ES2018)"),
        (".flat(", "Array.prototype.flat (ES2019)"),
        ("catch {", "optional catch binding (ES2019)"),
        ("http://", "an external resource"),
        ("https://", "an external resource"),
    ] {
        assert!(!js.contains(needle), "app.js uses {needle:?}: {why}");
    }
    let html = std::fs::read_to_string(dir.join("index.html")).expect("index.html");
    for (needle, why) in [
        ("style=", "an inline style attribute (CSP)"),
        ("<style", "an inline style sheet (CSP)"),
        ("onclick", "an inline handler (CSP)"),
        ("onload", "an inline handler (CSP)"),
        ("http://", "an external resource"),
        ("https://", "an external resource"),
    ] {
        assert!(!html.contains(needle), "index.html has {needle:?}: {why}");
    }
    // Scripts only from /app.js.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains(r#"<script src="/app.js" defer></script>"#));
    let css = std::fs::read_to_string(dir.join("app.css")).expect("app.css");
    assert!(
        !css.contains("@import") && !css.contains("url("),
        "app.css loads something"
    );
}
