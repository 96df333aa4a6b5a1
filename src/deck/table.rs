//! Reading spanned TOML tables key by key, so that every missing key, wrong
//! type, empty string and unknown key becomes a located Chinese diagnostic
//! instead of serde's first English error.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, SourceText};

pub type Value<'i> = Spanned<DeValue<'i>>;

/// Collects diagnostics for one file.
pub struct Sink<'a> {
    pub src: &'a SourceText<'a>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(src: &'a SourceText<'a>) -> Self {
        Sink {
            src,
            diagnostics: Vec::new(),
        }
    }

    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let d = self.src.error(span, message.into());
        self.diagnostics.push(d);
    }

    pub fn warning(&mut self, span: Range<usize>, message: impl Into<String>) {
        let d = self.src.warning(span, message.into());
        self.diagnostics.push(d);
    }

    pub fn line(&self, span: &Range<usize>) -> usize {
        self.src.line_of(span)
    }
}

/// Parses a whole TOML file. A syntax error becomes one located diagnostic
/// (the parser's recovery after the first error mostly produces noise).
pub fn parse_document<'i>(sink: &mut Sink<'_>, text: &'i str) -> Option<DeTable<'i>> {
    match DeTable::parse(text) {
        Ok(table) => Some(table.into_inner()),
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            sink.error(span, syntax_message(err.message()));
            None
        }
    }
}

/// Puts the TOML parser's English message into Chinese. Unknown messages
/// keep the original text so nothing is lost.
fn syntax_message(message: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        ("string values must be quoted", "字符串值必须加引号"),
        ("unclosed table", "表头缺少右方括号 ]"),
        ("unclosed array", "数组缺少右方括号 ]"),
        ("unclosed inline table", "内联表缺少右花括号 }"),
        ("duplicate key", "键重复"),
        ("duplicate table", "表重复定义"),
        (
            "missing escaped value",
            "无效的转义序列（可用 \\n、\\\"、\\\\、\\uXXXX 等）",
        ),
        ("invalid escape", "无效的转义序列"),
        ("invalid unicode escape", "无效的 Unicode 转义"),
        ("cannot recurse further", "嵌套层数过深"),
        ("invalid literal string", "单引号字符串没有闭合"),
        ("invalid basic string", "双引号字符串没有闭合"),
        ("invalid multi-line basic string", "三引号字符串没有闭合"),
        (
            "invalid multi-line literal string",
            "三单引号字符串没有闭合",
        ),
        (
            "invalid unquoted key",
            "键名含有不允许的字符（裸键只能用字母、数字、-、_，其他请加引号）",
        ),
        (
            "unexpected key or value",
            "此处不应出现键或值（每行只能写一个 键 = 值）",
        ),
        ("missing key", "缺少键名"),
        ("missing value", "缺少值"),
        ("missing assignment", "缺少等号 ="),
        ("invalid integer", "无效的整数"),
        ("invalid float", "无效的小数"),
        ("invalid datetime", "无效的日期时间"),
        ("control characters", "字符串里不能有控制字符"),
        ("invalid comment", "注释里有不允许的字符"),
    ];
    let lower = message.to_lowercase();
    match KNOWN.iter().find(|(en, _)| lower.contains(en)) {
        Some((_, zh)) => format!("TOML 语法错误：{zh}"),
        None => format!("TOML 语法错误（{}）", message.trim()),
    }
}

/// The Chinese name of a TOML value's type, for "应为…，实际是…" messages.
pub fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "字符串",
        DeValue::Integer(_) => "整数",
        DeValue::Float(_) => "小数",
        DeValue::Boolean(_) => "布尔值",
        DeValue::Datetime(_) => "日期时间",
        DeValue::Array(_) => "数组",
        DeValue::Table(_) => "表",
    }
}

/// A table being read. Keys are taken one by one; whatever is left at the
/// end was not expected and is reported.
pub struct Fields<'t, 'i> {
    /// How the table is named in messages, e.g. `[deck]` or `卡片 "x"`.
    pub name: String,
    pub span: Range<usize>,
    entries: Vec<(&'t Spanned<std::borrow::Cow<'i, str>>, &'t Value<'i>, bool)>,
}

