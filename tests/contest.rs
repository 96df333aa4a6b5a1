//! `dangke contest` driven by a script of host actions, the CSV exports,
//! `dangke contests`, checking contest files, and the projector in a pty.

use std::time::Duration;

use expectrl::{Eof, Expect};

use crate::test::Test;

const NOW: &str = "2026-03-01T14:00:00+08:00";

const FILE: &str = r#"[contest]
title = "支部知识竞赛"
teams = ["红队", "蓝队"]
start = 50
seed = 11

[[round]]
kind = "required"
questions = 1
points = 10

[[round]]
kind = "buzz"
questions = 2
points = 20
penalty = 10
time = 15

[[round]]
kind = "risk"
questions = 1
values = [20, 30]

[[round]]
kind = "tiebreak"
questions = 3
points = 10
penalty = 10
"#;

fn contest(script: &str) -> Test {
    Test::new()
        .now(NOW)
        .write("c.toml", FILE)
        .args([
            "contest",
            "c.toml",
            "--export",
            "r.csv",
            "--export-log",
            "log.csv",
        ])
        .stdin(script)
}

fn read(out: &crate::test::TestOutput, name: &str) -> String {
    std::fs::read_to_string(out.dir.path().join(name)).expect(name)
}

#[test]
fn a_full_contest_with_every_round_kind() {
    let script = "\
n\n+1\nn\n-2\n\
n\nf 2\nn\n-1\n+2\nn\no\nt 15\nr\nn\n\
n\nv 1 30\n+1\nn\nv 2 20\n-2\nn\n";
    let out = contest(script)
        .stdout_has("支部知识竞赛")
        .stdout_has("必答题：每队依次作答 1 题，答对 +10，答错不扣分")
        .stdout_has("必答题 第 1 题，红队 作答")
        .stdout_has("红队 答对 +10")
        .stdout_has("蓝队 答错")
        .stdout_has("进入抢答题")
        .stdout_has("蓝队 抢答犯规，扣 10 分")
        .stdout_has("红队 答错 −10")
        .stdout_has("蓝队 答对 +20")
        .stdout_has("时间到！")
        .stdout_has("答案：")
        .stdout_has("进入风险题")
        // After the buzz round 红队 has 50 (60 − 10) and 蓝队 60
        // (50 − 10 foul + 20), so 红队, the lower, picks its value first.
        .stdout_has("风险题 第 1 题：请 红队 选择分值（20/30）")
        .stdout_has("红队 选择 30 分，计时开始")
        .stdout_has("红队 答对 +30")
        .stdout_has("蓝队 答错 −20")
        .stdout_has("全部轮次结束")
        .stdout_has("第 1 名  红队  80 分（答对 2，答错 1，犯规 0）")
        .stdout_has("第 2 名  蓝队  40 分（答对 1，答错 2，犯规 1）")
        .stdout_has("结果已记录（第 1 场")
        .run();
    assert_eq!(
        read(&out, "r.csv"),
        "\u{feff}名次,队伍,得分,答对,答错,犯规\r\n1,红队,80,2,1,0\r\n2,蓝队,40,1,2,1\r\n"
    );
    let log = read(&out, "log.csv");
    assert!(log.starts_with("\u{feff}时间,轮次,题目,操作,队伍,分数变化,说明,已撤销\r\n"));
    assert!(log.contains("2026-03-01 14:00:00,抢答题,"), "{log}");
    assert!(log.contains(",f 2,蓝队,-10,蓝队 抢答犯规 −10,"), "{log}");
    assert!(log.contains(",v 1 30,红队,,红队 选择 30 分,"), "{log}");
}

#[test]
fn undo_is_shown_kept_in_the_log_and_exported() {
    let out = contest("n\n+1\nu\n-1\nq\n")
        .stdout_has("已撤销：红队 答对 +10")
        .stdout_has("比分：红队 50 · 蓝队 50")
        .stdout_has("第 1 名  红队  50 分（答对 0，答错 1")
        .run();
    let log = read(&out, "log.csv");
    assert!(log.contains(",'+1,红队,+10,红队 答对 +10,是\r\n"), "{log}");
    assert!(log.contains(",u,,,已撤销：红队 答对 +10,"), "{log}");
}

