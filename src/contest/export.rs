//! Contest results as CSV files that Excel opens correctly: UTF-8 with a
//! byte-order mark, quoted where needed.

use super::engine::{LogEntry, rank};
use crate::clock::Clock;

/// One team's final standing.
pub struct Standing<'a> {
    pub name: &'a str,
    pub score: i64,
    pub right: u32,
    pub wrong: u32,
}

impl<'a> From<&'a super::engine::Team> for Standing<'a> {
    fn from(t: &'a super::engine::Team) -> Self {
        Standing {
            name: &t.name,
            score: t.score,
            right: t.right,
            wrong: t.wrong,
        }
    }
}

impl<'a> From<&'a crate::store::TeamRow> for Standing<'a> {
    fn from(t: &'a crate::store::TeamRow) -> Self {
        Standing {
            name: &t.name,
            score: t.score,
            right: t.right,
            wrong: t.wrong,
        }
    }
}

const BOM: &str = "\u{feff}";

/// Quotes a field when it holds a comma, quote or line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn row(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// The final ranking: 名次, 队伍, 得分, 答对, 答错.
pub fn results_csv(teams: &[Standing<'_>]) -> String {
    let scores: Vec<i64> = teams.iter().map(|t| t.score).collect();
    let mut out = String::from(BOM);
    out.push_str(&row(
        &["名次", "队伍", "得分", "答对", "答错"].map(String::from)
    ));
    for (place, i) in rank(&scores) {
        let t = &teams[i];
        out.push_str(&row(&[
            place.to_string(),
            t.name.to_owned(),
            t.score.to_string(),
            t.right.to_string(),
            t.wrong.to_string(),
        ]));
    }
    out
}

/// Every question and action with its time.
pub fn log_csv(log: &[LogEntry], teams: &[&str], clock: &Clock) -> String {
    let mut out = String::from(BOM);
    out.push_str(&row(&[
        "时间",
        "轮次",
        "题目",
        "操作",
        "队伍",
        "分数变化",
        "说明",
        "已撤销",
    ]
    .map(String::from)));
    for e in log {
        let time = jiff::Timestamp::from_second(e.at)
            .map(|t| {
                t.to_zoned(clock.tz.clone())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_default();
        out.push_str(&row(&[
            time,
            e.round.clone(),
            e.question.clone().unwrap_or_default(),
            e.action.clone(),
            e.team
                .and_then(|t| teams.get(t))
                .map(|s| (*s).to_owned())
                .unwrap_or_default(),
            if e.delta == 0 {
                String::new()
            } else {
                format!("{:+}", e.delta)
            },
            e.text.clone(),
            if e.undone {
                "是".to_owned()
            } else {
                String::new()
            },
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_have_a_bom_a_header_and_shared_places() {
        let teams = [
            Standing {
                name: "一组",
                score: 120,
                right: 3,
                wrong: 1,
            },
            Standing {
                name: "二,组",
                score: 130,
                right: 4,
                wrong: 0,
            },
            Standing {
                name: "三组",
                score: 120,
                right: 2,
                wrong: 0,
            },
        ];
        let csv = results_csv(&teams);
        assert_eq!(
            csv,
            "\u{feff}名次,队伍,得分,答对,答错\r\n1,\"二,组\",130,4,0\r\n2,一组,120,3,1\r\n2,三组,120,2,0\r\n"
        );
    }

    #[test]
    fn quotes_inside_fields_are_doubled() {
        assert_eq!(field("说“好”"), "说“好”");
        assert_eq!(field("a\"b"), "\"a\"\"b\"");
        assert_eq!(field("两\n行"), "\"两\n行\"");
    }
}
