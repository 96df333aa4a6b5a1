//! One module per subcommand. Each takes the validated config and an output
//! sink, and returns the exit code or a typed error for `main` to print.

pub mod check;
pub mod contest;
pub mod contests;
pub mod db;
pub mod decks;
pub mod grade;
pub mod learners;
pub mod optimize;
pub mod quiz;
pub mod stats;
pub mod study;

use std::io::Write;

use crate::cli::{Command, DbAction, ExamDate};
use crate::config::Config;
use crate::deck::Library;
use crate::error::{Error, Exit, Result};
use crate::schedule::{Scheduler, Settings};
use crate::store::{LearnerRow, Store};

pub fn run(command: Option<&Command>, config: &Config, out: &mut dyn Write) -> Result<Exit> {
    match command {
        Some(Command::Check { paths, seeds }) => check::run(config, paths, seeds.as_deref(), out),
        Some(Command::Grade { card, answer, json }) => grade::run(config, card, answer, *json, out),
        Some(Command::Learners) => learners::run(config, out),
        Some(Command::Stats { deck, json }) => stats::run(config, deck.as_deref(), *json, out),
        Some(Command::Optimize) => optimize::run(config, out),
        Some(Command::Db {
            action: DbAction::Check,
        }) => db::check(config, out),
        Some(Command::Decks) => decks::run(config, out),
        Some(Command::Contest {
            file,
            export,
            export_log,
            rehearsal,
            learners,
            seed,
        }) => contest::run(
            config,
            &contest::Options {
                file: file.as_deref(),
                export: export.as_deref(),
                export_log: export_log.as_deref(),
                rehearsal: *rehearsal,
                learners: learners.as_deref(),
                seed: *seed,
            },
            out,
        ),
        Some(Command::Contests {
            id,
            export,
            export_log,
        }) => contests::run(config, *id, export.as_deref(), export_log.as_deref(), out),
        Some(Command::Study {
            filter,
            mistakes,
            new_per_day,
            reviews_per_day,
        }) => study::run(
            config,
            filter,
            &study::Options {
                mistakes: *mistakes,
                new_per_day: *new_per_day,
                reviews_per_day: *reviews_per_day,
            },
            out,
        ),
        Some(Command::Quiz {
            count,
            filter,
            time,
        }) => quiz::run(config, *count, filter, *time, out),
        None => study::run(
            config,
            &crate::cli::FilterArgs::default(),
            &study::Options::default(),
            out,
        ),
    }
}

/// Loads every deck, or fails with every error found. Warnings inside deck
/// files are not shown here (`dangke check` is where authors see them);
/// a whole file skipped (a FIFO, a device) is said on stderr.
pub fn load_library(config: &Config) -> Result<Library> {
    let (library, warnings) = Library::load_cached(&config.deck_dirs, config.deck_cache.as_deref())
        .map_err(|report| Error::Decks(report.errors_only()))?;
    let painter = crate::term::Painter::new(config.colors.stderr);
    for d in warnings.diagnostics.iter().filter(|d| d.position.is_none()) {
        eprintln!("{}", d.render(&painter));
    }
    Ok(library)
}

/// Opens the progress database and the current learner, storing a new
/// exam date or retention if one was given.
pub fn open_learner(config: &Config) -> Result<(Store, LearnerRow)> {
    let mut store = Store::open(&config.db)?;
    let mut learner = store.learner(&config.learner, config.clock.secs())?;
    if let Some(exam) = config.exam_date {
        let date = match exam {
            ExamDate::Set(date) => Some(date),
            ExamDate::Clear => None,
        };
        store.set_exam_date(learner.id, date)?;
        learner.exam_date = date;
    }
    if let Some(retention) = config.retention {
        store.set_retention(learner.id, retention)?;
        learner.desired_retention = retention;
    }
    Ok((store, learner))
}

/// The scheduler for a learner: their parameters, retention and exam date.
pub fn scheduler(learner: &LearnerRow) -> Result<Scheduler> {
    let settings = Settings {
        desired_retention: learner.desired_retention,
        exam_day: learner.exam_date,
        fuzz_seed: crate::hash::stable_hash(&[learner.name.as_bytes()]),
        ..Settings::default()
    };
    Ok(Scheduler::new(learner.parameters.as_deref(), settings)?)
}

/// The card filter from the command line, checked against the library.
pub fn card_filter(
    library: &Library,
    args: &crate::cli::FilterArgs,
) -> Result<crate::session::CardFilter> {
    for id in &args.deck {
        if library.deck(id).is_none() {
            let ids: Vec<&str> = library.decks.iter().map(|d| d.id.as_str()).collect();
            return Err(Error::NotFound(format!(
                "没有找到卡组“{id}”（已加载：{}）",
                ids.join("、")
            )));
        }
    }
    Ok(crate::session::CardFilter {
        decks: args.deck.clone(),
        tags: args.tag.clone(),
        kinds: args.kinds.clone(),
    })
}

/// The clock for the action happening now: fixed under `--now`, otherwise
/// the system clock read at this moment (the terminal layer may read it;
/// core modules are handed the result).
pub fn clock_now(config: &Config) -> crate::clock::Clock {
    if config.fixed_time {
        config.clock.clone()
    } else {
        crate::clock::Clock::new(jiff::Timestamp::now(), config.clock.tz.clone())
    }
}

/// Describes when a card is next due, relative to now.
pub fn describe_due(due: i64, clock: &crate::clock::Clock) -> String {
    let secs = due - clock.secs();
    if secs < 60 {
        return "现在".to_owned();
    }
    if secs < 3600 {
        return format!("{} 分钟后", (secs + 59) / 60);
    }
    let day = clock.day_of(due);
    let days = clock.today().until(day).map_or(0, |s| s.get_days());
    match days {
        0 => format!("{} 小时后", (secs + 3599) / 3600),
        1 => "明天".to_owned(),
        2 => "后天".to_owned(),
        d => format!("{d} 天后（{day}）"),
    }
}
