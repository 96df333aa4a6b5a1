//! The command line itself: help, version, usage errors and exit codes.

use crate::test::Test;

#[test]
fn help_is_in_chinese() {
    Test::new()
        .args(["--help"])
        .stdout_has("用法：dangke")
        .stdout_has("命令：")
        .stdout_has("检查卡组文件")
        .stdout_lacks("Usage")
        .stdout_lacks("Print help")
        .status(0)
        .run();
}

#[test]
fn unknown_subcommand_is_a_usage_error_with_exit_2() {
    Test::new()
        .args(["chek"])
        .stderr("错误：未知的命令 chek\n提示：是不是想用 check？\n运行 dangke --help 查看用法。\n")
        .stdout("")
        .status(2)
        .run();
}

#[test]
fn bad_color_value_lists_the_choices() {
    Test::new()
        .args(["decks", "--color", "purple"])
        .stderr_has("“purple”无效")
        .stderr_has("auto")
        .status(2)
        .run();
}

#[test]
fn colour_is_off_when_not_a_terminal_and_on_when_forced() {
    let broken = "[deck]\nid = \"x\"\n";
    Test::new()
        .write("bad.toml", broken)
        .args(["check", "bad.toml"])
        .stdout_lacks("\u{1b}[")
        .status(1)
        .run();
    Test::new()
        .write("bad.toml", broken)
        .args(["check", "bad.toml", "--color", "always"])
        .stdout_has("\u{1b}[")
        .status(1)
        .run();
}

#[test]
fn version_prints_the_crate_version() {
    Test::new()
        .args(["--version"])
        .stdout(&format!("dangke {}\n", env!("CARGO_PKG_VERSION")))
        .status(0)
        .run();
}

#[test]
fn every_help_is_chinese_with_one_options_section() {
    for sub in [
        "study", "quiz", "check", "contest", "contests", "decks", "learners", "stats", "optimize",
        "db", "grade", "cards",
    ] {
        let out = Test::new().args([sub, "--help"]).status(0).run();
        let help = &out.stdout;
        assert_eq!(help.matches("选项：").count(), 1, "{sub}:\n{help}");
        for english in ["Commands:", "Options:", "Usage", "<COMMAND>", "[env:"] {
            assert!(!help.contains(english), "{sub}: {english}\n{help}");
        }
        assert!(!help.contains("DANGKE_LEARNER="), "{sub}:\n{help}");
        assert!(!help.contains("DANGKE_DB="), "{sub}:\n{help}");
    }
    // Options only where they mean something.
    Test::new()
        .args(["decks", "--help"])
        .stdout_lacks("--exam-date")
        .stdout_lacks("--learner")
        .stdout_lacks("--now")
        .run();
    Test::new()
        .args(["check", "--exam-date", "2026-06-01"])
        .stderr_has("未知的参数 --exam-date")
        .status(2)
        .run();
}

#[test]
fn number_errors_are_chinese() {
    Test::new()
        .args(["quiz", "-n", "x"])
        .stderr_has("应为 1 到 1000 之间的整数")
        .stderr_has("运行 dangke quiz --help 查看用法。")
        .status(2)
        .run();
    Test::new()
        .args(["quiz", "-n", "0"])
        .stderr_has("应为 1 到 1000 之间的整数")
        .status(2)
        .run();
    Test::new()
        .args(["contests", "abc"])
        .stderr_has("整数")
        .status(2)
        .run();
}

#[test]
fn db_alone_points_to_its_own_help() {
    Test::new()
        .args(["db"])
        .stderr(
            "错误：dangke db 后面要跟一个命令（可选：check、backup、restore）\n运行 dangke db --help 查看用法。\n",
        )
        .status(2)
        .run();
}

#[test]
fn a_wrong_settings_file_is_a_failure_in_chinese_with_its_line() {
    let t = Test::new().write("config.toml", "learner = \"张三\"\nnew_per_day = -2\n");
    let config = t.path("config.toml");
    t.env("DANGKE_CONFIG", &config)
        .args(["decks"])
        .stderr_has("第 2 行")
        .stderr_has("new_per_day 应为 0 到 10000 之间的整数，现在是 -2")
        .status(1)
        .run();
}

#[test]
fn marking_a_card_that_already_is_so_says_so() {
    let key = "wu-ge-bi-yu/wu-ge-bi-yu-lie-ju";
    Test::new()
        .args(["cards", "--resume", key])
        .stdout(&format!("卡片 {key} 没有被暂停，无需恢复。\n"))
        .status(0)
        .run()
        .then()
        .args(["cards", "--suspend", key])
        .stdout(&format!("已暂停：{key}\n"))
        .run()
        .then()
        .args(["cards", "--suspend", key])
        .stdout(&format!("卡片 {key} 本来就已暂停，未改动。\n"))
        .run()
        .then()
        .args(["cards", "--resume", key])
        .stdout(&format!("已恢复：{key}\n"))
        .run();
}

#[test]
fn a_past_exam_date_is_refused() {
    Test::new()
        .now("2026-03-01T09:00:00+08:00")
        .args(["stats", "--exam-date", "2020-01-01"])
        .stderr_has("考试日期 2020-01-01 已经过去了（今天是 2026-03-01）")
        .status(2)
        .run();
    Test::new()
        .now("2026-03-01T09:00:00+08:00")
        .args(["stats", "--exam-date", "2026-03-01"])
        .status(0)
        .run();
}

#[test]
fn an_unknown_tag_is_named_with_the_known_ones() {
    for command in ["study", "quiz"] {
        Test::new()
            .args([command, "--tag", "不存在"])
            .stderr_has("没有标签为“不存在”的卡片（已有的标签：")
            .stderr_has("群众路线")
            .status(2)
            .run();
    }
    Test::new()
        .args(["study", "--tag", "群众路线"])
        .stdout_lacks("没有符合条件的卡片")
        .status(0)
        .run();
}

/// "参数不是有效的 UTF-8 文本" did not say which argument (issue 12.11).
#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_named_with_its_option() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let out = crate::test::dangke(dir.path(), None)
        .arg("stats")
        .arg("--learner")
        .arg(std::ffi::OsStr::from_bytes(b"ab\xffc"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("错误：参数 --learner 的值“ab\u{fffd}c”不是有效的 UTF-8 文本"),
        "{stderr}"
    );
}

/// Only a closed pipe ends quietly: any other failure to write the output
/// (here a full disk) is an error with exit 1, not a silent success.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_stdout_is_an_error_unlike_a_closed_pipe() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let out = crate::test::dangke(dir.path(), None)
        .arg("decks")
        .stdout(full)
        .output()
        .expect("run dangke");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("错误：输出失败：磁盘已满"), "{stderr}");
}

/// `dangke cards | head -1`: the reader goes away after one line; dangke
/// ends with 0 and prints nothing about it.
#[cfg(unix)]
#[test]
fn a_closed_pipe_on_stdout_ends_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut child = crate::test::dangke(dir.path(), None)
        .arg("cards")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run dangke");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let out = child.wait_with_output().expect("wait for dangke");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("错误"), "{stderr}");
}