impl<'t, 'i> Fields<'t, 'i> {
    /// The fields of one item of an array of tables `[[name]]`, or an
    /// error at the item when it is not a table.
    pub fn of_item(sink: &mut Sink<'_>, name: &str, item: &'t Value<'i>) -> Option<Self> {
        let DeValue::Table(table) = item.get_ref() else {
            sink.error(
                item.span(),
                format!(
                    "{name} 的每一项都应是表，实际是{}",
                    type_name(item.get_ref())
                ),
            );
            return None;
        };
        Some(Fields::new(format!("[[{name}]]"), item.span(), table))
    }

    pub fn new(name: impl Into<String>, span: Range<usize>, table: &'t DeTable<'i>) -> Self {
        Fields {
            name: name.into(),
            span,
            entries: table.iter().map(|(k, v)| (k, v, false)).collect(),
        }
    }

    /// Takes a key's value, marking it as used.
    pub fn take(&mut self, key: &str) -> Option<&'t Value<'i>> {
        let entry = self
            .entries
            .iter_mut()
            .find(|(k, _, used)| !*used && k.get_ref().as_ref() == key)?;
        entry.2 = true;
        Some(entry.1)
    }

    /// Whether the table has the key at all (taken or not).
    pub fn has(&self, key: &str) -> bool {
        self.entries
            .iter()
            .any(|(k, _, _)| k.get_ref().as_ref() == key)
    }

    fn missing(&self, sink: &mut Sink<'_>, key: &str) {
        sink.error(
            self.span.clone(),
            format!("{} 缺少必填的键 {key}", self.name),
        );
    }

    /// A required non-empty string.
    pub fn req_str(&mut self, sink: &mut Sink<'_>, key: &str) -> Option<Spanned<String>> {
        match self.take(key) {
            Some(v) => string(sink, key, v),
            None => {
                self.missing(sink, key);
                None
            }
        }
    }

    /// An optional non-empty string.
    pub fn opt_str(&mut self, sink: &mut Sink<'_>, key: &str) -> Option<Spanned<String>> {
        self.take(key).and_then(|v| string(sink, key, v))
    }

    /// An optional array of non-empty strings; repeats are warned about
    /// and dropped.
    pub fn str_list(&mut self, sink: &mut Sink<'_>, key: &str) -> Vec<Spanned<String>> {
        match self.take(key) {
            Some(v) => string_array(sink, key, v, Repeats::Warn),
            None => Vec::new(),
        }
    }

    /// An optional boolean.
    pub fn opt_bool(&mut self, sink: &mut Sink<'_>, key: &str) -> Option<bool> {
        let v = self.take(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                sink.error(
                    v.span(),
                    format!("{key} 应为 true 或 false，实际是{}", type_name(other)),
                );
                None
            }
        }
    }

    /// An optional integer within `range` (inclusive).
    pub fn opt_int(
        &mut self,
        sink: &mut Sink<'_>,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let v = self.take(key)?;
        integer(sink, key, v, range)
    }

    /// Reports every key that was not taken. `elsewhere` lists keys that
    /// are valid in this kind of table but not here, with the reason.
    pub fn finish(
        self,
        sink: &mut Sink<'_>,
        known: &[&str],
        not_here: impl Fn(&str) -> Option<String>,
    ) {
        for (key, _, used) in self.entries {
            if used {
                continue;
            }
            let name = key.get_ref().as_ref();
            let message = if let Some(reason) = not_here(name) {
                reason
            } else {
                let mut m = format!("{} 中有未知的键 {name}", self.name);
                if let Some(near) = closest(name, known) {
                    m.push_str(&format!("（是不是想写 {near}？）"));
                } else {
                    m.push_str(&format!("（可用的键：{}）", known.join("、")));
                }
                m
            };
            sink.error(key.span(), message);
        }
    }
}

/// An integer value within `range`.
pub fn integer(
    sink: &mut Sink<'_>,
    key: &str,
    v: &Value<'_>,
    range: std::ops::RangeInclusive<i64>,
) -> Option<i64> {
    match v.get_ref() {
        DeValue::Integer(n) => match i64::from_str_radix(n.as_str(), n.radix()) {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                sink.error(
                    v.span(),
                    format!("{key} 应在 {} 到 {} 之间", range.start(), range.end()),
                );
                None
            }
        },
        other => {
            sink.error(
                v.span(),
                format!("{key} 应为整数，实际是{}", type_name(other)),
            );
            None
        }
    }
}

