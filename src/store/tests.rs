//! The store on real files and in memory.

use super::*;
use crate::grade::Outcome;
use crate::schedule::{CardState, Phase, Rating};

pub(super) fn state(due: i64) -> CardState {
    CardState {
        phase: Phase::Review,
        step: 0,
        memory: Some(fsrs::MemoryState {
            stability: 3.5,
            difficulty: 5.25,
        }),
        due,
        reps: 2,
        lapses: 1,
        last_review: Some(due - 86_400),
    }
}

pub(super) fn review<'a>(learner_id: i64, key: &'a str, at: i64) -> NewReview<'a> {
    NewReview {
        learner_id,
        card_key: key,
        session_id: None,
        at,
        rating: Rating::Good,
        verdict: Outcome::Correct,
        score: 1.0,
        response_ms: 4200,
        mode: "study",
        phase_before: Phase::New,
        content_hash: "abc",
    }
}

#[test]
fn migrates_an_empty_file_and_marks_it_ours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/progress.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let app: i32 = store
        .conn()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    let mode: String = store
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(store.integrity_check().unwrap().is_empty());
    // An empty (0-byte) file is adopted too.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(
        Store::open(&empty).unwrap().schema_version().unwrap(),
        MIGRATIONS.len() as i64
    );
}

#[test]
fn an_old_database_is_migrated_forward_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        // A database as the first release left it: schema version 1.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.execute(
            "INSERT INTO learners (name, created_at) VALUES ('老用户', 1)",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let indexes: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'reviews_by_mode'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 1);
    assert!(store.find_learner("老用户").unwrap().is_some());
}

/// Two dangke started at once on a database from an older release: one
/// migrates it while the other waits for the write lock. The one that
/// waited finds the file already at this release's version and opens it;
/// that version is not "newer than this dangke".
#[test]
fn a_database_migrated_by_another_process_while_waiting_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    let other = rusqlite::Connection::open(&path).unwrap();
    let mode: String = other
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    other.execute_batch(MIGRATIONS[0]).unwrap();
    other.pragma_update(None, "user_version", 1).unwrap();
    other
        .pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    // The other process has taken the write lock to migrate.
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut store = Store::wrap(
        rusqlite::Connection::open(&path).unwrap(),
        Some(&path),
        false,
    );
    let mut other = Some(other);
    // Called when this store finds the lock taken: the other process
    // finishes its migration and lets go of the lock.
    store
        .conn
        .busy_handler(Some(move |_| {
            if let Some(other) = other.take() {
                for (i, sql) in MIGRATIONS.iter().enumerate().skip(1) {
                    other.execute_batch(sql).unwrap();
                    other
                        .pragma_update(None, "user_version", i as i64 + 1)
                        .unwrap();
                }
                other.execute_batch("COMMIT").unwrap();
            }
            true
        }))
        .unwrap();
    // Read before the other process committed: still version 1.
    assert_eq!(store.schema_version().unwrap(), 1);
    store.migrate().expect("opened after waiting");
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
}

#[test]
fn progress_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    {
        let mut store = Store::open(&path).unwrap();
        let l = store.learner("小王", 100).unwrap();
        store
            .record_review(&review(l.id, "d/c", 1000), &state(5000))
            .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let l = store.learner("小王", 200).unwrap();
    let rows = store.card_rows(l.id).unwrap();
    assert_eq!(rows["d/c"].state, state(5000));
    assert_eq!(rows["d/c"].content_hash, "abc");
    assert_eq!(store.review_count(l.id).unwrap(), 1);
}

#[test]
fn a_file_that_is_not_ours_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "我的学习笔记，不是数据库").unwrap();
    let before = std::fs::read(&text).unwrap();
    assert!(matches!(Store::open(&text), Err(StoreError::NotSqlite(_))));
    assert_eq!(std::fs::read(&text).unwrap(), before);

    let other = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE accounts (id INTEGER); INSERT INTO accounts VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let err = Store::open(&other).err().expect("refused");
    assert!(
        err.to_string().contains("不是 dangke 的进度数据库"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&other).unwrap(),
        before,
        "the foreign database was modified"
    );
    assert!(!dir.path().join("other.db-wal").exists());
}

