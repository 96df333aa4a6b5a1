-- Lean commits: every rated answer wrote five review b-trees and two card
-- state b-trees. Keep only what a query uses:
--   reviews_by_learner_time (learner_id, reviewed_at, undone, mode): the
--     review log since a day (stats, optimize, daily limits) and the
--     review counts, from the index alone;
--   reviews_by_mode: the 错题本 (quiz and contest answers, and later study
--     answers of the same card);
--   card_states: its primary key (a learner's states are read whole).
DROP INDEX IF EXISTS reviews_by_card;
DROP INDEX IF EXISTS reviews_by_undone;
DROP INDEX IF EXISTS card_states_by_due;
DROP INDEX IF EXISTS reviews_by_learner_time;
CREATE INDEX reviews_by_learner_time ON reviews (learner_id, reviewed_at, undone, mode);
