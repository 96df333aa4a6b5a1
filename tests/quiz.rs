//! `dangke quiz`: scoring, breakdowns, the wrong-answer list, the time
//! limit, and mistakes flowing into study.

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use crate::test::Test;

const NOW: &str = "2026-03-01T09:00:00+08:00";

/// Three true statements and one false: answers are known whatever order
/// the quiz draws them in.
const JUDGE_DECK: &str = r#"[deck]
id = "pd"
title = "判断练习"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "a"
kind = "judge"
prompt = "甲说法。"
answer = true
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "b"
kind = "judge"
prompt = "乙说法。"
answer = true
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "c"
kind = "judge"
prompt = "丙说法。"
answer = true
explain = "丙的解析。"
source = { doc = "000", quote = "一段足够长的引文" }
"#;

fn quiz() -> Test {
    Test::new()
        .now(NOW)
        .write("d/pd.toml", JUDGE_DECK)
        .args(["quiz", "--decks", "d", "--deck", "pd"])
}

#[test]
fn all_right_scores_100_and_records_quiz_answers() {
    let out = quiz()
        .stdin("对\n对\n对\n")
        .stdout_has("自测：共 3 题（符合条件的只有 3 题）")
        .stdout_has("[第 1/3 题] 判断练习 · 判断")
        .stdout_has("得分：100 / 100（答对 3/3 题）")
        .stdout_has("  判断  3/3")
        .stdout_has("  判断练习  3/3")
        .stdout_has("全部答对！")
        .run();
    let rows = out.reviews();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| r.mode == "quiz" && r.verdict == "correct")
    );
}

#[test]
fn wrong_and_unanswered_questions_are_listed_and_go_into_the_mistake_book() {
    let out = quiz()
        .args(["-n", "3"])
        .stdin("错\n")
        .stdout_has("得分：0 / 100（答对 0/3 题）")
        .stdout_has("错题（3 道，已加入错题本，用 dangke study --mistakes 专练）")
        .stdout_has("你的答案：错（错误）")
        .stdout_has("你的答案：（未作答）（错误）")
        .stdout_has("标准答案：正确")
        .stdout_has("解析：丙的解析。")
        .run();
    assert_eq!(out.reviews().len(), 3);
    // The mistakes are due in study, and --mistakes drills only them.
    let out = out
        .then()
        .now("2026-03-01T10:00:00+08:00")
        .args(["study", "--decks", "d", "--mistakes"])
        .stdin("对\n\n对\n\n对\n\n")
        .stdout_has("卡组：错题本（3 题）")
        .stdout_has("· 判断 · 错题")
        .stdout_has("本次学习：3 张卡片，正确率 100%")
        .run();
    out.then()
        .now("2026-03-01T10:30:00+08:00")
        .args(["study", "--decks", "d", "--mistakes"])
        .stdin("")
        .stdout_has("错题本（0 题）")
        .run();
}

#[test]
fn no_hints_in_a_quiz() {
    quiz()
        .stdin(":h\n对\n:q\n")
        .stdout_has("自测中不能用提示或其他命令")
        .stdout_has("答对 1/3 题")
        .run();
}

#[test]
fn the_draw_is_replayable_from_the_clock() {
    let input = "A\nB\nC\n对\n错\n";
    let a = Test::new()
        .now(NOW)
        .args(["quiz", "-n", "5"])
        .stdin(input)
        .run();
    let b = Test::new()
        .now(NOW)
        .args(["quiz", "-n", "5"])
        .stdin(input)
        .run();
    assert_eq!(a.stdout, b.stdout);
    let c = Test::new()
        .now("2026-03-02T09:00:00+08:00")
        .args(["quiz", "-n", "5"])
        .stdin(input)
        .run();
    assert_ne!(a.stdout, c.stdout, "another time draws other questions");
}

#[test]
fn kinds_filter_and_bad_filters() {
    Test::new()
        .now(NOW)
        .args(["quiz", "-n", "4", "--kinds", "judge"])
        .stdin("")
        .stdout_has("自测：共 4 题")
        .stdout_lacks("· 单选")
        .run();
    Test::new()
        .args(["quiz", "--kinds", "essay"])
        .stderr_has("应为 qa、fill、choice、multi、judge、list 之一")
        .status(2)
        .run();
    Test::new()
        .args(["quiz", "--tag", "没有这个标签"])
        .stderr_has("没有符合条件的题目")
        .status(2)
        .run();
}

#[test]
fn time_running_out_ends_the_quiz_and_counts_the_rest_wrong() {
    let t = Test::new().now(NOW).write("d/pd.toml", JUDGE_DECK);
    let dir = t.dir.path().to_owned();
    let mut child = crate::test::dangke(&dir, Some(NOW))
        .args(["quiz", "--decks", "d", "--deck", "pd", "--time", "1s"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all("对\n".as_bytes()).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let _ = stdin.write_all("对\n对\n".as_bytes());
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("时间到！这道题没有计分"), "{stdout}");
    assert!(stdout.contains("答对 1/3 题"), "{stdout}");
    assert_eq!(crate::test::reviews(&dir.join("progress.db")).len(), 3);
}