#[test]
fn mistakes_by_the_host_are_explained_and_change_nothing() {
    contest("+1\nn\n+2\nv 1 30\nf 1\nzz\n+9\nq\n")
        .stdout_has("！现在没有题目（n 出题）")
        .stdout_has("！本题是 红队 的必答题")
        .stdout_has("！只有风险题需要选分值")
        .stdout_has("！犯规只用于抢答题")
        .stdout_has("！未知操作“zz”")
        .stdout_has("！没有第 9 队（共 2 队）")
        .stdout_has("第 1 名  红队  50 分")
        .run();
}

#[test]
fn a_tie_goes_to_a_tiebreak_round() {
    // Both teams right in the required round, nobody scores after.
    // An unjudged risk or buzz question takes a second n (the first one
    // warns).
    let script = "n\n+1\nn\n+2\nn\nn\nn\nn\nn\nn\nn\nv 1 20\nn\nn\nv 2 20\nn\nn\nn\n+1\n";
    contest(script)
        .stdout_has("本题还没有人答对")
        .stdout_has("红队、蓝队 同分并列第一，进入加赛")
        .stdout_has("加赛题 第 1 题")
        .stdout_has("红队 答对 +10。加赛决出胜负，竞赛结束")
        .stdout_has("第 1 名  红队")
        .run();
}

#[test]
fn the_preset_runs_without_a_file_and_rehearsal_records_nothing() {
    let out = Test::new()
        .now(NOW)
        .args(["contest", "--rehearsal"])
        .stdin("n\n+1\nq\n")
        .stdout_has("党课知识竞赛")
        .stdout_has("队伍：一组、二组、三组")
        .stdout_has("第 1 名  一组  110 分")
        .stdout_has("彩排模式：结果没有记录。")
        .run();
    assert!(!out.db().exists(), "a rehearsal created the database");
    out.then()
        .args(["contests"])
        .stderr_has("不存在")
        .status(1)
        .run();
}

#[test]
fn past_contests_are_listed_and_re_exported() {
    let out = contest("n\n+1\nq\n").run();
    let out = out
        .then()
        .args(["contests"])
        .stdout_has("支部知识竞赛")
        .stdout_has("1. 红队 60  2. 蓝队 50")
        .stdout_has("已结束")
        .run();
    let out = out
        .then()
        .args(["contests", "1", "--export", "again.csv"])
        .stdout_has("排名已导出到 again.csv")
        .run();
    assert_eq!(read(&out, "again.csv"), read(&out, "r.csv"));
    out.then()
        .args(["contests", "7", "--export", "x.csv"])
        .stderr_has("没有第 7 场竞赛")
        .status(2)
        .run();
}

/// Members are named but no team missed a question: nothing goes into
/// the mistake books and no "共 0 题次" line is printed.
#[test]
fn a_contest_nobody_missed_adds_nothing_to_the_mistake_books() {
    let out = contest("n\n+1\nq\n")
        .args(["--learners", "红队=小张;蓝队=小王"])
        .stdout_has("第 1 名  红队  60 分（答对 1，答错 0，犯规 0）")
        .stdout_lacks("错题本")
        .run();
    assert!(
        out.reviews().iter().all(|r| r.mode != "contest"),
        "{:?}",
        out.reviews()
    );
}

#[test]
fn team_members_get_the_questions_their_team_missed() {
    let out = contest("n\n-1\nn\n+2\nq\n")
        .args(["--learners", "红队=小张,小李;蓝队=小王"])
        .stdout_has("各队答错的题已加入成员的错题本（共 2 题次）")
        .run();
    let missed = out
        .reviews()
        .iter()
        .filter(|r| r.mode == "contest" && r.verdict == "wrong")
        .count();
    assert_eq!(missed, 2);
    out.then()
        .now("2026-03-01T15:00:00+08:00")
        .args(["study", "--learner", "小张", "--mistakes"])
        .stdin("")
        .stdout_has("错题本（1 题）")
        .run()
        .then()
        .args(["study", "--learner", "小王", "--mistakes"])
        .stdin("")
        .stdout_has("错题本（0 题）")
        .run();
    Test::new()
        .args(["contest", "--learners", "绿队=某人"])
        .stdin("")
        .stderr_has("队伍“绿队”不在本场竞赛中")
        .status(2)
        .run();
}

