//! The progress file under faults: interrupted creation, damage, typos,
//! read-only use, newer versions, locks, parallel sessions, backups.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::test::{Test, dangke, reviews};

const NOW: &str = "2026-03-01T09:00:00+08:00";
const DECK: &str = "wu-ge-bi-yu";
/// The right answer to the first card of `DECK`.
const ANSWER: &str = "铜墙铁壁、眼睛、上帝、土地、水\n\n";

fn strace() -> Option<PathBuf> {
    ["/usr/bin/strace", "/bin/strace"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Runs dangke under strace, killed at its `when`-th fsync; returns
/// (killed, stdout).
fn killed_at_fsync(dir: &Path, when: u32, args: &[&str], stdin: &str) -> (bool, String) {
    let strace = strace().expect("strace");
    let bin = assert_cmd::cargo::cargo_bin("dangke");
    let template = dangke(dir, Some(NOW));
    let mut cmd = Command::new(strace);
    cmd.args(["-f", "-o", "/dev/null", "-e", "trace=fsync,fdatasync", "-e"])
        .arg(format!("inject=fsync,fdatasync:signal=KILL:when={when}"))
        .arg(bin)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in template.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code() != Some(0), stdout)
}

fn check_passes(dir: &Path) {
    let out = dangke(dir, Some(NOW))
        .args(["db", "check"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("完整性检查通过"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Kills `args` at every fsync it makes (until it runs through), each time
/// on a fresh copy made by `setup`; after each kill the file opens, passes
/// `db check`, keeps every rating acknowledged before, and keeps the one
/// the killed run acknowledged.
fn kill_at_every_fsync(setup: impl Fn(&Path) -> usize, args: &[&str], what: &str) {
    if strace().is_none() {
        eprintln!("strace is not installed: fault injection for {what} skipped");
        return;
    }
    for when in 1.. {
        let dir = tempfile::tempdir().unwrap();
        let before = setup(dir.path());
        let (killed, stdout) = killed_at_fsync(dir.path(), when, args, ANSWER);
        let acknowledged = stdout.contains("已记录");
        // Any command works afterwards; a study session finishes the file.
        let out = dangke(dir.path(), Some(NOW))
            .args(["study", "--deck", DECK, "--learner", "乙"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{what}, killed at fsync {when}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        check_passes(dir.path());
        let rows = reviews(&dir.path().join("progress.db"));
        let expected = before + usize::from(acknowledged);
        assert!(
            rows.len() >= expected,
            "{what}, fsync {when}: {} reviews, expected {expected}",
            rows.len()
        );
        if !killed {
            assert!(when > 1, "{what}: no fsync at all");
            break;
        }
        assert!(when < 60, "{what}: never ran through");
    }
}

#[test]
fn a_kill_at_any_fsync_of_creation_migration_or_rating_loses_nothing() {
    let study = ["study", "--deck", DECK, "--learner", "甲"];
    // First creation (with one rating).
    kill_at_every_fsync(|_| 0, &study, "first creation");
    // A rating into an existing file with one acknowledged rating.
    kill_at_every_fsync(
        |dir| {
            let out = dangke(dir, Some(NOW))
                .args(["study", "--deck", "san-da-zuo-feng", "--learner", "甲"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .and_then(|mut c| {
                    c.stdin
                        .take()
                        .unwrap()
                        .write_all("理论联系实际、密切联系群众、批评与自我批评\n\n".as_bytes())?;
                    c.wait_with_output()
                })
                .unwrap();
            assert!(String::from_utf8_lossy(&out.stdout).contains("已记录"));
            1
        },
        &study,
        "a rating",
    );
    // A migration from version 2 (before contests), with one review.
    kill_at_every_fsync(
        |dir| {
            version_2_file(&dir.join("progress.db"));
            1
        },
        &study,
        "a migration",
    );
}

/// A database as dangke 0.1 with two migrations left it, with one review.
fn version_2_file(path: &Path) {
    let root = crate::test::crate_root().join("src/store/migrations");
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    for file in ["001_init.sql", "002_mode_index.sql"] {
        conn.execute_batch(&std::fs::read_to_string(root.join(file)).unwrap())
            .unwrap();
    }
    conn.execute_batch(
        "PRAGMA user_version = 2; PRAGMA application_id = 1684499301;
         INSERT INTO learners (name, created_at) VALUES ('甲', 0);
         INSERT INTO reviews (learner_id, card_key, reviewed_at, rating, verdict, score, response_ms,
                              mode, phase_before, content_hash)
         VALUES (1, 'san-da-zuo-feng/x', 1772300000, 3, 'correct', 1.0, 1000, 'study', 0, 'h');",
    )
    .unwrap();
}

#[test]
fn an_old_interrupted_creation_is_finished_not_refused() {
    // What a first run killed mid-creation by an older dangke left: an
    // empty file (or a header and a hot journal).
    let t = Test::new().write("progress.db", "");
    t.args(["stats"])
        .stderr_has("还是空的（上次创建时被中断）")
        .status(1)
        .run()
        .then()
        .now(NOW)
        .args(["study", "--deck", DECK])
        .stdin(ANSWER)
        .stdout_has("已记录")
        .run()
        .then()
        .args(["db", "check"])
        .stdout_has("完整性检查通过")
        .run();
}

#[test]
fn many_processes_creating_the_file_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..24)
        .map(|i| {
            dangke(dir.path(), Some(NOW))
                .args(["study", "--deck", DECK, "--learner", &format!("p{i}")])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = Test::in_dir(dir).args(["learners"]).stdout_has("p23").run();
    assert_eq!(out.stdout.matches("┆").count() / 4, 25, "{}", out.stdout);
    check_passes(out.dir.path());
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(out.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("creating"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn reading_commands_with_a_mistyped_path_create_nothing() {
    let t = Test::new();
    let typo = t.path("typo/progres.db");
    let mut t = t;
    for args in [
        vec!["db", "check"],
        vec!["stats"],
        vec!["learners"],
        vec!["contests"],
    ] {
        let mut test = t;
        for a in args {
            test = test.arg(a);
        }
        t = test
            .args(["--db", &typo])
            .stderr_has("不存在（还没有学习记录，或 --db 路径写错了）")
            .status(1)
            .run()
            .then();
    }
    assert!(!t.dir.path().join("typo").exists(), "a folder was created");
}

#[test]
fn a_mistyped_learner_is_named_not_created() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", DECK, "--learner", "张三"])
        .stdin(ANSWER)
        .run()
        .then()
        .args(["stats", "--learner", "张山"])
        .stderr_has("学习者“张山”不存在（已有：张三")
        .status(2)
        .run();
    let out = out.then().args(["learners"]).stdout_lacks("张山").run();
    drop(out);
}

/// The database file's bytes and its folder's entries.
fn snapshot(dir: &Path) -> (Vec<u8>, Vec<String>) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    (std::fs::read(dir.join("progress.db")).unwrap(), names)
}

#[test]
fn reading_commands_write_nothing() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", DECK])
        .stdin(ANSWER)
        .run();
    let before = snapshot(out.dir.path());
    let mut t = out.then();
    for args in [
        vec!["stats"],
        vec!["learners"],
        vec!["contests"],
        vec!["db", "check"],
    ] {
        for a in args {
            t = t.arg(a);
        }
        t = t.now(NOW).run().then();
        assert_eq!(snapshot(t.dir.path()), before, "a reading command wrote");
    }
    // Nor does a study session that answers nothing, nor a file sync.
    if let Some(strace) = strace() {
        let dir = t.dir.path();
        let log = dir.join("..").join(format!(
            "fsync-{}.log",
            dir.file_name().unwrap().to_string_lossy()
        ));
        for args in [vec!["stats"], vec!["study", "--deck", DECK]] {
            let template = dangke(dir, Some(NOW));
            let mut cmd = Command::new(&strace);
            cmd.args(["-f", "-e", "trace=fsync,fdatasync", "-o"])
                .arg(&log)
                .arg(assert_cmd::cargo::cargo_bin("dangke"))
                .args(&args)
                .current_dir(dir)
                .stdin(Stdio::null())
                .stdout(Stdio::null());
            for (k, v) in template.get_envs() {
                if let Some(v) = v {
                    cmd.env(k, v);
                }
            }
            assert!(cmd.status().unwrap().success());
            let trace = std::fs::read_to_string(&log).unwrap();
            let _ = std::fs::remove_file(&log);
            assert_eq!(trace.matches("sync(").count(), 0, "{args:?}: {trace}");
        }
        assert_eq!(snapshot(dir).0, before.0);
    }
}

#[test]
fn a_damaged_file_is_called_damaged_kept_untouched_and_restorable() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", DECK])
        .stdin(ANSWER)
        .run()
        .then()
        .now("2026-03-02T09:00:00+08:00")
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("理论联系实际、密切联系群众、批评与自我批评\n\n")
        .stdout_has("已记录")
        .run();
    let dir = out.dir.path().to_owned();
    let db = out.db();
    // Each study day's backup was made next to the database, after the
    // day's first write.
    assert!(dir.join("progress.db.backup-2026-03-01").exists());
    let backup = dir.join("progress.db.backup-2026-03-02");
    assert!(backup.exists());
    // Truncate the file.
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..bytes.len() / 2]).unwrap();
    let damaged = std::fs::read(&db).unwrap();
    let out = out
        .then()
        .args(["stats"])
        .stderr_has("已损坏（文件被截断），未做任何修改")
        .stderr_has("最新的完好备份是")
        .status(1)
        .run()
        .then()
        .now(NOW)
        .args(["study", "--deck", DECK])
        .stdin(ANSWER)
        .stderr_has("已损坏")
        .status(1)
        .run()
        .then()
        .args(["db", "check"])
        .stdout_has("已损坏")
        .status(1)
        .run();
    assert_eq!(
        std::fs::read(&db).unwrap(),
        damaged,
        "the damaged file was changed"
    );
    let out = out
        .then()
        .args(["db", "restore", "progress.db.backup-2026-03-02"])
        .stdout_has("原来的文件另存为")
        .run();
    assert_eq!(
        std::fs::read(dir.join("progress.db.before-restore-1")).unwrap(),
        damaged
    );
    assert_eq!(out.reviews().len(), 2);
    check_passes(&dir);
}

#[test]
fn db_check_lists_every_problem_and_names_the_newest_good_backup() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", DECK])
        .stdin(ANSWER)
        .run()
        .then()
        .args(["db", "backup", "good.db"])
        .stdout_has("已备份到 good.db")
        .run();
    {
        let conn = rusqlite::Connection::open(out.db()).unwrap();
        conn.execute_batch("DROP TABLE contest_actions; DROP TABLE contest_teams;")
            .unwrap();
    }
    let out = out
        .then()
        .args(["db", "check"])
        .stdout_has("缺少数据表 contest_teams")
        .stdout_has("缺少数据表 contest_actions")
        .stdout_has("完整性检查发现 2 个问题")
        .stdout_has("最新的完好备份")
        .status(1)
        .run();
    // Study does not write into a file known to be malformed.
    let out = out
        .then()
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("理论联系实际、密切联系群众、批评与自我批评\n\n")
        .stderr_has("已损坏（之前的检查发现：缺少数据表 contest_teams")
        .status(1)
        .run();
    assert_eq!(out.reviews().len(), 1);
    // Until a good backup is restored.
    out.then()
        .args(["db", "restore", "good.db"])
        .stdout_has("已用 good.db 恢复")
        .run()
        .then()
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("理论联系实际、密切联系群众、批评与自我批评\n\n")
        .stdout_has("已记录")
        .run();
}

#[test]
fn restore_checks_the_backup_first() {
    let t = Test::new().write("notes.db", "这是我的笔记");
    t.args(["db", "restore", "notes.db"])
        .stderr_has("不是 SQLite 数据库文件")
        .status(1)
        .run();
}

#[test]
fn a_newer_or_invalid_version_is_refused_before_anything_is_written() {
    for (version, message) in [(99, "来自更新版本的 dangke"), (-1, "版本号无效")] {
        let t = Test::new();
        let path = t.path("progress.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(&format!(
                "PRAGMA application_id = 1684499301; PRAGMA user_version = {version};
                 CREATE TABLE learners (id INTEGER PRIMARY KEY);"
            ))
            .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let out = t
            .now(NOW)
            .args(["study", "--deck", DECK])
            .stdin(ANSWER)
            .stderr_has(message)
            .stderr_has("未做任何修改")
            .status(1)
            .run();
        assert_eq!(out.db().display().to_string(), path);
        // Still a rollback-journal file (header bytes 18–19 = 1): the
        // journal mode was not switched to WAL.
        let after = std::fs::read(&path).unwrap();
        assert_eq!(after, before);
        assert_eq!(&after[18..20], &[1, 1]);
    }
}

#[test]
fn a_learner_name_of_control_characters_only_is_refused() {
    Test::new()
        .args(["stats", "--learner", "\u{1}\u{7f}\u{1b}"])
        .stderr_has("学习者名字只有控制字符")
        .status(2)
        .run();
}

#[test]
fn a_rating_waits_for_a_long_write_lock_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let out = Test::in_dir(dir)
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("")
        .run();
    let db = out.db();
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        locked_tx.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_secs(12));
        conn.execute_batch("COMMIT").unwrap();
    });
    locked_rx.recv().unwrap();
    let out = out
        .then()
        .now(NOW)
        .args(["study", "--deck", DECK])
        .stdin(ANSWER)
        .stdout_has("已记录")
        .stderr_has("等待数据库…")
        .run();
    holder.join().unwrap();
    assert_eq!(out.reviews().len(), 1);
}

