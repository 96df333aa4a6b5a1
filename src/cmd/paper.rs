//! `dangke paper`: draws an exam paper from the decks and writes it with
//! its answer key as .docx, .html or .pdf (the format from each file's
//! extension; a PDF is the HTML printed by a headless Chromium, Chrome or
//! Edge, since no pure-Rust route lays out Chinese text without shipping
//! a large font).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{card_filter, clock_now, load_library};
use crate::cli::PaperArgs;
use crate::config::Config;
use crate::deck::Library;
use crate::diag::{Report, SourceText};
use crate::error::{Error, Exit, Result};
use crate::paper::{Paper, Plan, build};
use crate::term::sanitize_line;

/// The file formats, from the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Docx,
    Html,
    Pdf,
}

fn format_of(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("docx") => Ok(Format::Docx),
        Some("html" | "htm") => Ok(Format::Html),
        Some("pdf") => Ok(Format::Pdf),
        _ => Err(Error::Usage(format!(
            "不知道把试卷写成什么格式：“{}”的扩展名应为 .docx、.html 或 .pdf",
            path.display()
        ))),
    }
}

pub fn run(config: &Config, args: &PaperArgs, out: &mut dyn Write) -> Result<Exit> {
    let paper_format = format_of(&args.output)?;
    let library = load_library(config)?;
    let filter = card_filter(&library, &args.filter)?;
    let mut plan = match &args.plan {
        Some(path) => load_plan(path, &library)?,
        None => Plan::defaults(args.count, &filter.kinds),
    };
    if let Some(title) = &args.title {
        let title = sanitize_line(title.trim());
        if title.is_empty() {
            return Err(Error::Usage("--title 不能为空".to_owned()));
        }
        plan.title = title;
    }
    let seed = args
        .seed
        .or(plan.seed)
        .unwrap_or_else(|| clock_now(config).secs().unsigned_abs());
    let versions = args.versions.max(1) as usize;
    let built = build(&library, &plan, &filter, seed, versions);
    for s in &built.short {
        eprintln!(
            "警告：{}要 {} 题，符合条件的卡片只够出 {} 题",
            s.title, s.wanted, s.got
        );
    }
    if built.papers.first().is_none_or(|p| p.question_count() == 0) {
        return Err(Error::NotFound(format!(
            "没有可出的题：{}中没有试卷各大题所需题型的卡片",
            filter.describe(&library)
        )));
    }
    let files = file_names(&args.output, args.key.as_deref(), versions)?;
    let key_format = format_of(&files[0].1)?;
    for (paper, (paper_path, key_path)) in built.papers.iter().zip(&files) {
        write(paper, paper_path, paper_format, Part::Paper)?;
        write(paper, key_path, key_format, Part::Key)?;
    }
    let first = &built.papers[0];
    for (paper, (paper_path, key_path)) in built.papers.iter().zip(&files) {
        writeln!(out, "试卷：{}（{}）", paper_path.display(), paper.summary())?;
        writeln!(out, "答案：{}", key_path.display())?;
    }
    writeln!(
        out,
        "种子：{seed}（用 --seed {seed} 可以重出同一份试卷{}）",
        if first.version.is_some() {
            format!("，共 {versions} 套")
        } else {
            String::new()
        }
    )?;
    Ok(Exit::Ok)
}

/// Reads a plan file, refusing one with errors (warnings pass).
fn load_plan(path: &Path, library: &Library) -> Result<Plan> {
    let text = crate::deck::library::read_text(path).map_err(|d| {
        Error::PaperPlan(Report {
            diagnostics: vec![d],
        })
    })?;
    let display = path.display().to_string();
    let src = SourceText::new(&display, &text);
    let ids: Vec<&str> = library.decks.iter().map(|d| d.id.as_str()).collect();
    let (plan, mut diagnostics) = crate::paper::plan::parse(&src, &ids);
    if let Some(plan) = &plan {
        let decks: Vec<&crate::deck::Deck> = library.decks.iter().collect();
        diagnostics.extend(crate::paper::plan::check_supply(&src, plan, &decks));
    }
    let report = Report { diagnostics };
    match plan {
        Some(plan) if !report.has_errors() => Ok(plan),
        _ => Err(Error::PaperPlan(report.errors_only())),
    }
}

/// The paper and key file of each version: `试卷.docx` and
/// `试卷-答案.docx`, or with versions `试卷-A.docx` and `试卷-A-答案.docx`
/// (a `--key` name gets the letter too).
fn file_names(
    output: &Path,
    key: Option<&Path>,
    versions: usize,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    let files: Vec<(PathBuf, PathBuf)> = (0..versions)
        .map(|v| {
            let letter = if versions == 1 {
                String::new()
            } else {
                format!("-{}", crate::deck::option_letter(v))
            };
            let paper = with_suffix(output, &letter);
            let key = match key {
                Some(key) => with_suffix(key, &letter),
                None => with_suffix(output, &format!("{letter}-答案")),
            };
            (paper, key)
        })
        .collect();
    for (paper, key) in &files {
        if paper == key {
            return Err(Error::Usage(format!(
                "答案文件不能和试卷是同一个文件：“{}”",
                paper.display()
            )));
        }
    }
    Ok(files)
}

/// `dir/试卷.docx` + `-答案` → `dir/试卷-答案.docx`.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}{suffix}.{}", ext.to_string_lossy()),
        None => format!("{stem}{suffix}"),
    };
    path.with_file_name(name)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Paper,
    Key,
}

fn write(paper: &Paper, path: &Path, format: Format, part: Part) -> Result<()> {
    let html = || match part {
        Part::Paper => crate::paper::html::paper(paper),
        Part::Key => crate::paper::html::key(paper),
    };
    let bytes = match format {
        Format::Html => html().into_bytes(),
        Format::Docx => match part {
            Part::Paper => crate::paper::docx::paper(paper),
            Part::Key => crate::paper::docx::key(paper),
        }
        .map_err(|e| Error::Paper(format!("无法生成 Word 文件“{}”：{e}", path.display())))?,
        Format::Pdf => return pdf::print(&html(), path),
    };
    std::fs::write(path, bytes).map_err(|source| Error::Io {
        action: "写入",
        path: path.to_path_buf(),
        source,
    })
}

mod pdf;