#[test]
fn a_database_from_a_newer_dangke_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::TooNew { found: 99, .. })
    ));
}

#[test]
fn undo_marks_the_review_and_restores_the_previous_state() {
    let mut store = Store::open_in_memory().unwrap();
    let l = store.learner("甲", 0).unwrap();
    let first = store
        .record_review(&review(l.id, "d/c", 10), &state(100))
        .unwrap();
    let before = store.card_rows(l.id).unwrap()["d/c"].clone();
    let second = store
        .record_review(&review(l.id, "d/c", 20), &state(900))
        .unwrap();
    store
        .undo_review(l.id, second, "d/c", Some(&before))
        .unwrap();
    assert_eq!(store.card_rows(l.id).unwrap()["d/c"], before);
    assert_eq!(store.review_count(l.id).unwrap(), 1);
    store.undo_review(l.id, first, "d/c", None).unwrap();
    assert!(store.card_rows(l.id).unwrap().is_empty());
    // The log keeps both rows.
    let all: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))
        .unwrap();
    assert_eq!(all, 2);
}

#[test]
fn learners_are_separate_and_listed_with_counts() {
    let mut store = Store::open_in_memory().unwrap();
    let a = store.learner("甲", 0).unwrap();
    let b = store.learner("乙", 0).unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(store.learner("甲", 5).unwrap().id, a.id);
    store
        .record_review(&review(a.id, "d/c", 10), &state(100))
        .unwrap();
    let list = store.learners().unwrap();
    let counts: Vec<(String, i64)> = list.iter().map(|(l, n, _)| (l.name.clone(), *n)).collect();
    assert_eq!(counts, vec![("乙".to_owned(), 0), ("甲".to_owned(), 1)]);
    assert!(store.card_rows(b.id).unwrap().is_empty());
}

#[test]
fn settings_round_trip() {
    let mut store = Store::open_in_memory().unwrap();
    let l = store.learner("甲", 0).unwrap();
    assert_eq!(
        (l.desired_retention, l.exam_date, l.parameters.clone()),
        (0.9, None, None)
    );
    store
        .set_exam_date(l.id, Some(jiff::civil::date(2026, 6, 30)))
        .unwrap();
    store.set_parameters(l.id, &[0.5, 1.5]).unwrap();
    let l = store.learner("甲", 0).unwrap();
    assert_eq!(l.exam_date, Some(jiff::civil::date(2026, 6, 30)));
    assert_eq!(l.parameters, Some(vec![0.5, 1.5]));
}

#[test]
fn today_counts_new_and_review_answers_separately() {
    let mut store = Store::open_in_memory().unwrap();
    let l = store.learner("甲", 0).unwrap();
    store
        .record_review(&review(l.id, "d/a", 50), &state(100))
        .unwrap();
    store
        .record_review(&review(l.id, "d/b", 150), &state(100))
        .unwrap();
    let mut r = review(l.id, "d/a", 160);
    r.phase_before = Phase::Review;
    store.record_review(&r, &state(100)).unwrap();
    let mut quiz = review(l.id, "d/c", 170);
    quiz.mode = "quiz";
    store.record_review(&quiz, &state(100)).unwrap();
    assert_eq!(store.done_since(l.id, 100).unwrap(), (1, 1));
}

#[test]
fn burying_hides_a_new_card_until_the_given_time() {
    let mut store = Store::open_in_memory().unwrap();
    let l = store.learner("甲", 0).unwrap();
    store.bury(l.id, "d/new", 500, None, "h", 10).unwrap();
    let rows = store.card_rows(l.id).unwrap();
    assert_eq!(rows["d/new"].buried_until, Some(500));
    assert_eq!(rows["d/new"].state.phase, Phase::New);
}

