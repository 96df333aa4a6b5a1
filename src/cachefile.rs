//! Files in the cache folder (compiled decks, card-state snapshots): read
//! by mapping, written whole by rename. At 50k cards a start reads 9 MB of
//! them; read into fresh memory, every page of that is a page fault (a few
//! microseconds each on a virtual machine, a tenth of the start), while a
//! mapping of a file already in the page cache is set up in one call.

use std::path::Path;

/// A cache file's bytes, or None when it cannot be opened or mapped (an
/// empty file cannot be mapped: no cache is that short).
pub fn map(path: &Path) -> Option<memmap2::Mmap> {
    let file = std::fs::File::open(path).ok()?;
    map_open(&file)
}

/// [`map`] of a file already open.
pub fn map_open(file: &std::fs::File) -> Option<memmap2::Mmap> {
    // SAFETY: a mapping is undefined behaviour only if the file changes
    // while mapped. Cache files are never written in place: `write` below
    // makes a new file and renames it over the old one, and a mapping
    // keeps the file it was made of. Every byte read from it is still
    // checked (checksums, lengths) as if it could be anything.
    unsafe { memmap2::MmapOptions::new().populate().map(file) }.ok()
}

/// Writes `bytes` to `path` as a whole, best effort: a temporary file in
/// the same folder, then a rename, so a reader sees the old file or the
/// new one. A cache that cannot be written costs only speed.
pub fn write(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}
