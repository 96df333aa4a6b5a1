//! A compiled cache of parsed decks, so start-up does not grow with deck
//! size: a 50k-card deck is 7 MB of TOML (hundreds of milliseconds to
//! parse) but decodes from this binary form in a few milliseconds.
//!
//! One file per user deck file in the cache dir, named by a hash of the
//! deck's path, plus one for the shipped decks. A cached deck is used only
//! when everything matches: the format and the deck code this binary was
//! built with, the deck file (see below), and a checksum of the cached
//! bytes; the decoder also checks every length and index. Anything else
//! means a re-parse and a new cache file. Writing is best effort
//! (temporary file, then rename): a cache that cannot be written costs
//! only speed. Cache files are mapped, not read (see `cachefile`).
//!
//! The deck file is matched by its size, mtime and a change sign (inode,
//! device and ctime; none off Unix, see `change_sign`) without being read, as
//! git's index does; a file modified within [`RACY_NS`] of the cache's
//! writing (a coarse clock could hide an edit) or with no change sign is
//! read and matched by its size, mtime and content hash instead, and the
//! cache is then stamped again so the next start can leave it unread.
//!
//! The payload is the structure section's length, the structure section
//! (counts, tags, indices, and each string's byte length) and the string
//! section: every string's bytes, in the order their lengths appear. The
//! string section is validated as UTF-8 once, as a whole; each string is
//! then split off it at its length, which must fall on a character
//! boundary. A count is checked against the bytes left before anything is
//! allocated for it, and vectors get exactly their length.
//!
//! A deck's cards come in chunks (512 cards when written), after a card
//! index that gives each chunk's number of cards and the bytes its cards
//! take in the structure and in the string section. Each chunk is decoded
//! on its own and must end exactly at its last card, and the chunks must
//! add up to the deck's card count: a damaged index rejects the cache. The
//! chunks from a big deck's middle card on can be decoded on a second
//! thread and appended, giving the same cards as one thread; that is off
//! (see `PARALLEL_CARDS`): it measured slower.

use std::path::{Path, PathBuf};

use crate::hash::fast_hash;

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

/// Elsewhere none: Windows keeps a file's creation time when it is
/// written in place, and even when it is replaced within seconds ("file
/// tunneling"), so nothing there tells an edit whose old mtime was put
/// back; such files are always read and hashed, as before.
#[cfg(not(unix))]
fn change_sign(_meta: &std::fs::Metadata) -> u64 {
    0
}

/// A deck file modified this close to the cache's writing (or later) may
/// have changed within one tick of a coarse clock (FAT keeps 2 s): it is
/// read and hashed rather than trusted by its stamp (git's "racy" rule).
const RACY_NS: u64 = 3_000_000_000;

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

