//! The validated configuration every command runs with: command-line flags,
//! environment variables and the settings file resolved once (flags win,
//! then the environment, then the file), so commands never look at any of
//! them themselves.

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
    /// Daily limits (from the settings file, or 20 new and 200 reviews).
    pub limits: DailyLimits,
    /// The settings file, whether or not it exists.
    pub settings_file: Option<PathBuf>,
    /// Where compiled decks are cached (`<cache dir>/dangke/decks`).
    pub deck_cache: Option<PathBuf>,
    /// Where snapshots of card states are kept (`<cache dir>/dangke/states`,
    /// see `store::snapshot`).
    pub state_cache: Option<PathBuf>,
}

/// How many new cards and reviews a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyLimits {
    pub new_per_day: u32,
    pub reviews_per_day: u32,
}

/// A learner name as a file name: letters (any script), digits, `-`, `_`
/// and `.` kept, anything else `_`.
fn file_safe(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.is_empty() {
        "_".to_owned()
    } else {
        safe
    }
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
        let settings_file = crate::settings::path();
        let settings = crate::settings::load(settings_file.as_deref())?;
        let mut deck_dirs: Vec<PathBuf> = std::env::var_os("DANGKE_DECKS")
            .map(|v| {
                std::env::split_paths(&v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        deck_dirs.extend(settings.decks.iter().cloned());
        deck_dirs.extend(cli.decks.iter().cloned());
        let db = match &cli.db {
            Some(path) => path.clone(),
            None => crate::store::default_path().ok_or_else(|| {
                Error::Usage("找不到用户数据目录，请用 --db 指定进度数据库文件".to_owned())
            })?,
        };
        let learner = match cli.learner.as_deref().map(str::trim) {
            Some(given) if !given.is_empty() => {
                let clean = crate::term::sanitize_line(given).trim().to_owned();
                if clean.is_empty() {
                    return Err(Error::Usage(
                        "学习者名字只有控制字符，无效：请用 --learner 给一个看得见的名字"
                            .to_owned(),
                    ));
                }
                clean
            }
            _ => settings.learner.clone().unwrap_or_else(default_learner),
        };
        let tz = system_tz();
        let now = cli.now.unwrap_or_else(jiff::Timestamp::now);
        let clock = Clock::new(now, tz);
        if let Some(ExamDate::Set(exam)) = cli.exam_date {
            let today = clock.today();
            if exam < today {
                return Err(Error::Usage(format!(
                    "考试日期 {exam} 已经过去了（今天是 {today}）：请给今天或以后的日期，或用 --exam-date none 清除"
                )));
            }
        }
        let cache_dir = directories::ProjectDirs::from("", "", "dangke")
            .map(|dirs| dirs.cache_dir().to_owned());
        Ok(Config {
            deck_dirs,
            colors: Colors::detect(cli.color),
            db,
            learner,
            clock,
            fixed_time: cli.now.is_some(),
            exam_date: cli.exam_date,
            retention: cli.retention.or(settings.retention),
            limits: DailyLimits {
                new_per_day: settings.new_per_day.unwrap_or(20),
                reviews_per_day: settings.reviews_per_day.unwrap_or(200),
            },
            settings_file,
            deck_cache: cache_dir.as_ref().map(|dir| dir.join("decks")),
            state_cache: cache_dir.map(|dir| dir.join("states")),
        })
    }

    /// The learner's line-editing history (answers and commands typed in
    /// study): `history/<learner>.txt` in the data dir, beside the default
    /// database. None when there is no data dir.
    pub fn history_file(&self) -> Option<PathBuf> {
        let dirs = directories::ProjectDirs::from("", "", "dangke")?;
        Some(
            dirs.data_dir()
                .join("history")
                .join(format!("{}.txt", file_safe(&self.learner))),
        )
    }

    pub fn stdout_painter(&self) -> Painter {
        Painter::new(self.colors.stdout)
    }

    pub fn stderr_painter(&self) -> Painter {
        Painter::new(self.colors.stderr)
    }
}

/// The system time zone. TZ naming UTC (the usual setting on servers and
/// in benchmarks) and a zone file linked from /etc/localtime are read
/// directly: jiff's own lookup first lists the whole zoneinfo tree (about
/// 40 directories, a third of a millisecond, on every start).
fn system_tz() -> jiff::tz::TimeZone {
    quick_tz(std::env::var_os("TZ").as_deref())
        .or_else(|| jiff::tz::TimeZone::try_system().ok())
        .unwrap_or(jiff::tz::TimeZone::UTC)
}

fn quick_tz(tz: Option<&std::ffi::OsStr>) -> Option<jiff::tz::TimeZone> {
    match tz.map(|v| v.to_str()) {
        Some(Some("UTC" | "Etc/UTC" | "UTC0")) => Some(jiff::tz::TimeZone::UTC),
        Some(_) => None,
        #[cfg(unix)]
        None => {
            let link = std::fs::read_link("/etc/localtime").ok()?;
            let (_, name) = link.to_str()?.split_once("zoneinfo/")?;
            let data = std::fs::read("/etc/localtime").ok()?;
            jiff::tz::TimeZone::tzif(name, &data).ok()
        }
        #[cfg(not(unix))]
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_time_zone_is_the_one_jiff_would_find() {
        use std::ffi::OsStr;
        assert_eq!(
            quick_tz(Some(OsStr::new("UTC"))),
            Some(jiff::tz::TimeZone::UTC)
        );
        // Any other TZ (a name, a POSIX rule, a path) is left to jiff.
        assert_eq!(quick_tz(Some(OsStr::new("Asia/Shanghai"))), None);
        assert_eq!(quick_tz(Some(OsStr::new("CST-8"))), None);
        if let Some(local) = quick_tz(None) {
            let name = local.iana_name().expect("named after its file");
            let db = jiff::tz::TimeZone::get(name).expect("a zone of the database");
            for secs in [0, 1_000_000_000, 1_780_000_000, 1_790_000_000] {
                let t = jiff::Timestamp::from_second(secs).unwrap();
                assert_eq!(local.to_offset(t), db.to_offset(t), "{name} at {secs}");
            }
        }
    }
}
