//! Who hosts a contest: the hosting process claims it and beats a heart
//! in the database, so a second terminal cannot host (`--resume`) a
//! contest that is still running, and `dangke contests` can tell a running
//! contest from an interrupted one. A host that died stops beating and is
//! taken over after `STALE` seconds.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};
use crate::store::Store;

/// A host silent this long (seconds) is gone.
pub(crate) const STALE: i64 = 10;
/// How often a host says it is alive.
const BEAT: Duration = Duration::from_secs(2);

/// The real clock in seconds: liveness is about this machine's processes,
/// not the contest's (possibly fixed) clock.
pub(crate) fn wall_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Whether a host that last beat at `beat` is alive.
pub(crate) fn alive(beat: i64) -> bool {
    wall_now() - beat < STALE
}

/// The claim on a contest, held while it is hosted; dropped, it stops
/// beating and gives the contest up.
pub(super) struct Lease {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Claims contest `id` for this process, or says who runs it already.
pub(super) fn claim(store: &mut Store, db: &Path, id: i64) -> Result<Lease> {
    let pid = i64::from(std::process::id());
    if let Some(other) = store.claim_contest(id, pid, wall_now(), STALE)? {
        return Err(Error::Usage(format!(
            "第 {id} 场竞赛正在另一个终端主持（进程 {}，{} 秒前仍在运行），不能同时在两处主持。\
             请在那个终端继续；若它已经关闭或卡住，结束那个进程，{STALE} 秒后再用 dangke contest --resume {id} 接手。",
            other.pid,
            (wall_now() - other.beat).max(0)
        )));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let db: PathBuf = db.to_owned();
    let thread = std::thread::spawn(move || beat(&db, id, pid, &flag));
    Ok(Lease {
        stop,
        thread: Some(thread),
    })
}

/// Beats until stopped, then gives the contest up. Failures are ignored:
/// at worst the contest looks interrupted while it runs.
fn beat(db: &Path, id: i64, pid: i64, stop: &AtomicBool) {
    let Ok(mut store) = Store::open(db) else {
        return;
    };
    let mut last = std::time::Instant::now();
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        if last.elapsed() >= BEAT {
            last = std::time::Instant::now();
            store.contest_beat(id, pid, wall_now()).ok();
        }
    }
    store.release_contest(id, pid).ok();
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A host is alive while its last beat is younger than STALE seconds;
    /// an older beat is a host that went away.
    #[test]
    fn a_host_is_alive_until_its_beat_is_stale() {
        let now = wall_now();
        assert!(alive(now));
        assert!(alive(now - STALE + 2));
        assert!(!alive(now - STALE - 2));
        assert!(!alive(now - 3600));
    }
}
