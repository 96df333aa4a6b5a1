//! The command line as clap sees it, with every help text and usage error
//! in Chinese. Parsing only: meaning is given in `config`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

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
    #[arg(long = "decks", value_name = "目录")]
    pub decks: Vec<PathBuf>,

    /// 何时使用颜色
    #[arg(long, value_name = "何时", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// 进度数据库文件（默认在用户数据目录下的 dangke/progress.db）
    #[arg(long, value_name = "文件", env = "DANGKE_DB", hide_env_values = true)]
    pub db: Option<PathBuf>,

    /// 学习者名字（默认为设置文件中的 learner，或系统用户名）
    #[arg(
        long,
        value_name = "名字",
        env = "DANGKE_LEARNER",
        hide_env_values = true
    )]
    pub learner: Option<String>,

    /// 用这个时间代替系统时钟，让学习过程可以重现（RFC 3339）
    #[arg(long, value_name = "时间", env = "DANGKE_NOW", hide_env_values = true, value_parser = parse_now)]
    pub now: Option<jiff::Timestamp>,

    /// 考试日期（YYYY-MM-DD），为当前学习者保存；写 none 清除
    #[arg(long, value_name = "日期", value_parser = parse_exam_date)]
    pub exam_date: Option<ExamDate>,

    /// 目标保持率（0.70–0.99，默认 0.90），为当前学习者保存：越高复习越勤
    #[arg(long, value_name = "比例", value_parser = parse_retention)]
    pub retention: Option<f32>,

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

fn parse_retention(text: &str) -> Result<f32, String> {
    let text = text.trim();
    let value: f32 = match text.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f32>().map(|p| p / 100.0),
        None => text.parse(),
    }
    .map_err(|_| "应为 0.70 到 0.99 之间的小数，如 0.9 或 90%".to_owned())?;
    if (0.70..=0.99).contains(&value) {
        Ok(value)
    } else {
        Err("应为 0.70 到 0.99 之间的小数，如 0.9 或 90%".to_owned())
    }
}

fn parse_exam_date(text: &str) -> Result<ExamDate, String> {
    if matches!(text.trim(), "none" | "无" | "清除") {
        return Ok(ExamDate::Clear);
    }
    crate::clock::parse_date(text).map(ExamDate::Set)
}

/// Which cards to study or quiz on.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// 只用这个卡组（可重复）
    #[arg(long = "deck", value_name = "卡组")]
    pub deck: Vec<String>,
    /// 只用带这个标签的卡片（可重复）
    #[arg(long = "tag", value_name = "标签")]
    pub tag: Vec<String>,
    /// 只用这些题型，逗号分隔：qa,fill,choice,multi,judge,list（或 简答,填空,单选,多选,判断,列举）
    #[arg(long, value_name = "题型", value_delimiter = ',', value_parser = parse_kind)]
    pub kinds: Vec<crate::deck::Kind>,
}

fn parse_kind(text: &str) -> Result<crate::deck::Kind, String> {
    let text = text.trim();
    crate::deck::Kind::ALL
        .into_iter()
        .find(|k| k.name() == text || k.label() == text)
        .ok_or_else(|| "应为 qa、fill、choice、multi、judge、list 之一".to_owned())
}

/// A whole number in `min..=max`, with the reason in Chinese.
fn parse_number(text: &str, min: u64, max: u64) -> Result<u64, String> {
    let n: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("应为 {min} 到 {max} 之间的整数"))?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(format!("应为 {min} 到 {max} 之间的整数"))
    }
}

fn parse_count(text: &str) -> Result<u32, String> {
    parse_number(text, 1, 1000).map(|n| n as u32)
}

fn parse_allowance(text: &str) -> Result<u32, String> {
    parse_number(text, 0, 10_000).map(|n| n as u32)
}

fn parse_id(text: &str) -> Result<i64, String> {
    parse_number(text, 1, i64::MAX as u64).map(|n| n as i64)
}

fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| "应为不小于 0 的整数".to_owned())
}

fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit())
        .map_or((text, "m"), |i| (&text[..i], text[i..].trim()));
    let n: u64 = number
        .parse()
        .map_err(|_| "应为时长，如 10m、90s、1h".to_owned())?;
    let secs = match unit {
        "s" | "秒" => n,
        "m" | "min" | "分" | "分钟" => n * 60,
        "h" | "小时" => n * 3600,
        _ => return Err("应为时长，如 10m、90s、1h".to_owned()),
    };
    if secs == 0 {
        return Err("时长必须大于 0".to_owned());
    }
    Ok(std::time::Duration::from_secs(secs))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 学习：按间隔重复复习到期的卡片并学习新卡片（不带命令时的默认功能）
    Study {
        #[command(flatten)]
        filter: FilterArgs,
        /// 只练错题本里的题（自测和竞赛中答错的）
        #[arg(long)]
        mistakes: bool,
        /// 在今天的新卡额度上再加这么多张（每日额度默认 20，可在设置文件中改）
        #[arg(long = "new", value_name = "张数", value_parser = parse_allowance)]
        new_per_day: Option<u32>,
        /// 在今天的复习额度上再加这么多次（每日额度默认 200，可在设置文件中改）
        #[arg(long = "reviews", value_name = "次数", value_parser = parse_allowance)]
        reviews_per_day: Option<u32>,
    },
    /// 自测：随机抽题考一次，给出百分制成绩，错题进入错题本
    Quiz {
        /// 题目数量
        #[arg(short = 'n', long = "count", value_name = "题数", default_value_t = 20, value_parser = parse_count)]
        count: u32,
        #[command(flatten)]
        filter: FilterArgs,
        /// 限时，如 10m、90s；到时未答的题记为未作答
        #[arg(long, value_name = "时长", value_parser = parse_duration)]
        time: Option<std::time::Duration>,
    },
    /// 检查卡组文件，报告每一处错误的位置（文件:行:列）
    Check {
        /// 要检查的文件或目录；省略时检查所有已加载的卡组
        #[arg(value_name = "路径")]
        paths: Vec<PathBuf>,
        /// 原始文档目录：核对每张卡片的引文是否逐字出自对应文档（忽略空白）
        #[arg(long, value_name = "目录")]
        seeds: Option<PathBuf>,
    },
    /// 知识竞赛：必答、抢答、风险题，投影全屏显示，主持人记分，结果保存
    Contest {
        /// 竞赛文件（省略时用内置赛制：三队、必答/抢答/风险，同分加赛）
        #[arg(value_name = "文件")]
        file: Option<PathBuf>,
        /// 结束后把排名导出为 CSV（UTF-8 带 BOM，Excel 可直接打开）
        #[arg(long, value_name = "文件")]
        export: Option<PathBuf>,
        /// 结束后把每道题和每个操作导出为 CSV
        #[arg(long = "export-log", value_name = "文件")]
        export_log: Option<PathBuf>,
        /// 彩排：不记录到数据库
        #[arg(long)]
        rehearsal: bool,
        /// 各队成员，如 "一组=张三,李四;二组=王五"：队伍答错的题进入成员的学习队列
        #[arg(long, value_name = "名单")]
        learners: Option<String>,
        /// 抽题种子：同一种子抽出同样的题，便于重演
        #[arg(long, value_name = "数字", value_parser = parse_seed)]
        seed: Option<u64>,
        /// 继续一场中断的竞赛（省略编号时为最近一场未结束的竞赛），按保存的操作恢复
        #[arg(long, value_name = "编号", num_args = 0..=1, default_missing_value = "0", conflicts_with_all = ["file", "rehearsal", "seed"])]
        resume: Option<i64>,
        /// 主持人控制台：在终端里逐行输入操作，不占全屏；投影用另一个终端运行 --screen
        #[arg(long)]
        host: bool,
        /// 只显示投影画面，跟随在另一个终端主持的竞赛（省略编号时为最近一场）
        #[arg(long, value_name = "编号", num_args = 0..=1, default_missing_value = "0", conflicts_with_all = ["file", "rehearsal", "seed", "resume", "host", "export", "export_log", "learners"])]
        screen: Option<i64>,
    },
    /// 列出以往的竞赛；给出编号时显示过程，或用 --export 重新导出
    Contests {
        /// 竞赛编号
        #[arg(value_name = "编号", value_parser = parse_id)]
        id: Option<i64>,
        /// 把这场的排名导出为 CSV
        #[arg(long, value_name = "文件")]
        export: Option<PathBuf>,
        /// 把这场的过程记录导出为 CSV
        #[arg(long = "export-log", value_name = "文件")]
        export_log: Option<PathBuf>,
    },
    /// 列出已加载的卡组及各题型的卡片数
    Decks {
        /// 显示内置卡组对五份原始文档知识点的覆盖情况
        #[arg(long)]
        coverage: bool,
    },
    /// 列出卡片编号（卡组/卡片）；暂停、恢复、标记卡片
    Cards(CardsArgs),
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

