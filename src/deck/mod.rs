//! The deck model: what a card is once its TOML has been checked. Everything
//! downstream (grading, scheduling, the REPL, contests) works on these types
//! and never sees raw TOML.

pub mod cache;
pub mod fill;
pub mod inventory;
pub mod library;
pub mod parse;
pub mod seeds;
pub(crate) mod table;

use std::fmt;

pub use fill::FillPart;
pub use library::{Library, Origin};

/// One deck file.
#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub sources: Vec<SourceDoc>,
    pub cards: Vec<Card>,
    /// Where the deck was read from.
    pub origin: Origin,
    /// 1-based line and column of the deck id, for naming both places when
    /// two decks share an id.
    pub id_position: (usize, usize),
}

/// A document a deck draws on (`[[sources]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDoc {
    pub id: String,
    pub title: String,
}

/// Where a card's fact comes from: a verbatim passage of a source document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub doc: String,
    /// One passage, or several when what the card asks is spread over the
    /// document (an enumeration whose items head separate paragraphs).
    pub quotes: Vec<Quote>,
}

/// One verbatim passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub text: String,
    /// 1-based line and column of the quote in the deck file, for
    /// reporting a quote that is not found in its document.
    pub position: (usize, usize),
}

impl Citation {
    /// The passages as one text, for showing.
    pub fn joined(&self) -> String {
        self.quotes
            .iter()
            .map(|q| q.text.as_str())
            .collect::<Vec<_>>()
            .join("……")
    }
}

/// One card.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub id: String,
    pub prompt: String,
    pub body: Body,
    pub explain: Option<String>,
    pub source: Option<Citation>,
    pub tags: Vec<String>,
    /// 1-based line of the card's `[[card]]` header.
    pub line: usize,
}

/// The six kinds of card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Qa,
    Fill,
    Choice,
    Multi,
    Judge,
    List,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Qa,
        Kind::Fill,
        Kind::Choice,
        Kind::Multi,
        Kind::Judge,
        Kind::List,
    ];

    /// The name used in deck files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Qa => "qa",
            Kind::Fill => "fill",
            Kind::Choice => "choice",
            Kind::Multi => "multi",
            Kind::Judge => "judge",
            Kind::List => "list",
        }
    }

    /// The Chinese name shown to learners.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Qa => "简答",
            Kind::Fill => "填空",
            Kind::Choice => "单选",
            Kind::Multi => "多选",
            Kind::Judge => "判断",
            Kind::List => "列举",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a card asks for and what counts as right, per kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A free answer with other accepted phrasings.
    Qa { answer: String, accept: Vec<String> },
    /// A prompt with blanks; the prompt text is split into parts.
    Fill { parts: Vec<FillPart> },
    /// One right option, stored as its index.
    Choice { options: Vec<String>, answer: usize },
    /// Several right options, as sorted distinct indices.
    Multi {
        options: Vec<String>,
        answers: Vec<usize>,
    },
    /// A statement that is true or false.
    Judge { answer: bool },
    /// An enumeration.
    List { items: Vec<ListItem>, ordered: bool },
}

impl Body {
    pub fn kind(&self) -> Kind {
        match self {
            Body::Qa { .. } => Kind::Qa,
            Body::Fill { .. } => Kind::Fill,
            Body::Choice { .. } => Kind::Choice,
            Body::Multi { .. } => Kind::Multi,
            Body::Judge { .. } => Kind::Judge,
            Body::List { .. } => Kind::List,
        }
    }
}

/// One item of a list card with its other accepted forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub text: String,
    pub accept: Vec<String>,
}

/// The letter shown for an option index: 0 → 'A'.
pub fn option_letter(index: usize) -> char {
    char::from(b'A' + (index % 26) as u8)
}

impl Card {
    pub fn kind(&self) -> Kind {
        self.body.kind()
    }

    /// The prompt as a learner sees it: a fill card's blanks as ＿＿, never
    /// the `{{answer}}` markup.
    pub fn prompt_shown(&self) -> String {
        match &self.body {
            Body::Fill { parts } => fill::render_with_blanks(parts, "＿＿"),
            _ => self.prompt.clone(),
        }
    }

