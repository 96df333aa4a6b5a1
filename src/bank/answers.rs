//! The spellings banks use for kinds and answers: “单项选择”, “A、B、D”,
//! “√”, a stem with （） or ____ for its blanks, a 简答 answer numbered
//! （1）…（2）…. Each function turns one spelling into the deck's terms, or
//! says in Chinese why it cannot.

use unicode_normalization::UnicodeNormalization;

use crate::deck::Kind;

/// A kind spelling: the kind, and for a list whether order matters.
pub fn kind(text: &str) -> Option<(Kind, bool)> {
    let t: String = text
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let t = t.trim_end_matches('题');
    let found = match t {
        "单选" | "单项选择" | "单项选择题" | "选择" | "choice" | "single" | "singlechoice" => {
            (Kind::Choice, false)
        }
        "多选" | "多项选择" | "不定项选择" | "multi" | "multiple" | "multiplechoice" => {
            (Kind::Multi, false)
        }
        "判断" | "是非" | "对错" | "judge" | "tf" | "truefalse" | "true/false" => {
            (Kind::Judge, false)
        }
        "填空" | "fill" | "blank" | "cloze" => (Kind::Fill, false),
        "简答" | "问答" | "简述" | "论述" | "qa" | "short" | "shortanswer" => {
            (Kind::Qa, false)
        }
        "列举" | "list" => (Kind::List, false),
        "有序列举" | "列举有序" | "orderedlist" => (Kind::List, true),
        _ => return None,
    };
    Some(found)
}

/// The name dangke writes for a kind.
pub fn kind_label(kind: Kind, ordered: bool) -> &'static str {
    match (kind, ordered) {
        (Kind::List, true) => "有序列举",
        (k, _) => k.label(),
    }
}

/// Option letters in an answer: “ABD”, “A,B,D”, “A、B、D”, “ａｂ”. Each
/// letter once, sorted; `None` when anything else is in the text.
pub fn letters(text: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for c in text.nfkc() {
        if c.is_ascii_alphabetic() {
            let i = usize::from(c.to_ascii_uppercase() as u8 - b'A');
            if !out.contains(&i) {
                out.push(i);
            }
        } else if !(c.is_whitespace() || ",，、;；/|.。".contains(c)) {
            return None;
        }
    }
    out.sort_unstable();
    (!out.is_empty()).then_some(out)
}

/// A true/false answer: 对/错, √/×, 正确/错误, T/F, 是/否, TRUE/FALSE.
pub fn judgement(text: &str) -> Option<bool> {
    let t: String = text
        .nfkc()
        .filter(|c| !c.is_whitespace() && !"。.".contains(*c))
        .flat_map(char::to_lowercase)
        .collect();
    match t.as_str() {
        "对" | "正确" | "√" | "✓" | "✔" | "t" | "true" | "是" | "y" | "yes" => Some(true),
        "错" | "错误" | "×" | "x" | "✗" | "✘" | "f" | "false" | "否" | "n" | "no" => {
            Some(false)
        }
        _ => None,
    }
}

/// A piece of a fill stem: text, or a blank with the answer written in it
/// (empty when the stem leaves the blank empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Blank(String),
}

/// Splits a stem at blank marks: （）, ( ), 【】 and runs of 3+ underscores
/// (or 2+ full-width ＿) are empty blanks; 【答案】 is a blank with its
/// answer. Brackets with other text inside stay text (see [`inline`]).
pub fn blanks(stem: &str) -> Vec<Piece> {
    let chars: Vec<char> = stem.chars().collect();
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let close = match c {
            '（' | '(' => Some(if c == '（' { '）' } else { ')' }),
            '【' => Some('】'),
            _ => None,
        };
        if let Some(close) = close {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| d == close || d == '）' || d == ')');
            if let Some(len) = end {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                let is_blank = inner.trim().is_empty() || c == '【';
                if is_blank {
                    flush(&mut pieces, &mut text);
                    pieces.push(Piece::Blank(inner.trim().to_owned()));
                    i += len + 2;
                    continue;
                }
            }
        }
        if c == '_' || c == '＿' {
            let run = chars[i..].iter().take_while(|&&d| d == c).count();
            if run >= 3 || (c == '＿' && run >= 2) {
                flush(&mut pieces, &mut text);
                pieces.push(Piece::Blank(String::new()));
                i += run;
                continue;
            }
        }
        text.push(c);
        i += 1;
    }
    flush(&mut pieces, &mut text);
    pieces
}

fn flush(pieces: &mut Vec<Piece>, text: &mut String) {
    if !text.is_empty() {
        pieces.push(Piece::Text(std::mem::take(text)));
    }
}

