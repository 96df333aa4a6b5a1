//! Progress-store benchmark: `cargo bench --bench store`.
//!
//! Generates databases (kept in target/bench-data between runs), then
//! measures each scenario in a fresh child process so times are cold-ish
//! and peak memory is the scenario's own:
//! - shipped decks + 100k reviews: load decks, open, first card;
//! - 50k cards + 1M reviews: the 50k-card deck loaded from its TOML file
//!   (the first run parses it and writes the compiled cache, later runs
//!   read the cache), open + due queue + first card, the next card after
//!   an answer (the incremental queue, commit excluded), stats, peak RSS;
//! - one rated answer durably committed (WAL, synchronous=FULL), against a
//!   bare SQLite INSERT + COMMIT on the same disk as the floor.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use dangke::clock::Clock;
use dangke::deck::Library;
use dangke::grade::{Outcome, Verdict};
use dangke::schedule::{Rating, Scheduler, Settings};
use dangke::session::{CardFilter, LearnerMarks, Start, Study, entries};
use dangke::store::Store;

const NOW: i64 = 1_780_000_000;
const DAY: i64 = 86_400;

fn clock() -> Clock {
    Clock::new(
        jiff::Timestamp::from_second(NOW).unwrap(),
        jiff::tz::TimeZone::get("Asia/Shanghai").unwrap(),
    )
}

/// A deck file of `cards` qa cards (`bench/c0` …), written once.
fn write_deck(dir: &Path, cards: usize) {
    let file = dir.join("bench.toml");
    if file.exists() {
        return;
    }
    std::fs::create_dir_all(dir).unwrap();
    let mut text = String::from("[deck]\nid = \"bench\"\ntitle = \"基准\"\n\n");
    for i in 0..cards {
        text.push_str(&format!(
            "[[card]]\nid = \"c{i}\"\nkind = \"qa\"\nprompt = \"第{i}题：党的群众路线教育实践活动的主要内容是什么？\"\nanswer = \"答案{i}\"\n\n"
        ));
    }
    std::fs::write(file, text).unwrap();
}

