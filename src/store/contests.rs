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
    pub fouls: u32,
}

/// A saved contest, ready to be replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    pub spec: Option<String>,
    pub seed: u64,
    pub inputs: Vec<(i64, String)>,
    pub log_ids: Vec<i64>,
}

/// The process hosting a contest, and when it last said it was alive
/// (seconds of the real clock, not the contest's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Host {
    pub pid: i64,
    pub beat: i64,
}

impl Store {
    /// Takes the host's place of a contest for process `pid`, unless
    /// another process said it was alive less than `stale` seconds before
    /// `now`: then that host is returned and nothing changes.
    pub fn claim_contest(
        &mut self,
        contest_id: i64,
        pid: i64,
        now: i64,
        stale: i64,
    ) -> Result<Option<Host>> {
        self.write(|tx| {
            let held: Option<Host> = tx
                .query_row(
                    "SELECT pid, beat FROM contest_hosts WHERE contest_id = ?1",
                    [contest_id],
                    |r| {
                        Ok(Host {
                            pid: r.get(0)?,
                            beat: r.get(1)?,
                        })
                    },
                )
                .ok();
            if let Some(h) = held
                && h.pid != pid
                && now - h.beat < stale
            {
                return Ok(Some(h));
            }
            tx.execute(
                "INSERT OR REPLACE INTO contest_hosts (contest_id, pid, beat) VALUES (?1, ?2, ?3)",
                params![contest_id, pid, now],
            )?;
            Ok(None)
        })
    }

    /// The host `pid` of a contest is still alive at `now`.
    pub fn contest_beat(&mut self, contest_id: i64, pid: i64, now: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE contest_hosts SET beat = ?3 WHERE contest_id = ?1 AND pid = ?2",
                params![contest_id, pid, now],
            )?;
            Ok(())
        })
    }

    /// The host `pid` of a contest has stopped.
    pub fn release_contest(&mut self, contest_id: i64, pid: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM contest_hosts WHERE contest_id = ?1 AND pid = ?2",
                params![contest_id, pid],
            )?;
            Ok(())
        })
    }

    /// The recorded host of a contest, if any (alive or not).
    pub fn contest_host(&self, contest_id: i64) -> Result<Option<Host>> {
        if !self.tables()?.iter().any(|t| t == "contest_hosts") {
            return Ok(None);
        }
        Ok(self
            .conn()
            .query_row(
                "SELECT pid, beat FROM contest_hosts WHERE contest_id = ?1",
                [contest_id],
                |r| {
                    Ok(Host {
                        pid: r.get(0)?,
                        beat: r.get(1)?,
                    })
                },
            )
            .ok())
    }

    /// Records a new contest; `spec` is the contest file's text (`None`
    /// for the preset), kept so the contest can be resumed.
    pub fn create_contest(
        &mut self,
        title: &str,
        seed: u64,
        teams: &[Team],
        at: i64,
        spec: Option<&str>,
    ) -> Result<i64> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO contests (title, seed, started_at, spec) VALUES (?1, ?2, ?3, ?4)",
                params![title, seed as i64, at, spec],
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

    /// Appends the host's input (kept for resuming) and the new log
    /// entries, marks undone ones, and stores the current standings, all at
    /// once. Returns the ids of the new entries.
    pub fn save_contest(
        &mut self,
        contest_id: i64,
        input: Option<(i64, &str)>,
        new: &[LogEntry],
        undone: &[i64],
        teams: &[Team],
    ) -> Result<Vec<i64>> {
        self.write(|tx| Self::save_contest_in(tx, contest_id, input, new, undone, teams))
    }

    fn save_contest_in(
        tx: &rusqlite::Transaction<'_>,
        contest_id: i64,
        input: Option<(i64, &str)>,
        new: &[LogEntry],
        undone: &[i64],
        teams: &[Team],
    ) -> Result<Vec<i64>> {
        if let Some((at, input)) = input {
            tx.execute(
                "INSERT INTO contest_inputs (contest_id, at, input) VALUES (?1, ?2, ?3)",
                params![contest_id, at, input],
            )?;
        }
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
            "SELECT name, score, answered_right, answered_wrong, fouls FROM contest_teams WHERE contest_id = ?1 ORDER BY idx",
        )?;
        let rows = stmt.query_map([contest_id], |r| {
            Ok(TeamRow {
                name: r.get(0)?,
                score: r.get(1)?,
                right: r.get(2)?,
                wrong: r.get(3)?,
                fouls: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What resuming a contest needs: its file's text (`None` for the
    /// preset), seed, the host's inputs `(at, input)` in order and the ids
    /// of its saved log entries in order.
    pub fn contest_replay(&self, contest_id: i64) -> Result<Replay> {
        let (spec, seed): (Option<String>, i64) = self.conn().query_row(
            "SELECT spec, seed FROM contests WHERE id = ?1",
            [contest_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut stmt = self
            .conn()
            .prepare("SELECT at, input FROM contest_inputs WHERE contest_id = ?1 ORDER BY id")?;
        let inputs = stmt
            .query_map([contest_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self
            .conn()
            .prepare("SELECT id FROM contest_actions WHERE contest_id = ?1 ORDER BY id")?;
        let log_ids = stmt
            .query_map([contest_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Replay {
            spec,
            seed: seed as u64,
            inputs,
            log_ids,
        })
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