#[test]
fn contest_files_are_checked_with_located_errors() {
    Test::new()
        .write("c.toml", "[contest]\ntitle = \"赛\"\nteams = [\"甲\", \"乙\"]\n\n[[round]]\nkind = \"buzz\"\ndecks = [\"no-such\"]\nvalues = [10]\n")
        .args(["check", "c.toml"])
        .stdout_has("c.toml:7:10: 错误: 没有这个卡组：“no-such”")
        .stdout_has("c.toml:8:10: 错误: 只有风险题（kind = \"risk\"）使用 values")
        .stdout_has("1 个竞赛文件")
        .status(1)
        .run();
    Test::new()
        .write("c.toml", FILE)
        .args(["check", "c.toml"])
        .stdout_has("1 个竞赛文件：0 个错误")
        .run();
    Test::new()
        .write("c.toml", "[contest]\ntitle = \"赛\"\n")
        .args(["contest", "c.toml"])
        .stdin("")
        .stderr_has("c.toml:1:1: 错误: [contest] 缺少必填的键 teams")
        .status(1)
        .run();
}

#[test]
fn the_projector_screen_runs_full_screen_and_restores_the_terminal() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.toml"), FILE).unwrap();
    let mut cmd = crate::test::dangke(dir.path(), Some(NOW));
    cmd.args(["contest", "c.toml", "--color", "always"]);
    let mut s = expectrl::Session::spawn(cmd).expect("pty");
    s.set_expect_timeout(Some(Duration::from_secs(40)));
    s.get_process_mut().set_window_size(100, 30).unwrap();
    s.expect("\u{1b}[?1049h").unwrap(); // alternate screen
    s.expect("支部知识竞赛").unwrap();
    s.expect("按 n 开始").unwrap();
    s.send("n").unwrap();
    s.expect("红队 作答").unwrap();
    s.expect("秒").unwrap();
    // n on the unjudged turn only warns.
    s.send("n").unwrap();
    s.expect("本题还没有判定").unwrap();
    s.send("+1\r").unwrap();
    s.expect("红队 答对 +10").unwrap();
    s.send("r").unwrap();
    s.expect("答案：").unwrap();
    // Resize: the screen is redrawn, not garbled.
    s.get_process_mut().set_window_size(80, 24).unwrap();
    s.expect("1 红队：60").unwrap();
    // Ctrl-C asks first; any other key carries on, a second Ctrl-C ends.
    s.send("\u{3}").unwrap();
    s.expect("确定结束竞赛吗？").unwrap();
    s.send("x").unwrap();
    s.expect("继续竞赛").unwrap();
    s.send("q").unwrap();
    s.expect("确定结束竞赛吗？").unwrap();
    s.send("\u{3}").unwrap();
    // The podium stays until the host leaves it.
    s.expect("按 q 或回车离开").unwrap();
    s.send("2").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    s.send("\r").unwrap();
    s.expect("\u{1b}[?1049l").unwrap(); // back to the normal screen
    s.expect("第 1 名  红队  60 分").unwrap();
    s.expect(Eof).unwrap();
    let rows = crate::test::reviews(&dir.path().join("progress.db"));
    assert!(
        rows.is_empty(),
        "contests without --learners touch no study queue"
    );
    let conn = rusqlite::Connection::open(dir.path().join("progress.db")).unwrap();
    let score: i64 = conn
        .query_row("SELECT score FROM contest_teams WHERE idx = 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(score, 60);
}

#[test]
fn sigterm_interrupts_the_projector_contest_which_can_be_resumed() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = crate::test::dangke(dir.path(), Some(NOW));
    cmd.args(["contest", "--seed", "1"]);
    let mut s = expectrl::Session::spawn(cmd).expect("pty");
    s.set_expect_timeout(Some(Duration::from_secs(40)));
    s.expect("按 n 开始").unwrap();
    s.send("n").unwrap();
    s.expect("一组 作答").unwrap();
    s.send("+1\r").unwrap();
    s.expect("一组 答对 +10").unwrap();
    s.get_process_mut()
        .kill(expectrl::process::unix::Signal::SIGTERM)
        .unwrap();
    s.expect("\u{1b}[?1049l").unwrap();
    s.expect("dangke contest --resume 1").unwrap();
    s.expect("第 1 名  一组  110 分").unwrap();
    s.expect(Eof).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("progress.db")).unwrap();
    let ended: Option<i64> = conn
        .query_row("SELECT ended_at FROM contests", [], |r| r.get(0))
        .unwrap();
    assert!(ended.is_none(), "an interrupted contest stays open");
    drop(conn);
    // Resumed from the saved actions: the same question, the same score.
    Test::in_dir(dir)
        .now(NOW)
        .args(["contest", "--resume"])
        .stdin("n\n+2\nq\n")
        .stdout_has("继续中断的竞赛（已恢复 2 条记录）")
        .stdout_has("比分：一组 110 · 二组 100 · 三组 100")
        .stdout_has("必答题 第 2 题，二组 作答")
        .stdout_has("第 1 名  一组  110 分")
        .stdout_has("第 1 名  二组  110 分")
        .stdout_has("结果已记录（第 1 场")
        .run()
        .then()
        .args(["contest", "--resume", "1"])
        .stdin("")
        .stderr_has("第 1 场竞赛已经正常结束，不能继续")
        .status(2)
        .run();
}

