//! Learners, card states, reviews and sessions: the reads and writes the
//! study loop, quizzes, contests and stats need.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError};
use crate::grade::Outcome;
use crate::schedule::{CardState, Phase, Rating};

/// A learner and their settings.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnerRow {
    pub id: i64,
    pub name: String,
    pub desired_retention: f32,
    pub exam_date: Option<jiff::civil::Date>,
    /// Fitted FSRS-6 parameters, if `dangke optimize` has run.
    pub parameters: Option<Vec<f32>>,
}

/// A card's stored state.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    pub state: CardState,
    pub content_hash: String,
    pub buried_until: Option<i64>,
}

impl CardRow {
    /// The row of a card never studied.
    pub fn unseen(now: i64, content_hash: &str) -> CardRow {
        CardRow {
            state: CardState::unseen(now),
            content_hash: content_hash.to_owned(),
            buried_until: None,
        }
    }
}

pub(super) fn memory(stability: Option<f64>, difficulty: Option<f64>) -> Option<fsrs::MemoryState> {
    match (stability, difficulty) {
        (Some(s), Some(d)) => Some(fsrs::MemoryState {
            stability: s as f32,
            difficulty: d as f32,
        }),
        _ => None,
    }
}

/// One rated answer to record.
#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    pub learner_id: i64,
    pub card_key: &'a str,
    pub session_id: Option<i64>,
    pub at: i64,
    pub rating: Rating,
    pub verdict: Outcome,
    pub score: f64,
    pub response_ms: i64,
    pub mode: &'a str,
    pub phase_before: Phase,
    pub content_hash: &'a str,
}

/// One recorded review, as stats and the optimizer read it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    pub card_key: String,
    pub at: i64,
    pub rating: Rating,
    pub phase_before: Phase,
}

/// A learner row as read, before its text columns are parsed.
type RawLearner = (i64, String, f64, Option<String>, Option<String>);

fn learner_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawLearner> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    ))
}

fn to_learner(raw: RawLearner) -> Result<LearnerRow> {
    let (id, name, retention, exam, params) = raw;
    let exam_date = exam
        .map(|d| d.parse::<jiff::civil::Date>())
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("学习者 {name} 的考试日期无效：{e}")))?;
    let parameters = params
        .map(|p| serde_json::from_str::<Vec<f32>>(&p))
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("学习者 {name} 的 FSRS 参数无效：{e}")))?;
    Ok(LearnerRow {
        id,
        name,
        desired_retention: retention as f32,
        exam_date,
        parameters,
    })
}

const LEARNER_COLUMNS: &str = "id, name, desired_retention, exam_date, parameters";

const CARD_SELECT: &str = "SELECT card_key, phase, step, stability, difficulty, due, reps, lapses,
        last_review, content_hash, buried_until FROM card_states";

fn card_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, CardRow)> {
    Ok((r.get::<_, String>(0)?, state_from_row(r)?))
}

/// The state columns of a [`CARD_SELECT`] row (all but the key).
fn state_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CardRow> {
    Ok(CardRow {
        state: CardState {
            phase: Phase::from_number(r.get(1)?),
            step: r.get(2)?,
            memory: memory(r.get(3)?, r.get(4)?),
            due: r.get(5)?,
            reps: r.get(6)?,
            lapses: r.get(7)?,
            last_review: r.get(8)?,
        },
        content_hash: r.get(9)?,
        buried_until: r.get(10)?,
    })
}

/// Writes the decks [`Store::note_decks`] left for the next write.
pub(super) fn write_seen_decks(
    tx: &rusqlite::Transaction<'_>,
    decks: &[(String, String, i64)],
) -> Result<()> {
    for (id, origin, now) in decks {
        tx.prepare_cached(
            "INSERT INTO seen_decks (deck_id, origin, last_seen) VALUES (?1, ?2, ?3)
             ON CONFLICT (deck_id) DO UPDATE SET origin = excluded.origin, last_seen = excluded.last_seen",
        )?
        .execute(params![id, origin, now])?;
    }
    Ok(())
}

