//! Live group quizzes (现场答题): everyone in the room answers on a phone,
//! the terminal is the projector. This module holds the live file format
//! (checked with located diagnostics like contest files); `engine` is the
//! pure state machine, `server` the HTTP/WebSocket side.

pub mod buzzer;
pub mod engine;
pub mod export;
pub mod host;
pub mod hub;
pub mod protocol;
pub mod screen;
pub mod server;

use toml::de::DeValue;

use crate::deck::table::{
    Fields, Repeats, Sink, Value, header_offsets, is_file_of, parse_document, string_array,
    type_name,
};
use crate::deck::{Card, Deck, Kind};
use crate::diag::{Diagnostic, SourceText};

/// Who moves the session on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Kahoot style: the host opens each question.
    Host,
    /// A timed test: everyone works through the paper.
    SelfPaced,
}

impl Pace {
    pub fn name(self) -> &'static str {
        match self {
            Pace::Host => "host",
            Pace::SelfPaced => "self",
        }
    }
}

/// When participants see whether they were right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reveal {
    Each,
    End,
}

impl Reveal {
    pub fn name(self) -> &'static str {
        match self {
            Reveal::Each => "each",
            Reveal::End => "end",
        }
    }
}

/// Questions drawn for the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    pub count: usize,
    pub decks: Vec<String>,
    pub tags: Vec<String>,
    pub kinds: Vec<Kind>,
}

impl Draw {
    pub fn fits(&self, deck: &Deck, card: &Card) -> bool {
        (self.decks.is_empty() || self.decks.contains(&deck.id))
            && (self.kinds.is_empty() || self.kinds.contains(&card.kind()))
            && (self.tags.is_empty()
                || self
                    .tags
                    .iter()
                    .any(|t| card.tags.contains(t) || deck.tags.contains(t)))
    }
}

/// A whole live session's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSpec {
    pub title: String,
    pub pace: Pace,
    pub seed: Option<u64>,
    /// Empty: no teams.
    pub teams: Vec<String>,
    pub late_join: bool,
    pub reveal: Reveal,
    /// Host pace: seconds per question.
    pub time: u32,
    /// Self pace: minutes for the whole paper.
    pub minutes: u32,
    /// For a right answer.
    pub points: i64,
    /// Host pace: the most extra points for answering at once.
    pub speed_bonus: i64,
    pub draws: Vec<Draw>,
}

impl LiveSpec {
    /// The session without a file: 10 questions of any kind, host pace,
    /// 20 seconds each, 100 points and up to 50 for speed.
    pub fn preset() -> LiveSpec {
        LiveSpec {
            title: "党课现场答题".to_owned(),
            pace: Pace::Host,
            seed: None,
            teams: Vec::new(),
            late_join: true,
            reveal: Reveal::Each,
            time: 20,
            minutes: 20,
            points: 100,
            speed_bonus: 50,
            draws: vec![Draw {
                count: 10,
                decks: Vec::new(),
                tags: Vec::new(),
                // Typed answers of a sentence or two suit a phone.
                kinds: vec![Kind::Choice, Kind::Multi, Kind::Judge, Kind::Fill, Kind::Qa],
            }],
        }
    }

    pub fn questions(&self) -> usize {
        self.draws.iter().map(|d| d.count).sum()
    }
}

/// Whether a TOML file is a live file: it has a top-level `[live]` table
/// and no `[deck]` (judged by its lines when it does not parse).
pub fn is_live(text: &str) -> bool {
    is_file_of(text, &["[live]"], |has| {
        has("live") && !has("deck") && !has("contest")
    })
}

const LIVE_KEYS: &[&str] = &[
    "title",
    "pace",
    "seed",
    "teams",
    "late_join",
    "reveal",
    "time",
    "minutes",
    "points",
    "speed_bonus",
];
const DRAW_KEYS: &[&str] = &["count", "decks", "tags", "kinds"];

/// Reads and checks a live file against the loaded decks' ids.
pub fn parse(src: &SourceText<'_>, deck_ids: &[&str]) -> (Option<LiveSpec>, Vec<Diagnostic>) {
    let mut sink = Sink::new(src);
    let spec = parse_document(&mut sink, src.text).and_then(|doc| read(&mut sink, &doc, deck_ids));
    let ok = !sink
        .diagnostics
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    (spec.filter(|_| ok), sink.diagnostics)
}