/// A stem that writes its answers in brackets, “宗旨是（全心全意为人民服务）”:
/// every bracketed text becomes a blank with that answer.
pub fn inline(stem: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = stem;
    while let Some(open) = rest.find(['（', '(']) {
        let after = &rest[open..];
        let open_len = after.chars().next().map_or(1, char::len_utf8);
        let Some(close) = after.find(['）', ')']) else {
            break;
        };
        text.push_str(&rest[..open]);
        let inner = after[open_len..close].trim();
        if inner.is_empty() {
            text.push_str(&after[..close]);
        } else {
            flush(&mut pieces, &mut text);
            pieces.push(Piece::Blank(inner.to_owned()));
        }
        let close_len = after[close..].chars().next().map_or(1, char::len_utf8);
        rest = &after[close + close_len..];
    }
    text.push_str(rest);
    flush(&mut pieces, &mut text);
    pieces
}

/// Splits an answer into `n` blanks, trying the strong separators first
/// (；; |), then commas (，, 、), then spaces; `None` when no separator
/// gives exactly `n` non-empty parts.
pub fn split_blanks(answer: &str, n: usize) -> Option<Vec<String>> {
    let answer = answer.trim();
    if n == 1 && !answer.is_empty() && !answer.contains(['；', ';', '|']) {
        return Some(vec![answer.to_owned()]);
    }
    let separators: [&[char]; 4] = [
        &['；', ';', '|'],
        &['；', ';', '|', '\n'],
        &['，', ',', '、'],
        &[' ', '\u{3000}', '\t'],
    ];
    separators.iter().find_map(|seps| {
        if !answer.contains(*seps) {
            return None;
        }
        let parts: Vec<String> = answer
            .split(*seps)
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect();
        (parts.len() == n).then_some(parts)
    })
}

/// The items of a numbered answer, “1. 甲 2. 乙”, “（1）甲；（2）乙”,
/// “①甲②乙”, “一、甲 二、乙”, one a line or on one line. `None` unless
/// there are at least two items numbered from 1.
pub fn numbered(text: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (marker start, text start)
    let mut expected = 1;
    let mut i = 0;
    while i < chars.len() {
        let at_start =
            i == 0 || chars[i - 1].is_whitespace() || "；;。，,：:".contains(chars[i - 1]);
        // A bracketed or circled number may follow text directly.
        let enclosed = "（(①②③④⑤⑥⑦⑧⑨⑩".contains(chars[i]);
        if (at_start || enclosed)
            && let Some((n, len)) = marker(&chars[i..])
            && n == expected
        {
            starts.push((i, i + len));
            expected += 1;
            i += len;
            continue;
        }
        i += 1;
    }
    if starts.len() < 2 || starts[0].0 != first_content(&chars) {
        return None;
    }
    let mut items = Vec::new();
    for (k, &(_, from)) in starts.iter().enumerate() {
        let to = starts.get(k + 1).map_or(chars.len(), |s| s.0);
        let item: String = chars[from..to].iter().collect();
        let item = item
            .trim()
            .trim_end_matches(['；', ';', '。', '，', ',', '、'])
            .trim()
            .to_owned();
        if item.is_empty() {
            return None;
        }
        items.push(item);
    }
    Some(items)
}

fn first_content(chars: &[char]) -> usize {
    chars.iter().position(|c| !c.is_whitespace()).unwrap_or(0)
}

