//! A builder for running the `dangke` binary and checking what it did, in
//! the style of `just`'s tests:
//! `Test::new().args(["check"]).stdout_has("…").status(0).run()`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::CommandCargoExt;
use tempfile::TempDir;

pub struct Test {
    pub dir: TempDir,
    cwd: Option<PathBuf>,
    args: Vec<String>,
    env: BTreeMap<String, String>,
    stdin: Vec<u8>,
    stdout: Option<String>,
    stdout_has: Vec<String>,
    stdout_lacks: Vec<String>,
    stderr: Option<String>,
    stderr_has: Vec<String>,
    stderr_lacks: Vec<String>,
    status: i32,
}

impl Test {
    pub fn new() -> Self {
        Test {
            dir: tempfile::tempdir().expect("a temporary directory"),
            cwd: None,
            args: Vec::new(),
            env: BTreeMap::new(),
            stdin: Vec::new(),
            stdout: None,
            stdout_has: Vec::new(),
            stdout_lacks: Vec::new(),
            stderr: None,
            stderr_has: Vec::new(),
            stderr_lacks: Vec::new(),
            status: 0,
        }
    }

    /// A test in an existing directory (its database included).
    pub fn in_dir(dir: TempDir) -> Self {
        Test { dir, ..Test::new() }
    }

    /// Runs in the crate root instead of the temporary directory, so that
    /// fixture paths print as `tests/fixtures/…`.
    pub fn in_crate_root(mut self) -> Self {
        self.cwd = Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        self
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<const N: usize>(mut self, args: [&str; N]) -> Self {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    /// Fixes the clock (`DANGKE_NOW`).
    pub fn now(self, at: &str) -> Self {
        self.env("DANGKE_NOW", at)
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.insert(key.to_owned(), value.to_owned());
        self
    }

    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = input.into();
        self
    }

    /// Writes a file (creating folders) inside the temporary directory.
    pub fn write(self, path: &str, content: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create fixture folder");
        }
        std::fs::write(full, content).expect("write fixture");
        self
    }

    pub fn path(&self, rel: &str) -> String {
        self.dir.path().join(rel).display().to_string()
    }

    pub fn stdout(mut self, expected: &str) -> Self {
        self.stdout = Some(expected.to_owned());
        self
    }

    pub fn stdout_has(mut self, needle: &str) -> Self {
        self.stdout_has.push(needle.to_owned());
        self
    }

    pub fn stdout_lacks(mut self, needle: &str) -> Self {
        self.stdout_lacks.push(needle.to_owned());
        self
    }

    pub fn stderr(mut self, expected: &str) -> Self {
        self.stderr = Some(expected.to_owned());
        self
    }

    pub fn stderr_has(mut self, needle: &str) -> Self {
        self.stderr_has.push(needle.to_owned());
        self
    }

    pub fn stderr_lacks(mut self, needle: &str) -> Self {
        self.stderr_lacks.push(needle.to_owned());
        self
    }

    pub fn status(mut self, code: i32) -> Self {
        self.status = code;
        self
    }

    /// Runs the binary and checks every expectation; returns the output
    /// for further checks.
    pub fn run(self) -> TestOutput {
        let mut cmd = dangke(self.dir.path(), None);
        cmd.args(&self.args);
        if let Some(cwd) = &self.cwd {
            cmd.current_dir(cwd);
        }
        cmd.envs(&self.env);
        let output = assert_cmd::Command::from_std(cmd)
            .write_stdin(self.stdin.clone())
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .expect("run dangke");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let context = format!(
            "\n--- args: {:?}\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}",
            self.args
        );
        assert_eq!(
            output.status.code(),
            Some(self.status),
            "exit status{context}"
        );
        assert!(!stderr.contains("panicked"), "dangke panicked{context}");
        if let Some(expected) = &self.stdout {
            assert_eq!(&stdout, expected, "stdout{context}");
        }
        for needle in &self.stdout_has {
            assert!(
                stdout.contains(needle.as_str()),
                "stdout lacks {needle:?}{context}"
            );
        }
        for needle in &self.stdout_lacks {
            assert!(
                !stdout.contains(needle.as_str()),
                "stdout has {needle:?}{context}"
            );
        }
        if let Some(expected) = &self.stderr {
            assert_eq!(&stderr, expected, "stderr{context}");
        }
        for needle in &self.stderr_has {
            assert!(
                stderr.contains(needle.as_str()),
                "stderr lacks {needle:?}{context}"
            );
        }
        for needle in &self.stderr_lacks {
            assert!(
                !stderr.contains(needle.as_str()),
                "stderr has {needle:?}{context}"
            );
        }
        TestOutput {
            dir: self.dir,
            stdout,
        }
    }
}

pub struct TestOutput {
    pub dir: TempDir,
    pub stdout: String,
}

impl TestOutput {
    /// The progress database the run used.
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("progress.db")
    }

    /// Every review row: (card key, rating, verdict, mode, undone).
    pub fn reviews(&self) -> Vec<Review> {
        reviews(&self.db())
    }

    /// Runs another command on the same directory and database.
    pub fn then(self) -> Test {
        Test::in_dir(self.dir)
    }
}

/// One row of the review log, as tests look at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub key: String,
    pub rating: i64,
    pub verdict: String,
    pub mode: String,
    pub undone: bool,
}

pub fn reviews(db: &Path) -> Vec<Review> {
    let conn = rusqlite::Connection::open(db).expect("open the progress database");
    let mut stmt = conn
        .prepare("SELECT card_key, rating, verdict, mode, undone FROM reviews ORDER BY id")
        .expect("query reviews");
    stmt.query_map([], |r| {
        Ok(Review {
            key: r.get(0)?,
            rating: r.get(1)?,
            verdict: r.get(2)?,
            mode: r.get(3)?,
            undone: r.get::<_, i64>(4)? != 0,
        })
    })
    .expect("read reviews")
    .collect::<Result<_, _>>()
    .expect("review rows")
}

/// The `dangke` binary set up to run in `dir` and touch nothing outside it:
/// its own HOME, data and config dirs and database, a fixed time zone and user name,
/// none of the caller's DANGKE_* or NO_COLOR settings, and the clock fixed
/// at `now` when given.
pub fn dangke(dir: &Path, now: Option<&str>) -> std::process::Command {
    let mut cmd = std::process::Command::cargo_bin("dangke").expect("the dangke binary");
    cmd.current_dir(dir);
    for key in [
        "NO_COLOR",
        "DANGKE_DECKS",
        "DANGKE_DB",
        "DANGKE_NOW",
        "DANGKE_LEARNER",
        "DANGKE_CONFIG",
        // The caller's terminal size: COLUMNS overrides what a pty reports.
        "COLUMNS",
        "LINES",
    ] {
        cmd.env_remove(key);
    }
    cmd.env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("DANGKE_DB", dir.join("progress.db"))
        .env("TZ", "Asia/Shanghai")
        .env("USER", "测试学员")
        .env("TERM", "xterm-256color");
    if let Some(now) = now {
        cmd.env("DANGKE_NOW", now);
    }
    cmd
}

/// Held by every pty test: terminal sessions are timing-sensitive, and
/// running them one at a time keeps a loaded machine from starving them.
pub static PTY: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Takes the pty lock, even if another pty test panicked while holding it.
pub fn pty_lock() -> std::sync::MutexGuard<'static, ()> {
    PTY.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The crate root, for reading fixtures.
pub fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
