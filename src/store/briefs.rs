//! What a study start reads of every card state, and how the states find
//! their cards: at 50k cards this is half of a start, read on its own
//! thread while the decks load (see `cmd::load_beside_store`), so it is
//! kept free of per-row allocations.

use std::collections::HashMap;
use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use rusqlite::types::ValueRef;

use super::progress::{CardRow, memory};
use super::{Result, Store};
use crate::schedule::{CardState, Phase};

/// What choosing the next card needs of a card's state: all a study start
/// reads for every card (at 50k cards the other columns were a third of
/// it). The whole [`CardRow`] is read when the card is shown or rated.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    pub phase: Phase,
    pub due: i64,
    pub memory: Option<fsrs::MemoryState>,
    pub last_review: Option<i64>,
    pub buried_until: Option<i64>,
    /// Lapses so far (for `stats`' leeches).
    pub lapses: u32,
    /// The content hash the card had when last rated, as a number (see
    /// `hash::parse_hex16`); None if it is not one.
    pub content: Option<u64>,
}

impl Brief {
    pub fn of(row: &CardRow) -> Brief {
        Brief {
            phase: row.state.phase,
            due: row.state.due,
            memory: row.state.memory,
            last_review: row.state.last_review,
            buried_until: row.buried_until,
            lapses: row.state.lapses,
            content: crate::hash::parse_hex16(row.content_hash.as_bytes()),
        }
    }

    /// A state for ordering the queue (due time and recall): the counters
    /// it leaves out are zero.
    pub fn ordering_state(&self) -> CardState {
        CardState {
            phase: self.phase,
            step: 0,
            memory: self.memory,
            due: self.due,
            reps: 0,
            lapses: 0,
            last_review: self.last_review,
        }
    }
}

pub(super) const BRIEF_SELECT: &str = "SELECT card_key, phase, stability, difficulty, due, last_review, buried_until, lapses, content_hash FROM card_states WHERE learner_id = ?1";

pub(super) fn brief_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Brief> {
    Ok(Brief {
        phase: Phase::from_number(r.get(1)?),
        memory: memory(r.get(2)?, r.get(3)?),
        due: r.get(4)?,
        last_review: r.get(5)?,
        buried_until: r.get(6)?,
        lapses: r.get(7)?,
        content: match r.get_ref(8)? {
            ValueRef::Text(bytes) | ValueRef::Blob(bytes) => crate::hash::parse_hex16(bytes),
            _ => None,
        },
    })
}

/// A key as stored: its bytes (a key is compared byte for byte, so it
/// needs no UTF-8 check).
pub(super) fn key_bytes<'r>(r: &'r rusqlite::Row<'_>) -> rusqlite::Result<&'r [u8]> {
    match r.get_ref(0)? {
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => Ok(bytes),
        other => Err(rusqlite::Error::InvalidColumnType(
            0,
            "card_key".to_owned(),
            other.data_type(),
        )),
    }
}

/// A learner's card states in brief, with their keys in one buffer (one
/// allocation for all 50k keys instead of one each).
#[derive(Debug, Default)]
pub struct BriefList {
    keys: Vec<u8>,
    ends: Vec<usize>,
    briefs: Vec<Brief>,
}

impl BriefList {
    pub(super) fn with_capacity(rows: usize, key_bytes: usize) -> BriefList {
        BriefList {
            keys: Vec::with_capacity(key_bytes),
            ends: Vec::with_capacity(rows),
            briefs: Vec::with_capacity(rows),
        }
    }

    pub(super) fn push(&mut self, key: &[u8], brief: Brief) {
        self.keys.extend_from_slice(key);
        self.ends.push(self.keys.len());
        self.briefs.push(brief);
    }

    /// The bytes of all keys together.
    pub(super) fn key_bytes(&self) -> usize {
        self.keys.len()
    }

    pub fn len(&self) -> usize {
        self.briefs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.briefs.is_empty()
    }

    /// Each key (as stored) with its state.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Brief)> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.keys[start..end])
            .zip(&self.briefs)
    }
}

/// Where each card's state goes: the place of every card key, found by a
/// hash of the key and checked against the key itself, so no key is
/// copied and a stored key is never decoded.
#[derive(Debug)]
pub struct Places {
    by_hash: HashMap<u64, usize, FixedState>,
    /// Two different card keys with one hash (never seen; 2^-64 per pair):
    /// then those keys are found by their text.
    collided: HashMap<String, usize>,
}

fn key_hash(key: &[u8]) -> u64 {
    FixedState::with_seed(0x6461_6e67_6b65).hash_one(key)
}

impl Places {
    /// The places of `keys`, in order (a key listed twice goes to its
    /// last place, as a map built from the list would).
    pub fn new<'k>(keys: impl IntoIterator<Item = &'k str>) -> Places {
        let keys: Vec<&str> = keys.into_iter().collect();
        let mut by_hash: HashMap<u64, usize, FixedState> =
            HashMap::with_capacity_and_hasher(keys.len(), FixedState::default());
        let mut collided = HashMap::new();
        for (i, key) in keys.iter().enumerate() {
            if let Some(before) = by_hash.insert(key_hash(key.as_bytes()), i)
                && keys[before] != *key
            {
                collided.insert(keys[before].to_owned(), before);
                collided.insert((*key).to_owned(), i);
            }
        }
        Places { by_hash, collided }
    }

    /// The place of a stored key; `key_at` gives the card key at a place.
    pub fn find<'k>(&self, key: &[u8], key_at: impl Fn(usize) -> Option<&'k str>) -> Option<usize> {
        if !self.collided.is_empty()
            && let Some(&i) = std::str::from_utf8(key)
                .ok()
                .and_then(|k| self.collided.get(k))
        {
            return Some(i);
        }
        let &i = self.by_hash.get(&key_hash(key))?;
        (key_at(i).map(str::as_bytes) == Some(key)).then_some(i)
    }
}