#[test]
fn a_stale_state_is_not_overwritten() {
    let mut store = Store::open_in_memory().unwrap();
    let l = store.learner("甲", 0).unwrap();
    let first = state(5000);
    assert!(matches!(
        store
            .record_review_if(&review(l.id, "d/c", 1000), &first, Some(None))
            .unwrap(),
        Recorded::Done(_)
    ));
    // A second session still believes the card is new.
    let stale = store
        .record_review_if(&review(l.id, "d/c", 1001), &state(9000), Some(None))
        .unwrap();
    match stale {
        Recorded::Stale(Some(row)) => assert_eq!(row.state, first),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.review_count(l.id).unwrap(), 1);
    assert_eq!(store.card_rows(l.id).unwrap()["d/c"].state, first);
    // Computed from the current state, it is written.
    assert!(matches!(
        store
            .record_review_if(&review(l.id, "d/c", 1002), &state(9000), Some(Some(&first)))
            .unwrap(),
        Recorded::Done(_)
    ));
    assert_eq!(store.review_count(l.id).unwrap(), 2);
}

#[test]
fn a_session_row_is_written_with_its_first_answer_only() {
    let mut store = Store::open_in_memory().unwrap();
    let l = store.learner("甲", 0).unwrap();
    let sessions = |s: &Store| s.one::<i64>("SELECT count(*) FROM sessions", []).unwrap();
    let idle = store.start_session(l.id, "study", 10).unwrap();
    store.end_session(idle, 20).unwrap();
    assert_eq!(sessions(&store), Some(0));
    let busy = store.start_session(l.id, "study", 30).unwrap();
    let mut r = review(l.id, "d/c", 40);
    r.session_id = Some(busy);
    store.record_review(&r, &state(5000)).unwrap();
    r.at = 50;
    store.record_review(&r, &state(6000)).unwrap();
    store.end_session(busy, 60).unwrap();
    assert_eq!(sessions(&store), Some(1));
    let (started, ended): (i64, i64) = store
        .conn()
        .query_row("SELECT started_at, ended_at FROM sessions", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((started, ended), (30, 60));
    let linked: i64 = store
        .one(
            "SELECT count(*) FROM reviews WHERE session_id = (SELECT id FROM sessions)",
            [],
        )
        .unwrap()
        .unwrap();
    assert_eq!(linked, 2);
}

#[test]
fn reading_a_missing_file_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/progress.db");
    assert!(matches!(
        Store::open_read(&path),
        Err(StoreError::Missing(_))
    ));
    assert!(!dir.path().join("sub").exists());
}

#[test]
fn suggested_commands_quote_a_path_only_when_a_shell_needs_it() {
    use super::{restore_command, shell_arg};
    assert_eq!(shell_arg(Path::new("/tmp/学习/x.db")), "/tmp/学习/x.db");
    let spaced = shell_arg(Path::new("/tmp/my docs/x.db"));
    if cfg!(windows) {
        assert_eq!(spaced, "\"/tmp/my docs/x.db\"");
    } else {
        assert_eq!(spaced, "'/tmp/my docs/x.db'");
        assert_eq!(shell_arg(Path::new("it's.db")), "'it'\\''s.db'");
    }
    let cmd = restore_command(Path::new("/tmp/x.db"), Path::new("/tmp/x.db.backup-1"));
    assert_eq!(cmd, "dangke db restore /tmp/x.db.backup-1 --db /tmp/x.db");
}

