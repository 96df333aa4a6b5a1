-- Schema 008: live group quizzes. Every join, answer and host step is one
-- row of live_events, appended (and committed) as it happens, so a killed
-- server rebuilds the session by replaying them.

CREATE TABLE lives (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    room       TEXT NOT NULL,            -- the 6-digit room code
    seed       INTEGER NOT NULL,
    spec       TEXT,                     -- the live file's text; NULL: the preset
    started_at INTEGER NOT NULL,         -- Unix seconds
    ended_at   INTEGER
);

CREATE TABLE live_events (
    id          INTEGER PRIMARY KEY,
    live_id     INTEGER NOT NULL REFERENCES lives(id),
    at_ms       INTEGER NOT NULL,        -- milliseconds of session time
    kind        TEXT NOT NULL,           -- join, answer, next, reveal, tick, end, reopen
    participant INTEGER,                 -- index in join order
    q           INTEGER,                 -- question index in the paper
    text        TEXT,                    -- join: the name given; answer: the answer
    token       TEXT,                    -- join: the participant's resume token
    team        TEXT,
    mark        TEXT,                    -- answer: right, partial, wrong
    points      INTEGER                  -- answer: points; reopen: session time before the restart
);

CREATE INDEX live_events_by_live ON live_events (live_id, id);
