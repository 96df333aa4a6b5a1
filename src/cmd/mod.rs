//! One module per subcommand. Each takes the validated config and an output
//! sink, and returns the exit code or a typed error for `main` to print.

pub mod cards;
pub mod check;
pub mod completions;
pub mod contest;
pub mod contests;
pub mod db;
pub mod decks;
pub mod export;
pub mod grade;
pub mod import;
pub mod learners;
pub mod live;
pub mod lives;
pub mod man;
pub mod optimize;
pub mod paper;
pub mod quiz;
pub mod schema;
pub mod stats;
pub mod study;

use std::io::Write;

use crate::cli::{Command, DbAction, ExamDate};
use crate::config::Config;
use crate::deck::Library;
use crate::error::{Error, Exit, Result};
use crate::schedule::{Scheduler, Settings};
use crate::store::{BriefList, LearnerRow, Store};

pub fn run(command: Option<&Command>, config: &Config, out: &mut dyn Write) -> Result<Exit> {
    match command {
        Some(Command::Check { paths, seeds }) => check::run(config, paths, seeds.as_deref(), out),
        Some(Command::Grade { card, answer, json }) => grade::run(config, card, answer, *json, out),
        Some(Command::Learners) => learners::run(config, out),
        Some(Command::Stats { deck, json }) => stats::run(config, deck.as_deref(), *json, out),
        Some(Command::Optimize) => optimize::run(config, out),
        Some(Command::Db { action }) => match action {
            DbAction::Check => db::check(config, out),
            DbAction::Backup { file, force } => db::backup(config, file.as_deref(), *force, out),
            DbAction::Restore { file } => db::restore(config, file, out),
        },
        Some(Command::Decks { coverage }) => decks::run(config, *coverage, out),
        Some(Command::Contest {
            file,
            export,
            export_log,
            rehearsal,
            learners,
            seed,
            resume,
            host,
            screen,
            buzzers,
        }) => contest::run(
            config,
            &contest::Options {
                file: file.as_deref(),
                export: export.as_deref(),
                export_log: export_log.as_deref(),
                rehearsal: *rehearsal,
                learners: learners.as_deref(),
                seed: *seed,
                resume: *resume,
                host: *host,
                screen: *screen,
                buzzers: *buzzers,
            },
            out,
        ),
        Some(Command::Contests {
            id,
            export,
            export_log,
        }) => contests::run(config, *id, export.as_deref(), export_log.as_deref(), out),
        Some(Command::Live {
            file,
            bind,
            port,
            resume,
            export,
            export_questions,
            seed,
        }) => live::run(
            config,
            &live::Options {
                file: file.as_deref(),
                bind: *bind,
                port: *port,
                resume: *resume,
                export: export.as_deref(),
                export_questions: export_questions.as_deref(),
                seed: *seed,
            },
            out,
        ),
        Some(Command::Lives {
            id,
            export,
            export_questions,
        }) => lives::run(
            config,
            *id,
            export.as_deref(),
            export_questions.as_deref(),
            out,
        ),
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
                more_new: *new_per_day,
                more_reviews: *reviews_per_day,
            },
            out,
        ),
        Some(Command::Cards(args)) => cards::run(config, args, out),
        Some(Command::Paper(args)) => paper::run(config, args, out),
        Some(Command::Schema) => schema::run(out),
        Some(Command::Completions { shell }) => completions::run(*shell, out),
        Some(Command::Man { out: dir }) => man::run(dir.as_deref(), out),
        Some(Command::Quiz {
            count,
            filter,
            time,
        }) => quiz::run(config, *count, filter, *time, out),
        Some(Command::Import {
            file,
            output,
            id,
            title,
            sheet,
            partial,
            force,
        }) => import::run(
            config,
            &import::Options {
                file,
                output: output.as_deref(),
                id: id.as_deref(),
                title: title.as_deref(),
                sheet: sheet.as_deref(),
                partial: *partial,
                force: *force,
            },
            out,
        ),
        Some(Command::Export {
            names,
            format,
            output,
            force,
        }) => export::run(config, names, *format, output, *force, out),
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

/// Opens the progress database to write (waiting visibly for another
/// program's lock, and making the day's backup) and the current learner,
/// storing a new exam date or retention if one was given.
pub fn open_learner(config: &Config) -> Result<(Store, LearnerRow)> {
    learner_in(config, open_writer(config)?)
}

/// The learner, its card states and marks, read before the learner was
/// settled.
pub type EarlyRows = (LearnerRow, BriefList, crate::session::LearnerMarks);

/// The database opened beside the decks, with the learner's rows if the
/// learner exists (see [`load_beside_store`]).
pub type OpenedEarly = Result<(Store, Option<EarlyRows>)>;

