//! A compiled cache of parsed decks, so start-up does not grow with deck
//! size: a 50k-card deck is 7 MB of TOML (hundreds of milliseconds to
//! parse) but decodes from this binary form in a few milliseconds.
//!
//! One file per user deck file in the cache dir, named by a hash of the
//! deck's path, plus one for the shipped decks. A cached deck is used only
//! when everything matches: the format and the deck code this binary was
//! built with, the deck file's size, mtime and content hash (the file is
//! always read and hashed), and a checksum of the cached bytes; the decoder
//! also checks every length and index. Anything else means a re-parse and a
//! new cache file. Writing is best effort (temporary file, then rename):
//! a cache that cannot be written costs only speed.
//!
//! The payload is the structure section's length, the structure section
//! (counts, tags, indices, and each string's byte length) and the string
//! section: every string's bytes, in the order their lengths appear. The
//! string section is validated as UTF-8 once, as a whole; each string is
//! then split off it at its length, which must fall on a character
//! boundary.

use std::path::{Path, PathBuf};

use super::{Body, Card, Citation, Deck, FillPart, ListItem, Origin, Quote, SourceDoc};

/// Bumped when the encoding changes.
const MAGIC: &[u8; 8] = b"DKDECK\x00\x02";

/// A hash of the deck code and shipped decks this binary was built from
/// (computed by build.rs), so a new parser never trusts an old cache.
const BUILD_ID: u64 = super::library::DECK_BUILD_ID;

/// What a deck file looked like when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: u64,
    /// What else the file system says changes with the file (see
    /// [`change_sign`]); 0 when it says nothing.
    pub change: u64,
    pub hash: u64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata, bytes: &[u8]) -> Stamp {
        Stamp {
            size: bytes.len() as u64,
            mtime_ns: mtime_ns(meta),
            change: change_sign(meta),
            hash: fast_hash(bytes),
        }
    }
}

fn mtime_ns(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

/// The inode, device and status-change time: a file replaced or written
/// changes them even when a tool puts its old mtime back (`cp -p`,
/// `touch -d`, `tar x`), as git's index relies on.
#[cfg(unix)]
fn change_sign(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut sign = [0u8; 32];
    for (i, word) in [
        meta.ino(),
        meta.dev(),
        meta.ctime() as u64,
        meta.ctime_nsec() as u64,
    ]
    .into_iter()
    .enumerate()
    {
        sign[i * 8..i * 8 + 8].copy_from_slice(&word.to_le_bytes());
    }
    fast_hash(&sign) | 1
}

/// Elsewhere the creation time (a file replaced is a new file); 0 where
/// the file system does not keep it, and then the file is always hashed.
#[cfg(not(unix))]
fn change_sign(meta: &std::fs::Metadata) -> u64 {
    meta.created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| fast_hash(&d.as_nanos().to_le_bytes()) | 1)
}

/// A deck file modified this close to the cache's writing (or later) may
/// have changed within one tick of a coarse clock (FAT keeps 2 s): it is
/// read and hashed rather than trusted by its stamp (git's "racy" rule).
const RACY_NS: u64 = 3_000_000_000;

