//! `dangke check`: validates deck files and prints every problem as
//! `PATH:LINE:COL: 错误: …` with the offending line, for deck authors.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::deck::library::Loader;
use crate::deck::seeds::Seeds;
use crate::error::{Exit, Result};

pub fn run(
    config: &Config,
    paths: &[PathBuf],
    seeds: Option<&Path>,
    out: &mut dyn Write,
) -> Result<Exit> {
    let mut loader = Loader::default();
    if paths.is_empty() {
        loader.add_shipped();
        for dir in &config.deck_dirs {
            loader.add_path(dir);
        }
    } else {
        loader.reserve_shipped();
        for path in paths {
            loader.add_path(path);
        }
    }
    let contests = std::mem::take(&mut loader.contests);
    let papers = std::mem::take(&mut loader.papers);
    // The decks a contest would draw from: the library `dangke contest`
    // loads, plus any decks checked here.
    let library = if (contests.is_empty() && papers.is_empty()) || paths.is_empty() {
        None
    } else {
        crate::deck::Library::load(&config.deck_dirs)
            .or_else(|_| crate::deck::Library::load(&[]))
            .ok()
            .map(|(l, _)| l)
    };
    for (display, text) in &contests {
        let src = crate::diag::SourceText::new(display, text);
        if crate::live::is_live(text) {
            check_live(&src, library.as_ref(), &mut loader);
            continue;
        }
        let (spec, diagnostics) = crate::contest::parse(&src, &loader.deck_ids());
        loader.report.extend(diagnostics);
        if let Some(spec) = spec {
            let pool = deck_pool(library.as_ref(), &loader.decks);
            let found = crate::contest::check_supply(&src, &spec, &pool);
            loader.report.extend(found);
        }
    }
    for (display, text) in &papers {
        let src = crate::diag::SourceText::new(display, text);
        let (plan, diagnostics) = crate::paper::plan::parse(&src, &loader.deck_ids());
        loader.report.extend(diagnostics);
        if let Some(plan) = plan {
            let pool = deck_pool(library.as_ref(), &loader.decks);
            let found = crate::paper::plan::check_supply(&src, &plan, &pool);
            loader.report.extend(found);
        }
    }
    if let Some(dir) = seeds {
        match Seeds::load(dir) {
            Ok(seeds) => {
                let found: Vec<_> = loader.decks.iter().flat_map(|d| seeds.verify(d)).collect();
                loader.report.extend(found);
            }
            Err(d) => loader.report.push(d),
        }
    }
    let painter = config.stdout_painter();
    let report = &mut loader.report;
    // Files stay in the order they were read; within a file, by position.
    let file_order: Vec<String> = report.diagnostics.iter().map(|d| d.path.clone()).collect();
    report.diagnostics.sort_by_key(|d| {
        let file = file_order
            .iter()
            .position(|p| *p == d.path)
            .unwrap_or(usize::MAX);
        (file, d.position.unwrap_or((0, 0)))
    });
    let report = &loader.report;
    for d in &report.diagnostics {
        writeln!(out, "{}", d.render(&painter))?;
    }
    let failed_paths = failed_files(report, &loader.decks);
    // A file with errors makes no deck; its cards are counted as written.
    let cards: usize = loader.decks.iter().map(|d| d.cards.len()).sum::<usize>()
        + failed_paths
            .iter()
            .filter(|p| !contests.iter().chain(&papers).any(|(c, _)| c == *p))
            .map(|p| cards_written(Path::new(p)))
            .sum::<usize>();
    let lives = contests
        .iter()
        .filter(|(_, text)| crate::live::is_live(text))
        .count();
    let mut contest_files = String::new();
    if contests.len() > lives {
        contest_files.push_str(&format!("、{} 个竞赛文件", contests.len() - lives));
    }
    if lives > 0 {
        contest_files.push_str(&format!("、{lives} 个现场答题文件"));
    }
    if !papers.is_empty() {
        contest_files.push_str(&format!("、{} 个试卷方案", papers.len()));
    }
    let failed = failed_paths.len()
        - contests_with_errors(report, &contests)
        - contests_with_errors(report, &papers);
    let summary = format!(
        "检查了 {} 个卡组、{cards} 张卡片{contest_files}：{} 个错误，{} 个警告",
        loader.decks.len() + failed,
        report.error_count(),
        report.warning_count()
    );
    if report.has_errors() {
        writeln!(out, "{}", painter.error(&summary))?;
        Ok(Exit::Failure)
    } else {
        writeln!(out, "{}", painter.good(&summary))?;
        Ok(Exit::Ok)
    }
}

/// The `[[card]]` tables written in a deck file that made no deck.
fn cards_written(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|text| {
            text.lines()
                .filter(|l| l.trim_start().starts_with("[[card]]"))
                .count()
        })
        .unwrap_or(0)
}

/// Files that exist and produced errors and therefore no deck (a path
/// that does not exist is no deck at all).
fn failed_files(report: &crate::diag::Report, decks: &[crate::deck::Deck]) -> Vec<String> {
    let loaded: Vec<String> = decks.iter().map(|d| d.origin.display()).collect();
    let mut paths: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| d.path.as_str())
        .filter(|p| !loaded.iter().any(|l| l == p))
        .filter(|p| Path::new(p).exists())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths.into_iter().map(str::to_owned).collect()
}

/// Contest files with errors (counted apart from decks).
fn contests_with_errors(report: &crate::diag::Report, contests: &[(String, String)]) -> usize {
    contests
        .iter()
        .filter(|(path, _)| {
            report
                .diagnostics
                .iter()
                .any(|d| &d.path == path && d.severity == crate::diag::Severity::Error)
        })
        .count()
}

/// A live quiz file (found among the paths like a contest file): its
/// format, and whether its sections can be drawn from the decks.
fn check_live(
    src: &crate::diag::SourceText<'_>,
    library: Option<&crate::deck::Library>,
    loader: &mut crate::deck::library::Loader,
) {
    let (spec, diagnostics) = crate::live::parse(src, &loader.deck_ids());
    loader.report.extend(diagnostics);
    if let Some(spec) = spec {
        let pool = deck_pool(library, &loader.decks);
        let found = crate::live::check_supply(src, &spec, &pool);
        loader.report.extend(found);
    }
}

/// The decks a contest, paper or live file may draw from: the library's,
/// then the checked files' own decks not already among them.
fn deck_pool<'a>(
    library: Option<&'a crate::deck::Library>,
    checked: &'a [crate::deck::Deck],
) -> Vec<&'a crate::deck::Deck> {
    let mut pool: Vec<&crate::deck::Deck> = library
        .map(|l| l.decks.iter().collect())
        .unwrap_or_default();
    for deck in checked {
        if !pool.iter().any(|d| d.id == deck.id) {
            pool.push(deck);
        }
    }
    pool
}
