//! Learners, card states, reviews and sessions: the reads and writes the
//! study loop, quizzes, contests and stats need.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

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

impl Store {
    /// The learner with this name, created on first use.
    pub fn learner(&mut self, name: &str, now: i64) -> Result<LearnerRow> {
        self.conn().execute(
            "INSERT OR IGNORE INTO learners (name, created_at) VALUES (?1, ?2)",
            params![name, now],
        )?;
        let raw = self.conn().query_row(
            &format!("SELECT {LEARNER_COLUMNS} FROM learners WHERE name = ?1"),
            [name],
            learner_from_row,
        )?;
        to_learner(raw)
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
        self.conn().execute(
            "UPDATE learners SET exam_date = ?1 WHERE id = ?2",
            params![date.map(|d| d.to_string()), learner_id],
        )?;
        Ok(())
    }

    pub fn set_retention(&mut self, learner_id: i64, retention: f32) -> Result<()> {
        self.conn().execute(
            "UPDATE learners SET desired_retention = ?1 WHERE id = ?2",
            params![f64::from(retention), learner_id],
        )?;
        Ok(())
    }

    pub fn set_parameters(&mut self, learner_id: i64, parameters: &[f32]) -> Result<()> {
        let json =
            serde_json::to_string(parameters).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.conn().execute(
            "UPDATE learners SET parameters = ?1 WHERE id = ?2",
            params![json, learner_id],
        )?;
        Ok(())
    }

    /// Every stored card state of a learner, by card key.
    pub fn card_rows(&self, learner_id: i64) -> Result<HashMap<String, CardRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT card_key, phase, step, stability, difficulty, due, reps, lapses, last_review,
                    content_hash, buried_until
             FROM card_states WHERE learner_id = ?1",
        )?;
        let rows = stmt.query_map([learner_id], |r| {
            let stability: Option<f64> = r.get(3)?;
            let difficulty: Option<f64> = r.get(4)?;
            let memory = match (stability, difficulty) {
                (Some(s), Some(d)) => Some(fsrs::MemoryState {
                    stability: s as f32,
                    difficulty: d as f32,
                }),
                _ => None,
            };
            Ok((
                r.get::<_, String>(0)?,
                CardRow {
                    state: CardState {
                        phase: Phase::from_number(r.get(1)?),
                        step: r.get(2)?,
                        memory,
                        due: r.get(5)?,
                        reps: r.get(6)?,
                        lapses: r.get(7)?,
                        last_review: r.get(8)?,
                    },
                    content_hash: r.get(9)?,
                    buried_until: r.get(10)?,
                },
            ))
        })?;
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

    fn insert_review(tx: &rusqlite::Transaction<'_>, review: &NewReview<'_>) -> Result<i64> {
        tx.prepare_cached(
            "INSERT INTO reviews (learner_id, card_key, session_id, reviewed_at, rating, verdict, score,
                                  response_ms, mode, phase_before, content_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
                review.learner_id,
                review.card_key,
                review.session_id,
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

    /// Records a rated answer and the card's new state in one durable
    /// transaction. Returns the review's id.
    pub fn record_review(&mut self, review: &NewReview<'_>, state: &CardState) -> Result<i64> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = Self::insert_review(&tx, review)?;
        let row = CardRow {
            state: state.clone(),
            content_hash: review.content_hash.to_owned(),
            buried_until: None,
        };
        Self::write_state(&tx, review.learner_id, review.card_key, &row)?;
        tx.commit()?;
        Ok(id)
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
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("UPDATE reviews SET undone = 1 WHERE id = ?1", [review_id])?;
        match previous {
            Some(row) => Self::write_state(&tx, learner_id, key, row)?,
            None => {
                tx.execute(
                    "DELETE FROM card_states WHERE learner_id = ?1 AND card_key = ?2",
                    params![learner_id, key],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
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
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Self::write_state(&tx, learner_id, key, row)?;
        tx.commit()?;
        Ok(())
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
        self.conn().execute(
            "INSERT INTO sessions (learner_id, mode, started_at) VALUES (?1, ?2, ?3)",
            params![learner_id, mode, now],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    pub fn end_session(&mut self, session_id: i64, now: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE sessions SET ended_at = ?1 WHERE id = ?2",
            params![now, session_id],
        )?;
        Ok(())
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
        let (new, reviews): (i64, i64) = self.conn().query_row(
            "SELECT coalesce(sum(phase_before = 0), 0), coalesce(sum(phase_before = 2), 0)
             FROM reviews WHERE learner_id = ?1 AND reviewed_at >= ?2 AND NOT undone AND mode = 'study'",
            params![learner_id, since],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
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
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = Self::insert_review(&tx, review)?;
        tx.commit()?;
        Ok(id)
    }

    /// The 错题本: cards whose latest quiz or contest answer was not right
    /// and that have not since been answered well in study.
    pub fn mistakes(&self, learner_id: i64) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT q.card_key FROM reviews q
             WHERE q.learner_id = ?1 AND NOT q.undone AND q.mode IN ('quiz', 'contest')
               AND q.verdict IN ('wrong', 'partial')
               AND q.id = (SELECT max(x.id) FROM reviews x
                           WHERE x.learner_id = q.learner_id AND x.card_key = q.card_key
                             AND NOT x.undone AND x.mode IN ('quiz', 'contest'))
               AND NOT EXISTS (SELECT 1 FROM reviews s
                               WHERE s.learner_id = q.learner_id AND s.card_key = q.card_key
                                 AND NOT s.undone AND s.mode = 'study' AND s.id > q.id AND s.rating >= 3)",
        )?;
        let keys = stmt.query_map([learner_id], |r| r.get::<_, String>(0))?;
        Ok(keys.collect::<rusqlite::Result<_>>()?)
    }
}