#[test]
fn a_file_shorter_than_the_sqlite_header_is_told_apart_from_a_truncated_one() {
    let dir = tempfile::tempdir().unwrap();
    // Five bytes: too short to be SQLite at all (and no panic on slicing).
    let tiny = dir.path().join("tiny.db");
    std::fs::write(&tiny, "hello").unwrap();
    assert!(matches!(Store::open(&tiny), Err(StoreError::NotSqlite(_))));
    assert!(matches!(
        Store::open_read(&tiny),
        Err(StoreError::NotSqlite(_))
    ));
    // 15 bytes of the magic: still not SQLite.
    let short = dir.path().join("short.db");
    std::fs::write(&short, &b"SQLite format 3\0"[..15]).unwrap();
    assert!(matches!(Store::open(&short), Err(StoreError::NotSqlite(_))));
    // Exactly the 16-byte magic, or 99 bytes: SQLite, but truncated.
    for len in [16usize, 99] {
        let cut = dir.path().join(format!("cut{len}.db"));
        let mut bytes = b"SQLite format 3\0".to_vec();
        bytes.resize(len, 1);
        std::fs::write(&cut, &bytes).unwrap();
        match Store::open(&cut) {
            Err(StoreError::Damaged { detail, .. }) => {
                assert_eq!(detail, "文件被截断", "{len} bytes")
            }
            other => panic!("{len} bytes: {:?}", other.err()),
        }
        assert_eq!(std::fs::read(&cut).unwrap(), bytes, "left untouched");
    }
}

#[test]
fn the_default_path_is_progress_db_in_dangkes_data_dir() {
    // Without a home directory there is no default (the user passes --db).
    let Some(base) = directories::BaseDirs::new() else {
        return;
    };
    let path = default_path().expect("a data directory exists");
    assert_eq!(path.file_name().unwrap(), "progress.db");
    assert!(path.starts_with(base.data_dir()), "{}", path.display());
    assert!(
        path.components().any(|c| c
            .as_os_str()
            .to_string_lossy()
            .eq_ignore_ascii_case("dangke")),
        "{}",
        path.display()
    );
}

/// Only a lock makes a write wait: any other failure (here a review of a
/// learner who does not exist, refused by the foreign key) is returned at
/// once, without asking the wait hook (whose “等待数据库…” would otherwise
/// be shown forever).
#[test]
fn a_failed_write_that_is_not_a_lock_is_not_waited_on() {
    let mut store = Store::open_in_memory().unwrap();
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = asked.clone();
    store.set_wait_hook(Box::new(move |_| {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        false
    }));
    let mut r = review(9999, "d/c", 100);
    r.session_id = None;
    let err = store
        .record_review(&r, &crate::schedule::CardState::unseen(100))
        .unwrap_err();
    assert!(matches!(err, StoreError::Sqlite(_)), "{err:?}");
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// A quiz or contest mistake goes into study: make_due brings a card's
/// due time forward to now (never later) and lifts a burial; a card never
/// studied gets a new card's row, due now.
#[test]
fn make_due_brings_a_card_forward_and_lifts_its_burial() {
    let mut store = Store::open_in_memory().unwrap();
    let l = store.learner("甲", 0).unwrap();
    let mut row = CardRow {
        state: state(5_000),
        content_hash: "h".into(),
        buried_until: Some(9_000),
    };
    store.make_due(l.id, "d/c", 1_000, Some(&row), "h").unwrap();
    let stored = store.card_row(l.id, "d/c").unwrap().unwrap();
    assert_eq!(stored.state.due, 1_000);
    assert_eq!(stored.buried_until, None);
    assert_eq!(stored.state.reps, row.state.reps, "the rest is kept");
    // Already due earlier: stays as due as it was.
    row.state.due = 500;
    store.make_due(l.id, "d/c", 1_000, Some(&row), "h").unwrap();
    assert_eq!(store.card_row(l.id, "d/c").unwrap().unwrap().state.due, 500);
    store.make_due(l.id, "d/new", 1_000, None, "x").unwrap();
    let new = store.card_row(l.id, "d/new").unwrap().unwrap();
    assert_eq!(new.state.phase, Phase::New);
    assert_eq!(new.state.due, 1_000);
    assert_eq!(new.content_hash, "x");
}

/// Reading a database whose creation was cut short (a 0-byte file) says
/// so and leaves the file as it was: no bytes, no -wal or -shm.
#[test]
fn reading_an_unfinished_file_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.db");
    std::fs::write(&path, b"").unwrap();
    let err = Store::open_read(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Unfinished(_)), "{err:?}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["progress.db"]);
}
