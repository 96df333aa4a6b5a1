//! A snapshot of a learner's card states in the cache folder, so a study
//! start at 50k cards does not read 50k rows from SQLite (half of a start):
//! it reads the snapshot and, from the database, only the states changed
//! since, which the `state_changes` log names (schema 010).
//!
//! Trust: a snapshot names the newest log row it includes by seq and a
//! random nonce, and is used only while that very row is in the database
//! (a restored backup, a new file at the same path or a pruned log has
//! none, and then every state is read again). Its bytes are checksummed and
//! every length checked; anything wrong means a full read. Writing is best
//! effort (temporary file, then rename): a snapshot that cannot be written
//! costs only speed. The database stays the only record of progress.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, TransactionBehavior};

use super::briefs::{BRIEF_SELECT, Brief, BriefList, brief_from_row, key_bytes};
use super::{Result, Store};
use crate::hash::fast_hash;
use crate::schedule::Phase;

/// The schema that brought the change log (migration 010).
const LOG_SCHEMA: i64 = 10;

/// Bumped when the encoding changes.
const MAGIC: &[u8; 8] = b"DKSTATE\x02";

// The file: the magic, then seven words (see `cachefile::frame`):
// database path hash, learner, seq, nonce, rows, payload length, payload
// checksum.

/// Rows of the change log kept when a session ends (about 40 bytes each).
pub(super) const KEEP_CHANGES: i64 = 20_000;

/// Rows of the change log pruned at most when a session ends.
pub(super) const PRUNE_AT_MOST: i64 = 500;

/// More changed keys than this and reading every state is as quick.
const MAX_CHANGES: usize = 4096;

/// Changed keys from which a start writes a new snapshot (below it, the
/// changes are read again next time: a few hundred primary-key lookups
/// cost less than writing 3 MB at 50k cards).
const REWRITE_AT: usize = 256;

/// Changed keys, each with its state now (None: deleted).
type Changes = Vec<(Vec<u8>, Option<Brief>)>;

/// The newest row of the change log: a point in the file's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    seq: i64,
    nonce: i64,
}

impl Store {
    /// The learner's card states in brief, as [`Store::card_brief_list`]
    /// gives them, taken from a snapshot in `dir` brought up to date, or
    /// read whole (and a snapshot written) when there is none to trust.
    /// Without a folder or for a database in memory, read whole.
    pub fn card_brief_list_cached(&self, learner_id: i64, dir: Option<&Path>) -> Result<BriefList> {
        let (Some(dir), Some(db)) = (dir, self.path.as_deref()) else {
            return self.card_brief_list(learner_id);
        };
        // A file opened only to read is not migrated: before schema 010
        // there is no change log to trust a snapshot by.
        if self.schema_version()? < LOG_SCHEMA {
            return self.card_brief_list(learner_id);
        }
        let file = snapshot_file(dir, db, learner_id);
        let db_hash = path_hash(db);
        // One read transaction: the mark, the changes and the states all
        // come from one moment of the file. Dropping it writes nothing.
        let tx = rusqlite::Transaction::new_unchecked(self.conn(), TransactionBehavior::Deferred)?;
        let head = newest_mark(&tx)?;
        let snapshot =
            crate::cachefile::map(&file).and_then(|bytes| decode(&bytes, db_hash, learner_id));
        if let (Some(head), Some((mark, list))) = (head, snapshot)
            && nonce_at(&tx, mark.seq)? == Some(mark.nonce)
            && let Some(changes) = self.changes_since(learner_id, mark.seq)?
        {
            drop(tx);
            if changes.is_empty() {
                return Ok(list);
            }
            let rewrite = changes.len() >= REWRITE_AT;
            let list = merge(list, changes);
            if rewrite {
                write(&file, db_hash, learner_id, head, &list);
            }
            return Ok(list);
        }
        let list = self.card_brief_list(learner_id)?;
        drop(tx);
        if let Some(head) = head {
            write(&file, db_hash, learner_id, head, &list);
        }
        Ok(list)
    }

