//! The deck cache against damaged, foreign and big inputs.

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

/// A deck of `n` made-up cards of all six kinds, with Chinese text,
/// empty strings, empty lists, and with and without sources.
fn big_deck(n: usize) -> Deck {
    let text = |i: usize, what: &str| match i % 5 {
        0 => String::new(),
        1 => format!("{what}{i}"),
        _ => format!("第{i}题：{what}「党的群众路线」🙂"),
    };
    let list = |i: usize, what: &str| (0..i % 4).map(|j| text(i + j, what)).collect();
    let options = |i: usize| (0..1 + i % 4).map(|j| text(i + j, "选")).collect();
    let cards = (0..n)
        .map(|i| {
            let body = match (i ^ (i >> 3)) % 6 {
                0 => Body::Qa {
                    answer: text(i, "答"),
                    accept: list(i, "又"),
                },
                1 => Body::Fill {
                    parts: (0..i % 4)
                        .map(|j| match j % 2 {
                            0 => FillPart::Text(text(i + j, "文")),
                            _ => FillPart::Blank(list(i + j, "空")),
                        })
                        .collect(),
                },
                2 => Body::Choice {
                    options: options(i),
                    answer: i % (1 + i % 4),
                },
                3 => Body::Multi {
                    options: options(i),
                    answers: (0..1 + i % 4).filter(|a| (i >> a) & 1 == 1).collect(),
                },
                4 => Body::Judge { answer: i % 2 == 0 },
                _ => Body::List {
                    items: (0..i % 3)
                        .map(|j| ListItem {
                            text: text(i + j, "项"),
                            accept: list(i + j, "别"),
                        })
                        .collect(),
                    ordered: i % 2 == 1,
                },
            };
            Card {
                id: format!("c{i}"),
                prompt: text(i + 1, "问"),
                body,
                explain: match i % 3 {
                    0 => None,
                    1 => Some(String::new()),
                    _ => Some(text(i, "解")),
                },
                source: (i % 4 != 0).then(|| Citation {
                    doc: text(i, "文件"),
                    quotes: (0..i % 3)
                        .map(|j| Quote {
                            text: text(i + j, "引"),
                            position: (i, j),
                        })
                        .collect(),
                }),
                tags: list(i, "标"),
                line: i + 1,
            }
        })
        .collect();
    Deck {
        id: "大".into(),
        title: "大题库".into(),
        description: Some("说明".into()),
        tags: vec!["甲".into(), String::new()],
        sources: vec![SourceDoc {
            id: "文".into(),
            title: "文件".into(),
        }],
        cards,
        origin: Origin::Shipped("x"),
        id_position: (1, 2),
    }
}

fn shipped_origin(_: usize) -> Option<Origin> {
    Some(Origin::Shipped("x"))
}

/// One thread, and two for decks of at least 2048 cards.
const SPLITS: [Option<usize>; 2] = [None, Some(2048)];

#[test]
fn a_big_deck_round_trips_exactly_on_one_thread_and_on_two() {
    let big = big_deck(5 * CHUNK + 77);
    assert!(big.cards.len() >= 2048, "big enough to be split");
    let mut small = big_deck(7);
    small.id = "小".into();
    // The big deck is followed by another, which must start where the
    // big deck's second half ended.
    let decks = vec![small.clone(), big, small];
    let payload = encode(&decks.iter().collect::<Vec<_>>()).expect("encodes");
    for parallel in SPLITS {
        let got = decode_with(&payload, &shipped_origin, parallel);
        assert_eq!(got.as_ref(), Some(&decks), "{parallel:?}");
    }

    // And through the files, as a user deck.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = Path::new("/decks/big.toml");
    let stamp = Stamp {
        size: 1,
        mtime_ns: 2,
        change: 4,
        hash: 3,
    };
    store_user(dir.path(), file, stamp, &decks.iter().collect::<Vec<_>>());
    let mut expected = decks;
    for deck in &mut expected {
        deck.origin = Origin::File(file.to_owned());
    }
    assert_eq!(load_user(dir.path(), file, stamp), Some(expected));
}

#[test]
fn a_string_length_cutting_a_character_is_rejected() {
    let mut deck = big_deck(0);
    deck.id = "甲".into();
    deck.title = "乙".into();
    let payload = encode(&[&deck]).expect("encodes");
    let stamp = Stamp {
        size: 1,
        mtime_ns: 2,
        change: 4,
        hash: 3,
    };
    let decodes = |payload: &[u8]| {
        let file = sealed(stamp, payload);
        decode(open(&file, Check::Content(stamp))?, &shipped_origin)
    };
    assert_eq!(decodes(&payload), Some(vec![deck]));
    // The id's and title's lengths come first after the structure
    // length and the deck count; both are 3 bytes. Moving bytes from
    // one to the other keeps the total but cuts a character.
    assert_eq!((u32_at(&payload, 8), u32_at(&payload, 12)), (3, 3));
    for (id, title) in [(1, 5), (2, 4), (4, 2), (5, 1)] {
        let mut bad = payload.clone();
        bad[8..12].copy_from_slice(&u32::to_le_bytes(id));
        bad[12..16].copy_from_slice(&u32::to_le_bytes(title));
        assert_eq!(decodes(&bad), None, "{id} + {title}");
    }
}