const CHOICE_ROUND: &str = r#"[contest]
title = "选择题竞赛"
teams = ["甲", "乙"]
seed = 5

[[round]]
kind = "buzz"
questions = 12
kinds = ["choice"]
"#;

/// The letters of every "答案：X. …" line.
fn answer_letters(stdout: &str) -> String {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("答案："))
        .filter_map(|a| a.chars().next())
        .collect()
}

#[test]
fn contest_options_are_shuffled_with_the_contest_seed() {
    let script = format!("{}q\n", "n\nr\n".repeat(12));
    let run = || {
        Test::new()
            .now(NOW)
            .write("c.toml", CHOICE_ROUND)
            .args(["contest", "c.toml", "--rehearsal"])
            .stdin(script.as_str())
            .run()
            .stdout
    };
    let first = run();
    let letters = answer_letters(&first);
    assert_eq!(letters.chars().count(), 12, "{first}");
    // A script's commands are echoed after the prompt (a transcript), and
    // each question is shown once, when it appears, before its answer.
    let lines: Vec<&str> = first.lines().collect();
    let at = |line: &str| lines.iter().position(|l| *l == line);
    let reveal = at("操作> r").expect("the script is echoed");
    assert_eq!(at("操作> n"), Some(4), "{first}");
    let question = lines.iter().position(|l| l.starts_with("题目：")).unwrap();
    assert!(question < reveal, "the question only after r:\n{first}");
    assert_eq!(first.matches("题目：").count(), 12, "{first}");
    assert!(
        letters.chars().any(|l| l != 'A'),
        "the answer is A every time: {letters}"
    );
    // Each shown answer is one of the options shown above it.
    for block in first.split("题目：").skip(1) {
        let answer = block
            .lines()
            .find_map(|l| l.strip_prefix("答案："))
            .unwrap();
        assert!(
            block.lines().any(|l| l.trim() == answer),
            "{answer:?} not among the options:\n{block}"
        );
    }
    assert_eq!(run(), first, "the same seed replays the same contest");
}

#[test]
fn a_deck_quoting_contest_headers_in_a_string_stays_a_deck() {
    let deck = "[deck]\nid = \"quoting\"\ntitle = \"引用\"\n\n[[card]]\nid = \"c1\"\nkind = \"qa\"\nprompt = \"\"\"\n竞赛文件这样写：\n[[round]]\n[contest]\n\"\"\"\nanswer = \"照抄\"\n";
    Test::new()
        .write("d.toml", deck)
        .args(["check", "d.toml"])
        .stdout_lacks("竞赛文件")
        .stdout_has("检查了 1 个卡组")
        .run();
}

#[test]
fn csv_cells_that_excel_would_run_are_neutralised() {
    let file = "[contest]\ntitle = \"赛\"\nteams = [\"=HYPERLINK(\\\"http://evil\\\",\\\"点我\\\")\", \"@SUM(1+1)\"]\n\n[[round]]\nkind = \"buzz\"\nquestions = 1\n";
    let out = Test::new()
        .now(NOW)
        .write("c.toml", file)
        .args([
            "contest",
            "c.toml",
            "--export",
            "r.csv",
            "--export-log",
            "log.csv",
        ])
        .stdin("n\n+2\nq\n")
        .run();
    let results = read(&out, "r.csv");
    assert!(
        results.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\""),
        "{results}"
    );
    assert!(results.contains(",'@SUM(1+1),"), "{results}");
    assert!(
        !results.contains(",=") && !results.contains(",@"),
        "{results}"
    );
    let log = read(&out, "log.csv");
    assert!(
        log.contains(",'+2,'@SUM(1+1),+20,'@SUM(1+1) 答对 +20,"),
        "{log}"
    );
    // Re-exported from the database, the same.
    let out = out
        .then()
        .args(["contests", "1", "--export", "again.csv"])
        .run();
    assert_eq!(read(&out, "again.csv"), results);
}

