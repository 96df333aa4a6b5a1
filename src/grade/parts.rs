//! Matching the pieces of an answer: accepted forms of one text, the items
//! of a list, the blanks of a fill card, chosen options and true/false.

use super::normalize::fold_nfkc;
use super::slip::{Slip, within_slips};
use super::{Part, PartStatus, Verdict};
use crate::deck::{FillPart, ListItem};

/// How well a piece matched an expected text.
#[derive(Debug, Clone, PartialEq)]
pub enum Quality {
    Exact,
    /// Within the slip allowance, with its cost and the slips.
    Slip(f32, Vec<Slip>),
}

impl Quality {
    fn cost(&self) -> f32 {
        match self {
            Quality::Exact => 0.0,
            Quality::Slip(cost, _) => *cost,
        }
    }

    fn status(&self) -> PartStatus {
        match self {
            Quality::Exact => PartStatus::Right,
            Quality::Slip(..) => PartStatus::Slip,
        }
    }

    fn slips(self) -> Vec<Slip> {
        match self {
            Quality::Exact => Vec::new(),
            Quality::Slip(_, slips) => slips,
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
        .map(|f| super::fold(f))
        .filter(|f| !f.is_empty())
        .collect()
}

/// Words that frame an answer without changing it: "是群众", "理论联系实际的作风".
const FRAME_PREFIXES: &[&str] = &[
    "答案是",
    "答案",
    "答",
    "就是",
    "即是",
    "是",
    "即",
    "为",
    "叫做",
    "称为",
];
const FRAME_SUFFIXES: &[&str] = &["的作风", "作风", "等等", "等", "的", "了"];

fn strip_frame(text: &str) -> &str {
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
fn matches_exactly(given: &str, forms: &Forms) -> bool {
    if forms.full.iter().any(|f| f == given) {
        return true;
    }
    let bare = strip_frame(given);
    forms.bare.iter().any(|f| f == bare)
}

/// Matches one folded piece against folded accepted forms: exactly, then
/// without frame words, then within the slip allowance (the cheapest).
pub fn match_forms(given: &str, forms: &Forms) -> Option<Quality> {
    if given.is_empty() {
        return None;
    }
    if matches_exactly(given, forms) {
        return Some(Quality::Exact);
    }
    forms
        .full
        .iter()
        .filter_map(|f| within_slips(f, given))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(cost, slips)| Quality::Slip(cost, slips))
}

/// Splits an (NFKC) answer into items on 、,;/| 。, spaces and newlines.
pub fn split_items(text: &str) -> Vec<String> {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, '、' | ',' | ';' | '/' | '|' | '。' | '，' | '；')
    })
    .filter(|p| !fold_nfkc(p).is_empty())
    .map(|p| p.trim().to_owned())
    .collect()
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
struct Piece {
    raw: String,
    folded: String,
}

/// An expected item and its folded accepted forms, longest first.
struct Expected<'a> {
    text: &'a str,
    forms: Forms,
}

