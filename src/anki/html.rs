//! The HTML that Anki fields hold: deck text escaped on the way in, and
//! stripped again the way Anki does for a note's sort field and checksum.

use sha1::{Digest, Sha1};

/// Deck text as HTML: control characters dropped (Anki separates fields
/// with U+001F), the five special characters and `{`/`}` escaped (so no
/// deck text can read as a cloze deletion), line breaks as `<br>`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::term::sanitize(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// The text of a field without tags, entities decoded, as Anki stores a
/// note's sort field (`sfld`) and hashes its first field (`csum`). Only
/// what [`escape`] and the exporter's own markup produce has to be
/// understood: tags, and named or numeric entities.
pub fn strip(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => rest = &rest[end + 1..],
                None => {
                    out.push_str(rest);
                    rest = "";
                }
            }
        } else {
            match decode_entity(rest) {
                Some((c, len)) => {
                    out.push(c);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the entity at the start of `text`: the character and the bytes
/// it took.
fn decode_entity(text: &str) -> Option<(char, usize)> {
    let end = text.find(';').filter(|&e| e <= 10)?;
    let name = &text[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        // Anki turns a non-breaking space into a plain one.
        "nbsp" => ' ',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// Anki's field checksum: the first 8 hex digits of the SHA-1 of the
/// stripped field, as a number.
pub fn checksum(field: &str) -> i64 {
    let digest = Sha1::digest(strip(field).as_bytes());
    i64::from(u32::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_braces_and_controls() {
        assert_eq!(
            escape("a<b>&\"c\"'d'{{x}}\u{1f}\u{1b}[31m\nz"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;&#123;&#123;x&#125;&#125;[31m<br>z"
        );
    }

    #[test]
    fn strip_undoes_escape() {
        let text = "铜墙铁壁 <是> & “群众” {{c1::x}} 'a'";
        assert_eq!(strip(&escape(text)), text);
        assert_eq!(strip("<b>粗</b>体&nbsp;&#x4E00;&#19968;"), "粗体 一一");
        // Not entities: left as they are.
        assert_eq!(strip("a & b &bogus; &#xZZ;"), "a & b &bogus; &#xZZ;");
        assert_eq!(strip("unclosed <tag"), "unclosed <tag");
    }

    #[test]
    fn checksum_matches_anki() {
        // sha1("hello") = aaf4c61d…; Anki keeps the first 8 hex digits.
        assert_eq!(checksum("hello"), 0xaaf4_c61d);
        assert_eq!(checksum("<b>hello</b>"), 0xaaf4_c61d);
    }
}
