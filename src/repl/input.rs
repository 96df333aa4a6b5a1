//! Where typed lines come from: rustyline on a terminal (line editing,
//! history, Tab completion of commands, Ctrl-C that clears the line or ends
//! on an empty one), or plain lines from a pipe in scripted mode.

use std::io::BufRead;
use std::path::PathBuf;

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{
    Cmd, ConditionalEventHandler, Context, Editor, Event, EventContext, EventHandler, Helper,
    KeyEvent, Movement, RepeatCount,
};

/// What one read gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    Line(String),
    /// Ctrl-C on an empty line.
    Interrupted,
    /// Ctrl-D, or the end of piped input.
    Eof,
}

/// A source of typed lines.
pub trait LineSource {
    /// Shows `prompt` and reads a line. `out` is where the session prints;
    /// it is flushed first so the prompt follows what came before.
    fn read(&mut self, prompt: &str, out: &mut dyn std::io::Write) -> Read;
    /// Whether a person is typing (a terminal), as opposed to a script.
    fn interactive(&self) -> bool;
}

/// Commands offered by Tab completion.
pub const COMMANDS: &[&str] = &[
    ":h", ":s", ":u", ":e", ":f", ":stats", ":suspend", ":q", ":?", ":提示", ":跳过", ":撤销",
    ":解析", ":标记", ":暂停", ":统计", ":退出", ":帮助",
];

struct CommandHelper;

impl Completer for CommandHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let typed = &line[..pos];
        if !typed.starts_with(':') && !typed.starts_with('：') {
            return Ok((0, Vec::new()));
        }
        let typed = typed.replacen('：', ":", 1);
        let matches = COMMANDS
            .iter()
            .filter(|c| c.starts_with(typed.as_str()))
            .map(|c| Pair {
                display: (*c).to_owned(),
                replacement: (*c).to_owned(),
            })
            .collect();
        Ok((0, matches))
    }
}

impl Hinter for CommandHelper {
    type Hint = String;
}
impl Highlighter for CommandHelper {}
impl Validator for CommandHelper {}
impl Helper for CommandHelper {}

/// Ctrl-C clears a line that has text; on an empty line it interrupts.
struct CtrlC;

impl ConditionalEventHandler for CtrlC {
    fn handle(&self, _: &Event, _: RepeatCount, _: bool, ctx: &EventContext<'_>) -> Option<Cmd> {
        if ctx.line().is_empty() {
            None
        } else {
            Some(Cmd::Kill(Movement::WholeLine))
        }
    }
}

/// Line editing on a terminal.
pub struct Terminal {
    editor: Editor<CommandHelper, DefaultHistory>,
    history: Option<PathBuf>,
}

impl Terminal {
    pub fn new(history: Option<PathBuf>) -> rustyline::Result<Terminal> {
        let config = rustyline::Config::builder()
            .auto_add_history(false)
            .completion_type(rustyline::CompletionType::List)
            .build();
        let mut editor = Editor::with_config(config)?;
        editor.set_helper(Some(CommandHelper));
        editor.bind_sequence(
            KeyEvent::ctrl('C'),
            EventHandler::Conditional(Box::new(CtrlC)),
        );
        if let Some(path) = &history {
            // A missing or unreadable history file is not worth a message.
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = editor.load_history(path);
        }
        Ok(Terminal { editor, history })
    }
}

impl LineSource for Terminal {
    fn read(&mut self, prompt: &str, out: &mut dyn std::io::Write) -> Read {
        let _ = out.flush();
        match self.editor.readline(prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = self.editor.add_history_entry(line.as_str());
                    if let Some(path) = &self.history {
                        let _ = self.editor.append_history(path);
                    }
                }
                Read::Line(line)
            }
            Err(ReadlineError::Interrupted) => Read::Interrupted,
            Err(_) => Read::Eof,
        }
    }

    fn interactive(&self) -> bool {
        true
    }
}

/// Lines from a pipe: one per prompt. The prompt and the line read are
/// echoed to the output, so a transcript reads like the terminal session.
pub struct Script<R: BufRead> {
    input: R,
}

impl<R: BufRead> Script<R> {
    pub fn new(input: R) -> Self {
        Script { input }
    }
}

impl<R: BufRead> LineSource for Script<R> {
    fn read(&mut self, prompt: &str, out: &mut dyn std::io::Write) -> Read {
        let _ = write!(out, "{prompt}");
        let mut buf = Vec::new();
        match self.input.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => {
                let _ = writeln!(out);
                Read::Eof
            }
            Ok(_) => {
                let line = String::from_utf8_lossy(&buf);
                let line = crate::term::sanitize_line(line.trim_end_matches(['\n', '\r']));
                let _ = writeln!(out, "{line}");
                Read::Line(line)
            }
        }
    }

    fn interactive(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_reads_lines_echoes_them_and_ends_at_eof() {
        let mut echo = Vec::new();
        let mut s = Script::new("铜墙铁壁\r\n\n".as_bytes());
        assert_eq!(s.read("答> ", &mut echo), Read::Line("铜墙铁壁".into()));
        assert_eq!(s.read("评分> ", &mut echo), Read::Line(String::new()));
        assert_eq!(s.read("答> ", &mut echo), Read::Eof);
        assert!(!s.interactive());
        assert_eq!(
            String::from_utf8(echo).unwrap(),
            "答> 铜墙铁壁\n评分> \n答> \n"
        );
    }

    #[test]
    fn invalid_utf8_input_does_not_panic() {
        let mut s = Script::new(&b"\xff\xfe\x1b[2J\n"[..]);
        let mut echo = Vec::new();
        assert!(matches!(s.read("> ", &mut echo), Read::Line(_)));
        assert!(!echo.contains(&0x1b), "escape sequences are not echoed");
    }
}