/// A 64-bit hash over 32-byte blocks in four lanes (several GB/s), for
/// telling whether a deck file changed. Not cryptographic: it guards
/// against edits, not attacks (the cache is the user's own).
pub fn fast_hash(bytes: &[u8]) -> u64 {
    const K: [u64; 4] = [
        0x9E37_79B9_7F4A_7C15,
        0xC2B2_AE3D_27D4_EB4F,
        0x1656_67B1_9E37_79F9,
        0x85EB_CA77_C2B2_AE63,
    ];
    let mut lanes = K;
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (i, lane) in lanes.iter_mut().enumerate() {
            let word = u64::from_le_bytes(block[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
            *lane = (*lane ^ word).wrapping_mul(K[i]).rotate_left(31);
        }
    }
    let mut h = bytes.len() as u64;
    for (i, lane) in lanes.iter().enumerate() {
        h = (h ^ lane.wrapping_mul(K[(i + 1) % 4])).rotate_left(27);
    }
    for &b in blocks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^ (h >> 29)
}

/// The cache file for a user deck file.
fn user_file(dir: &Path, deck_file: &Path) -> PathBuf {
    let name = fast_hash(deck_file.to_string_lossy().as_bytes());
    dir.join(format!("deck-{name:016x}.bin"))
}

fn shipped_file(dir: &Path) -> PathBuf {
    dir.join(format!("shipped-{BUILD_ID:016x}.bin"))
}

/// The decks cached for `deck_file`, if the cache matches `stamp`.
/// Found so, the cache is stamped again with the file's change sign and
/// its time of writing, so the next start can leave the file unread.
pub fn load_user(dir: &Path, deck_file: &Path, stamp: Stamp) -> Option<Vec<Deck>> {
    let path = user_file(dir, deck_file);
    let file = std::fs::File::open(&path).ok()?;
    let written = file.metadata().map_or(0, |m| mtime_ns(&m));
    let bytes = crate::cachefile::map_open(&file)?;
    let payload = open(&bytes, Check::Content(stamp))?;
    let decks = decode(payload, &|_| Some(Origin::File(deck_file.to_owned())))?;
    let sign_at = HEADER - 8;
    if stamp.change != 0
        && (bytes[sign_at..HEADER] != stamp.change.to_le_bytes()
            || stamp.mtime_ns.saturating_add(RACY_NS) >= written)
    {
        let mut copy = bytes.to_vec();
        copy[sign_at..HEADER].copy_from_slice(&stamp.change.to_le_bytes());
        // Unmapped and closed first: Windows does not replace a file
        // that is open or mapped.
        drop(bytes);
        drop(file);
        crate::cachefile::write(&path, &copy);
    }
    Some(decks)
}

/// The decks cached for `deck_file` without reading it (at 50k cards a
/// 7 MB read and hash on every start): when its size, mtime and change
/// sign are those cached and it was last modified well before the cache
/// was written. None means: read the file and try [`load_user`].
pub fn load_user_unread(
    dir: &Path,
    deck_file: &Path,
    meta: &std::fs::Metadata,
) -> Option<Vec<Deck>> {
    let (mtime, change) = (mtime_ns(meta), change_sign(meta));
    let file = std::fs::File::open(user_file(dir, deck_file)).ok()?;
    let written = mtime_ns(&file.metadata().ok()?);
    if mtime == 0 || change == 0 || mtime.saturating_add(RACY_NS) >= written {
        return None;
    }
    let bytes = crate::cachefile::map_open(&file)?;
    let payload = open(
        &bytes,
        Check::Signs {
            size: meta.len(),
            mtime_ns: mtime,
            change,
        },
    )?;
    decode(payload, &|_| Some(Origin::File(deck_file.to_owned())))
}

pub fn store_user(dir: &Path, deck_file: &Path, stamp: Stamp, decks: &[&Deck]) {
    write(&user_file(dir, deck_file), stamp, decks);
}

/// The shipped decks, decoded from the cache written by an earlier run of
/// this very binary.
pub fn load_shipped(dir: &Path) -> Option<Vec<Deck>> {
    let bytes = crate::cachefile::map(&shipped_file(dir))?;
    let payload = open(&bytes, Check::Content(SHIPPED_STAMP))?;
    decode(payload, &|i| {
        super::library::SHIPPED
            .get(i)
            .map(|f| Origin::Shipped(f.path))
    })
}

pub fn store_shipped(dir: &Path, decks: &[&Deck]) {
    let current = shipped_file(dir);
    // Caches of other builds are never read again.
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("shipped-") && entry.path() != current {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    write(&current, SHIPPED_STAMP, decks);
}

/// The shipped decks are part of the build: the build id covers them.
const SHIPPED_STAMP: Stamp = Stamp {
    size: 0,
    mtime_ns: 0,
    change: 0,
    hash: BUILD_ID,
};

/// The magic, then seven words: build id, size, mtime, content hash,
/// payload length, payload checksum, change sign.
const HEADER: usize = 8 + 7 * 8;

/// What a cache must match besides its own checksum and build.
enum Check {
    /// The deck file as read: its size, mtime and content hash.
    Content(Stamp),
    /// The deck file unread: its size, mtime and change sign.
    Signs {
        size: u64,
        mtime_ns: u64,
        change: u64,
    },
}

/// Checks the header and checksum; returns the payload.
fn open(bytes: &[u8], check: Check) -> Option<&[u8]> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return None;
    }
    let word = |i: usize| {
        let at = 8 + i * 8;
        u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]))
    };
    let payload = &bytes[HEADER..];
    let file_ok = match check {
        Check::Content(stamp) => {
            word(1) == stamp.size && word(2) == stamp.mtime_ns && word(3) == stamp.hash
        }
        Check::Signs {
            size,
            mtime_ns,
            change,
        } => word(1) == size && word(2) == mtime_ns && word(6) == change,
    };
    let ok = file_ok
        && word(0) == BUILD_ID
        && word(4) == payload.len() as u64
        && word(5) == fast_hash(payload);
    ok.then_some(payload)
}