#[test]
fn parallel_sessions_of_one_learner_keep_card_states_right() {
    let dir = tempfile::tempdir().unwrap();
    drop(
        dangke(dir.path(), Some(NOW))
            .args(["study", "--learner", "甲", "--deck", DECK])
            .stdin(Stdio::null())
            .output()
            .unwrap(),
    );
    // Six sessions of the same learner rate the same cards at once.
    // Ratings by Enter (the suggestion), so the "再学几张新卡？" question at
    // the daily limit reads no number and ends the session.
    let answers = "x\n\n".repeat(150);
    let children: Vec<_> = (0..6)
        .map(|_| {
            let mut c = dangke(dir.path(), Some(NOW))
                // The default allowance (20 new cards a day): `--new` would
                // add to it once per session.
                .args(["study", "--learner", "甲"])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = c.stdin.take().unwrap();
            let answers = answers.clone();
            std::thread::spawn(move || {
                let _ = stdin.write_all(answers.as_bytes());
            });
            c
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let conn = rusqlite::Connection::open(dir.path().join("progress.db")).unwrap();
    // Every card's reps is the number of its reviews: no update was lost.
    let wrong: i64 = conn
        .query_row(
            "SELECT count(*) FROM card_states s
             WHERE s.reps != (SELECT count(*) FROM reviews r
                              WHERE r.learner_id = s.learner_id AND r.card_key = s.card_key
                                AND NOT r.undone AND r.mode = 'study')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(wrong, 0);
    // The daily limit of new cards is the learner's, shared by the six
    // (each may have picked one new card while another was rating).
    let new: i64 = conn
        .query_row(
            "SELECT count(*) FROM reviews WHERE phase_before = 0 AND NOT undone",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Regression: each session's queue kept the new cards it chose at its
    // start, whatever the others used since (27 of 20 seen under load).
    assert!(new <= 20 + 5, "{new} new cards for a limit of 20");
}

#[test]
fn a_contest_waits_for_a_long_write_lock_instead_of_aborting() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", DECK])
        .stdin("")
        .run();
    let db = out.db();
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        locked_tx.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_secs(12));
        conn.execute_batch("COMMIT").unwrap();
    });
    locked_rx.recv().unwrap();
    let out = out
        .then()
        .now(NOW)
        .args(["contest"])
        .stdin("n\n+1\nq\n")
        .stdout_has("第 1 名  一组  110 分")
        .stderr_has("等待数据库…")
        .run();
    holder.join().unwrap();
    out.then().args(["contests"]).stdout_has("一组 110").run();
}