/// `dangke cards`.
#[derive(Debug, Clone, Default, Args)]
pub struct CardsArgs {
    /// 只列这个卡组（可重复）
    #[arg(long = "deck", value_name = "卡组")]
    pub deck: Vec<String>,
    /// 只列暂停的卡片
    #[arg(long)]
    pub suspended: bool,
    /// 只列标记的卡片
    #[arg(long)]
    pub flagged: bool,
    /// 暂停卡片（卡组/卡片，可重复）：不再安排学习
    #[arg(long, value_name = "卡组/卡片")]
    pub suspend: Vec<String>,
    /// 恢复暂停的卡片
    #[arg(long, value_name = "卡组/卡片")]
    pub resume: Vec<String>,
    /// 标记卡片
    #[arg(long, value_name = "卡组/卡片")]
    pub flag: Vec<String>,
    /// 取消标记
    #[arg(long, value_name = "卡组/卡片")]
    pub unflag: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum DbAction {
    /// 检查数据库文件是否完好，列出所有问题和最新的完好备份
    Check,
    /// 用 SQLite 在线备份把数据库复制一份（默认放在数据库旁边）
    Backup {
        /// 备份文件（默认：数据库旁边的 progress.db.backup-日期）
        #[arg(value_name = "文件")]
        file: Option<PathBuf>,
        /// 备份文件已存在时覆盖它
        #[arg(long)]
        force: bool,
    },
    /// 用备份替换数据库（先检查备份；当前文件另存保留）
    Restore {
        /// 要恢复的备份文件
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
}

/// The options given before or after the command name, and which commands
/// each one means something for (`db` covers `db check`).
const SHARED: &[(&str, &[&str])] = &[
    (
        "decks",
        &[
            "study", "quiz", "check", "contest", "decks", "stats", "grade", "cards",
        ],
    ),
    (
        "color",
        &[
            "study", "quiz", "check", "contest", "contests", "decks", "learners", "stats",
            "optimize", "db", "grade", "cards",
        ],
    ),
    (
        "db",
        &[
            "study", "quiz", "contest", "contests", "learners", "stats", "optimize", "db", "cards",
        ],
    ),
    ("learner", &["study", "quiz", "stats", "optimize", "cards"]),
    ("now", &["study", "quiz", "contest", "stats", "optimize"]),
    ("exam_date", &["study", "stats"]),
    ("retention", &["study", "stats"]),
];

/// Gives each command the shared options that mean something for it.
fn add_shared(cmd: clap::Command, shared: &[Arg], under: Option<&str>) -> clap::Command {
    let name = under.unwrap_or(cmd.get_name()).to_owned();
    let mut cmd = cmd;
    for (i, arg) in shared.iter().enumerate() {
        let wanted = SHARED
            .iter()
            .any(|(id, commands)| arg.get_id() == *id && commands.contains(&name.as_str()));
        if wanted {
            // After the command's own options.
            cmd = cmd.arg(arg.clone().display_order(100 + i));
        }
    }
    cmd.mut_subcommands(|sub| add_shared(sub, shared, Some(&name)))
}

/// The full clap command with Chinese help and version flags on every
/// subcommand.
pub fn command() -> clap::Command {
    let root = Cli::command();
    let shared: Vec<Arg> = root
        .get_arguments()
        .filter(|a| SHARED.iter().any(|(id, _)| a.get_id() == *id))
        .cloned()
        .collect();
    let root = root.mut_subcommands(|sub| add_shared(sub, &shared, None));
    localize(root)
}

/// Takes the shared options given after the command name (`dangke study
/// --db x`) into `cli`, where those given before it already are.
fn take_shared(cli: &mut Cli, matches: &ArgMatches) {
    let mut current = matches;
    while let Some((_, sub)) = current.subcommand() {
        let given = |id: &str| {
            sub.ids().any(|i| i.as_str() == id)
                && matches!(sub.value_source(id), Some(ValueSource::CommandLine))
        };
        if given("decks") {
            if let Ok(Some(dirs)) = sub.try_get_many::<PathBuf>("decks") {
                cli.decks.extend(dirs.cloned());
            }
        }
        if given("color") {
            if let Ok(Some(c)) = sub.try_get_one::<ColorChoice>("color") {
                cli.color = *c;
            }
        }
        if given("db") {
            if let Ok(Some(p)) = sub.try_get_one::<PathBuf>("db") {
                cli.db = Some(p.clone());
            }
        }
        if given("learner") {
            if let Ok(Some(l)) = sub.try_get_one::<String>("learner") {
                cli.learner = Some(l.clone());
            }
        }
        if given("now") {
            if let Ok(Some(t)) = sub.try_get_one::<jiff::Timestamp>("now") {
                cli.now = Some(*t);
            }
        }
        if given("exam_date") {
            if let Ok(Some(d)) = sub.try_get_one::<ExamDate>("exam_date") {
                cli.exam_date = Some(*d);
            }
        }
        if given("retention") {
            if let Ok(Some(r)) = sub.try_get_one::<f32>("retention") {
                cli.retention = Some(*r);
            }
        }
        current = sub;
    }
}

fn localize(cmd: clap::Command) -> clap::Command {
    let is_root = cmd.get_name() == "dangke";
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .next_help_heading("选项")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(|a| a.help_heading("选项"))
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .display_order(1000)
                .help("显示帮助"),
        );
    if is_root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .display_order(1001)
                .help("显示版本"),
        );
    }
    cmd.mut_subcommands(localize)
}

