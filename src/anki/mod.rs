//! Anki packages (`.apkg`), so learners can study the decks on their phones
//! with AnkiDroid or AnkiMobile. Written by hand to Anki's documented
//! legacy format (a zip holding `collection.anki2`, schema 11, and a
//! `media` map) with our own rusqlite and the `zip` crate: `genanki-rs`
//! would bring a second, older rusqlite that cannot link beside ours.
//!
//! Every id is derived from the deck and card ids, never from the clock:
//! exporting again gives the same note GUIDs, so importing the new package
//! updates the notes already in Anki (keeping their reviews) instead of
//! adding copies. The notes' modification time is the export time, because
//! Anki updates a note only from a newer one.

mod collection;
pub mod fields;
pub mod html;
pub mod notetype;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha1::{Digest, Sha1};

use crate::deck::{Deck, Kind};
use collection::{AnkiDeck, AnkiNote, Contents};

/// The top deck in Anki; each exported deck goes below it.
pub const PARENT_DECK: &str = "党课学习卡";

/// What went wrong while writing a package.
#[derive(Debug, thiserror::Error)]
pub enum AnkiError {
    #[error("无法写入“{}”：{}", path.display(), crate::diag::io_reason(source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("生成 Anki 数据库失败：{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("生成 Anki 压缩包失败：{0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("没有要导出的卡片")]
    Empty,
}

/// What a package holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiSummary {
    pub decks: usize,
    pub notes: usize,
    /// Notes per kind, in [`Kind::ALL`] order, kinds without notes left out.
    pub by_kind: Vec<(Kind, usize)>,
}