/// The magic, then seven words (see `cachefile::frame`): build id, size,
/// mtime, content hash, payload length, payload checksum, change sign.
const HEADER: usize = crate::cachefile::HEADER;

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
    let (word, payload) = crate::cachefile::unframe(bytes, MAGIC)?;
    let word = |i: usize| word[i];
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
    crate::cachefile::frame(
        MAGIC,
        [
            BUILD_ID,
            stamp.size,
            stamp.mtime_ns,
            stamp.hash,
            payload.len() as u64,
            fast_hash(payload),
            stamp.change,
        ],
        payload,
    )
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
    /// Overwrites the length written at `at`.
    fn patch(&mut self, at: usize, n: usize) {
        let v = u32::try_from(n).unwrap_or_else(|_| {
            self.too_big = true;
            0
        });
        if let Some(slot) = self.buf.get_mut(at..at + 4) {
            slot.copy_from_slice(&v.to_le_bytes());
        }
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
    // The card index: per chunk of cards, its number of cards and the
    // bytes its cards take in the structure and in the string section,
    // filled in once the chunk is written.
    let chunks = deck.cards.chunks(CHUNK);
    w.len(chunks.len());
    let index = w.buf.len();
    w.buf.resize(index + chunks.len() * CHUNK_BYTES, 0);
    for (i, chunk) in chunks.enumerate() {
        let (b, s) = (w.buf.len(), w.text.len());
        for card in chunk {
            encode_card(w, card);
        }
        let at = index + i * CHUNK_BYTES;
        w.patch(at, chunk.len());
        w.patch(at + 4, w.buf.len() - b);
        w.patch(at + 8, w.text.len() - s);
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

/// Cards per chunk of a deck's card index, when writing (the reader takes
/// whatever chunks the index lists).
const CHUNK: usize = 512;

/// From how many cards a deck would decode the second half of its chunks
/// on a second thread: never, by default. At 50k cards on a 2-core machine
/// (shared with other builds) it did not pay: starts were 4–5 ms slower
/// while the cache was read into fresh memory, and within noise of one
/// thread once it was mapped (study 0–3 ms faster, `decks` 0–3 ms slower,
/// 1170 more page faults). The new thread's glibc arena grows one page
/// (one mprotect) at a time, and that half's cards are faulted into a
/// vector of their own, then copied over. The split is kept, and tested,
/// for a machine where it pays: `Some(2048)`.
const PARALLEL_CARDS: Option<usize> = None;

/// The fewest structure bytes one item takes, so that a count can be
/// checked against what remains before anything is allocated for it.
const STR_BYTES: usize = 4;
const SOURCE_BYTES: usize = 2 * STR_BYTES;
const QUOTE_BYTES: usize = STR_BYTES + 8;
const PART_BYTES: usize = 1 + 4;
const ITEM_BYTES: usize = STR_BYTES + 4;
const ANSWER_BYTES: usize = 4;
const CHUNK_BYTES: usize = 3 * 4;
/// Id, prompt, explain tag, tag count, line, source tag, and the smallest
/// body (a judge card: kind and answer).
const CARD_BYTES: usize = 2 * STR_BYTES + 1 + 4 + 4 + 1 + 2;
/// Id, title, description tag, tag count, source count, id position,
/// card count, chunk count.
const DECK_BYTES: usize = 2 * STR_BYTES + 1 + 4 + 4 + 8 + 4 + 4;

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
    /// A count of items that take at least `min` bytes each: never more
    /// than the rest of the structure can hold, so a damaged count cannot
    /// make a big allocation or a long loop.
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.len()?;
        (n.checked_mul(min)? <= self.b.len()).then_some(n)
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
    /// `count` items, each read by `item`, into a vector of exactly that
    /// capacity (none allocated when empty).
    fn many<T>(&mut self, min: usize, item: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.count(min)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(item(self)?);
        }
        Some(v)
    }
    fn strs(&mut self) -> Option<Vec<String>> {
        self.many(STR_BYTES, Self::str)
    }
    fn pos(&mut self) -> Option<(usize, usize)> {
        Some((self.len()?, self.len()?))
    }
    /// Whether everything was read.
    fn done(&self) -> bool {
        self.b.is_empty() && self.s.is_empty()
    }
}

fn decode(payload: &[u8], origin: &dyn Fn(usize) -> Option<Origin>) -> Option<Vec<Deck>> {
    decode_with(payload, origin, PARALLEL_CARDS)
}

/// [`decode`], with decks of at least `parallel` cards decoded on two
/// threads.
fn decode_with(
    payload: &[u8],
    origin: &dyn Fn(usize) -> Option<Origin>,
    parallel: Option<usize>,
) -> Option<Vec<Deck>> {
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
    let n = r.count(DECK_BYTES)?;
    let mut decks = Vec::with_capacity(n);
    for i in 0..n {
        decks.push(decode_deck(&mut r, origin(i)?, parallel)?);
    }
    r.done().then_some(decks)
}

