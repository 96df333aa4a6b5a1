//! Integration tests: every test drives the real `dangke` binary through
//! the small harness in `test.rs`.

mod test;

mod anki;
mod bank;
mod browser;
mod check;
mod cli;
mod contest;
mod db;
mod decks;
mod grade;
mod live;
mod man;
mod paper;
mod progress;
mod pty;
mod quiz;
mod schema;
mod study;
