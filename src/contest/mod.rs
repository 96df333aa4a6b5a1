//! Knowledge contests (知识竞赛): the contest file format, the built-in
//! preset, and (in `engine`) the rules that turn host actions into scores.
//! The format is checked with the same located diagnostics as decks.

pub mod engine;
pub mod export;
pub mod screen;

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;
use toml::de::DeValue;

use crate::deck::Kind;
use crate::deck::table::{
    Fields, Repeats, Sink, Value, header_offsets, integer, is_file_of, parse_document, string,
    string_array, type_name,
};
use crate::diag::{Diagnostic, SourceText};

/// The four kinds of round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundKind {
    /// 必答: each team in turn.
    Required,
    /// 抢答: first team to buzz.
    Buzz,
    /// 风险: the team picks a value and wins or loses it.
    Risk,
    /// 加赛: an extra buzz round among tied teams.
    Tiebreak,
}

impl RoundKind {
    pub fn name(self) -> &'static str {
        match self {
            RoundKind::Required => "required",
            RoundKind::Buzz => "buzz",
            RoundKind::Risk => "risk",
            RoundKind::Tiebreak => "tiebreak",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RoundKind::Required => "必答题",
            RoundKind::Buzz => "抢答题",
            RoundKind::Risk => "风险题",
            RoundKind::Tiebreak => "加赛题",
        }
    }

    fn from_name(name: &str) -> Option<RoundKind> {
        [
            RoundKind::Required,
            RoundKind::Buzz,
            RoundKind::Risk,
            RoundKind::Tiebreak,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// One round of a contest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundSpec {
    pub kind: RoundKind,
    pub title: String,
    /// Per team for required and risk rounds, in total otherwise.
    pub questions: u32,
    pub points: i64,
    pub penalty: i64,
    /// Seconds on the clock.
    pub time: u32,
    pub decks: Vec<String>,
    pub kinds: Vec<Kind>,
    /// Risk rounds: the values a team may choose.
    pub values: Vec<i64>,
}

impl RoundSpec {
    /// A round with the common rules for its kind.
    pub fn with_defaults(kind: RoundKind) -> RoundSpec {
        let (questions, points, penalty, time, values) = match kind {
            RoundKind::Required => (2, 10, 0, 30, vec![]),
            RoundKind::Buzz => (10, 20, 20, 20, vec![]),
            RoundKind::Risk => (1, 0, 0, 60, vec![20, 30, 40]),
            RoundKind::Tiebreak => (5, 20, 20, 20, vec![]),
        };
        RoundSpec {
            kind,
            title: kind.label().to_owned(),
            questions,
            points,
            penalty,
            time,
            decks: Vec::new(),
            kinds: if kind == RoundKind::Required || kind == RoundKind::Risk {
                Vec::new()
            } else {
                // Buzzing suits questions answered in a few words.
                vec![Kind::Choice, Kind::Judge, Kind::Fill, Kind::Qa]
            },
            values,
        }
    }

    /// The rules in one line, for the screen.
    pub fn rules(&self) -> String {
        match self.kind {
            RoundKind::Required => format!(
                "每队依次作答 {} 题，答对 +{}{}，限时 {} 秒",
                self.questions,
                self.points,
                if self.penalty > 0 {
                    format!("，答错 −{}", self.penalty)
                } else {
                    "，答错不扣分".to_owned()
                },
                self.time
            ),
            RoundKind::Buzz | RoundKind::Tiebreak => format!(
                "共 {} 题，主持人宣布开始后抢答，答对 +{}，答错 −{}，抢先犯规 −{}，限时 {} 秒",
                self.questions, self.points, self.penalty, self.penalty, self.time
            ),
            RoundKind::Risk => format!(
                "每队 {} 题，得分少的队先选分值（{}），答对得分、答错扣分，限时 {} 秒",
                self.questions,
                self.values
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join("/"),
                self.time
            ),
        }
    }
}

/// A whole contest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestSpec {
    pub title: String,
    pub teams: Vec<String>,
    pub start: i64,
    pub rounds: Vec<RoundSpec>,
    pub seed: Option<u64>,
    /// Each team's buzzer key, in team order (empty: 1–9). F1–F9 always
    /// work too.
    pub buzzers: Vec<char>,
}

