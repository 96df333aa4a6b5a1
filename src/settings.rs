//! The settings file a learner keeps between runs (`config.toml` in the
//! config dir, or the file named by `DANGKE_CONFIG`): deck folders,
//! learner name, daily limits and retention, so none of them has to be
//! typed on every command line. Reading only; flags override it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// What the settings file may hold; every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Deck folders or files; relative paths are relative to the file.
    #[serde(default)]
    pub decks: Vec<PathBuf>,
    pub learner: Option<String>,
    pub new_per_day: Option<u32>,
    pub reviews_per_day: Option<u32>,
    pub retention: Option<f32>,
}

/// Where the settings file is: `DANGKE_CONFIG`, or `config.toml` in the
/// user's config dir (`~/.config/dangke` on Linux, `%APPDATA%\dangke\config`
/// on Windows, `~/Library/Application Support/dangke` on macOS).
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DANGKE_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "dangke").map(|d| d.config_dir().join("config.toml"))
}

/// The settings at `path`; a missing file is empty settings, a broken one
/// is a usage error naming the file.
pub fn load(path: Option<&Path>) -> Result<Settings> {
    let Some(path) = path else {
        return Ok(Settings::default());
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => {
            return Err(Error::Usage(format!(
                "无法读取设置文件“{}”：{}",
                path.display(),
                crate::diag::io_reason(&e)
            )));
        }
    };
    parse(&text, path)
}

fn parse(text: &str, path: &Path) -> Result<Settings> {
    let bad = |why: String| Error::Usage(format!("设置文件“{}”有误：{why}", path.display()));
    let mut settings: Settings = toml::from_str(text).map_err(|e| {
        let why = match e.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("第 {line} 行：{}", localize_toml(e.message()))
            }
            None => localize_toml(e.message()),
        };
        bad(why)
    })?;
    if let Some(r) = settings.retention {
        if !(0.70..=0.99).contains(&r) {
            return Err(bad(format!(
                "retention 应为 0.70 到 0.99 之间的小数，现在是 {r}"
            )));
        }
    }
    for (key, value) in [
        ("new_per_day", settings.new_per_day),
        ("reviews_per_day", settings.reviews_per_day),
    ] {
        if value.is_some_and(|v| v > 10_000) {
            return Err(bad(format!("{key} 应在 0 到 10000 之间")));
        }
    }
    let base = path.parent().unwrap_or(Path::new(""));
    for dir in &mut settings.decks {
        if dir.is_relative() {
            *dir = base.join(&*dir);
        }
    }
    settings.learner = settings
        .learner
        .map(|l| crate::term::sanitize_line(l.trim()))
        .filter(|l| !l.is_empty());
    Ok(settings)
}

/// The few TOML messages a settings file is likely to produce, in Chinese.
fn localize_toml(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!(
            "不认识的设置项 {field}（可用：decks、learner、new_per_day、reviews_per_day、retention）"
        );
    }
    if message.starts_with("invalid type") {
        return format!("值的类型不对（{message}）");
    }
    format!("格式错误（{}）", message.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_read_and_relative_deck_paths_follow_the_file() {
        let s = parse(
            "decks = [\"mine\", \"/abs\"]\nlearner = \" 张三 \"\nnew_per_day = 30\nreviews_per_day = 100\nretention = 0.85\n",
            Path::new("/home/u/.config/dangke/config.toml"),
        )
        .unwrap();
        assert_eq!(
            s.decks,
            vec![
                PathBuf::from("/home/u/.config/dangke/mine"),
                PathBuf::from("/abs")
            ]
        );
        assert_eq!(s.learner.as_deref(), Some("张三"));
        assert_eq!((s.new_per_day, s.reviews_per_day), (Some(30), Some(100)));
        assert_eq!(s.retention, Some(0.85));
    }

    #[test]
    fn mistakes_are_named_in_chinese_with_the_line() {
        let p = Path::new("c.toml");
        let e = parse("learner = \"a\"\nnew = 3\n", p)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("第 2 行") && e.contains("不认识的设置项 new"),
            "{e}"
        );
        let e = parse("retention = 0.5\n", p).unwrap_err().to_string();
        assert!(e.contains("0.70 到 0.99"), "{e}");
        assert_eq!(
            load(Some(Path::new("/no/such/dangke.toml"))).unwrap(),
            Settings::default()
        );
    }
}
