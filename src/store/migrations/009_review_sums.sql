-- Schema 009: review sums kept by triggers, so `stats` reads a few
-- thousand small rows instead of every review of the last twelve weeks
-- (and of all time, for the total: review_totals).
--
-- One row per learner, deck and 15-minute slot (the slot's first second,
-- Unix time, a multiple of 900): every UTC offset in use is a whole number
-- of quarter hours, so a study day (from 04:00 local) is a whole number of
-- slots and the sums per day are exact. Only reviews not undone count.
-- The triggers keep the sums whatever program writes the review log.
CREATE TABLE review_sums (
    learner_id    INTEGER NOT NULL,
    deck_id       TEXT NOT NULL,     -- the card key before its first '/', '' if none
    slot          INTEGER NOT NULL,
    reviews       INTEGER NOT NULL,  -- answers
    mature        INTEGER NOT NULL,  -- of them, of cards in review (phase_before = 2)
    mature_passed INTEGER NOT NULL,  -- of those, rated 2-4
    PRIMARY KEY (learner_id, slot, deck_id)  -- a range of slots is one scan
) WITHOUT ROWID;

-- Each learner's reviews of all time, so the total is not a sum over
-- every slot since the first review.
CREATE TABLE review_totals (
    learner_id INTEGER PRIMARY KEY,
    reviews    INTEGER NOT NULL
);

INSERT INTO review_totals (learner_id, reviews)
SELECT learner_id, count(*) FROM reviews WHERE undone = 0 GROUP BY learner_id;

INSERT INTO review_sums (learner_id, deck_id, slot, reviews, mature, mature_passed)
SELECT learner_id,
       substr(card_key, 1, instr(card_key, '/') - 1),
       reviewed_at - ((reviewed_at % 900) + 900) % 900,
       count(*),
       sum(phase_before = 2),
       sum(phase_before = 2 AND rating IN (2, 3, 4))
FROM reviews
WHERE undone = 0
GROUP BY 1, 2, 3;

CREATE TRIGGER review_sums_insert AFTER INSERT ON reviews WHEN NEW.undone = 0
BEGIN
    INSERT INTO review_sums (learner_id, deck_id, slot, reviews, mature, mature_passed)
    VALUES (NEW.learner_id,
            substr(NEW.card_key, 1, instr(NEW.card_key, '/') - 1),
            NEW.reviewed_at - ((NEW.reviewed_at % 900) + 900) % 900,
            1,
            NEW.phase_before = 2,
            NEW.phase_before = 2 AND NEW.rating IN (2, 3, 4))
    ON CONFLICT (learner_id, slot, deck_id) DO UPDATE SET
        reviews = reviews + excluded.reviews,
        mature = mature + excluded.mature,
        mature_passed = mature_passed + excluded.mature_passed;
    INSERT INTO review_totals (learner_id, reviews) VALUES (NEW.learner_id, 1)
    ON CONFLICT (learner_id) DO UPDATE SET reviews = reviews + 1;
END;

-- A review taken out of the sums: undone, deleted, or about to change.
CREATE TRIGGER review_sums_delete AFTER DELETE ON reviews WHEN OLD.undone = 0
BEGIN
    UPDATE review_sums SET
        reviews = reviews - 1,
        mature = mature - (OLD.phase_before = 2),
        mature_passed = mature_passed - (OLD.phase_before = 2 AND OLD.rating IN (2, 3, 4))
    WHERE learner_id = OLD.learner_id
      AND deck_id = substr(OLD.card_key, 1, instr(OLD.card_key, '/') - 1)
      AND slot = OLD.reviewed_at - ((OLD.reviewed_at % 900) + 900) % 900;
    UPDATE review_totals SET reviews = reviews - 1 WHERE learner_id = OLD.learner_id;
END;

CREATE TRIGGER review_sums_update_old
AFTER UPDATE OF learner_id, card_key, reviewed_at, rating, phase_before, undone ON reviews
WHEN OLD.undone = 0
BEGIN
    UPDATE review_sums SET
        reviews = reviews - 1,
        mature = mature - (OLD.phase_before = 2),
        mature_passed = mature_passed - (OLD.phase_before = 2 AND OLD.rating IN (2, 3, 4))
    WHERE learner_id = OLD.learner_id
      AND deck_id = substr(OLD.card_key, 1, instr(OLD.card_key, '/') - 1)
      AND slot = OLD.reviewed_at - ((OLD.reviewed_at % 900) + 900) % 900;
    UPDATE review_totals SET reviews = reviews - 1 WHERE learner_id = OLD.learner_id;
END;

CREATE TRIGGER review_sums_update_new
AFTER UPDATE OF learner_id, card_key, reviewed_at, rating, phase_before, undone ON reviews
WHEN NEW.undone = 0
BEGIN
    INSERT INTO review_sums (learner_id, deck_id, slot, reviews, mature, mature_passed)
    VALUES (NEW.learner_id,
            substr(NEW.card_key, 1, instr(NEW.card_key, '/') - 1),
            NEW.reviewed_at - ((NEW.reviewed_at % 900) + 900) % 900,
            1,
            NEW.phase_before = 2,
            NEW.phase_before = 2 AND NEW.rating IN (2, 3, 4))
    ON CONFLICT (learner_id, slot, deck_id) DO UPDATE SET
        reviews = reviews + excluded.reviews,
        mature = mature + excluded.mature,
        mature_passed = mature_passed + excluded.mature_passed;
    INSERT INTO review_totals (learner_id, reviews) VALUES (NEW.learner_id, 1)
    ON CONFLICT (learner_id) DO UPDATE SET reviews = reviews + 1;
END;