impl ContestSpec {
    /// The built-in contest: three teams from 100, then 必答, 抢答, 风险
    /// and, if needed, 加赛.
    pub fn preset() -> ContestSpec {
        ContestSpec {
            title: "党课知识竞赛".to_owned(),
            teams: vec!["一组".to_owned(), "二组".to_owned(), "三组".to_owned()],
            start: 100,
            rounds: vec![
                RoundSpec::with_defaults(RoundKind::Required),
                RoundSpec::with_defaults(RoundKind::Buzz),
                RoundSpec::with_defaults(RoundKind::Risk),
                RoundSpec::with_defaults(RoundKind::Tiebreak),
            ],
            seed: None,
            buzzers: Vec::new(),
        }
    }

    /// The tie-break round: the one the file gives, or the default.
    pub fn tiebreak(&self) -> RoundSpec {
        self.rounds
            .iter()
            .find(|r| r.kind == RoundKind::Tiebreak)
            .cloned()
            .unwrap_or_else(|| RoundSpec::with_defaults(RoundKind::Tiebreak))
    }

    /// The rounds played in order (a tie-break round only when needed).
    pub fn regular_rounds(&self) -> Vec<RoundSpec> {
        self.rounds
            .iter()
            .filter(|r| r.kind != RoundKind::Tiebreak)
            .cloned()
            .collect()
    }
}

/// The order questions are drawn from a pool of `len` cards: a shuffle
/// fixed by the seed, so the same seed draws the same questions (contests
/// and exam papers both draw this way).
pub fn draw_order(len: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.shuffle(&mut Xoshiro256PlusPlus::seed_from_u64(seed));
    order
}