/// A string value that must not be empty or blank.
pub fn string(sink: &mut Sink<'_>, key: &str, v: &Value<'_>) -> Option<Spanned<String>> {
    match v.get_ref() {
        DeValue::String(s) if s.trim().is_empty() => {
            sink.error(v.span(), format!("{key} 不能为空"));
            None
        }
        // Control characters (terminal escapes, bidi overrides) never
        // enter the model: deck text is printed in many places.
        DeValue::String(s) => Some(Spanned::new(v.span(), crate::term::sanitize(s))),
        other => {
            sink.error(
                v.span(),
                format!("{key} 应为字符串，实际是{}", type_name(other)),
            );
            None
        }
    }
}

/// What to do with a repeated element of a string array.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Repeats {
    /// Harmless (a repeated tag or accepted form): warn and drop it.
    Warn,
    /// Meaningful (a repeated option would shift every letter): an error,
    /// and the element is kept so positions stay as written.
    Error,
}

/// An array of non-empty strings. Bad elements are reported and skipped;
/// repeated elements are handled as `repeats` says.
pub fn string_array(
    sink: &mut Sink<'_>,
    key: &str,
    v: &Value<'_>,
    repeats: Repeats,
) -> Vec<Spanned<String>> {
    let DeValue::Array(items) = v.get_ref() else {
        sink.error(
            v.span(),
            format!("{key} 应为字符串数组，实际是{}", type_name(v.get_ref())),
        );
        return Vec::new();
    };
    let mut out: Vec<Spanned<String>> = Vec::new();
    for item in items.iter() {
        let Some(s) = string(sink, key, item) else {
            continue;
        };
        if let Some(first) = out.iter().find(|o| o.get_ref() == s.get_ref()) {
            let line = sink.line(&first.span());
            let message = format!("{key} 中的“{}”重复（第 {line} 行已有）", s.get_ref());
            if repeats == Repeats::Warn {
                sink.warning(s.span(), message);
                continue;
            }
            sink.error(s.span(), message);
        }
        out.push(s);
    }
    out
}

/// The known key closest to a misspelt one, if it is close enough.
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance with adjacent transpositions, on characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 3 || a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Whether a TOML file is of a kind told by its top-level tables (a
/// contest, live or paper file rather than a deck). Only a file with a line
/// starting with one of `headers` is parsed here (decks are parsed once,
/// later), so a deck whose multi-line string holds such a line stays a
/// deck; a file that does not parse counts as of the kind, so that kind's
/// checker reports its syntax errors. Otherwise `tables` decides, asked
/// whether each top-level key is present.
pub fn is_file_of(
    text: &str,
    headers: &[&str],
    tables: impl Fn(&dyn Fn(&str) -> bool) -> bool,
) -> bool {
    let looks_like = text
        .lines()
        .map(str::trim)
        .any(|l| headers.iter().any(|h| l.starts_with(h)));
    if !looks_like {
        return false;
    }
    match DeTable::parse(text) {
        Ok(doc) => tables(&|key: &str| doc.get_ref().keys().any(|k| k.get_ref().as_ref() == key)),
        Err(_) => true,
    }
}

/// Byte offsets of the lines starting (after indentation) with `header`,
/// such as `[[round]]`, in order.
pub fn header_offsets(text: &str, header: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(header) {
            out.push(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_key_a_typo_meant() {
        let known = ["id", "kind", "prompt", "answer", "accept", "explain"];
        assert_eq!(closest("anwser", &known), Some("answer"));
        assert_eq!(closest("promt", &known), Some("prompt"));
        assert_eq!(closest("explian", &known), Some("explain"));
        assert_eq!(closest("zzzzzzzz", &known), None);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kind", "kind"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
        // Each dropped or added letter costs one.
        assert_eq!(edit_distance("count", "cont"), 1);
        assert_eq!(edit_distance("cont", "count"), 1);
        assert_eq!(edit_distance("questions", "question"), 1);
    }
}
