//! Located diagnostics (`PATH:LINE:COL: 错误: …`) shared by deck and contest
//! checking, so every file problem a user sees points at the exact place.

use std::fmt;
use std::ops::Range;

use crate::term::{Painter, sanitize_line};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// One problem found in one file, with its position resolved to a 1-based
/// line and column (columns count characters, as editors do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    /// 1-based line and column; `None` for problems with the file as a whole.
    pub position: Option<(usize, usize)>,
    pub message: String,
    /// The offending source line, shown under the message.
    pub snippet: Option<String>,
}

/// A file's text with its line starts, for turning byte spans into
/// positions and quoting lines.
pub struct SourceText<'a> {
    pub path: &'a str,
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceText<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceText {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based (line, column) of a byte offset; offsets past the end or
    /// inside a character are clamped.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let col = self.text[start..offset].chars().count() + 1;
        (line, col)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }

    /// A diagnostic located at the start of `span`.
    pub fn at(&self, severity: Severity, span: Range<usize>, message: String) -> Diagnostic {
        let (line, col) = self.position(span.start);
        Diagnostic {
            severity,
            path: self.path.to_owned(),
            position: Some((line, col)),
            message,
            snippet: Some(self.line_text(line).to_owned()),
        }
    }

    /// An error at an already resolved 1-based (line, column).
    pub fn error_at(&self, (line, col): (usize, usize), message: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: self.path.to_owned(),
            position: Some((line, col)),
            message,
            snippet: Some(self.line_text(line).to_owned()),
        }
    }

    pub fn error(&self, span: Range<usize>, message: String) -> Diagnostic {
        self.at(Severity::Error, span, message)
    }

    pub fn warning(&self, span: Range<usize>, message: String) -> Diagnostic {
        self.at(Severity::Warning, span, message)
    }

    /// "第 N 行" for messages that refer to another place in the same file.
    pub fn line_of(&self, span: &Range<usize>) -> usize {
        self.position(span.start).0
    }
}

impl Diagnostic {
    /// A problem with a file as a whole (unreadable, too large, …).
    pub fn file_error(path: &str, message: String) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_owned(),
            position: None,
            message,
            snippet: None,
        }
    }

    /// A file skipped as a whole, without failing the load.
    pub fn file_warning(path: &str, message: String) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::file_error(path, message)
        }
    }

    /// `PATH:LINE:COL` or `PATH` alone.
    pub fn location(&self) -> String {
        match self.position {
            Some((line, col)) => format!("{}:{line}:{col}", self.path),
            None => self.path.clone(),
        }
    }

    /// Renders the diagnostic with its source line and a caret under the
    /// column, the way compilers do.
    pub fn render(&self, painter: &Painter) -> String {
        let label = match self.severity {
            Severity::Error => painter.error(self.severity.label()),
            Severity::Warning => painter.warning(self.severity.label()),
        };
        let mut out = format!(
            "{}: {label}: {}\n",
            painter.bold(&self.location()),
            sanitize_line(&self.message)
        );
        if let (Some(snippet), Some((line, col))) = (&self.snippet, self.position) {
            let (shown, caret_col) = clip_snippet(snippet, col);
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            let caret_pad: usize = shown
                .chars()
                .take(caret_col - 1)
                .map(crate::term::char_width)
                .sum();
            out.push_str(&format!("{pad} {}\n", painter.dim("|")));
            out.push_str(&format!(
                "{} {} {shown}\n",
                painter.dim(&gutter),
                painter.dim("|")
            ));
            out.push_str(&format!(
                "{pad} {} {}{}\n",
                painter.dim("|"),
                " ".repeat(caret_pad),
                painter.error("^")
            ));
        }
        out
    }
}

/// Keeps a shown source line to a readable length around the column, and
/// returns the column of the caret within what is shown.
fn clip_snippet(line: &str, col: usize) -> (String, usize) {
    const BEFORE: usize = 40;
    const AFTER: usize = 80;
    let clean = sanitize_line(line);
    let chars: Vec<char> = clean.chars().collect();
    let col = col.clamp(1, chars.len() + 1);
    if chars.len() <= BEFORE + AFTER {
        return (clean, col);
    }
    let start = (col - 1).saturating_sub(BEFORE);
    let end = (col - 1 + AFTER).min(chars.len());
    let mut shown = String::new();
    let mut caret = col - start;
    if start > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

/// Every diagnostic from one check or load, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(other);
    }

    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Only the errors, for commands that refuse to start on a bad deck.
    pub fn errors_only(&self) -> Report {
        Report {
            diagnostics: self
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned()
                .collect(),
        }
    }

    pub fn render(&self, painter: &Painter) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(painter))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&Painter::plain()))
    }
}

