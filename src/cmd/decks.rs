//! `dangke decks`: a table of the loaded decks with card counts per kind.

use std::io::Write;

use comfy_table::{Cell, CellAlignment, Table, presets};

use crate::config::Config;
use crate::deck::{Kind, Origin};
use crate::error::{Exit, Result};
use crate::term::sanitize_line;

pub fn run(config: &Config, out: &mut dyn Write) -> Result<Exit> {
    let library = super::load_library(config)?;
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    crate::term::fit_table(&mut table);
    let mut header = vec!["卡组 id".to_owned(), "标题".to_owned()];
    header.extend(Kind::ALL.iter().map(|k| k.label().to_owned()));
    header.extend(["合计".to_owned(), "位置".to_owned()]);
    table.set_header(header);
    let mut totals = [0usize; 6];
    for deck in &library.decks {
        let mut row = vec![Cell::new(&deck.id), Cell::new(sanitize_line(&deck.title))];
        for (i, kind) in Kind::ALL.iter().enumerate() {
            let n = deck.count(*kind);
            totals[i] += n;
            row.push(Cell::new(n).set_alignment(CellAlignment::Right));
        }
        row.push(Cell::new(deck.cards.len()).set_alignment(CellAlignment::Right));
        row.push(Cell::new(match &deck.origin {
            Origin::Shipped(_) => "内置".to_owned(),
            Origin::File(p) => sanitize_line(&p.display().to_string()),
        }));
        table.add_row(row);
    }
    let mut total_row = vec![
        Cell::new("合计"),
        Cell::new(format!("{} 个卡组", library.decks.len())),
    ];
    total_row.extend(
        totals
            .iter()
            .map(|n| Cell::new(n).set_alignment(CellAlignment::Right)),
    );
    total_row.push(Cell::new(library.card_count()).set_alignment(CellAlignment::Right));
    total_row.push(Cell::new(""));
    table.add_row(total_row);
    writeln!(out, "{table}")?;
    Ok(Exit::Ok)
}
