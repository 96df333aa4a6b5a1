//! Turning the process arguments into a `Cli`: Chinese help and usage
//! messages, `dangke help …`, and the shared options given after a command.

use super::*;

pub(super) fn localize(cmd: clap::Command) -> clap::Command {
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
    // Kept for the messages of a failed parse; the command path is only
    // worked out then (it builds the whole command tree a second time,
    // a tenth of a short start).
    let args_kept = args.clone();
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
                    "{}\n运行 {} --help 查看用法。",
                    not_utf8_message(&args_kept),
                    command_path(&args_kept)
                ),
                to_stdout: false,
                code: crate::Exit::Usage,
            },
            _ => Parsed::Exit {
                message: usage_message(&err, &command_path(&args_kept)),
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
    if err.kind() == ErrorKind::UnknownArgument
        && let Some(msg) = belongs_to_a_subcommand(&arg, path)
    {
        return msg;
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
    // clap lists every similar name, the most similar last: only that one
    // is suggested (`chek` → check, not “schema、check”).
    let suggested = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .map(|k| match err.get(k) {
            Some(ContextValue::Strings(v)) => v.last().cloned().unwrap_or_default(),
            Some(ContextValue::StyledStrs(v)) => {
                v.last().map(ToString::to_string).unwrap_or_default()
            }
            _ => context(err, k),
        })
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
