-- Schema 010: a log of which card states changed, kept by triggers, so a
-- study start can take every card state from a snapshot in the cache
-- folder and read from the database only the states changed since it was
-- taken (see store/snapshot.rs): at 50k cards reading every state was
-- half of a start.
--
-- seq only grows (rows are pruned from the oldest end, never the newest),
-- and each row has a random nonce: a snapshot names the seq and nonce of
-- the newest row it includes, and is trusted only while that very row is
-- still in the file (a restored backup or another file at the same path
-- has no such row). The triggers log every write whatever program makes
-- it.
CREATE TABLE state_changes (
    seq        INTEGER PRIMARY KEY,
    learner_id INTEGER NOT NULL,
    card_key   TEXT NOT NULL,
    nonce      INTEGER NOT NULL
);

-- The first row: a snapshot of the states as they are now can name it.
INSERT INTO state_changes (learner_id, card_key, nonce) VALUES (0, '', random());

CREATE TRIGGER state_changes_insert AFTER INSERT ON card_states
BEGIN
    INSERT INTO state_changes (learner_id, card_key, nonce)
    VALUES (NEW.learner_id, NEW.card_key, random());
END;

CREATE TRIGGER state_changes_update AFTER UPDATE ON card_states
BEGIN
    INSERT INTO state_changes (learner_id, card_key, nonce)
    VALUES (NEW.learner_id, NEW.card_key, random());
    -- A row moved to another key or learner leaves its old place empty.
    INSERT INTO state_changes (learner_id, card_key, nonce)
    SELECT OLD.learner_id, OLD.card_key, random()
    WHERE OLD.learner_id IS NOT NEW.learner_id OR OLD.card_key IS NOT NEW.card_key;
END;

CREATE TRIGGER state_changes_delete AFTER DELETE ON card_states
BEGIN
    INSERT INTO state_changes (learner_id, card_key, nonce)
    VALUES (OLD.learner_id, OLD.card_key, random());
END;
