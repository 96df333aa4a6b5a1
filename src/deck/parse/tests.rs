//! The deck parser on small decks, broken decks and mutations.
use super::*;
use crate::deck::library::SHIPPED;

fn parse(text: &str) -> Parsed {
    let src = SourceText::new("t.toml", text);
    parse_deck(&src, Origin::Shipped("t.toml"))
}

const DECK: &str = r#"[deck]
id = "t"
title = "测试"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "c"
kind = "choice"
prompt = "问"
options = ["甲", "乙", "丙"]
answer = "B"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "m"
kind = "multi"
prompt = "问"
options = ["甲", "乙", "丙"]
answer = ["C", "A"]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "l"
kind = "list"
prompt = "问"
items = ["甲", { text = "乙", accept = ["已"] }]
ordered = true
source = { doc = "000", quote = "一段足够长的引文" }
"#;

#[test]
fn reads_answers_into_indices_and_items() {
    let deck = parse(DECK).deck.expect("valid deck");
    assert_eq!(deck.cards.len(), 3);
    assert!(matches!(deck.cards[0].body, Body::Choice { answer: 1, .. }));
    let Body::Multi { answers, .. } = &deck.cards[1].body else {
        panic!("not multi")
    };
    assert_eq!(answers, &vec![0, 2]);
    let Body::List { items, ordered } = &deck.cards[2].body else {
        panic!("not list")
    };
    assert!(*ordered);
    assert_eq!(items[1].accept, vec!["已".to_owned()]);
    assert_eq!(deck.cards[2].line, 25);
    assert_eq!(deck.id_position, (2, 6));
}

#[test]
fn a_quote_may_be_several_passages() {
    let text = DECK.replace(
        "answer = \"B\"\nsource = { doc = \"000\", quote = \"一段足够长的引文\" }",
        "answer = \"B\"\nsource = { doc = \"000\", quote = [\"第一段引文\", \"第二段引文\"] }",
    );
    let deck = parse(&text).deck.expect("valid deck");
    let citation = deck.cards[0].source.as_ref().unwrap();
    assert_eq!(citation.quotes.len(), 2);
    assert_eq!(citation.quotes[1].position, (15, 43));
    assert_eq!(citation.joined(), "第一段引文……第二段引文");
    let empty = DECK.replace(
        "quote = \"一段足够长的引文\" }\n\n[[card]]\nid = \"m\"",
        "quote = [] }\n\n[[card]]\nid = \"m\"",
    );
    let parsed = parse(&empty);
    assert!(parsed.deck.is_none());
    assert!(
        parsed.diagnostics[0].message.contains("至少要有一段引文"),
        "{:?}",
        parsed.diagnostics
    );
}

#[test]
fn a_deck_with_errors_yields_no_deck() {
    let parsed = parse(&DECK.replace("answer = \"B\"", "answer = \"Z\""));
    assert!(parsed.deck.is_none());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].position, Some((14, 10)));
}

#[test]
fn fill_errors_point_inside_the_prompt() {
    let text = DECK.replace(
        "kind = \"choice\"\nprompt = \"问\"\noptions = [\"甲\", \"乙\", \"丙\"]\nanswer = \"B\"",
        "kind = \"fill\"\nprompt = \"开{{短会}}讲}}\"",
    );
    let parsed = parse(&text);
    // `prompt = "` is 10 characters, then 开{{短会}}讲 is 8 more.
    assert_eq!(
        parsed.diagnostics[0].position,
        Some((12, 19)),
        "{:?}",
        parsed.diagnostics
    );
}

/// Every prefix of a valid deck is some broken deck: none may panic,
/// and every diagnostic must point inside the text.
#[test]
fn truncated_decks_never_panic_and_stay_in_bounds() {
    for text in std::iter::once(DECK).chain(SHIPPED.iter().map(|s| s.text)) {
        let lines = text.lines().count() + 1;
        // Every third character of the small deck; about 400 cuts spread
        // over each shipped deck (every cut parses the whole prefix, so
        // cutting the 679 shipped cards everywhere took over a minute).
        let chars = text.chars().count();
        let step = if text == DECK {
            3
        } else {
            (chars / 400).max(1)
        };
        for (cut, _) in text.char_indices().step_by(step) {
            let parsed = parse(&text[..cut]);
            for d in &parsed.diagnostics {
                if let Some((line, _)) = d.position {
                    assert!(line >= 1 && line <= lines, "line {line} out of range");
                }
            }
        }
    }
}

/// Swapping characters for TOML punctuation exercises many error
/// paths; none may panic.
#[test]
fn mutated_decks_never_panic() {
    let chars: Vec<char> = DECK.chars().collect();
    let noise = [
        '"', '[', ']', '{', '}', '=', '\n', ',', '#', '\'', '\\', '1', 't',
    ];
    let mut state: u32 = 12345;
    for _ in 0..3000 {
        let mut mutated = chars.clone();
        for _ in 0..3 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let at = (state as usize >> 8) % mutated.len();
            mutated[at] = noise[(state as usize >> 4) % noise.len()];
        }
        let text: String = mutated.into_iter().collect();
        let _ = parse(&text);
    }
}