#[test]
fn check_reports_rounds_the_decks_cannot_supply() {
    let file = r#"[contest]
title = "赛"
teams = ["甲", "乙"]

[[round]]
kind = "required"
questions = 100
decks = ["wu-ge-bi-yu"]

[[round]]
kind = "buzz"
kinds = ["list"]
decks = ["wu-ge-bi-yu"]
"#;
    Test::new()
        .write("c.toml", file)
        .args(["check", "c.toml"])
        .stdout_has("c.toml:5:1: 警告: 必答题（第 1 轮）需要 200 题，卡组 wu-ge-bi-yu只剩")
        .stdout_has("本轮会提前结束")
        .stdout_has("c.toml:10:1: 错误: 抢答题（第 2 轮）没有可出的题")
        .status(1)
        .run();
    let only_tiebreak =
        "[contest]\ntitle = \"赛\"\nteams = [\"甲\", \"乙\"]\n\n[[round]]\nkind = \"tiebreak\"\n";
    Test::new()
        .write("c.toml", only_tiebreak)
        .args(["check", "c.toml"])
        .stdout_has("竞赛没有可以进行的轮次")
        .status(1)
        .run()
        .then()
        .args(["contest", "c.toml"])
        .stdin("n\nq\n")
        .stderr_has("c.toml:1:1: 错误: 竞赛没有可以进行的轮次")
        .stderr_has("竞赛文件有错误（共 1 处）")
        .status(1)
        .run();
}

#[test]
fn host_safety_in_scripts() {
    // n on an unjudged turn warns first; undoing twice names each undo once.
    contest("n\nn\nn\n+2\nu\nu\nq\n")
        .stdout_has("！本题还没有判定（+1 答对，-1 答错）；再按 n 记为 红队 未答出")
        .stdout_has("红队 未答出")
        .stdout_has("已撤销：蓝队 答对 +10")
        .stdout_has("已撤销：红队 未答出；必答题 第 2 题，蓝队 作答\n")
        .run();
    // A broken contest file is called a contest file, not a deck.
    Test::new()
        .write("c.toml", "[contest]\ntitle = \"赛\"\n")
        .args(["contest", "c.toml"])
        .stdin("")
        .stderr_has("竞赛文件有错误（共 2 处）")
        .status(1)
        .run();
}

#[test]
fn contests_id_shows_rounds_once_times_and_question_text() {
    let out = contest("n\n+1\nq\n").run();
    let shown = out.then().args(["contests", "1"]).run().stdout;
    assert!(shown.contains("【必答题】"), "{shown}");
    assert!(!shown.contains("必答题 必答题"), "{shown}");
    assert!(
        shown.contains("  14:00:00  必答题 第 1 题，红队 作答"),
        "{shown}"
    );
    assert!(shown.contains("题目："), "{shown}");
    let question = shown
        .lines()
        .find_map(|l| l.trim().strip_prefix("题目："))
        .unwrap();
    assert!(
        !question.contains('/'),
        "the question's text, not its key: {question}"
    );
}

#[test]
fn buzzers_in_a_script_are_saved_in_order() {
    let out = contest("n\n+1\nn\n+2\nn\nn\nb 2\no\nb 1 420\nb 2 480\n-1\nb 2 900\n+2\nq\n")
        .stdout_has("蓝队 提前抢答，犯规 −10")
        .stdout_has("开始抢答！")
        .stdout_has("红队 抢答成功（0.420 秒）")
        .stdout_has("蓝队 抢答慢了 0.060 秒")
        .stdout_has("蓝队 抢答成功（0.900 秒）")
        .run();
    let log = read(&out, "log.csv");
    let order: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split(',').nth(3))
        .filter(|a| a.starts_with("b ") || *a == "o")
        .collect();
    assert_eq!(
        order,
        ["b 2", "o", "b 1 420", "b 2 480", "b 2 900"],
        "{log}"
    );
}

/// dangke on a pty of its own that is not its controlling terminal, so
/// closing the master side hangs the terminal up without a SIGHUP (as when
/// a terminal multiplexer dies): reads return EIO from then on.
#[cfg(unix)]
pub mod own_pty {
    use std::fs::File;
    use std::io::{Read, Write};
    use std::os::fd::{AsRawFd, FromRawFd};
    use std::process::{Child, Stdio};
    use std::time::{Duration, Instant};

