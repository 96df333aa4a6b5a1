//! The validated configuration every command runs with: command-line flags
//! and environment variables resolved once, so commands never look at
//! either themselves.

use std::path::PathBuf;

use crate::cli::Cli;
use crate::term::{Colors, Painter};

#[derive(Debug, Clone)]
pub struct Config {
    /// User deck folders and files, `DANGKE_DECKS` first, then `--decks`.
    pub deck_dirs: Vec<PathBuf>,
    pub colors: Colors,
}

impl Config {
    pub fn from_cli(cli: &Cli) -> Config {
        let mut deck_dirs: Vec<PathBuf> = std::env::var_os("DANGKE_DECKS")
            .map(|v| {
                std::env::split_paths(&v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        deck_dirs.extend(cli.decks.iter().cloned());
        Config {
            deck_dirs,
            colors: Colors::detect(cli.color),
        }
    }

    pub fn stdout_painter(&self) -> Painter {
        Painter::new(self.colors.stdout)
    }

    pub fn stderr_painter(&self) -> Painter {
        Painter::new(self.colors.stderr)
    }
}
