//! Live session results as CSV files Excel opens correctly (UTF-8 with a
//! byte-order mark, formula-safe cells): the ranking, and per question the
//! share of right answers and the most common wrong ones.

use super::engine::{Engine, Mark};
use crate::contest::export::field;

const BOM: &str = "\u{feff}";

fn line(cells: &[String]) -> String {
    let mut l = cells.join(",");
    l.push_str("\r\n");
    l
}

/// "1分05秒": time from the first question to the last answer.
fn duration(ms: i64) -> String {
    let secs = (ms.max(0) + 500) / 1000;
    if secs >= 60 {
        format!("{}分{:02}秒", secs / 60, secs % 60)
    } else {
        format!("{secs}秒")
    }
}

/// 名次, 姓名, 队伍, 得分, 答对, 答错, 未答, 用时. 用时 sums, per answered
/// question, the time from its opening (self pace: from the paper handed
/// out) to the answer.
pub fn results_csv(engine: &Engine<'_>) -> String {
    let opened = &engine.opened;
    let mut out = String::from(BOM);
    out.push_str("名次,姓名,队伍,得分,答对,答错,未答,用时\r\n");
    for (p, place) in engine.leaderboard() {
        let part = &engine.participants[p];
        let (right, wrong, none) = part.counts();
        let used: i64 = part
            .answers
            .iter()
            .enumerate()
            .filter_map(|(q, a)| {
                let a = a.as_ref()?;
                let from = opened.get(q).copied().flatten()?;
                Some((a.at - from).max(0))
            })
            .sum();
        out.push_str(&line(&[
            place.to_string(),
            field(&part.name),
            field(&part.team),
            part.score().to_string(),
            right.to_string(),
            wrong.to_string(),
            none.to_string(),
            duration(used),
        ]));
    }
    out
}

/// 题号, 题目, 正确率, 常见错误答案.
pub fn questions_csv(engine: &Engine<'_>) -> String {
    let mut out = String::from(BOM);
    out.push_str("题号,题目,正确率,常见错误答案\r\n");
    let n = engine.participants.len();
    for q in 0..engine.paper.len() {
        let right = engine
            .participants
            .iter()
            .filter(|p| p.answers[q].as_ref().is_some_and(|a| a.mark == Mark::Right))
            .count();
        let rate = if n == 0 {
            String::new()
        } else {
            format!("{:.0}%", right as f64 * 100.0 / n as f64)
        };
        let wrong: Vec<String> = engine
            .wrong_answers(q)
            .into_iter()
            .take(3)
            .map(|(text, count)| format!("{text}（{count}人）"))
            .collect();
        out.push_str(&line(&[
            (q + 1).to_string(),
            field(&engine.card(q).prompt_shown()),
            rate,
            field(&wrong.join("；")),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_chinese() {
        assert_eq!(duration(0), "0秒");
        assert_eq!(duration(4_600), "5秒");
        assert_eq!(duration(65_000), "1分05秒");
    }
}