#[test]
fn a_deleted_wal_leaves_a_file_that_opens() {
    let dir = tempfile::tempdir().unwrap();
    let out = Test::in_dir(dir)
        .now(NOW)
        .args(["study", "--deck", DECK])
        .stdin(ANSWER)
        .run();
    // A session killed after a rating leaves its WAL and -shm behind;
    // then someone deletes the -wal.
    let mut child = dangke(out.dir.path(), Some(NOW))
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all("理论联系实际、密切联系群众、批评与自我批评\n\n".as_bytes())
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    while let Some(Ok(line)) = lines.next() {
        if line.contains("已记录") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    let wal = PathBuf::from(format!("{}-wal", out.db().display()));
    assert!(wal.exists());
    std::fs::remove_file(&wal).unwrap();
    let out = out.then().args(["learners"]).stdout_has("测试学员").run();
    check_passes(out.dir.path());
    out.then()
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("理论联系实际、密切联系群众、批评与自我批评\n\n")
        .stdout_has("已记录")
        .run();
}

#[test]
fn a_wal_deleted_while_another_session_runs_is_explained_and_nothing_is_lost() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin("")
        .run();
    let mut child = dangke(out.dir.path(), Some(NOW))
        .args(["study", "--deck", "san-da-zuo-feng"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all("理论联系实际、密切联系群众、批评与自我批评\n\n".as_bytes())
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    while let Some(Ok(line)) = lines.next() {
        if line.contains("已记录") {
            break;
        }
    }
    std::fs::remove_file(format!("{}-wal", out.db().display())).unwrap();
    let out = out
        .then()
        .args(["learners"])
        .stderr_has("日志文件（-wal）在另一个 dangke 还在使用时被删除了")
        .status(1)
        .run();
    // The running session ends normally and writes its progress back.
    drop(stdin);
    drop(lines);
    assert!(child.wait().unwrap().success());
    assert_eq!(out.reviews().len(), 1);
    check_passes(out.dir.path());
}

#[test]
fn a_migration_keeps_a_backup_of_the_old_version() {
    let t = Test::new();
    version_2_file(&t.dir.path().join("progress.db"));
    let out = t
        .now(NOW)
        .args(["study", "--deck", DECK, "--learner", "甲"])
        .stdin(ANSWER)
        .stdout_has("已记录")
        .run();
    let backup = out.dir.path().join("progress.db.backup-v2");
    let conn = rusqlite::Connection::open(&backup).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
    assert_eq!(reviews(&backup).len(), 1);
    assert_eq!(out.reviews().len(), 2);
    check_passes(out.dir.path());
}

#[test]
fn the_suggested_restore_command_can_be_pasted_into_a_shell() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", DECK])
        .stdin(ANSWER)
        .run();
    {
        let conn = rusqlite::Connection::open(out.db()).unwrap();
        conn.execute_batch("DROP TABLE contest_actions;").unwrap();
    }
    let dir = out.db().parent().unwrap().to_owned();
    let out = out.then().args(["db", "check"]).status(1).run();
    let text = out.stdout.clone();
    let line = text
        .lines()
        .find(|l| l.starts_with("恢复："))
        .unwrap_or_else(|| panic!("no restore line in {text}"));
    let command = line
        .trim_start_matches("恢复：")
        .split('（')
        .next()
        .unwrap();
    assert!(!command.contains('“') && !command.contains('”'), "{line}");
    // Run it as a shell would split it.
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(&words[..3], ["dangke", "db", "restore"], "{line}");
    assert!(Path::new(words[3]).exists(), "{line}");
    assert_eq!(Path::new(words[5]), dir.join("progress.db"), "{line}");
}

#[test]
fn a_missing_restore_source_is_named_as_the_backup() {
    Test::new()
        .args(["db", "restore", "nothing.db"])
        .stderr_has("无法读取备份文件“nothing.db”：文件或目录不存在")
        .status(1)
        .run();
}

#[test]
fn backup_into_a_folder_a_missing_folder_an_existing_file_or_itself() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", DECK])
        .stdin(ANSWER)
        .run();
    std::fs::create_dir(out.db().parent().unwrap().join("backups")).unwrap();
    out.then()
        .now(NOW)
        .args(["db", "backup", "backups/"])
        .stdout_has("已备份到 backups/progress.db.backup-2026-03-01T090000")
        .status(0)
        .run()
        .then()
        .args(["db", "backup", "nowhere/x.db"])
        .stderr_has("无法写入备份文件“nowhere/x.db”：文件或目录不存在")
        .status(1)
        .run()
        .then()
        .args(["db", "backup", "copy.db"])
        .stdout_has("已备份到 copy.db")
        .run()
        .then()
        .args(["db", "backup", "copy.db"])
        .stderr_has("“copy.db”已经存在，没有覆盖")
        .stderr_has("--force")
        .status(2)
        .run()
        .then()
        .args(["db", "backup", "copy.db", "--force"])
        .stdout_has("已备份到 copy.db")
        .status(0)
        .run()
        .then()
        .args(["db", "backup", "progress.db"])
        .stderr_has("就是进度数据库本身")
        .status(2)
        .run()
        .then()
        .args(["db", "restore", "progress.db"])
        .stderr_has("就是进度数据库本身")
        .status(2)
        .run();
}

