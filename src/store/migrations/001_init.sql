-- dangke progress database, schema version 1.

CREATE TABLE learners (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    desired_retention REAL NOT NULL DEFAULT 0.9,
    exam_date         TEXT,              -- YYYY-MM-DD, or NULL
    parameters        TEXT,              -- FSRS-6 parameters as JSON, or NULL for the defaults
    created_at        INTEGER NOT NULL   -- Unix seconds
);

-- One row per learner and card: the card's current scheduling state.
-- Cards are identified by "deck-id/card-id", so moving a card between
-- files keeps its state, and a removed card's row stays (orphaned).
CREATE TABLE card_states (
    learner_id   INTEGER NOT NULL REFERENCES learners(id),
    card_key     TEXT NOT NULL,
    phase        INTEGER NOT NULL,       -- 0 new, 1 learning, 2 review, 3 relearning
    step         INTEGER NOT NULL DEFAULT 0,
    stability    REAL,
    difficulty   REAL,
    due          INTEGER NOT NULL,
    reps         INTEGER NOT NULL DEFAULT 0,
    lapses       INTEGER NOT NULL DEFAULT 0,
    last_review  INTEGER,
    content_hash TEXT NOT NULL,          -- hash of the card as last reviewed
    buried_until INTEGER,
    PRIMARY KEY (learner_id, card_key)
) WITHOUT ROWID;

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    learner_id INTEGER NOT NULL REFERENCES learners(id),
    mode       TEXT NOT NULL,            -- study | quiz | contest
    started_at INTEGER NOT NULL,
    ended_at   INTEGER
);

-- Append-only: every rated answer. An undone rating is marked, never deleted.
CREATE TABLE reviews (
    id           INTEGER PRIMARY KEY,
    learner_id   INTEGER NOT NULL REFERENCES learners(id),
    card_key     TEXT NOT NULL,
    session_id   INTEGER REFERENCES sessions(id),
    reviewed_at  INTEGER NOT NULL,
    rating       INTEGER NOT NULL,       -- 1 again, 2 hard, 3 good, 4 easy
    verdict      TEXT NOT NULL,          -- correct | close | partial | wrong
    score        REAL NOT NULL,
    response_ms  INTEGER NOT NULL,
    mode         TEXT NOT NULL,          -- study | quiz | contest
    phase_before INTEGER NOT NULL,       -- the card's phase when it was answered
    content_hash TEXT NOT NULL,
    undone       INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX reviews_by_learner_time ON reviews (learner_id, reviewed_at);
CREATE INDEX reviews_by_card ON reviews (learner_id, card_key, reviewed_at);
CREATE INDEX card_states_by_due ON card_states (learner_id, due);
