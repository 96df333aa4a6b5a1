//! Progress that is never lost: crashes, concurrent processes, restarts,
//! and the commands that report on it (stats, learners, db check, optimize).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};

use crate::test::{Test, reviews};

const NOW: &str = "2026-03-01T09:00:00+08:00";

fn spawn(dir: &std::path::Path, args: &[&str]) -> Child {
    crate::test::dangke(dir, Some(NOW))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn kill_9_after_a_rating_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn(
        dir.path(),
        &["study", "--deck", "wu-ge-bi-yu", "--learner", "甲"],
    );
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all("铜墙铁壁、眼睛、上帝、土地、水\n\n".as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    // Wait until the rating is reported, then kill the process outright,
    // with stdin still open (the session is mid-way through card two).
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    while let Some(Ok(line)) = lines.next() {
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("已记录") {
            break;
        }
    }
    assert!(seen.contains("已记录：简单"), "{seen}");
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());
    drop(stdin);
    let rows = reviews(&dir.path().join("progress.db"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].key, "wu-ge-bi-yu/wu-ge-bi-yu-lie-ju");
    // The database is sound and the next session continues from there.
    let t = Test::in_dir(dir);
    t.args(["db", "check"])
        .stdout_has("完整性检查通过")
        .run()
        .then()
        .now(NOW)
        .args(["study", "--deck", "wu-ge-bi-yu", "--learner", "甲"])
        .stdin("")
        // Another new card (not the rated one, nor, the same day, one of
        // its siblings: issue 13.2).
        .stdout_has("· 新卡")
        .stdout_lacks("作过哪五个比喻")
        .run();
}

#[test]
fn two_processes_writing_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Create the database first so both start from the same schema.
    drop(
        spawn(dir.path(), &["study", "--deck", "wu-ge-bi-yu"])
            .wait_with_output()
            .unwrap(),
    );
    let answers = "不会\n\n".repeat(40);
    let mut children: Vec<Child> = ["甲", "乙", "甲"]
        .iter()
        .map(|learner| spawn(dir.path(), &["study", "--learner", learner]))
        .collect();
    for child in &mut children {
        let mut stdin = child.stdin.take().unwrap();
        let answers = answers.clone();
        std::thread::spawn(move || {
            let _ = stdin.write_all(answers.as_bytes());
        });
    }
    let mut answered = 0;
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        answered += stdout.matches("已记录").count();
    }
    assert_eq!(answered, 120);
    assert_eq!(reviews(&dir.path().join("progress.db")).len(), 120);
}

#[test]
fn stats_json_follows_the_contract() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("理论联系实际、密切联系群众、批评与自我批评\n4\n不会\n\n")
        .run();
    let out = out.then().now(NOW).args(["stats", "--json"]).run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON object");
    assert_eq!(v["learner"], "测试学员");
    assert_eq!(v["reviews_total"], 2);
    let deck = v["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "san-da-zuo-feng")
        .unwrap();
    assert_eq!(deck["cards"], 6);
    assert_eq!(deck["new"], 4);
    assert_eq!(deck["learning"], 1);
    assert_eq!(deck["review"], 1);
    assert_eq!(
        deck["due"], 0,
        "the learning card is due in a minute, not now"
    );
    for key in ["id", "cards", "new", "learning", "review", "due"] {
        assert!(deck.get(key).is_some(), "missing {key}");
    }
    // Filtered to one deck.
    let out = out
        .then()
        .now(NOW)
        .args(["stats", "--deck", "wu-ge-bi-yu", "--json"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["decks"].as_array().unwrap().len(), 1);
}

#[test]
fn stats_text_shows_forecast_retention_and_heatmap() {
    Test::new()
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("理论联系实际、密切联系群众、批评与自我批评\n4\n")
        .run()
        .then()
        .now(NOW)
        .args(["stats", "--deck", "san-da-zuo-feng"])
        .stdout_has("学习者：测试学员  累计复习 1 次")
        .stdout_has("三大优良作风")
        .stdout_has("未来 7 天到期：")
        .stdout_has("近 30 天真实保持率：—")
        .stdout_has("近 12 周每天复习次数")
        .stdout_has("  日 ")
        .status(0)
        .run();
}

#[test]
fn learners_are_listed_with_their_reviews() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--learner", "王同志", "--deck", "wu-ge-bi-yu"])
        .stdin("铜墙铁壁\n\n")
        .run();
    let out = out
        .then()
        .now(NOW)
        .args(["study", "--learner", "李同志"])
        .stdin("")
        .run();
    out.then()
        .env("DANGKE_LEARNER", "王同志")
        .args(["learners"])
        .stdout_has("王同志（当前）")
        .stdout_has("李同志")
        .stdout_has("2026-03-01")
        .run();
}

