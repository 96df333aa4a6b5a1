//! The paper plan (试卷方案): a TOML file with `[paper]` and
//! `[[section]]` tables, or the defaults, checked with the same located
//! diagnostics as decks and contest files.

use toml::de::DeValue;

use crate::deck::Kind;
use crate::deck::table::{
    Fields, Repeats, Sink, Value, header_offsets, is_file_of, parse_document, string_array,
    type_name,
};
use crate::diag::{Diagnostic, Severity, SourceText};
use crate::session::CardFilter;

/// A whole paper plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub title: String,
    pub subtitle: Option<String>,
    pub minutes: Option<u32>,
    pub seed: Option<u64>,
    pub sections: Vec<SectionSpec>,
}

/// One section of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSpec {
    pub kind: Kind,
    pub title: String,
    pub count: u32,
    /// Points for each question.
    pub points: u32,
    pub decks: Vec<String>,
    pub tags: Vec<String>,
}

/// The title of a paper when neither the plan nor `--title` gives one.
pub const DEFAULT_TITLE: &str = "党课知识测试卷";

/// The default sections, in print order, with their counts when no `-n`
/// is given (42 questions, 100 points).
const DEFAULTS: [(Kind, u32); 5] = [
    (Kind::Choice, 15),
    (Kind::Multi, 10),
    (Kind::Judge, 10),
    (Kind::Fill, 5),
    (Kind::Qa, 2),
];

/// The order sections are printed in.
pub const KIND_ORDER: [Kind; 6] = [
    Kind::Choice,
    Kind::Multi,
    Kind::Judge,
    Kind::Fill,
    Kind::Qa,
    Kind::List,
];

/// A section's title for its kind.
pub fn kind_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Choice => "单项选择题",
        Kind::Multi => "多项选择题",
        Kind::Judge => "判断题",
        Kind::Fill => "填空题",
        Kind::Qa => "简答题",
        Kind::List => "列举题",
    }
}

/// Points for one question of a kind when the plan gives none.
pub fn default_points(kind: Kind) -> u32 {
    match kind {
        Kind::Choice | Kind::Fill => 2,
        Kind::Multi => 3,
        Kind::Judge => 1,
        Kind::Qa | Kind::List => 10,
    }
}

