//! Live group quizzes: each session's joins, answers and host steps are
//! appended as events, committed before a participant is told they were
//! accepted, and replayed to resume a session or export it again.

use rusqlite::params;

use super::{Result, Store};

/// A past or running live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveRow {
    pub id: i64,
    pub title: String,
    pub room: String,
    pub seed: u64,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    /// How many joined.
    pub participants: i64,
}

/// One stored event (see `008_live.sql` for what each column means per
/// kind).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveEvent {
    pub at: i64,
    pub kind: String,
    pub participant: Option<i64>,
    pub q: Option<i64>,
    pub text: Option<String>,
    pub token: Option<String>,
    pub team: Option<String>,
    pub mark: Option<String>,
    pub points: Option<i64>,
}

/// A stored session, ready to be replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveReplay {
    pub row: LiveRow,
    pub spec: Option<String>,
    pub events: Vec<LiveEvent>,
}

const ROW: &str = "SELECT id, title, room, seed, started_at, ended_at,
        (SELECT count(*) FROM live_events e WHERE e.live_id = lives.id AND e.kind = 'join')
     FROM lives";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LiveRow> {
    Ok(LiveRow {
        id: r.get(0)?,
        title: r.get(1)?,
        room: r.get(2)?,
        seed: r.get::<_, i64>(3)? as u64,
        started_at: r.get(4)?,
        ended_at: r.get(5)?,
        participants: r.get(6)?,
    })
}

impl Store {
    /// Records a new session; `spec` is the live file's text (`None` for
    /// the preset), kept so the session can be resumed.
    pub fn create_live(
        &mut self,
        title: &str,
        room: &str,
        seed: u64,
        spec: Option<&str>,
        at: i64,
    ) -> Result<i64> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO lives (title, room, seed, spec, started_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![title, room, seed as i64, spec, at],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Appends events in one transaction (one commit for a burst of
    /// answers).
    pub fn append_live_events(&mut self, live_id: i64, events: &[LiveEvent]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO live_events (live_id, at_ms, kind, participant, q, text, token, team, mark, points)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for e in events {
                stmt.execute(params![
                    live_id,
                    e.at,
                    e.kind,
                    e.participant,
                    e.q,
                    e.text,
                    e.token,
                    e.team,
                    e.mark,
                    e.points
                ])?;
            }
            Ok(())
        })
    }

    pub fn finish_live(&mut self, live_id: i64, at: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE lives SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
                params![live_id, at],
            )?;
            Ok(())
        })
    }

    /// Every session, newest first. A database from before live quizzes
    /// has none.
    pub fn lives(&self) -> Result<Vec<LiveRow>> {
        if !self.tables()?.iter().any(|t| t == "lives") {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn().prepare(&format!("{ROW} ORDER BY id DESC"))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A session's rules and events, in order.
    pub fn live_replay(&self, live_id: i64) -> Result<Option<LiveReplay>> {
        if !self.tables()?.iter().any(|t| t == "lives") {
            return Ok(None);
        }
        let found = self
            .conn()
            .query_row(&format!("{ROW} WHERE id = ?1"), [live_id], row)
            .ok();
        let Some(row) = found else {
            return Ok(None);
        };
        let spec: Option<String> = self
            .one::<Option<String>>("SELECT spec FROM lives WHERE id = ?1", [live_id])?
            .flatten();
        let mut stmt = self.conn().prepare(
            "SELECT at_ms, kind, participant, q, text, token, team, mark, points
             FROM live_events WHERE live_id = ?1 ORDER BY id",
        )?;
        let events = stmt
            .query_map([live_id], |r| {
                Ok(LiveEvent {
                    at: r.get(0)?,
                    kind: r.get(1)?,
                    participant: r.get(2)?,
                    q: r.get(3)?,
                    text: r.get(4)?,
                    token: r.get(5)?,
                    team: r.get(6)?,
                    mark: r.get(7)?,
                    points: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(LiveReplay { row, spec, events }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_kept_in_order_and_sessions_listed_newest_first() {
        let mut store = Store::open_in_memory().unwrap();
        let a = store.create_live("甲", "123456", 7, None, 100).unwrap();
        let b = store
            .create_live("乙", "654321", 8, Some("[live]"), 200)
            .unwrap();
        let join = LiveEvent {
            at: 5,
            kind: "join".into(),
            participant: Some(0),
            text: Some("张三".into()),
            token: Some("t".into()),
            ..LiveEvent::default()
        };
        let answer = LiveEvent {
            at: 9,
            kind: "answer".into(),
            participant: Some(0),
            q: Some(0),
            text: Some("B".into()),
            mark: Some("right".into()),
            points: Some(120),
            ..LiveEvent::default()
        };
        store
            .append_live_events(b, &[join.clone(), answer.clone()])
            .unwrap();
        store.finish_live(a, 300).unwrap();
        let lives = store.lives().unwrap();
        assert_eq!(lives.iter().map(|l| l.id).collect::<Vec<_>>(), vec![b, a]);
        assert_eq!(lives[0].participants, 1);
        assert_eq!(lives[1].ended_at, Some(300));
        let replay = store.live_replay(b).unwrap().unwrap();
        assert_eq!(replay.spec.as_deref(), Some("[live]"));
        assert_eq!(replay.row.room, "654321");
        assert_eq!(replay.events, vec![join, answer]);
        assert!(store.live_replay(99).unwrap().is_none());
    }
}
