//! Contest results: each host action appended as it happens, the teams'
//! standings updated in the same transaction, so a contest cannot be lost.

use rusqlite::params;

use super::{Result, Store};
use crate::contest::engine::{LogEntry, Team};

/// A past contest with its teams.
#[derive(Debug, Clone, PartialEq)]
pub struct ContestRow {
    pub id: i64,
    pub title: String,
    pub seed: i64,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub teams: Vec<TeamRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    pub name: String,
    pub score: i64,
    pub right: u32,
    pub wrong: u32,
}

impl Store {
    pub fn create_contest(
        &mut self,
        title: &str,
        seed: u64,
        teams: &[Team],
        at: i64,
    ) -> Result<i64> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO contests (title, seed, started_at) VALUES (?1, ?2, ?3)",
                params![title, seed as i64, at],
            )?;
            let id = tx.last_insert_rowid();
            for (i, team) in teams.iter().enumerate() {
                tx.execute(
                    "INSERT INTO contest_teams (contest_id, idx, name, score) VALUES (?1, ?2, ?3, ?4)",
                    params![id, i as i64, team.name, team.score],
                )?;
            }
            Ok(id)
        })
    }

    /// Appends new log entries, marks undone ones, and stores the current
    /// standings, all at once. Returns the ids of the new entries.
    pub fn save_contest(
        &mut self,
        contest_id: i64,
        new: &[LogEntry],
        undone: &[i64],
        teams: &[Team],
    ) -> Result<Vec<i64>> {
        self.write(|tx| Self::save_contest_in(tx, contest_id, new, undone, teams))
    }

    fn save_contest_in(
        tx: &rusqlite::Transaction<'_>,
        contest_id: i64,
        new: &[LogEntry],
        undone: &[i64],
        teams: &[Team],
    ) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(new.len());
        for e in new {
            tx.execute(
                "INSERT INTO contest_actions (contest_id, at, round, question, action, team, delta, text, missed, undone)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    contest_id,
                    e.at,
                    e.round,
                    e.question,
                    e.action,
                    e.team.map(|t| t as i64),
                    e.delta,
                    e.text,
                    e.missed,
                    e.undone
                ],
            )?;
            ids.push(tx.last_insert_rowid());
        }
        for id in undone {
            tx.execute("UPDATE contest_actions SET undone = 1 WHERE id = ?1", [id])?;
        }
        for (i, t) in teams.iter().enumerate() {
            tx.execute(
                "UPDATE contest_teams SET score = ?3, answered_right = ?4, answered_wrong = ?5, fouls = ?6
                 WHERE contest_id = ?1 AND idx = ?2",
                params![contest_id, i as i64, t.score, t.right, t.wrong, t.fouls],
            )?;
        }
        Ok(ids)
    }

    pub fn finish_contest(&mut self, contest_id: i64, at: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE contests SET ended_at = ?1 WHERE id = ?2",
                params![at, contest_id],
            )?;
            Ok(())
        })
    }

    /// Past contests, newest first.
    pub fn contests(&self) -> Result<Vec<ContestRow>> {
        // A file from before contests (version 2), opened only to read.
        if !self.tables()?.iter().any(|t| t == "contests") {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn().prepare(
            "SELECT id, title, seed, started_at, ended_at FROM contests ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ContestRow {
                id: r.get(0)?,
                title: r.get(1)?,
                seed: r.get(2)?,
                started_at: r.get(3)?,
                ended_at: r.get(4)?,
                teams: Vec::new(),
            })
        })?;
        let mut out: Vec<ContestRow> = rows.collect::<rusqlite::Result<_>>()?;
        for c in &mut out {
            c.teams = self.contest_teams(c.id)?;
        }
        Ok(out)
    }

    fn contest_teams(&self, contest_id: i64) -> Result<Vec<TeamRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT name, score, answered_right, answered_wrong FROM contest_teams WHERE contest_id = ?1 ORDER BY idx",
        )?;
        let rows = stmt.query_map([contest_id], |r| {
            Ok(TeamRow {
                name: r.get(0)?,
                score: r.get(1)?,
                right: r.get(2)?,
                wrong: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every recorded action of a contest, in order.
    pub fn contest_log(&self, contest_id: i64) -> Result<Vec<LogEntry>> {
        let mut stmt = self.conn().prepare(
            "SELECT at, round, question, action, team, delta, text, undone, missed
             FROM contest_actions WHERE contest_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([contest_id], |r| {
            Ok(LogEntry {
                at: r.get(0)?,
                round: r.get(1)?,
                question: r.get(2)?,
                action: r.get(3)?,
                team: r.get::<_, Option<i64>>(4)?.map(|t| t as usize),
                delta: r.get(5)?,
                text: r.get(6)?,
                undone: r.get(7)?,
                missed: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
