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
        .stdout_has("  判断   3/3")
        .stdout_has("  判断练习   3/3")
        .stdout_has("全部答对！")
        // Every answer is reviewed, the right ones too.
        .stdout_has("答题回顾：")
        .stdout_has("✓ 正确　你的答案：对")
        .run();
    let rows = out.reviews();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| r.mode == "quiz" && r.verdict == "correct")
    );
}

#[test]
fn wrong_answers_go_into_the_mistake_book_and_unseen_ones_are_not_mistakes() {
    let out = quiz()
        .args(["-n", "3"])
        .stdin("错\n")
        .stdout_has("已交卷，未作答 2 题（不计分，也不进错题本）。")
        .stdout_has("得分：0 / 100（答对 0/3 题，未作答 2 题）")
        .stdout_has("✗ 错误　你的答案：错")
        .stdout_has("○ 未作答　你的答案：（未作答）")
        .stdout_has("标准答案：正确")
        .stdout_has("错题 1 道已加入错题本，用 dangke study --mistakes 专练。")
        .run();
    assert_eq!(
        out.reviews().len(),
        1,
        "only the answered question is logged"
    );
    // The one mistake is due in study, and --mistakes drills only it.
    let out = out
        .then()
        .now("2026-03-01T10:00:00+08:00")
        .args(["study", "--decks", "d", "--mistakes"])
        .stdin("对\n\n")
        .stdout_has("卡组：错题本（1 题）")
        .stdout_has("· 判断 · 错题")
        .stdout_has("本次学习：1 张卡片，正确率 100%")
        .run();
    out.then()
        .now("2026-03-01T10:30:00+08:00")
        .args(["study", "--decks", "d", "--mistakes"])
        .stdin("")
        .stdout_has("错题本（0 题）")
        .run();
}

#[test]
fn handing_in_at_once_makes_no_mistakes() {
    let out = quiz()
        .stdin(":q\n")
        .stdout_has("得分：0 / 100（答对 0/3 题，未作答 3 题）")
        .stdout_lacks("错题本，用")
        .run();
    assert!(
        out.reviews().is_empty(),
        "unseen questions are not recorded"
    );
    out.then()
        .now("2026-03-01T10:00:00+08:00")
        .args(["study", "--decks", "d", "--mistakes"])
        .stdin("")
        .stdout_has("错题本（0 题）")
        .run();
}

#[test]
fn the_mistake_queue_keeps_to_the_daily_review_limit() {
    let out = quiz().stdin("错\n错\n错\n").run();
    assert_eq!(out.reviews().len(), 3);
    out.then()
        .write("config/dangke/config.toml", "reviews_per_day = 2\n")
        .now("2026-03-01T10:00:00+08:00")
        .args(["study", "--decks", "d", "--mistakes"])
        .stdin("对\n\n对\n\n对\n\n")
        .stdout_has("[1 · 还剩 2]")
        .stdout_has("本次学习：2 张卡片")
        .stdout_has("今天的复习额度（2 次）已经用完，还有")
        .run();
}

const CHOICE_DECK: &str = r#"[deck]
id = "xz"
title = "选择练习"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "a"
kind = "choice"
prompt = "哪一个是对的？"
options = ["甲", "乙", "丙", "丁"]
answer = "A"
source = { doc = "000", quote = "一段足够长的引文" }
"#;

#[test]
fn a_letter_beyond_the_options_is_asked_again_and_i_dont_know_is_plainly_wrong() {
    let out = Test::new()
        .now(NOW)
        .write("d/xz.toml", CHOICE_DECK)
        .args(["quiz", "--decks", "d", "--deck", "xz"])
        .stdin("E\n\n不知道\n")
        .stdout_has("只有 A–D 这 4 个选项，请重新输入。")
        .stdout_has("请输入答案")
        .stdout_has("✗ 错误　你的答案：不知道")
        .stdout_lacks("没有认出")
        .run();
    assert_eq!(out.reviews().len(), 1);
}

#[test]
fn per_deck_lines_are_aligned() {
    let out = Test::new()
        .now(NOW)
        .args(["quiz", "-n", "12"])
        .stdin(":q\n")
        .run();
    let section: Vec<&str> = out
        .stdout
        .split("按卡组：\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert!(section.len() > 2, "{}", out.stdout);
    let columns: Vec<usize> = section
        .iter()
        .map(|l| {
            let head = &l[..l.find('/').unwrap()];
            head.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
        })
        .collect();
    assert!(
        columns.windows(2).all(|w| w[0] == w[1]),
        "{columns:?}\n{}",
        section.join("\n")
    );
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
        .stderr_has("没有标签为“没有这个标签”的卡片")
        .status(2)
        .run();
}

/// The header states the time limit in minutes when it is whole minutes,
/// in seconds otherwise.
#[test]
fn the_time_limit_is_stated_in_minutes_or_seconds() {
    for (time, said) in [
        ("10m", "限时 10 分钟"),
        ("90s", "限时 90 秒"),
        ("120s", "限时 2 分钟"),
    ] {
        Test::new()
            .now(NOW)
            .write("d/pd.toml", JUDGE_DECK)
            .args(["quiz", "--decks", "d", "--deck", "pd", "--time", time])
            .stdin(":q\n")
            .stdout_has(&format!("，{said}。输入 :q 交卷。"))
            .run();
    }
}

#[test]
fn time_running_out_ends_the_quiz_and_keeps_the_late_answer_in_the_report() {
    let t = Test::new().now(NOW).write("d/pd.toml", JUDGE_DECK);
    let dir = t.dir.path().to_owned();
    let mut child = crate::test::dangke(&dir, Some(NOW))
        .args(["quiz", "--decks", "d", "--deck", "pd", "--time", "2s"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all("对\n".as_bytes()).unwrap();
    stdin.flush().unwrap();
    // Well past the limit even on a loaded machine (it once failed with
    // 1 s / 1.5 s under a load of 14 on 2 cores).
    std::thread::sleep(Duration::from_millis(3500));
    let _ = stdin.write_all("对\n对\n".as_bytes());
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("时间到！未作答 2 题"), "{stdout}");
    assert!(stdout.contains("答对 1/3 题，未作答 2 题"), "{stdout}");
    // The answer typed as time ran out is shown, not scored.
    assert!(
        stdout.contains("⏱ 超时　你的答案：对（时间到后提交，未计分）"),
        "{stdout}"
    );
    assert_eq!(
        crate::test::reviews(&dir.join("progress.db")).len(),
        1,
        "questions not answered in time are not mistakes"
    );
}

#[test]
fn stats_counts_the_mistake_book_as_study_does() {
    let out = quiz().args(["-n", "3"]).stdin("错\n").run();
    let later = "2026-03-01T10:00:00+08:00";
    let out = out
        .then()
        .now(later)
        .args(["study", "--decks", "d"])
        .stdin(":q\n")
        .stdout_has("今日到期 1")
        .run();
    let out = out
        .then()
        .now(later)
        .args(["stats", "--decks", "d", "--json"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let deck = v["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "pd")
        .unwrap();
    assert_eq!(deck["mistakes"], 1, "{}", out.stdout);
    assert_eq!(deck["due"], 1, "{}", out.stdout);
    out.then()
        .now(later)
        .args(["stats", "--decks", "d"])
        .stdout_has("错题本")
        .run();
}
