//! `dangke import`: reads a question bank (xlsx/xls/ods/CSV), prints every
//! bad row as `FILE:ROW: 错误: 原因`, and writes the checked deck file only
//! when nothing is wrong (or `--partial` says to skip the bad rows).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::bank::BankError;
use crate::bank::import::{Options as ImportOptions, import};
use crate::config::Config;
use crate::deck::Kind;
use crate::error::{Error, Exit, Result};

pub struct Options<'a> {
    pub file: &'a Path,
    pub output: Option<&'a Path>,
    pub id: Option<&'a str>,
    pub title: Option<&'a str>,
    pub sheet: Option<&'a str>,
    pub partial: bool,
    pub force: bool,
}

pub fn run(config: &Config, opts: &Options<'_>, out: &mut dyn Write) -> Result<Exit> {
    if let Some(id) = opts.id
        && !crate::deck::is_valid_id(id)
    {
        return Err(Error::Usage(format!(
            "--id “{}”不合规：只能用小写字母、数字和连字符 -（如 dang-zhang-ti-ku）",
            crate::term::sanitize_line(id)
        )));
    }
    if opts.title.is_some_and(|t| t.trim().is_empty()) {
        return Err(Error::Usage("--title 不能为空".to_owned()));
    }
    let display = opts.file.display().to_string();
    let bytes = crate::deck::library::read_bytes(opts.file).map_err(|d| BankError::Unreadable {
        path: display.clone(),
        reason: d.message,
    })?;
    let sheets = crate::bank::read::sheets(&display, bytes)?;
    let stem = opts
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let imported = import(
        &display,
        &stem,
        &sheets,
        &ImportOptions {
            id: opts.id.map(str::to_owned),
            title: opts.title.map(|t| t.trim().to_owned()),
            sheet: opts.sheet.map(str::to_owned),
        },
    )?;

    let painter = config.stderr_painter();
    for d in &imported.errors {
        eprint!("{}", d.render(&painter));
    }
    if !imported.errors.is_empty() && !opts.partial {
        return Err(BankError::BadRows {
            count: imported.errors.len(),
        }
        .into());
    }
    let deck = &imported.deck;
    if deck.cards.is_empty() {
        return Err(BankError::Empty { path: display }.into());
    }
    let mut loader = crate::deck::library::Loader::default();
    loader.reserve_shipped();
    if loader.deck_ids().contains(&deck.id.as_str()) {
        return Err(Error::Usage(format!(
            "卡组 id “{}”与内置卡组相同；用 --id 另取一个",
            deck.id
        )));
    }

    let output: PathBuf = opts
        .output
        .map(Path::to_owned)
        .unwrap_or_else(|| opts.file.with_extension("toml"));
    write_new(&output, imported.toml.as_bytes(), opts.force)?;

    let counts: Vec<String> = Kind::ALL
        .into_iter()
        .filter(|&k| deck.count(k) > 0)
        .map(|k| format!("{} {}", k.label(), deck.count(k)))
        .collect();
    writeln!(
        out,
        "已导入 {} 道题（{}）→ {}（卡组 id：{}）",
        deck.cards.len(),
        counts.join("、"),
        crate::term::sanitize_line(&output.display().to_string()),
        deck.id
    )?;
    if !imported.errors.is_empty() {
        writeln!(
            out,
            "跳过了 {} 行有错误的题目（见上）",
            imported.errors.len()
        )?;
    }
    for note in &imported.notes {
        writeln!(out, "提示：{}", crate::term::sanitize_line(note))?;
    }
    Ok(Exit::Ok)
}

/// Writes a file that must not exist yet unless `force` is given.
pub fn write_new(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    let io = |source| Error::Io {
        action: "写入",
        path: path.to_owned(),
        source,
    };
    if force {
        return std::fs::write(path, bytes).map_err(io);
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Bank(BankError::Exists {
                    path: path.display().to_string(),
                })
            } else {
                io(e)
            }
        })?;
    file.write_all(bytes).map_err(io)
}
