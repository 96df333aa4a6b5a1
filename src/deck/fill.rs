//! The blank syntax of fill cards: `开{{短会}}、讲{{短话|短的话}}`.

/// A piece of a fill prompt: plain text, or a blank with its accepted
/// answers (the first one is the canonical answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillPart {
    Text(String),
    Blank(Vec<String>),
}

/// A problem in a fill template, with the byte offset (within the prompt)
/// where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FillError {
    pub offset: usize,
    pub message: String,
}

/// Splits a fill prompt into text and blanks.
pub fn parse(prompt: &str) -> Result<Vec<FillPart>, FillError> {
    let mut parts = Vec::new();
    let mut rest = prompt;
    let mut offset = 0;
    loop {
        let open = rest.find("{{");
        let close = rest.find("}}");
        match (open, close) {
            (None, None) => {
                if !rest.is_empty() {
                    parts.push(FillPart::Text(rest.to_owned()));
                }
                break;
            }
            (Some(open), Some(close)) if open < close => {
                let inner = &rest[open + 2..close];
                if let Some(nested) = inner.find("{{") {
                    return Err(FillError {
                        offset: offset + open + 2 + nested,
                        message: "空格里不能再套 {{".to_owned(),
                    });
                }
                if open > 0 {
                    parts.push(FillPart::Text(rest[..open].to_owned()));
                }
                // `{{~甲}}`: the blank is in an order-free group (see
                // order_free_groups); the mark is not part of the answers.
                let inner = inner.trim_start();
                let inner = inner.strip_prefix('~').unwrap_or(inner);
                let answers: Vec<String> = inner.split('|').map(|a| a.trim().to_owned()).collect();
                if answers.iter().any(|a| a.is_empty()) {
                    return Err(FillError {
                        offset: offset + open,
                        message: "空格里的答案不能为空（写法：{{答案}} 或 {{答案|另一种说法}}）"
                            .to_owned(),
                    });
                }
                parts.push(FillPart::Blank(answers));
                offset += close + 2;
                rest = &rest[close + 2..];
            }
            (Some(open), None) => {
                return Err(FillError {
                    offset: offset + open,
                    message: "空格 {{ 没有闭合（缺少 }}）".to_owned(),
                });
            }
            (_, Some(close)) => {
                return Err(FillError {
                    offset: offset + close,
                    message: "多余的 }}：前面没有对应的 {{".to_owned(),
                });
            }
        }
    }
    if !parts.iter().any(|p| matches!(p, FillPart::Blank(_))) {
        return Err(FillError {
            offset: 0,
            message: "填空题的题面里没有空格：用 {{答案}} 标出要填的词".to_owned(),
        });
    }
    Ok(parts)
}

/// For each blank of a fill prompt, its order-free group: neighbouring
/// blanks marked `~` (`{{~必修课}}和{{~基本功}}`) may be answered in any
/// order among themselves. A blank without the mark ends a group.
pub fn order_free_groups(prompt: &str) -> Vec<Option<usize>> {
    let mut groups = Vec::new();
    let mut current: Option<usize> = None;
    let mut next_group = 0;
    for (i, _) in prompt.match_indices("{{") {
        let free = prompt[i + 2..].trim_start().starts_with('~');
        if free {
            let g = *current.get_or_insert_with(|| {
                next_group += 1;
                next_group - 1
            });
            groups.push(Some(g));
        } else {
            current = None;
            groups.push(None);
        }
    }
    groups
}

/// The canonical answer of each blank, in order.
pub fn blank_answers(parts: &[FillPart]) -> Vec<&str> {
    parts
        .iter()
        .filter_map(|p| match p {
            FillPart::Blank(answers) => answers.first().map(String::as_str),
            FillPart::Text(_) => None,
        })
        .collect()
}

/// The prompt with each blank replaced by `blank`, for showing a question.
pub fn render_with_blanks(parts: &[FillPart], blank: &str) -> String {
    parts
        .iter()
        .map(|p| match p {
            FillPart::Text(t) => t.as_str(),
            FillPart::Blank(_) => blank,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(answers: &[&str]) -> FillPart {
        FillPart::Blank(answers.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn parses_blanks_and_alternatives() {
        let parts = parse("开{{短会}}、讲{{短话|短的话}}").unwrap();
        assert_eq!(
            parts,
            vec![
                FillPart::Text("开".into()),
                blank(&["短会"]),
                FillPart::Text("、讲".into()),
                blank(&["短话", "短的话"]),
            ]
        );
        assert_eq!(blank_answers(&parts), vec!["短会", "短话"]);
        assert_eq!(render_with_blanks(&parts, "＿＿"), "开＿＿、讲＿＿");
    }

    #[test]
    fn a_blank_may_stand_alone() {
        assert_eq!(parse("{{实事求是}}").unwrap(), vec![blank(&["实事求是"])]);
    }

    #[test]
    fn order_free_blanks_are_marked_with_a_tilde() {
        let prompt = "是{{~必修课}}和{{~基本功}}，要{{会风}}，{{~甲}}、{{~乙|丙}}";
        assert_eq!(
            parse(prompt).unwrap(),
            vec![
                FillPart::Text("是".into()),
                blank(&["必修课"]),
                FillPart::Text("和".into()),
                blank(&["基本功"]),
                FillPart::Text("，要".into()),
                blank(&["会风"]),
                FillPart::Text("，".into()),
                blank(&["甲"]),
                FillPart::Text("、".into()),
                blank(&["乙", "丙"]),
            ]
        );
        assert_eq!(
            order_free_groups(prompt),
            vec![Some(0), Some(0), None, Some(1), Some(1)]
        );
        assert_eq!(order_free_groups("{{a}}{{b}}"), vec![None, None]);
        assert!(parse("{{~}}").is_err(), "a mark alone is an empty blank");
    }

    #[test]
    fn rejects_prompts_without_blanks() {
        let err = parse("没有空格").unwrap_err();
        assert!(err.message.contains("没有空格"));
    }

    #[test]
    fn rejects_broken_blanks_with_the_offset() {
        assert_eq!(parse("ab{{cd").unwrap_err().offset, 2);
        assert_eq!(parse("ab}}cd{{x}}").unwrap_err().offset, 2);
        assert_eq!(parse("{{a}}{{}}").unwrap_err().offset, 5);
        assert_eq!(parse("{{a|}}").unwrap_err().offset, 0);
        assert_eq!(parse("{{a{{b}}").unwrap_err().offset, 3);
    }
}
