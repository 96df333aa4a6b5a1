//! `dangke schema`: prints the JSON Schema of deck files (see `schema.rs`),
//! the same text as the shipped `decks/deck.schema.json`.

use std::io::Write;

use crate::error::{Exit, Result};

pub fn run(out: &mut dyn Write) -> Result<Exit> {
    out.write_all(crate::schema::deck_schema_text().as_bytes())?;
    Ok(Exit::Ok)
}
