//! Review sums per deck and 15-minute slot, kept by triggers in the same
//! transaction as every review (migration 009): what `stats` reads instead
//! of the review log.

use rusqlite::params;

use super::{Result, Store};

/// The sums of one deck's reviews in one 15-minute slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotSums {
    /// The card key's part before its first '/' ('' when it has none).
    pub deck: String,
    /// The slot's first second (Unix time, a multiple of 900).
    pub slot: i64,
    pub reviews: u64,
    /// Answers to cards that were in review (not learning).
    pub mature: u64,
    /// Of those, the ones not rated 重来.
    pub passed: u64,
}

/// Seconds in a slot.
pub const SLOT: i64 = 900;

impl Store {
    /// A learner's reviews of all time (not undone) and their sums in
    /// every slot from `since` (a slot boundary) on; `None` when the file
    /// predates the sums (opened only to read, so not migrated yet).
    pub fn review_sums(&self, learner_id: i64, since: i64) -> Result<Option<(i64, Vec<SlotSums>)>> {
        let kept = self
            .one::<i64>(
                "SELECT count(*) FROM sqlite_schema
                 WHERE type = 'table' AND name IN ('review_sums', 'review_totals')",
                [],
            )?
            .unwrap_or(0);
        if kept < 2 {
            return Ok(None);
        }
        let total = self
            .one(
                "SELECT reviews FROM review_totals WHERE learner_id = ?1",
                [learner_id],
            )?
            .unwrap_or(0);
        let mut stmt = self.conn().prepare_cached(
            "SELECT deck_id, slot, reviews, mature, mature_passed FROM review_sums
             WHERE learner_id = ?1 AND slot >= ?2 AND reviews > 0",
        )?;
        let rows = stmt.query_map(params![learner_id, since], |r| {
            Ok(SlotSums {
                deck: r.get(0)?,
                slot: r.get(1)?,
                reviews: r.get::<_, i64>(2)?.max(0) as u64,
                mature: r.get::<_, i64>(3)?.max(0) as u64,
                passed: r.get::<_, i64>(4)?.max(0) as u64,
            })
        })?;
        let slots = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some((total, slots)))
    }
}
