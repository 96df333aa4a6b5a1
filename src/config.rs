//! The validated configuration every command runs with: command-line flags
//! and environment variables resolved once, so commands never look at
//! either themselves.

use std::path::PathBuf;

use crate::cli::{Cli, ExamDate};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::term::{Colors, Painter};

#[derive(Debug, Clone)]
pub struct Config {
    /// User deck folders and files, `DANGKE_DECKS` first, then `--decks`.
    pub deck_dirs: Vec<PathBuf>,
    pub colors: Colors,
    /// The progress database file.
    pub db: PathBuf,
    pub learner: String,
    /// The time everything runs at: the system clock read once here, or
    /// `--now` / `DANGKE_NOW`.
    pub clock: Clock,
    /// Whether `--now` fixed the time for the whole run.
    pub fixed_time: bool,
    /// A new exam date to store for the learner, if given.
    pub exam_date: Option<ExamDate>,
    /// A new desired retention to store for the learner, if given.
    pub retention: Option<f32>,
    /// Where compiled decks are cached (`<cache dir>/dangke/decks`).
    pub deck_cache: Option<PathBuf>,
}

/// The OS user name, or a neutral default.
fn default_learner() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|v| v.trim().to_owned())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "学习者".to_owned())
}

impl Config {
    pub fn from_cli(cli: &Cli) -> Result<Config> {
        let mut deck_dirs: Vec<PathBuf> = std::env::var_os("DANGKE_DECKS")
            .map(|v| {
                std::env::split_paths(&v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        deck_dirs.extend(cli.decks.iter().cloned());
        let db = match &cli.db {
            Some(path) => path.clone(),
            None => crate::store::default_path().ok_or_else(|| {
                Error::Usage("找不到用户数据目录，请用 --db 指定进度数据库文件".to_owned())
            })?,
        };
        let learner = cli
            .learner
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(crate::term::sanitize_line)
            .unwrap_or_else(default_learner);
        let tz = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
        let now = cli.now.unwrap_or_else(jiff::Timestamp::now);
        Ok(Config {
            deck_dirs,
            colors: Colors::detect(cli.color),
            db,
            learner,
            clock: Clock::new(now, tz),
            fixed_time: cli.now.is_some(),
            exam_date: cli.exam_date,
            retention: cli.retention,
            deck_cache: directories::ProjectDirs::from("", "", "dangke")
                .map(|dirs| dirs.cache_dir().join("decks")),
        })
    }

    pub fn stdout_painter(&self) -> Painter {
        Painter::new(self.colors.stdout)
    }

    pub fn stderr_painter(&self) -> Painter {
        Painter::new(self.colors.stderr)
    }
}
