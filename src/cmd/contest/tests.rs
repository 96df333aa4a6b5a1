//! Saving and replaying a contest the way `--resume` and `--screen` do.

use super::*;

fn library() -> Library {
    Library::load(&[]).unwrap().0
}

/// Plays `inputs` (instant, typed) into a saved preset contest; returns
/// the store and the contest id.
fn saved(library: &Library, inputs: &[(i64, &str)]) -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    let pool = entries(library, &CardFilter::default());
    let mut contest = Contest::new(ContestSpec::preset(), library, pool, 5);
    let id = store
        .create_contest("t", 5, &contest.state.teams, 0, None)
        .unwrap();
    let mut recorder = Recorder {
        store: Some(&mut store),
        contest_id: id,
        ids: Vec::new(),
        undone: Vec::new(),
    };
    for (at, typed) in inputs {
        let action = parse_action(typed).unwrap();
        apply_and_save(&mut contest, &mut recorder, &action, typed, *at)
            .unwrap()
            .unwrap();
    }
    drop(recorder);
    (store, id)
}

#[test]
fn a_replay_rebuilds_the_clock_with_pauses_and_added_time() {
    let lib = library();
    // The first question at 100 (30 s), paused at 107, running again at 115,
    // 30 s added at 118.
    let (store, id) = saved(&lib, &[(100, "n"), (100, "n"), (107, "p")]);
    let (contest, _) = replay(&store, id, &lib).unwrap();
    assert!(contest.state.paused, "the pause is saved and replayed");
    assert_eq!(contest.state.clock, 23);

    let (store, id) = saved(
        &lib,
        &[(100, "n"), (100, "n"), (107, "p"), (115, "p"), (118, "]")],
    );
    let (contest, _) = replay(&store, id, &lib).unwrap();
    assert!(!contest.state.paused);
    assert_eq!(
        contest.state.clock,
        23 - 3 + 30,
        "paused time does not count"
    );
}
