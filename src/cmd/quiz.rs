//! `dangke quiz`: a self-test. Draws questions at random (seeded, so a
//! `--now` run repeats), no hints and no rating, optional time limit; ends
//! with a score out of 100, breakdowns by kind and deck, and every wrong
//! answer with the right one. Wrong answers go into the 错题本.

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
use crate::grade::{Outcome, Verdict, grade_shown};
use crate::repl::input::Read;
use crate::repl::{self, Command, render};
use crate::schedule::{Phase, Rating};
use crate::session::entries;
use crate::store::NewReview;
use crate::term::{sanitize, sanitize_line, terminal_width};

/// One question of the quiz and what became of it.
struct Item {
    entry: usize,
    order: Option<Vec<usize>>,
    answer: Option<String>,
    verdict: Option<Verdict>,
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
        })
        .collect();
    let session = store.start_session(learner.id, "quiz", start.secs())?;
    let painter = config.stdout_painter();
    let width = terminal_width().unwrap_or(0);
    let limit = time.map_or(String::new(), |t| format!("，限时 {}", minutes(t)));
    let shortfall = if (items.len() as u32) < count {
        format!("（符合条件的只有 {} 题）", items.len())
    } else {
        String::new()
    };
    writeln!(
        out,
        "{}",
        painter.bold(&format!(
            "自测：共 {} 题{shortfall}{limit}。输入 :q 交卷。",
            items.len()
        ))
    )?;
    let mut input = repl::line_source(None);
    let began = Instant::now();
    let total = items.len();
    'questions: for (i, item) in items.iter_mut().enumerate() {
        let left = time.map(|t| t.saturating_sub(began.elapsed()));
        if left == Some(Duration::ZERO) {
            writeln!(out, "\n{}", painter.warning("时间到！未答的题按错误计。"))?;
            break;
        }
        let entry = &pool[item.entry];
        let deck = &library.decks[entry.deck];
        let card = &deck.cards[entry.card];
        let clock_text = left.map_or(String::new(), |l| format!(" · 剩余 {}", clock_face(l)));
        writeln!(
            out,
            "\n{}",
            painter.dim(&format!(
                "[第 {}/{total} 题] {} · {}{clock_text}",
                i + 1,
                sanitize_line(&deck.title),
                card.kind().label()
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
                    None => break line,
                },
            }
        };
        if time.is_some_and(|t| began.elapsed() > t) {
            writeln!(
                out,
                "{}",
                painter.warning("时间到！这道题没有计分，未答的题按错误计。")
            )?;
            break;
        }
        let verdict = grade_shown(card, &answer, item.order.as_deref());
        record(
            &mut store,
            (learner.id, session),
            entry,
            &verdict,
            &clock_now(config),
        )?;
        writeln!(out, "已作答。")?;
        item.answer = Some(answer);
        item.verdict = Some(verdict);
    }
    // Unanswered questions count as wrong and go into the 错题本 too.
    let end = clock_now(config);
    for item in items.iter_mut().filter(|i| i.verdict.is_none()) {
        let entry = &pool[item.entry];
        let verdict = Verdict {
            note: Some("未作答".to_owned()),
            ..grade_shown(card_of(&library, entry), "", None)
        };
        record(&mut store, (learner.id, session), entry, &verdict, &end)?;
        item.verdict = Some(verdict);
    }
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
    entry: &crate::session::Entry,
    verdict: &Verdict,
    clock: &crate::clock::Clock,
) -> Result<()> {
    let (key, hash) = (entry.key.as_str(), entry.hash.as_str());
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
    if secs % 60 == 0 {
        format!("{} 分钟", secs / 60)
    } else {
        format!("{secs} 秒")
    }
}

fn clock_face(t: Duration) -> String {
    let secs = t.as_secs();
    format!("{:02}:{:02}", secs / 60, secs % 60)
}

/// The end-of-quiz report.
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
        .sum();
    let right = items
        .iter()
        .filter(|i| i.verdict.as_ref().is_some_and(|v| v.outcome.is_right()))
        .count();
    writeln!(
        out,
        "\n{}",
        painter.bold(&format!(
            "得分：{:.0} / 100（答对 {right}/{} 题）",
            score / total * 100.0,
            items.len()
        ))
    )?;
    let mut by_kind: BTreeMap<crate::deck::Kind, (usize, usize)> = BTreeMap::new();
    let mut by_deck: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for item in items {
        let entry = &pool[item.entry];
        let ok = usize::from(item.verdict.as_ref().is_some_and(|v| v.outcome.is_right()));
        let kind = card_of(library, entry).kind();
        let k = by_kind.entry(kind).or_default();
        k.0 += 1;
        k.1 += ok;
        let d = by_deck.entry(entry.deck).or_default();
        d.0 += 1;
        d.1 += ok;
    }
    writeln!(out, "按题型：")?;
    for (kind, (n, ok)) in &by_kind {
        writeln!(out, "  {}  {ok}/{n}", kind.label())?;
    }
    writeln!(out, "按卡组：")?;
    for (deck, (n, ok)) in &by_deck {
        writeln!(
            out,
            "  {}  {ok}/{n}",
            sanitize_line(&library.decks[*deck].title)
        )?;
    }
    let wrong: Vec<&Item> = items
        .iter()
        .filter(|i| !i.verdict.as_ref().is_some_and(|v| v.outcome.is_right()))
        .collect();
    if wrong.is_empty() {
        writeln!(out, "\n{}", painter.good("全部答对！"))?;
        return Ok(());
    }
    writeln!(
        out,
        "\n错题（{} 道，已加入错题本，用 dangke study --mistakes 专练）：",
        wrong.len()
    )?;
    for (n, item) in wrong.iter().enumerate() {
        let card = card_of(library, &pool[item.entry]);
        let prompt = match &card.body {
            crate::deck::Body::Fill { parts } => {
                crate::deck::fill::render_with_blanks(parts, "＿＿")
            }
            _ => card.prompt.clone(),
        };
        // Wrap the numbered line as a whole, so the number is counted.
        writeln!(
            out,
            "\n{}",
            crate::term::wrap(&format!("{}. {}", n + 1, sanitize(&prompt)), width)
        )?;
        let given = item
            .answer
            .as_deref()
            .map_or_else(|| "（未作答）".to_owned(), sanitize_line);
        let outcome = item.verdict.as_ref().map_or(Outcome::Wrong, |v| v.outcome);
        writeln!(out, "   你的答案：{given}（{}）", outcome.label())?;
        writeln!(
            out,
            "   标准答案：{}",
            sanitize(&render::answer_shown(card, item.order.as_deref()))
        )?;
        if let Some(explain) = &card.explain {
            writeln!(out, "   解析：{}", sanitize(explain))?;
        }
    }
    Ok(())
}
