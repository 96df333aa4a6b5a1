//! What a study session starts from: the cards that pass the filter with
//! their progress keys, the places of those keys, and what is read of the
//! learner beside the decks (card states and marks). At 50k cards each of
//! these is a noticeable part of a start, so `dangke study` makes the
//! card list on one thread while the database is read on another.

use std::collections::HashSet;

use super::CardFilter;
use crate::clock::Clock;
use crate::deck::{Card, Deck, Library};
use crate::error::Result;
use crate::store::{BriefList, Places, Store};

/// A card of the session: where it lives and its progress key.
#[derive(Debug, Clone)]
pub struct Entry {
    pub deck: usize,
    pub card: usize,
    pub key: compact_str::CompactString,
}

/// A card's progress key, `deck-id/card-id`, kept inline when it is short
/// (at 50k cards one allocation per key was most of listing them).
fn entry_key(deck: &Deck, card: &Card) -> compact_str::CompactString {
    const INLINE: usize = 24;
    let (d, c) = (deck.id.as_bytes(), card.id.as_bytes());
    let len = d.len() + 1 + c.len();
    if len > INLINE {
        // Its own allocation either way: the String's is kept.
        return card.key(deck).into();
    }
    let mut buf = [0u8; INLINE];
    buf[..d.len()].copy_from_slice(d);
    buf[d.len()] = b'/';
    buf[d.len() + 1..len].copy_from_slice(c);
    // Two strings and a '/': always UTF-8.
    compact_str::CompactString::from_utf8(&buf[..len]).unwrap_or_else(|_| card.key(deck).into())
}

/// Every card that passes the filter, in deck order.
pub fn entries(library: &Library, filter: &CardFilter) -> Vec<Entry> {
    let mut out = Vec::new();
    for (d, deck) in library.decks.iter().enumerate() {
        for (c, card) in deck.cards.iter().enumerate() {
            if filter.matches(deck, card) {
                out.push(Entry {
                    deck: d,
                    card: c,
                    key: entry_key(deck, card),
                });
            }
        }
    }
    out
}

/// What a study session starts from: the cards that pass the filter
/// ([`entries`]) with the places of their keys, and, if already read, the
/// learner's card states ([`Store::card_brief_list`]). At 50k cards each
/// is about half of a start, so `dangke study` makes them on two threads.
pub struct Start {
    pub entries: Vec<Entry>,
    pub places: Places,
    pub rows: Option<BriefList>,
    pub marks: Option<LearnerMarks>,
}

impl Start {
    /// A start from the cards listed, their states not read yet.
    pub fn new(entries: Vec<Entry>) -> Start {
        Start {
            places: Places::new(entries.iter().map(|e| e.key.as_str())),
            entries,
            rows: None,
            marks: None,
        }
    }
}

/// What a start reads of the learner besides the card states: the 错题本,
/// suspended and flagged cards, and what today's limits have counted.
/// Read on the database's thread too, so the queries do not wait for the
/// decks (a tenth of a start with the shipped decks).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LearnerMarks {
    pub mistakes: HashSet<String>,
    pub suspended: HashSet<String>,
    pub flagged: HashSet<String>,
    /// The study day the counts are for, and the new cards and reviews
    /// done since it began.
    pub day: jiff::civil::Date,
    pub done: (u32, u32),
}

impl LearnerMarks {
    pub fn read(store: &Store, learner_id: i64, clock: &Clock) -> Result<LearnerMarks> {
        Ok(LearnerMarks {
            mistakes: store.mistakes(learner_id)?,
            suspended: store.suspended(learner_id)?,
            flagged: store.flagged(learner_id)?,
            day: clock.today(),
            done: store.done_since(learner_id, clock.day_start(clock.today()))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_keys_are_deck_slash_card_short_or_long() {
        let lib = Library::load(&[]).expect("shipped decks").0;
        let mut deck = lib.decks[0].clone();
        for (deck_id, card_id) in [
            ("a", "b"),
            ("bench", "c49999"),
            ("党课", "第一"),
            ("x".repeat(12).as_str(), "y".repeat(11).as_str()),
            ("x".repeat(12).as_str(), "y".repeat(12).as_str()),
        ] {
            deck.id = deck_id.to_owned();
            deck.cards[0].id = card_id.to_owned();
            let key = entry_key(&deck, &deck.cards[0]);
            assert_eq!(key.as_str(), format!("{deck_id}/{card_id}"));
            assert_eq!(key.as_str(), deck.cards[0].key(&deck));
        }
    }
}
