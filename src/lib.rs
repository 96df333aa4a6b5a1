//! dangke (党课学习卡): decks of cards drawn from party-lesson documents,
//! studied with spaced repetition, self-tests and group contests.
//!
//! The library holds all logic; `main.rs` only calls [`run`].

pub mod anki;
pub mod bank;
pub mod cachefile;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod config;
pub mod contest;
pub mod deck;
pub mod diag;
pub mod error;
pub mod grade;
pub mod hash;
pub mod live;
pub mod paper;
pub mod repl;
pub mod schedule;
pub mod schema;
pub mod session;
pub mod settings;
pub mod stats;
pub mod store;
pub mod term;
pub mod view;

use std::ffi::OsString;
use std::io::Write;

pub use error::{Error, Exit};

/// Runs dangke with the given arguments and returns the exit code. Errors
/// are printed here, once, in Chinese.
pub fn run<I, T>(args: I) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::parse(args) {
        cli::Parsed::Run(cli) => cli,
        cli::Parsed::Exit {
            message,
            to_stdout,
            code,
        } => {
            if to_stdout {
                print!("{message}");
            } else {
                eprintln!("错误：{message}");
            }
            return code;
        }
    };
    let config = match config::Config::from_cli(&cli) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("错误：{err}");
            return err.exit();
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = cmd::run(cli.command.as_ref(), &config, &mut out).and_then(|exit| {
        out.flush()?;
        Ok(exit)
    });
    match result {
        Ok(exit) => exit,
        // A closed pipe (`dangke decks | head`) is not worth a message.
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Ok,
        Err(err) => {
            print_error(&err, &config.stderr_painter());
            err.exit()
        }
    }
}

/// The one place errors reach the user.
fn print_error(err: &Error, painter: &term::Painter) {
    let mut text = String::new();
    if let Error::Decks(report)
    | Error::ContestFile(report)
    | Error::PaperPlan(report)
    | Error::LiveFile(report) = err
    {
        text.push_str(&report.render(painter));
        text.push('\n');
    }
    text.push_str(&format!("{}{}", painter.error("错误："), err));
    eprintln!("{text}");
}