fn read(sink: &mut Sink<'_>, doc: &toml::de::DeTable<'_>, deck_ids: &[&str]) -> Option<LiveSpec> {
    let mut top = Fields::new("文件顶层", 0..0, doc);
    let live = top.take("live");
    let sections = top.take("section");
    top.finish(sink, &["live", "section"], |k| {
        (k == "sections" || k == "questions")
            .then(|| "抽题要写成 [[section]]（每节一个表）".to_owned())
    });
    let Some(live) = live else {
        sink.error(0..0, "缺少 [live] 表（现场答题的 title、pace 等写在这里）");
        return None;
    };
    let DeValue::Table(table) = live.get_ref() else {
        sink.error(
            live.span(),
            format!("live 应为表 [live]，实际是{}", type_name(live.get_ref())),
        );
        return None;
    };
    let mut spec = LiveSpec::preset();
    let mut f = Fields::new("[live]", live.span(), table);
    if let Some(t) = f.req_str(sink, "title") {
        spec.title = t.into_inner();
    }
    if let Some(p) = f.opt_str(sink, "pace") {
        match p.get_ref().as_str() {
            "host" => spec.pace = Pace::Host,
            "self" => spec.pace = Pace::SelfPaced,
            other => sink.error(
                p.span(),
                format!("未知的 pace = “{other}”（可选：host 主持人逐题、self 限时自主作答）"),
            ),
        }
    }
    if let Some(r) = f.opt_str(sink, "reveal") {
        match r.get_ref().as_str() {
            "each" => spec.reveal = Reveal::Each,
            "end" => spec.reveal = Reveal::End,
            other => sink.error(
                r.span(),
                format!("未知的 reveal = “{other}”（可选：each 每题公布、end 结束时公布）"),
            ),
        }
    }
    spec.seed = f.opt_int(sink, "seed", 0..=i64::MAX).map(|s| s as u64);
    if let Some(v) = f.take("teams") {
        let teams = string_array(sink, "teams", v, Repeats::Error);
        if teams.len() < 2 || teams.len() > 20 {
            sink.error(
                v.span(),
                format!("teams 应有 2 到 20 个队伍，这里有 {} 个", teams.len()),
            );
        }
        for t in &teams {
            if t.get_ref().chars().count() > engine::MAX_NAME {
                sink.error(t.span(), "队名最多 20 个字");
            }
        }
        spec.teams = teams.into_iter().map(toml::Spanned::into_inner).collect();
    }
    if let Some(b) = f.opt_bool(sink, "late_join") {
        spec.late_join = b;
    }
    if let Some(n) = f.opt_int(sink, "time", 5..=600) {
        spec.time = n as u32;
    }
    if let Some(n) = f.opt_int(sink, "minutes", 1..=300) {
        spec.minutes = n as u32;
    }
    if let Some(n) = f.opt_int(sink, "points", 1..=10_000) {
        spec.points = n;
    }
    if let Some(n) = f.opt_int(sink, "speed_bonus", 0..=10_000) {
        spec.speed_bonus = n;
    }
    f.finish(sink, LIVE_KEYS, |_| None);
    if let Some(v) = sections {
        spec.draws.clear();
        match v.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let Some(d) = read_draw(sink, item, deck_ids) {
                        spec.draws.push(d);
                    }
                }
            }
            other => sink.error(
                v.span(),
                format!(
                    "section 应写成表数组 [[section]]，实际是{}",
                    type_name(other)
                ),
            ),
        }
    }
    if spec.questions() > 200 {
        sink.error(
            live.span(),
            format!("一场最多 200 题，这里共 {} 题", spec.questions()),
        );
    }
    Some(spec)
}

fn read_draw(sink: &mut Sink<'_>, item: &Value<'_>, deck_ids: &[&str]) -> Option<Draw> {
    let mut f = Fields::of_item(sink, "section", item)?;
    let count = f.opt_int(sink, "count", 1..=200).unwrap_or(10) as usize;
    let mut draw = Draw {
        count,
        decks: Vec::new(),
        tags: Vec::new(),
        kinds: Vec::new(),
    };
    for d in f.str_list(sink, "decks") {
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
        draw.decks.push(d.into_inner());
    }
    draw.tags = f
        .str_list(sink, "tags")
        .into_iter()
        .map(toml::Spanned::into_inner)
        .collect();
    for k in f.str_list(sink, "kinds") {
        match Kind::from_name(k.get_ref()) {
            Some(kind) => draw.kinds.push(kind),
            None => sink.error(
                k.span(),
                format!(
                    "未知的题型“{}”（可选：qa、fill、choice、multi、judge、list）",
                    k.get_ref()
                ),
            ),
        }
    }
    f.finish(sink, DRAW_KEYS, |_| None);
    Some(draw)
}

