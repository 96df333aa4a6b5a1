//! Matching the pieces of an answer: accepted forms of one text, the items
//! of a list, the blanks of a fill card, chosen options and true/false.

use super::normalize::fold_nfkc;
use super::sentence::{Context, find_word, is_negation};
use super::slip::{Slip, within_slips};
use super::{Part, PartStatus, Verdict};
use crate::deck::ListItem;

/// How well a piece matched an expected text.
#[derive(Debug, Clone, PartialEq)]
pub enum Quality {
    Exact,
    /// Within the slip allowance, with its cost and the slips.
    Slip(f32, Vec<Slip>),
    /// A list item written shorter (精简会议 for 精简会议活动): enough of it
    /// to lose nothing essential, or not.
    Abbreviated {
        enough: bool,
    },
}

impl Quality {
    pub(super) fn cost(&self) -> f32 {
        match self {
            Quality::Exact => 0.0,
            Quality::Slip(cost, _) => *cost,
            Quality::Abbreviated { .. } => 1.0,
        }
    }

    pub(super) fn status(&self) -> PartStatus {
        match self {
            Quality::Exact => PartStatus::Right,
            Quality::Slip(..) => PartStatus::Slip,
            Quality::Abbreviated { enough: true } => PartStatus::Slip,
            Quality::Abbreviated { enough: false } => PartStatus::Incomplete,
        }
    }

    pub(super) fn slips(self) -> Vec<Slip> {
        match self {
            Quality::Slip(_, slips) => slips,
            _ => Vec::new(),
        }
    }
}

/// Folded accepted forms of one expected text, with their frame words
/// stripped once (they are compared against every piece of an answer).
#[derive(Debug, Clone)]
pub struct Forms {
    pub full: Vec<String>,
    bare: Vec<String>,
}

impl Forms {
    pub fn new(full: Vec<String>) -> Forms {
        let bare = full.iter().map(|f| strip_frame(f).to_owned()).collect();
        Forms { full, bare }
    }

    /// Folds raw accepted forms.
    pub fn fold(raw: &[&str]) -> Forms {
        Forms::new(fold_all(raw))
    }
}

pub fn fold_all(forms: &[&str]) -> Vec<String> {
    forms
        .iter()
        .map(|f| super::normalize::fold_card(f))
        .filter(|f| !f.is_empty())
        .collect()
}

/// Words that frame an answer without changing it: "是群众", "理论联系实际的作风".
const FRAME_PREFIXES: &[&str] = &[
    "答案是",
    "答案",
    "答",
    "就是",
    "要",
    "即是",
    "是",
    "即",
    "为",
    "叫做",
    "称为",
];
const FRAME_SUFFIXES: &[&str] = &["的作风", "作风", "等等", "等", "的", "了"];