impl<'a> Expected<'a> {
    fn new(text: &'a str, accept: &[String]) -> Self {
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
type Place = (usize, usize);

/// An expected item's match: where, what was given for it, how well.
type ItemMatch = Option<(Place, String, Quality)>;

/// Matches pieces to expected items regardless of order: whole pieces
/// first (cheapest pairs first), then expected items found inside the
/// pieces left over. Returns each item's match and the leftover text.
fn assign(expected: &[Expected<'_>], pieces: &[Piece]) -> (Vec<ItemMatch>, Vec<String>) {
    let mut result: Vec<ItemMatch> = vec![None; expected.len()];
    let mut used = vec![false; pieces.len()];
    // Items that themselves contain a separator ("马列主义、毛泽东思想")
    // were split apart: runs of neighbouring pieces that together are an
    // item exactly come first, so a short accepted form cannot claim half
    // of such an item; after single pieces, runs may match with slips.
    join_runs(expected, pieces, &mut used, &mut result, true);
    let mut pairs: Vec<(f32, usize, usize, Quality)> = Vec::new();
    for (p, piece) in pieces.iter().enumerate() {
        if used[p] {
            continue;
        }
        for (e, item) in expected.iter().enumerate() {
            if result[e].is_some() {
                continue;
            }
            if let Some(q) = match_forms(&piece.folded, &item.forms) {
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
    // Items written inside a longer piece: "帝国主义和封建主义", "铜墙铁壁眼睛".
    let mut leftovers: Vec<(usize, String)> = pieces
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
                if let Some(at) = rest.find(form.as_str()) {
                    let offset = rest[..at].chars().count();
                    rest.replace_range(at..at + form.len(), "\u{0}");
                    result[e] = Some(((*p, offset), form.clone(), Quality::Exact));
                    break 'search;
                }
            }
        }
    }
    let extra = leftovers
        .into_iter()
        .flat_map(|(p, rest)| {
            let whole = !rest.contains('\u{0}');
            rest.split('\u{0}')
                .map(strip_conjunctions)
                .filter(|s| !s.is_empty())
                .map(|s| if whole { pieces[p].raw.clone() } else { s })
                .collect::<Vec<_>>()
        })
        .collect();
    (result, extra)
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
            let hit = expected
                .iter()
                .enumerate()
                .filter(|(e, _)| result[*e].is_none())
                .find_map(|(e, item)| {
                    if exact_only {
                        matches_exactly(&joined, &item.forms).then_some((e, Quality::Exact))
                    } else {
                        match_forms(&joined, &item.forms).map(|q| (e, q))
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
pub fn grade_list(items: &[ListItem], ordered: bool, text: &str) -> Verdict {
    let expected: Vec<Expected<'_>> = items
        .iter()
        .map(|i| Expected::new(&i.text, &i.accept))
        .collect();
    let pieces: Vec<Piece> = split_items(text)
        .into_iter()
        .map(|raw| Piece {
            folded: fold_nfkc(&raw),
            raw,
        })
        .collect();
    let (matches, extra) = assign(&expected, &pieces);
    let in_order = if ordered {
        longest_increasing(&matches)
    } else {
        vec![true; matches.len()]
    };
    let mut slips = Vec::new();
    let parts = expected
        .iter()
        .zip(matches)
        .zip(in_order)
        .map(|((item, m), in_place)| match m {
            None => Part {
                expected: item.text.to_owned(),
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
                    expected: item.text.to_owned(),
                    given: Some(given),
                    status,
                }
            }
        })
        .collect();
    Verdict::from_parts(parts, extra, slips)
}

/// For an ordered list: which matched items are in order, keeping the
/// longest run of items whose given places increase.
fn longest_increasing(matches: &[ItemMatch]) -> Vec<bool> {
    let places: Vec<(usize, Place)> = matches
        .iter()
        .enumerate()
        .filter_map(|(e, m)| m.as_ref().map(|(place, ..)| (e, *place)))
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
    // Missing items are not "out of place".
    for (e, m) in matches.iter().enumerate() {
        if m.is_none() {
            in_order[e] = true;
        }
    }
    in_order
}

/// Grades a fill card: blanks are matched in order, whether the learner
/// typed only the blanks (separated) or the whole sentence.
pub fn grade_fill(fill: &[FillPart], text: &str) -> Verdict {
    let blanks: Vec<Expected<'_>> = fill
        .iter()
        .filter_map(|p| match p {
            FillPart::Blank(answers) => answers
                .split_first()
                .map(|(first, rest)| Expected::new(first, rest)),
            FillPart::Text(_) => None,
        })
        .collect();
    let folded = fold_nfkc(text);
    if let Some(found) = from_sentence(fill, &folded) {
        return grade_blanks(&blanks, found.into_iter().map(Some).collect());
    }
    if blanks.len() == 1 {
        return grade_blanks(&blanks, vec![Some(text.trim().to_owned())]);
    }
    let pieces = split_items(text);
    let searched = grade_fill_by_search(&blanks, &folded);
    if pieces.len() != blanks.len() {
        return searched;
    }
    // Same count: usually one piece per blank, but a sentence that the
    // prompt's text could not cut apart may split into as many pieces by
    // chance. Keep whichever reading gives the learner more credit.
    let positional = grade_blanks(&blanks, pieces.into_iter().map(Some).collect());
    if searched.score > positional.score {
        searched
    } else {
        positional
    }
}

/// Grades what was given for each blank, in order.
fn grade_blanks(blanks: &[Expected<'_>], given: Vec<Option<String>>) -> Verdict {
    let mut slips = Vec::new();
    let parts = blanks
        .iter()
        .zip(given)
        .map(|(blank, given)| {
            let q = given
                .as_deref()
                .and_then(|g| match_forms(&fold_nfkc(g), &blank.forms));
            let status = q.as_ref().map_or(PartStatus::Missing, Quality::status);
            slips.extend(q.map(Quality::slips).unwrap_or_default());
            Part {
                expected: blank.text.to_owned(),
                given,
                status,
            }
        })
        .collect();
    Verdict::from_parts(parts, Vec::new(), slips)
}

/// When the piece count does not match the blanks, looks for each blank's
/// answers in order in the whole answer.
fn grade_fill_by_search(blanks: &[Expected<'_>], folded: &str) -> Verdict {
    let mut from = 0;
    let parts = blanks
        .iter()
        .map(|blank| {
            let found = blank
                .forms
                .full
                .iter()
                .filter_map(|f| folded[from..].find(f.as_str()).map(|at| (at, f)))
                .min_by_key(|(at, f)| (*at, std::cmp::Reverse(f.len())));
            match found {
                Some((at, form)) => {
                    from += at + form.len();
                    Part {
                        expected: blank.text.to_owned(),
                        given: Some(form.clone()),
                        status: PartStatus::Right,
                    }
                }
                None => Part {
                    expected: blank.text.to_owned(),
                    given: None,
                    status: PartStatus::Missing,
                },
            }
        })
        .collect();
    Verdict::from_parts(parts, Vec::new(), Vec::new())
}

/// If the learner typed the whole sentence, cuts out what stands where
/// each blank is, using the prompt's own text around the blanks.
fn from_sentence(fill: &[FillPart], folded: &str) -> Option<Vec<String>> {
    let texts: Vec<String> = fill
        .iter()
        .map(|p| match p {
            FillPart::Text(t) => fold_nfkc(t),
            FillPart::Blank(_) => String::new(),
        })
        .collect();
    let anchor_chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    if anchor_chars < 2 {
        return None;
    }
    let mut pos = 0;
    let mut found = Vec::new();
    let mut blank_start: Option<usize> = None;
    for (part, text) in fill.iter().zip(&texts) {
        match part {
            FillPart::Blank(_) => {
                if blank_start.is_some() {
                    return None; // two blanks side by side cannot be told apart
                }
                blank_start = Some(pos);
            }
            FillPart::Text(_) if text.is_empty() => {}
            FillPart::Text(_) => {
                let at = pos + folded[pos..].find(text.as_str())?;
                if let Some(start) = blank_start.take() {
                    found.push(folded[start..at].to_owned());
                } else if at != pos && !found.is_empty() {
                    return None;
                }
                pos = at + text.len();
            }
        }
    }
    if let Some(start) = blank_start {
        found.push(folded[start..].to_owned());
    }
    (!found.iter().any(String::is_empty)).then_some(found)
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
        .map(|o| Forms::new(vec![super::fold(o)]))
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