/// What parsing the command line gave: the arguments, or a message to
/// print and the exit code to end with (help and version end with 0).
pub enum Parsed {
    Run(Box<Cli>),
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
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // `dangke help [命令…]` is `dangke [命令…] --help`.
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    let path = command_path(&args);
    let args_for_utf8 = args.clone();
    let matches = command().try_get_matches_from(args);
    let parsed = matches.and_then(|m| {
        let mut cli = Cli::from_arg_matches(&m)?;
        take_shared(&mut cli, &m);
        Ok(cli)
    });
    match parsed {
        Ok(cli) => Parsed::Run(Box::new(cli)),
        Err(err) => match err.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Parsed::Exit {
                message: ends_with_newline(localize_help(&err.render().to_string())),
                to_stdout: true,
                code: crate::Exit::Ok,
            },
            ErrorKind::InvalidUtf8 => Parsed::Exit {
                message: format!(
                    "{}\n运行 {path} --help 查看用法。",
                    not_utf8_message(&args_for_utf8)
                ),
                to_stdout: false,
                code: crate::Exit::Usage,
            },
            _ => Parsed::Exit {
                message: usage_message(&err, &path),
                to_stdout: false,
                code: crate::Exit::Usage,
            },
        },
    }
}

/// Names the argument that is not UTF-8 (clap only says that one is), and
/// the option it was given to, with the bad bytes shown as �.
fn not_utf8_message(args: &[OsString]) -> String {
    let bad = args
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, a)| a.to_str().is_none());
    match bad {
        Some((i, arg)) => {
            let shown = crate::term::sanitize_line(&arg.to_string_lossy());
            match args[i - 1].to_str().filter(|prev| prev.starts_with("--")) {
                Some(option) => format!("参数 {option} 的值“{shown}”不是有效的 UTF-8 文本"),
                None => format!("第 {i} 个参数“{shown}”不是有效的 UTF-8 文本"),
            }
        }
        None => "参数不是有效的 UTF-8 文本".to_owned(),
    }
}

