-- Resuming an interrupted contest: the contest file it was played with
-- (NULL for the built-in preset) and every host input that changed it, in
-- order, so the contest can be replayed to where it stopped.

ALTER TABLE contests ADD COLUMN spec TEXT;

CREATE TABLE contest_inputs (
    id         INTEGER PRIMARY KEY,
    contest_id INTEGER NOT NULL REFERENCES contests(id),
    at         INTEGER NOT NULL,
    input      TEXT NOT NULL
);

CREATE INDEX contest_inputs_by_contest ON contest_inputs (contest_id, id);