/// A database with `keys` cards studied and `reviews` reviews spread over
/// the last two years.
fn generate(path: &Path, keys: &[String], reviews: usize) {
    if path.exists() {
        return;
    }
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut store = Store::open(&tmp).unwrap();
    let learner = store.learner("bench", 0).unwrap();
    drop(store);
    let mut conn = rusqlite::Connection::open(&tmp).unwrap();
    conn.pragma_update(None, "synchronous", "OFF").unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut state = tx
            .prepare(
                "INSERT INTO card_states (learner_id, card_key, phase, step, stability, difficulty, due, reps, lapses, last_review, content_hash)
                 VALUES (?1, ?2, 2, 0, ?3, 5.0, ?4, 5, ?5, ?6, 'h')",
            )
            .unwrap();
        for (i, key) in keys.iter().enumerate() {
            let due = NOW + ((i as i64 * 7919) % (60 * DAY)) - 20 * DAY;
            state
                .execute(rusqlite::params![
                    learner.id,
                    key,
                    1.0 + (i % 90) as f64,
                    due,
                    (i % 6) as i64,
                    due - 10 * DAY
                ])
                .unwrap();
        }
        let mut review = tx
            .prepare(
                "INSERT INTO reviews (learner_id, card_key, reviewed_at, rating, verdict, score, response_ms, mode, phase_before, content_hash)
                 VALUES (?1, ?2, ?3, ?4, 'correct', 1.0, 5000, 'study', 2, 'h')",
            )
            .unwrap();
        for i in 0..reviews {
            let key = &keys[(i * 31) % keys.len()];
            let at = NOW - 730 * DAY + (i as i64 * 730 * DAY) / reviews as i64;
            review
                .execute(rusqlite::params![learner.id, key, at, 1 + (i % 4) as i64])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    drop(conn);
    std::fs::rename(&tmp, path).unwrap();
}

/// CPU time of this thread so far: on a loaded machine a scenario's wall
/// time is mostly waiting for a core; its CPU time is what it costs.
#[cfg(unix)]
fn cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[cfg(not(unix))]
fn cpu() -> Duration {
    Duration::ZERO
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Child process: one scenario, timed, with its peak memory.
fn measure(scenario: &str, db: &Path) {
    let clock = clock();
    let dir = db.parent().unwrap();
    let cache = dir.join(format!("deck-cache-{scenario}"));
    let cached = cache.exists();
    // A scratch copy: the scenario answers cards.
    let scratch = db.with_extension("run");
    for sfx in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{sfx}", scratch.display()));
    }
    std::fs::copy(db, &scratch).unwrap();
    let db = scratch.as_path();
    let start = Instant::now();
    let library = match scenario {
        "shipped" => Library::load_cached(&[], Some(&cache)).unwrap().0,
        _ => {
            Library::load_cached(&[dir.join("deck-50k")], Some(&cache))
                .unwrap()
                .0
        }
    };
    let decks_loaded = start.elapsed();
    let t = Instant::now();
    let c = cpu();
    let mut store = Store::open(db).unwrap();
    let learner = store.learner("bench", 0).unwrap();
    let sched = Scheduler::new(None, Settings::default()).unwrap();
    // As `dangke study` starts, on one thread here: the card states from
    // the snapshot in the cache folder (written by the first run) and the
    // changes since, then the learner's marks.
    let mut start = Start::new(entries(&library, &CardFilter::default()));
    start.rows = Some(
        store
            .card_brief_list_cached(
                learner.id,
                Some(&dir.join(format!("state-cache-{scenario}"))),
            )
            .unwrap(),
    );
    start.marks = Some(LearnerMarks::read(&store, learner.id, &clock).unwrap());
    let mut study = Study::start(
        &library,
        &mut store,
        learner.clone(),
        sched,
        start,
        false,
        &clock,
    )
    .unwrap();
    let first = study.next(&clock);
    let to_first = t.elapsed();
    let to_first_cpu = cpu() - c;
    assert!(first.is_some());
    // The next card after each of 100 answers (the commit is not timed).
    let verdict = right();
    let mut next_times = Vec::new();
    let mut turn = first;
    for _ in 0..100 {
        let Some(now) = turn else { break };
        study
            .rate(now.entry, &verdict, Rating::Good, 3000, &clock)
            .unwrap();
        let t = Instant::now();
        turn = study.next(&clock);
        next_times.push(t.elapsed());
    }
    next_times.sort();
    drop(study);
    let t = Instant::now();
    let c = cpu();
    // What `dangke stats` does: card states (from the snapshot and the
    // changes since: here the 100 answers above), and the review sums kept
    // per deck and 15-minute slot (rendering excluded).
    let list = store
        .card_brief_list_cached(
            learner.id,
            Some(&dir.join(format!("state-cache-{scenario}"))),
        )
        .unwrap();
    let rows = dangke::stats::states(&list);
    let window = dangke::stats::Window::new(&clock);
    let (total, slots) = store
        .review_sums(learner.id, window.since())
        .unwrap()
        .unwrap();
    let sums = dangke::stats::ReviewSums::from_slots(total, &slots, &window).unwrap();
    let stats = dangke::stats::compute(
        &dangke::stats::Input {
            learner: "bench",
            library: &library,
            rows: &rows,
            reviews: &sums,
            deck_filter: None,
        },
        &clock,
    );
    let stats_time = t.elapsed();
    let stats_cpu = cpu() - c;
    println!(
        "{scenario}: decks {:.1} ms ({}); open + due queue + first card {:.1} ms (CPU {:.1} ms); next card after an answer: median {:.1} µs, max {:.1} µs; stats {:.1} ms (CPU {:.1} ms; {} reviews in 12 weeks, total {}); peak RSS {:.0} MB",
        ms(decks_loaded),
        if cached {
            "compiled cache"
        } else {
            "parsed, cache written"
        },
        ms(to_first),
        ms(to_first_cpu),
        next_times[next_times.len() / 2].as_secs_f64() * 1e6,
        next_times[next_times.len() - 1].as_secs_f64() * 1e6,
        ms(stats_time),
        ms(stats_cpu),
        stats.heatmap.iter().map(|(_, n)| n).sum::<usize>(),
        stats.reviews_total,
        peak_rss_mb()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn right() -> Verdict {
    Verdict {
        outcome: Outcome::Correct,
        score: 1.0,
        parts: Vec::new(),
        missing: Vec::new(),
        extra: Vec::new(),
        slips: Vec::new(),
        misplaced: Vec::new(),
        note: None,
    }
}

/// The floor: one INSERT + COMMIT in a bare WAL database with
/// synchronous=FULL, on the same disk.
fn bare_commits(db: &Path) -> Duration {
    let _ = std::fs::remove_file(db);
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        .unwrap();
    let mut times = Vec::new();
    for i in 0..200 {
        let t = Instant::now();
        conn.execute("INSERT INTO t (v) VALUES (?1)", [format!("row {i}")])
            .unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

/// Durable commit of one rated answer, many times.
fn commits(db: &Path) {
    let library = Library::load(&[]).unwrap().0;
    let mut store = Store::open(db).unwrap();
    let learner = store.learner("commit", 0).unwrap();
    let floor = bare_commits(&db.with_extension("bare"));
    let sched = Scheduler::new(None, Settings::default()).unwrap();
    let clock = clock();
    let mut study = Study::new(
        &library,
        &mut store,
        learner,
        sched,
        &CardFilter::default(),
        false,
        &clock,
    )
    .unwrap();
    let verdict = right();
    let mut times: Vec<Duration> = Vec::new();
    for i in 0..200 {
        let entry = i % study.entries.len();
        let t = Instant::now();
        study
            .rate(entry, &verdict, Rating::Good, 3000, &clock)
            .unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "rated answer committed (WAL, synchronous=FULL): median {:.2} ms, p95 {:.2} ms, max {:.2} ms over {} commits; floor (bare INSERT + COMMIT, same disk): median {:.2} ms",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[times.len() - 1]),
        times.len(),
        ms(floor)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let (Some("measure"), Some(scenario), Some(db)) =
        (args.get(1).map(String::as_str), args.get(2), args.get(3))
    {
        measure(scenario, Path::new(db));
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let shipped_keys: Vec<String> = Library::load(&[])
        .unwrap()
        .0
        .decks
        .iter()
        .flat_map(|d| d.cards.iter().map(move |c| c.key(d)))
        .collect();
    let big_keys: Vec<String> = (0..50_000).map(|i| format!("bench/c{i}")).collect();
    let t = Instant::now();
    let shipped_db = dir.join("shipped-100k-v8.db");
    let big_db = dir.join("50k-1m-v8.db");
    write_deck(&dir.join("deck-50k"), 50_000);
    // The first run of each scenario parses and writes the compiled cache.
    for scenario in ["shipped", "50k"] {
        let _ = std::fs::remove_dir_all(dir.join(format!("deck-cache-{scenario}")));
    }
    generate(&shipped_db, &shipped_keys, 100_000);
    generate(&big_db, &big_keys, 1_000_000);
    println!(
        "databases ready in {:.1} s ({})",
        t.elapsed().as_secs_f64(),
        dir.display()
    );
    let me = std::env::current_exe().unwrap();
    for (scenario, db) in [("shipped", &shipped_db), ("50k", &big_db)] {
        for _ in 0..3 {
            let status = Command::new(&me)
                .args(["measure", scenario])
                .arg(db)
                .status()
                .unwrap();
            assert!(status.success());
        }
    }
    let commit_db = dir.join("commits.db");
    let _ = std::fs::remove_file(&commit_db);
    commits(&commit_db);
}
