//! Filling a plan from the decks: questions are drawn in the contest's
//! seeded order, options shuffled the contest's way, and A/B versions
//! share the questions in other orders.

use super::plan::Plan;
use super::{Paper, Piece, Question, Section, Source};
use crate::contest::{draw_order, option_order};
use crate::deck::{Body, Card, Deck, FillPart, Library, option_letter};
use crate::session::{CardFilter, Entry, entries};

/// A section that got fewer questions than the plan asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub title: String,
    pub wanted: u32,
    pub got: u32,
}

/// The papers (one per version) and what could not be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    pub papers: Vec<Paper>,
    pub short: Vec<Shortfall>,
}

/// Blanks are never narrower than this many cells.
const MIN_BLANK: usize = 6;

/// Draws the plan's questions from the cards that pass `filter` and lays
/// out `versions` papers (A, B, … when more than one). Every version has
/// the same questions in the same sections; version A keeps the drawn
/// order, the others shuffle the questions within each section and the
/// options of every choice question again.
pub fn build(
    library: &Library,
    plan: &Plan,
    filter: &CardFilter,
    seed: u64,
    versions: usize,
) -> Built {
    let pool = entries(library, filter);
    let order = draw_order(pool.len(), seed);
    let mut used = vec![false; pool.len()];
    let mut drawn: Vec<(&super::SectionSpec, Vec<usize>)> = Vec::new();
    let mut short = Vec::new();
    for spec in plan.ordered() {
        let wanted = spec.filter();
        let picked: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| {
                let e = &pool[i];
                let deck = &library.decks[e.deck];
                !used[i] && wanted.matches(deck, &deck.cards[e.card])
            })
            .take(spec.count as usize)
            .collect();
        for &i in &picked {
            used[i] = true;
        }
        if picked.len() < spec.count as usize {
            short.push(Shortfall {
                title: spec.title.clone(),
                wanted: spec.count,
                got: picked.len() as u32,
            });
        }
        if !picked.is_empty() {
            drawn.push((spec, picked));
        }
    }
    let versions = versions.max(1);
    let papers = (0..versions)
        .map(|v| {
            let sections = drawn
                .iter()
                .enumerate()
                .map(|(s, (spec, picked))| {
                    let picked: Vec<usize> = if v == 0 {
                        picked.clone()
                    } else {
                        draw_order(picked.len(), version_seed(seed, v) ^ s as u64)
                            .into_iter()
                            .map(|i| picked[i])
                            .collect()
                    };
                    Section {
                        kind: spec.kind,
                        title: spec.title.clone(),
                        points: spec.points,
                        questions: picked
                            .iter()
                            .map(|&i| question(library, &pool[i], version_seed(seed, v), i))
                            .collect(),
                    }
                })
                .collect();
            Paper {
                title: plan.title.clone(),
                subtitle: plan.subtitle.clone(),
                minutes: plan.minutes,
                version: (versions > 1).then(|| option_letter(v)),
                seed,
                sections,
            }
        })
        .collect();
    Built { papers, short }
}

/// The seed a version shuffles with: the paper's for A.
fn version_seed(seed: u64, version: usize) -> u64 {
    if version == 0 {
        seed
    } else {
        seed ^ (version as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)
    }
}

