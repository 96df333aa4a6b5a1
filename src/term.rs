//! Terminal manners in one place: whether to colour, how wide CJK text is,
//! and stripping control characters from deck text before it is printed.

use std::io::IsTerminal;

use owo_colors::OwoColorize;
use unicode_width::UnicodeWidthChar;

/// `--color auto|always|never`, decided once at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour only on a terminal, and never when `NO_COLOR` is set.
    #[default]
    #[value(help = "仅在终端上使用颜色（设置了 NO_COLOR 时不用）")]
    Auto,
    #[value(help = "总是使用颜色")]
    Always,
    #[value(help = "不使用颜色")]
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream, given whether it is a terminal and
    /// whether `NO_COLOR` is set (non-empty, per no-color.org).
    pub fn enabled(self, is_terminal: bool, no_color: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color,
        }
    }
}

/// Whether `NO_COLOR` asks for no colour.
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The decision for stdout and stderr, made once.
#[derive(Debug, Clone, Copy)]
pub struct Colors {
    pub stdout: bool,
    pub stderr: bool,
}

impl Colors {
    pub fn detect(choice: ColorChoice) -> Self {
        let no_color = no_color_env();
        Colors {
            stdout: choice.enabled(std::io::stdout().is_terminal(), no_color),
            stderr: choice.enabled(std::io::stderr().is_terminal(), no_color),
        }
    }
}

/// Applies styles when colour is on and passes text through untouched when
/// it is off, so callers never branch on colour themselves.
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    enabled: bool,
}

impl Painter {
    pub fn new(enabled: bool) -> Self {
        Painter { enabled }
    }

    pub fn plain() -> Self {
        Painter { enabled: false }
    }

    fn paint(&self, text: &str, style: owo_colors::Style) -> String {
        if self.enabled {
            text.style(style).to_string()
        } else {
            text.to_owned()
        }
    }

    pub fn error(&self, text: &str) -> String {
        self.paint(text, owo_colors::Style::new().red().bold())
    }

    pub fn warning(&self, text: &str) -> String {
        self.paint(text, owo_colors::Style::new().yellow().bold())
    }

    pub fn good(&self, text: &str) -> String {
        self.paint(text, owo_colors::Style::new().green().bold())
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(text, owo_colors::Style::new().bold())
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(text, owo_colors::Style::new().dimmed())
    }

    /// Any other style (the projector's colour-coded options).
    pub fn styled(&self, text: &str, style: owo_colors::Style) -> String {
        self.paint(text, style)
    }
}

/// Characters that must never reach a terminal from deck text: C0 and C1
/// controls (escape sequences start there), DEL, and bidirectional
/// overrides that could make text display differently from what it is.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Makes text safe to print on one line: tabs and line breaks become
/// spaces, every other unsafe character is dropped.
pub fn sanitize_line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Makes multi-line text safe to print: keeps line breaks, turns tabs into
/// spaces, drops every other unsafe character.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// At most `max` characters of `text`, with "…" when cut (long source
/// quotes are shown abridged; the deck keeps them whole).
pub fn abridge(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max).collect();
    s.push('…');
    s
}

/// Display width of one character in terminal columns (CJK is 2).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display width of a string in terminal columns.
pub fn width(text: &str) -> usize {
    text.chars().map(char_width).sum()
}

/// Wraps text to `width` terminal columns, counting CJK characters as
/// two. Breaks anywhere for CJK; keeps existing line breaks. `width` 0
/// means no wrapping.
pub fn wrap(text: &str, width: usize) -> String {
    if width == 0 {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut col = 0;
        for c in line.chars() {
            let w = char_width(c);
            // Do not start a line with closing punctuation when avoidable.
            let closing = matches!(
                c,
                '，' | '。' | '、' | '；' | '：' | '？' | '！' | '”' | '）' | '》'
            );
            if col + w > width && col > 0 && !(closing && col + w <= width + 2) {
                out.push('\n');
                col = 0;
            }
            out.push(c);
            col += w;
        }
    }
    out
}

/// The terminal's width in columns, if stdout is a terminal.
pub fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c: &usize| c >= 20)
        .or(Some(80))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colour_needs_a_terminal_and_no_no_color() {
        assert!(ColorChoice::Auto.enabled(true, false));
        assert!(!ColorChoice::Auto.enabled(false, false));
        assert!(!ColorChoice::Auto.enabled(true, true));
        assert!(ColorChoice::Always.enabled(false, true));
        assert!(!ColorChoice::Never.enabled(true, false));
    }

    #[test]
    fn sanitize_strips_escape_sequences_and_bidi_overrides() {
        let nasty = "党\u{1b}[2J课\u{7}\u{202E}学习\u{9b}卡";
        assert_eq!(sanitize_line(nasty), "党[2J课学习卡");
        assert_eq!(sanitize("一\n二\t三\r"), "一\n二 三");
        assert_eq!(sanitize_line("一\n二"), "一 二");
    }

    #[test]
    fn abridge_cuts_long_text_only() {
        assert_eq!(abridge("党课学习", 10), "党课学习");
        assert_eq!(abridge("党课学习卡", 2), "党课…");
    }

    #[test]
    fn cjk_is_two_columns_wide() {
        assert_eq!(width("党课ab"), 6);
        assert_eq!(width("Ａ"), 2);
        assert_eq!(width("\u{301}"), 0);
    }

    #[test]
    fn wrap_counts_cjk_as_two_columns() {
        assert_eq!(wrap("党课学习卡片", 6), "党课学\n习卡片");
        assert_eq!(wrap("ab\n党课", 3), "ab\n党\n课");
        assert_eq!(wrap("不换行", 0), "不换行");
        // Closing punctuation may hang past the edge rather than start a line.
        assert_eq!(wrap("党课学。", 6), "党课学。");
    }

    #[test]
    fn plain_painter_leaves_text_alone() {
        assert_eq!(Painter::plain().error("错"), "错");
        assert!(Painter::new(true).error("错").contains("\u{1b}["));
    }
}
