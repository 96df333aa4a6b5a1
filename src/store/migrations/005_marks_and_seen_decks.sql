-- Schema 006: cards a learner suspended or flagged, and the user decks the
-- database has seen (so a deck that is simply not loaded this time is not
-- reported as deleted).

CREATE TABLE card_marks (
    learner_id INTEGER NOT NULL REFERENCES learners(id),
    card_key   TEXT NOT NULL,
    suspended  INTEGER NOT NULL DEFAULT 0,  -- never shown in study until resumed
    flagged    INTEGER NOT NULL DEFAULT 0,  -- marked for the learner's attention
    PRIMARY KEY (learner_id, card_key)
) WITHOUT ROWID;

CREATE TABLE seen_decks (
    deck_id   TEXT PRIMARY KEY,
    origin    TEXT NOT NULL,                -- the file it was last loaded from
    last_seen INTEGER NOT NULL              -- Unix seconds
) WITHOUT ROWID;
