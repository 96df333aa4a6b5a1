//! What the room is shown of the question on screen: its options in the
//! shuffled order, the answer in those letters, buzzer keys, and the
//! warning before `n` would pass over an unjudged turn.

use super::{Contest, Current, Phase};
use crate::contest::RoundKind;
use crate::deck::option_letter;

impl Contest<'_> {
    /// The options of the question on screen as shown ("A. …"), in the
    /// shuffled order; empty for kinds without options.
    pub fn options(&self, current: &Current) -> Vec<String> {
        let card = self.card(current.entry);
        let (crate::deck::Body::Choice { options, .. } | crate::deck::Body::Multi { options, .. }) =
            &card.body
        else {
            return Vec::new();
        };
        shown_order(current, options.len())
            .iter()
            .enumerate()
            .map(|(shown, &i)| format!("{}. {}", option_letter(shown), options[i]))
            .collect()
    }

    /// The right answer as the room saw the options (letters in the shown
    /// order).
    pub fn answer(&self, current: &Current) -> String {
        let card = self.card(current.entry);
        match &card.body {
            crate::deck::Body::Choice { options, answer } => {
                let order = shown_order(current, options.len());
                let shown = order.iter().position(|&i| i == *answer).unwrap_or(0);
                format!("{}. {}", option_letter(shown), options[*answer])
            }
            crate::deck::Body::Multi { options, answers } => {
                let order = shown_order(current, options.len());
                let mut shown: Vec<usize> = answers
                    .iter()
                    .filter_map(|a| order.iter().position(|i| i == a))
                    .collect();
                shown.sort_unstable();
                shown
                    .iter()
                    .map(|&s| format!("{}. {}", option_letter(s), options[order[s]]))
                    .collect::<Vec<_>>()
                    .join("；")
            }
            _ => card.answer_text(),
        }
    }

    /// Why pressing `n` now would lose something, if it would: a turn
    /// question nobody judged, or a risk team that has not chosen its
    /// value. The front ends ask the host to press `n` again.
    pub fn next_warning(&self) -> Option<String> {
        let current = self.state.current.as_ref()?;
        let round = self.round()?;
        if current.settled || self.state.phase != Phase::Question {
            return None;
        }
        if matches!(round.kind, RoundKind::Buzz | RoundKind::Tiebreak) {
            // A revealed answer closes the question on purpose.
            return (!current.revealed).then(|| {
                "本题还没有人答对（抢答后 +队号 答对，-队号 答错；r 揭晓答案）；再按 n 记为无人答出、出下一题"
                    .to_owned()
            });
        }
        let t = current.team?;
        if !current.tried.is_empty() {
            return None;
        }
        let name = self.team_name(t);
        Some(match (round.kind, current.value) {
            (RoundKind::Risk, None) => format!(
                "{name} 还没有选分值（v {} 分值）；再按 n 跳过这一队的风险题",
                t + 1
            ),
            _ => format!(
                "本题还没有判定（+{0} 答对，-{0} 答错）；再按 n 记为 {name} 未答出",
                t + 1
            ),
        })
    }

    /// Each team's buzzer key, in team order.
    pub fn buzzer_keys(&self) -> Vec<char> {
        if self.spec.buzzers.is_empty() {
            ('1'..='9').collect()
        } else {
            self.spec.buzzers.clone()
        }
    }
}

/// "0.352 秒".
pub fn seconds(ms: u64) -> String {
    format!("{}.{:03} 秒", ms / 1000, ms % 1000)
}

fn shown_order(current: &Current, n: usize) -> Vec<usize> {
    match &current.order {
        Some(order) if order.len() == n => order.clone(),
        _ => (0..n).collect(),
    }
}
