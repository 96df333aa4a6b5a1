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

/// Punctuation that must not start a line (Chinese line-breaking rules,
/// GB/T 15834 and the W3C clreq): it stays with the character before it.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '”'
            | '’'
            | '）'
            | '》'
            | '〉'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '］'
            | '｝'
            | '·'
            | '・'
            | '%'
            | '％'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
    )
}

/// Punctuation that must not end a line: it stays with what follows.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '“' | '‘'
            | '（'
            | '《'
            | '〈'
            | '「'
            | '『'
            | '【'
            | '〔'
            | '［'
            | '｛'
            | '('
            | '['
            | '{'
    )
}

/// Characters whose runs are never split: a ＿＿ blank, an ellipsis or
/// dash pair, or a run of Latin letters, digits and symbols (a word, a
/// number, an option such as `--resume`).
fn run_class(c: char) -> Option<u8> {
    match c {
        '＿' | '_' => Some(1),
        '…' => Some(2),
        '—' => Some(3),
        // A Latin word, a number, an option like --resume, a path.
        c if c.is_ascii_graphic() && !is_closing(c) && !is_opening(c) => Some(4),
        _ => None,
    }
}

/// Splits a line into the units a line may break between.
fn break_units(line: &str) -> Vec<String> {
    let mut base: Vec<String> = Vec::new();
    let mut prev_class = None;
    for c in line.chars() {
        let class = run_class(c);
        match (class, base.last_mut()) {
            (Some(k), Some(last)) if prev_class == Some(k) => last.push(c),
            _ => base.push(c.to_string()),
        }
        prev_class = class;
    }
    let mut units: Vec<String> = Vec::with_capacity(base.len());
    let mut glue_next = false;
    for token in base {
        let first = token.chars().next().unwrap_or(' ');
        let last_char = token.chars().last().unwrap_or(' ');
        match units.last_mut() {
            Some(last) if glue_next || is_closing(first) => last.push_str(&token),
            _ => units.push(token),
        }
        glue_next = is_opening(last_char);
    }
    units
}

/// Wraps text to `width` terminal columns, counting CJK characters as
/// two. Follows the Chinese line-breaking rules: no line starts with
/// closing punctuation or ends with opening punctuation, and a ＿＿ blank,
/// an ellipsis, a Latin word or a number is never split (unless it is
/// wider than the whole line). Keeps existing line breaks. `width` 0
/// means no wrapping.
pub fn wrap(text: &str, width: usize) -> String {
    if width == 0 {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut col = 0;
        for unit in break_units(line) {
            let w = self::width(&unit);
            if col > 0 && col + w > width {
                out.push('\n');
                col = 0;
                if unit == " " {
                    continue;
                }
            }
            if w > width {
                // Too wide for any line: break it character by character.
                for c in unit.chars() {
                    let cw = char_width(c);
                    if col > 0 && col + cw > width {
                        out.push('\n');
                        col = 0;
                    }
                    out.push(c);
                    col += cw;
                }
            } else {
                out.push_str(&unit);
                col += w;
            }
        }
    }
    out
}

/// Reading text is wrapped at most this wide, however wide the terminal.
pub const READING_WIDTH: usize = 100;

/// The terminal's width in columns, if stdout is a terminal: asked of the
/// `COLUMNS` when set (POSIX lets it override), then the terminal itself, then 80.
pub fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    // POSIX: COLUMNS, when set, overrides the size the system reports.
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&c: &usize| c >= 20);
    columns
        .or_else(|| {
            crossterm::terminal::size()
                .ok()
                .map(|(cols, _)| usize::from(cols))
                .filter(|&c| c >= 20)
        })
        .or(Some(80))
}

/// The width to wrap reading text at: the terminal's, capped near 100
/// columns; 0 (no wrapping) when stdout is not a terminal.
pub fn reading_width() -> usize {
    terminal_width().map_or(0, |w| w.min(READING_WIDTH))
}

/// Makes a table no wider than the terminal (cells wrap to fit); tables
/// written to a file or pipe keep their natural width.
pub fn fit_table(table: &mut comfy_table::Table) {
    if let Some(w) = terminal_width() {
        table
            .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
            .set_width(u16::try_from(w).unwrap_or(u16::MAX));
    }
}

