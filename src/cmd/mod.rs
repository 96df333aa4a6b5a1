//! One module per subcommand. Each takes the validated config and an output
//! sink, and returns the exit code or a typed error for `main` to print.

pub mod check;
pub mod decks;
pub mod grade;

use std::io::Write;

use crate::cli::Command;
use crate::config::Config;
use crate::deck::Library;
use crate::error::{Error, Exit, Result};

pub fn run(command: Option<&Command>, config: &Config, out: &mut dyn Write) -> Result<Exit> {
    match command {
        Some(Command::Check { paths, seeds }) => check::run(config, paths, seeds.as_deref(), out),
        Some(Command::Grade { card, answer, json }) => grade::run(config, card, answer, *json, out),
        Some(Command::Decks) | None => decks::run(config, out),
    }
}

/// Loads every deck, or fails with every error found. Warnings are not
/// shown here: `dangke check` is where authors see them.
pub fn load_library(config: &Config) -> Result<Library> {
    Library::load(&config.deck_dirs)
        .map(|(library, _warnings)| library)
        .map_err(|report| Error::Decks(report.errors_only()))
}