/// The order a choice card's options are shown in (`order[i]` = the
/// deck's index of the option shown as letter i) when it is the pool's
/// `entry`-th card, fixed by the seed; `None` for cards without options.
pub fn option_order(card: &crate::deck::Card, seed: u64, entry: usize) -> Option<Vec<usize>> {
    let n = match &card.body {
        crate::deck::Body::Choice { options, .. } | crate::deck::Body::Multi { options, .. } => {
            options.len()
        }
        _ => return None,
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut Xoshiro256PlusPlus::seed_from_u64(
        seed ^ (entry as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    ));
    Some(order)
}

/// Most teams a contest may have (the host types team numbers 1–9).
pub const MAX_TEAMS: usize = 9;

/// Whether a TOML file is a contest file rather than a deck: decided by
/// the parsed top-level tables (`[contest]` or `[[round]]`, and no
/// `[deck]`), so a deck whose multi-line string holds a line `[[round]]`
/// stays a deck. A file that does not parse is judged by its lines, so its
/// syntax errors are reported by the right checker.
pub fn is_contest(text: &str) -> bool {
    is_file_of(text, &["[contest]", "[[round]]"], |has| {
        !has("deck") && (has("contest") || has("round"))
    })
}

/// Checks a contest against the decks it will draw from: a round that asks
/// for more questions than its decks and kinds can supply is a warning (it
/// ends early), one they cannot supply at all is an error, and so is a
/// file with no playable round. Questions never repeat, so rounds are
/// counted in order, each taking what it needs from what is left.
pub fn check_supply(
    src: &SourceText<'_>,
    spec: &ContestSpec,
    decks: &[&crate::deck::Deck],
) -> Vec<Diagnostic> {
    // (deck id, kind) of every card, and whether an earlier round took it.
    let cards: Vec<(&str, Kind)> = decks
        .iter()
        .flat_map(|d| d.cards.iter().map(move |c| (d.id.as_str(), c.kind())))
        .collect();
    let mut used = vec![false; cards.len()];
    let starts = header_offsets(src.text, "[[round]]");
    let mut out = Vec::new();
    let mut playable = 0;
    for (i, round) in spec.rounds.iter().enumerate() {
        let span = starts.get(i).map_or(0..0, |&o| o..o + "[[round]]".len());
        let teams = spec.teams.len() as u32;
        let need = match round.kind {
            RoundKind::Required | RoundKind::Risk => round.questions * teams,
            _ => round.questions,
        } as usize;
        let fits = |&(deck, kind): &(&str, Kind)| {
            (round.decks.is_empty() || round.decks.iter().any(|d| d == deck))
                && (round.kinds.is_empty() || round.kinds.contains(&kind))
        };
        let matching: Vec<usize> = (0..cards.len()).filter(|&c| fits(&cards[c])).collect();
        let left: Vec<usize> = matching.iter().copied().filter(|&c| !used[c]).collect();
        let filter = round_filter(round);
        if left.is_empty() {
            out.push(src.error(
                span,
                if matching.is_empty() {
                    format!(
                        "{}（第 {} 轮）没有可出的题：{filter}没有卡片",
                        round.title,
                        i + 1
                    )
                } else {
                    format!(
                        "{}（第 {} 轮）没有可出的题：{filter}的 {} 张卡片已被前面的轮次用完",
                        round.title,
                        i + 1,
                        matching.len()
                    )
                },
            ));
            continue;
        }
        if round.kind != RoundKind::Tiebreak {
            playable += 1;
        }
        if left.len() < need {
            out.push(src.warning(
                span,
                format!(
                    "{}（第 {} 轮）需要 {need} 题，{filter}只剩 {} 题可出（共 {} 张，前面的轮次会用掉一些），本轮会提前结束",
                    round.title,
                    i + 1,
                    left.len(),
                    matching.len()
                ),
            ));
        }
        for &c in left.iter().take(need) {
            used[c] = true;
        }
    }
    if playable == 0 {
        out.push(src.error(
            0..0,
            "竞赛没有可以进行的轮次（加赛只在同分时进行；至少要有一轮 required、buzz 或 risk 并且有题可出）".to_owned(),
        ));
    }
    out
}

/// "卡组 a、b 中的 选择题" — what a round draws from, for messages.
fn round_filter(round: &RoundSpec) -> String {
    let decks = if round.decks.is_empty() {
        "全部卡组".to_owned()
    } else {
        format!("卡组 {}", round.decks.join("、"))
    };
    let kinds = if round.kinds.is_empty() {
        String::new()
    } else {
        format!(
            "中的{}",
            round
                .kinds
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join("、")
        )
    };
    format!("{decks}{kinds}")
}

/// Reads and checks a contest file. `deck_ids` are the loaded decks, for
/// checking round filters.
pub fn parse(src: &SourceText<'_>, deck_ids: &[&str]) -> (Option<ContestSpec>, Vec<Diagnostic>) {
    let mut sink = Sink::new(src);
    let spec = parse_document(&mut sink, src.text).and_then(|doc| read(&mut sink, &doc, deck_ids));
    let ok = !sink
        .diagnostics
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    (spec.filter(|_| ok), sink.diagnostics)
}

fn read(
    sink: &mut Sink<'_>,
    doc: &toml::de::DeTable<'_>,
    deck_ids: &[&str],
) -> Option<ContestSpec> {
    let mut top = Fields::new("文件顶层", 0..0, doc);
    let contest = top.take("contest");
    let rounds = top.take("round");
    top.finish(sink, &["contest", "round"], |k| {
        (k == "rounds").then(|| "轮次要写成 [[round]]（单数），不是 rounds".to_owned())
    });
    let Some(contest) = contest else {
        sink.error(0..0, "缺少 [contest] 表（竞赛的 title 和 teams 写在这里）");
        return None;
    };
    let DeValue::Table(table) = contest.get_ref() else {
        sink.error(
            contest.span(),
            format!(
                "contest 应为表 [contest]，实际是{}",
                type_name(contest.get_ref())
            ),
        );
        return None;
    };
    let mut f = Fields::new("[contest]", contest.span(), table);
    let title = f.req_str(sink, "title");
    let teams = match f.take("teams") {
        Some(v) => {
            let teams = string_array(sink, "teams", v, Repeats::Error);
            if teams.len() < 2 || teams.len() > MAX_TEAMS {
                sink.error(
                    v.span(),
                    format!(
                        "teams 应有 2 到 {MAX_TEAMS} 个队伍，这里有 {} 个",
                        teams.len()
                    ),
                );
            }
            teams
        }
        None => {
            sink.error(
                contest.span(),
                "[contest] 缺少必填的键 teams（如 teams = [\"一组\", \"二组\"]）",
            );
            Vec::new()
        }
    };
    let start = f.opt_int(sink, "start", -10_000..=10_000).unwrap_or(100);
    let seed = f.opt_int(sink, "seed", 0..=i64::MAX).map(|s| s as u64);
    let mut buzzers = Vec::new();
    if let Some(v) = f.take("buzzers") {
        let keys = string_array(sink, "buzzers", v, Repeats::Error);
        for k in &keys {
            let mut chars = k.get_ref().chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() && !"nrp][usoq?？+-fv ".contains(c) => {
                    buzzers.push(c)
                }
                _ => sink.error(
                    k.span(),
                    format!(
                        "抢答键“{}”应是一个字符，且不能是主持人的操作键（n r p ] [ u s o q ? + - f v）",
                        k.get_ref()
                    ),
                ),
            }
        }
        if keys.len() != teams.len() {
            sink.error(
                v.span(),
                format!(
                    "buzzers 应为每队一个键（{} 队），这里有 {} 个",
                    teams.len(),
                    keys.len()
                ),
            );
        }
    }
    f.finish(
        sink,
        &["title", "teams", "start", "seed", "buzzers"],
        |_| None,
    );

    let mut specs = Vec::new();
    match rounds {
        None => sink.error(contest.span(), "竞赛至少要有一轮 [[round]]"),
        Some(v) => match v.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let Some(r) = read_round(sink, item, deck_ids) {
                        specs.push(r);
                    }
                }
            }
            other => sink.error(
                v.span(),
                format!("round 应写成表数组 [[round]]，实际是{}", type_name(other)),
            ),
        },
    }
    Some(ContestSpec {
        title: title?.into_inner(),
        teams: teams.into_iter().map(toml::Spanned::into_inner).collect(),
        start,
        rounds: specs,
        seed,
        buzzers,
    })
}

