//! The `collection.anki2` inside a package: Anki's documented schema 11
//! (the legacy format every Anki and AnkiDroid still imports), built in an
//! in-memory SQLite database and returned as the file's bytes.

use rusqlite::{Connection, params};
use serde_json::{Map, Value, json};

use super::AnkiError;

const SCHEMA: &str = "
CREATE TABLE col (
    id integer primary key, crt integer not null, mod integer not null,
    scm integer not null, ver integer not null, dty integer not null,
    usn integer not null, ls integer not null, conf text not null,
    models text not null, decks text not null, dconf text not null,
    tags text not null
);
CREATE TABLE notes (
    id integer primary key, guid text not null, mid integer not null,
    mod integer not null, usn integer not null, tags text not null,
    flds text not null, sfld integer not null, csum integer not null,
    flags integer not null, data text not null
);
CREATE TABLE cards (
    id integer primary key, nid integer not null, did integer not null,
    ord integer not null, mod integer not null, usn integer not null,
    type integer not null, queue integer not null, due integer not null,
    ivl integer not null, factor integer not null, reps integer not null,
    lapses integer not null, left integer not null, odue integer not null,
    odid integer not null, flags integer not null, data text not null
);
CREATE TABLE revlog (
    id integer primary key, cid integer not null, usn integer not null,
    ease integer not null, ivl integer not null, lastIvl integer not null,
    factor integer not null, time integer not null, type integer not null
);
CREATE TABLE graves (
    usn integer not null, oid integer not null, type integer not null
);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";

/// A deck as it goes into the collection.
pub struct AnkiDeck {
    pub id: i64,
    pub name: String,
    pub description: String,
}

/// A note with its one card.
pub struct AnkiNote {
    pub id: i64,
    pub guid: String,
    pub notetype: i64,
    /// Tags, already free of spaces.
    pub tags: Vec<String>,
    pub fields: Vec<String>,
    pub deck: i64,
    pub card_id: i64,
}

/// Everything one package holds.
pub struct Contents {
    /// Seconds since the epoch: creation and modification time.
    pub now: i64,
    pub notetypes: Vec<Value>,
    pub decks: Vec<AnkiDeck>,
    pub notes: Vec<AnkiNote>,
}

/// The bytes of `collection.anki2` for `contents`.
pub fn build(contents: &Contents) -> Result<Vec<u8>, AnkiError> {
    let mut db = Connection::open_in_memory()?;
    db.execute_batch(SCHEMA)?;
    let now = contents.now;
    let tx = db.transaction()?;
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![
            now,
            now.saturating_mul(1000),
            conf(contents.decks.first().map_or(1, |d| d.id)).to_string(),
            models(&contents.notetypes).to_string(),
            decks(&contents.decks, now).to_string(),
            dconf().to_string(),
        ],
    )?;
    {
        let mut note = tx.prepare(
            "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)
             VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')",
        )?;
        let mut card = tx.prepare(
            "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor,
                                reps, lapses, left, odue, odid, flags, data)
             VALUES (?1, ?2, ?3, 0, ?4, -1, 0, 0, ?5, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        )?;
        for (position, n) in contents.notes.iter().enumerate() {
            let first = n.fields.first().map_or("", String::as_str);
            let tags = if n.tags.is_empty() {
                String::new()
            } else {
                format!(" {} ", n.tags.join(" "))
            };
            note.execute(params![
                n.id,
                n.guid,
                n.notetype,
                now,
                tags,
                n.fields.join("\u{1f}"),
                super::html::strip(first),
                super::html::checksum(first),
            ])?;
            // New cards come in the order of the decks: due is the position.
            card.execute(params![n.card_id, n.id, n.deck, now, position as i64 + 1])?;
        }
    }
    tx.commit()?;
    let data = db.serialize(rusqlite::MAIN_DB)?;
    Ok(data.to_vec())
}

/// The collection's settings (`col.conf`).
fn conf(current_deck: i64) -> Value {
    json!({
        "activeDecks": [current_deck],
        "curDeck": current_deck,
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": true,
        "dueCounts": true,
        "curModel": null,
        "nextPos": 1,
        "sortType": "noteFld",
        "sortBackwards": false,
        "addToCur": true,
    })
}

fn models(notetypes: &[Value]) -> Value {
    let mut map = Map::new();
    for nt in notetypes {
        let id = nt.get("id").and_then(Value::as_i64).unwrap_or_default();
        map.insert(id.to_string(), nt.clone());
    }
    Value::Object(map)
}

/// The `decks` JSON: Anki's Default deck, which every collection has, and
/// the exported decks.
fn decks(decks: &[AnkiDeck], now: i64) -> Value {
    let mut map = Map::new();
    let default = AnkiDeck {
        id: 1,
        name: "Default".to_owned(),
        description: String::new(),
    };
    for d in std::iter::once(&default).chain(decks) {
        map.insert(
            d.id.to_string(),
            json!({
                "id": d.id,
                "name": d.name,
                "desc": d.description,
                "mod": now,
                "usn": -1,
                "collapsed": false,
                "browserCollapsed": false,
                "conf": 1,
                "dyn": 0,
                "extendNew": 0,
                "extendRev": 0,
                "lrnToday": [0, 0],
                "newToday": [0, 0],
                "revToday": [0, 0],
                "timeToday": [0, 0],
            }),
        );
    }
    Value::Object(map)
}

/// Anki's default options group, which every deck above uses.
fn dconf() -> Value {
    json!({
        "1": {
            "id": 1,
            "name": "Default",
            "mod": 0,
            "usn": 0,
            "maxTaken": 60,
            "autoplay": true,
            "timer": 0,
            "replayq": true,
            "dyn": false,
            "new": {
                "bury": false,
                "delays": [1.0, 10.0],
                "initialFactor": 2500,
                "ints": [1, 4, 0],
                "order": 1,
                "perDay": 20,
            },
            "lapse": {
                "delays": [10.0],
                "leechAction": 1,
                "leechFails": 8,
                "minInt": 1,
                "mult": 0.0,
            },
            "rev": {
                "bury": false,
                "ease4": 1.3,
                "ivlFct": 1.0,
                "maxIvl": 36500,
                "perDay": 200,
                "hardFactor": 1.2,
            },
        }
    })
}