    pub struct Pty {
        pub master: Option<File>,
        pub slave: File,
        pub child: Child,
        pub seen: String,
    }

    pub fn spawn(dir: &std::path::Path, args: &[&str]) -> Pty {
        // Both ends close-on-exec from the start: a master inherited by any
        // process spawned meanwhile would keep the terminal alive.
        // SAFETY: plain libc calls on descriptors checked as they come.
        let (master, slave) = unsafe {
            let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
            assert!(master >= 0, "posix_openpt");
            assert_eq!(libc::grantpt(master), 0);
            assert_eq!(libc::unlockpt(master), 0);
            let mut name = [0 as libc::c_char; 128];
            assert_eq!(libc::ptsname_r(master, name.as_mut_ptr(), name.len()), 0);
            let slave = libc::open(
                name.as_ptr(),
                libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
            );
            assert!(slave >= 0, "open the slave side");
            let size = libc::winsize {
                ws_row: 30,
                ws_col: 100,
                ws_xpixel: 0,
                ws_ypixel: 0,
            };
            libc::ioctl(slave, libc::TIOCSWINSZ, &size);
            (File::from_raw_fd(master), File::from_raw_fd(slave))
        };
        // SAFETY: a valid descriptor; non-blocking reads for polling.
        unsafe {
            let flags = libc::fcntl(master.as_raw_fd(), libc::F_GETFL);
            libc::fcntl(master.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
        let mut cmd = crate::test::dangke(dir, Some(super::NOW));
        cmd.args(args)
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave.try_clone().unwrap()));
        let child = cmd.spawn().expect("spawn dangke");
        Pty {
            master: Some(master),
            slave,
            child,
            seen: String::new(),
        }
    }

