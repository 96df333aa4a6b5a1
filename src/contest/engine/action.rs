//! The host's actions and how a typed command becomes one.

/// What the host can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Next,
    Reveal,
    Right(usize),
    Wrong(usize),
    Foul(usize),
    Value(usize, i64),
    Pause,
    AddTime(i64),
    Undo,
    Skip,
    Quit,
    /// Seconds passed on the clock.
    Tick(i64),
    /// Buzz rounds: the host opens the question for buzzing.
    Open,
    /// A team's buzzer, `ms` milliseconds after the question was opened
    /// (measured by the caller; 0 for a press before it opened).
    Buzz(usize, u64),
}

/// Parses a host command: `n`, `o`, `r`, `+2`, `-2`, `f 2`, `v 2 30`, `p`,
/// `]`, `[`, `u`, `s`, `q` (team numbers are 1-based). `t 10` (scripts
/// only) lets ten seconds pass; `b 2 350` is team 2's buzzer 350 ms after
/// the question opened (what a buzzer key does on the projector).
pub fn parse_action(line: &str) -> Result<Action, String> {
    let text = line.trim().replace('＋', "+").replace('－', "-");
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or("");
    let number = |s: Option<&str>| -> Result<i64, String> {
        s.and_then(|s| s.parse::<i64>().ok())
            .ok_or_else(|| "缺少数字，例如 +2、f 2、v 2 30".to_owned())
    };
    let team = |n: i64| -> Result<usize, String> {
        usize::try_from(n - 1).map_err(|_| "队号从 1 开始".to_owned())
    };
    let joined = |rest: &str| -> Option<i64> { rest.trim().parse().ok() };
    Ok(match first {
        "n" | "下一题" => Action::Next,
        "o" | "开始" | "开始抢答" => Action::Open,
        "b" => {
            let t = team(number(words.next())?)?;
            let ms = words
                .next()
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(0);
            Action::Buzz(t, ms)
        }
        "r" | "揭晓" => Action::Reveal,
        "p" | "暂停" => Action::Pause,
        "]" => Action::AddTime(30),
        "[" => Action::AddTime(-30),
        "u" | "撤销" => Action::Undo,
        "s" | "跳过" => Action::Skip,
        "q" | "结束" => Action::Quit,
        "f" => Action::Foul(team(number(words.next())?)?),
        "v" => {
            let t = team(number(words.next())?)?;
            Action::Value(t, number(words.next())?)
        }
        "t" => Action::Tick(number(words.next())?.max(0)),
        w if w.starts_with('+') => Action::Right(team(
            joined(&w[1..])
                .or_else(|| words.next().and_then(|s| s.parse().ok()))
                .ok_or("缺少队号，例如 +2")?,
        )?),
        w if w.starts_with('-') => Action::Wrong(team(
            joined(&w[1..])
                .or_else(|| words.next().and_then(|s| s.parse().ok()))
                .ok_or("缺少队号，例如 -2")?,
        )?),
        w if w.starts_with('f') => {
            Action::Foul(team(joined(&w[1..]).ok_or("缺少队号，例如 f 2")?)?)
        }
        "" => return Err("请输入操作（n 下一题，r 揭晓，+N/-N 判对错，? 帮助）".to_owned()),
        other => return Err(format!("未知操作“{other}”（输入 ? 查看全部操作）")),
    })
}
