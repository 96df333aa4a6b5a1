//! The command line as clap sees it, with every help text and usage error
//! in Chinese. Parsing only: meaning is given in `config`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::term::ColorChoice;

const TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

#[derive(Debug, Parser)]
#[command(
    name = "dangke",
    version,
    about = "党课学习卡：间隔重复学习、自测与知识竞赛",
    long_about = None,
    next_help_heading = "选项",
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    after_help = "不带命令运行时进入学习（dangke study）。",
)]
pub struct Cli {
    /// 额外的卡组目录或文件（可重复；也可用环境变量 DANGKE_DECKS，多个用冒号分隔）
    #[arg(long = "decks", value_name = "目录", global = true)]
    pub decks: Vec<PathBuf>,

    /// 何时使用颜色
    #[arg(long, value_name = "何时", value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// 进度数据库文件（默认在用户数据目录下的 dangke/progress.db）
    #[arg(long, value_name = "文件", global = true, env = "DANGKE_DB")]
    pub db: Option<PathBuf>,

    /// 学习者名字（默认为系统用户名）
    #[arg(long, value_name = "名字", global = true, env = "DANGKE_LEARNER")]
    pub learner: Option<String>,

    /// 用这个时间代替系统时钟，让学习过程可以重现（RFC 3339）
    #[arg(long, value_name = "时间", global = true, env = "DANGKE_NOW", value_parser = parse_now)]
    pub now: Option<jiff::Timestamp>,

