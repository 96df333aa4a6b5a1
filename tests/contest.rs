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
n\nf 2\nn\n-1\n+2\nn\nt 15\nr\nn\n\
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
        .stdout_has("风险题 第 1 题，红队 作答")
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
        "\u{feff}名次,队伍,得分,答对,答错\r\n1,红队,80,2,1\r\n2,蓝队,40,1,2\r\n"
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
    assert!(log.contains(",+1,红队,+10,红队 答对 +10,是\r\n"), "{log}");
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
    let script = "n\n+1\nn\n+2\nn\nn\nn\nn\nn\nv 1 20\nn\nv 2 20\nn\nn\n+1\n";
    contest(script)
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
    s.send("+1\r").unwrap();
    s.expect("红队 答对 +10").unwrap();
    s.expect("1 红队：60").unwrap();
    s.send("r").unwrap();
    s.expect("答案：").unwrap();
    // Resize: the screen is redrawn, not garbled.
    s.get_process_mut().set_window_size(80, 24).unwrap();
    s.expect("1 红队：60").unwrap();
    s.send("\u{3}").unwrap(); // Ctrl-C ends the contest
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
fn sigterm_ends_the_projector_contest_and_restores_the_terminal() {
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
    s.expect("第 1 名  一组  110 分").unwrap();
    s.expect(Eof).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("progress.db")).unwrap();
    let ended: Option<i64> = conn
        .query_row("SELECT ended_at FROM contests", [], |r| r.get(0))
        .unwrap();
    assert!(ended.is_some(), "the contest was closed properly");
}