fn write(path: &Path, stamp: Stamp, decks: &[&Deck]) {
    let Some(payload) = encode(decks) else {
        return;
    };
    crate::cachefile::write(path, &sealed(stamp, &payload));
}

/// The whole file: header (with the payload's checksum), then payload.
fn sealed(stamp: Stamp, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    for word in [
        BUILD_ID,
        stamp.size,
        stamp.mtime_ns,
        stamp.hash,
        payload.len() as u64,
        fast_hash(payload),
        stamp.change,
    ] {
        out.extend_from_slice(&word.to_le_bytes());
    }
    out.extend_from_slice(payload);
    out
}

/// The structure section and the string section being written. A length
/// that does not fit the format's u32 marks the whole encoding unusable
/// (nothing is cached) rather than being written truncated.
#[derive(Default)]
struct Writer {
    buf: Vec<u8>,
    text: String,
    too_big: bool,
}

impl Writer {
    fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        let v = u32::try_from(n).unwrap_or_else(|_| {
            self.too_big = true;
            0
        });
        self.u32(v);
    }
    /// A string: its length in the structure, its bytes at the end of the
    /// string section.
    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.text.push_str(s);
    }
    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.buf.push(1);
                self.str(s);
            }
            None => self.buf.push(0),
        }
    }
    fn strs(&mut self, v: &[String]) {
        self.len(v.len());
        v.iter().for_each(|s| self.str(s));
    }
    fn pos(&mut self, (a, b): (usize, usize)) {
        self.len(a);
        self.len(b);
    }
    /// The payload: the structure's length, the structure, the strings.
    fn finish(self) -> Option<Vec<u8>> {
        let structure = u32::try_from(self.buf.len()).ok()?;
        if self.too_big || u32::try_from(self.text.len()).is_err() {
            return None;
        }
        let mut payload = Vec::with_capacity(4 + self.buf.len() + self.text.len());
        payload.extend_from_slice(&structure.to_le_bytes());
        payload.extend_from_slice(&self.buf);
        payload.extend_from_slice(self.text.as_bytes());
        Some(payload)
    }
}

/// The payload for `decks`, or None when something is too big for the
/// format.
fn encode(decks: &[&Deck]) -> Option<Vec<u8>> {
    let mut w = Writer::default();
    w.len(decks.len());
    for deck in decks {
        encode_deck(&mut w, deck);
    }
    w.finish()
}

fn encode_deck(w: &mut Writer, deck: &Deck) {
    w.str(&deck.id);
    w.str(&deck.title);
    w.opt(deck.description.as_deref());
    w.strs(&deck.tags);
    w.len(deck.sources.len());
    for s in &deck.sources {
        w.str(&s.id);
        w.str(&s.title);
    }
    w.pos(deck.id_position);
    w.len(deck.cards.len());
    for card in &deck.cards {
        encode_card(w, card);
    }
}

fn encode_card(w: &mut Writer, card: &Card) {
    w.str(&card.id);
    w.str(&card.prompt);
    w.opt(card.explain.as_deref());
    w.strs(&card.tags);
    w.len(card.line);
    match &card.source {
        None => w.buf.push(0),
        Some(c) => {
            w.buf.push(1);
            w.str(&c.doc);
            w.len(c.quotes.len());
            for q in &c.quotes {
                w.str(&q.text);
                w.pos(q.position);
            }
        }
    }
    match &card.body {
        Body::Qa { answer, accept } => {
            w.buf.push(0);
            w.str(answer);
            w.strs(accept);
        }
        Body::Fill { parts } => {
            w.buf.push(1);
            w.len(parts.len());
            for part in parts {
                match part {
                    FillPart::Text(t) => {
                        w.buf.push(0);
                        w.str(t);
                    }
                    FillPart::Blank(v) => {
                        w.buf.push(1);
                        w.strs(v);
                    }
                }
            }
        }
        Body::Choice { options, answer } => {
            w.buf.push(2);
            w.strs(options);
            w.len(*answer);
        }
        Body::Multi { options, answers } => {
            w.buf.push(3);
            w.strs(options);
            w.len(answers.len());
            answers.iter().for_each(|&a| w.len(a));
        }
        Body::Judge { answer } => {
            w.buf.push(4);
            w.buf.push(u8::from(*answer));
        }
        Body::List { items, ordered } => {
            w.buf.push(5);
            w.len(items.len());
            for item in items {
                w.str(&item.text);
                w.strs(&item.accept);
            }
            w.buf.push(u8::from(*ordered));
        }
    }
}