/// The decks and what `then` makes of them, and beside them (on another
/// thread, while the decks load: at 50k cards each side is about half of
/// a start) the database opened to write with the learner's card states.
/// The database is opened early only when it exists, so a command that
/// stops at a bad deck still creates nothing; otherwise the store comes
/// back as None. Errors come in the order they did one after the other:
/// the decks', then `then`'s, then the database's.
pub fn load_beside_store<T>(
    config: &Config,
    then: impl FnOnce(&Library) -> Result<T>,
) -> Result<(Library, T, Option<OpenedEarly>)> {
    if !config.db.is_file() {
        let library = load_library(config)?;
        let made = then(&library)?;
        return Ok((library, made, None));
    }
    let (loaded, opened) = std::thread::scope(|scope| {
        let side = scope.spawn(|| -> OpenedEarly {
            let store = open_writer(config)?;
            let rows = match store.find_learner(&config.learner)? {
                Some(l) => {
                    let briefs =
                        store.card_brief_list_cached(l.id, config.state_cache.as_deref())?;
                    let marks =
                        crate::session::LearnerMarks::read(&store, l.id, &clock_now(config))?;
                    Some((l, briefs, marks))
                }
                None => None,
            };
            Ok((store, rows))
        });
        let loaded = load_library(config).map(|library| {
            let made = then(&library);
            (library, made)
        });
        (loaded, side.join())
    });
    let opened = opened.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let (library, made) = loaded?;
    Ok((library, made?, Some(opened)))
}

/// [`open_learner`] on a store already open.
pub fn learner_in(config: &Config, mut store: Store) -> Result<(Store, LearnerRow)> {
    if store.find_learner(&config.learner)?.is_none() {
        // A mistyped --learner would otherwise start an empty record
        // silently; name the learners that exist so the slip is seen.
        let others: Vec<String> = store
            .learners()?
            .into_iter()
            .map(|(l, _, _)| crate::term::sanitize_line(&l.name))
            .collect();
        if !others.is_empty() {
            eprintln!(
                "新建学习者“{}”（已有：{}）",
                crate::term::sanitize_line(&config.learner),
                others.join("、")
            );
        }
    }
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

/// Remembers the user decks loaded now, so that later their cards are
/// not called deleted when the deck is simply not loaded.
pub fn note_user_decks(store: &mut Store, library: &Library, config: &Config) -> Result<()> {
    let user: Vec<(String, String)> = library
        .decks
        .iter()
        .filter(|d| matches!(d.origin, crate::deck::Origin::File(_)))
        .map(|d| (d.id.clone(), d.origin.display()))
        .collect();
    if !user.is_empty() {
        store.note_decks(&user, config.clock.secs())?;
    }
    Ok(())
}

/// Opens the progress database to write: a write that finds it locked
/// says “等待数据库…” on stderr and keeps waiting (Ctrl-C quits), and the
/// day's backup is made in the background after the first write.
pub fn open_writer(config: &Config) -> Result<Store> {
    let mut store = Store::open(&config.db)?;
    store.set_wait_hook(wait_hook());
    store.backup_after_first_write(config.clock.today());
    Ok(store)
}

/// Tells the person on stderr that dangke waits for another program.
pub fn wait_hook() -> crate::store::WaitHook {
    Box::new(|attempt| {
        if attempt == 1 || attempt % 10 == 0 {
            let _ = writeln!(
                std::io::stderr(),
                "等待数据库…（另一个程序正在写入进度数据库；答案会在它结束后保存，按 Ctrl-C 可退出）"
            );
        }
        true
    })
}

/// Opens the progress database and the current learner only to read: a
/// missing file or learner is an error, nothing is created or written.
/// A new exam date or retention makes it a write.
pub fn open_reader(config: &Config) -> Result<(Store, LearnerRow)> {
    if config.exam_date.is_some() || config.retention.is_some() {
        return open_learner(config);
    }
    let store = Store::open_read(&config.db)?;
    let learner = store.find_learner(&config.learner)?.ok_or_else(|| {
        let names: Vec<String> = store
            .learners()
            .unwrap_or_default()
            .into_iter()
            .map(|(l, _, _)| crate::term::sanitize_line(&l.name))
            .collect();
        Error::NotFound(if names.is_empty() {
            format!(
                "学习者“{}”不存在：这个数据库里还没有学习者",
                crate::term::sanitize_line(&config.learner)
            )
        } else {
            format!(
                "学习者“{}”不存在（已有：{}；用 --learner 指定）",
                crate::term::sanitize_line(&config.learner),
                names.join("、")
            )
        })
    })?;
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
    let mut known: Vec<&str> = library
        .decks
        .iter()
        .flat_map(|d| {
            d.tags
                .iter()
                .chain(d.cards.iter().flat_map(|c| c.tags.iter()))
                .map(String::as_str)
        })
        .collect();
    known.sort_unstable();
    known.dedup();
    for tag in &args.tag {
        if !known.contains(&tag.as_str()) {
            return Err(Error::NotFound(format!(
                "没有标签为“{}”的卡片（已有的标签：{}）",
                crate::term::sanitize_line(tag),
                if known.is_empty() {
                    "无".to_owned()
                } else {
                    known.join("、")
                }
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