#[test]
fn a_file_that_is_not_a_dangke_database_is_refused_untouched() {
    let t = Test::new().write("notes.db", "这是我的笔记");
    let path = t.path("notes.db");
    let out = t
        .args(["stats", "--db", "notes.db"])
        .stderr_has("不是 SQLite 数据库文件（文件头不对），未做任何修改")
        .status(1)
        .run();
    assert_eq!(std::fs::read_to_string(path).unwrap(), "这是我的笔记");
    drop(out);
}

#[test]
fn a_directory_given_as_the_database_is_explained() {
    let t = Test::new();
    let dir = t.path("");
    t.args(["stats", "--db", &dir])
        .stderr_has("是一个目录，请用 --db 指定数据库文件")
        .status(1)
        .run();
}

/// A --db path through a file ("notes.txt/progress.db") cannot be opened;
/// the error names the path and says why in Chinese, not in the system's
/// English ("Not a directory").
#[cfg(unix)]
#[test]
fn a_database_path_through_a_file_says_the_path_is_not_a_folder() {
    Test::new()
        .write("notes.txt", "笔记")
        .args(["study", "--db", "notes.txt/progress.db"])
        .stderr("错误：无法读取“notes.txt/progress.db”：路径中有一段不是目录\n")
        .status(1)
        .run();
}

#[test]
fn the_exam_date_caps_every_interval() {
    let out = Test::new()
        .now(NOW)
        .args([
            "study",
            "--deck",
            "wu-ge-bi-yu",
            "--exam-date",
            "2026-03-04",
        ])
        .stdin("铜墙铁壁、眼睛、上帝、土地、水\n4\n")
        .stdout_has("已记录：简单，下次复习：后天")
        .run();
    let conn = rusqlite::Connection::open(out.db()).unwrap();
    let (exam, due): (String, i64) = conn
        .query_row(
            "SELECT exam_date, due FROM learners, card_states",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(exam, "2026-03-04");
    // Due on the eve of the exam (2026-03-03 04:00 in Shanghai) at the latest.
    assert!(due <= 1_772_481_600, "due {due}");
    // The date is kept for the learner, and can be cleared.
    out.then()
        .now(NOW)
        .args(["learners"])
        .stdout_has("2026-03-04")
        .run()
        .then()
        .now(NOW)
        .args(["stats", "--exam-date", "none"])
        .run()
        .then()
        .args(["learners"])
        .stdout_lacks("2026-03-04")
        .run();
}

#[test]
fn retention_is_stored_per_learner_and_changes_intervals() {
    let answer = "铜墙铁壁、眼睛、上帝、土地、水\n4\n";
    let high = Test::new()
        .now(NOW)
        .args(["study", "--deck", "wu-ge-bi-yu", "--retention", "0.97"])
        .stdin(answer)
        .run();
    let low = Test::new()
        .now(NOW)
        .args(["study", "--deck", "wu-ge-bi-yu", "--retention", "80%"])
        .stdin(answer)
        .run();
    let due = |db: std::path::PathBuf| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT due FROM card_states", [], |r| r.get(0))
            .unwrap()
    };
    assert!(
        due(high.db()) < due(low.db()),
        "a higher target brings the card back sooner"
    );
    high.then().args(["learners"]).stdout_has("97%").run();
    Test::new()
        .args(["stats", "--retention", "0.5"])
        .stderr_has("0.70 到 0.99")
        .status(2)
        .run();
}

#[test]
fn optimize_says_when_there_are_too_few_reviews() {
    Test::new()
        .args(["optimize"])
        .stdout_has("复习记录太少，还不能拟合参数")
        .stdout_has("当前使用默认参数")
        .status(0)
        .run();
}