/// A bounds-checked reader over a part of the structure section and the
/// matching part of the (already validated) string section: every method
/// returns None past the end or on a value that cannot be right.
struct Reader<'a> {
    b: &'a [u8],
    s: &'a str,
}

impl<'a> Reader<'a> {
    fn u8(&mut self) -> Option<u8> {
        let (&head, rest) = self.b.split_first()?;
        self.b = rest;
        Some(head)
    }
    fn len(&mut self) -> Option<usize> {
        let (head, rest) = self.b.split_first_chunk::<4>()?;
        self.b = rest;
        Some(u32::from_le_bytes(*head) as usize)
    }
    /// A count of items, each at least one byte: never more than remain.
    fn count(&mut self) -> Option<usize> {
        self.len().filter(|&n| n <= self.b.len())
    }
    /// The next string of the string section. Splitting checks that the
    /// end falls on a character boundary (the start is the previous end),
    /// so a length that cuts a character is rejected.
    fn str(&mut self) -> Option<String> {
        let n = self.len()?;
        let (head, rest) = self.s.split_at_checked(n)?;
        self.s = rest;
        Some(head.to_owned())
    }
    fn opt(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => self.str().map(Some),
            _ => None,
        }
    }
    fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn strs(&mut self) -> Option<Vec<String>> {
        let n = self.count()?;
        (0..n).map(|_| self.str()).collect()
    }
    fn pos(&mut self) -> Option<(usize, usize)> {
        Some((self.len()?, self.len()?))
    }
}

fn decode(payload: &[u8], origin: &dyn Fn(usize) -> Option<Origin>) -> Option<Vec<Deck>> {
    let (structure, rest) = payload.split_first_chunk::<4>()?;
    let (structure, strings) = rest.split_at_checked(u32::from_le_bytes(*structure) as usize)?;
    // The cache is only checksummed, so its strings are validated all the
    // same, but once for the whole section: per string, the call overhead
    // dominated on short strings.
    let strings = simdutf8::basic::from_utf8(strings).ok()?;
    let mut r = Reader {
        b: structure,
        s: strings,
    };
    let n = r.count()?;
    let mut decks = Vec::with_capacity(n);
    for i in 0..n {
        decks.push(decode_deck(&mut r, origin(i)?)?);
    }
    (r.b.is_empty() && r.s.is_empty()).then_some(decks)
}