/// One card as a printed question; `index` is its place in the pool (the
/// option shuffle depends on it, as in contests).
fn question(library: &Library, entry: &Entry, seed: u64, index: usize) -> Question {
    let deck = &library.decks[entry.deck];
    let card = &deck.cards[entry.card];
    let order = option_order(card, seed, index);
    let bracket = || Piece::Text("（　　）".to_owned());
    let text = |t: &str| Piece::Text(t.to_owned());
    let (stem, options, lines, answer) = match &card.body {
        Body::Choice { options, answer } => {
            let order = order.unwrap_or_else(|| (0..options.len()).collect());
            let shown = letter_of(&order, *answer);
            (
                vec![text(&card.prompt), bracket()],
                order.iter().map(|&i| options[i].clone()).collect(),
                0,
                shown.to_string(),
            )
        }
        Body::Multi { options, answers } => {
            let order = order.unwrap_or_else(|| (0..options.len()).collect());
            let mut letters: Vec<char> = answers.iter().map(|&a| letter_of(&order, a)).collect();
            letters.sort_unstable();
            (
                vec![text(&card.prompt), bracket()],
                order.iter().map(|&i| options[i].clone()).collect(),
                0,
                letters.into_iter().collect(),
            )
        }
        Body::Judge { answer } => (
            vec![text(&card.prompt), bracket()],
            Vec::new(),
            0,
            if *answer {
                "√（正确）"
            } else {
                "×（错误）"
            }
            .to_owned(),
        ),
        Body::Fill { parts } => (
            parts
                .iter()
                .map(|p| match p {
                    FillPart::Text(t) => text(t),
                    FillPart::Blank(answers) => Piece::Blank(blank_width(answers)),
                })
                .collect(),
            Vec::new(),
            0,
            card.answer_text(),
        ),
        Body::Qa { .. } | Body::List { .. } => (
            vec![text(&card.prompt)],
            Vec::new(),
            answer_lines(card),
            card.answer_text(),
        ),
    };
    Question {
        card: card.key(deck),
        stem,
        options,
        lines,
        answer,
        explain: card.explain.clone(),
        source: source(deck, card),
    }
}

/// The letter an option is printed with.
fn letter_of(order: &[usize], option: usize) -> char {
    option_letter(order.iter().position(|&i| i == option).unwrap_or(option))
}

/// A blank as wide as its widest accepted answer and a little more, so
/// the width does not give the answer away exactly.
fn blank_width(answers: &[String]) -> usize {
    let widest = answers
        .iter()
        .map(|a| crate::term::width(a))
        .max()
        .unwrap_or(0);
    (widest + 4).max(MIN_BLANK)
}

/// Lines to write a short answer on: about one per 20 characters of the
/// reference answer and some to spare, at least 5 and at most 14.
fn answer_lines(card: &Card) -> usize {
    let chars = card.answer_text().chars().count();
    (chars / 20 + 3).clamp(5, 14)
}