#[test]
fn a_damaged_card_index_is_rejected() {
    let n = 5 * CHUNK + 77;
    let deck = big_deck(n);
    let payload = encode(&[&deck]).expect("encodes");
    // The index follows what the same deck without cards encodes to.
    let mut bare = deck.clone();
    bare.cards.clear();
    let index = 4 + u32_at(&encode(&[&bare]).expect("encodes"), 0);
    let k = n.div_ceil(CHUNK);
    assert_eq!(
        (u32_at(&payload, index - 8), u32_at(&payload, index - 4)),
        (n, k)
    );
    let decodes = |p: &[u8]| {
        let got = SPLITS.map(|parallel| decode_with(p, &shipped_origin, parallel));
        assert!(got.iter().all(|g| *g == got[0]), "one thread or two");
        got[0].clone()
    };
    assert_eq!(decodes(&payload), Some(vec![deck]));
    let set = |p: &mut [u8], at: usize, v: usize| {
        p[at..at + 4].copy_from_slice(&(v as u32).to_le_bytes());
    };

    // The card count, the chunk count and every count and length of
    // the index: one more or less (the counts no longer add up, a
    // chunk's range no longer ends at a card's end, or cuts a
    // character), none, or far out of range.
    for at in (index - 8..index + k * CHUNK_BYTES).step_by(4) {
        let v = u32_at(&payload, at);
        for bad in [v + 1, v - 1, v + 4, 0, u32::MAX as usize] {
            let mut p = payload.clone();
            set(&mut p, at, bad);
            assert_eq!(decodes(&p), None, "at {at}: {v} as {bad}");
        }
    }
    // A split moved within the structure or the strings, totals kept.
    for field in [4, 8] {
        let mut p = payload.clone();
        let (a, b) = (
            index + 2 * CHUNK_BYTES + field,
            index + 3 * CHUNK_BYTES + field,
        );
        set(&mut p, a, u32_at(&payload, a) + 1);
        set(&mut p, b, u32_at(&payload, b) - 1);
        assert_eq!(decodes(&p), None, "field {field}");
    }
    // The last chunk running past its last card into bytes added after
    // it: in the structure, then in the strings.
    let structure = u32_at(&payload, 0);
    let last = index + (k - 1) * CHUNK_BYTES;
    let mut p = payload.clone();
    p.splice(4 + structure..4 + structure, [0; 4]);
    set(&mut p, 0, structure + 4);
    set(&mut p, last + 4, u32_at(&payload, last + 4) + 4);
    assert_eq!(decodes(&p), None);
    let mut p = payload.clone();
    p.push(b'x');
    set(&mut p, last + 8, u32_at(&payload, last + 8) + 1);
    assert_eq!(decodes(&p), None);
}

#[test]
fn the_smallest_items_take_the_bytes_the_decoder_counts_on() {
    let size = |write: &dyn Fn(&mut Writer)| {
        let mut w = Writer::default();
        write(&mut w);
        w.buf.len()
    };
    let card = |body: Body| Card {
        id: String::new(),
        prompt: String::new(),
        body,
        explain: None,
        source: None,
        tags: vec![],
        line: 0,
    };
    let card_size = |c: &Card| size(&|w| encode_card(w, c));
    let bodies = [
        Body::Qa {
            answer: String::new(),
            accept: vec![],
        },
        Body::Fill { parts: vec![] },
        Body::Choice {
            options: vec![],
            answer: 0,
        },
        Body::Multi {
            options: vec![],
            answers: vec![],
        },
        Body::Judge { answer: false },
        Body::List {
            items: vec![],
            ordered: false,
        },
    ];
    let smallest = bodies.map(|b| card_size(&card(b))).into_iter().min();
    assert_eq!(smallest, Some(CARD_BYTES));
    let plus = |a: Body, b: Body| card_size(&card(b)) - card_size(&card(a));
    let fill = |parts| Body::Fill { parts };
    assert_eq!(
        plus(fill(vec![]), fill(vec![FillPart::Text(String::new())])),
        PART_BYTES
    );
    assert_eq!(
        plus(fill(vec![]), fill(vec![FillPart::Blank(vec![])])),
        PART_BYTES
    );
    let multi = |answers| Body::Multi {
        options: vec![],
        answers,
    };
    assert_eq!(plus(multi(vec![]), multi(vec![0])), ANSWER_BYTES);
    let list = |items| Body::List {
        items,
        ordered: false,
    };
    let item = ListItem {
        text: String::new(),
        accept: vec![],
    };
    assert_eq!(plus(list(vec![]), list(vec![item])), ITEM_BYTES);
    let mut cited = card(Body::Judge { answer: false });
    cited.source = Some(Citation {
        doc: String::new(),
        quotes: vec![],
    });
    let without = card_size(&cited);
    if let Some(c) = &mut cited.source {
        c.quotes.push(Quote {
            text: String::new(),
            position: (0, 0),
        });
    }
    assert_eq!(card_size(&cited) - without, QUOTE_BYTES);
    assert_eq!(size(&|w| w.str("")), STR_BYTES);
    assert_eq!(size(&|w| w.strs(&[String::new()])) - 4, STR_BYTES);

    let mut deck = big_deck(0);
    deck.description = None;
    deck.tags.clear();
    deck.sources.clear();
    let deck_size = |d: &Deck| size(&|w| encode_deck(w, d));
    assert_eq!(deck_size(&deck), DECK_BYTES);
    deck.sources.push(SourceDoc {
        id: String::new(),
        title: String::new(),
    });
    assert_eq!(deck_size(&deck), DECK_BYTES + SOURCE_BYTES);
    deck.sources.clear();
    deck.cards.push(card(Body::Judge { answer: false }));
    assert_eq!(deck_size(&deck), DECK_BYTES + CHUNK_BYTES + CARD_BYTES);
}