    impl Pty {
        fn drain(&mut self) {
            let mut buf = [0u8; 4096];
            if let Some(m) = self.master.as_mut() {
                while let Ok(n) = m.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        }

        pub fn expect(&mut self, text: &str) {
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(30) {
                self.drain();
                if let Some(at) = self.seen.find(text) {
                    self.seen.drain(..at + text.len());
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            panic!("never saw {text:?}");
        }

        pub fn send(&mut self, text: &str) {
            self.master
                .as_mut()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }

        /// Waits for the process to end, reading its output meanwhile.
        pub fn exited_within(&mut self, limit: Duration) -> bool {
            let start = Instant::now();
            while start.elapsed() < limit {
                self.drain();
                if self.child.try_wait().unwrap().is_some() {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
            false
        }

        pub fn signal(&self, signal: i32) {
            // SAFETY: sending a signal to our own child.
            unsafe { libc::kill(self.child.id() as i32, signal) };
        }

        /// Whether the terminal is back in cooked mode (line editing, echo).
        pub fn cooked(&self) -> bool {
            // SAFETY: a zeroed termios filled by tcgetattr on a valid fd.
            let mut t: libc::termios = unsafe { std::mem::zeroed() };
            let rc = unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut t) };
            rc == 0 && t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
        }
    }
}

#[cfg(unix)]
#[test]
fn a_projector_whose_terminal_goes_away_saves_and_exits() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut p = own_pty::spawn(dir.path(), &["contest", "--seed", "1"]);
    p.expect("按 n 开始");
    p.send("n");
    p.expect("一组 作答");
    p.send("+1\r");
    p.expect("一组 答对 +10");
    // The terminal goes away: no SIGHUP, every read fails with EIO.
    p.master = None;
    assert!(
        p.exited_within(Duration::from_secs(15)),
        "still running (spinning on EIO) after its terminal went away"
    );
    let conn = rusqlite::Connection::open(dir.path().join("progress.db")).unwrap();
    let (score, ended): (i64, Option<i64>) = conn
        .query_row(
            "SELECT score, ended_at FROM contest_teams JOIN contests ON id = contest_id WHERE idx = 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(score, 110, "the acknowledged action was saved");
    assert_eq!(ended, None, "left open for --resume");
}

#[cfg(unix)]
#[test]
fn sigint_and_sigquit_from_outside_restore_the_terminal() {
    let _pty = crate::test::pty_lock();
    for signal in [libc::SIGINT, libc::SIGQUIT] {
        let dir = tempfile::tempdir().unwrap();
        let mut p = own_pty::spawn(dir.path(), &["contest", "--rehearsal"]);
        p.expect("按 n 开始");
        assert!(!p.cooked(), "the projector runs in raw mode");
        p.signal(signal);
        p.expect("\u{1b}[?1049l");
        p.expect("竞赛中断");
        assert!(p.exited_within(Duration::from_secs(15)), "signal {signal}");
        assert!(p.cooked(), "signal {signal} left the terminal raw");
    }
}

#[test]
fn buzzer_keys_on_the_projector_foul_win_and_are_saved_in_order() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let file = "[contest]\ntitle = \"抢答赛\"\nteams = [\"甲\", \"乙\", \"丙\"]\nseed = 3\n\n[[round]]\nkind = \"buzz\"\nquestions = 2\n";
    std::fs::write(dir.path().join("c.toml"), file).unwrap();
    let mut cmd = crate::test::dangke(dir.path(), Some(NOW));
    cmd.args(["contest", "c.toml"]);
    let mut s = expectrl::Session::spawn(cmd).expect("pty");
    s.set_expect_timeout(Some(Duration::from_secs(40)));
    s.get_process_mut().set_window_size(100, 30).unwrap();
    s.expect("按 n 开始").unwrap();
    s.send("?").unwrap();
    s.expect("抢答器：抢答题中各队按自己的键").unwrap();
    s.send("x").unwrap(); // any key closes the help
    s.send("n").unwrap();
    s.expect("请听题").unwrap();
    s.send("2").unwrap(); // before the host opens it: a foul
    s.expect("乙 提前抢答，犯规 −20").unwrap();
    s.send("o").unwrap();
    s.expect("抢答开始！").unwrap();
    s.send("3").unwrap();
    s.expect("丙 抢到！（").unwrap();
    s.send("\u{1b}OP").unwrap(); // F1
    s.expect("甲 抢答慢了").unwrap();
    s.send("+3\r").unwrap();
    s.expect("丙 答对 +20").unwrap();
    s.send("q").unwrap();
    s.send("q").unwrap();
    s.expect("按 q 或回车离开").unwrap();
    s.send("q").unwrap();
    s.expect(Eof).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("progress.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT action FROM contest_actions WHERE action LIKE 'b %' ORDER BY id")
        .unwrap();
    let presses: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(presses.len(), 3, "{presses:?}");
    assert_eq!(presses[0], "b 2 0");
    assert!(presses[1].starts_with("b 3 "), "{presses:?}");
    assert!(presses[2].starts_with("b 1 "), "{presses:?}");
    let ms = |p: &str| p.rsplit(' ').next().unwrap().parse::<u64>().unwrap();
    assert!(ms(&presses[1]) <= ms(&presses[2]), "{presses:?}");
}

#[test]
fn a_host_console_and_a_screen_in_two_terminals() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.toml"), FILE).unwrap();
    let mut cmd = crate::test::dangke(dir.path(), Some(NOW));
    cmd.args(["contest", "c.toml", "--host"]);
    let mut host = expectrl::Session::spawn(cmd).expect("pty");
    host.set_expect_timeout(Some(Duration::from_secs(40)));
    host.expect("操作> ").unwrap();
    let mut cmd = crate::test::dangke(dir.path(), Some(NOW));
    cmd.args(["contest", "--screen"]);
    let mut screen = expectrl::Session::spawn(cmd).expect("pty");
    screen.set_expect_timeout(Some(Duration::from_secs(40)));
    screen.get_process_mut().set_window_size(100, 30).unwrap();
    screen.expect("\u{1b}[?1049h").unwrap();
    screen.expect("主持人在另一个终端操作").unwrap();
    host.send("n\r").unwrap();
    host.expect("红队 作答").unwrap();
    screen.expect("▶ 红队 作答").unwrap();
    host.send("+1\r").unwrap();
    host.expect("比分：红队 60").unwrap();
    screen.expect("红队 答对 +10").unwrap();
    screen.send("q").unwrap();
    screen.expect("\u{1b}[?1049l").unwrap();
    screen.expect(Eof).unwrap();
    host.send("q\r").unwrap();
    host.expect("第 1 名  红队  60 分").unwrap();
    host.expect(Eof).unwrap();
}

#[test]
fn a_running_contest_is_shown_running_and_refuses_a_second_host() {
    use std::io::{BufRead, Write};
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = crate::test::dangke(dir.path(), Some(NOW));
    cmd.args(["contest", "--host"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut host = cmd.spawn().unwrap();
    let mut stdin = host.stdin.take().unwrap();
    let mut lines = std::io::BufReader::new(host.stdout.take().unwrap()).lines();
    stdin.write_all(b"n\n").unwrap();
    // The question is on screen: the contest is saved and claimed.
    assert!(
        lines.any(|l| l.unwrap().contains("一组 作答")),
        "the host started"
    );
    let path = dir.path().to_owned();
    let out = Test::in_dir(dir)
        .args(["contests"])
        .stdout_has("进行中")
        .stdout_lacks("中断")
        .run()
        .then()
        .args(["contest", "--resume", "1"])
        .stdin("+1\nq\n")
        .stderr_has("第 1 场竞赛正在另一个终端主持")
        .stderr_has("dangke contest --resume 1")
        .status(2)
        .run();
    stdin.write_all(b"+1\nq\n").unwrap();
    drop(stdin);
    assert!(host.wait().unwrap().success());
    // Only the first host wrote: one +1, and the contest is over.
    let conn = rusqlite::Connection::open(path.join("progress.db")).unwrap();
    let score: i64 = conn
        .query_row("SELECT score FROM contest_teams WHERE idx = 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(score, 110);
    drop(conn);
    out.then()
        .args(["contests"])
        .stdout_has("已结束")
        .stdout_lacks("进行中")
        .run();
}

#[test]
fn ctrl_c_in_the_host_console_asks_then_interrupts_and_can_be_resumed() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = crate::test::dangke(dir.path(), Some(NOW));
    cmd.args(["contest", "--host"]);
    let mut s = expectrl::Session::spawn(cmd).expect("pty");
    s.set_expect_timeout(Some(Duration::from_secs(40)));
    s.expect("操作> ").unwrap();
    s.send("n\r").unwrap();
    s.expect("一组 作答").unwrap();
    s.send("\u{3}").unwrap();
    s.expect("再按一次 Ctrl-C 中断竞赛").unwrap();
    // Typing on goes on with the contest.
    s.send("+1\r").unwrap();
    s.expect("一组 答对 +10").unwrap();
    s.send("\u{3}").unwrap();
    s.expect("再按一次 Ctrl-C").unwrap();
    s.send("\u{3}").unwrap();
    s.expect("dangke contest --resume 1").unwrap();
    s.expect("第 1 名  一组  110 分").unwrap();
    s.expect(Eof).unwrap();
    let status = s.get_process_mut().wait().unwrap();
    let status = format!("{status:?}");
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 1)"),
        "interrupted (exit 1), not killed: {status}"
    );
    Test::in_dir(dir)
        .now(NOW)
        .args(["contest", "--resume", "1"])
        .stdin("q\n")
        .stdout_has("继续中断的竞赛（已恢复 2 条记录）")
        .stdout_has("第 1 名  一组  110 分")
        .run();
}

#[test]
fn the_screen_needs_a_terminal_and_creates_no_database() {
    let t = Test::new()
        .args(["contest", "--screen"])
        .stdin("")
        .stderr_has("还没有")
        .status(1);
    let db = t.path("progress.db");
    let out = t.run();
    assert!(!std::path::Path::new(&db).exists(), "--screen created {db}");
    out.then()
        .now(NOW)
        .args(["contest"])
        .stdin("q\n")
        .run()
        .then()
        .args(["contest", "--screen", "1"])
        .stdin("")
        .stderr_has("需要在终端窗口里运行")
        .status(2)
        .run();
}

#[test]
fn an_export_that_cannot_be_written_is_refused_before_the_contest() {
    let t = Test::new()
        .now(NOW)
        .args(["contest", "--rehearsal", "--export", "nodir/e.csv"])
        .stdin("n\n+1\nq\n")
        .stderr_has("无法写入导出文件“nodir/e.csv”：文件或目录不存在")
        .stdout_lacks("必答题 第 1 题")
        .status(1)
        .run();
    std::fs::create_dir(t.dir.path().join("adir")).unwrap();
    let t = t
        .then()
        .now(NOW)
        .args(["contest", "--export-log", "adir"])
        .stdin("q\n")
        .stderr_has("无法写入导出文件“adir”")
        .status(1)
        .run();
    assert!(
        !t.dir.path().join("progress.db").exists(),
        "no contest begun"
    );
}
