//! `dangke man`: the manual page in roff, built by clap_mangen from the same
//! Chinese command line as `--help`, printed or written as one page per
//! command (`-o 目录`).

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Exit, Result};

/// The words clap_mangen writes in English inside a page, and ours.
const WORDS: &[(&str, &str)] = &[
    ("[default: ", "[默认："),
    ("\\fIPossible values:\\fR", "\\fI可选值：\\fR"),
    ("[env: ", "[环境变量："),
];

/// The section names clap_mangen writes in English, and ours.
const HEADINGS: &[(&str, &str)] = &[
    (".SH NAME", ".SH 名称"),
    (".SH SYNOPSIS", ".SH 概要"),
    (".SH DESCRIPTION", ".SH 描述"),
    (".SH OPTIONS", ".SH 选项"),
    (".SH EXTRA", ".SH 说明"),
    (".SH VERSION", ".SH 版本"),
    (".SH AUTHORS", ".SH 作者"),
];

pub fn run(dir: Option<&Path>, out: &mut dyn Write) -> Result<Exit> {
    let mut root = crate::cli::command();
    root.build();
    match dir {
        None => out.write_all(page(&root)?.as_bytes())?,
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                action: "创建目录",
                path: dir.to_owned(),
                source,
            })?;
            let mut written = Vec::new();
            write_pages(&root, dir, &mut written)?;
            for path in &written {
                writeln!(out, "已写入 {}", path.display())?;
            }
        }
    }
    Ok(Exit::Ok)
}

/// One command's page, with Chinese section names.
pub fn page(cmd: &clap::Command) -> Result<String> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut roff)?;
    let roff = String::from_utf8_lossy(&roff);
    let mut text = String::with_capacity(roff.len());
    for line in roff.lines() {
        let line = HEADINGS
            .iter()
            .find(|(english, _)| *english == line)
            .map_or(line, |(_, chinese)| chinese);
        let mut line = line.to_owned();
        for (english, chinese) in WORDS {
            line = line.replace(english, chinese);
        }
        text.push_str(&line);
        text.push('\n');
    }
    Ok(text)
}

/// Writes the page of `cmd` and of every visible subcommand below it into
/// `dir`, named as `man` looks them up (`dangke.1`, `dangke-db-backup.1`).
fn write_pages(
    cmd: &clap::Command,
    dir: &Path,
    written: &mut Vec<std::path::PathBuf>,
) -> Result<()> {
    let name = cmd.get_display_name().unwrap_or_else(|| cmd.get_name());
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, page(cmd)?).map_err(|source| Error::Io {
        action: "写入手册页",
        path: path.clone(),
        source,
    })?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir, written)?;
    }
    Ok(())
}
