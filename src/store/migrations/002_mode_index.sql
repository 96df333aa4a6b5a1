-- Quiz and contest answers are looked up for the 错题本 at every session
-- start; without this index that meant scanning the whole review log.
CREATE INDEX reviews_by_mode ON reviews (learner_id, mode, card_key, id);
-- Counting a learner's reviews (stats, learners) from the index alone.
CREATE INDEX reviews_by_undone ON reviews (learner_id, undone);
