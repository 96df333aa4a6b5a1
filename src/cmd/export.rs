//! `dangke export`: decks (by id, or deck files) out as a question bank
//! (xlsx or CSV in the layout `dangke import` reads), a normalized TOML
//! deck, or an Anki package.

use std::io::Write;
use std::path::Path;

use crate::cli::ExportFormat;
use crate::config::Config;
use crate::deck::Deck;
use crate::error::{Error, Exit, Result};

pub fn run(
    config: &Config,
    names: &[String],
    format: Option<ExportFormat>,
    output: &Path,
    force: bool,
    out: &mut dyn Write,
) -> Result<Exit> {
    let format = match format {
        Some(f) => f,
        None => format_of(output)?,
    };
    let decks = load(config, names)?;
    let decks: Vec<&Deck> = decks.iter().collect();
    let one = |what: &str| -> Result<&Deck> {
        match decks.as_slice() {
            [deck] => Ok(deck),
            _ => Err(Error::Usage(format!(
                "{what} 文件一次只能放一个卡组（这里有 {} 个）；请分别导出，或导出为 xlsx（每个卡组一张工作表）",
                decks.len()
            ))),
        }
    };
    let bytes = match format {
        ExportFormat::Xlsx => crate::bank::export::xlsx(&decks)?,
        ExportFormat::Csv => crate::bank::export::csv(one("CSV")?)?,
        ExportFormat::Toml => crate::bank::write::deck(one("TOML")?, None).0.into_bytes(),
        // Stamped with the time now: Anki updates a note only from a newer one.
        ExportFormat::Anki => crate::anki::build_apkg(&decks, super::clock_now(config).secs())?.0,
    };
    super::import::write_new(output, &bytes, force)?;
    let cards: usize = decks.iter().map(|d| d.cards.len()).sum();
    writeln!(
        out,
        "已导出 {} 个卡组、{cards} 道题 → {}",
        decks.len(),
        crate::term::sanitize_line(&output.display().to_string())
    )?;
    Ok(Exit::Ok)
}

/// The format named by the output file's extension.
fn format_of(output: &Path) -> Result<ExportFormat> {
    let ext = output
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" => Ok(ExportFormat::Xlsx),
        "csv" => Ok(ExportFormat::Csv),
        "toml" => Ok(ExportFormat::Toml),
        "apkg" => Ok(ExportFormat::Anki),
        _ => Err(Error::Usage(format!(
            "无法从文件名“{}”判断导出格式；请用 --format 指定 xlsx、csv、anki 或 toml",
            output.display()
        ))),
    }
}

/// The decks named: a path to a deck file, or the id of a loaded deck.
fn load(config: &Config, names: &[String]) -> Result<Vec<Deck>> {
    let mut library: Option<crate::deck::Library> = None;
    let mut decks = Vec::new();
    for name in names {
        let path = Path::new(name);
        if path.is_file() {
            let mut loader = crate::deck::library::Loader::default();
            loader.add_path(path);
            let (lib, _) = loader
                .finish()
                .map_err(|report| Error::Decks(report.errors_only()))?;
            decks.extend(lib.decks);
            continue;
        }
        if library.is_none() {
            library = Some(super::load_library(config)?);
        }
        let lib = library
            .as_ref()
            .ok_or_else(|| Error::NotFound(String::new()))?;
        match lib.deck(name) {
            Some(deck) => decks.push(deck.clone()),
            None => {
                let ids: Vec<&str> = lib.decks.iter().map(|d| d.id.as_str()).collect();
                return Err(Error::NotFound(format!(
                    "没有找到卡组“{}”（已加载：{}；也可以给出卡组文件的路径）",
                    crate::term::sanitize_line(name),
                    ids.join("、")
                )));
            }
        }
    }
    Ok(decks)
}