    /// The learner's states changed after `seq`: each key with its state
    /// now, None for a state deleted. None when there are so many that
    /// reading every state is quicker.
    fn changes_since(&self, learner_id: i64, seq: i64) -> Result<Option<Changes>> {
        let mut keys_stmt = self.conn().prepare_cached(
            "SELECT DISTINCT card_key FROM state_changes WHERE seq > ?1 AND learner_id = ?2",
        )?;
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut rows = keys_stmt.query(rusqlite::params![seq, learner_id])?;
        while let Some(r) = rows.next()? {
            if keys.len() == MAX_CHANGES {
                return Ok(None);
            }
            keys.push(key_bytes(r)?.to_vec());
        }
        let mut state = self
            .conn()
            .prepare_cached(&format!("{BRIEF_SELECT} AND card_key = ?2"))?;
        let mut changes = Vec::with_capacity(keys.len());
        for key in keys {
            let brief = state
                .query_row(
                    rusqlite::params![
                        learner_id,
                        rusqlite::types::ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(
                            &key
                        ))
                    ],
                    brief_from_row,
                )
                .optional()?;
            changes.push((key, brief));
        }
        Ok(Some(changes))
    }
}

fn newest_mark(conn: &rusqlite::Connection) -> Result<Option<Mark>> {
    Ok(conn
        .prepare_cached("SELECT seq, nonce FROM state_changes ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| {
            Ok(Mark {
                seq: r.get(0)?,
                nonce: r.get(1)?,
            })
        })
        .optional()?)
}

fn nonce_at(conn: &rusqlite::Connection, seq: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT nonce FROM state_changes WHERE seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?)
}

fn path_hash(db: &Path) -> u64 {
    // The path as given: another spelling of one file only misses.
    fast_hash(db.to_string_lossy().as_bytes())
}

fn snapshot_file(dir: &Path, db: &Path, learner_id: i64) -> PathBuf {
    dir.join(format!("states-{:016x}-{learner_id}.bin", path_hash(db)))
}

/// The snapshot's states with the changed ones put in: a key changed
/// leaves its old place, and comes back at the end unless deleted.
fn merge(list: BriefList, changes: Changes) -> BriefList {
    let changed: HashMap<&[u8], ()> = changes.iter().map(|(k, _)| (k.as_slice(), ())).collect();
    let mut out = BriefList::with_capacity(list.len() + changes.len(), list.key_bytes());
    for (key, brief) in list.iter() {
        if !changed.contains_key(key) {
            out.push(key, brief.clone());
        }
    }
    for (key, brief) in &changes {
        if let Some(brief) = brief {
            out.push(key, brief.clone());
        }
    }
    out
}

const HAS_MEMORY: u8 = 1;
const HAS_LAST_REVIEW: u8 = 2;
const HAS_BURIED: u8 = 4;
const HAS_CONTENT: u8 = 8;

/// The fewest bytes a row takes: key length, phase, flags, due, lapses.
const MIN_ROW: usize = 4 + 1 + 1 + 8 + 4;

fn encode(list: &BriefList) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.key_bytes() + list.len() * 40);
    for (key, b) in list.iter() {
        out.extend_from_slice(&(key.len() as u32).to_le_bytes());
        out.extend_from_slice(key);
        out.push(b.phase as u8);
        let flag = |set: bool, bit: u8| if set { bit } else { 0 };
        let flags = flag(b.memory.is_some(), HAS_MEMORY)
            | flag(b.last_review.is_some(), HAS_LAST_REVIEW)
            | flag(b.buried_until.is_some(), HAS_BURIED)
            | flag(b.content.is_some(), HAS_CONTENT);
        out.push(flags);
        out.extend_from_slice(&b.due.to_le_bytes());
        out.extend_from_slice(&b.lapses.to_le_bytes());
        if let Some(m) = b.memory {
            out.extend_from_slice(&m.stability.to_le_bytes());
            out.extend_from_slice(&m.difficulty.to_le_bytes());
        }
        if let Some(t) = b.last_review {
            out.extend_from_slice(&t.to_le_bytes());
        }
        if let Some(t) = b.buried_until {
            out.extend_from_slice(&t.to_le_bytes());
        }
        if let Some(c) = b.content {
            out.extend_from_slice(&c.to_le_bytes());
        }
    }
    out
}

fn write(file: &Path, db_hash: u64, learner_id: i64, mark: Mark, list: &BriefList) {
    let payload = encode(list);
    let words = [
        db_hash,
        learner_id as u64,
        mark.seq as u64,
        mark.nonce as u64,
        list.len() as u64,
        payload.len() as u64,
        fast_hash(&payload),
    ];
    crate::cachefile::write(file, &crate::cachefile::frame(MAGIC, words, &payload));
}