/// Writes `decks` as an Anki package at `path`. `now` (seconds since the
/// epoch) stamps the notes, so a later export updates an earlier import.
/// The file appears whole or not at all: it is written beside `path` and
/// renamed.
pub fn write_apkg(decks: &[&Deck], path: &Path, now: i64) -> Result<AnkiSummary, AnkiError> {
    let (bytes, summary) = build_apkg(decks, now)?;
    let io = |source| AnkiError::Io {
        path: path.to_owned(),
        source,
    };
    let mut partial = path.as_os_str().to_owned();
    partial.push(".part");
    let partial = PathBuf::from(partial);
    let written = std::fs::File::create(&partial)
        .and_then(|mut f| f.write_all(&bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&partial, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(io(e));
    }
    Ok(summary)
}

/// The bytes of the package for `decks`, and what it holds.
pub fn build_apkg(decks: &[&Deck], now: i64) -> Result<(Vec<u8>, AnkiSummary), AnkiError> {
    let contents = contents(decks, now);
    if contents.notes.is_empty() {
        return Err(AnkiError::Empty);
    }
    let mut by_kind: Vec<(Kind, usize)> = Kind::ALL
        .iter()
        .map(|&k| (k, decks.iter().map(|d| d.count(k)).sum()))
        .collect();
    by_kind.retain(|(_, n)| *n > 0);
    let summary = AnkiSummary {
        decks: decks.len(),
        notes: contents.notes.len(),
        by_kind,
    };
    let db = collection::build(&contents)?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // A fixed date in the zip entries: the same decks give the same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    zip.start_file("collection.anki2", options)?;
    zip.write_all(&db).map_err(zip::result::ZipError::Io)?;
    // No pictures or sounds: an empty media map.
    zip.start_file("media", options)?;
    zip.write_all(b"{}").map_err(zip::result::ZipError::Io)?;
    let bytes = zip.finish()?.into_inner();
    Ok((bytes, summary))
}

/// The notes, decks and note types for `decks`.
fn contents(decks: &[&Deck], now: i64) -> Contents {
    let mut kinds: Vec<Kind> = Vec::new();
    let mut anki_decks = vec![AnkiDeck {
        id: deck_id(None),
        name: PARENT_DECK.to_owned(),
        description: String::new(),
    }];
    let mut notes = Vec::new();
    for deck in decks {
        let did = deck_id(Some(&deck.id));
        anki_decks.push(AnkiDeck {
            id: did,
            name: format!("{PARENT_DECK}::{}", deck_name(&deck.title)),
            description: deck
                .description
                .as_deref()
                .map(html::escape)
                .unwrap_or_default(),
        });
        for card in &deck.cards {
            let kind = card.kind();
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
            let mut tags: Vec<String> = Vec::new();
            for tag in deck.tags.iter().chain(&card.tags).map(|t| anki_tag(t)) {
                if !tag.is_empty() && !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            let note_id = stable_id(&["note", &deck.id, &card.id]);
            notes.push(AnkiNote {
                id: note_id,
                guid: guid(&deck.id, &card.id),
                notetype: notetype::note_type(kind).id(),
                tags,
                fields: fields::note_fields(deck, card),
                deck: did,
                card_id: stable_id(&["card", &deck.id, &card.id]),
            });
        }
    }
    kinds.sort();
    Contents {
        now,
        notetypes: kinds
            .into_iter()
            .map(|k| notetype::note_type(k).to_json(now))
            .collect(),
        decks: anki_decks,
        notes,
    }
}

/// The id of an exported deck in Anki (`None`: the parent deck).
fn deck_id(deck: Option<&str>) -> i64 {
    match deck {
        Some(id) => stable_id(&["deck", id]),
        None => stable_id(&["deck"]),
    }
}

/// A deck title as an Anki deck name: one line, and without `::`, which
/// would make a sub-deck.
fn deck_name(title: &str) -> String {
    crate::term::sanitize_line(title)
        .replace("::", "：")
        .trim()
        .to_owned()
}

/// A tag as Anki allows it: no spaces (they separate tags).
fn anki_tag(tag: &str) -> String {
    crate::term::sanitize_line(tag)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
}

/// The first 8 bytes of SHA-1 over the parts (each ended by U+001F).
fn digest(parts: &[&str]) -> u64 {
    let mut sha = Sha1::new();
    sha.update(b"dangke");
    for part in parts {
        sha.update([0x1f]);
        sha.update(part.as_bytes());
    }
    let d = sha.finalize();
    u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

/// A stable positive id below 2^53 (Anki's ids are JavaScript numbers in
/// places) and above 2^40, where Anki's own time-based ids are.
pub(crate) fn stable_id(parts: &[&str]) -> i64 {
    const LOW: u64 = 1 << 40;
    const HIGH: u64 = 1 << 53;
    (LOW + digest(parts) % (HIGH - LOW)) as i64
}

/// A note's GUID: a 64-bit hash of the deck id and card id written in
/// Anki's base-91 alphabet, as Anki writes its own.
pub fn guid(deck_id: &str, card_id: &str) -> String {
    const ALPHABET: &[u8] =
        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";
    let mut n = digest(&["guid", deck_id, card_id]);
    let mut out = Vec::new();
    loop {
        out.push(ALPHABET[(n % 91) as usize]);
        n /= 91;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_and_distinct() {
        let a = guid("wu-ge-bi-yu", "wu-ge-bi-yu-lie-ju");
        assert_eq!(a, guid("wu-ge-bi-yu", "wu-ge-bi-yu-lie-ju"));
        assert_ne!(a, guid("wu-ge-bi-yu", "wu-ge-bi-yu-duo-xuan"));
        // The deck id is part of it: the same card id in two decks differs.
        assert_ne!(a, guid("other", "wu-ge-bi-yu-lie-ju"));
        // Separators keep ("a-b", "c") and ("a", "b-c") apart.
        assert_ne!(guid("ab", "c"), guid("a", "bc"));
        assert!(!a.contains(' ') && !a.is_empty() && a.len() <= 10);
    }

    #[test]
    fn ids_stay_in_anki_range() {
        for i in 0..1000 {
            let id = stable_id(&["x", &i.to_string()]);
            assert!((1 << 40..1 << 53).contains(&id), "{id}");
        }
    }

    #[test]
    fn tags_and_deck_names_are_anki_safe() {
        assert_eq!(anki_tag("群众 路线\t二"), "群众_路线_二");
        assert_eq!(deck_name("甲::乙\n丙"), "甲：乙 丙");
    }
}
