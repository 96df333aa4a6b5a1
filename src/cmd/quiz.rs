//! `dangke quiz`: a self-test. Draws questions at random (seeded, so a
//! `--now` run repeats), no hints and no rating, optional time limit; ends
//! with a score out of 100, breakdowns by kind and deck, and a review of
//! every answer. Wrong answers go into the 错题本; questions never reached
//! (the learner handed in early or time ran out) are 未作答, not mistakes.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;

use super::{card_filter, clock_now, load_library, open_learner};
use crate::cli::FilterArgs;
use crate::config::Config;
use crate::error::{Error, Exit, Result};
use crate::grade::{Verdict, grade_shown};
use crate::repl::input::Read;
use crate::repl::{self, Command, render};
use crate::schedule::{Phase, Rating};
use crate::session::entries;
use crate::store::NewReview;
use crate::term::{reading_width, sanitize, sanitize_line};
use crate::view;

/// One question of the quiz and what became of it.
struct Item {
    entry: usize,
    order: Option<Vec<usize>>,
    answer: Option<String>,
    /// None when not answered in time (or not reached at all).
    verdict: Option<Verdict>,
    /// The answer was typed but time had run out: shown, not scored.
    late: bool,
}

pub fn run(
    config: &Config,
    count: u32,
    args: &FilterArgs,
    time: Option<Duration>,
    out: &mut dyn Write,
) -> Result<Exit> {
    let library = load_library(config)?;
    let filter = card_filter(&library, args)?;
    let pool = entries(&library, &filter);
    if pool.is_empty() {
        return Err(Error::NotFound(
            "没有符合条件的题目（检查 --deck、--tag、--kinds）".to_owned(),
        ));
    }
    let (mut store, learner) = open_learner(config)?;
    super::note_user_decks(&mut store, &library, config)?;
    let start = clock_now(config);
    let seed = crate::hash::stable_hash(&[learner.name.as_bytes(), &start.secs().to_le_bytes()]);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut picks: Vec<usize> = (0..pool.len()).collect();
    picks.shuffle(&mut rng);
    picks.truncate(count as usize);
    let mut items: Vec<Item> = picks
        .into_iter()
        .enumerate()
        .map(|(i, entry)| Item {
            entry,
            order: render::option_order(
                card_of(&library, &pool[entry]),
                seed.wrapping_add(i as u64),
            ),
            answer: None,
            verdict: None,
            late: false,
        })
        .collect();
    let session = store.start_session(learner.id, "quiz", start.secs())?;
    let painter = config.stdout_painter();
    let width = reading_width();
    let limit = time.map_or(String::new(), |t| format!("，限时 {}", minutes(t)));
    let shortfall = if (items.len() as u32) < count {
        format!("（符合条件的只有 {} 题）", items.len())
    } else {
        String::new()
    };
    writeln!(
        out,
        "{}",
        painter.bold(&crate::term::wrap(
            &format!(
                "自测：共 {} 题{shortfall}{limit}。输入 :q 交卷。",
                items.len()
            ),
            width
        ))
    )?;
    let mut input = repl::line_source(None);
    let began = Instant::now();
    let countdown = match time {
        Some(t) if input.interactive() && crate::term::terminal_width().is_some() => {
            crossterm::terminal::size()
                .ok()
                .and_then(|(_, rows)| repl::countdown::Countdown::start(began + t, rows))
        }
        _ => None,
    };
    let total = items.len();
    let mut timed_out = false;
    'questions: for (i, item) in items.iter_mut().enumerate() {
        let left = time.map(|t| t.saturating_sub(began.elapsed()));
        if left == Some(Duration::ZERO) {
            timed_out = true;
            break;
        }
        let entry = &pool[item.entry];
        let deck = &library.decks[entry.deck];
        let card = &deck.cards[entry.card];
        let clock_text = left.map_or(String::new(), |l| format!(" · 剩余 {}", clock_face(l)));
        writeln!(
            out,
            "\n{}",
            painter.dim(&crate::term::wrap(
                &format!(
                    "[第 {}/{total} 题] {} · {}{clock_text}",
                    i + 1,
                    sanitize_line(&deck.title),
                    card.kind().label()
                ),
                width
            ))
        )?;
        write!(
            out,
            "{}",
            render::question(card, item.order.as_deref(), width, &painter)
        )?;
        let answer = loop {
            match input.read("答> ", out) {
                Read::Eof | Read::Interrupted => break 'questions,
                Read::Line(line) => match repl::command(&line) {
                    Some(Command::Quit) => break 'questions,
                    Some(_) => writeln!(out, "自测中不能用提示或其他命令；输入答案，或 :q 交卷。")?,
                    None if line.trim().is_empty() => {
                        writeln!(out, "请输入答案（不会可以随便写一个，或 :q 交卷）。")?
                    }
                    None => match render::ask_again(card, &line, item.order.as_deref()) {
                        Some(why) => writeln!(out, "{why}")?,
                        None => break line,
                    },
                },
            }
        };
        if time.is_some_and(|t| began.elapsed() > t) {
            item.answer = Some(answer);
            item.late = true;
            timed_out = true;
            break;
        }
        let mut verdict = grade_shown(card, &answer, item.order.as_deref());
        render::tidy_verdict(card, &answer, &mut verdict);
        record(
            &mut store,
            (learner.id, session),
            (entry, card),
            &verdict,
            &clock_now(config),
        )?;
        writeln!(out, "已作答。")?;
        item.answer = Some(answer);
        item.verdict = Some(verdict);
    }
    drop(countdown);
    let unseen = items.iter().filter(|i| i.verdict.is_none()).count();
    if timed_out {
        writeln!(
            out,
            "\n{}",
            painter.warning(&format!(
                "时间到！未作答 {unseen} 题（不计分，也不进错题本）。"
            ))
        )?;
    } else if unseen > 0 {
        writeln!(
            out,
            "\n{}",
            painter.warning(&format!(
                "已交卷，未作答 {unseen} 题（不计分，也不进错题本）。"
            ))
        )?;
    }
    // Questions never answered are not mistakes: nothing is recorded.
    let end = clock_now(config);
    store.end_session(session, end.secs())?;
    report(&library, &pool, &items, &painter, width, out)?;
    Ok(Exit::Ok)
}