/// A short Chinese reason for an I/O error.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match err.kind() {
        K::NotFound => "文件或目录不存在".to_owned(),
        K::PermissionDenied => "没有权限".to_owned(),
        K::IsADirectory => "这是一个目录".to_owned(),
        K::NotADirectory => "路径中有一段不是目录".to_owned(),
        K::AlreadyExists => "已存在".to_owned(),
        K::BrokenPipe => "管道已关闭".to_owned(),
        K::InvalidData => "数据无效".to_owned(),
        K::StorageFull => "磁盘已满".to_owned(),
        _ => format!("系统错误（{err}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each I/O failure a user can cause has its own Chinese reason; only
    /// the rest fall back to the system's wording.
    #[test]
    fn io_errors_are_explained_in_chinese_by_kind() {
        use std::io::{Error, ErrorKind as K};
        for (kind, reason) in [
            (K::NotFound, "文件或目录不存在"),
            (K::PermissionDenied, "没有权限"),
            (K::IsADirectory, "这是一个目录"),
            (K::NotADirectory, "路径中有一段不是目录"),
            (K::AlreadyExists, "已存在"),
            (K::BrokenPipe, "管道已关闭"),
            (K::InvalidData, "数据无效"),
            (K::StorageFull, "磁盘已满"),
        ] {
            assert_eq!(io_reason(&Error::from(kind)), reason, "{kind:?}");
        }
        assert_eq!(io_reason(&Error::other("坏了")), "系统错误（坏了）");
    }

    #[test]
    fn a_long_line_is_clipped_around_the_caret() {
        // 200 characters, the mistake at column 100 (the "X").
        let line: String = (1..=200)
            .map(|i| if i == 100 { 'X' } else { '字' })
            .collect();
        let (shown, caret) = clip_snippet(&line, 100);
        let chars: Vec<char> = shown.chars().collect();
        // "…", 40 characters before the caret, the caret's, 79 after, "…".
        assert_eq!(chars.len(), 1 + 40 + 80 + 1);
        assert_eq!((chars[0], chars[chars.len() - 1]), ('…', '…'));
        assert_eq!(chars[caret - 1], 'X', "caret {caret} in {shown}");
        // Near the start nothing is cut before the caret.
        let (shown, caret) = clip_snippet(&line, 10);
        assert!(!shown.starts_with('…'));
        assert_eq!(caret, 10);
        // A short line is shown whole.
        assert_eq!(clip_snippet("a = 1", 3), ("a = 1".to_owned(), 3));
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let src = SourceText::new("x.toml", "a = 1\n标题 = \"党课\"\r\nz");
        assert_eq!(src.position(0), (1, 1));
        // "标题 = " is 3 + 3 + 3 bytes before the quote: column 6 in characters.
        let quote = src.text.find('"').unwrap();
        assert_eq!(src.position(quote), (2, 6));
        assert_eq!(src.line_text(2), "标题 = \"党课\"");
        assert_eq!(src.position(src.text.len()), (3, 2));
        assert_eq!(src.line_text(99), "");
    }

    #[test]
    fn position_inside_a_multibyte_char_is_clamped_back() {
        let src = SourceText::new("x.toml", "党课");
        assert_eq!(src.position(1), (1, 1));
        assert_eq!(src.position(4), (1, 2));
    }

    #[test]
    fn render_shows_line_and_caret_under_the_column() {
        let src = SourceText::new("d.toml", "[deck]\nanwser = \"x\"\n");
        let d = src.error(7..13, "未知的键 anwser".to_owned());
        let text = d.render(&Painter::plain());
        assert!(
            text.starts_with("d.toml:2:1: 错误: 未知的键 anwser\n"),
            "{text}"
        );
        assert!(text.contains("2 | anwser = \"x\""), "{text}");
        assert!(text.contains("  | ^"), "{text}");
    }

    #[test]
    fn caret_accounts_for_wide_characters() {
        let src = SourceText::new("d.toml", "标题 = 3");
        let d = src.error(9..10, "m".to_owned());
        let text = d.render(&Painter::plain());
        // Two wide characters (4 columns) + " = " (3 columns) before the caret.
        assert!(text.contains(&format!("  | {}^", " ".repeat(7))), "{text}");
    }

    #[test]
    fn very_long_lines_are_clipped_around_the_column() {
        let line = "x".repeat(10_000);
        let (shown, caret) = clip_snippet(&line, 5_000);
        assert!(shown.chars().count() < 130);
        assert_eq!(shown.chars().nth(caret - 1), Some('x'));
        assert!(shown.starts_with('…') && shown.ends_with('…'));
    }
}