    /// The right answer written out for a learner.
    pub fn answer_text(&self) -> String {
        match &self.body {
            Body::Qa { answer, .. } => answer.clone(),
            Body::Fill { parts } => fill::blank_answers(parts).join("；"),
            Body::Choice { options, answer } => {
                format!("{}. {}", option_letter(*answer), options[*answer])
            }
            Body::Multi { options, answers } => answers
                .iter()
                .map(|&i| format!("{}. {}", option_letter(i), options[i]))
                .collect::<Vec<_>>()
                .join("；"),
            Body::Judge { answer } => if *answer { "正确" } else { "错误" }.to_owned(),
            Body::List { items, .. } => items
                .iter()
                .map(|i| i.text.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        }
    }
}

impl Card {
    /// A hash of what the card asks and accepts (not its explanation,
    /// tags or source), so progress can tell when a card was edited.
    pub fn content_hash(&self) -> String {
        crate::hash::hex16(self.content_digest())
            .iter()
            .map(|&b| char::from(b))
            .collect()
    }

    /// [`Card::content_hash`] as a number (no string to allocate when
    /// comparing 50k cards: stored hashes are read as numbers, see
    /// [`crate::hash::parse_hex16`]).
    pub fn content_digest(&self) -> u64 {
        let mut h = crate::hash::Fnv::new();
        h.part(self.kind().name().as_bytes())
            .part(self.prompt.as_bytes());
        match &self.body {
            Body::Qa { answer, accept } => {
                h.part(answer.as_bytes());
                accept.iter().for_each(|a| {
                    h.part(a.as_bytes());
                });
            }
            Body::Fill { .. } => {}
            Body::Choice { options, answer } => {
                options.iter().for_each(|o| {
                    h.part(o.as_bytes());
                });
                h.part(answer.to_string().as_bytes());
            }
            Body::Multi { options, answers } => {
                options.iter().for_each(|o| {
                    h.part(o.as_bytes());
                });
                answers.iter().for_each(|a| {
                    h.part(a.to_string().as_bytes());
                });
            }
            Body::Judge { answer } => {
                h.part(answer.to_string().as_bytes());
            }
            Body::List { items, ordered } => {
                for item in items {
                    h.part(item.text.as_bytes());
                    item.accept.iter().for_each(|a| {
                        h.part(a.as_bytes());
                    });
                }
                h.part(ordered.to_string().as_bytes());
            }
        }
        h.finish()
    }

    /// The progress key, `deck-id/card-id`.
    pub fn key(&self, deck: &Deck) -> String {
        // Built by hand: `format!` was most of a study start's card list
        // at 50k cards.
        let mut key = String::with_capacity(deck.id.len() + 1 + self.id.len());
        key.push_str(&deck.id);
        key.push('/');
        key.push_str(&self.id);
        key
    }
}

impl Deck {
    pub fn count(&self, kind: Kind) -> usize {
        self.cards.iter().filter(|c| c.kind() == kind).count()
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }
}

/// Whether an id fits `[a-z0-9-]+`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(body: Body) -> Card {
        Card {
            id: "c".into(),
            prompt: "问".into(),
            body,
            explain: Some("解析".into()),
            source: None,
            tags: vec![],
            line: 1,
        }
    }

    #[test]
    fn content_hash_follows_question_and_answers_only() {
        let a = card(Body::Qa {
            answer: "甲".into(),
            accept: vec![],
        });
        let mut explained = a.clone();
        explained.explain = Some("另一个解析".into());
        explained.tags = vec!["标签".into()];
        assert_eq!(
            a.content_hash(),
            explained.content_hash(),
            "explanations and tags are not content"
        );
        let other = card(Body::Qa {
            answer: "乙".into(),
            accept: vec![],
        });
        assert_ne!(a.content_hash(), other.content_hash());
        let accepted = card(Body::Qa {
            answer: "甲".into(),
            accept: vec!["丙".into()],
        });
        assert_ne!(a.content_hash(), accepted.content_hash());
        // Pinned: stored hashes must not change between releases.
        assert_eq!(a.content_hash(), "4f803f2083e6dc4b");
    }

    #[test]
    fn id_pattern() {
        assert!(is_valid_id("ba-xiang-gui-ding"));
        assert!(is_valid_id("003"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("Ba"));
        assert!(!is_valid_id("a_b"));
        assert!(!is_valid_id("八项"));
        assert!(!is_valid_id("a b"));
    }

    #[test]
    fn kinds_round_trip_and_have_chinese_labels() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(Kind::List.label(), "列举");
        assert_eq!(Kind::from_name("essay"), None);
    }

    #[test]
    fn option_letters() {
        assert_eq!(option_letter(0), 'A');
        assert_eq!(option_letter(3), 'D');
    }
}