/// A session as the store knows it: its row, or not written yet.
#[derive(Debug, Clone)]
pub(crate) enum SessionRef {
    None,
    Real(i64),
    Pending { learner: i64, mode: String, at: i64 },
}

/// What [`Store::record_review_if`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    /// Written; the review's id.
    Done(i64),
    /// Not written: the card's state changed since it was read. The row
    /// as it is now.
    Stale(Option<CardRow>),
}

impl Store {
    /// The learner with this name, created on first use (a learner who
    /// exists is only read).
    pub fn learner(&mut self, name: &str, now: i64) -> Result<LearnerRow> {
        if let Some(learner) = self.find_learner(name)? {
            return Ok(learner);
        }
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO learners (name, created_at) VALUES (?1, ?2)",
                params![name, now],
            )?;
            Ok(())
        })?;
        self.find_learner(name)?
            .ok_or_else(|| StoreError::Corrupt(format!("学习者 {name} 无法创建")))
    }

    /// Every learner with their review count and last review time.
    pub fn learners(&self) -> Result<Vec<(LearnerRow, i64, Option<i64>)>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {LEARNER_COLUMNS},
                    (SELECT count(*) FROM reviews r WHERE r.learner_id = l.id AND NOT r.undone),
                    (SELECT max(reviewed_at) FROM reviews r WHERE r.learner_id = l.id AND NOT r.undone)
             FROM learners l ORDER BY name"
        ))?;
        let rows = stmt.query_map([], |row| {
            Ok((learner_from_row(row)?, row.get(5)?, row.get(6)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (raw, count, last) = row?;
            out.push((to_learner(raw)?, count, last));
        }
        Ok(out)
    }

    pub fn set_exam_date(
        &mut self,
        learner_id: i64,
        date: Option<jiff::civil::Date>,
    ) -> Result<()> {
        let date = date.map(|d| d.to_string());
        self.write(|tx| {
            tx.execute(
                "UPDATE learners SET exam_date = ?1 WHERE id = ?2",
                params![date, learner_id],
            )?;
            Ok(())
        })
    }

    pub fn set_retention(&mut self, learner_id: i64, retention: f32) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE learners SET desired_retention = ?1 WHERE id = ?2",
                params![f64::from(retention), learner_id],
            )?;
            Ok(())
        })
    }

    pub fn set_parameters(&mut self, learner_id: i64, parameters: &[f32]) -> Result<()> {
        let json =
            serde_json::to_string(parameters).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.write(|tx| {
            tx.execute(
                "UPDATE learners SET parameters = ?1 WHERE id = ?2",
                params![json, learner_id],
            )?;
            Ok(())
        })
    }

    /// Every stored card state of a learner, by card key.
    pub fn card_rows(&self, learner_id: i64) -> Result<HashMap<String, CardRow>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("{CARD_SELECT} WHERE learner_id = ?1"))?;
        let rows = stmt.query_map([learner_id], card_from_row)?;
        // Sized up front: growing a 50k-entry map was most of its cost.
        let count: i64 = self
            .one(
                "SELECT count(*) FROM card_states WHERE learner_id = ?1",
                [learner_id],
            )?
            .unwrap_or(0);
        let mut out = HashMap::with_capacity(usize::try_from(count).unwrap_or(0));
        for row in rows {
            let (key, row) = row?;
            out.insert(key, row);
        }
        Ok(out)
    }

    /// One card's whole state, as stored now.
    pub fn card_row(&self, learner_id: i64, key: &str) -> Result<Option<CardRow>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "{CARD_SELECT} WHERE learner_id = ?1 AND card_key = ?2"
        ))?;
        Ok(stmt
            .query_row(params![learner_id, key], state_from_row)
            .optional()?)
    }

    fn write_state(
        tx: &rusqlite::Transaction<'_>,
        learner_id: i64,
        key: &str,
        row: &CardRow,
    ) -> Result<()> {
        let s = &row.state;
        tx.prepare_cached(
            "INSERT INTO card_states (learner_id, card_key, phase, step, stability, difficulty, due, reps,
                                      lapses, last_review, content_hash, buried_until)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (learner_id, card_key) DO UPDATE SET
                phase = excluded.phase, step = excluded.step, stability = excluded.stability,
                difficulty = excluded.difficulty, due = excluded.due, reps = excluded.reps,
                lapses = excluded.lapses, last_review = excluded.last_review,
                content_hash = excluded.content_hash, buried_until = excluded.buried_until",
        )?
        .execute(params![
                learner_id,
                key,
                s.phase as i64,
                s.step,
                s.memory.map(|m| m.stability as f64),
                s.memory.map(|m| m.difficulty as f64),
                s.due,
                s.reps,
                s.lapses,
                s.last_review,
                row.content_hash,
                row.buried_until,
        ])?;
        Ok(())
    }

    fn insert_review(
        tx: &rusqlite::Transaction<'_>,
        review: &NewReview<'_>,
        session: &SessionRef,
    ) -> Result<i64> {
        let session_id = match session {
            SessionRef::None => None,
            SessionRef::Real(id) => Some(*id),
            SessionRef::Pending {
                learner, mode, at, ..
            } => {
                tx.execute(
                    "INSERT INTO sessions (learner_id, mode, started_at) VALUES (?1, ?2, ?3)",
                    params![learner, mode, at],
                )?;
                Some(tx.last_insert_rowid())
            }
        };
        tx.prepare_cached(
            "INSERT INTO reviews (learner_id, card_key, session_id, reviewed_at, rating, verdict, score,
                                  response_ms, mode, phase_before, content_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
                review.learner_id,
                review.card_key,
                session_id,
                review.at,
                review.rating as i64,
                review.verdict.name(),
                review.score,
                review.response_ms,
                review.mode,
                review.phase_before as i64,
                review.content_hash,
        ])?;
        Ok(tx.last_insert_rowid())
    }

    /// What a review's session id refers to.
    fn session_ref(&self, id: Option<i64>) -> SessionRef {
        match id {
            None => SessionRef::None,
            Some(id) => match self.sessions.get(&id) {
                Some(SessionRef::Pending { learner, mode, at }) => SessionRef::Pending {
                    learner: *learner,
                    mode: mode.clone(),
                    at: *at,
                },
                Some(SessionRef::Real(real)) => SessionRef::Real(*real),
                _ => SessionRef::Real(id),
            },
        }
    }

    /// After a commit: a pending session now has its row.
    fn session_written(&mut self, handle: Option<i64>, review_id: i64) -> Result<()> {
        if let Some(handle) = handle
            && matches!(self.sessions.get(&handle), Some(SessionRef::Pending { .. }))
        {
            let real: Option<i64> = self
                .conn()
                .prepare_cached("SELECT session_id FROM reviews WHERE id = ?1")?
                .query_row([review_id], |r| r.get(0))
                .optional()?;
            if let Some(real) = real {
                self.sessions.insert(handle, SessionRef::Real(real));
            }
        }
        Ok(())
    }

    /// Records a rated answer and the card's new state in one durable
    /// transaction. Returns the review's id.
    pub fn record_review(&mut self, review: &NewReview<'_>, state: &CardState) -> Result<i64> {
        let row = CardRow {
            state: state.clone(),
            content_hash: review.content_hash.to_owned(),
            buried_until: None,
        };
        let session = self.session_ref(review.session_id);
        let id = self.write(|tx| {
            let id = Self::insert_review(tx, review, &session)?;
            Self::write_state(tx, review.learner_id, review.card_key, &row)?;
            Ok(id)
        })?;
        self.session_written(review.session_id, id)?;
        Ok(id)
    }

    /// Like [`Store::record_review`], but only if the card's stored state
    /// is still `expected` (the state the new one was computed from):
    /// another session of the same learner may have rated the card since.
    /// If it has, nothing is written and the current row is returned, to
    /// compute the rating again from it. `expected: None` writes whatever
    /// the stored state is.
    pub fn record_review_if(
        &mut self,
        review: &NewReview<'_>,
        state: &CardState,
        expected: Option<Option<&CardState>>,
    ) -> Result<Recorded> {
        let row = CardRow {
            state: state.clone(),
            content_hash: review.content_hash.to_owned(),
            buried_until: None,
        };
        let session = self.session_ref(review.session_id);
        let recorded = self.write(|tx| {
            let current = Self::card_row_in(tx, review.learner_id, review.card_key)?;
            let stored = current.as_ref().map(|r| &r.state);
            // A row written by bury or make_due for a card never studied
            // counts as no state.
            let stored = stored.filter(|s| s.phase != Phase::New || s.reps > 0);
            let unchanged = expected.is_none_or(|expected| {
                stored == expected.filter(|s| s.phase != Phase::New || s.reps > 0)
            });
            if !unchanged {
                return Ok(Recorded::Stale(current));
            }
            let id = Self::insert_review(tx, review, &session)?;
            Self::write_state(tx, review.learner_id, review.card_key, &row)?;
            Ok(Recorded::Done(id))
        })?;
        if let Recorded::Done(id) = recorded {
            self.session_written(review.session_id, id)?;
        }
        Ok(recorded)
    }

    /// One card's stored row, read inside a transaction.
    fn card_row_in(
        tx: &rusqlite::Transaction<'_>,
        learner_id: i64,
        key: &str,
    ) -> Result<Option<CardRow>> {
        let row = tx
            .prepare_cached(&format!(
                "{CARD_SELECT} WHERE learner_id = ?1 AND card_key = ?2"
            ))?
            .query_row(params![learner_id, key], card_from_row)
            .optional()?;
        Ok(row.map(|(_, row)| row))
    }

    /// Takes back a review: marks it undone (the log stays append-only)
    /// and restores the card's previous state, or removes it if it had none.
    pub fn undo_review(
        &mut self,
        learner_id: i64,
        review_id: i64,
        key: &str,
        previous: Option<&CardRow>,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE reviews SET undone = 1 WHERE id = ?1", [review_id])?;
            match previous {
                Some(row) => Self::write_state(tx, learner_id, key, row)?,
                None => {
                    tx.execute(
                        "DELETE FROM card_states WHERE learner_id = ?1 AND card_key = ?2",
                        params![learner_id, key],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Hides a card until `until` (skip: bury until tomorrow).
    pub fn bury(
        &mut self,
        learner_id: i64,
        key: &str,
        until: i64,
        current: Option<&CardRow>,
        content_hash: &str,
        now: i64,
    ) -> Result<()> {
        let mut row = current
            .cloned()
            .unwrap_or_else(|| CardRow::unseen(now, content_hash));
        row.buried_until = Some(until);
        self.put_state(learner_id, key, &row)
    }

    /// Writes one card's state in its own transaction.
    fn put_state(&mut self, learner_id: i64, key: &str, row: &CardRow) -> Result<()> {
        self.write(|tx| Self::write_state(tx, learner_id, key, row))
    }

    /// Makes a card due now (a quiz or contest mistake goes into study).
    pub fn make_due(
        &mut self,
        learner_id: i64,
        key: &str,
        now: i64,
        current: Option<&CardRow>,
        content_hash: &str,
    ) -> Result<()> {
        let mut row = current
            .cloned()
            .unwrap_or_else(|| CardRow::unseen(now, content_hash));
        row.state.due = row.state.due.min(now);
        row.buried_until = None;
        self.put_state(learner_id, key, &row)
    }

    pub fn start_session(&mut self, learner_id: i64, mode: &str, now: i64) -> Result<i64> {
        // The row is written with the session's first answer: a session
        // that answers nothing writes nothing. Until then the id is a
        // negative handle.
        let handle = -(self.sessions.len() as i64) - 1;
        self.sessions.insert(
            handle,
            SessionRef::Pending {
                learner: learner_id,
                mode: mode.to_owned(),
                at: now,
            },
        );
        Ok(handle)
    }

    pub fn end_session(&mut self, session_id: i64, now: i64) -> Result<()> {
        let session_id = match self.session_ref(Some(session_id)) {
            SessionRef::Real(id) => id,
            _ => return Ok(()),
        };
        self.write(|tx| {
            tx.execute(
                "UPDATE sessions SET ended_at = ?1 WHERE id = ?2",
                params![now, session_id],
            )?;
            // The change log keeps its newest rows, enough for the
            // snapshots in use (see `snapshot.rs`); an older snapshot only
            // means one full read. A few rows at a time, so a long log
            // (a database filled by another program) does not make one
            // session's end slow.
            tx.execute(
                "DELETE FROM state_changes WHERE seq < (
                     SELECT min(max(seq) - ?1, min(seq) + ?2) FROM state_changes)",
                [
                    super::snapshot::KEEP_CHANGES,
                    super::snapshot::PRUNE_AT_MOST,
                ],
            )?;
            Ok(())
        })
    }

    /// Reviews (not undone) of a learner at or after `since`, oldest
    /// first; only those of one mode when `mode` is given.
    pub fn reviews_since(
        &self,
        learner_id: i64,
        since: i64,
        mode: Option<&str>,
    ) -> Result<Vec<ReviewRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT card_key, reviewed_at, rating, phase_before
             FROM reviews
             WHERE learner_id = ?1 AND reviewed_at >= ?2 AND undone = 0 AND (?3 IS NULL OR mode = ?3)
             ORDER BY reviewed_at, id",
        )?;
        let rows = stmt.query_map(params![learner_id, since, mode], |r| {
            Ok(ReviewRow {
                card_key: r.get(0)?,
                at: r.get(1)?,
                rating: Rating::from_number(r.get(2)?).unwrap_or(Rating::Again),
                phase_before: Phase::from_number(r.get(3)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many new cards and reviews a learner has done since `since`
    /// (the start of the study day), in study mode.
    pub fn done_since(&self, learner_id: i64, since: i64) -> Result<(u32, u32)> {
        // Asked after every answer: a cached statement.
        let (new, reviews): (i64, i64) = self
            .conn()
            .prepare_cached(
                "SELECT coalesce(sum(phase_before = 0), 0), coalesce(sum(phase_before = 2), 0)
                 FROM reviews WHERE learner_id = ?1 AND reviewed_at >= ?2 AND NOT undone AND mode = 'study'",
            )?
            .query_row(params![learner_id, since], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok((new as u32, reviews as u32))
    }

    /// Total reviews of a learner (not undone).
    pub fn review_count(&self, learner_id: i64) -> Result<i64> {
        Ok(self
            .one(
                "SELECT count(*) FROM reviews WHERE learner_id = ?1 AND undone = 0",
                [learner_id],
            )?
            .unwrap_or(0))
    }

    /// The id of a learner by name, without creating one.
    pub fn find_learner(&self, name: &str) -> Result<Option<LearnerRow>> {
        let raw = self
            .conn()
            .query_row(
                &format!("SELECT {LEARNER_COLUMNS} FROM learners WHERE name = ?1"),
                [name],
                learner_from_row,
            )
            .optional()?;
        raw.map(to_learner).transpose()
    }
}

impl Store {
    /// Logs an answer that does not move the card's schedule (quiz and
    /// contest answers): the review log only.
    pub fn log_answer(&mut self, review: &NewReview<'_>) -> Result<i64> {
        let session = self.session_ref(review.session_id);
        let id = self.write(|tx| Self::insert_review(tx, review, &session))?;
        self.session_written(review.session_id, id)?;
        Ok(id)
    }

    /// The 错题本: cards whose latest quiz, contest or live answer was not right
    /// and that have not since been answered well in study.
    pub fn mistakes(&self, learner_id: i64) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT q.card_key FROM reviews q
             WHERE q.learner_id = ?1 AND NOT q.undone AND q.mode IN ('quiz', 'contest', 'live')
               AND q.verdict IN ('wrong', 'partial')
               AND q.id = (SELECT max(x.id) FROM reviews x
                           WHERE x.learner_id = q.learner_id AND x.card_key = q.card_key
                             AND NOT x.undone AND x.mode IN ('quiz', 'contest', 'live'))
               AND NOT EXISTS (SELECT 1 FROM reviews s
                               WHERE s.learner_id = q.learner_id AND s.card_key = q.card_key
                                 AND NOT s.undone AND s.mode = 'study' AND s.id > q.id AND s.rating >= 3)",
        )?;
        let keys = stmt.query_map([learner_id], |r| r.get::<_, String>(0))?;
        Ok(keys.collect::<rusqlite::Result<_>>()?)
    }
}

/// Suspended and flagged cards, and the user decks seen (schema 006).
impl Store {
    /// Card keys of a learner with the given mark set.
    fn marked(&self, learner_id: i64, column: &str) -> Result<std::collections::HashSet<String>> {
        // A file from before marks, opened only to read.
        if !self.tables()?.iter().any(|t| t == "card_marks") {
            return Ok(Default::default());
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT card_key FROM card_marks WHERE learner_id = ?1 AND {column} <> 0"
        ))?;
        let keys = stmt.query_map([learner_id], |r| r.get::<_, String>(0))?;
        Ok(keys.collect::<rusqlite::Result<_>>()?)
    }

    /// Cards the learner suspended: left out of study until resumed.
    pub fn suspended(&self, learner_id: i64) -> Result<std::collections::HashSet<String>> {
        self.marked(learner_id, "suspended")
    }

    /// Cards the learner flagged.
    pub fn flagged(&self, learner_id: i64) -> Result<std::collections::HashSet<String>> {
        self.marked(learner_id, "flagged")
    }

    /// Sets or clears a card's suspended and flagged marks (None leaves a
    /// mark as it is), in its own transaction.
    pub fn set_marks(
        &mut self,
        learner_id: i64,
        key: &str,
        suspended: Option<bool>,
        flagged: Option<bool>,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO card_marks (learner_id, card_key, suspended, flagged)
                 VALUES (?1, ?2, coalesce(?3, 0), coalesce(?4, 0))
                 ON CONFLICT (learner_id, card_key) DO UPDATE SET
                    suspended = coalesce(?3, suspended), flagged = coalesce(?4, flagged)",
                params![learner_id, key, suspended, flagged],
            )?;
            Ok(())
        })
    }

    /// Remembers the user decks loaded now (id and file): those new or
    /// moved are written with the next write (a rating, a mark), so a
    /// start that answers nothing writes nothing and a deck is remembered
    /// in the same transaction as the first progress made with it.
    pub fn note_decks(&mut self, decks: &[(String, String)], now: i64) -> Result<()> {
        let seen = self.seen_decks()?;
        self.pending_decks = decks
            .iter()
            .filter(|(id, origin)| seen.get(id) != Some(origin))
            .map(|(id, origin)| (id.clone(), origin.clone(), now))
            .collect();
        Ok(())
    }

    /// Every user deck ever loaded with this database: id → file.
    pub fn seen_decks(&self) -> Result<HashMap<String, String>> {
        // A file from before this table, opened only to read.
        if !self.tables()?.iter().any(|t| t == "seen_decks") {
            return Ok(HashMap::new());
        }
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT deck_id, origin FROM seen_decks")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