const ROUND_KEYS: &[&str] = &[
    "kind",
    "title",
    "questions",
    "points",
    "penalty",
    "time",
    "decks",
    "kinds",
    "values",
];

fn read_round(sink: &mut Sink<'_>, item: &Value<'_>, deck_ids: &[&str]) -> Option<RoundSpec> {
    let mut f = Fields::of_item(sink, "round", item)?;
    let kind = match f.take("kind") {
        None => {
            sink.error(item.span(), "[[round]] 缺少必填的键 kind（required、buzz、risk、tiebreak）");
            None
        }
        Some(v) => string(sink, "kind", v).and_then(|k| {
            let kind = RoundKind::from_name(k.get_ref());
            if kind.is_none() {
                sink.error(
                    k.span(),
                    format!("未知的轮次 kind = “{}”（可选：required 必答、buzz 抢答、risk 风险、tiebreak 加赛）", k.get_ref()),
                );
            }
            kind
        }),
    };
    let Some(kind) = kind else {
        for key in ROUND_KEYS {
            f.take(key);
        }
        return None;
    };
    let mut spec = RoundSpec::with_defaults(kind);
    if let Some(title) = f.opt_str(sink, "title") {
        spec.title = title.into_inner();
    }
    if let Some(n) = f.opt_int(sink, "questions", 1..=200) {
        spec.questions = n as u32;
    }
    if let Some(n) = f.opt_int(sink, "points", 0..=1000) {
        spec.points = n;
    }
    if let Some(n) = f.opt_int(sink, "penalty", 0..=1000) {
        spec.penalty = n;
    }
    if let Some(n) = f.opt_int(sink, "time", 5..=3600) {
        spec.time = n as u32;
    }
    if let Some(v) = f.take("decks") {
        let decks = string_array(sink, "decks", v, Repeats::Warn);
        for d in &decks {
            if !deck_ids.contains(&d.get_ref().as_str()) {
                sink.error(
                    d.span(),
                    format!(
                        "没有这个卡组：“{}”（可用：{}）",
                        d.get_ref(),
                        deck_ids.join("、")
                    ),
                );
            }
        }
        spec.decks = decks.into_iter().map(toml::Spanned::into_inner).collect();
    }
    if let Some(v) = f.take("kinds") {
        let mut kinds = Vec::new();
        for k in string_array(sink, "kinds", v, Repeats::Warn) {
            match Kind::from_name(k.get_ref()) {
                Some(kind) => kinds.push(kind),
                None => sink.error(
                    k.span(),
                    format!(
                        "未知的题型“{}”（可选：qa、fill、choice、multi、judge、list）",
                        k.get_ref()
                    ),
                ),
            }
        }
        spec.kinds = kinds;
    }
    match (kind, f.take("values")) {
        (RoundKind::Risk, Some(v)) => {
            if let DeValue::Array(items) = v.get_ref() {
                let values: Vec<i64> = items
                    .iter()
                    .filter_map(|i| integer(sink, "values", i, 1..=1000))
                    .collect();
                if values.is_empty() {
                    sink.error(v.span(), "values 至少要有一个分值");
                }
                spec.values = values;
            } else {
                sink.error(
                    v.span(),
                    format!(
                        "values 应为整数数组，如 [20, 30, 40]，实际是{}",
                        type_name(v.get_ref())
                    ),
                );
            }
        }
        (_, Some(v)) => sink.error(v.span(), "只有风险题（kind = \"risk\"）使用 values"),
        (_, None) => {}
    }
    f.finish(sink, ROUND_KEYS, |_| None);
    Some(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> (Option<ContestSpec>, Vec<Diagnostic>) {
        let src = SourceText::new("c.toml", text);
        parse(&src, &["wu-ge-bi-yu", "ba-xiang-gui-ding"])
    }

    #[test]
    fn the_documented_shape_parses_with_defaults_filled_in() {
        let (spec, diags) = check(
            "[contest]\ntitle = \"群众工作知识竞赛\"\nteams = [\"一组\", \"二组\", \"三组\"]\nstart = 100\n\n[[round]]\nkind = \"required\"\nquestions = 2\npoints = 10\npenalty = 0\ntime = 30\ndecks = [\"wu-ge-bi-yu\", \"ba-xiang-gui-ding\"]\nkinds = [\"choice\", \"judge\", \"fill\", \"qa\"]\n\n[[round]]\nkind = \"risk\"\nvalues = [20, 30, 40]\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let spec = spec.unwrap();
        assert_eq!(spec.teams.len(), 3);
        assert_eq!(spec.rounds[0].decks.len(), 2);
        assert_eq!(spec.rounds[1].values, vec![20, 30, 40]);
        assert_eq!(spec.rounds[1].time, 60);
    }

    #[test]
    fn mistakes_are_located() {
        let (spec, diags) = check(
            "[contest]\ntitle = \"赛\"\nteams = [\"一组\"]\n\n[[round]]\nkind = \"quiz\"\n\n[[round]]\nkind = \"buzz\"\ndecks = [\"nope\"]\ntime = 2\nvalues = [10]\nponts = 5\n",
        );
        assert!(spec.is_none());
        let at: Vec<(Option<(usize, usize)>, &str)> = diags
            .iter()
            .map(|d| (d.position, d.message.as_str()))
            .collect();
        assert!(
            at.iter()
                .any(|(p, m)| *p == Some((3, 9)) && m.contains("2 到 9 个队伍")),
            "{at:?}"
        );
        assert!(
            at.iter()
                .any(|(p, m)| *p == Some((6, 8)) && m.contains("未知的轮次")),
            "{at:?}"
        );
        assert!(
            at.iter()
                .any(|(p, m)| *p == Some((10, 10)) && m.contains("没有这个卡组")),
            "{at:?}"
        );
        assert!(
            at.iter()
                .any(|(p, m)| *p == Some((11, 8)) && m.contains("time 应在 5 到 3600 之间")),
            "{at:?}"
        );
        assert!(
            at.iter()
                .any(|(p, m)| *p == Some((12, 10)) && m.contains("只有风险题")),
            "{at:?}"
        );
        assert!(
            at.iter()
                .any(|(p, m)| *p == Some((13, 1)) && m.contains("是不是想写 points")),
            "{at:?}"
        );
    }

    #[test]
    fn buzzer_keys_are_one_character_each_and_not_host_keys() {
        let (spec, diags) = check(
            "[contest]\ntitle = \"赛\"\nteams = [\"甲\", \"乙\"]\nbuzzers = [\"a\", \"l\"]\n[[round]]\nkind = \"buzz\"\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(spec.unwrap().buzzers, vec!['a', 'l']);
        let (spec, diags) = check(
            "[contest]\ntitle = \"赛\"\nteams = [\"甲\", \"乙\"]\nbuzzers = [\"n\", \"F1\", \"x\"]\n[[round]]\nkind = \"buzz\"\n",
        );
        assert!(spec.is_none());
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("抢答键“n”")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("抢答键“F1”")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("每队一个键（2 队），这里有 3 个")),
            "{messages:?}"
        );
    }

    #[test]
    fn contest_files_are_told_from_decks() {
        assert!(is_contest("# c\n[contest]\ntitle = \"x\"\n"));
        assert!(is_contest("[[round]]\nkind = \"buzz\"\n"));
        assert!(is_contest("[contest]\ntitle = \"x\"\n[[round]]\n"));
        assert!(!is_contest("[deck]\nid = \"x\"\n"));
        // A deck quoting a contest file in a multi-line string is a deck.
        let deck = "[deck]\nid = \"x\"\n[[card]]\nid = \"c\"\nq = \"\"\"\n[[round]]\n[contest]\n\"\"\"\na = \"y\"\n";
        assert!(!is_contest(deck));
        // A broken file that looks like a contest goes to the contest checker.
        assert!(is_contest("[contest]\ntitle = \n"));
        // Neither a contest nor a deck (a live quiz, a paper): not a contest;
        // a deck with a stray [[round]] table stays a deck.
        assert!(!is_contest("[live]\ntitle = \"x\"\n"));
        assert!(!is_contest("[paper]\ntitle = \"x\"\n"));
        assert!(!is_contest(
            "[deck]\nid = \"x\"\n[[round]]\nkind = \"buzz\"\n"
        ));
    }
}
