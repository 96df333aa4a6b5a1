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

/// Bytes of a cache file before its payload: an 8-byte magic naming the
/// kind and format, then seven little-endian words.
pub const HEADER: usize = 8 + 7 * 8;

/// A cache file's bytes: `magic`, the seven `words`, the payload.
pub fn frame(magic: &[u8; 8], words: [u64; 7], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(magic);
    for word in words {
        out.extend_from_slice(&word.to_le_bytes());
    }
    out.extend_from_slice(payload);
    out
}

/// The seven words and the payload of a file [`frame`] made with this
/// `magic`; None for a file too short or of another kind or format.
pub fn unframe<'a>(bytes: &'a [u8], magic: &[u8; 8]) -> Option<([u64; 7], &'a [u8])> {
    if bytes.len() < HEADER || &bytes[..8] != magic {
        return None;
    }
    let mut words = [0u64; 7];
    for (i, word) in words.iter_mut().enumerate() {
        let at = 8 + i * 8;
        *word = u64::from_le_bytes(bytes[at..at + 8].try_into().ok()?);
    }
    Some((words, &bytes[HEADER..]))
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

/// Has the kernel back a list's spare room with memory now, in one call,
/// instead of one page fault per page as the list is first written (a few
/// microseconds each on a virtual machine: the 10 MB list of a 50k-card
/// deck took 2 500 of them, a sixth of a start). Best effort: where this
/// is not supported (Linux before 5.14, other systems) pages come in as
/// they are written, as always. Returns whether the kernel did it.
pub fn prefault<T>(spare: &mut [std::mem::MaybeUninit<T>]) -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: sysconf only reads a system setting.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(0);
        if page == 0 {
            return false;
        }
        let start = spare.as_mut_ptr() as usize;
        let end = start + std::mem::size_of_val(spare);
        let (from, to) = (start.next_multiple_of(page), end / page * page);
        if to <= from + 16 * page {
            return false;
        }
        // SAFETY: the range is whole pages inside memory this process
        // owns and has not initialized (a list's spare capacity);
        // MADV_POPULATE_WRITE only maps them in, it changes no byte anyone
        // can rely on. An error (an old kernel) changes nothing.
        unsafe {
            libc::madvise(
                from as *mut libc::c_void,
                to - from,
                libc::MADV_POPULATE_WRITE,
            ) == 0
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = spare;
        false
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_frame_gives_back_its_words_and_payload_and_nothing_else() {
        let words = [1, 2, 3, u64::MAX, 5, 6, 7];
        let bytes = super::frame(b"DKTEST\x00\x01", words, "载荷".as_bytes());
        assert_eq!(bytes.len(), super::HEADER + "载荷".len());
        assert_eq!(
            super::unframe(&bytes, b"DKTEST\x00\x01"),
            Some((words, "载荷".as_bytes()))
        );
        assert_eq!(
            super::unframe(&bytes, b"DKTEST\x00\x02"),
            None,
            "another format"
        );
        assert_eq!(
            super::unframe(&bytes[..super::HEADER - 1], b"DKTEST\x00\x01"),
            None
        );
        let empty = super::frame(b"DKTEST\x00\x01", words, b"");
        assert_eq!(
            super::unframe(&empty, b"DKTEST\x00\x01"),
            Some((words, &b""[..]))
        );
    }

    /// Minor page faults of this process so far.
    #[cfg(target_os = "linux")]
    fn minor_faults() -> i64 {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
        // SAFETY: getrusage fills the struct it is given.
        unsafe {
            libc::getrusage(libc::RUSAGE_THREAD, usage.as_mut_ptr());
            usage.assume_init().ru_minflt
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_prefaulted_list_is_written_without_a_fault_per_page() {
        const LEN: usize = 32 << 20;
        let write = |prefault: bool| {
            let mut v: Vec<u8> = Vec::with_capacity(LEN);
            let done = prefault && super::prefault(v.spare_capacity_mut());
            let before = minor_faults();
            v.resize(LEN, 1);
            (
                done,
                minor_faults() - before,
                v.iter().map(|&b| usize::from(b)).sum::<usize>(),
            )
        };
        let (_, plain, sum) = write(false);
        assert_eq!(sum, LEN);
        let (done, prefaulted, sum) = write(true);
        assert_eq!(sum, LEN, "the list is whole");
        // Where memory comes in 4 KB pages (no transparent huge pages for
        // every mapping), 32 MB written page by page is 8 192 faults.
        if done && plain > 4000 {
            assert!(
                prefaulted < plain / 10,
                "{prefaulted} faults after prefaulting, {plain} without"
            );
        }
    }

    #[test]
    fn a_small_or_empty_list_is_left_alone() {
        let mut v: Vec<u64> = Vec::with_capacity(8);
        assert!(!super::prefault(v.spare_capacity_mut()));
        let mut v: Vec<u64> = Vec::new();
        assert!(!super::prefault(v.spare_capacity_mut()));
    }
}