impl SectionSpec {
    pub fn new(kind: Kind, count: u32) -> SectionSpec {
        SectionSpec {
            kind,
            title: kind_title(kind).to_owned(),
            count,
            points: default_points(kind),
            decks: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// The card kinds the section draws: a 简答 section also takes list
    /// cards (an enumeration is answered in writing like any short answer).
    pub fn kinds(&self) -> Vec<Kind> {
        if self.kind == Kind::Qa {
            vec![Kind::Qa, Kind::List]
        } else {
            vec![self.kind]
        }
    }

    pub fn filter(&self) -> CardFilter {
        CardFilter {
            decks: self.decks.clone(),
            tags: self.tags.clone(),
            kinds: self.kinds(),
        }
    }
}

impl Plan {
    /// The default paper: 单选 15, 多选 10, 判断 10, 填空 5, 简答 2 (100
    /// points), or `count` questions shared out in the same proportions.
    /// With `kinds`, only the sections that draw one of them.
    pub fn defaults(count: Option<u32>, kinds: &[Kind]) -> Plan {
        let kept: Vec<SectionSpec> = DEFAULTS
            .iter()
            .map(|&(kind, n)| SectionSpec::new(kind, n))
            .filter(|s| kinds.is_empty() || s.kinds().iter().any(|k| kinds.contains(k)))
            .collect();
        let counts: Vec<u32> = match count {
            None => kept.iter().map(|s| s.count).collect(),
            Some(n) => share(n, &kept.iter().map(|s| s.count).collect::<Vec<_>>()),
        };
        Plan {
            title: DEFAULT_TITLE.to_owned(),
            subtitle: None,
            minutes: None,
            seed: None,
            sections: kept
                .into_iter()
                .zip(counts)
                .filter(|&(_, n)| n > 0)
                .map(|(s, n)| SectionSpec { count: n, ..s })
                .collect(),
        }
    }

    /// The sections in print order (by kind, in the plan's order within a
    /// kind).
    pub fn ordered(&self) -> Vec<&SectionSpec> {
        let mut sections: Vec<&SectionSpec> = self.sections.iter().collect();
        sections.sort_by_key(|s| KIND_ORDER.iter().position(|&k| k == s.kind));
        sections
    }
}

/// `total` shared out in proportion to `weights` (largest remainders;
/// ties go to the earlier section), so the parts add up to `total`.
fn share(total: u32, weights: &[u32]) -> Vec<u32> {
    let sum: u32 = weights.iter().sum::<u32>().max(1);
    let mut parts: Vec<u32> = weights.iter().map(|w| total * w / sum).collect();
    let mut rest: Vec<(usize, u32)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (i, total * w % sum))
        .collect();
    rest.sort_by_key(|&(i, r)| (std::cmp::Reverse(r), i));
    let given: u32 = parts.iter().sum();
    for &(i, _) in rest.iter().take((total - given) as usize) {
        parts[i] += 1;
    }
    parts
}

/// Whether a TOML file is a paper plan rather than a deck: decided like
/// contest files, by the parsed top-level tables (`[paper]` or
/// `[[section]]`, and no `[deck]`). A file that does not parse but has
/// such a line goes to the plan checker, so its syntax errors are reported.
pub fn is_plan(text: &str) -> bool {
    is_file_of(text, &["[paper]", "[[section]]"], |has| {
        !has("deck") && (has("paper") || has("section"))
    })
}

/// Reads and checks a plan file. `deck_ids` are the loaded decks, for
/// checking section filters.
pub fn parse(src: &SourceText<'_>, deck_ids: &[&str]) -> (Option<Plan>, Vec<Diagnostic>) {
    let mut sink = Sink::new(src);
    let plan = parse_document(&mut sink, src.text).and_then(|doc| read(&mut sink, &doc, deck_ids));
    let ok = !sink
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    (plan.filter(|_| ok), sink.diagnostics)
}

fn read(sink: &mut Sink<'_>, doc: &toml::de::DeTable<'_>, deck_ids: &[&str]) -> Option<Plan> {
    let mut top = Fields::new("文件顶层", 0..0, doc);
    let paper = top.take("paper");
    let sections = top.take("section");
    top.finish(sink, &["paper", "section"], |k| {
        (k == "sections").then(|| "大题要写成 [[section]]（单数），不是 sections".to_owned())
    });
    let mut plan = Plan {
        title: DEFAULT_TITLE.to_owned(),
        subtitle: None,
        minutes: None,
        seed: None,
        sections: Vec::new(),
    };
    if let Some(paper) = paper {
        let DeValue::Table(table) = paper.get_ref() else {
            sink.error(
                paper.span(),
                format!("paper 应为表 [paper]，实际是{}", type_name(paper.get_ref())),
            );
            return None;
        };
        let mut f = Fields::new("[paper]", paper.span(), table);
        if let Some(t) = f.opt_str(sink, "title") {
            plan.title = t.into_inner();
        }
        plan.subtitle = f.opt_str(sink, "subtitle").map(toml::Spanned::into_inner);
        plan.minutes = f.opt_int(sink, "minutes", 1..=600).map(|m| m as u32);
        plan.seed = f.opt_int(sink, "seed", 0..=i64::MAX).map(|s| s as u64);
        f.finish(sink, &["title", "subtitle", "minutes", "seed"], |_| None);
    }
    match sections {
        None => sink.error(
            paper.map_or(0..0, |p| p.span()),
            "试卷方案至少要有一道大题 [[section]]（kind、count）",
        ),
        Some(v) => match v.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let Some(s) = read_section(sink, item, deck_ids) {
                        plan.sections.push(s);
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
        },
    }
    Some(plan)
}

const SECTION_KEYS: &[&str] = &["kind", "title", "count", "points", "decks", "tags"];

fn read_section(sink: &mut Sink<'_>, item: &Value<'_>, deck_ids: &[&str]) -> Option<SectionSpec> {
    let mut f = Fields::of_item(sink, "section", item)?;
    let kind = match f.take("kind") {
        None => {
            sink.error(
                item.span(),
                "[[section]] 缺少必填的键 kind（choice、multi、judge、fill、qa、list）",
            );
            None
        }
        Some(v) => crate::deck::table::string(sink, "kind", v).and_then(|k| {
            let name = k.get_ref().as_str();
            let kind = Kind::ALL
                .into_iter()
                .find(|kind| kind.name() == name || kind.label() == name);
            if kind.is_none() {
                sink.error(
                    k.span(),
                    format!(
                        "未知的题型 kind = “{name}”（可选：choice 单选、multi 多选、judge 判断、fill 填空、qa 简答、list 列举）"
                    ),
                );
            }
            kind
        }),
    };
    let count = f.opt_int(sink, "count", 1..=500).map(|n| n as u32);
    if count.is_none() && !f.has("count") {
        sink.error(
            item.span(),
            "[[section]] 缺少必填的键 count（这道大题的题数）",
        );
    }
    let points = f.opt_int(sink, "points", 1..=100).map(|n| n as u32);
    let title = f.opt_str(sink, "title").map(toml::Spanned::into_inner);
    let mut decks = Vec::new();
    if let Some(v) = f.take("decks") {
        for d in string_array(sink, "decks", v, Repeats::Warn) {
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
            decks.push(d.into_inner());
        }
    }
    let tags = f
        .str_list(sink, "tags")
        .into_iter()
        .map(toml::Spanned::into_inner)
        .collect();
    f.finish(sink, SECTION_KEYS, |_| None);
    let kind = kind?;
    let mut spec = SectionSpec::new(kind, count?);
    if let Some(p) = points {
        spec.points = p;
    }
    if let Some(t) = title {
        spec.title = t;
    }
    spec.decks = decks;
    spec.tags = tags;
    Some(spec)
}

/// Checks a plan against the decks it draws from, in print order, each
/// section taking what it needs from what is left: a section that cannot
/// be filled is a warning (it gets fewer questions), one that gets none
/// is an error.
pub fn check_supply(
    src: &SourceText<'_>,
    plan: &Plan,
    decks: &[&crate::deck::Deck],
) -> Vec<Diagnostic> {
    let cards: Vec<(&crate::deck::Deck, &crate::deck::Card)> = decks
        .iter()
        .flat_map(|d| d.cards.iter().map(move |c| (*d, c)))
        .collect();
    let mut used = vec![false; cards.len()];
    let starts = header_offsets(src.text, "[[section]]");
    let mut out = Vec::new();
    for section in plan.ordered() {
        // Where the section is written (sections are reordered for print).
        let i = plan
            .sections
            .iter()
            .position(|s| std::ptr::eq(s, section))
            .unwrap_or(0);
        let span = starts.get(i).map_or(0..0, |&o| o..o + "[[section]]".len());
        let filter = section.filter();
        let matching: Vec<usize> = (0..cards.len())
            .filter(|&c| filter.matches(cards[c].0, cards[c].1))
            .collect();
        let left: Vec<usize> = matching.iter().copied().filter(|&c| !used[c]).collect();
        let what = format!("{}（第 {} 道 [[section]]）", section.title, i + 1);
        if left.is_empty() {
            out.push(src.error(
                span,
                if matching.is_empty() {
                    format!("{what}没有可出的题：{}没有卡片", describe(section))
                } else {
                    format!(
                        "{what}没有可出的题：{}的 {} 张卡片已被前面的大题用完",
                        describe(section),
                        matching.len()
                    )
                },
            ));
            continue;
        }
        if left.len() < section.count as usize {
            out.push(src.warning(
                span,
                format!(
                    "{what}需要 {} 题，{}只剩 {} 题可出，这道大题会少出题",
                    section.count,
                    describe(section),
                    left.len()
                ),
            ));
        }
        for &c in left.iter().take(section.count as usize) {
            used[c] = true;
        }
    }
    out
}

/// “卡组 a、b 中带标签 x 的单选题” — what a section draws from.
fn describe(section: &SectionSpec) -> String {
    let decks = if section.decks.is_empty() {
        "全部卡组".to_owned()
    } else {
        format!("卡组 {}", section.decks.join("、"))
    };
    let tags = if section.tags.is_empty() {
        String::new()
    } else {
        format!("中带标签 {} ", section.tags.join("、"))
    };
    let kinds: Vec<&str> = section.kinds().iter().map(|k| k.label()).collect();
    format!("{decks}{tags}的{}卡片中", kinds.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> (Option<Plan>, Vec<Diagnostic>) {
        let src = SourceText::new("p.toml", text);
        parse(&src, &["wu-ge-bi-yu", "ba-xiang-gui-ding"])
    }

    /// A count out of range is one error, at the count; only a section
    /// without any count is told that count is required.
    #[test]
    fn a_bad_count_is_not_also_a_missing_one() {
        let (plan, diags) = check("[[section]]\nkind = \"choice\"\ncount = 0\n");
        assert!(plan.is_none());
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("count"), "{messages:?}");
        assert!(!messages[0].contains("缺少"), "{messages:?}");
        let (_, diags) = check("[[section]]\nkind = \"choice\"\n");
        assert!(
            diags
                .iter()
                .any(|d| d.message.contains("缺少必填的键 count")),
            "{diags:?}"
        );
    }

    #[test]
    fn defaults_make_a_hundred_points_in_print_order() {
        let plan = Plan::defaults(None, &[]);
        let kinds: Vec<Kind> = plan.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![Kind::Choice, Kind::Multi, Kind::Judge, Kind::Fill, Kind::Qa]
        );
        let total: u32 = plan.sections.iter().map(|s| s.count * s.points).sum();
        assert_eq!(total, 100);
    }

