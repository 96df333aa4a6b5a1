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