fn decode_deck(r: &mut Reader<'_>, origin: Origin) -> Option<Deck> {
    let id = r.str()?;
    let title = r.str()?;
    let description = r.opt()?;
    let tags = r.strs()?;
    let n = r.count()?;
    let sources = (0..n)
        .map(|_| {
            Some(SourceDoc {
                id: r.str()?,
                title: r.str()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let id_position = r.pos()?;
    let n = r.count()?;
    let cards = (0..n).map(|_| decode_card(r)).collect::<Option<Vec<_>>>()?;
    Some(Deck {
        id,
        title,
        description,
        tags,
        sources,
        cards,
        origin,
        id_position,
    })
}

fn decode_card(r: &mut Reader<'_>) -> Option<Card> {
    let id = r.str()?;
    let prompt = r.str()?;
    let explain = r.opt()?;
    let tags = r.strs()?;
    let line = r.len()?;
    let source = match r.u8()? {
        0 => None,
        1 => {
            let doc = r.str()?;
            let n = r.count()?;
            let quotes = (0..n)
                .map(|_| {
                    Some(Quote {
                        text: r.str()?,
                        position: r.pos()?,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Citation { doc, quotes })
        }
        _ => return None,
    };
    let body = match r.u8()? {
        0 => Body::Qa {
            answer: r.str()?,
            accept: r.strs()?,
        },
        1 => {
            let n = r.count()?;
            let parts = (0..n)
                .map(|_| match r.u8()? {
                    0 => r.str().map(FillPart::Text),
                    1 => r.strs().map(FillPart::Blank),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Body::Fill { parts }
        }
        2 => {
            let options = r.strs()?;
            let answer = r.len().filter(|&a| a < options.len())?;
            Body::Choice { options, answer }
        }
        3 => {
            let options = r.strs()?;
            let n = r.count()?;
            let answers = (0..n)
                .map(|_| r.len().filter(|&a| a < options.len()))
                .collect::<Option<Vec<_>>>()?;
            Body::Multi { options, answers }
        }
        4 => Body::Judge { answer: r.bool()? },
        5 => {
            let n = r.count()?;
            let items = (0..n)
                .map(|_| {
                    Some(ListItem {
                        text: r.str()?,
                        accept: r.strs()?,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Body::List {
                items,
                ordered: r.bool()?,
            }
        }
        _ => return None,
    };
    Some(Card {
        id,
        prompt,
        body,
        explain,
        source,
        tags,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Library;

    fn shipped() -> Vec<Deck> {
        Library::load(&[]).expect("shipped decks").0.decks
    }

    #[test]
    fn shipped_decks_round_trip_exactly() {
        let dir = tempfile::tempdir().expect("temp dir");
        let decks = shipped();
        store_shipped(dir.path(), &decks.iter().collect::<Vec<_>>());
        assert_eq!(load_shipped(dir.path()), Some(decks));
    }

    #[test]
    fn a_changed_file_or_a_damaged_cache_is_not_trusted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let decks = shipped();
        let deck = &decks[0];
        let file = Path::new("/decks/a.toml");
        let stamp = Stamp {
            size: 10,
            mtime_ns: 20,
            change: 0,
            hash: 30,
        };
        store_user(dir.path(), file, stamp, &[deck]);
        let origin = Origin::File(file.to_owned());
        let got = load_user(dir.path(), file, stamp).expect("a matching cache is used");
        assert_eq!(got[0].cards, deck.cards);
        assert_eq!(got[0].origin, origin);
        for changed in [
            Stamp { size: 11, ..stamp },
            Stamp {
                mtime_ns: 21,
                ..stamp
            },
            Stamp { hash: 31, ..stamp },
        ] {
            assert_eq!(load_user(dir.path(), file, changed), None, "{changed:?}");
        }
        assert_eq!(
            load_user(dir.path(), Path::new("/decks/b.toml"), stamp),
            None
        );
        // Every single flipped byte is caught (header, checksum or payload).
        let path = user_file(dir.path(), file);
        let good = std::fs::read(&path).expect("cache file");
        for at in (0..good.len()).step_by(97) {
            let mut bad = good.clone();
            bad[at] ^= 0x40;
            std::fs::write(&path, &bad).expect("write");
            assert_eq!(load_user(dir.path(), file, stamp), None, "byte {at}");
        }
        // Truncated, and garbage that passes no check, never panic.
        std::fs::write(&path, &good[..good.len() / 2]).expect("write");
        assert_eq!(load_user(dir.path(), file, stamp), None);
    }

    #[test]
    fn the_decoder_rejects_out_of_range_values_even_with_a_valid_checksum() {
        let mut deck = shipped().remove(0);
        deck.cards.truncate(1);
        deck.cards[0].body = Body::Choice {
            options: vec!["甲".into()],
            answer: 0,
        };
        let mut payload = encode(&[&deck]).expect("encodes");
        let origin = |_| Some(Origin::Shipped("x"));
        assert!(decode(&payload, &origin).is_some());
        // The answer index is the last four bytes of the structure: point
        // it past the options.
        let end = 4 + u32_at(&payload, 0);
        payload[end - 4] = 1;
        assert!(decode(&payload, &origin).is_none());
        // A huge count must not allocate or loop: it is more than remains.
        let mut huge = vec![20, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F];
        huge.extend([0u8; 16]);
        assert!(decode(&huge, &origin).is_none());
    }

    fn u32_at(bytes: &[u8], at: usize) -> usize {
        u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize
    }

    #[test]
    fn fast_hash_sees_every_byte() {
        let base = vec![7u8; 100];
        let h = fast_hash(&base);
        for i in 0..base.len() {
            let mut v = base.clone();
            v[i] ^= 1;
            assert_ne!(fast_hash(&v), h, "byte {i}");
        }
        assert_ne!(fast_hash(&base[..99]), h);
    }
}
