//! `dangke optimize`: fits FSRS-6 parameters to the learner's own reviews
//! (the `fsrs` crate's `compute_parameters`), reports how well the old and
//! new parameters predict those reviews, and stores the new ones.

use std::collections::BTreeMap;
use std::io::Write;

use fsrs::{ComputeParametersInput, FSRS, FSRSError, FSRSItem, FSRSReview, compute_parameters};

use crate::clock::Clock;
use crate::config::Config;
use crate::error::{Exit, Result};
use crate::store::ReviewRow;

/// Turns a review log into FSRS training items: one item per review after
/// a card's first, holding that card's history up to it.
pub fn items(reviews: &[ReviewRow], clock: &Clock) -> Vec<FSRSItem> {
    let mut by_card: BTreeMap<&str, Vec<&ReviewRow>> = BTreeMap::new();
    for r in reviews {
        by_card.entry(r.card_key.as_str()).or_default().push(r);
    }
    let mut items = Vec::new();
    for history in by_card.values() {
        let mut reviews: Vec<FSRSReview> = Vec::with_capacity(history.len());
        let mut prev_day = None;
        for r in history {
            let day = clock.day_of(r.at);
            let delta_t = prev_day.map_or(0, |p: jiff::civil::Date| {
                p.until(day).map_or(0, |s| s.get_days().max(0) as u32)
            });
            prev_day = Some(day);
            reviews.push(FSRSReview {
                rating: r.rating as u32,
                delta_t,
            });
            if reviews.len() > 1 {
                items.push(FSRSItem {
                    reviews: reviews.clone(),
                });
            }
        }
    }
    items
}

pub fn run(config: &Config, out: &mut dyn Write) -> Result<Exit> {
    let (mut store, learner) = super::open_learner(config)?;
    // Quiz and contest answers do not move the schedule, so they are not
    // part of the memory history FSRS is fitted to.
    let reviews = store.reviews_since(learner.id, i64::MIN, Some("study"))?;
    let items = items(&reviews, &config.clock);
    let long_term = items
        .iter()
        .filter(|i| i.reviews.last().is_some_and(|r| r.delta_t > 0))
        .count();
    writeln!(
        out,
        "学习者 {}：{} 次复习，{} 个可用于拟合的复习记录（其中隔天复习 {long_term} 个）。",
        learner.name,
        reviews.len(),
        items.len()
    )?;
    let too_few = |out: &mut dyn Write| -> Result<Exit> {
        writeln!(
            out,
            "复习记录太少，还不能拟合参数：请继续学习，积累更多隔天复习后再运行 dangke optimize。当前使用{}参数。",
            if learner.parameters.is_some() {
                "之前拟合的"
            } else {
                "默认"
            }
        )?;
        Ok(Exit::Ok)
    };
    if long_term < 8 {
        return too_few(out);
    }
    let fitted = match compute_parameters(ComputeParametersInput {
        train_set: items.clone(),
        ..ComputeParametersInput::default()
    }) {
        Ok(p) => p,
        Err(FSRSError::NotEnoughData) => return too_few(out),
        Err(e) => return Err(crate::schedule::ScheduleError(format!("{e:?}")).into()),
    };
    let evaluate = |params: &[f32]| {
        FSRS::new(params)
            .and_then(|f| f.evaluate(items.clone(), |_| true))
            .map_err(|e| crate::schedule::ScheduleError(format!("{e:?}")))
    };
    let current = learner
        .parameters
        .clone()
        .unwrap_or_else(|| fsrs::DEFAULT_PARAMETERS.to_vec());
    let before = evaluate(&current)?;
    let after = evaluate(&fitted)?;
    writeln!(out, "                 拟合前      拟合后")?;
    writeln!(
        out,
        "对数损失         {:<10.4}  {:.4}",
        before.log_loss, after.log_loss
    )?;
    writeln!(
        out,
        "RMSE（分箱）     {:<10.4}  {:.4}",
        before.rmse_bins, after.rmse_bins
    )?;
    store.set_parameters(learner.id, &fitted)?;
    writeln!(
        out,
        "已保存新参数（数值越小，预测越准）：{}",
        fitted
            .iter()
            .map(|p| format!("{p:.4}"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Phase, Rating};

    fn review(key: &str, day: i64, rating: Rating) -> ReviewRow {
        ReviewRow {
            card_key: key.into(),
            at: 1_780_000_000 + day * 86_400,
            rating,
            phase_before: Phase::Review,
        }
    }

    #[test]
    fn items_hold_each_cards_history_with_day_gaps() {
        let clock = Clock::new(
            jiff::Timestamp::from_second(1_790_000_000).unwrap(),
            jiff::tz::TimeZone::get("Asia/Shanghai").unwrap(),
        );
        let log = [
            review("d/a", 0, Rating::Good),
            review("d/b", 0, Rating::Again),
            review("d/a", 3, Rating::Good),
            review("d/a", 10, Rating::Hard),
        ];
        let items = items(&log, &clock);
        // Card a: two items (after its 2nd and 3rd reviews); card b: none.
        assert_eq!(items.len(), 2);
        let last = &items[1].reviews;
        assert_eq!(
            last.iter().map(|r| r.delta_t).collect::<Vec<_>>(),
            vec![0, 3, 7]
        );
        assert_eq!(
            last.iter().map(|r| r.rating).collect::<Vec<_>>(),
            vec![3, 3, 2]
        );
    }
}