fn decode_deck(r: &mut Reader<'_>, origin: Origin, parallel: Option<usize>) -> Option<Deck> {
    let id = r.str()?;
    let title = r.str()?;
    let description = r.opt()?;
    let tags = r.strs()?;
    let sources = r.many(SOURCE_BYTES, |r| {
        Some(SourceDoc {
            id: r.str()?,
            title: r.str()?,
        })
    })?;
    let id_position = r.pos()?;
    let cards = decode_cards(r, parallel)?;
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

/// One chunk of a deck's cards: how many, and where they are in the
/// structure and string bytes of the deck's cards.
struct Chunk {
    cards: usize,
    b: std::ops::Range<usize>,
    s: std::ops::Range<usize>,
}

/// A deck's cards: the card count, the card index, then the cards. Each
/// chunk of the index is decoded on its own and must end exactly at its
/// end, and the chunks must add up to the card count, so any damage to
/// the index rejects the cache; decoding by chunks on one thread or two
/// gives the same cards. A deck of at least `parallel` cards decodes the
/// chunks from its middle card on on a second thread.
fn decode_cards(r: &mut Reader<'_>, parallel: Option<usize>) -> Option<Vec<Card>> {
    let n = r.count(CARD_BYTES)?;
    let k = r.count(CHUNK_BYTES)?;
    let mut chunks = Vec::with_capacity(k);
    let (mut total, mut b_end, mut s_end) = (0usize, 0usize, 0usize);
    // The first chunk that starts at or past the middle card.
    let mut half = k;
    for i in 0..k {
        if total >= n.div_ceil(2) && half == k {
            half = i;
        }
        let cards = r.len()?;
        let (b, s) = (b_end, s_end);
        total = total.checked_add(cards)?;
        b_end = b_end.checked_add(r.len()?)?;
        s_end = s_end.checked_add(r.len()?)?;
        chunks.push(Chunk {
            cards,
            b: b..b_end,
            s: s..s_end,
        });
    }
    if total != n {
        return None;
    }
    let (b, b_rest) = r.b.split_at_checked(b_end)?;
    let (s, s_rest) = r.s.split_at_checked(s_end)?;
    (r.b, r.s) = (b_rest, s_rest);

    let mut cards = Vec::with_capacity(n);
    crate::cachefile::prefault(cards.spare_capacity_mut());
    let two = parallel.is_some_and(|from| n >= from);
    let (first, second) = chunks.split_at(if two { half } else { k });
    if second.is_empty() {
        decode_chunks(&mut cards, b, s, first)?;
        return Some(cards);
    }
    let second_cards = second.iter().map(|c| c.cards).sum();
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new().spawn_scoped(scope, || {
            let mut later = Vec::with_capacity(second_cards);
            decode_chunks(&mut later, b, s, second).map(|()| later)
        });
        match spawned {
            Ok(handle) => {
                let earlier = decode_chunks(&mut cards, b, s, first);
                let mut later = handle.join().ok().flatten();
                earlier?;
                cards.append(later.as_mut()?);
            }
            // No thread to be had: all on this one.
            Err(_) => decode_chunks(&mut cards, b, s, &chunks)?,
        }
        Some(())
    })?;
    Some(cards)
}

/// Appends the cards of `chunks` (ranges into the deck's card bytes `b`
/// and strings `s`) to `cards`.
fn decode_chunks(cards: &mut Vec<Card>, b: &[u8], s: &str, chunks: &[Chunk]) -> Option<()> {
    for chunk in chunks {
        let mut r = Reader {
            b: b.get(chunk.b.clone())?,
            s: s.get(chunk.s.clone())?,
        };
        for _ in 0..chunk.cards {
            cards.push(decode_card(&mut r)?);
        }
        if !r.done() {
            return None;
        }
    }
    Some(())
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
            let quotes = r.many(QUOTE_BYTES, |r| {
                Some(Quote {
                    text: r.str()?,
                    position: r.pos()?,
                })
            })?;
            Some(Citation { doc, quotes })
        }
        _ => return None,
    };
    let body = match r.u8()? {
        0 => Body::Qa {
            answer: r.str()?,
            accept: r.strs()?,
        },
        1 => Body::Fill {
            parts: r.many(PART_BYTES, |r| match r.u8()? {
                0 => r.str().map(FillPart::Text),
                1 => r.strs().map(FillPart::Blank),
                _ => None,
            })?,
        },
        2 => {
            let options = r.strs()?;
            let answer = r.len().filter(|&a| a < options.len())?;
            Body::Choice { options, answer }
        }
        3 => {
            let options = r.strs()?;
            let answers = r.many(ANSWER_BYTES, |r| r.len().filter(|&a| a < options.len()))?;
            Body::Multi { options, answers }
        }
        4 => Body::Judge { answer: r.bool()? },
        5 => Body::List {
            items: r.many(ITEM_BYTES, |r| {
                Some(ListItem {
                    text: r.str()?,
                    accept: r.strs()?,
                })
            })?,
            ordered: r.bool()?,
        },
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
mod tests;
