//! The settings file a learner keeps between runs (`config.toml` in the
//! config dir, or the file named by `DANGKE_CONFIG`): deck folders,
//! learner name, daily limits and retention, so none of them has to be
//! typed on every command line. Reading only; flags override it.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

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
            return Err(Error::Settings(format!(
                "无法读取设置文件“{}”：{}",
                path.display(),
                crate::diag::io_reason(&e)
            )));
        }
    };
    parse(&text, path)
}

/// The file as written, each value kept with where it is, so every
/// mistake can be named in Chinese with its line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    decks: Option<Spanned<toml::Value>>,
    learner: Option<Spanned<toml::Value>>,
    new_per_day: Option<Spanned<toml::Value>>,
    reviews_per_day: Option<Spanned<toml::Value>>,
    retention: Option<Spanned<toml::Value>>,
}

fn parse(text: &str, path: &Path) -> Result<Settings> {
    let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
    let bad = |at: usize, why: String| {
        Error::Settings(format!(
            "设置文件“{}”第 {} 行有误：{why}",
            path.display(),
            line_of(at)
        ))
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let why = localize_toml(e.message());
        match e.span() {
            Some(span) => bad(span.start, why),
            None => Error::Settings(format!("设置文件“{}”有误：{why}", path.display())),
        }
    })?;
    let mut settings = Settings::default();
    if let Some(v) = raw.decks {
        let at = v.span().start;
        let hint = "decks 应为用引号括起的卡组文件夹列表，如 decks = [\"我的卡组\"]";
        let toml::Value::Array(items) = v.into_inner() else {
            return Err(bad(at, hint.to_owned()));
        };
        for item in items {
            let toml::Value::String(dir) = item else {
                return Err(bad(at, hint.to_owned()));
            };
            settings.decks.push(PathBuf::from(dir));
        }
    }
    if let Some(v) = raw.learner {
        let at = v.span().start;
        let toml::Value::String(name) = v.into_inner() else {
            return Err(bad(
                at,
                "learner 应为用引号括起的名字，如 learner = \"张三\"".to_owned(),
            ));
        };
        settings.learner = Some(name);
    }
    for (key, value, slot) in [
        ("new_per_day", raw.new_per_day, &mut settings.new_per_day),
        (
            "reviews_per_day",
            raw.reviews_per_day,
            &mut settings.reviews_per_day,
        ),
    ] {
        let Some(v) = value else { continue };
        let at = v.span().start;
        match v.into_inner() {
            toml::Value::Integer(n) if (0..=10_000).contains(&n) => *slot = Some(n as u32),
            other => {
                return Err(bad(
                    at,
                    format!("{key} 应为 0 到 10000 之间的整数，现在是 {}", shown(&other)),
                ));
            }
        }
    }
    if let Some(v) = raw.retention {
        let at = v.span().start;
        let r = match v.into_inner() {
            toml::Value::Float(r) if (0.70..=0.99).contains(&r) => r as f32,
            other => {
                return Err(bad(
                    at,
                    format!(
                        "retention 应为 0.70 到 0.99 之间的小数，如 retention = 0.9，现在是 {}",
                        shown(&other)
                    ),
                ));
            }
        };
        settings.retention = Some(r);
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

/// A value as the user wrote it, for quoting back in a message.
fn shown(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("\"{}\"", crate::term::sanitize_line(s)),
        other => other.to_string(),
    }
}

/// The TOML messages a settings file is likely to produce, in Chinese.
fn localize_toml(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!(
            "不认识的设置项 {field}（可用：decks、learner、new_per_day、reviews_per_day、retention）"
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate key `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("设置项 {field} 写了两次");
    }
    if message.contains("string values must be quoted") {
        return "文字要用英文双引号括起来，如 learner = \"张三\"".to_owned();
    }
    if message.contains("missing closing quote") || message.contains("unterminated") {
        return "引号没有配对（文字要用英文双引号括起来）".to_owned();
    }
    "不是有效的设置行（每行应为 设置项 = 值，文字用英文双引号括起来，如 learner = \"张三\"）"
        .to_owned()
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

    #[test]
    fn every_wrong_value_is_named_in_chinese_with_its_line() {
        let p = Path::new("c.toml");
        for (text, line, want) in [
            ("\nlearner = 3\n", 2, "learner 应为用引号括起的名字"),
            (
                "new_per_day = -2\n",
                1,
                "new_per_day 应为 0 到 10000 之间的整数，现在是 -2",
            ),
            ("\n\nlearner = 张三\n", 3, "文字要用英文双引号括起来"),
            (
                "decks = \"abc\"\n",
                1,
                "decks 应为用引号括起的卡组文件夹列表",
            ),
            (
                "retention = \"高\"\n",
                1,
                "retention 应为 0.70 到 0.99 之间的小数",
            ),
            ("learner = \"a\"\nretention = 1.5\n", 2, "现在是 1.5"),
            (
                "reviews_per_day = 20000\n",
                1,
                "reviews_per_day 应为 0 到 10000",
            ),
        ] {
            let e = parse(text, p).unwrap_err();
            assert_eq!(e.exit(), crate::error::Exit::Failure, "{text}");
            let e = e.to_string();
            assert!(e.contains(&format!("第 {line} 行")), "{text}: {e}");
            assert!(e.contains(want), "{text}: {e}");
            assert!(
                !e.contains("invalid") && !e.contains("expected"),
                "{text}: {e}"
            );
        }
    }
}
