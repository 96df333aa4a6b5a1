//! `dangke completions SHELL`: a completion script for the shell, built by
//! clap_complete from the same command line the parser uses, so commands,
//! options and their values complete exactly as dangke accepts them.

use std::io::Write;

use crate::error::{Exit, Result};

pub fn run(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<Exit> {
    let mut cmd = crate::cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "dangke", &mut script);
    out.write_all(&script)?;
    Ok(Exit::Ok)
}