fn card_of<'a>(
    library: &'a crate::deck::Library,
    entry: &crate::session::Entry,
) -> &'a crate::deck::Card {
    &library.decks[entry.deck].cards[entry.card]
}

/// Logs one quiz answer; a wrong or partial one makes the card due now.
fn record(
    store: &mut crate::store::Store,
    (learner_id, session): (i64, i64),
    (entry, card): (&crate::session::Entry, &crate::deck::Card),
    verdict: &Verdict,
    clock: &crate::clock::Clock,
) -> Result<()> {
    let (key, hash) = (entry.key.as_str(), &card.content_hash());
    store.log_answer(&NewReview {
        learner_id,
        card_key: key,
        session_id: Some(session),
        at: clock.secs(),
        rating: if verdict.outcome.is_right() {
            Rating::Good
        } else {
            Rating::Again
        },
        verdict: verdict.outcome,
        score: verdict.score,
        response_ms: 0,
        mode: "quiz",
        phase_before: Phase::New,
        content_hash: hash,
    })?;
    if !verdict.outcome.is_right() {
        let rows = store.card_rows(learner_id)?;
        store.make_due(learner_id, key, clock.secs(), rows.get(key), hash)?;
    }
    Ok(())
}

fn minutes(t: Duration) -> String {
    let secs = t.as_secs();
    if secs.is_multiple_of(60) {
        format!("{} 分钟", secs / 60)
    } else {
        format!("{secs} 秒")
    }
}

use crate::repl::countdown::clock_face;

/// "12. question…" wrapped to `width`, its continuation lines indented
/// under the question's first character.
fn numbered(n: usize, text: &str, width: usize) -> String {
    let number = format!("{n}. ");
    let pad = " ".repeat(crate::term::width(&number));
    let inner = if width == 0 {
        0
    } else {
        width.saturating_sub(pad.len()).max(10)
    };
    let body = crate::term::wrap(text, inner).replace('\n', &format!("\n{pad}"));
    format!("{number}{body}")
}

/// Text wrapped to fit `width` after a three-space indent, every line
/// indented.
fn indented(text: &str, width: usize) -> String {
    let inner = if width == 0 {
        0
    } else {
        width.saturating_sub(3).max(20)
    };
    crate::term::wrap(text, inner)
        .lines()
        .map(|l| format!("   {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Labels padded to the same display width, so counts line up.
fn aligned<'a>(rows: impl IntoIterator<Item = (String, &'a (usize, usize))>) -> Vec<String> {
    let rows: Vec<(String, &(usize, usize))> = rows.into_iter().collect();
    let widest = rows
        .iter()
        .map(|(label, _)| crate::term::width(label))
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|(label, (n, ok))| {
            let pad = " ".repeat(widest - crate::term::width(label));
            format!("  {label}{pad}  {ok:>2}/{n}")
        })
        .collect()
}

