//! Checking that every card's quote stands verbatim in its source document
//! (whitespace ignored), so each fact can be traced to the text it came
//! from. Source documents are found by their id prefix: `003_….txt`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Deck;
use crate::diag::Diagnostic;

/// The source documents of one folder, keyed by id, with whitespace
/// removed for comparison.
pub struct Seeds {
    docs: HashMap<String, (PathBuf, String)>,
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Seeds {
    /// Reads every file in `dir`; a file `003_x.txt` or `003.txt` is
    /// document "003".
    pub fn load(dir: &Path) -> Result<Seeds, Diagnostic> {
        let fail = |e: &std::io::Error| {
            Diagnostic::file_error(
                &dir.display().to_string(),
                format!("无法读取原始文档目录：{}", crate::diag::io_reason(e)),
            )
        };
        let mut docs = HashMap::new();
        for entry in std::fs::read_dir(dir).map_err(|e| fail(&e))?.flatten() {
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let id = name.split(['_', '.']).next().unwrap_or(name).to_owned();
            if id.is_empty() || !path.is_file() {
                continue;
            }
            let text = super::library::read_text(&path)?;
            docs.insert(id, (path, squeeze(&text)));
        }
        Ok(Seeds { docs })
    }

    /// Errors for every quote of `deck` not found in its document.
    pub fn verify(&self, deck: &Deck) -> Vec<Diagnostic> {
        let path = deck.origin.display();
        let mut out = Vec::new();
        for card in &deck.cards {
            let Some(citation) = &card.source else {
                continue;
            };
            for quote in &citation.quotes {
                let message = match self.docs.get(&citation.doc) {
                    None => format!(
                        "找不到出处文档 {}（原始文档目录中没有以 {0} 开头的文件）",
                        citation.doc
                    ),
                    Some((file, text)) => {
                        let squeezed = squeeze(&quote.text);
                        if text.contains(&squeezed) {
                            continue;
                        }
                        let matched = longest_found_prefix(text, &squeezed);
                        let file = file.display();
                        if matched == 0 {
                            format!(
                                "卡片 {} 的引文在 {file} 中找不到（连开头也对不上）",
                                card.id
                            )
                        } else {
                            let next: String = squeezed.chars().skip(matched).take(8).collect();
                            format!(
                                "卡片 {} 的引文在 {file} 中找不到：前 {matched} 个字对得上，从“{next}”起不一致",
                                card.id
                            )
                        }
                    }
                };
                let mut d = Diagnostic::file_error(&path, message);
                d.position = Some(quote.position);
                out.push(d);
            }
        }
        out
    }
}

/// How many leading characters of `quote` occur somewhere in `text`.
fn longest_found_prefix(text: &str, quote: &str) -> usize {
    let bounds: Vec<usize> = quote
        .char_indices()
        .map(|(i, _)| i)
        .chain([quote.len()])
        .collect();
    // Binary search: if a prefix occurs, every shorter prefix does too.
    let (mut lo, mut hi) = (0, bounds.len() - 1);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text.contains(&quote[..bounds[mid]]) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_how_far_a_quote_matches() {
        assert_eq!(
            longest_found_prefix("真正的銅墻鐵壁是什么", "銅墻鐵壁是誰"),
            5
        );
        assert_eq!(longest_found_prefix("abc", "xyz"), 0);
        assert_eq!(longest_found_prefix("abc", "abc"), 3);
    }

    /// A folder or a nameless file among the documents is passed over,
    /// not read as a document.
    #[test]
    fn only_named_files_are_documents() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("001_群众工作.md"), "群众路线是党的生命线").unwrap();
        std::fs::create_dir(dir.path().join("002_notes")).unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        let seeds = Seeds::load(dir.path()).unwrap();
        let mut ids: Vec<&String> = seeds.docs.keys().collect();
        ids.sort();
        assert_eq!(ids, ["001"]);
    }

    #[test]
    fn whitespace_is_ignored() {
        assert_eq!(squeeze("第一個 是\n把群眾"), "第一個是把群眾");
    }
}
