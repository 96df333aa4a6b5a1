//! The study loop on a real terminal (a pty driven by expectrl): Chinese
//! input, Tab completion, Ctrl-C and Ctrl-D, colour, and the database
//! afterwards.

use std::path::Path;
use std::time::Duration;

use expectrl::session::OsSession as Session;
use expectrl::{Eof, Expect};

use crate::test::reviews;

const NOW: &str = "2026-03-01T09:00:00+08:00";

fn session(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Session {
    let mut cmd = crate::test::dangke(dir, Some(NOW));
    cmd.args(["study", "--deck", "wu-ge-bi-yu"]).args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut s = expectrl::Session::spawn(cmd).expect("spawn in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(40)));
    s
}

fn exit_code(s: &Session) -> i32 {
    match s.get_process().wait() {
        Ok(expectrl::process::unix::WaitStatus::Exited(_, code)) => code,
        other => panic!("did not exit normally: {other:?}"),
    }
}

#[test]
fn typing_chinese_tab_completion_and_ctrl_c_clearing_a_line() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), &["--color", "never"], &[]);
    s.expect("毛泽东对人民群众作过哪五个比喻？").unwrap();
    s.expect("答> ").unwrap();
    s.send_line("铜墙铁壁、眼睛、上帝、土地、水").unwrap();
    s.expect("✓ 正确").unwrap();
    s.expect("评分").unwrap();
    s.send_line("").unwrap();
    s.expect("已记录：简单").unwrap();
    s.expect("答> ").unwrap();
    // Tab completes ":st" to ":stats".
    s.send(":st").unwrap();
    s.send("\t").unwrap();
    s.send("\r").unwrap();
    s.expect("本次已答 1 张，答对 1 张").unwrap();
    s.expect("答> ").unwrap();
    // Ctrl-C on a line with text clears it: what follows is a fresh line.
    s.send("乱写的答案").unwrap();
    s.send("\x03").unwrap();
    s.send_line(":q").unwrap();
    s.expect("本次学习：1 张卡片，正确率 100%").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
    let rows = reviews(&dir.path().join("progress.db"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].key, "wu-ge-bi-yu/wu-ge-bi-yu-lie-ju");
    assert!(
        dir.path().join("data/dangke/history/测试学员.txt").exists(),
        "line history is kept in the data dir, per learner"
    );
    assert!(!dir.path().join("history.txt").exists());
}

#[test]
fn ctrl_c_on_an_empty_line_ends_the_session_with_a_summary() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), &[], &[("NO_COLOR", "1")]);
    s.expect("答> ").unwrap();
    s.send("\x03").unwrap();
    s.expect("本次学习：0 张卡片").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
}

#[test]
fn ctrl_d_at_the_rating_prompt_saves_the_answer_and_ends() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), &[], &[]);
    s.expect("答> ").unwrap();
    s.send_line("铜墙铁壁、眼睛").unwrap();
    s.expect("部分正确").unwrap();
    s.expect("评分").unwrap();
    s.send("\x04").unwrap();
    s.expect("本次学习：1 张卡片").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
    let rows = reviews(&dir.path().join("progress.db"));
    assert_eq!(
        (rows.len(), rows[0].rating),
        (1, 2),
        "saved with the suggested rating (Hard)"
    );
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), &[], &[]);
    let found = s.expect("答> ").unwrap();
    let before = String::from_utf8_lossy(found.before()).into_owned();
    assert!(
        before.contains("\u{1b}["),
        "no colour on a terminal: {before:?}"
    );
    s.send("\x04").unwrap();
    s.expect(Eof).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path(), &[], &[("NO_COLOR", "1")]);
    let found = s.expect("答> ").unwrap();
    let before = String::from_utf8_lossy(found.before()).into_owned();
    assert!(
        !before.contains("\u{1b}[1m"),
        "colour despite NO_COLOR: {before:?}"
    );
    s.send("\x04").unwrap();
    s.expect(Eof).unwrap();
}

/// `dangke` run by `sh -c script` in a pty (the binary is `$1`), so the
/// script can size the terminal or redirect output first.
fn shell(dir: &Path, script: &str) -> Session {
    let base = crate::test::dangke(dir, Some(NOW));
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg("sh")
        .arg(base.get_program())
        .current_dir(dir);
    for (k, v) in base.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let mut s = expectrl::Session::spawn(cmd).expect("spawn in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(40)));
    s
}

/// Display width in terminal columns (CJK two).
fn columns(line: &str) -> usize {
    dangke::term::width(line)
}

#[test]
fn stdout_redirected_from_a_terminal_gets_no_control_sequences() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut s = shell(dir.path(), "exec \"$1\" study --deck wu-ge-bi-yu > out.txt");
    s.send_line("铜墙铁壁、眼睛、上帝、土地、水").unwrap();
    s.send_line("").unwrap();
    s.send_line(":q").unwrap();
    s.expect(Eof).unwrap();
    let text = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert!(text.contains("✓ 正确"), "{text}");
    assert!(text.contains("本次学习：1 张卡片"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "control sequences in the file: {text:?}"
    );
}

#[test]
fn sixty_columns_wrap_text_and_shrink_tables() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut s = shell(
        dir.path(),
        // COLUMNS as well: under a loaded full-suite run the size query
        // once came back empty and the 80-column fallback was used.
        "stty cols 60 rows 24; stty size; export COLUMNS=60; exec \"$1\" study --deck wu-ge-bi-yu --color never",
    );
    s.expect("24 60").unwrap();
    s.expect("答> ").unwrap();
    s.send_line("铜墙铁壁、眼睛、上帝、土地、水").unwrap();
    let found = s.expect("评分 [").unwrap();
    let text = String::from_utf8_lossy(found.before()).into_owned();
    assert!(text.contains("出处"), "{text}");
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        assert!(columns(line) <= 60, "{} columns: {line}", columns(line));
        assert!(!line.starts_with(['，', '。', '、', '”', '）']), "{line}");
    }
    s.send_line(":q").unwrap();
    s.expect(Eof).unwrap();

    let mut s2 = shell(
        dir.path(),
        "stty cols 60 rows 24; export COLUMNS=60; \"$1\" stats --color never; echo 结束了",
    );
    let found = s2.expect("结束了").unwrap();
    let text = String::from_utf8_lossy(found.before()).into_owned();
    assert!(text.contains("卡组"), "{text}");
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        assert!(columns(line) <= 60, "{} columns: {line}", columns(line));
    }
}

#[test]
fn a_timed_quiz_shows_the_time_left_while_typing() {
    let _pty = crate::test::pty_lock();
    let dir = tempfile::tempdir().unwrap();
    let mut s = shell(
        dir.path(),
        "stty cols 80 rows 24; exec \"$1\" quiz -n 3 --time 1m --color never",
    );
    s.expect("答> ").unwrap();
    // Nothing typed: the clock still moves.
    s.expect("⏱ 剩余 00:5").unwrap();
    s.expect("⏱ 剩余 00:5").unwrap();
    s.send_line(":q").unwrap();
    s.expect("得分：0 / 100（答对 0/3 题，未作答 3 题）")
        .unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
}
