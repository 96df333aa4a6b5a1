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
        /// 手机抢答器：各队用手机打开显示的网址作抢答器，按下顺序以服务器收到为准（默认监听 0.0.0.0:8081）
        #[arg(long, value_name = "地址:端口", num_args = 0..=1, default_missing_value = "0.0.0.0:8081", conflicts_with = "screen")]
        buzzers: Option<std::net::SocketAddr>,
    },
    /// 出试卷：按题型分大题抽题，生成可打印的试卷和答案（.docx、.html 或 .pdf）
    Paper(PaperArgs),
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
    /// 现场答题：手机扫码加入，逐题或限时作答，终端作投影
    Live {
        /// 现场答题文件（省略时：10 题，主持人逐题，每题 20 秒）
        #[arg(value_name = "文件")]
        file: Option<PathBuf>,
        /// 监听的地址（默认 0.0.0.0：本机所有网络）
        #[arg(long, value_name = "地址")]
        bind: Option<std::net::IpAddr>,
        /// 监听的端口（0：自动选一个空闲端口）
        #[arg(long, value_name = "端口", default_value_t = 8080)]
        port: u16,
        /// 继续一场中断的现场答题（省略编号时为最近一场未结束的）
        #[arg(long, value_name = "编号", num_args = 0..=1, default_missing_value = "0", conflicts_with_all = ["file", "seed"])]
        resume: Option<i64>,
        /// 结束后把成绩导出为 CSV（UTF-8 带 BOM）
        #[arg(long, value_name = "文件")]
        export: Option<PathBuf>,
        /// 结束后把逐题正确率和常见错误答案导出为 CSV
        #[arg(long = "export-questions", value_name = "文件")]
        export_questions: Option<PathBuf>,
        /// 抽题种子：同一种子抽出同样的题
        #[arg(long, value_name = "数字", value_parser = parse_seed)]
        seed: Option<u64>,
    },
    /// 列出以往的现场答题；给出编号时显示成绩，或用 --export 重新导出
    Lives {
        /// 场次编号
        #[arg(value_name = "编号", value_parser = parse_id)]
        id: Option<i64>,
        /// 把这场的成绩导出为 CSV
        #[arg(long, value_name = "文件")]
        export: Option<PathBuf>,
        /// 把这场的逐题统计导出为 CSV
        #[arg(long = "export-questions", value_name = "文件")]
        export_questions: Option<PathBuf>,
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
    /// 导入题库（Excel/CSV：题型、题干、选项A…、答案、解析、出处等列），生成卡组文件
    Import {
        /// 题库文件：.xlsx、.xls、.ods，或 .csv（UTF-8 或 GBK）
        #[arg(value_name = "题库")]
        file: PathBuf,
        /// 输出的卡组文件（默认：与题库同名的 .toml）
        #[arg(short = 'o', long = "output", value_name = "文件")]
        output: Option<PathBuf>,
        /// 卡组 id（默认由文件名生成）
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// 卡组标题（默认为文件名）
        #[arg(long, value_name = "标题")]
        title: Option<String>,
        /// 要导入的工作表（默认：第一张有表头的工作表）
        #[arg(long, value_name = "工作表")]
        sheet: Option<String>,
        /// 跳过有错误的行，其余照常导入（默认有错误就不写文件）
        #[arg(long)]
        partial: bool,
        /// 输出文件已存在时覆盖它
        #[arg(long)]
        force: bool,
    },
    /// 导出卡组：题库表格（xlsx、csv，可再导入）、卡组文件（toml）或 Anki 牌组
    Export {
        /// 卡组 id 或卡组文件（可多个；csv 和 toml 一次一个）
        #[arg(id = "names", value_name = "卡组", required = true)]
        names: Vec<String>,
        /// 格式（默认按输出文件的扩展名）
        #[arg(long, value_name = "格式", value_enum)]
        format: Option<ExportFormat>,
        /// 输出文件
        #[arg(short = 'o', long = "output", value_name = "文件", required = true)]
        output: PathBuf,
        /// 输出文件已存在时覆盖它
        #[arg(long)]
        force: bool,
    },
    /// 输出卡组文件的 JSON Schema，供编辑器（Taplo / Even Better TOML）补全键名、检查错误
    Schema,
    /// 输出命令行补全脚本，如 dangke completions bash > ~/.local/share/bash-completion/completions/dangke
    Completions {
        /// 终端外壳：bash、zsh、fish、powershell、elvish
        #[arg(value_name = "外壳", value_enum)]
        shell: clap_complete::Shell,
    },
    /// 输出 man 手册页（roff 格式）；用 -o 把 dangke.1 和各命令的手册页写入目录
    Man {
        /// 把手册页写入这个目录（dangke.1、dangke-study.1 等）
        #[arg(short = 'o', long = "out", value_name = "目录")]
        out: Option<PathBuf>,
    },
}

