//! Writes a deck as a normalized TOML deck file, in the layout of the
//! shipped decks: the one writer behind `dangke import` and
//! `dangke export --format toml`.

use std::fmt::Write as _;

use crate::deck::{Body, Card, Deck, option_letter};

/// A TOML string literal (basic string, escaped as TOML requires).
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn array<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|s| string(s.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

/// The deck as TOML, and for each card the 1-based line of its
/// `[[card]]` header (to map check errors back to bank rows).
pub fn deck(deck: &Deck, comment: Option<&str>) -> (String, Vec<usize>) {
    let mut out = String::new();
    if let Some(comment) = comment {
        for line in comment.lines() {
            let _ = writeln!(out, "# {line}");
        }
    }
    out.push_str("[deck]\n");
    let _ = writeln!(out, "id = {}", string(&deck.id));
    let _ = writeln!(out, "title = {}", string(&deck.title));
    if let Some(d) = &deck.description {
        let _ = writeln!(out, "description = {}", string(d));
    }
    if !deck.tags.is_empty() {
        let _ = writeln!(out, "tags = {}", array(&deck.tags));
    }
    for s in &deck.sources {
        out.push_str("\n[[sources]]\n");
        let _ = writeln!(out, "id = {}", string(&s.id));
        let _ = writeln!(out, "title = {}", string(&s.title));
    }
    let mut lines = Vec::with_capacity(deck.cards.len());
    // Line breaks so far, counted as the text grows (not rescanned).
    let mut breaks = out.matches('\n').count();
    for c in &deck.cards {
        out.push('\n');
        breaks += 1;
        lines.push(breaks + 1);
        let start = out.len();
        card(&mut out, c);
        breaks += out[start..].matches('\n').count();
    }
    (out, lines)
}

fn card(out: &mut String, c: &Card) {
    out.push_str("[[card]]\n");
    let _ = writeln!(out, "id = {}", string(&c.id));
    let _ = writeln!(out, "kind = {}", string(c.kind().name()));
    let _ = writeln!(out, "prompt = {}", string(&c.prompt));
    match &c.body {
        Body::Qa { answer, accept } => {
            let _ = writeln!(out, "answer = {}", string(answer));
            if !accept.is_empty() {
                let _ = writeln!(out, "accept = {}", array(accept));
            }
        }
        Body::Fill { .. } => {}
        Body::Choice { options, answer } => {
            let _ = writeln!(out, "options = {}", array(options));
            let _ = writeln!(out, "answer = \"{}\"", option_letter(*answer));
        }
        Body::Multi { options, answers } => {
            let _ = writeln!(out, "options = {}", array(options));
            let letters: Vec<String> = answers
                .iter()
                .map(|&i| option_letter(i).to_string())
                .collect();
            let _ = writeln!(out, "answer = {}", array(&letters));
        }
        Body::Judge { answer } => {
            let _ = writeln!(out, "answer = {answer}");
        }
        Body::List { items, ordered } => {
            out.push_str("items = [\n");
            for item in items {
                if item.accept.is_empty() {
                    let _ = writeln!(out, "  {},", string(&item.text));
                } else {
                    let _ = writeln!(
                        out,
                        "  {{ text = {}, accept = {} }},",
                        string(&item.text),
                        array(&item.accept)
                    );
                }
            }
            out.push_str("]\n");
            if *ordered {
                out.push_str("ordered = true\n");
            }
        }
    }
    if let Some(e) = &c.explain {
        let _ = writeln!(out, "explain = {}", string(e));
    }
    if let Some(s) = &c.source {
        let quote = match s.quotes.as_slice() {
            [one] => string(&one.text),
            many => array(&many.iter().map(|q| q.text.as_str()).collect::<Vec<_>>()),
        };
        let _ = writeln!(
            out,
            "source = {{ doc = {}, quote = {quote} }}",
            string(&s.doc)
        );
    }
    if !c.tags.is_empty() {
        let _ = writeln!(out, "tags = {}", array(&c.tags));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Origin;
    use crate::deck::library::SHIPPED;
    use crate::deck::parse::parse_deck;
    use crate::diag::SourceText;

    /// A deck with everything that depends on where it was read cleared.
    pub fn comparable(mut deck: Deck) -> Deck {
        deck.origin = Origin::Shipped("");
        deck.id_position = (0, 0);
        for c in &mut deck.cards {
            c.line = 0;
            if let Some(s) = &mut c.source {
                for q in &mut s.quotes {
                    q.position = (0, 0);
                }
            }
        }
        deck
    }

    #[test]
    fn strings_escape_what_toml_needs() {
        assert_eq!(string("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(string("\u{7}"), r#""\u0007""#);
    }

    #[test]
    fn every_shipped_deck_rewrites_to_the_same_deck() {
        for file in SHIPPED {
            let src = SourceText::new(file.path, file.text);
            let original = parse_deck(&src, Origin::Shipped(file.path)).deck.unwrap();
            let (text, lines) = deck(&original, Some("注释"));
            let src = SourceText::new("x.toml", &text);
            let parsed = parse_deck(&src, Origin::Shipped(file.path));
            assert!(
                parsed.diagnostics.is_empty(),
                "{}: {:?}",
                file.path,
                parsed.diagnostics
            );
            let again = parsed.deck.unwrap();
            let card_lines: Vec<usize> = again.cards.iter().map(|c| c.line).collect();
            assert_eq!(card_lines, lines, "{}", file.path);
            assert_eq!(comparable(again), comparable(original), "{}", file.path);
        }
    }
}