/// A full-screen view (raw mode, alternate screen, hidden cursor) that puts
/// the terminal back however it ends, errors and panics included.
pub struct FullScreen;

impl FullScreen {
    pub fn enter() -> std::io::Result<FullScreen> {
        crossterm::terminal::enable_raw_mode()?;
        // Made before the next step so that its failure restores raw mode.
        let screen = FullScreen;
        crossterm::execute!(
            std::io::stdout(),
            crossterm::terminal::EnterAlternateScreen,
            crossterm::cursor::Hide
        )?;
        Ok(screen)
    }
}

impl Drop for FullScreen {
    fn drop(&mut self) {
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::cursor::Show,
            crossterm::terminal::LeaveAlternateScreen
        );
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// Whether the terminal has hung up (its window or multiplexer is gone).
/// Asked of poll(2) directly, because the terminal library loops forever
/// on a hung-up terminal: its reads fail with EIO or return nothing and it
/// retries at once.
#[cfg(unix)]
pub fn hung_up() -> bool {
    let mut fds = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, its count, and no waiting.
    let n = unsafe { libc::poll(&mut fds, 1, 0) };
    n > 0 && fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// Windows consoles do not hang up this way; reading fails instead.
#[cfg(not(unix))]
pub fn hung_up() -> bool {
    false
}

/// A last resort for full-screen loops: if the loop stops beating (it
/// stores `epoch.elapsed()` in milliseconds into `beat` on every turn)
/// while a signal is pending or the terminal is gone, it is stuck inside
/// the terminal library, which spins on a dead terminal. Everything the
/// caller acknowledged is already committed, so the process ends here with
/// `message` and exit code 1.
pub fn watchdog(
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    beat: std::sync::Arc<std::sync::atomic::AtomicU64>,
    epoch: std::time::Instant,
    message: &'static str,
) {
    use std::sync::atomic::Ordering;
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_millis(250));
            let now = epoch.elapsed().as_millis() as u64;
            let stale = now.saturating_sub(beat.load(Ordering::Relaxed)) > 1500;
            if stale && (stop.load(Ordering::Relaxed) || hung_up()) {
                let _ = crossterm::terminal::disable_raw_mode();
                // Not eprintln!: it panics when the terminal is gone.
                let _ =
                    std::io::Write::write_fmt(&mut std::io::stderr(), format_args!("{message}\n"));
                std::process::exit(1);
            }
        }
    });
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
        // Closing punctuation never starts a line: it takes the character
        // before it along.
        assert_eq!(wrap("党课学。", 6), "党课\n学。");
    }

    /// On a line narrower than one character (a one-column pane), each
    /// character goes on its own line: no empty line before it.
    #[test]
    fn a_character_wider_than_the_line_starts_no_empty_line() {
        assert_eq!(wrap("党课", 1), "党\n课");
        assert_eq!(wrap("＿＿。", 1), "＿\n＿\n。");
        assert_eq!(wrap("a党\n课", 1), "a\n党\n课");
    }

    #[test]
    fn wrap_follows_chinese_line_breaking_rules() {
        // From the widest unbreakable unit ("＿＿＿＿，", 10 columns) up.
        for width in 10..40 {
            let text =
                "我们共产党人好比＿＿＿＿，人民好比“土地”。（第一条：1934年1月，abc word）……完";
            let wrapped = wrap(text, width);
            for line in wrapped.lines() {
                assert!(self::width(line) <= width, "{width}: {wrapped}");
                let first = line.chars().next().unwrap();
                assert!(
                    !is_closing(first),
                    "{width}: line starts with {first}: {wrapped}"
                );
                let last = line.chars().last().unwrap();
                assert!(
                    !is_opening(last),
                    "{width}: line ends with {last}: {wrapped}"
                );
            }
            assert_eq!(
                wrapped.replace(['\n', ' '], ""),
                text.replace(' ', ""),
                "{width}"
            );
            assert!(
                !wrapped.contains("＿\n＿"),
                "{width}: blank split: {wrapped}"
            );
            assert!(
                !wrapped.contains("19\n34"),
                "{width}: number split: {wrapped}"
            );
        }
    }

    #[test]
    fn plain_painter_leaves_text_alone() {
        assert_eq!(Painter::plain().error("错"), "错");
        assert!(Painter::new(true).error("错").contains("\u{1b}["));
    }
}