    /// 考试日期（YYYY-MM-DD），为当前学习者保存；写 none 清除
    #[arg(long, value_name = "日期", global = true, value_parser = parse_exam_date)]
    pub exam_date: Option<ExamDate>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--exam-date`: a date, or `none` to clear it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExamDate {
    Set(jiff::civil::Date),
    Clear,
}

fn parse_now(text: &str) -> Result<jiff::Timestamp, String> {
    crate::clock::parse_now(text)
}

fn parse_exam_date(text: &str) -> Result<ExamDate, String> {
    if matches!(text.trim(), "none" | "无" | "清除") {
        return Ok(ExamDate::Clear);
    }
    crate::clock::parse_date(text).map(ExamDate::Set)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查卡组文件，报告每一处错误的位置（文件:行:列）
    Check {
        /// 要检查的文件或目录；省略时检查所有已加载的卡组
        #[arg(value_name = "路径")]
        paths: Vec<PathBuf>,
        /// 原始文档目录：核对每张卡片的引文是否逐字出自对应文档（忽略空白）
        #[arg(long, value_name = "目录")]
        seeds: Option<PathBuf>,
    },
    /// 列出已加载的卡组及各题型的卡片数
    Decks,
    /// 列出所有学习者及其复习次数
    Learners,
    /// 学习统计：各卡组的新卡、学习中、复习中、到期数，7 天预测、保持率、热力图
    Stats {
        /// 只统计这个卡组
        #[arg(long, value_name = "卡组")]
        deck: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 用你自己的复习记录拟合 FSRS-6 参数
    Optimize,
    /// 进度数据库维护
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
    /// 给一个答案判分（供卡组作者测试可接受的答案）
    Grade {
        /// 卡片：卡组 id/卡片 id，如 wu-ge-bi-yu/zhong-zi-tu-di
        #[arg(value_name = "卡组/卡片")]
        card: String,
        /// 要判分的答案
        #[arg(value_name = "答案", allow_hyphen_values = true)]
        answer: String,
        /// 以 JSON 输出判分结果
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbAction {
    /// 检查数据库文件是否完好（PRAGMA integrity_check）
    Check,
}

/// The full clap command with Chinese help and version flags on every
/// subcommand.
pub fn command() -> clap::Command {
    localize(Cli::command())
}

fn localize(cmd: clap::Command) -> clap::Command {
    let is_root = cmd.get_name() == "dangke";
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .next_help_heading("选项")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if is_root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    }
    cmd.mut_subcommands(localize)
}

/// What parsing the command line gave: the arguments, or a message to
/// print and the exit code to end with (help and version end with 0).
pub enum Parsed {
    Run(Cli),
    Exit {
        message: String,
        to_stdout: bool,
        code: crate::Exit,
    },
}

pub fn parse<I, T>(args: I) -> Parsed
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = command().try_get_matches_from(args);
    match matches.and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => Parsed::Run(cli),
        Err(err) => match err.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Parsed::Exit {
                message: localize_help(&err.render().to_string()),
                to_stdout: true,
                code: crate::Exit::Ok,
            },
            _ => Parsed::Exit {
                message: usage_message(&err),
                to_stdout: false,
                code: crate::Exit::Usage,
            },
        },
    }
}

/// Puts the few words clap writes itself into Chinese.
fn localize_help(text: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("[OPTIONS]", "[选项]"),
        ("Arguments:", "参数："),
        ("Options:", "选项："),
        ("选项:", "选项："),
        ("命令:", "命令："),
        ("Possible values:", "可选值："),
        ("[default: ", "[默认："),
        ("[env: ", "[环境变量："),
        ("[possible values: ", "[可选："),
        ("[aliases: ", "[别名："),
    ];
    WORDS
        .iter()
        .fold(text.to_owned(), |acc, (en, zh)| acc.replace(en, zh))
}

fn context(err: &clap::Error, kind: ContextKind) -> String {
    match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A clap error in Chinese, with a suggestion where clap has one.
fn usage_message(err: &clap::Error) -> String {
    let arg = context(err, ContextKind::InvalidArg);
    let value = context(err, ContextKind::InvalidValue);
    let mut msg = match err.kind() {
        ErrorKind::UnknownArgument => format!("未知的参数 {arg}"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "未知的命令 {}",
                context(err, ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("参数 {arg} 需要一个值"),
        ErrorKind::InvalidValue => format!("参数 {arg} 的值“{value}”无效"),
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(err)
                .map(|e| format!("：{e}"))
                .unwrap_or_default();
            format!("参数 {arg} 的值“{value}”无效{reason}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令".to_owned()
        }
        ErrorKind::ArgumentConflict => format!(
            "参数 {arg} 不能与 {} 同时使用",
            context(err, ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 需要用 = 连接值"),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文本".to_owned(),
        _ => "命令行参数有误".to_owned(),
    };
    let valid = context(err, ContextKind::ValidValue);
    if !valid.is_empty() {
        msg.push_str(&format!("（可选：{valid}）"));
    }
    let suggested = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .map(|k| context(err, k))
        .find(|s| !s.is_empty());
    if let Some(s) = suggested {
        msg.push_str(&format!("\n提示：是不是想用 {s}？"));
    }
    msg.push_str("\n运行 dangke --help 查看用法。");
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(args: &[&str]) -> String {
        match parse(args) {
            Parsed::Exit { message, code, .. } => {
                assert_eq!(code, crate::Exit::Usage);
                message
            }
            Parsed::Run(cli) => panic!("parsed: {cli:?}"),
        }
    }

    #[test]
    fn clap_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn usage_errors_are_chinese_with_suggestions() {
        let m = usage(&["dangke", "chek"]);
        assert!(m.contains("未知的命令 chek"), "{m}");
        assert!(m.contains("check"), "{m}");
        let m = usage(&["dangke", "--colour", "never"]);
        assert!(m.contains("未知的参数 --colour"), "{m}");
        let m = usage(&["dangke", "--color", "sometimes"]);
        assert!(m.contains("“sometimes”无效"), "{m}");
        assert!(m.contains("never"), "{m}");
    }

    #[test]
    fn help_is_chinese_and_exits_zero() {
        let Parsed::Exit {
            message,
            code,
            to_stdout,
        } = parse(["dangke", "check", "--help"])
        else {
            panic!("help did not exit");
        };
        assert_eq!(code, crate::Exit::Ok);
        assert!(to_stdout);
        assert!(message.contains("用法："), "{message}");
        assert!(message.contains("显示帮助"), "{message}");
        assert!(!message.contains("Usage"), "{message}");
        assert!(!message.contains("Print help"), "{message}");
    }
}