/// The mark and states of a snapshot of this database and learner whose
/// bytes are whole; None for anything else.
fn decode(bytes: &[u8], db_hash: u64, learner_id: i64) -> Option<(Mark, BriefList)> {
    let (word, payload) = crate::cachefile::unframe(bytes, MAGIC)?;
    let word = |i: usize| word[i];
    let rows = usize::try_from(word(4)).ok()?;
    let ok = word(0) == db_hash
        && word(1) == learner_id as u64
        && word(5) == payload.len() as u64
        && word(6) == fast_hash(payload)
        // A count of rows that cannot fit is a lie.
        && rows <= payload.len() / MIN_ROW;
    if !ok {
        return None;
    }
    let mark = Mark {
        seq: word(2) as i64,
        nonce: word(3) as i64,
    };
    let mut r = payload;
    let mut list = BriefList::with_capacity(rows, payload.len().saturating_sub(rows * MIN_ROW));
    for _ in 0..rows {
        let n = u32::from_le_bytes(take(&mut r, 4)?.try_into().ok()?) as usize;
        let key = take(&mut r, n)?;
        let phase = match take(&mut r, 1)?[0] {
            0 => Phase::New,
            1 => Phase::Learning,
            2 => Phase::Review,
            3 => Phase::Relearning,
            _ => return None,
        };
        let flags = take(&mut r, 1)?[0];
        if flags & !(HAS_MEMORY | HAS_LAST_REVIEW | HAS_BURIED | HAS_CONTENT) != 0 {
            return None;
        }
        let due = i64_at(&mut r)?;
        let lapses = u32::from_le_bytes(take(&mut r, 4)?.try_into().ok()?);
        let memory = if flags & HAS_MEMORY != 0 {
            Some(fsrs::MemoryState {
                stability: f32::from_le_bytes(take(&mut r, 4)?.try_into().ok()?),
                difficulty: f32::from_le_bytes(take(&mut r, 4)?.try_into().ok()?),
            })
        } else {
            None
        };
        let last_review = if flags & HAS_LAST_REVIEW != 0 {
            Some(i64_at(&mut r)?)
        } else {
            None
        };
        let buried_until = if flags & HAS_BURIED != 0 {
            Some(i64_at(&mut r)?)
        } else {
            None
        };
        let content = if flags & HAS_CONTENT != 0 {
            Some(i64_at(&mut r)? as u64)
        } else {
            None
        };
        list.push(
            key,
            Brief {
                phase,
                due,
                memory,
                last_review,
                buried_until,
                lapses,
                content,
            },
        );
    }
    r.is_empty().then_some((mark, list))
}

fn take<'a>(r: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if n > r.len() {
        return None;
    }
    let (head, rest) = r.split_at(n);
    *r = rest;
    Some(head)
}