pub fn strip_frame(text: &str) -> &str {
    // Fast path: most texts neither start nor end with a frame word's
    // first or last character (this runs for every comparison).
    let starts = |c: char| FRAME_PREFIXES.iter().any(|p| p.starts_with(c));
    let ends = |c: char| FRAME_SUFFIXES.iter().any(|x| x.ends_with(c));
    if !text.chars().next().is_some_and(starts) && !text.chars().next_back().is_some_and(ends) {
        return text;
    }
    let mut s = text;
    loop {
        let before = s.len();
        if let Some(p) = FRAME_PREFIXES
            .iter()
            .find(|p| s.starts_with(**p) && s.len() > p.len())
        {
            s = &s[p.len()..];
        }
        if let Some(x) = FRAME_SUFFIXES
            .iter()
            .find(|x| s.ends_with(**x) && s.len() > x.len())
        {
            s = &s[..s.len() - x.len()];
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Whether a folded piece is one of the forms, with or without frame words.
/// (`bare` is `given` with its frame words stripped, done once per piece.)
fn matches_exactly_bare(given: &str, bare: &str, forms: &Forms) -> bool {
    forms.full.iter().any(|f| f == given) || forms.bare.iter().any(|f| f == bare)
}

/// Matches one folded piece against folded accepted forms: exactly, then
/// without frame words, then within the slip allowance (the cheapest).
pub fn match_forms(given: &str, forms: &Forms) -> Option<Quality> {
    match_forms_bare(given, strip_frame(given), forms)
}

/// [`match_forms`] with the frame words already stripped from `given`.
fn match_forms_bare(given: &str, bare: &str, forms: &Forms) -> Option<Quality> {
    if given.is_empty() {
        return None;
    }
    if matches_exactly_bare(given, bare, forms) {
        return Some(Quality::Exact);
    }
    forms
        .full
        .iter()
        .filter_map(|f| within_slips(f, given))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(cost, slips)| {
            if slips.is_empty() {
                // Differs only by equivalent function words (地 for 的).
                Quality::Exact
            } else {
                Quality::Slip(cost, slips)
            }
        })
}

/// Splits an (NFKC) answer into items on 、,;/| 。, spaces and newlines.
pub fn split_items(text: &str) -> Vec<String> {
    text.split(is_separator)
        .filter(|p| !fold_nfkc(p).is_empty())
        .map(|p| p.trim().to_owned())
        .collect()
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '、' | ',' | ';' | '/' | '|' | '。' | '，' | '；')
}

/// Conjunctions that may join items ("帝国主义和封建主义"). Only what is
/// left around matched items is stripped of them, so 和谐 is never broken.
fn strip_conjunctions(text: &str) -> String {
    let mut s = text.to_owned();
    for c in ["以及", "和", "与", "及", "跟", "同", "还有"] {
        s = s.replace(c, "");
    }
    s
}

/// One piece of the learner's answer.
pub(super) struct Piece {
    pub raw: String,
    pub folded: String,
}

impl Piece {
    /// The pieces of an answer, as [`split_items`] cuts them (each folded
    /// once).
    pub fn split(text: &str) -> Vec<Piece> {
        text.split(is_separator)
            .filter_map(|p| {
                let folded = fold_nfkc(p);
                (!folded.is_empty()).then(|| Piece {
                    raw: p.trim().to_owned(),
                    folded,
                })
            })
            .collect()
    }

    fn bare(&self) -> &str {
        strip_frame(&self.folded)
    }
}

/// An expected item and its folded accepted forms, longest first.
pub(super) struct Expected<'a> {
    pub text: &'a str,
    pub forms: Forms,
}

impl<'a> Expected<'a> {
    pub fn new(text: &'a str, accept: &[String]) -> Self {
        let all: Vec<&str> = std::iter::once(text)
            .chain(accept.iter().map(String::as_str))
            .collect();
        let mut forms = fold_all(&all);
        forms.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
        forms.dedup();
        Expected {
            text,
            forms: Forms::new(forms),
        }
    }
}

/// Where an expected item was found: piece index, then offset in it.
pub(super) type Place = (usize, usize);

/// An expected item's match: where, what was given for it, how well.
pub(super) type ItemMatch = Option<(Place, String, Quality)>;

/// What is left of each piece after matching: the piece's index and its
/// folded text with each match replaced by NUL.
pub(super) type Leftovers = Vec<(usize, String)>;