/// A list marker at the start of `s`: its number and length.
fn marker(s: &[char]) -> Option<(usize, usize)> {
    const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";
    const HAN: &str = "一二三四五六七八九十";
    let first = *s.first()?;
    if let Some(n) = CIRCLED.chars().position(|c| c == first) {
        return Some((n + 1, 1));
    }
    let number = |from: usize| -> Option<(usize, usize)> {
        let digits: String = s[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if !digits.is_empty() {
            return digits.parse().ok().map(|n| (n, digits.len()));
        }
        let c = *s.get(from)?;
        HAN.chars().position(|h| h == c).map(|n| (n + 1, 1))
    };
    if first == '（' || first == '(' {
        let (n, len) = number(1)?;
        let close = *s.get(1 + len)?;
        return matches!(close, '）' | ')').then_some((n, len + 2));
    }
    let (n, len) = number(0)?;
    let sep = *s.get(len)?;
    let next = s.get(len + 1);
    let ok = matches!(sep, '、' | '．' | '）' | ')')
        || (sep == '.' && !next.is_some_and(|c| c.is_ascii_digit()));
    ok.then_some((n, len + 1))
}

/// Drops the `'` a spreadsheet-safe writer puts before text starting with
/// `= + - @` (see `export::safe_cell`).
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_spellings() {
        assert_eq!(kind("单选题"), Some((Kind::Choice, false)));
        assert_eq!(kind("单项选择题"), Some((Kind::Choice, false)));
        assert_eq!(kind(" 多选 "), Some((Kind::Multi, false)));
        assert_eq!(kind("判断题"), Some((Kind::Judge, false)));
        assert_eq!(kind("填空"), Some((Kind::Fill, false)));
        assert_eq!(kind("问答题"), Some((Kind::Qa, false)));
        assert_eq!(kind("简答"), Some((Kind::Qa, false)));
        assert_eq!(kind("有序列举"), Some((Kind::List, true)));
        assert_eq!(kind("Multiple Choice"), Some((Kind::Multi, false)));
        assert_eq!(kind("作文"), None);
        for k in Kind::ALL {
            for ordered in [false, true] {
                let label = kind_label(k, ordered);
                assert_eq!(kind(label), Some((k, ordered && k == Kind::List)));
            }
        }
    }

    #[test]
    fn letter_spellings() {
        assert_eq!(letters("ABD"), Some(vec![0, 1, 3]));
        assert_eq!(letters("A,B,D"), Some(vec![0, 1, 3]));
        assert_eq!(letters("A、B、D"), Some(vec![0, 1, 3]));
        assert_eq!(letters("ＤＡ"), Some(vec![0, 3]));
        assert_eq!(letters(" b "), Some(vec![1]));
        assert_eq!(letters("对"), None);
        assert_eq!(letters(""), None);
    }

    #[test]
    fn judgement_spellings() {
        for t in ["对", "√", "正确", "T", "true", "TRUE", "是"] {
            assert_eq!(judgement(t), Some(true), "{t}");
        }
        for t in ["错", "×", "错误", "F", "FALSE", "否", "X"] {
            assert_eq!(judgement(t), Some(false), "{t}");
        }
        assert_eq!(judgement("不一定"), None);
    }

    #[test]
    fn blank_marks() {
        let b = |s: &str| Piece::Blank(s.to_owned());
        let t = |s: &str| Piece::Text(s.to_owned());
        assert_eq!(
            blanks("党的宗旨是（  ）。"),
            vec![t("党的宗旨是"), b(""), t("。")]
        );
        assert_eq!(
            blanks("开( )、讲____"),
            vec![t("开"), b(""), t("、讲"), b("")]
        );
        assert_eq!(blanks("a__b"), vec![t("a__b")]);
        assert_eq!(blanks("是【实事求是】"), vec![t("是"), b("实事求是")]);
        assert_eq!(blanks("（2012年）通过"), vec![t("（2012年）通过")]);
        assert_eq!(
            inline("宗旨是（全心全意为人民服务）。"),
            vec![t("宗旨是"), b("全心全意为人民服务"), t("。")]
        );
    }

    #[test]
    fn answers_split_into_blanks() {
        assert_eq!(split_blanks("短会", 1), Some(vec!["短会".to_owned()]));
        assert_eq!(
            split_blanks("短会；短话", 2),
            Some(vec!["短会".to_owned(), "短话".to_owned()])
        );
        assert_eq!(
            split_blanks("短会，短话", 2),
            Some(vec!["短会".to_owned(), "短话".to_owned()])
        );
        assert_eq!(
            split_blanks("短会 短话", 2),
            Some(vec!["短会".to_owned(), "短话".to_owned()])
        );
        // One blank keeps its commas.
        assert_eq!(
            split_blanks("一切为了群众，一切依靠群众", 1),
            Some(vec!["一切为了群众，一切依靠群众".to_owned()])
        );
        assert_eq!(split_blanks("甲；乙；丙", 2), None);
        assert_eq!(
            split_blanks("文风；一律不发", 1),
            None,
            "two answers, one blank"
        );
    }

    #[test]
    fn numbered_answers() {
        let v = |items: &[&str]| Some(items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(numbered("1. 甲；2. 乙；3. 丙。"), v(&["甲", "乙", "丙"]));
        assert_eq!(numbered("（1）甲（2）乙"), v(&["甲", "乙"]));
        assert_eq!(
            numbered("甲1.乙2.丙"),
            None,
            "plain numbers start a segment"
        );
        assert_eq!(numbered("（1）甲；（2）乙"), v(&["甲", "乙"]));
        assert_eq!(numbered("①甲 ②乙"), v(&["甲", "乙"]));
        assert_eq!(numbered("一、甲\n二、乙"), v(&["甲", "乙"]));
        assert_eq!(numbered("1.5 倍"), None);
        // A decimal inside an item is not the next item's number.
        assert_eq!(numbered("1. 增长 2.5 倍 2. 乙"), v(&["增长 2.5 倍", "乙"]));
        assert_eq!(numbered("1945年"), None);
        assert_eq!(
            numbered("甲 1. 乙 2. 丙"),
            None,
            "text before the first number"
        );
    }

    #[test]
    fn guard_marks_are_dropped() {
        assert_eq!(unguard("'=1+1"), "=1+1");
        assert_eq!(unguard("'-10"), "-10");
        assert_eq!(unguard("'abc"), "'abc");
    }
}