/// The day's new cards are the learner's, not each session's: a session
/// that chose its new cards before another session used the allowance up
/// stops offering new cards after its next rating (it used to go through
/// every new card it had chosen at its start).
#[test]
fn a_session_started_earlier_stops_at_the_new_cards_another_used_up() {
    let dir = tempfile::tempdir().unwrap();
    let new_reviews = |dir: &Path| -> i64 {
        rusqlite::Connection::open(dir.join("progress.db"))
            .unwrap()
            .query_row(
                "SELECT count(*) FROM reviews WHERE phase_before = 0 AND NOT undone",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    // The database exists before the two sessions start.
    drop(
        dangke(dir.path(), Some(NOW))
            .args(["study", "--learner", "甲"])
            .stdin(Stdio::null())
            .output()
            .unwrap(),
    );
    // Two decks, so that neither session rates the other's cards.
    let mut first = dangke(dir.path(), Some(NOW))
        .args(["study", "--learner", "甲", "--deck", DECK])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Its queue is built and its first new card shown before the other
    // session starts.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let answers = "x\n\n".repeat(60);
    let out = dangke(dir.path(), Some(NOW))
        .args(["study", "--learner", "甲", "--deck", "ba-xiang-gui-ding"])
        .args([
            "--deck",
            "qun-zhong-gong-zuo-fang-fa",
            "--deck",
            "xin-fang-min-sheng",
        ])
        .args([
            "--deck",
            "ji-ceng-gong-zuo-fang-fa",
            "--deck",
            "qun-zhong-lu-xian",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(answers.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success());
    assert_eq!(new_reviews(dir.path()), 20, "the second session's day");
    let mut stdin = first.stdin.take().unwrap();
    let _ = stdin.write_all(answers.as_bytes());
    drop(stdin);
    assert!(first.wait().unwrap().success());
    // The card on its screen when the allowance ran out, and no more.
    assert_eq!(new_reviews(dir.path()), 21);
}
