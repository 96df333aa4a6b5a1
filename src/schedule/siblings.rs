//! Sibling cards: cards that cite overlapping passages of the same
//! document (a fill card on 八项规定's first item and the choice card asking
//! which item “轻车简从” belongs to), where one gives the other away. New
//! cards are chosen so that no two siblings are introduced on the same day,
//! nor a sibling of a card studied or due today (Anki's "bury siblings"),
//! and they are spread across decks and kinds instead of taken in file
//! order.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};

use crate::deck::{Citation, Kind};

/// Two passages overlap when they share this many characters in a row
/// (whitespace ignored): long enough that a stock phrase such as
/// 全心全意为人民服务 is not enough, short enough to catch one list item.
pub const OVERLAP_CHARS: usize = 10;

/// How many cards into a deck's new cards the choice looks for a kind
/// other than the one just chosen.
const KIND_LOOKAHEAD: usize = 8;

/// The sibling relation among a set of cards, by entry index: worked out
/// for all of them at once ([`Siblings::build`]), or for a pair when it is
/// asked about ([`Siblings::lazy`]).
#[derive(Debug, Default)]
pub struct Siblings<'a> {
    near: HashMap<usize, Vec<usize>>,
    /// The cards of a lazy relation, and the shingles of those asked about.
    lazy: HashMap<usize, &'a Citation>,
    shingled: RefCell<HashMap<usize, Vec<u64>>>,
}