/// Checks that each section can be filled from the decks: a section that
/// finds no card is an error, one that finds fewer than asked a warning.
pub fn check_supply(src: &SourceText<'_>, spec: &LiveSpec, decks: &[&Deck]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let starts = header_offsets(src.text, "[[section]]");
    let mut used = std::collections::HashSet::new();
    for (i, draw) in spec.draws.iter().enumerate() {
        let span = starts.get(i).map_or(0..0, |&o| o..o + "[[section]]".len());
        let fitting: Vec<(usize, usize)> = decks
            .iter()
            .enumerate()
            .flat_map(|(d, deck)| {
                deck.cards
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| draw.fits(deck, c))
                    .map(move |(c, _)| (d, c))
            })
            .filter(|k| !used.contains(k))
            .collect();
        if fitting.is_empty() {
            out.push(src.error(span, format!("第 {} 节没有可出的题", i + 1)));
            continue;
        }
        if fitting.len() < draw.count {
            out.push(src.warning(
                span,
                format!(
                    "第 {} 节要 {} 题，只有 {} 张卡片可出，将少出 {} 题",
                    i + 1,
                    draw.count,
                    fitting.len(),
                    draw.count - fitting.len()
                ),
            ));
        }
        used.extend(fitting.into_iter().take(draw.count));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> (Option<LiveSpec>, Vec<Diagnostic>) {
        let src = SourceText::new("l.toml", text);
        parse(&src, &["wu-ge-bi-yu"])
    }

    #[test]
    fn a_full_file_parses() {
        let (spec, diags) = check(
            "[live]\ntitle = \"支部测验\"\npace = \"self\"\nseed = 7\nteams = [\"一组\", \"二组\"]\nlate_join = false\nreveal = \"end\"\nminutes = 15\npoints = 10\nspeed_bonus = 0\n\n[[section]]\ncount = 5\ndecks = [\"wu-ge-bi-yu\"]\nkinds = [\"choice\", \"judge\"]\n\n[[section]]\ncount = 3\ntags = [\"群众路线\"]\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let spec = spec.unwrap();
        assert_eq!(spec.pace, Pace::SelfPaced);
        assert_eq!(spec.reveal, Reveal::End);
        assert!(!spec.late_join);
        assert_eq!(spec.minutes, 15);
        assert_eq!(spec.questions(), 8);
        assert_eq!(spec.draws[1].tags, vec!["群众路线".to_owned()]);
        assert_eq!(spec.teams.len(), 2);
    }

    #[test]
    fn mistakes_are_located() {
        let (spec, diags) = check(
            "[live]\ntitle = \"测\"\npace = \"fast\"\ntime = 1\n\n[[section]]\ndecks = [\"nope\"]\nkinds = [\"essay\"]\ncuont = 3\n",
        );
        assert!(spec.is_none());
        let at: Vec<(Option<(usize, usize)>, &str)> = diags
            .iter()
            .map(|d| (d.position, d.message.as_str()))
            .collect();
        for (line, what) in [
            (3, "未知的 pace"),
            (4, "time 应在 5 到 600 之间"),
            (7, "没有这个卡组"),
            (8, "未知的题型"),
            (9, "是不是想写 count"),
        ] {
            assert!(
                at.iter()
                    .any(|(p, m)| p.is_some_and(|p| p.0 == line) && m.contains(what)),
                "{what} at line {line}: {at:?}"
            );
        }
    }

    /// `sections` or `questions` for `[[section]]` is a slip with a hint;
    /// any other unknown top-level key is reported without it.
    #[test]
    fn a_misnamed_section_list_gets_a_hint() {
        for key in ["sections", "questions"] {
            let (spec, diags) = check(&format!("[live]\ntitle = \"测\"\n\n[[{key}]]\ncount = 3\n"));
            assert!(spec.is_none(), "{key}");
            assert!(
                diags
                    .iter()
                    .any(|d| d.message.contains("抽题要写成 [[section]]")),
                "{key}: {diags:?}"
            );
        }
        let (_, diags) = check("[live]\ntitle = \"测\"\n\n[[rounds]]\ncount = 3\n");
        assert!(!diags.is_empty());
        assert!(
            !diags.iter().any(|d| d.message.contains("抽题要写成")),
            "{diags:?}"
        );
    }

    /// A live quiz with teams needs two to twenty of them: one team is no
    /// contest, and more than twenty do not fit the projector.
    #[test]
    fn a_live_quiz_takes_two_to_twenty_teams() {
        let with = |n: usize| {
            let names: Vec<String> = (1..=n).map(|i| format!("\"{i}组\"")).collect();
            check(&format!(
                "[live]\ntitle = \"测\"\nteams = [{}]\n",
                names.join(", ")
            ))
        };
        for n in [1, 21] {
            let (spec, diags) = with(n);
            assert!(spec.is_none(), "{n} teams accepted");
            let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
            assert_eq!(
                messages,
                [format!("teams 应有 2 到 20 个队伍，这里有 {n} 个")],
                "{n} teams"
            );
            assert_eq!(diags[0].position.map(|p| p.0), Some(3));
        }
        for n in [2, 3, 20] {
            let (spec, diags) = with(n);
            assert!(diags.is_empty(), "{n} teams: {diags:?}");
            assert_eq!(spec.map(|s| s.teams.len()), Some(n));
        }
    }

    #[test]
    fn live_files_are_told_from_decks_and_contests() {
        assert!(is_live("[live]\ntitle = \"x\"\n"));
        assert!(!is_live("[deck]\nid = \"x\"\n"));
        assert!(!is_live("[contest]\ntitle = \"x\"\n"));
        let deck =
            "[deck]\nid = \"x\"\n[[card]]\nid = \"c\"\nq = \"\"\"\n[live]\n\"\"\"\na = \"y\"\n";
        assert!(!is_live(deck));
        assert!(is_live("[live]\ntitle = \n"));
    }
}