fn source(deck: &Deck, card: &Card) -> Option<Source> {
    let citation = card.source.as_ref()?;
    let title = deck
        .sources
        .iter()
        .find(|s| s.id == citation.doc)
        .map_or_else(|| citation.doc.clone(), |s| s.title.clone());
    Some(Source {
        title,
        quote: crate::view::quote_shown(citation),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Kind;

    fn library() -> Library {
        crate::deck::Library::load(&[]).unwrap().0
    }

    fn cards(p: &Paper) -> Vec<&str> {
        p.sections
            .iter()
            .flat_map(|s| s.questions.iter().map(|q| q.card.as_str()))
            .collect()
    }

    #[test]
    fn the_same_seed_draws_the_same_paper_and_another_seed_another() {
        let lib = library();
        let plan = Plan::defaults(None, &[]);
        let a = build(&lib, &plan, &CardFilter::default(), 7, 1);
        let b = build(&lib, &plan, &CardFilter::default(), 7, 1);
        assert_eq!(a, b);
        let c = build(&lib, &plan, &CardFilter::default(), 8, 1);
        assert_ne!(cards(&a.papers[0]), cards(&c.papers[0]));
    }

    #[test]
    fn sections_follow_the_plan_with_no_repeats() {
        let lib = library();
        let built = build(
            &lib,
            &Plan::defaults(None, &[]),
            &CardFilter::default(),
            1,
            1,
        );
        assert!(built.short.is_empty(), "{:?}", built.short);
        let paper = &built.papers[0];
        let shape: Vec<(Kind, usize, u32)> = paper
            .sections
            .iter()
            .map(|s| (s.kind, s.questions.len(), s.points))
            .collect();
        assert_eq!(
            shape,
            vec![
                (Kind::Choice, 15, 2),
                (Kind::Multi, 10, 3),
                (Kind::Judge, 10, 1),
                (Kind::Fill, 5, 2),
                (Kind::Qa, 2, 10)
            ]
        );
        assert_eq!(paper.total(), 100);
        let mut all = cards(paper);
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 42, "no card twice");
        // Every question is of its section's kind.
        for s in &paper.sections {
            for q in &s.questions {
                let (deck, id) = q.card.split_once('/').unwrap();
                let kind = lib.deck(deck).unwrap().card(id).unwrap().kind();
                assert!(
                    kind == s.kind || (s.kind == Kind::Qa && kind == Kind::List),
                    "{} in {:?}",
                    q.card,
                    s.kind
                );
            }
        }
    }

    #[test]
    fn options_are_shuffled_and_the_key_follows_them() {
        let lib = library();
        let plan = Plan::defaults(None, &[]);
        let paper = &build(&lib, &plan, &CardFilter::default(), 3, 1).papers[0];
        let choice = &paper.sections[0];
        let letters: Vec<&str> = choice.questions.iter().map(|q| q.answer.as_str()).collect();
        assert!(
            letters.iter().any(|l| *l != "A"),
            "answers not always A: {letters:?}"
        );
        for q in &choice.questions {
            let (deck, id) = q.card.split_once('/').unwrap();
            let card = lib.deck(deck).unwrap().card(id).unwrap();
            let Body::Choice { options, answer } = &card.body else {
                panic!("not a choice card")
            };
            let shown = (q.answer.as_bytes()[0] - b'A') as usize;
            assert_eq!(q.options[shown], options[*answer], "{}", q.card);
            let mut sorted = q.options.clone();
            sorted.sort();
            let mut original = options.clone();
            original.sort();
            assert_eq!(sorted, original);
        }
    }

    #[test]
    fn versions_share_questions_in_other_orders() {
        let lib = library();
        let built = build(
            &lib,
            &Plan::defaults(None, &[]),
            &CardFilter::default(),
            11,
            2,
        );
        let (a, b) = (&built.papers[0], &built.papers[1]);
        assert_eq!((a.version, b.version), (Some('A'), Some('B')));
        for (sa, sb) in a.sections.iter().zip(&b.sections) {
            let mut ca: Vec<&str> = sa.questions.iter().map(|q| q.card.as_str()).collect();
            let mut cb: Vec<&str> = sb.questions.iter().map(|q| q.card.as_str()).collect();
            if sa.questions.len() >= 5 {
                assert_ne!(ca, cb, "{} in the same order", sa.title);
            }
            ca.sort_unstable();
            cb.sort_unstable();
            assert_eq!(ca, cb, "{}: the same questions", sa.title);
        }
        // Option orders differ too, and each key follows its own paper.
        let options = |p: &Paper| -> Vec<(String, Vec<String>)> {
            let mut v: Vec<_> = p.sections[0]
                .questions
                .iter()
                .map(|q| (q.card.clone(), q.options.clone()))
                .collect();
            v.sort();
            v
        };
        assert_ne!(options(a), options(b));
    }

    #[test]
    fn blanks_are_as_wide_as_their_answers() {
        assert_eq!(blank_width(&["群众".into()]), 8);
        assert_eq!(blank_width(&["一切为了群众".into(), "为群众".into()]), 16);
        assert_eq!(blank_width(&["1".into()]), MIN_BLANK);
    }

    #[test]
    fn a_short_supply_is_reported() {
        let lib = library();
        let mut plan = Plan::defaults(None, &[]);
        plan.sections[1].count = 500;
        let built = build(&lib, &plan, &CardFilter::default(), 1, 1);
        assert_eq!(built.short.len(), 1);
        assert_eq!(built.short[0].wanted, 500);
        assert_eq!(
            built.short[0].got as usize,
            built.papers[0].sections[1].questions.len()
        );
    }
}