/// The end-of-quiz report: score, breakdowns, then every question with
/// the answer given and the right one.
fn report(
    library: &crate::deck::Library,
    pool: &[crate::session::Entry],
    items: &[Item],
    painter: &crate::term::Painter,
    width: usize,
    out: &mut dyn Write,
) -> Result<()> {
    let total = items.len().max(1) as f64;
    let score: f64 = items
        .iter()
        .filter_map(|i| i.verdict.as_ref())
        .map(|v| v.score)
        .sum::<f64>()
        // An empty sum is -0.0, shown as "-0".
        + 0.0;
    let is_right = |i: &Item| i.verdict.as_ref().is_some_and(|v| v.outcome.is_right());
    let right = items.iter().filter(|i| is_right(i)).count();
    let unseen = items.iter().filter(|i| i.verdict.is_none()).count();
    let unseen_text = if unseen > 0 {
        format!("，未作答 {unseen} 题")
    } else {
        String::new()
    };
    writeln!(
        out,
        "\n{}",
        painter.bold(&format!(
            "得分：{:.0} / 100（答对 {right}/{} 题{unseen_text}）",
            score / total * 100.0,
            items.len()
        ))
    )?;
    let mut by_kind: BTreeMap<crate::deck::Kind, (usize, usize)> = BTreeMap::new();
    let mut by_deck: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for item in items {
        let entry = &pool[item.entry];
        let ok = usize::from(is_right(item));
        let kind = card_of(library, entry).kind();
        let k = by_kind.entry(kind).or_default();
        k.0 += 1;
        k.1 += ok;
        let d = by_deck.entry(entry.deck).or_default();
        d.0 += 1;
        d.1 += ok;
    }
    writeln!(out, "按题型：")?;
    for line in aligned(by_kind.iter().map(|(k, c)| (k.label().to_owned(), c))) {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "按卡组：")?;
    let decks = by_deck
        .iter()
        .map(|(d, c)| (sanitize_line(&library.decks[*d].title), c));
    for line in aligned(decks) {
        writeln!(out, "{line}")?;
    }
    let wrong = items
        .iter()
        .filter(|i| i.verdict.as_ref().is_some_and(|v| !v.outcome.is_right()))
        .count();
    if right == items.len() {
        writeln!(out, "\n{}", painter.good("全部答对！"))?;
    }
    writeln!(out, "\n答题回顾：")?;
    for (n, item) in items.iter().enumerate() {
        let card = card_of(library, &pool[item.entry]);
        let prompt = card.prompt_shown();
        let mark = match (&item.verdict, item.late) {
            (Some(v), _) => view::verdict_headline(v, painter),
            (None, true) => painter.warning("⏱ 超时"),
            (None, false) => painter.dim("○ 未作答"),
        };
        writeln!(out, "\n{}", numbered(n + 1, &sanitize(&prompt), width))?;
        let given = match (&item.answer, item.late) {
            (Some(a), true) => format!("{}（时间到后提交，未计分）", sanitize_line(a)),
            (Some(a), false) => sanitize_line(a),
            (None, _) => "（未作答）".to_owned(),
        };
        writeln!(
            out,
            "   {mark}　{}",
            crate::term::wrap(&format!("你的答案：{given}"), width.saturating_sub(12))
                .replace('\n', "\n   ")
        )?;
        if let Some(verdict) = &item.verdict {
            for line in view::verdict_details(card, verdict, painter) {
                writeln!(out, "   {line}")?;
            }
        }
        if !is_right(item) || item.verdict.as_ref().is_some_and(|v| !v.slips.is_empty()) {
            let right = format!(
                "标准答案：{}",
                sanitize(&render::answer_shown(card, item.order.as_deref()))
            );
            writeln!(out, "{}", indented(&right, width))?;
            if let Some(explain) = &card.explain {
                let explain = format!("解析：{}", sanitize(explain));
                writeln!(out, "{}", indented(&explain, width))?;
            }
        }
    }
    if wrong > 0 {
        writeln!(
            out,
            "\n错题 {wrong} 道已加入错题本，用 dangke study --mistakes 专练。"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_question_in_the_review_is_indented_under_its_number() {
        let prompt = "毛泽东在《关心群众生活，注意工作方法》中说：我们是革命战争的领导者、组织者，我们又是群众生活的领导者、组织者。组织革命战争，改良群众生活，这是我们的两大任务。";
        let text = numbered(12, prompt, 80);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 1, "{text}");
        assert!(lines[0].starts_with("12. 毛泽东"), "{text}");
        for line in &lines[1..] {
            assert!(
                line.starts_with("    ") && !line.starts_with("     "),
                "{text}"
            );
        }
        assert!(lines.iter().all(|l| crate::term::width(l) <= 80), "{text}");
        assert_eq!(numbered(3, "短题目", 0), "3. 短题目");
    }
}
