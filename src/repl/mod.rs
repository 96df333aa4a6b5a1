//! The terminal side of studying and quizzing: reading lines (rustyline or
//! a script), parsing `:` commands, and rendering cards and feedback.

pub mod countdown;
pub mod input;
pub mod render;

use std::io::IsTerminal;
use std::path::Path;

use input::{LineSource, Script, Terminal};

/// A `:` command typed instead of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Hint,
    Skip,
    Undo,
    Explain,
    Stats,
    Flag,
    Suspend,
    Quit,
    Help,
    Unknown(String),
}

/// Parses `:h`, `：提示` and the like; `None` when the line is an answer.
pub fn command(line: &str) -> Option<Command> {
    let trimmed = line.trim();
    let rest = trimmed
        .strip_prefix(':')
        .or_else(|| trimmed.strip_prefix('：'))?;
    Some(match rest.trim() {
        "h" | "hint" | "提示" => Command::Hint,
        "s" | "skip" | "跳过" => Command::Skip,
        "u" | "undo" | "撤销" => Command::Undo,
        "e" | "explain" | "解析" => Command::Explain,
        "stats" | "统计" => Command::Stats,
        "f" | "flag" | "标记" => Command::Flag,
        "suspend" | "暂停" => Command::Suspend,
        "q" | "quit" | "退出" => Command::Quit,
        "?" | "？" | "help" | "帮助" => Command::Help,
        other => Command::Unknown(other.to_owned()),
    })
}

pub const HELP: &str = "\
命令（以冒号开头，中文冒号也可以）：
  :h  :提示   看提示，再输入一次多给一点（首字、其中一项、排除一个选项）；
              用过提示最高只能评“困难”
  :s  :跳过   跳过这张卡片，明天再学
  :u  :撤销   撤销上一张卡片的评分（在评分提示处也可以）
  :e  :解析   查看解析和出处（算作用过提示）
  :f  :标记   标记这张卡片，或取消标记（dangke cards --flagged 列出）
  :暂停       暂停这张卡片，不再安排学习（dangke cards --resume 恢复）
  :stats      本次学习统计
  :q  :退出   结束学习（进度已随时保存）
  :?  :帮助   显示这段说明
答完后显示每个评分下次什么时候再见，按回车接受建议的评分，
或输入 1 重来、2 困难、3 良好、4 简单。
Ctrl-C 清空正在输入的内容；在空行上按 Ctrl-C 或按 Ctrl-D 结束学习。";

/// Reads from the terminal when stdin and stdout both are one, otherwise
/// line by line (scripted mode): with stdout redirected to a file, line
/// editing would write control sequences into it.
pub fn line_source(history: Option<&Path>) -> Box<dyn LineSource> {
    if std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
        && let Ok(terminal) = Terminal::new(history.map(Path::to_owned))
    {
        return Box::new(terminal);
    }
    Box::new(Script::new(std::io::stdin().lock()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_in_english_and_chinese_with_either_colon() {
        assert_eq!(command(":h"), Some(Command::Hint));
        assert_eq!(command("：提示"), Some(Command::Hint));
        assert_eq!(command(" :q "), Some(Command::Quit));
        assert_eq!(command(":？"), Some(Command::Help));
        assert_eq!(command(":xyz"), Some(Command::Unknown("xyz".into())));
        assert_eq!(command("铜墙铁壁"), None);
        assert_eq!(command(""), None);
    }
}
