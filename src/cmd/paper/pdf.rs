//! A PDF of a paper: the HTML page printed by a headless Chromium, Chrome
//! or Edge (whichever is found first; `DANGKE_CHROMIUM` names one). The
//! browser writes into a folder of its own, and the PDF is copied into
//! place only when it printed, so a failed run never leaves a stale file.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Longest a browser may take to print one paper.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Browser programs looked for on PATH, in order.
const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
];

const NOT_FOUND: &str = "无法生成 PDF：没有找到 Chromium、Chrome 或 Edge 浏览器（PDF 由浏览器把试卷的 HTML 打印而成；可用环境变量 DANGKE_CHROMIUM 指定浏览器程序的路径）。也可以改用 -o 试卷.html 在浏览器中打印为 PDF，或 -o 试卷.docx 用 Word/WPS 另存为 PDF。";

/// Prints `html` to the PDF file `path`.
pub fn print(html: &str, path: &Path) -> Result<()> {
    let browser = find_browser()?;
    let dir = work_dir()?;
    let result = print_in(&browser, html, path, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn print_in(browser: &Path, html: &str, path: &Path, dir: &Path) -> Result<()> {
    let page = dir.join("paper.html");
    let pdf = dir.join("paper.pdf");
    std::fs::write(&page, html).map_err(|source| Error::Io {
        action: "写入",
        path: page.clone(),
        source,
    })?;
    // A file, not a pipe: a chatty browser must not block on a full pipe.
    let log = dir.join("browser.log");
    let stderr = std::fs::File::create(&log).map_err(|source| Error::Io {
        action: "创建",
        path: log.clone(),
        source,
    })?;
    let mut child = Command::new(browser)
        .arg("--headless")
        .arg("--no-sandbox")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--no-pdf-header-footer")
        .arg("--print-to-pdf-no-header")
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(&page))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .map_err(|e| {
            Error::Paper(format!(
                "无法生成 PDF：无法运行浏览器“{}”：{}",
                browser.display(),
                crate::diag::io_reason(&e)
            ))
        })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < TIMEOUT => {
                std::thread::sleep(Duration::from_millis(100));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let printed = std::fs::metadata(&pdf).is_ok_and(|m| m.len() > 0);
    if status.is_none_or(|s| !s.success()) || !printed {
        let stderr = std::fs::read_to_string(&log).unwrap_or_default();
        let last: Vec<&str> = stderr.lines().rev().take(3).collect();
        return Err(Error::Paper(format!(
            "无法生成 PDF：浏览器“{}”{}{}。可以改用 -o 试卷.html 在浏览器中打印为 PDF。",
            browser.display(),
            if status.is_none() {
                format!("在 {} 秒内没有完成", TIMEOUT.as_secs())
            } else {
                "没有打印出文件".to_owned()
            },
            if last.is_empty() {
                String::new()
            } else {
                format!(
                    "（{}）",
                    crate::term::sanitize_line(
                        &last.into_iter().rev().collect::<Vec<_>>().join(" ")
                    )
                )
            }
        )));
    }
    std::fs::copy(&pdf, path).map_err(|source| Error::Io {
        action: "写入",
        path: path.to_path_buf(),
        source,
    })?;
    Ok(())
}

/// A fresh folder for the page, the PDF and the browser's profile.
fn work_dir() -> Result<PathBuf> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "dangke-paper-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        action: "创建",
        path: dir.clone(),
        source,
    })?;
    Ok(dir)
}

/// `file:///tmp/x/paper.html`, or `file:///C:/…` on Windows.
fn file_url(path: &Path) -> String {
    let text = path.display().to_string().replace('\\', "/");
    format!("file:///{}", text.trim_start_matches('/'))
}

/// The browser to print with: `DANGKE_CHROMIUM`, else the first of
/// [`NAMES`] on PATH, else (Windows, macOS) where browsers are installed.
fn find_browser() -> Result<PathBuf> {
    if let Some(named) = std::env::var_os("DANGKE_CHROMIUM").filter(|v| !v.is_empty()) {
        let named = PathBuf::from(named);
        if named.is_file() {
            return Ok(named);
        }
        if let Some(found) = on_path(&named.to_string_lossy()) {
            return Ok(found);
        }
        return Err(Error::Paper(format!(
            "无法生成 PDF：环境变量 DANGKE_CHROMIUM 指定的浏览器“{}”不存在",
            named.display()
        )));
    }
    if let Some(found) = NAMES.iter().find_map(|n| on_path(n)) {
        return Ok(found);
    }
    installed()
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| Error::Paper(NOT_FOUND.to_owned()))
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let exe = dir.join(name);
        if exe.is_file() {
            return Some(exe);
        }
        let exe = dir.join(format!("{name}.exe"));
        (cfg!(windows) && exe.is_file()).then_some(exe)
    })
}

/// Where browsers are installed when not on PATH.
fn installed() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if cfg!(windows) {
        for var in ["ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"] {
            if let Some(base) = std::env::var_os(var) {
                let base = PathBuf::from(base);
                out.push(base.join(r"Microsoft\Edge\Application\msedge.exe"));
                out.push(base.join(r"Google\Chrome\Application\chrome.exe"));
            }
        }
    }
    if cfg!(target_os = "macos") {
        for app in [
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            "/Applications/Chromium.app/Contents/MacOS/Chromium",
            "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        ] {
            out.push(PathBuf::from(app));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_have_three_slashes() {
        assert_eq!(
            file_url(Path::new("/tmp/d/paper.html")),
            "file:///tmp/d/paper.html"
        );
        assert_eq!(
            file_url(Path::new(r"C:\Temp\paper.html")),
            "file:///C:/Temp/paper.html"
        );
    }
}