/// Matches pieces to expected items regardless of order: whole pieces
/// first (cheapest pairs first), then expected items found inside the
/// pieces left over. Returns each item's match and the leftover text.
pub(super) fn assign(expected: &[Expected<'_>], pieces: &[Piece]) -> (Vec<ItemMatch>, Leftovers) {
    let mut result: Vec<ItemMatch> = vec![None; expected.len()];
    let mut used = vec![false; pieces.len()];
    // Items that themselves contain a separator ("马列主义、毛泽东思想")
    // were split apart: runs of neighbouring pieces that together are an
    // item exactly come first, so a short accepted form cannot claim half
    // of such an item; after single pieces, runs may match with slips.
    join_runs(expected, pieces, &mut used, &mut result, true);
    // Exact pieces first: string comparisons only, and no alignment of a
    // piece already known to be an item against the other items.
    for (p, piece) in pieces.iter().enumerate() {
        if used[p] {
            continue;
        }
        let bare = piece.bare();
        let hit = (0..expected.len()).find(|&e| {
            result[e].is_none() && matches_exactly_bare(&piece.folded, bare, &expected[e].forms)
        });
        if let Some(e) = hit {
            used[p] = true;
            result[e] = Some(((p, 0), piece.raw.clone(), Quality::Exact));
        }
    }
    let mut pairs: Vec<(f32, usize, usize, Quality)> = Vec::new();
    for (p, piece) in pieces.iter().enumerate() {
        if used[p] {
            continue;
        }
        let bare = piece.bare();
        for (e, item) in expected.iter().enumerate() {
            if result[e].is_some() {
                continue;
            }
            if let Some(q) = match_forms_bare(&piece.folded, bare, &item.forms) {
                pairs.push((q.cost(), p, e, q));
            }
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, p, e, q) in pairs {
        if used[p] || result[e].is_some() {
            continue;
        }
        used[p] = true;
        result[e] = Some(((p, 0), pieces[p].raw.clone(), q));
    }
    join_runs(expected, pieces, &mut used, &mut result, false);
    // Items written inside a longer piece: "帝国主义和封建主义", "在转化上
    // 下功夫". Never after a negation the item does not have (不转化).
    let mut leftovers: Leftovers = pieces
        .iter()
        .enumerate()
        .filter(|(p, _)| !used[*p])
        .map(|(p, piece)| (p, piece.folded.clone()))
        .collect();
    for (e, item) in expected.iter().enumerate() {
        if result[e].is_some() {
            continue;
        }
        'search: for form in &item.forms.full {
            for (p, rest) in leftovers.iter_mut() {
                let mut from = 0;
                while let Some(at) = find_word(rest, form, from) {
                    if rest[..at].chars().next_back().is_some_and(is_negation) {
                        from = at + form.len();
                        continue;
                    }
                    let offset = rest[..at].chars().count();
                    rest.replace_range(at..at + form.len(), "\u{0}");
                    result[e] = Some(((*p, offset), form.clone(), Quality::Exact));
                    break 'search;
                }
            }
        }
    }
    (result, leftovers)
}

/// What was said besides the matched items: leftover text that neither
/// joins items (和, 以及) nor only restates the card or frames an item.
/// A piece nothing was found in is reported as written.
pub(super) fn extras(leftovers: &Leftovers, pieces: &[Piece], context: &Context) -> Vec<String> {
    leftovers
        .iter()
        .flat_map(|(p, rest)| {
            let whole = !rest.contains('\u{0}');
            rest.split('\u{0}')
                .filter(|s| !s.is_empty() && !context.harmless(s))
                .map(strip_conjunctions)
                .filter(|s| !s.is_empty() && !context.harmless(s))
                .map(|s| if whole { pieces[*p].raw.clone() } else { s })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Pieces left whole may be items written shorter: a strict sub-phrase of
/// one item's form (in order, dropping no negation or number) that is no
/// other item's. The same rule for every item: it keeps two thirds of the
/// form or more (nothing essential lost, close), or less (partial credit).
fn abbreviations(
    expected: &[Expected<'_>],
    pieces: &[Piece],
    result: &mut [ItemMatch],
    leftovers: &mut Leftovers,
) {
    for (p, rest) in leftovers.iter_mut() {
        if rest.contains('\u{0}') || Context::is_filler(rest) {
            continue;
        }
        let short = strip_frame(rest);
        let n = short.chars().count();
        if n < 2 {
            continue;
        }
        let fits = |e: usize| -> Option<f64> {
            expected[e]
                .forms
                .full
                .iter()
                // A strict sub-phrase is shorter in bytes too: a cheap test
                // before counting characters.
                .filter(|f| f.len() > short.len() && is_abbreviation(short, f))
                .map(|f| n as f64 / f.chars().count() as f64)
                .filter(|r| *r * 3.0 >= 1.0)
                .max_by(f64::total_cmp)
        };
        let fitting: Vec<(usize, f64)> = (0..expected.len())
            .filter_map(|e| fits(e).map(|r| (e, r)))
            .collect();
        // Only when the short form points at one item, and that item is
        // not answered yet.
        if let [(e, ratio)] = fitting[..]
            && result[e].is_none()
        {
            let enough = ratio * 3.0 >= 2.0 - 1e-9;
            result[e] = Some((
                (*p, 0),
                pieces[*p].raw.clone(),
                Quality::Abbreviated { enough },
            ));
            rest.clear();
        }
    }
}

/// Whether `short` is `long` with characters left out, none of them a
/// negation or a digit.
fn is_abbreviation(short: &str, long: &str) -> bool {
    let mut s = short.chars().peekable();
    for c in long.chars() {
        if s.peek() == Some(&c) {
            s.next();
        } else if is_negation(c) || c.is_ascii_digit() {
            return false;
        }
    }
    s.peek().is_none()
}

/// Matches runs of two or three neighbouring unused pieces, joined, to
/// unmatched items (exactly only, or with slips too).
fn join_runs(
    expected: &[Expected<'_>],
    pieces: &[Piece],
    used: &mut [bool],
    result: &mut [ItemMatch],
    exact_only: bool,
) {
    for window in 2..=3 {
        for start in 0..pieces.len().saturating_sub(window - 1) {
            let run = start..start + window;
            if run.clone().any(|p| used[p]) {
                continue;
            }
            let joined: String = pieces[run.clone()]
                .iter()
                .map(|p| p.folded.as_str())
                .collect();
            let bare = strip_frame(&joined);
            let hit = expected
                .iter()
                .enumerate()
                .filter(|(e, _)| result[*e].is_none())
                .find_map(|(e, item)| {
                    if exact_only {
                        matches_exactly_bare(&joined, bare, &item.forms)
                            .then_some((e, Quality::Exact))
                    } else {
                        match_forms_bare(&joined, bare, &item.forms).map(|q| (e, q))
                    }
                });
            if let Some((e, q)) = hit {
                let raw: Vec<&str> = pieces[run.clone()].iter().map(|p| p.raw.as_str()).collect();
                run.for_each(|p| used[p] = true);
                result[e] = Some(((start, 0), raw.join("、"), q));
            }
        }
    }
}

/// Grades a list card.
pub fn grade_list(items: &[ListItem], ordered: bool, text: &str, context: &Context) -> Verdict {
    let expected: Vec<Expected<'_>> = items
        .iter()
        .map(|i| Expected::new(&i.text, &i.accept))
        .collect();
    let pieces = Piece::split(text);
    let (mut matches, mut leftovers) = assign(&expected, &pieces);
    abbreviations(&expected, &pieces, &mut matches, &mut leftovers);
    let extra = extras(&leftovers, &pieces, context);
    let places: Vec<Option<Place>> = matches
        .iter()
        .map(|m| m.as_ref().map(|(place, ..)| *place))
        .collect();
    let in_order = if ordered {
        longest_increasing(&places)
    } else {
        vec![true; matches.len()]
    };
    let mut slips = Vec::new();
    let parts = expected
        .iter()
        .zip(matches)
        .zip(in_order)
        .map(|((item, m), in_place)| part(item.text, m, in_place, &mut slips))
        .collect();
    Verdict::from_parts(parts, extra, slips)
}

/// Numbering in front of list items ("1.", "（2）", "③", "一是", "第三，",
/// "首先，") is how people write lists, not part of an item: each marker
/// at the start of the answer or of a piece becomes a separator.
pub(crate) fn strip_numbering(text: &str) -> String {
    fn numeral(c: char) -> bool {
        c.is_ascii_digit() || c.is_numeric() || "一二三四五六七八九十".contains(c)
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut at_boundary = true;
    while i < chars.len() {
        // Circled and bracketed numbers mark an item anywhere ("①甲②乙");
        // the rest only where a piece starts.
        let anywhere = ('①'..='⑳').contains(&chars[i]) || matches!(chars[i], '（' | '(');
        if (at_boundary || anywhere)
            && let Some(len) = marker_len(&chars[i..], numeral)
        {
            out.push('、');
            i += len;
            continue;
        }
        let c = chars[i];
        out.push(c);
        at_boundary = is_separator(c);
        i += 1;
    }
    out
}

/// The length of a numbering marker at the start of `s`, if there is one.
fn marker_len(s: &[char], numeral: fn(char) -> bool) -> Option<usize> {
    let first = *s.first()?;
    if ('①'..='⑳').contains(&first) {
        return Some(1);
    }
    for word in ["首先", "其次", "再次", "最后"] {
        let w: Vec<char> = word.chars().collect();
        // Only with its comma: 最后一公里 is an item.
        if s.starts_with(&w)
            && s.get(w.len())
                .is_some_and(|&c| matches!(c, '，' | ',' | '、' | '：' | ':'))
        {
            return Some(w.len() + 1);
        }
    }
    let (open, start) = match first {
        '（' | '(' => (true, 1),
        '第' => (false, 1),
        _ => (false, 0),
    };
    let digits = s[start..].iter().take_while(|&&c| numeral(c)).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let end = start + digits;
    let next = *s.get(end)?;
    let closes = if open {
        matches!(next, '）' | ')')
    } else if first == '第' {
        matches!(next, '，' | ',' | '、' | '：' | ':' | '是')
    } else if matches!(next, '.' | '．') {
        // 3.1公里 is a number, not item 3.
        !s.get(end + 1).is_some_and(|&c| numeral(c))
    } else {
        matches!(next, '、' | ')' | '）' | ':' | '：' | '是')
    };
    closes.then_some(end + 1)
}

/// The part for one expected item and its match.
pub(super) fn part(expected: &str, m: ItemMatch, in_place: bool, slips: &mut Vec<Slip>) -> Part {
    match m {
        None => Part {
            expected: expected.to_owned(),
            given: None,
            status: PartStatus::Missing,
        },
        Some((_, given, q)) => {
            let status = if in_place {
                q.status()
            } else {
                PartStatus::Misplaced
            };
            slips.extend(q.slips());
            Part {
                expected: expected.to_owned(),
                given: Some(given),
                status,
            }
        }
    }
}

/// For an ordered list: which matched items are in order, keeping the
/// longest run of items whose given places increase. Items not given are
/// not "out of place".
pub(super) fn longest_increasing(matches: &[Option<Place>]) -> Vec<bool> {
    let places: Vec<(usize, Place)> = matches
        .iter()
        .enumerate()
        .filter_map(|(e, m)| m.map(|place| (e, place)))
        .collect();
    // O(n²) is plenty for lists of a few dozen items.
    let n = places.len();
    let mut best = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if places[j].1 < places[i].1 && best[j] + 1 > best[i] {
                best[i] = best[j] + 1;
                prev[i] = j;
            }
        }
    }
    let mut in_order = vec![true; matches.len()];
    for (e, _) in &places {
        in_order[*e] = false;
    }
    if let Some(mut i) = (0..n).max_by_key(|&i| (best[i], std::cmp::Reverse(i))) {
        loop {
            in_order[places[i].0] = true;
            if prev[i] == usize::MAX {
                break;
            }
            i = prev[i];
        }
    }
    in_order
}

/// The options an answer picks, as deck indices: letters in any case or
/// width (A, a, Ａ, "A C", "AC"), 1-based numbers, or option texts.
pub fn choose(text: &str, options: &[String], order: &[usize]) -> Option<Vec<usize>> {
    let folded = fold_nfkc(text);
    let bare = folded
        .trim_start_matches("答案")
        .trim_start_matches("选")
        .trim_end_matches("项");
    let n = options.len();
    let forms: Vec<Forms> = options
        .iter()
        .map(|o| Forms::new(vec![super::normalize::fold_card(o)]))
        .collect();
    // An answer that is an option's text exactly ("100%", "1945年") is
    // that option, before any reading as letters or numbers.
    if let Some(i) = forms.iter().position(|f| f.full.first() == Some(&folded)) {
        return Some(vec![i]);
    }
    let digits = |s: &str| -> Option<Vec<usize>> {
        // "2" or "13" (options 1 and 3) when every digit is an option.
        s.chars()
            .map(|c| {
                let shown = (c as u8 - b'0') as usize;
                (1..=n).contains(&shown).then(|| order[shown - 1])
            })
            .collect()
    };
    let mut picked: Vec<usize> = Vec::new();
    if !bare.is_empty() && bare.chars().all(|c| c.is_ascii_lowercase()) {
        for c in bare.chars() {
            let shown = usize::from(c as u8 - b'a');
            picked.push(*order.get(shown)?);
        }
    } else if let Some(numbers) = (!bare.is_empty() && bare.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits(bare))
        .flatten()
    {
        picked = numbers;
    } else {
        // Option texts: the whole answer first (an option may itself
        // contain 、), then piece by piece.
        let best = |piece: &str| {
            let f = fold_nfkc(piece);
            forms
                .iter()
                .enumerate()
                .filter_map(|(i, form)| match_forms(&f, form).map(|q| (q.cost(), i)))
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, i)| i)
        };
        if let Some(i) = best(text) {
            picked.push(i);
        } else {
            for piece in split_items(text) {
                picked.push(best(&piece)?);
            }
        }
    }
    picked.sort_unstable();
    picked.dedup();
    (!picked.is_empty()).then_some(picked)
}

/// Reads a true/false answer.
pub fn judge_value(folded: &str) -> Option<bool> {
    const TRUE: &[&str] = &[
        "对", "对的", "正确", "是", "是的", "√", "✓", "✔", "t", "true", "y", "yes", "1", "真", "确",
    ];
    const FALSE: &[&str] = &[
        "错",
        "错的",
        "错误",
        "不对",
        "否",
        "不是",
        "不正确",
        "×",
        "✗",
        "✘",
        "x",
        "f",
        "false",
        "n",
        "no",
        "0",
        "假",
    ];
    if TRUE.contains(&folded) {
        Some(true)
    } else if FALSE.contains(&folded) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod numbering_tests {
    use super::strip_numbering;

    #[test]
    fn numbering_in_front_of_items_is_a_separator() {
        for (text, want) in [
            (
                "1.改进调查研究 2.精简会议活动",
                "、改进调查研究 、精简会议活动",
            ),
            ("（1）甲（2）乙", "、甲、乙"),
            ("（1）甲、（2）乙", "、甲、、乙"),
            ("①甲 ②乙", "、甲 、乙"),
            (
                "一是理论联系实际，二是密切联系群众",
                "、理论联系实际，、密切联系群众",
            ),
            (
                "首先，要摆正位置；其次，要深入群众",
                "、要摆正位置；、要深入群众",
            ),
            ("第三，要加强服务", "、要加强服务"),
        ] {
            assert_eq!(strip_numbering(text), want, "{text}");
        }
        // Numbers that belong to an item stay.
        for text in [
            "3.1公里院户路",
            "八项规定",
            "第八条",
            "三严三实",
            "1943年7月2日",
            "最后一公里问题",
        ] {
            assert_eq!(strip_numbering(text), text);
        }
    }
}