    #[test]
    fn a_count_is_shared_out_in_proportion() {
        let counts = |n| -> Vec<u32> {
            Plan::defaults(Some(n), &[])
                .sections
                .iter()
                .map(|s| s.count)
                .collect()
        };
        assert_eq!(counts(42), vec![15, 10, 10, 5, 2]);
        assert_eq!(counts(21).iter().sum::<u32>(), 21);
        assert_eq!(counts(21), vec![8, 5, 5, 2, 1]);
        // Too few for every section: the empty ones are left out.
        assert_eq!(counts(3), vec![1, 1, 1]);
        assert_eq!(share(1000, &[15, 10, 10, 5, 2]).iter().sum::<u32>(), 1000);
        // Only the sections of the kinds asked for share the count.
        let plan = Plan::defaults(Some(10), &[Kind::Choice, Kind::Judge]);
        let shape: Vec<(Kind, u32)> = plan.sections.iter().map(|s| (s.kind, s.count)).collect();
        assert_eq!(shape, vec![(Kind::Choice, 6), (Kind::Judge, 4)]);
        // List cards are answered in the 简答 section.
        let plan = Plan::defaults(None, &[Kind::List]);
        assert_eq!(plan.sections.len(), 1);
        assert_eq!(plan.sections[0].kind, Kind::Qa);
    }