/// Puts each listed brief at its card's place in `out`; states of keys no
/// card has (a deck not loaded, a card deleted) are left out.
pub fn place_briefs<'k>(
    list: &BriefList,
    places: &Places,
    key_at: impl Fn(usize) -> Option<&'k str>,
    out: &mut [Option<Brief>],
) {
    for (key, brief) in list.iter() {
        if let Some(slot) = places.find(key, &key_at).and_then(|i| out.get_mut(i)) {
            *slot = Some(brief.clone());
        }
    }
}

impl Store {
    /// The learner's card states in brief with their keys, in no
    /// particular order: read while the decks load on another thread,
    /// then matched to cards by [`place_briefs`].
    pub fn card_brief_list(&self, learner_id: i64) -> Result<BriefList> {
        // Not sized by a count(*) first: that scan cost more than growing.
        let mut out = BriefList::default();
        let mut stmt = self.conn().prepare_cached(BRIEF_SELECT)?;
        let mut rows = stmt.query([learner_id])?;
        while let Some(r) = rows.next()? {
            out.push(key_bytes(r)?, brief_from_row(r)?);
        }
        Ok(out)
    }

    /// The learner's card states in brief, each put at its card's place in
    /// `out` (rows of other keys are passed over without being built).
    pub fn card_briefs_into<'k>(
        &self,
        learner_id: i64,
        places: &Places,
        key_at: impl Fn(usize) -> Option<&'k str>,
        out: &mut [Option<Brief>],
    ) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(BRIEF_SELECT)?;
        let mut rows = stmt.query([learner_id])?;
        while let Some(r) = rows.next()? {
            if let Some(slot) = places
                .find(key_bytes(r)?, &key_at)
                .and_then(|i| out.get_mut(i))
            {
                *slot = Some(brief_from_row(r)?);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brief(due: i64) -> Brief {
        Brief {
            phase: Phase::Review,
            due,
            memory: None,
            last_review: None,
            buried_until: None,
            lapses: 0,
            content: None,
        }
    }

    #[test]
    fn a_list_gives_back_each_key_with_its_state() {
        let mut list = BriefList::default();
        for (key, due) in [("a/1", 1), ("", 2), ("党课/第三", 3)] {
            list.keys.extend_from_slice(key.as_bytes());
            list.ends.push(list.keys.len());
            list.briefs.push(brief(due));
        }
        let got: Vec<(&[u8], i64)> = list.iter().map(|(k, b)| (k, b.due)).collect();
        let want: Vec<(&[u8], i64)> = vec![(b"a/1", 1), (b"", 2), ("党课/第三".as_bytes(), 3)];
        assert_eq!(got, want);
        assert_eq!(list.len(), 3);
    }

    #[test]
    fn states_go_to_their_cards_and_strangers_nowhere() {
        let keys = ["d/a", "d/b", "d/c", "d/b"];
        let places = Places::new(keys);
        let key_at = |i: usize| keys.get(i).copied();
        assert_eq!(places.find(b"d/a", key_at), Some(0));
        assert_eq!(places.find(b"d/c", key_at), Some(2));
        assert_eq!(
            places.find(b"d/b", key_at),
            Some(3),
            "the last of a twice-listed key"
        );
        assert_eq!(places.find(b"d/z", key_at), None);
        assert_eq!(
            places.find(b"d/a", |_| Some("d/x")),
            None,
            "checked against the key"
        );
        let mut list = BriefList::default();
        for (key, due) in [("d/c", 30), ("gone/x", 99), ("d/a", 10)] {
            list.keys.extend_from_slice(key.as_bytes());
            list.ends.push(list.keys.len());
            list.briefs.push(brief(due));
        }
        let mut out = vec![None; keys.len()];
        place_briefs(&list, &places, key_at, &mut out);
        let dues: Vec<Option<i64>> = out.iter().map(|b| b.as_ref().map(|b| b.due)).collect();
        assert_eq!(dues, [Some(10), None, Some(30), None]);
    }

    #[test]
    fn keys_with_one_hash_are_still_told_apart() {
        let keys = ["d/a", "d/b"];
        let mut places = Places::new(keys);
        // Force what a real collision would leave: the hash of d/a points
        // at d/b's place (the later key won), and both keys are set apart.
        places.by_hash.insert(key_hash(b"d/a"), 1);
        places.collided.insert("d/a".to_owned(), 0);
        places.collided.insert("d/b".to_owned(), 1);
        let key_at = |i: usize| keys.get(i).copied();
        assert_eq!(places.find(b"d/a", key_at), Some(0));
        assert_eq!(places.find(b"d/b", key_at), Some(1));
        assert_eq!(places.find(b"d/q", key_at), None);
    }
}
