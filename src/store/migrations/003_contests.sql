-- Knowledge contests: every host action is appended as it happens, and the
-- teams' standings are updated in the same transaction.

CREATE TABLE contests (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    seed       INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER
);

CREATE TABLE contest_teams (
    contest_id INTEGER NOT NULL REFERENCES contests(id),
    idx        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    score      INTEGER NOT NULL,
    answered_right INTEGER NOT NULL DEFAULT 0,
    answered_wrong INTEGER NOT NULL DEFAULT 0,
    fouls      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contest_id, idx)
);

CREATE TABLE contest_actions (
    id         INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contests(id),
    at         INTEGER NOT NULL,
    round      TEXT NOT NULL,
    question   TEXT,                 -- deck-id/card-id
    action     TEXT NOT NULL,        -- as the host typed it
    team       INTEGER,
    delta      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    missed     INTEGER NOT NULL DEFAULT 0,
    undone     INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX contest_actions_by_contest ON contest_actions (contest_id, id);