    #[test]
    fn the_documented_shape_parses() {
        let (plan, diags) = check(
            "[paper]\ntitle = \"群众工作测试\"\nsubtitle = \"第一支部\"\nminutes = 60\nseed = 7\n\n[[section]]\nkind = \"judge\"\ncount = 5\n\n[[section]]\nkind = \"choice\"\ncount = 10\npoints = 3\ndecks = [\"wu-ge-bi-yu\"]\ntags = [\"比喻\"]\ntitle = \"选择题\"\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let plan = plan.unwrap();
        assert_eq!(plan.title, "群众工作测试");
        assert_eq!(plan.minutes, Some(60));
        assert_eq!(plan.seed, Some(7));
        assert_eq!(plan.sections[0].points, 1, "judge default");
        assert_eq!(plan.sections[1].points, 3);
        assert_eq!(plan.sections[1].title, "选择题");
        // Printed by kind: the choice section comes first.
        assert_eq!(plan.ordered()[0].kind, Kind::Choice);
    }

    #[test]
    fn mistakes_are_located() {
        let (plan, diags) = check(
            "[paper]\ntitle = \"卷\"\nminutes = 0\n\n[[section]]\nkind = \"essay\"\ncount = 2\n\n[[section]]\nkind = \"choice\"\ndecks = [\"nope\"]\npoints = 2\nponts = 1\n",
        );
        assert!(plan.is_none());
        let at: Vec<(Option<(usize, usize)>, &str)> = diags
            .iter()
            .map(|d| (d.position, d.message.as_str()))
            .collect();
        let has = |pos: (usize, usize), text: &str| {
            at.iter().any(|(p, m)| *p == Some(pos) && m.contains(text))
        };
        assert!(has((3, 11), "minutes 应在 1 到 600 之间"), "{at:?}");
        assert!(has((6, 8), "未知的题型"), "{at:?}");
        assert!(has((11, 10), "没有这个卡组"), "{at:?}");
        assert!(has((13, 1), "是不是想写 points"), "{at:?}");
        assert!(has((9, 1), "缺少必填的键 count"), "{at:?}");
    }

    #[test]
    fn plans_are_told_from_decks_and_contests() {
        assert!(is_plan("[paper]\ntitle = \"x\"\n"));
        assert!(is_plan("[[section]]\nkind = \"qa\"\ncount = 1\n"));
        assert!(!is_plan("[deck]\nid = \"x\"\n"));
        assert!(!is_plan("[contest]\ntitle = \"x\"\n"));
        let deck = "[deck]\nid = \"x\"\n[[card]]\nid = \"c\"\nq = \"\"\"\n[paper]\n\"\"\"\n";
        assert!(!is_plan(deck));
        assert!(is_plan("[paper]\ntitle = \n"));
    }

    #[test]
    fn short_supply_is_a_warning_and_none_an_error() {
        let (library, _) = crate::deck::Library::load(&[]).unwrap();
        let decks: Vec<&crate::deck::Deck> = library.decks.iter().collect();
        let text = "[[section]]\nkind = \"multi\"\ncount = 5\ndecks = [\"ba-xiang-gui-ding\"]\n\n[[section]]\nkind = \"qa\"\ncount = 500\ndecks = [\"ba-xiang-gui-ding\"]\n\n[[section]]\nkind = \"multi\"\ncount = 1\ndecks = [\"ba-xiang-gui-ding\"]\n";
        let src = SourceText::new("p.toml", text);
        let (plan, diags) = parse(&src, &["ba-xiang-gui-ding"]);
        assert!(diags.is_empty(), "{diags:?}");
        let found = check_supply(&src, &plan.unwrap(), &decks);
        type Found<'a> = (Severity, Option<(usize, usize)>, &'a str);
        let at: Vec<Found<'_>> = found
            .iter()
            .map(|d| (d.severity, d.position, d.message.as_str()))
            .collect();
        assert_eq!(at.len(), 3, "{at:?}");
        // The deck has one multi card: the first multi section is short…
        assert!(
            at.iter().any(|(s, p, m)| *s == Severity::Warning
                && *p == Some((1, 1))
                && m.contains("需要 5 题")
                && m.contains("只剩 1 题")),
            "{at:?}"
        );
        // …and leaves none for the third.
        assert!(
            at.iter().any(|(s, p, m)| *s == Severity::Error
                && *p == Some((11, 1))
                && m.contains("已被前面的大题用完")),
            "{at:?}"
        );
        assert!(
            at.iter()
                .any(|(s, p, _)| *s == Severity::Warning && *p == Some((6, 1))),
            "{at:?}"
        );
    }
}