/// The hashes of every run of [`OVERLAP_CHARS`] characters of a citation's
/// passages, the document included, sorted and without repeats.
fn shingles(cite: &Citation) -> Vec<u64> {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let doc = crate::hash::stable_hash(&[cite.doc.as_bytes()]);
    let mix = |window: &[u32]| {
        let mut h = doc;
        for &c in window {
            h = (h ^ u64::from(c)).wrapping_mul(K).rotate_left(29);
        }
        h
    };
    let mut out = Vec::new();
    let mut chars: Vec<u32> = Vec::new();
    for quote in &cite.quotes {
        chars.clear();
        chars.extend(
            quote
                .text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(u32::from),
        );
        if chars.len() < OVERLAP_CHARS {
            // A short passage overlaps another only by being equal to it.
            out.push(mix(&chars));
        } else {
            out.extend(chars.windows(OVERLAP_CHARS).map(mix));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether two citations share a passage.
pub fn overlap(a: &Citation, b: &Citation) -> bool {
    if a.doc != b.doc {
        return false;
    }
    let b = shingles(b);
    shingles(a).iter().any(|h| b.binary_search(h).is_ok())
}

impl<'a> Siblings<'a> {
    /// The relation among `cards` (entry, citation), through an index of
    /// shingles: linear in the passages' length, not quadratic in cards.
    pub fn build(cards: impl IntoIterator<Item = (usize, &'a Citation)>) -> Siblings<'a> {
        // Every (shingle, card) pair, sorted: cards sharing a shingle end
        // up next to each other. One allocation instead of a vector per
        // shingle in a hash map (which was a third of a start at S).
        let mut pairs: Vec<(u64, usize)> = Vec::new();
        for (entry, cite) in cards {
            pairs.extend(shingles(cite).into_iter().map(|h| (h, entry)));
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut near: HashMap<usize, Vec<usize>> = HashMap::new();
        for run in pairs.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
            for &(_, a) in run {
                near.entry(a)
                    .or_default()
                    .extend(run.iter().map(|&(_, b)| b).filter(|&b| b != a));
            }
        }
        for v in near.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        Siblings {
            near,
            ..Siblings::default()
        }
    }

    /// The same relation as [`Siblings::build`], each pair worked out when
    /// it is first asked about: a session that introduces no new card only
    /// asks about the card just answered and the few after it, so a start
    /// does not shingle every card due today.
    pub fn lazy(cards: impl IntoIterator<Item = (usize, &'a Citation)>) -> Siblings<'a> {
        Siblings {
            lazy: cards.into_iter().collect(),
            ..Siblings::default()
        }
    }

    /// Whether two cards of a lazy relation share a shingle.
    fn overlap_lazy(&self, a: usize, b: usize) -> bool {
        let (Some(ca), Some(cb)) = (self.lazy.get(&a), self.lazy.get(&b)) else {
            return false;
        };
        if a == b {
            return false;
        }
        let mut memo = self.shingled.borrow_mut();
        memo.entry(a).or_insert_with(|| shingles(ca));
        memo.entry(b).or_insert_with(|| shingles(cb));
        let (sa, sb) = (&memo[&a], &memo[&b]);
        sa.iter().any(|h| sb.binary_search(h).is_ok())
    }

    /// A relation given outright, for tests.
    pub fn from_pairs(pairs: &[(usize, usize)]) -> Siblings<'a> {
        let mut near: HashMap<usize, Vec<usize>> = HashMap::new();
        for &(a, b) in pairs {
            near.entry(a).or_default().push(b);
            near.entry(b).or_default().push(a);
        }
        for v in near.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        Siblings {
            near,
            ..Siblings::default()
        }
    }

    pub fn related(&self, a: usize, b: usize) -> bool {
        if !self.lazy.is_empty() {
            return self.overlap_lazy(a, b);
        }
        self.near
            .get(&a)
            .is_some_and(|v| v.binary_search(&b).is_ok())
    }

    /// The siblings of a card, in entry order.
    pub fn of(&self, a: usize) -> Cow<'_, [usize]> {
        if !self.lazy.is_empty() {
            let mut all: Vec<usize> = self
                .lazy
                .keys()
                .copied()
                .filter(|&b| self.overlap_lazy(a, b))
                .collect();
            all.sort_unstable();
            return Cow::Owned(all);
        }
        Cow::Borrowed(self.near.get(&a).map_or(&[], Vec::as_slice))
    }
}

/// A new card that may be introduced today.
#[derive(Debug, Clone, Copy)]
pub struct NewCard {
    pub entry: usize,
    /// Its deck.
    pub group: usize,
    pub kind: Kind,
}

/// Chooses up to `room` new cards, in the order to show them: one deck
/// after another in turn; within a deck the first card in file order whose
/// kind differs from the card chosen before it (a few cards ahead at most);
/// never a sibling of a card already chosen or of a `blocked` one (studied
/// or due today). A card passed over as a sibling is buried for the day.
pub fn order_new(
    cards: &[NewCard],
    room: usize,
    siblings: &Siblings,
    blocked: &HashSet<usize>,
) -> Vec<usize> {
    let mut groups: Vec<(usize, VecDeque<NewCard>)> = Vec::new();
    for card in cards {
        match groups.iter_mut().find(|(g, _)| *g == card.group) {
            Some((_, q)) => q.push_back(*card),
            None => groups.push((card.group, VecDeque::from([*card]))),
        }
    }
    let mut taken: HashSet<usize> = blocked.clone();
    let mut chosen = Vec::new();
    let mut last_kind: Option<Kind> = None;
    while chosen.len() < room && groups.iter().any(|(_, q)| !q.is_empty()) {
        for (_, queue) in groups.iter_mut() {
            if chosen.len() >= room {
                break;
            }
            let free = |c: &NewCard| !siblings.of(c.entry).iter().any(|s| taken.contains(s));
            // Siblings of what is taken stay buried: drop them.
            queue.retain(|c| free(c));
            let pick = queue
                .iter()
                .take(KIND_LOOKAHEAD)
                .position(|c| Some(c.kind) != last_kind)
                .or(if queue.is_empty() { None } else { Some(0) });
            if let Some(card) = pick.and_then(|i| queue.remove(i)) {
                taken.insert(card.entry);
                last_kind = Some(card.kind);
                chosen.push(card.entry);
            }
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Quote;

    fn cite(doc: &str, text: &str) -> Citation {
        Citation {
            doc: doc.into(),
            quotes: vec![Quote {
                text: text.into(),
                position: (1, 1),
            }],
        }
    }

    #[test]
    fn passages_overlap_by_a_shared_run_in_the_same_document() {
        let a = cite("001", "要轻车简从，减少陪同、简化接待，不张贴悬挂标语横幅");
        let b = cite("001", "轻车简从，减少陪同、简化接待");
        let c = cite("001", "要精简会议活动，切实改进会风");
        assert!(overlap(&a, &b));
        assert!(!overlap(&a, &c));
        assert!(
            !overlap(&cite("002", "轻车简从，减少陪同、简化接待"), &a),
            "another document"
        );
        assert!(
            !overlap(
                &cite("001", "全心全意为人民服务的宗旨"),
                &cite("001", "坚持全心全意为人民服务")
            ),
            "a stock phrase alone is not a shared passage"
        );
        let s = Siblings::build([(0, &a), (1, &b), (2, &c)]);
        assert!(s.related(0, 1) && s.related(1, 0));
        assert!(!s.related(0, 2));
    }

    #[test]
    fn the_index_finds_exactly_the_pairs_that_overlap_among_the_shipped_cards() {
        let (library, _) = crate::deck::Library::load(&[]).expect("shipped decks");
        let cites: Vec<&Citation> = library
            .decks
            .iter()
            .flat_map(|d| d.cards.iter().filter_map(|c| c.source.as_ref()))
            .collect();
        let shingled: Vec<Vec<u64>> = cites.iter().map(|c| shingles(c)).collect();
        // Listed twice, as a card due today that is also a new card may be.
        let s = Siblings::build(cites.iter().copied().enumerate().chain([(0, cites[0])]));
        let mut pairs = 0;
        for i in 0..cites.len() {
            for j in 0..cites.len() {
                let brute = i != j
                    && cites[i].doc == cites[j].doc
                    && shingled[i]
                        .iter()
                        .any(|h| shingled[j].binary_search(h).is_ok());
                assert_eq!(s.related(i, j), brute, "{i} {j}");
                pairs += usize::from(brute);
            }
            let mut of = s.of(i).to_vec();
            of.dedup();
            assert_eq!(of.len(), s.of(i).len(), "no repeats");
        }
        assert!(pairs > 100, "{pairs}");
        // The lazy relation answers the same, pair by pair.
        let lazy = Siblings::lazy(cites.iter().copied().enumerate());
        for i in (0..cites.len()).step_by(29) {
            for j in 0..cites.len() {
                assert_eq!(lazy.related(i, j), s.related(i, j), "{i} {j}");
            }
            assert_eq!(lazy.of(i), s.of(i), "{i}");
        }
        // A card outside the set is nobody's sibling.
        assert!(!lazy.related(0, cites.len()) && !s.related(0, cites.len()));
    }

    #[test]
    fn new_cards_alternate_decks_and_kinds_and_skip_siblings() {
        let card = |entry, group, kind| NewCard { entry, group, kind };
        let cards = [
            card(0, 0, Kind::Fill),
            card(1, 0, Kind::Fill),
            card(2, 0, Kind::Choice),
            card(3, 1, Kind::Qa),
            card(4, 1, Kind::Qa),
            card(5, 0, Kind::Judge),
        ];
        // 0 and 2 cite the same passage; 4 overlaps a card due today (9).
        let siblings = Siblings::from_pairs(&[(0, 2), (4, 9)]);
        let blocked = HashSet::from([9]);
        let order = order_new(&cards, 10, &siblings, &blocked);
        assert_eq!(order, vec![0, 3, 1, 5]);
        assert_eq!(order_new(&cards, 2, &siblings, &blocked), vec![0, 3]);
    }
}