fn ends_with_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Whether a message is (at least partly) Chinese, i.e. one of ours.
fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Puts the few words clap writes itself into Chinese.
fn localize_help(text: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("[OPTIONS]", "[选项]"),
        ("<COMMAND>", "<命令>"),
        ("Commands:", "命令："),
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

/// "dangke db check": the command named on the command line, for pointing
/// to its help.
fn command_path(args: &[OsString]) -> String {
    let mut cmd = command();
    let mut path = vec!["dangke".to_owned()];
    for arg in args.iter().skip(1) {
        let Some(arg) = arg.to_str() else { continue };
        let Some(sub) = cmd.find_subcommand(arg).cloned() else {
            continue;
        };
        path.push(arg.to_owned());
        cmd = sub;
    }
    path.join(" ")
}

/// The commands that may follow `path` ("dangke db" → "check").
fn subcommand_names(path: &str) -> String {
    let mut cmd = command();
    for name in path.split(' ').skip(1) {
        match cmd.find_subcommand(name).cloned() {
            Some(sub) => cmd = sub,
            None => return String::new(),
        }
    }
    cmd.get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect::<Vec<_>>()
        .join("、")
}

/// For an option given before the command it belongs to (`dangke --deck x
/// study`): which commands take it, and where to put it.
fn belongs_to_a_subcommand(arg: &str, path: &str) -> Option<String> {
    let long = arg.split('=').next()?.strip_prefix("--")?;
    let mut cmd = command();
    for name in path.split(' ').skip(1) {
        cmd = cmd.find_subcommand(name)?.clone();
    }
    fn owners(cmd: &clap::Command, prefix: &str, found: &mut Vec<String>, long: &str) {
        for sub in cmd.get_subcommands() {
            let here = format!("{prefix} {}", sub.get_name());
            if sub.get_arguments().any(|a| a.get_long() == Some(long)) {
                found.push(here.clone());
            }
            owners(sub, &here, found, long);
        }
    }
    let mut found = Vec::new();
    if path != "dangke" && cmd.get_arguments().any(|a| a.get_long() == Some(long)) {
        // The command is on the line, but the option came before it.
        found.push(path.to_owned());
    } else {
        owners(&cmd, path, &mut found, long);
    }
    let first = found.first()?;
    Some(format!(
        "参数 --{long} 属于命令 {}，要写在命令名后面，如 {first} --{long} …\n运行 {first} --help 查看用法。",
        found
            .iter()
            .map(|f| f.rsplit(' ').next().unwrap_or(f).to_owned())
            .collect::<Vec<_>>()
            .join("、")
    ))
}

/// A clap error in Chinese, with a suggestion where clap has one.
fn usage_message(err: &clap::Error, path: &str) -> String {
    let arg = context(err, ContextKind::InvalidArg);
    let value = context(err, ContextKind::InvalidValue);
    if err.kind() == ErrorKind::UnknownArgument {
        if let Some(msg) = belongs_to_a_subcommand(&arg, path) {
            return msg;
        }
    }
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
            // Our own parsers explain in Chinese; anything else clap or a
            // library says in English is not shown.
            let reason = std::error::Error::source(err)
                .map(|e| e.to_string())
                .filter(|e| is_chinese(e))
                .map(|e| format!("：{e}"))
                .unwrap_or_default();
            format!("参数 {arg} 的值“{value}”无效{reason}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            if path == "dangke" {
                "缺少命令".to_owned()
            } else {
                let valid = subcommand_names(path);
                return format!(
                    "{path} 后面要跟一个命令（可选：{valid}）\n运行 {path} --help 查看用法。"
                );
            }
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
    // Point to the help of the command the mistake was made in.
    msg.push_str(&format!("\n运行 {path} --help 查看用法。"));
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
    fn deck_filters_and_deck_folders_do_not_collide() {
        let Parsed::Run(cli) = parse([
            "dangke",
            "study",
            "--deck",
            "wu-ge-bi-yu",
            "--decks",
            "mine",
            "--kinds",
            "judge,单选",
        ]) else {
            panic!("did not parse");
        };
        assert_eq!(cli.decks, vec![PathBuf::from("mine")]);
        let Some(Command::Study { filter, .. }) = cli.command else {
            panic!("not study");
        };
        assert_eq!(filter.deck, vec!["wu-ge-bi-yu".to_owned()]);
        assert_eq!(
            filter.kinds,
            vec![crate::deck::Kind::Judge, crate::deck::Kind::Choice]
        );
    }

    #[test]
    fn durations_and_kinds_parse_in_both_languages() {
        assert_eq!(
            parse_duration("10m"),
            Ok(std::time::Duration::from_secs(600))
        );
        assert_eq!(
            parse_duration("90s"),
            Ok(std::time::Duration::from_secs(90))
        );
        assert_eq!(parse_duration("5"), Ok(std::time::Duration::from_secs(300)));
        assert_eq!(
            parse_duration("1小时"),
            Ok(std::time::Duration::from_secs(3600))
        );
        assert!(parse_duration("0m").is_err());
        assert!(parse_duration("soon").is_err());
        assert_eq!(parse_retention("0.85"), Ok(0.85));
        assert_eq!(parse_retention("90%"), Ok(0.9));
        assert!(parse_retention("0.5").is_err());
        assert!(parse_retention("高").is_err());
        assert_eq!(parse_kind("单选"), Ok(crate::deck::Kind::Choice));
        assert_eq!(parse_kind("judge"), Ok(crate::deck::Kind::Judge));
        assert!(parse_kind("essay").is_err());
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
    fn clap_messages_never_reach_the_user_in_english() {
        let m = usage(&["dangke", "quiz", "-n", "x"]);
        assert!(m.contains("应为 1 到 1000 之间的整数"), "{m}");
        assert!(!m.contains("invalid digit"), "{m}");
        let m = usage(&["dangke", "quiz", "-n", "0"]);
        assert!(!m.contains("is not in"), "{m}");
        assert!(m.contains("运行 dangke quiz --help"), "{m}");
        let m = usage(&["dangke", "contests", "abc"]);
        assert!(m.contains("整数") && !m.contains("invalid"), "{m}");
        let m = usage(&["dangke", "db"]);
        assert!(m.contains("dangke db --help"), "{m}");
        assert!(m.contains("check"), "{m}");
    }

    #[test]
    fn shared_options_only_where_they_mean_something() {
        let help = |args: &[&str]| match parse(args) {
            Parsed::Exit { message, .. } => message,
            Parsed::Run(_) => panic!("no help"),
        };
        let check = help(&["dangke", "check", "--help"]);
        assert!(!check.contains("--exam-date"), "{check}");
        assert!(!check.contains("--learner"), "{check}");
        assert!(check.contains("--decks"), "{check}");
        let study = help(&["dangke", "study", "--help"]);
        assert!(study.contains("--exam-date"), "{study}");
        assert_eq!(study.matches("选项：").count(), 1, "{study}");
        assert!(!study.contains("DANGKE_LEARNER="), "{study}");
        let db = help(&["dangke", "db", "--help"]);
        assert!(db.contains("命令：") && !db.contains("Commands"), "{db}");
        assert!(db.ends_with('\n'));
        // Given after the command name they still count.
        let Parsed::Run(cli) = parse(["dangke", "study", "--learner", "张三", "--color", "never"])
        else {
            panic!("did not parse");
        };
        assert_eq!(cli.learner.as_deref(), Some("张三"));
        assert_eq!(cli.color, ColorChoice::Never);
        let Parsed::Run(cli) = parse(["dangke", "--db", "a.db", "db", "check"]) else {
            panic!("did not parse");
        };
        assert_eq!(cli.db, Some(PathBuf::from("a.db")));
        let Parsed::Run(cli) = parse(["dangke", "db", "check", "--db", "b.db"]) else {
            panic!("did not parse");
        };
        assert_eq!(cli.db, Some(PathBuf::from("b.db")));
        assert!(matches!(
            parse(["dangke", "check", "--exam-date", "2026-01-01"]),
            Parsed::Exit { .. }
        ));
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

    #[test]
    fn an_option_before_its_command_says_where_it_goes() {
        let m = usage(&["dangke", "--decks", "X", "--deck", "my-deck", "study"]);
        assert!(
            m.contains("参数 --deck 属于命令 study，要写在命令名后面，如 dangke study --deck"),
            "{m}"
        );
        assert!(!m.contains("--decks？"), "{m}");
        let m = usage(&["dangke", "--tag", "x"]);
        assert!(m.contains("属于命令 study、quiz"), "{m}");
        let m = usage(&["dangke", "db", "--force"]);
        assert!(m.contains("如 dangke db backup --force"), "{m}");
    }

    #[test]
    fn help_as_a_command_shows_the_help_of_the_command_named() {
        for (args, want) in [
            (&["dangke", "help"][..], "用法：dangke [选项] [命令]"),
            (
                &["dangke", "help", "db", "backup"][..],
                "用法：dangke db backup",
            ),
        ] {
            match parse(args) {
                Parsed::Exit {
                    message,
                    to_stdout,
                    code,
                } => {
                    assert!(message.contains(want), "{message}");
                    assert!(to_stdout && code == crate::Exit::Ok);
                }
                Parsed::Run(cli) => panic!("parsed: {cli:?}"),
            }
        }
        assert!(usage(&["dangke", "help", "nope"]).contains("未知的命令 nope"));
    }
}
