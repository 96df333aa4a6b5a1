//! `dangke decks`: a table of the loaded decks with card counts per kind,
//! and with `--coverage` how completely the shipped decks examine the
//! facts of the five source documents.

use std::io::Write;

use comfy_table::{Cell, CellAlignment, Table, presets};

use crate::config::Config;
use crate::deck::inventory::{self, Cover};
use crate::deck::{Kind, Library, Origin};
use crate::error::{Exit, Result};
use crate::term::sanitize_line;

pub fn run(config: &Config, coverage: bool, out: &mut dyn Write) -> Result<Exit> {
    let library = super::load_library(config)?;
    if coverage {
        return print_coverage(&library, out);
    }
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
            row.push(right(n));
        }
        row.push(right(deck.cards.len()));
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
    total_row.extend(totals.iter().map(|n| right(*n)));
    total_row.push(right(library.card_count()));
    total_row.push(Cell::new(""));
    table.add_row(total_row);
    writeln!(out, "{table}")?;
    Ok(Exit::Ok)
}

fn right(value: impl ToString) -> Cell {
    Cell::new(value.to_string()).set_alignment(CellAlignment::Right)
}

fn percent(covered: usize, facts: usize) -> String {
    if facts == 0 {
        "—".to_owned()
    } else {
        format!("{:.1}%", 100.0 * covered as f64 / facts as f64)
    }
}

/// Coverage per document, then every fact deliberately left out with its
/// reason, then anything in the inventory that breaks the deck rules.
fn print_coverage(library: &Library, out: &mut dyn Write) -> Result<Exit> {
    let docs = inventory::shipped()?;
    let (coverage, problems) = inventory::assess(&docs, library);
    writeln!(
        out,
        "内置卡组对五份原始文档知识点的覆盖（知识点清单：inventory/*.toml）"
    )?;
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(["文档", "标题", "知识点", "已出题", "不考", "覆盖率"]);
    let (mut facts, mut covered, mut skipped) = (0, 0, 0);
    for c in &coverage {
        facts += c.facts;
        covered += c.covered;
        skipped += c.skipped;
        table.add_row(vec![
            Cell::new(&c.doc),
            Cell::new(inventory::doc_title(&c.doc).unwrap_or("")),
            right(c.facts),
            right(c.covered),
            right(c.skipped),
            right(percent(c.covered, c.facts)),
        ]);
    }
    table.add_row(vec![
        Cell::new("合计"),
        Cell::new(""),
        right(facts),
        right(covered),
        right(skipped),
        right(percent(covered, facts)),
    ]);
    writeln!(out, "{table}")?;
    let skips: Vec<_> = docs
        .iter()
        .flat_map(|d| d.facts.iter().map(move |f| (d, f)))
        .filter_map(|(d, f)| match &f.cover {
            Cover::Skip(reason) => Some((d, f, reason)),
            Cover::Cards(_) => None,
        })
        .collect();
    if !skips.is_empty() {
        writeln!(out, "\n不考的知识点（{} 个）：", skips.len())?;
        for (doc, fact, reason) in skips {
            writeln!(
                out,
                "  {} 第 {} 行  {}——{}",
                doc.doc, fact.line, fact.fact, reason
            )?;
        }
    }
    if !problems.is_empty() {
        writeln!(out, "\n清单与卡组不一致（{} 处）：", problems.len())?;
        for problem in &problems {
            writeln!(out, "  {problem}")?;
        }
    }
    Ok(Exit::Ok)
}
