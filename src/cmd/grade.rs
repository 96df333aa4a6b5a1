//! `dangke grade DECK/CARD ANSWER`: grades one answer the way study and
//! quizzes would, so deck authors can test their accepted forms.

use std::io::Write;

use serde::Serialize;

use crate::config::Config;
use crate::deck::{Card, Library};
use crate::error::{Error, Exit, Result};
use crate::grade::{Slip, grade};
use crate::view;

/// The `--json` contract.
#[derive(Serialize)]
struct JsonVerdict<'a> {
    verdict: &'static str,
    score: f64,
    missing: &'a [String],
    extra: &'a [String],
    slips: &'a [Slip],
    misplaced: &'a [String],
    note: Option<&'a str>,
}

pub fn run(
    config: &Config,
    target: &str,
    answer: &str,
    json: bool,
    out: &mut dyn Write,
) -> Result<Exit> {
    let library = super::load_library(config)?;
    let card = find_card(&library, target)?;
    let verdict = grade(card, answer);
    if json {
        let value = JsonVerdict {
            verdict: verdict.outcome.name(),
            score: (verdict.score * 1000.0).round() / 1000.0,
            missing: &verdict.missing,
            extra: &verdict.extra,
            slips: &verdict.slips,
            misplaced: &verdict.misplaced,
            note: verdict.note.as_deref(),
        };
        let text = serde_json::to_string(&value)
            .map_err(|e| Error::Usage(format!("无法生成 JSON：{e}")))?;
        writeln!(out, "{text}")?;
        return Ok(Exit::Ok);
    }
    let painter = config.stdout_painter();
    writeln!(
        out,
        "{}（得分 {:.2}）",
        view::verdict_headline(&verdict, &painter),
        verdict.score
    )?;
    for line in view::verdict_details(card, &verdict, &painter) {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", view::answer_line(card))?;
    Ok(Exit::Ok)
}

/// Resolves `DECK/CARD`, or says which part does not exist.
pub fn find_card<'a>(library: &'a Library, target: &str) -> Result<&'a Card> {
    let Some((deck_id, card_id)) = target.split_once('/') else {
        return Err(Error::Usage(format!(
            "卡片要写成“卡组 id/卡片 id”，如 wu-ge-bi-yu/zhong-zi-tu-di，而不是“{target}”"
        )));
    };
    let Some(deck) = library.deck(deck_id) else {
        let ids: Vec<&str> = library.decks.iter().map(|d| d.id.as_str()).collect();
        return Err(Error::NotFound(format!(
            "没有找到卡组“{deck_id}”（已加载：{}）",
            ids.join("、")
        )));
    };
    deck.card(card_id).ok_or_else(|| {
        Error::NotFound(format!(
            "卡组 {deck_id} 中没有卡片“{card_id}”（可用 dangke decks 查看卡组）"
        ))
    })
}
