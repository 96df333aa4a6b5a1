//! Grading fill cards: what stands in each blank, whether the learner
//! typed the blanks alone, the whole sentence, or the key inside words of
//! their own; blanks given in another blank's place are reported as
//! misplaced, except within an order-free group (`{{~甲}}和{{~乙}}`).

use super::normalize::fold_nfkc;
use super::parts::{
    Expected, ItemMatch, Leftovers, Piece, Place, assign, extras, longest_increasing, match_forms,
    part,
};
use super::sentence::{Context, Found, KeyForm, judge};
use super::{Part, PartStatus, Verdict};
use crate::deck::FillPart;

/// Grades a fill card. `groups[i]` is the order-free group of blank `i`.
pub fn grade_fill(
    fill: &[FillPart],
    groups: &[Option<usize>],
    text: &str,
    context: &Context,
) -> Verdict {
    let blanks: Vec<Expected<'_>> = fill
        .iter()
        .filter_map(|p| match p {
            FillPart::Blank(answers) => answers
                .split_first()
                .map(|(first, rest)| Expected::new(first, rest)),
            FillPart::Text(_) => None,
        })
        .collect();
    let group = |b: usize| groups.get(b).copied().flatten();
    let folded = fold_nfkc(text);
    if let Some(found) = from_sentence(fill, &folded) {
        let pieces: Vec<Piece> = found
            .into_iter()
            .map(|f| Piece {
                raw: f.clone(),
                folded: f,
            })
            .collect();
        let assigned = assign(&blanks, &pieces);
        return by_slot(&blanks, &group, &pieces, assigned, context);
    }
    if blanks.len() == 1 {
        return single(fill, &blanks[0], text, &folded, context);
    }
    let pieces = Piece::split(text);
    let assigned = assign(&blanks, &pieces);
    if pieces.len() != blanks.len() {
        return by_search(&blanks, &group, &pieces, assigned, context);
    }
    // Same count: one piece per blank, read by slot (a blank answered in
    // another's slot is misplaced). But a clause of the prompt typed before
    // the blanks also makes a piece and shifts every slot by one: when
    // reading by slot finds blanks out of place and searching finds every
    // blank in order, the slots were shifted and the search is right.
    let slot = by_slot(&blanks, &group, &pieces, assigned, context);
    if !slot.parts.iter().any(|p| p.status == PartStatus::Misplaced) {
        return slot;
    }
    let search = by_search(&blanks, &group, &pieces, assign(&blanks, &pieces), context);
    let search_in_order = !search
        .parts
        .iter()
        .any(|p| p.status == PartStatus::Misplaced);
    if search_in_order && search.score > slot.score {
        search
    } else {
        slot
    }
}

/// One piece per blank, in the blanks' order: a blank answered in another
/// blank's slot is misplaced (unless both are in one order-free group); a
/// wrong piece is shown as what was written for its blank.
fn by_slot(
    blanks: &[Expected<'_>],
    group: &dyn Fn(usize) -> Option<usize>,
    pieces: &[Piece],
    (matches, leftovers): (Vec<ItemMatch>, Leftovers),
    context: &Context,
) -> Verdict {
    let unused = |p: usize| {
        leftovers
            .iter()
            .any(|(q, rest)| *q == p && !rest.contains('\u{0}'))
    };
    let mut slips = Vec::new();
    let mut extra = Vec::new();
    let mut parts = Vec::with_capacity(blanks.len());
    for (b, (blank, m)) in blanks.iter().zip(matches.iter()).enumerate() {
        let in_place = match m {
            Some(((p, _), ..)) => *p == b || (group(b).is_some() && group(*p) == group(b)),
            None => true,
        };
        let mut given = part(blank.text, m.clone(), in_place, &mut slips);
        if m.is_none() && b < pieces.len() && unused(b) {
            given.given = Some(pieces[b].raw.clone());
        }
        parts.push(given);
    }
    // Pieces that stand in a slot whose blank was answered elsewhere.
    for (p, piece) in pieces.iter().enumerate() {
        let slot_answered = p >= blanks.len() || matches[p].is_some();
        if unused(p) && slot_answered && !context.harmless(&piece.folded) {
            extra.push(piece.raw.clone());
        }
    }
    Verdict::from_parts(parts, extra, slips)
}

/// Blanks looked for anywhere in the answer; those out of order (within
/// an order-free group, any order) are misplaced.
fn by_search(
    blanks: &[Expected<'_>],
    group: &dyn Fn(usize) -> Option<usize>,
    pieces: &[Piece],
    (matches, leftovers): (Vec<ItemMatch>, Leftovers),
    context: &Context,
) -> Verdict {
    let extra = extras(&leftovers, pieces, context);
    let mut places: Vec<Option<Place>> = matches
        .iter()
        .map(|m| m.as_ref().map(|(place, ..)| *place))
        .collect();
    free_order(&mut places, group);
    let in_order = longest_increasing(&places);
    let mut slips = Vec::new();
    let parts = blanks
        .iter()
        .zip(matches)
        .zip(in_order)
        .map(
            |((blank, m), in_place): ((&Expected<'_>, ItemMatch), bool)| {
                part(blank.text, m, in_place, &mut slips)
            },
        )
        .collect();
    Verdict::from_parts(parts, extra, slips)
}

/// Within each order-free group, the places found are handed out to the
/// group's blanks in order, so any order of them counts as in order.
fn free_order(places: &mut [Option<Place>], group: &dyn Fn(usize) -> Option<usize>) {
    let mut done = Vec::new();
    for b in 0..places.len() {
        let Some(g) = group(b) else { continue };
        if done.contains(&g) {
            continue;
        }
        done.push(g);
        let members: Vec<usize> = (0..places.len())
            .filter(|&m| group(m) == Some(g) && places[m].is_some())
            .collect();
        let mut found: Vec<Place> = members.iter().filter_map(|&m| places[m]).collect();
        found.sort_unstable();
        for (m, place) in members.into_iter().zip(found) {
            places[m] = Some(place);
        }
    }
}

/// A card with one blank: the answer as a whole, or the key inside the
/// learner's own sentence.
fn single(
    fill: &[FillPart],
    blank: &Expected<'_>,
    text: &str,
    folded: &str,
    context: &Context,
) -> Verdict {
    let given = text.trim().to_owned();
    if let Some(q) = match_forms(folded, &blank.forms) {
        let mut slips = Vec::new();
        let p = part(blank.text, Some(((0, 0), given, q)), true, &mut slips);
        return Verdict::from_parts(vec![p], Vec::new(), slips);
    }
    let keys: Vec<KeyForm> = fill
        .iter()
        .find_map(|p| match p {
            FillPart::Blank(answers) => Some(answers),
            FillPart::Text(_) => None,
        })
        .into_iter()
        .flatten()
        .filter_map(|a| KeyForm::new(a))
        .collect();
    let (status, extra) = match judge(folded, &keys, context) {
        Found::Right => (PartStatus::Right, Vec::new()),
        Found::Partial(_, other) => (PartStatus::Incomplete, other),
        Found::Wrong => (PartStatus::Missing, Vec::new()),
    };
    let p = Part {
        expected: blank.text.to_owned(),
        given: Some(given),
        status,
    };
    Verdict::from_parts(vec![p], extra, Vec::new())
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
