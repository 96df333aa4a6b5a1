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
    pub fouls: u32,
}

impl<'a> From<&'a super::engine::Team> for Standing<'a> {
    fn from(t: &'a super::engine::Team) -> Self {
        Standing {
            name: &t.name,
            score: t.score,
            right: t.right,
            wrong: t.wrong,
            fouls: t.fouls,
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
            fouls: t.fouls,
        }
    }
}

const BOM: &str = "\u{feff}";

/// Quotes a field when it holds a comma, quote or line break. Text that
/// a spreadsheet would run as a formula (starting with `= + - @`, or a tab
/// or carriage return, the OWASP rule) gets a leading `'` so it shows as
/// text; numbers are written by the caller with [`number`], not here.
pub(crate) fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A cell holding a number the spreadsheet should keep as one ("-10").
enum Cell {
    Text(String),
    Number(i64),
    Signed(i64),
}

fn row(cells: &[Cell]) -> String {
    let mut line = cells
        .iter()
        .map(|c| match c {
            Cell::Text(t) => field(t),
            Cell::Number(n) => n.to_string(),
            Cell::Signed(0) => String::new(),
            Cell::Signed(n) => format!("{n:+}"),
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

fn header(names: &[&str]) -> String {
    row(&names
        .iter()
        .map(|n| Cell::Text((*n).to_owned()))
        .collect::<Vec<_>>())
}

/// The final ranking: 名次, 队伍, 得分, 答对, 答错, 犯规.
pub fn results_csv(teams: &[Standing<'_>]) -> String {
    let scores: Vec<i64> = teams.iter().map(|t| t.score).collect();
    let mut out = String::from(BOM);
    out.push_str(&header(&["名次", "队伍", "得分", "答对", "答错", "犯规"]));
    for (place, i) in rank(&scores) {
        let t = &teams[i];
        out.push_str(&row(&[
            Cell::Number(place as i64),
            Cell::Text(t.name.to_owned()),
            Cell::Number(t.score),
            Cell::Number(i64::from(t.right)),
            Cell::Number(i64::from(t.wrong)),
            Cell::Number(i64::from(t.fouls)),
        ]));
    }
    out
}

/// Every question and action with its time.
pub fn log_csv(log: &[LogEntry], teams: &[&str], clock: &Clock) -> String {
    let mut out = String::from(BOM);
    out.push_str(&header(&[
        "时间",
        "轮次",
        "题目",
        "操作",
        "队伍",
        "分数变化",
        "说明",
        "已撤销",
    ]));
    for e in log {
        let time = jiff::Timestamp::from_second(e.at)
            .map(|t| {
                t.to_zoned(clock.tz.clone())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_default();
        out.push_str(&row(&[
            Cell::Text(time),
            Cell::Text(e.round.clone()),
            Cell::Text(e.question.clone().unwrap_or_default()),
            Cell::Text(e.action.clone()),
            Cell::Text(
                e.team
                    .and_then(|t| teams.get(t))
                    .map(|s| (*s).to_owned())
                    .unwrap_or_default(),
            ),
            Cell::Signed(e.delta),
            Cell::Text(e.text.clone()),
            Cell::Text(if e.undone { "是" } else { "" }.to_owned()),
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
                fouls: 2,
            },
            Standing {
                name: "二,组",
                score: 130,
                right: 4,
                wrong: 0,
                fouls: 0,
            },
            Standing {
                name: "三组",
                score: 120,
                right: 2,
                wrong: 0,
                fouls: 0,
            },
        ];
        let csv = results_csv(&teams);
        assert_eq!(
            csv,
            "\u{feff}名次,队伍,得分,答对,答错,犯规\r\n1,\"二,组\",130,4,0,0\r\n2,一组,120,3,1,2\r\n2,三组,120,2,0,0\r\n"
        );
    }

    #[test]
    fn quotes_inside_fields_are_doubled() {
        assert_eq!(field("说“好”"), "说“好”");
        assert_eq!(field("a\"b"), "\"a\"\"b\"");
        assert_eq!(field("两\n行"), "\"两\n行\"");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_neutralised() {
        assert_eq!(
            field("=HYPERLINK(\"http://x\",\"点我\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\""
        );
        assert_eq!(field("@SUM(1+1)"), "'@SUM(1+1)");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-2"), "'-2");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("一组=好"), "一组=好", "only a leading sign counts");
        // Numbers stay numbers.
        assert_eq!(row(&[Cell::Signed(-10), Cell::Number(-5)]), "-10,-5\r\n");
    }
}