#[test]
fn bad_now_and_exam_date_values_are_usage_errors() {
    Test::new()
        .args(["stats", "--now", "昨天"])
        .stderr_has("应为 RFC 3339 时间")
        .status(2)
        .run();
    Test::new()
        .args(["stats", "--exam-date", "6月30日"])
        .stderr_has("应为日期，如 2026-06-30")
        .status(2)
        .run();
}

#[test]
fn optimize_fits_parameters_to_a_real_history_and_stores_them() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("")
        .run();
    {
        // A history written straight into the database: 60 cards, each
        // reviewed on days 0, 1, 4, 11, 25, 50 with some lapses.
        let mut conn = rusqlite::Connection::open(out.db()).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute(
            "INSERT OR IGNORE INTO learners (name, created_at) VALUES ('测试学员', 0)",
            [],
        )
        .unwrap();
        let start = 1_770_000_000i64;
        for card in 0..60i64 {
            for (i, day) in (0i64..).zip([0i64, 1, 4, 11, 25, 50]) {
                let rating = if (card + i) % 7 == 0 {
                    1
                } else if (card * i) % 5 == 0 {
                    4
                } else {
                    3
                };
                tx.execute(
                    "INSERT INTO reviews (learner_id, card_key, reviewed_at, rating, verdict, score, response_ms, mode, phase_before, content_hash)
                     VALUES (1, ?1, ?2, ?3, 'correct', 1.0, 3000, 'study', 2, 'h')",
                    rusqlite::params![format!("d/c{card}"), start + day * 86_400 + card * 60, rating],
                )
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let out = out
        .then()
        .args(["optimize"])
        .stdout_has("360 次复习，300 个可用于拟合的复习记录")
        .stdout_has("对数损失")
        .stdout_has("RMSE（分箱）")
        .stdout_has("已保存新参数")
        .run();
    let conn = rusqlite::Connection::open(out.db()).unwrap();
    let params: String = conn
        .query_row(
            "SELECT parameters FROM learners WHERE name = '测试学员'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let params: Vec<f32> = serde_json::from_str(&params).unwrap();
    assert_eq!(params.len(), 21, "FSRS-6 has 21 parameters");
    drop(conn);
    // Run again on the same reviews: the fit is the same, so no better than
    // the stored parameters, which stay (Anki's rule: a new fit replaces
    // the current parameters only when its log loss is lower).
    let out = out
        .then()
        .args(["optimize"])
        .stdout_has("不比当前参数")
        .stdout_has("保留当前参数")
        .stdout_lacks("已保存新参数")
        .run();
    let conn = rusqlite::Connection::open(out.db()).unwrap();
    let again: String = conn
        .query_row(
            "SELECT parameters FROM learners WHERE name = '测试学员'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(serde_json::from_str::<Vec<f32>>(&again).unwrap(), params);
    // The next session schedules with them.
    out.then()
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("理论联系实际、密切联系群众、批评与自我批评\n4\n")
        .stdout_has("已记录：简单")
        .run();
}

#[test]
fn optimize_after_three_days_of_ordinary_study_does_not_panic() {
    // Issue 12.1: learning steps and same-day reviews made the fitter panic.
    let answers = "x\n3\n".repeat(100);
    let mut t = Test::new();
    for day in ["01", "02", "03"] {
        t = t
            .args(["study", "--learner", "r", "--new", "10"])
            .arg("--now")
            .arg(format!("2026-03-{day}T09:00:00Z"))
            .stdin(answers.clone())
            .run()
            .then();
    }
    t.args([
        "optimize",
        "--learner",
        "r",
        "--now",
        "2026-03-03T09:00:00Z",
    ])
    .stdout_has("学习者 r：")
    .status(0)
    .run();
}

#[test]
fn stats_leaves_suspended_cards_out_of_what_is_due() {
    // A card failed at 09:00 is learning, due a minute later; at 09:10 it
    // is suspended from study.
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("不会\n\n:q\n")
        .run();
    let later = "2026-03-01T09:10:00+08:00";
    let out = out
        .then()
        .now(later)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin(":暂停\n:q\n")
        .stdout_has("今日到期 1")
        .stdout_has("已暂停这张卡片")
        .run();
    let out = out
        .then()
        .now(later)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin(":q\n")
        .stdout_has("今日到期 0")
        .run();
    let out = out
        .then()
        .now(later)
        .args(["stats", "--deck", "san-da-zuo-feng", "--json"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["decks"][0]["due"], 0, "{}", out.stdout);
    assert_eq!(v["decks"][0]["suspended"], 1, "{}", out.stdout);
    out.then()
        .now(later)
        .args(["stats", "--deck", "san-da-zuo-feng"])
        .stdout_has("已暂停 1 张卡片，不算到期")
        .run();
}

#[test]
fn stats_forecast_and_heatmap_rows_line_up() {
    // 2026-03-02 is a Monday: the twelve weeks before it start on a
    // Tuesday.
    let monday = "2026-03-02T09:00:00+08:00";
    let out = Test::new()
        .now(monday)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("理论联系实际、密切联系群众、批评与自我批评\n4\n")
        .run()
        .then()
        .now(monday)
        .args(["stats", "--deck", "san-da-zuo-feng"])
        .stdout_has("  今天   0\n")
        .stdout_has("  明天   0\n")
        .stdout_has("  03-05  0\n")
        .run();
    for day in ["一", "二", "三", "四", "五", "六", "日"] {
        assert!(
            out.stdout.contains(&format!("\n  {day} · ")),
            "the {day} row starts in the first column:\n{}",
            out.stdout
        );
    }
}

/// `dangke stats` reads the card states on another thread while the decks
/// load (issue 14); its errors still come in the order they did: a bad deck
/// before an unknown learner, an unknown deck filter before an unknown
/// learner, and with `--exam-date` (which writes) nothing is written when
/// a deck is bad.
#[test]
fn stats_reports_deck_errors_before_the_learner_and_writes_nothing() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("理论联系实际、密切联系群众、批评与自我批评\n4\n")
        .run();
    let out = out
        .then()
        .now(NOW)
        .write("d/bad.toml", "[deck]\nid = \"bad\"\ntitle = \n")
        .args(["--decks", "d", "--learner", "没有这个人", "stats"])
        .stderr_has("d/bad.toml")
        .stderr_lacks("没有这个人")
        .status(1)
        .run();
    let out = out
        .then()
        .now(NOW)
        .args(["--learner", "没有这个人", "stats", "--deck", "nope"])
        .stderr_has("没有找到卡组“nope”")
        .stderr_lacks("学习者")
        .status(2)
        .run();
    let db = out.db();
    let _kept = out
        .then()
        .now(NOW)
        .write("d/bad.toml", "[deck]\nid = \"bad\"\ntitle = \n")
        .args(["--decks", "d", "--exam-date", "2027-01-01", "stats"])
        .stderr_has("d/bad.toml")
        .status(1)
        .run();
    let conn = rusqlite::Connection::open(&db).expect("open the progress database");
    let exam: Option<String> = conn
        .query_row("SELECT exam_date FROM learners", [], |r| r.get(0))
        .expect("one learner");
    assert_eq!(exam, None, "no exam date stored when the decks are bad");
}

#[test]
fn stats_from_the_state_snapshot_match_stats_read_whole() {
    // A card learnt, a start that leaves a snapshot, then another answer.
    let out = Test::new()
        .now("2026-03-01T09:00:00+08:00")
        .args(["study", "--deck", "wu-ge-bi-yu"])
        .stdin("铜墙铁壁、眼睛、上帝、土地、水\n4\n")
        .run();
    let out = out
        .then()
        .now("2026-03-01T09:00:00+08:00")
        .args(["stats", "--json"])
        .run();
    let snapshots = out.dir.path().join("cache/dangke/states");
    assert!(snapshots.is_dir(), "stats left a snapshot");
    let out = out
        .then()
        .now("2026-03-01T09:05:00+08:00")
        .args(["study", "--deck", "wu-ge-bi-yu"])
        .stdin("不知道\n1\n")
        .run();
    let out = out
        .then()
        .now("2026-03-01T09:10:00+08:00")
        .args(["stats", "--json"])
        .run();
    let from_snapshot = out.stdout.clone();
    assert!(from_snapshot.contains("\"learning\": 1"), "{from_snapshot}");
    std::fs::remove_dir_all(&snapshots).expect("remove the snapshots");
    let out = out
        .then()
        .now("2026-03-01T09:10:00+08:00")
        .args(["stats", "--json"])
        .run();
    assert_eq!(out.stdout, from_snapshot);
}