/// `dangke paper`.
#[derive(Debug, Clone, Args)]
pub struct PaperArgs {
    /// 题目总数，按默认比例分到单选、多选、判断、填空、简答（省略时 42 题，满分 100 分）
    #[arg(short = 'n', long = "count", value_name = "题数", value_parser = parse_count, conflicts_with = "plan")]
    pub count: Option<u32>,
    /// 试卷方案文件：[paper] 标题等，[[section]] 每道大题的题型、题数、分值（见 docs/paper.md）
    #[arg(long, value_name = "文件")]
    pub plan: Option<PathBuf>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// 抽题种子：同一种子出同样的试卷（省略时用方案里的 seed，否则取当前时间）
    #[arg(long, value_name = "数字", value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// 出几套题目相同、题序和选项顺序不同的试卷（2 为 A、B 卷，最多 4 套）
    #[arg(long, value_name = "套数", default_value_t = 1, value_parser = parse_versions)]
    pub versions: u32,
    /// 试卷标题（默认为方案里的 title，或“党课知识测试卷”）
    #[arg(long, value_name = "标题")]
    pub title: Option<String>,
    /// 试卷文件，格式看扩展名：.docx（Word/WPS 可编辑）、.html（浏览器打印）、.pdf（需要 Chromium、Chrome 或 Edge）
    #[arg(short = 'o', long = "output", value_name = "文件")]
    pub output: PathBuf,
    /// 答案文件（默认为试卷文件名加“-答案”，如 试卷-答案.docx）；格式看它自己的扩展名
    #[arg(long, value_name = "文件")]
    pub key: Option<PathBuf>,
}

fn parse_versions(text: &str) -> Result<u32, String> {
    parse_number(text, 1, 4).map(|n| n as u32)
}

/// What `dangke export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Xlsx,
    Csv,
    Anki,
    Toml,
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
            "study", "quiz", "check", "contest", "decks", "stats", "grade", "cards", "paper",
            "export",
        ],
    ),
    (
        "color",
        &[
            "study", "quiz", "check", "contest", "contests", "decks", "learners", "stats",
            "optimize", "db", "grade", "cards", "paper", "import", "export",
        ],
    ),
    (
        "db",
        &[
            "study", "quiz", "contest", "contests", "learners", "stats", "optimize", "db", "cards",
        ],
    ),
    ("learner", &["study", "quiz", "stats", "optimize", "cards"]),
    (
        "now",
        &["study", "quiz", "contest", "stats", "optimize", "paper"],
    ),
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
pub(super) fn take_shared(cli: &mut Cli, matches: &ArgMatches) {
    let mut current = matches;
    while let Some((_, sub)) = current.subcommand() {
        let given = |id: &str| {
            sub.ids().any(|i| i.as_str() == id)
                && matches!(sub.value_source(id), Some(ValueSource::CommandLine))
        };
        if given("decks")
            && let Ok(Some(dirs)) = sub.try_get_many::<PathBuf>("decks")
        {
            cli.decks.extend(dirs.cloned());
        }
        if given("color")
            && let Ok(Some(c)) = sub.try_get_one::<ColorChoice>("color")
        {
            cli.color = *c;
        }
        if given("db")
            && let Ok(Some(p)) = sub.try_get_one::<PathBuf>("db")
        {
            cli.db = Some(p.clone());
        }
        if given("learner")
            && let Ok(Some(l)) = sub.try_get_one::<String>("learner")
        {
            cli.learner = Some(l.clone());
        }
        if given("now")
            && let Ok(Some(t)) = sub.try_get_one::<jiff::Timestamp>("now")
        {
            cli.now = Some(*t);
        }
        if given("exam_date")
            && let Ok(Some(d)) = sub.try_get_one::<ExamDate>("exam_date")
        {
            cli.exam_date = Some(*d);
        }
        if given("retention")
            && let Ok(Some(r)) = sub.try_get_one::<f32>("retention")
        {
            cli.retention = Some(*r);
        }
        current = sub;
    }
}

mod parse;

use parse::localize;
pub use parse::{Parsed, parse};