fn i64_at(r: &mut &[u8]) -> Option<i64> {
    Some(i64::from_le_bytes(take(r, 8)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewReview;
    use crate::store::tests::{review, state};

    fn rate(store: &mut Store, learner: i64, key: &str, due: i64) -> i64 {
        rate_in(store, learner, key, due, None)
    }

    fn rate_in(store: &mut Store, learner: i64, key: &str, due: i64, session: Option<i64>) -> i64 {
        let review = NewReview {
            session_id: session,
            ..review(learner, key, due - 86_400)
        };
        store.record_review(&review, &state(due)).unwrap()
    }

    /// Each key with its due time, sorted.
    fn dues(list: &BriefList) -> Vec<(String, i64)> {
        let mut out: Vec<(String, i64)> = list
            .iter()
            .map(|(k, b)| (String::from_utf8_lossy(k).into_owned(), b.due))
            .collect();
        out.sort();
        out
    }

    struct Fixture {
        _dir: tempfile::TempDir,
        db: PathBuf,
        cache: PathBuf,
        store: Store,
        learner: i64,
    }

    fn fixture(cards: usize) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("progress.db");
        let cache = dir.path().join("states");
        let mut store = Store::open(&db).unwrap();
        let learner = store.learner("甲", 0).unwrap().id;
        for i in 0..cards {
            rate(&mut store, learner, &format!("d/{i}"), 1_000 + i as i64);
        }
        Fixture {
            _dir: dir,
            db,
            cache,
            store,
            learner,
        }
    }

    impl Fixture {
        fn cached(&self) -> BriefList {
            self.store
                .card_brief_list_cached(self.learner, Some(&self.cache))
                .unwrap()
        }
        fn file(&self) -> PathBuf {
            snapshot_file(&self.cache, &self.db, self.learner)
        }
        fn snapshot(&self) -> Option<(Mark, BriefList)> {
            decode(
                &std::fs::read(self.file()).ok()?,
                path_hash(&self.db),
                self.learner,
            )
        }
        /// Puts a snapshot with these due times at the file's newest mark:
        /// what a start then returns shows whether it was trusted.
        fn plant(&self, dues: &[(&str, i64)]) {
            let mut list = BriefList::default();
            for (key, due) in dues {
                list.push(
                    key.as_bytes(),
                    Brief::of(&crate::store::CardRow {
                        state: state(*due),
                        content_hash: String::new(),
                        buried_until: None,
                    }),
                );
            }
            let head = newest_mark(self.store.conn()).unwrap().unwrap();
            write(&self.file(), path_hash(&self.db), self.learner, head, &list);
        }
    }

    #[test]
    fn a_first_start_reads_every_state_and_leaves_a_snapshot_of_them() {
        let f = fixture(3);
        let want = dues(&f.store.card_brief_list(f.learner).unwrap());
        assert_eq!(
            want,
            [
                ("d/0".into(), 1000),
                ("d/1".into(), 1001),
                ("d/2".into(), 1002)
            ]
        );
        assert_eq!(dues(&f.cached()), want);
        let (mark, list) = f.snapshot().expect("a snapshot was written");
        assert_eq!(dues(&list), want);
        assert_eq!(Some(mark), newest_mark(f.store.conn()).unwrap());
        // Read back whole: every field, not only the due time.
        let read: Vec<Brief> = f
            .store
            .card_brief_list(f.learner)
            .unwrap()
            .iter()
            .map(|(_, b)| b.clone())
            .collect();
        let snap: Vec<Brief> = list.iter().map(|(_, b)| b.clone()).collect();
        assert_eq!(snap, read);
    }

    #[test]
    fn a_snapshot_at_the_newest_mark_is_used_as_it_is() {
        let f = fixture(2);
        f.plant(&[("d/0", 7), ("d/9", 9)]);
        assert_eq!(dues(&f.cached()), [("d/0".into(), 7), ("d/9".into(), 9)]);
    }

    #[test]
    fn states_changed_since_the_snapshot_are_read_from_the_database() {
        let mut f = fixture(3);
        f.plant(&[("d/0", 7), ("d/1", 8), ("d/2", 9)]);
        let learner = f.learner;
        // A rating, a new card and an undo that deletes a state.
        rate(&mut f.store, learner, "d/1", 5_000);
        let new = rate(&mut f.store, learner, "d/new", 6_000);
        f.store.undo_review(learner, new, "d/new", None).unwrap();
        let other = f.store.learner("乙", 0).unwrap().id;
        rate(&mut f.store, other, "d/0", 8_000);
        assert_eq!(
            dues(&f.cached()),
            [("d/0".into(), 7), ("d/1".into(), 5_000), ("d/2".into(), 9)],
            "d/1 from the database, d/new deleted, another learner's rating not mixed in"
        );
        // Few changes: the snapshot is kept and they are read again next time.
        assert_eq!(dues(&f.snapshot().unwrap().1).len(), 3);
        assert_eq!(
            f.snapshot()
                .unwrap()
                .1
                .iter()
                .find(|(k, _)| *k == b"d/1")
                .unwrap()
                .1
                .due,
            8
        );
    }

    #[test]
    fn many_changes_are_written_into_a_new_snapshot() {
        let mut f = fixture(0);
        f.plant(&[("old/0", 1)]);
        let learner = f.learner;
        for i in 0..REWRITE_AT {
            rate(&mut f.store, learner, &format!("d/{i}"), 10_000 + i as i64);
        }
        let got = f.cached();
        assert_eq!(got.len(), REWRITE_AT + 1);
        let (mark, list) = f.snapshot().unwrap();
        assert_eq!(Some(mark), newest_mark(f.store.conn()).unwrap());
        assert_eq!(dues(&list), dues(&got));
    }

    #[test]
    fn a_snapshot_whose_mark_is_gone_or_differs_is_not_trusted() {
        let f = fixture(2);
        let truth = dues(&f.store.card_brief_list(f.learner).unwrap());
        // Another history at the same path: same seq, another nonce.
        f.plant(&[("d/0", 7)]);
        f.store
            .conn()
            .execute("UPDATE state_changes SET nonce = nonce + 1 WHERE seq = (SELECT max(seq) FROM state_changes)", [])
            .unwrap();
        assert_eq!(dues(&f.cached()), truth);
        // Its row pruned away.
        f.plant(&[("d/0", 7)]);
        f.store
            .conn()
            .execute(
                "DELETE FROM state_changes WHERE seq = (SELECT max(seq) FROM state_changes)",
                [],
            )
            .unwrap();
        assert_eq!(dues(&f.cached()), truth);
    }

    #[test]
    fn a_restored_backup_does_not_take_a_later_snapshot() {
        let mut f = fixture(2);
        let learner = f.learner;
        let backup = f.db.with_extension("bak");
        f.store
            .conn()
            .execute("VACUUM INTO ?1", [backup.to_string_lossy()])
            .unwrap();
        let before = dues(&f.store.card_brief_list(learner).unwrap());
        rate(&mut f.store, learner, "d/0", 77_777);
        assert_ne!(
            dues(&f.cached()),
            before,
            "the snapshot has the later rating"
        );
        // The backup put back in place of the file.
        drop(f.store);
        std::fs::copy(&backup, &f.db).unwrap();
        let _ = std::fs::remove_file(f.db.with_extension("db-wal"));
        f.store = Store::open(&f.db).unwrap();
        assert_eq!(dues(&f.cached()), before);
    }

    #[test]
    fn more_changes_than_worth_looking_up_mean_a_full_read() {
        let f = fixture(0);
        f.plant(&[]);
        let learner = f.learner;
        let tx = f.store.conn().unchecked_transaction().unwrap();
        for i in 0..=MAX_CHANGES {
            tx.execute(
                "INSERT INTO card_states (learner_id, card_key, phase, due, content_hash) VALUES (?1, ?2, 2, ?3, '')",
                rusqlite::params![learner, format!("d/{i}"), i as i64],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        assert_eq!(
            f.store.changes_since(learner, 0).unwrap().map(|c| c.len()),
            None
        );
        assert_eq!(f.cached().len(), MAX_CHANGES + 1);
        assert_eq!(f.snapshot().unwrap().1.len(), MAX_CHANGES + 1);
    }

    #[test]
    fn a_damaged_or_foreign_snapshot_is_not_read() {
        let f = fixture(2);
        let truth = dues(&f.store.card_brief_list(f.learner).unwrap());
        f.plant(&[("d/0", 7), ("d/1", 8)]);
        let good = std::fs::read(f.file()).unwrap();
        let hash = path_hash(&f.db);
        assert!(decode(&good, hash, f.learner).is_some());
        assert!(
            decode(&good, hash ^ 1, f.learner).is_none(),
            "another database"
        );
        assert!(
            decode(&good, hash, f.learner + 1).is_none(),
            "another learner"
        );
        for cut in 0..good.len() {
            assert!(decode(&good[..cut], hash, f.learner).is_none());
        }
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert!(decode(&flipped, hash, f.learner).is_none(), "checksum");
        std::fs::write(f.file(), &flipped).unwrap();
        assert_eq!(dues(&f.cached()), truth);
    }

    #[test]
    fn every_field_comes_back_as_written() {
        let mut list = BriefList::default();
        let full = Brief {
            phase: Phase::Relearning,
            due: -5,
            memory: Some(fsrs::MemoryState {
                stability: 1.5,
                difficulty: 9.25,
            }),
            last_review: Some(i64::MIN),
            buried_until: Some(i64::MAX),
            lapses: u32::MAX,
            content: Some(u64::MAX - 1),
        };
        list.push("党课/甲".as_bytes(), full.clone());
        list.push(
            b"",
            Brief {
                memory: None,
                last_review: None,
                buried_until: None,
                content: None,
                ..full.clone()
            },
        );
        let payload = encode(&list);
        let words = [5, 1, 1, 1, 2, payload.len() as u64, fast_hash(&payload)];
        let out = crate::cachefile::frame(MAGIC, words, &payload);
        let (_, back) = decode(&out, 5, 1).unwrap();
        let got: Vec<(&[u8], &Brief)> = back.iter().collect();
        let want: Vec<(&[u8], &Brief)> = list.iter().collect();
        assert_eq!(got, want);
    }

    #[test]
    fn the_decoder_rejects_bad_values_even_with_a_valid_checksum() {
        let mut list = BriefList::default();
        list.push(
            b"d/0",
            Brief {
                phase: Phase::Review,
                due: 1,
                memory: None,
                last_review: None,
                buried_until: None,
                lapses: 3,
                content: None,
            },
        );
        let payload = encode(&list);
        let frame = |payload: &[u8], rows: u64| {
            let words = [5, 1, 1, 1, rows, payload.len() as u64, fast_hash(payload)];
            crate::cachefile::frame(MAGIC, words, payload)
        };
        assert!(decode(&frame(&payload, 1), 5, 1).is_some());
        assert!(
            decode(&frame(&payload, 2), 5, 1).is_none(),
            "more rows than there are"
        );
        assert!(
            decode(&frame(&payload, 0), 5, 1).is_none(),
            "bytes left over"
        );
        let phase_at = 4 + 3;
        let mut bad = payload.clone();
        bad[phase_at] = 4;
        assert!(decode(&frame(&bad, 1), 5, 1).is_none(), "phase 4");
        let mut bad = payload.clone();
        bad[phase_at + 1] = 16;
        assert!(decode(&frame(&bad, 1), 5, 1).is_none(), "unknown flag");
        let mut bad = payload.clone();
        bad[phase_at + 1] = HAS_CONTENT;
        assert!(
            decode(&frame(&bad, 1), 5, 1).is_none(),
            "a content hash that is not there"
        );
        let mut bad = payload;
        bad[0] = 200;
        assert!(decode(&frame(&bad, 1), 5, 1).is_none(), "key past the end");
    }

    #[test]
    fn a_finished_session_prunes_the_oldest_changes_only() {
        let mut f = fixture(3);
        let learner = f.learner;
        let seqs = |s: &Store| -> (i64, i64, i64) {
            s.conn()
                .query_row(
                    "SELECT count(*), min(seq), max(seq) FROM state_changes",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap()
        };
        let session = |store: &mut Store, at: i64| {
            let id = store.start_session(learner, "study", at).unwrap();
            rate_in(store, learner, "d/0", at + 5, Some(id));
            store.end_session(id, at + 10).unwrap();
        };
        let (before, _, _) = seqs(&f.store);
        session(&mut f.store, 100);
        assert_eq!(
            seqs(&f.store).0,
            before + 1,
            "fewer than KEEP_CHANGES rows: none pruned"
        );
        // The newest row far ahead: all others are more than KEEP_CHANGES
        // behind the next one.
        f.store
            .conn()
            .execute(
                "UPDATE state_changes SET seq = seq + ?1 WHERE seq = (SELECT max(seq) FROM state_changes)",
                [KEEP_CHANGES + 10],
            )
            .unwrap();
        let (_, _, far) = seqs(&f.store);
        session(&mut f.store, 200);
        let (count, min, max) = seqs(&f.store);
        assert_eq!(
            (count, min, max),
            (2, far, far + 1),
            "only the rows within KEEP_CHANGES of the newest stay"
        );
        // A long log is pruned a few rows per session.
        let tx = f.store.conn().unchecked_transaction().unwrap();
        for i in 0..(KEEP_CHANGES + 2 * PRUNE_AT_MOST) {
            tx.execute(
                "INSERT INTO state_changes (learner_id, card_key, nonce) VALUES (?1, 'd/x', ?2)",
                [learner, i],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        let (before, first, _) = seqs(&f.store);
        session(&mut f.store, 300);
        let (count, min, _) = seqs(&f.store);
        assert_eq!(
            (count, min),
            (before + 1 - PRUNE_AT_MOST, first + PRUNE_AT_MOST)
        );
    }

    #[test]
    fn a_file_before_the_change_log_is_read_whole_and_not_snapshotted() {
        let f = fixture(2);
        f.store
            .conn()
            .execute_batch(
                "DROP TRIGGER state_changes_insert; DROP TRIGGER state_changes_update;
                 DROP TRIGGER state_changes_delete; DROP TABLE state_changes;
                 PRAGMA user_version = 9;",
            )
            .unwrap();
        let reader = Store::open_read(&f.db).unwrap();
        let got = reader
            .card_brief_list_cached(f.learner, Some(&f.cache))
            .unwrap();
        assert_eq!(dues(&got), [("d/0".into(), 1000), ("d/1".into(), 1001)]);
        assert!(!f.file().exists(), "no log to trust a snapshot by");
    }
}
