//! The fact inventory: every teachable fact of the five source documents,
//! paragraph by paragraph, with the cards that examine it (or a reviewable
//! reason for not examining it). It is how we know the shipped decks are
//! complete, not just correct: `dangke decks --coverage` reports it and the
//! tests hold it to the project's coverage rules.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{Kind, Library};

/// The inventory files, one per document, embedded like the shipped decks.
const FILES: &[(&str, &str)] = &[
    (
        "inventory/000.toml",
        include_str!("../../inventory/000.toml"),
    ),
    (
        "inventory/001.toml",
        include_str!("../../inventory/001.toml"),
    ),
    (
        "inventory/002.toml",
        include_str!("../../inventory/002.toml"),
    ),
    (
        "inventory/003.toml",
        include_str!("../../inventory/003.toml"),
    ),
    (
        "inventory/004.toml",
        include_str!("../../inventory/004.toml"),
    ),
];

/// The documents' real titles, as every deck's `[[sources]]` must name them.
pub const DOC_TITLES: &[(&str, &str)] = &[
    ("000", "党课：做好新时代群众工作的方法和艺术"),
    ("001", "做好群众工作需要回到群众中去"),
    ("002", "领导干部密切联系群众的有效方法"),
    ("003", "群众工作（第一篇至第五篇，繁体）"),
    ("004", "2020如何做好群众工作心得体会5篇"),
];

/// The title of a source document, by id.
pub fn doc_title(doc: &str) -> Option<&'static str> {
    DOC_TITLES.iter().find(|(d, _)| *d == doc).map(|(_, t)| *t)
}

/// A broken inventory file (only a developer can cause this: the files are
/// embedded, and a test parses them).
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("{file}：{message}")]
    Syntax { file: &'static str, message: String },
    #[error("{file}：第 {index} 个知识点（原文第 {line} 行）必须给出 cards 或 skip 之一")]
    CoverOrSkip {
        file: &'static str,
        index: usize,
        line: usize,
    },
}

/// What a fact is, when it carries rules beyond "has a card".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactKind {
    /// A named list (三X, 四个X…): needs a list card plus another kind.
    Enumeration,
    /// Core doctrine: needs cards of at least two kinds.
    Core,
}

/// How a fact is examined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cover {
    /// The `deck/card` ids of the cards that examine it.
    Cards(Vec<String>),
    /// Why it is deliberately not examined.
    Skip(String),
}

/// One teachable fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// 1-based line of the document where the fact is stated.
    pub line: usize,
    /// The heading or paragraph, for a reader.
    pub place: String,
    pub fact: String,
    pub kind: Option<FactKind>,
    pub cover: Cover,
}

/// The facts of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFacts {
    pub doc: String,
    pub file: &'static str,
    pub facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    doc: String,
    #[serde(default)]
    fact: Vec<RawFact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    line: usize,
    #[serde(rename = "where")]
    place: String,
    fact: String,
    kind: Option<FactKind>,
    cards: Option<Vec<String>>,
    skip: Option<String>,
}

/// Parses one inventory file.
pub fn parse(file: &'static str, text: &str) -> Result<DocFacts, InventoryError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| InventoryError::Syntax {
        file,
        message: e.message().to_owned(),
    })?;
    let facts = raw
        .fact
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let cover = match (f.cards, f.skip) {
                (Some(cards), None) if !cards.is_empty() => Cover::Cards(cards),
                (None, Some(reason)) if !reason.trim().is_empty() => Cover::Skip(reason),
                _ => {
                    return Err(InventoryError::CoverOrSkip {
                        file,
                        index: i + 1,
                        line: f.line,
                    });
                }
            };
            Ok(Fact {
                line: f.line,
                place: f.place,
                fact: f.fact,
                kind: f.kind,
                cover,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DocFacts {
        doc: raw.doc,
        file,
        facts,
    })
}

/// The shipped inventory, every document.
pub fn shipped() -> Result<Vec<DocFacts>, InventoryError> {
    FILES.iter().map(|(file, text)| parse(file, text)).collect()
}

/// One document's coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub doc: String,
    pub facts: usize,
    /// Facts examined by at least one existing card.
    pub covered: usize,
    /// Facts deliberately not examined.
    pub skipped: usize,
}

impl Coverage {
    /// Covered facts as a share of all facts (skipped ones count as not covered).
    pub fn ratio(&self) -> f64 {
        if self.facts == 0 {
            0.0
        } else {
            self.covered as f64 / self.facts as f64
        }
    }
}

/// Something in the inventory that breaks the deck rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A listed card that no loaded deck has.
    UnknownCard {
        file: &'static str,
        line: usize,
        card: String,
    },
    /// An enumeration without a list card, or with nothing but list cards.
    EnumerationForms {
        file: &'static str,
        line: usize,
        fact: String,
    },
    /// Core doctrine examined in only one kind.
    CoreOneKind {
        file: &'static str,
        line: usize,
        fact: String,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::UnknownCard { file, line, card } => {
                write!(
                    f,
                    "{file}：原文第 {line} 行的知识点列出的卡片 {card} 不存在"
                )
            }
            Problem::EnumerationForms { file, line, fact } => write!(
                f,
                "{file}：原文第 {line} 行的列举“{fact}”需要一张列举题和另一种题型"
            ),
            Problem::CoreOneKind { file, line, fact } => write!(
                f,
                "{file}：原文第 {line} 行的核心内容“{fact}”至少要有两种题型"
            ),
        }
    }
}

/// Coverage per document and every rule the inventory breaks, against the
/// cards of `library`.
pub fn assess(inventory: &[DocFacts], library: &Library) -> (Vec<Coverage>, Vec<Problem>) {
    let kinds: BTreeMap<String, Kind> = library
        .decks
        .iter()
        .flat_map(|d| d.cards.iter().map(move |c| (c.key(d), c.kind())))
        .collect();
    let mut coverage = Vec::new();
    let mut problems = Vec::new();
    for doc in inventory {
        let mut cov = Coverage {
            doc: doc.doc.clone(),
            facts: doc.facts.len(),
            covered: 0,
            skipped: 0,
        };
        for fact in &doc.facts {
            let cards = match &fact.cover {
                Cover::Skip(_) => {
                    cov.skipped += 1;
                    continue;
                }
                Cover::Cards(cards) => cards,
            };
            let mut seen = BTreeSet::new();
            for card in cards {
                match kinds.get(card) {
                    Some(kind) => {
                        seen.insert(*kind);
                    }
                    None => problems.push(Problem::UnknownCard {
                        file: doc.file,
                        line: fact.line,
                        card: card.clone(),
                    }),
                }
            }
            if seen.is_empty() {
                continue;
            }
            cov.covered += 1;
            match fact.kind {
                Some(FactKind::Enumeration) if !seen.contains(&Kind::List) || seen.len() < 2 => {
                    problems.push(Problem::EnumerationForms {
                        file: doc.file,
                        line: fact.line,
                        fact: fact.fact.clone(),
                    });
                }
                Some(FactKind::Core) if seen.len() < 2 => problems.push(Problem::CoreOneKind {
                    file: doc.file,
                    line: fact.line,
                    fact: fact.fact.clone(),
                }),
                _ => {}
            }
        }
        coverage.push(cov);
    }
    (coverage, problems)
}

#[cfg(test)]
#[path = "inventory/tests.rs"]
mod tests;
