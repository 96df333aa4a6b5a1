//! A live group quiz as a pure state machine: participants join, the host
//! opens and reveals questions, answers are graded and scored. No I/O and
//! no clock: every call takes the session time (milliseconds since the
//! session started) and tokens are made by the caller, so a session can
//! be replayed from its stored events exactly.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;

use super::{LiveSpec, Pace, Reveal};
use crate::deck::{Body, Card, Deck, Kind, Library, option_letter};
use crate::grade::Outcome;

/// Longest name a participant may give (characters).
pub const MAX_NAME: usize = 20;
/// Longest answer a participant may give (characters).
pub const MAX_ANSWER: usize = 200;

/// One question of the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub deck: usize,
    pub card: usize,
    /// `deck-id/card-id`.
    pub key: String,
}

/// How an answer fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Right,
    Partial,
    Wrong,
    /// Not answered.
    None,
}

impl Mark {
    pub fn name(self) -> &'static str {
        match self {
            Mark::Right => "right",
            Mark::Partial => "partial",
            Mark::Wrong => "wrong",
            Mark::None => "none",
        }
    }

    pub fn from_name(name: &str) -> Mark {
        match name {
            "right" => Mark::Right,
            "partial" => Mark::Partial,
            "wrong" => Mark::Wrong,
            _ => Mark::None,
        }
    }
}

/// An accepted answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// As accepted (normalized: choice letters upper case and sorted).
    pub text: String,
    /// Session time it arrived.
    pub at: i64,
    pub mark: Mark,
    pub points: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub name: String,
    pub team: String,
    pub token: String,
    pub joined: i64,
    /// Per question of the paper.
    pub answers: Vec<Option<Answer>>,
}

impl Participant {
    pub fn score(&self) -> i64 {
        self.answers.iter().flatten().map(|a| a.points).sum()
    }

    /// (right, wrong or partial, not answered).
    pub fn counts(&self) -> (u32, u32, u32) {
        let mut c = (0, 0, 0);
        for a in &self.answers {
            match a.as_ref().map(|a| a.mark) {
                Some(Mark::Right) => c.0 += 1,
                Some(Mark::Partial | Mark::Wrong) => c.1 += 1,
                _ => c.2 += 1,
            }
        }
        c
    }

    pub fn answered(&self) -> usize {
        self.answers.iter().filter(|a| a.is_some()).count()
    }
}

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the host to start.
    Lobby,
    /// Host pace: question `q` takes answers until `deadline`.
    Open {
        q: usize,
        opened: i64,
        deadline: i64,
    },
    /// Host pace: time is up for `q`, not yet revealed.
    Closed {
        q: usize,
    },
    /// Host pace: `q`'s answer has been shown.
    Revealed {
        q: usize,
    },
    /// Self pace: the paper is out until `deadline`.
    Running {
        started: i64,
        deadline: i64,
    },
    Ended,
}

/// Why a participant's request is refused; `code` is the protocol's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Room,
    Name,
    Team,
    Token,
    Closed,
    Late,
    Invalid,
    Answered,
    TooLong,
    Ended,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Room => "room",
            Refusal::Name => "name",
            Refusal::Team => "team",
            Refusal::Token => "token",
            Refusal::Closed => "closed",
            Refusal::Late => "late",
            Refusal::Invalid => "invalid",
            Refusal::Answered => "answered",
            Refusal::TooLong => "too_long",
            Refusal::Ended => "ended",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::Room => "房间号不对，请核对投影上的 6 位房间号",
            Refusal::Name => "请填写姓名",
            Refusal::Team => "请选择本场的一个队伍",
            Refusal::Token => "找不到你的答题记录，请重新输入姓名加入",
            Refusal::Closed => "这道题现在不能作答（还没开始或时间已到）",
            Refusal::Late => "答题已经开始，本场不允许中途加入",
            Refusal::Invalid => "无法识别的请求或答案",
            Refusal::Answered => "这道题已经作答，答案不能修改",
            Refusal::TooLong => "输入太长：姓名最多 20 个字，答案最多 200 个字",
            Refusal::Ended => "本场答题已经结束",
        }
    }
}

/// What a host action did, for the host's screen and the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Opened(usize),
    Closed(usize),
    Revealed(usize),
    Started,
    Ended,
    /// Nothing to do in this phase.
    Nothing,
}

pub struct Engine<'a> {
    pub spec: LiveSpec,
    pub library: &'a Library,
    pub seed: u64,
    pub paper: Vec<Question>,
    pub participants: Vec<Participant>,
    pub phase: Phase,
    /// When each question was first opened (self pace: the paper handed
    /// out), for 用时.
    pub opened: Vec<Option<i64>>,
}

/// Letters, judge words and blanks of an answer as the server keeps it,
/// or why it is not an answer at all.
pub fn clean_text(text: &str, max: usize) -> Result<String, Refusal> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned();
    if cleaned.chars().count() > max {
        return Err(Refusal::TooLong);
    }
    Ok(cleaned)
}

impl<'a> Engine<'a> {
    /// A new session: the paper drawn from `library` with `seed`.
    pub fn new(spec: LiveSpec, library: &'a Library, seed: u64) -> Engine<'a> {
        let paper = draw(&spec, library, seed);
        let n = paper.len();
        Engine {
            spec,
            library,
            seed,
            paper,
            participants: Vec::new(),
            phase: Phase::Lobby,
            opened: vec![None; n],
        }
    }

    pub fn card(&self, q: usize) -> &'a Card {
        let e = &self.paper[q];
        &self.library.decks[e.deck].cards[e.card]
    }

    pub fn deck(&self, q: usize) -> &'a Deck {
        &self.library.decks[self.paper[q].deck]
    }

    /// Adds a participant; returns their index. `token` is made by the
    /// caller (random) and must be new.
    pub fn join(
        &mut self,
        name: &str,
        team: Option<&str>,
        token: String,
        now: i64,
    ) -> Result<usize, Refusal> {
        match self.phase {
            Phase::Ended => return Err(Refusal::Ended),
            Phase::Lobby => {}
            _ if !self.spec.late_join => return Err(Refusal::Late),
            _ => {}
        }
        let name = clean_text(name, MAX_NAME)?;
        if name.is_empty() {
            return Err(Refusal::Name);
        }
        let team = if self.spec.teams.is_empty() {
            String::new()
        } else {
            let t = clean_text(team.unwrap_or_default(), MAX_NAME)?;
            if !self.spec.teams.contains(&t) {
                return Err(Refusal::Team);
            }
            t
        };
        let name = self.unique_name(&name);
        self.participants.push(Participant {
            name,
            team,
            token,
            joined: now,
            answers: vec![None; self.paper.len()],
        });
        Ok(self.participants.len() - 1)
    }

    /// "张三", or "张三(2)" when a 张三 is here already.
    fn unique_name(&self, name: &str) -> String {
        let taken = |n: &str| self.participants.iter().any(|p| p.name == n);
        if !taken(name) {
            return name.to_owned();
        }
        (2..)
            .map(|i| format!("{name}({i})"))
            .find(|n| !taken(n))
            .unwrap_or_else(|| name.to_owned())
    }

    /// The participant a token belongs to.
    pub fn find(&self, token: &str) -> Result<usize, Refusal> {
        if token.is_empty() {
            return Err(Refusal::Token);
        }
        self.participants
            .iter()
            .position(|p| p.token == token)
            .ok_or(Refusal::Token)
    }

    /// The order participant `p` sees question `q`'s options in
    /// (`order[i]` = the deck index of the option shown as letter i).
    pub fn order(&self, p: usize, q: usize) -> Option<Vec<usize>> {
        let n = match &self.card(q).body {
            Body::Choice { options, .. } | Body::Multi { options, .. } => options.len(),
            _ => return None,
        };
        let mut order: Vec<usize> = (0..n).collect();
        let mix = self.seed
            ^ (p as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ (q as u64 + 1).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        order.shuffle(&mut Xoshiro256PlusPlus::seed_from_u64(mix));
        Some(order)
    }

    /// The options as participant `p` sees them.
    pub fn options(&self, p: usize, q: usize) -> Vec<String> {
        let options = match &self.card(q).body {
            Body::Choice { options, .. } | Body::Multi { options, .. } => options,
            _ => return Vec::new(),
        };
        self.order(p, q)
            .unwrap_or_default()
            .iter()
            .map(|&i| options[i].clone())
            .collect()
    }

    /// The right answer as participant `p` would read it (their letters).
    pub fn answer_shown(&self, p: usize, q: usize) -> String {
        let card = self.card(q);
        let order = self.order(p, q).unwrap_or_default();
        let shown = |i: usize| order.iter().position(|&o| o == i).unwrap_or(i);
        match &card.body {
            Body::Choice { options, answer } => {
                format!("{}. {}", option_letter(shown(*answer)), options[*answer])
            }
            Body::Multi { options, answers } => {
                let mut letters: Vec<(usize, usize)> =
                    answers.iter().map(|&i| (shown(i), i)).collect();
                letters.sort_unstable();
                letters
                    .iter()
                    .map(|&(s, i)| format!("{}. {}", option_letter(s), options[i]))
                    .collect::<Vec<_>>()
                    .join("；")
            }
            Body::Judge { answer } => if *answer { "对" } else { "错" }.to_owned(),
            _ => card.answer_text(),
        }
    }

    /// Whether participant `p` may answer question `q` at `now`.
    fn may_answer(&self, q: usize, now: i64) -> Result<(), Refusal> {
        match self.phase {
            Phase::Ended => Err(Refusal::Ended),
            Phase::Open {
                q: open, deadline, ..
            } if open == q && now <= deadline => Ok(()),
            Phase::Running { deadline, .. } if q < self.paper.len() && now <= deadline => Ok(()),
            _ => Err(Refusal::Closed),
        }
    }

    /// Grades and keeps participant `p`'s answer to `q` at `now`.
    pub fn answer(&mut self, p: usize, q: usize, text: &str, now: i64) -> Result<&Answer, Refusal> {
        if p >= self.participants.len() {
            return Err(Refusal::Token);
        }
        self.may_answer(q, now)?;
        if self.participants[p].answers[q].is_some() {
            return Err(Refusal::Answered);
        }
        let text = normalize_answer(self.card(q).kind(), &clean_text(text, MAX_ANSWER)?)?;
        let order = self.order(p, q);
        let verdict = crate::grade::grade_shown(self.card(q), &text, order.as_deref());
        let mark = match verdict.outcome {
            Outcome::Correct | Outcome::Close => Mark::Right,
            Outcome::Partial => Mark::Partial,
            Outcome::Wrong => Mark::Wrong,
        };
        let points = match (mark, self.phase) {
            (
                Mark::Right,
                Phase::Open {
                    opened, deadline, ..
                },
            ) => self.spec.points + speed_bonus(self.spec.speed_bonus, opened, deadline, now),
            (Mark::Right, _) => self.spec.points,
            (Mark::Partial, _) => (self.spec.points as f64 * verdict.score).round() as i64,
            _ => 0,
        };
        self.participants[p].answers[q] = Some(Answer {
            text,
            at: now,
            mark,
            points,
        });
        Ok(self.participants[p].answers[q].as_ref().expect("just set"))
    }

    /// Host pace: the question open now, or the last one shown.
    pub fn current(&self) -> Option<usize> {
        match self.phase {
            Phase::Open { q, .. } | Phase::Closed { q } | Phase::Revealed { q } => Some(q),
            _ => None,
        }
    }

    fn open(&mut self, q: usize, now: i64) -> Step {
        self.opened[q].get_or_insert(now);
        self.phase = Phase::Open {
            q,
            opened: now,
            deadline: now + i64::from(self.spec.time) * 1000,
        };
        Step::Opened(q)
    }

    /// The host's "next": start, close, reveal, open the next question or
    /// end, whichever comes next.
    pub fn next(&mut self, now: i64) -> Step {
        match (self.phase, self.spec.pace) {
            (Phase::Lobby, _) if self.paper.is_empty() => self.end(),
            (Phase::Lobby, Pace::Host) => self.open(0, now),
            (Phase::Lobby, Pace::SelfPaced) => {
                self.opened.iter_mut().for_each(|o| *o = Some(now));
                self.phase = Phase::Running {
                    started: now,
                    deadline: now + i64::from(self.spec.minutes) * 60_000,
                };
                Step::Started
            }
            (Phase::Open { q, .. }, _) => {
                if self.spec.reveal == Reveal::Each {
                    self.phase = Phase::Revealed { q };
                    Step::Revealed(q)
                } else {
                    self.phase = Phase::Closed { q };
                    Step::Closed(q)
                }
            }
            (Phase::Closed { q }, _) if self.spec.reveal == Reveal::Each => {
                self.phase = Phase::Revealed { q };
                Step::Revealed(q)
            }
            (Phase::Closed { q } | Phase::Revealed { q }, _) => {
                if q + 1 < self.paper.len() {
                    self.open(q + 1, now)
                } else {
                    self.end()
                }
            }
            (Phase::Running { .. }, _) => self.end(),
            (Phase::Ended, _) => Step::Nothing,
        }
    }

    /// The host's "reveal": close the open question and show its answer
    /// (with `reveal = "end"`, only close it).
    pub fn reveal(&mut self, now: i64) -> Step {
        match self.phase {
            Phase::Open { .. } => self.next(now),
            Phase::Closed { .. } if self.spec.reveal == Reveal::Each => self.next(now),
            _ => Step::Nothing,
        }
    }

    pub fn end(&mut self) -> Step {
        if self.phase == Phase::Ended {
            return Step::Nothing;
        }
        self.phase = Phase::Ended;
        Step::Ended
    }

    /// Time passing: closes a question whose time is up, or ends a self
    /// paced test whose time is up.
    pub fn tick(&mut self, now: i64) -> Step {
        match self.phase {
            Phase::Open { q, deadline, .. } if now > deadline => {
                self.phase = Phase::Closed { q };
                Step::Closed(q)
            }
            Phase::Running { deadline, .. } if now > deadline => self.end(),
            _ => Step::Nothing,
        }
    }

    /// After an answer: closes the question (host pace) or ends the test
    /// (self pace) when every participant has answered all there is.
    pub fn settle(&mut self) -> Step {
        if self.participants.is_empty() {
            return Step::Nothing;
        }
        match self.phase {
            Phase::Open { q, .. } if self.participants.iter().all(|p| p.answers[q].is_some()) => {
                self.phase = Phase::Closed { q };
                Step::Closed(q)
            }
            Phase::Running { .. }
                if self
                    .participants
                    .iter()
                    .all(|p| p.answered() == self.paper.len()) =>
            {
                self.end()
            }
            _ => Step::Nothing,
        }
    }

    /// After a restart: an open question gets its full time again; a
    /// self paced test gets back the time that was left at `was`.
    pub fn reopen(&mut self, was: i64, now: i64) {
        match self.phase {
            Phase::Open { q, opened, .. } => {
                self.phase = Phase::Open {
                    q,
                    opened,
                    deadline: now + i64::from(self.spec.time) * 1000,
                }
            }
            Phase::Running { started, deadline } => {
                self.phase = Phase::Running {
                    started,
                    deadline: deadline + (now - was).max(0),
                }
            }
            _ => {}
        }
    }

    /// Seconds left to answer, for the participant's countdown.
    pub fn seconds_left(&self, now: i64) -> f64 {
        match self.phase {
            Phase::Open { deadline, .. } | Phase::Running { deadline, .. } => {
                (deadline - now).max(0) as f64 / 1000.0
            }
            _ => 0.0,
        }
    }

    /// Whether the right answer of `q` may be shown to participant `p`.
    pub fn revealed(&self, p: usize, q: usize) -> bool {
        match self.phase {
            Phase::Ended => true,
            _ if self.spec.reveal == Reveal::End => false,
            Phase::Revealed { q: shown } => q <= shown,
            Phase::Open { q: open, .. } | Phase::Closed { q: open } => q < open,
            Phase::Running { .. } => self
                .participants
                .get(p)
                .is_some_and(|part| part.answers[q].is_some()),
            Phase::Lobby => false,
        }
    }

    /// Competition ranks (1, 2, 2, 4) per participant.
    pub fn ranks(&self) -> Vec<usize> {
        let scores: Vec<i64> = self.participants.iter().map(Participant::score).collect();
        let mut ranks = vec![0; scores.len()];
        for (place, p) in crate::contest::engine::rank(&scores) {
            ranks[p] = place;
        }
        ranks
    }

    /// (participant, rank) best first.
    pub fn leaderboard(&self) -> Vec<(usize, usize)> {
        let scores: Vec<i64> = self.participants.iter().map(Participant::score).collect();
        crate::contest::engine::rank(&scores)
            .into_iter()
            .map(|(place, p)| (p, place))
            .collect()
    }

    /// How many have answered `q`.
    pub fn answered_count(&self, q: usize) -> usize {
        self.participants
            .iter()
            .filter(|p| p.answers.get(q).is_some_and(Option::is_some))
            .count()
    }

    /// How the answers to `q` spread, in the card's terms: for options the
    /// deck's option texts (shuffles differ per person), for judge 对/错,
    /// else right/partial/wrong. Most given first.
    pub fn distribution(&self, q: usize) -> Vec<(String, usize)> {
        let card = self.card(q);
        let mut counts: Vec<(String, usize)> = Vec::new();
        for (p, part) in self.participants.iter().enumerate() {
            let Some(a) = &part.answers[q] else { continue };
            let label = match &card.body {
                Body::Choice { options, .. } | Body::Multi { options, .. } => {
                    let order = self.order(p, q).unwrap_or_default();
                    let mut picked: Vec<usize> = a
                        .text
                        .chars()
                        .filter_map(|c| {
                            let i = (c as u32).checked_sub('A' as u32)? as usize;
                            order.get(i).copied()
                        })
                        .collect();
                    picked.sort_unstable();
                    picked
                        .iter()
                        .map(|&i| options[i].clone())
                        .collect::<Vec<_>>()
                        .join("+")
                }
                Body::Judge { .. } => a.text.clone(),
                _ => match a.mark {
                    Mark::Right => "答对".to_owned(),
                    Mark::Partial => "部分正确".to_owned(),
                    _ => "答错".to_owned(),
                },
            };
            match counts.iter_mut().find(|(l, _)| *l == label) {
                Some((_, n)) => *n += 1,
                None => counts.push((label, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts
    }

    /// The wrong answers given to `q`, most common first (for the
    /// per-question export): (answer as typed, count).
    pub fn wrong_answers(&self, q: usize) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for (p, part) in self.participants.iter().enumerate() {
            let Some(a) = &part.answers[q] else { continue };
            if a.mark == Mark::Right {
                continue;
            }
            // Letters mean different options to different people.
            let text = match self.order(p, q) {
                Some(order) => {
                    let options = self.options(p, q);
                    let mut picked: Vec<usize> = a
                        .text
                        .chars()
                        .filter_map(|c| (c as u32).checked_sub('A' as u32).map(|i| i as usize))
                        .filter(|&i| i < order.len())
                        .collect();
                    picked.sort_unstable_by_key(|&i| order[i]);
                    picked
                        .iter()
                        .map(|&i| options[i].clone())
                        .collect::<Vec<_>>()
                        .join("+")
                }
                None => a.text.clone(),
            };
            match counts.iter_mut().find(|(l, _)| *l == text) {
                Some((_, n)) => *n += 1,
                None => counts.push((text, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts
    }
}

/// Points for speed: the full bonus for an answer at the opening, none at
/// the deadline, linear between.
pub fn speed_bonus(bonus: i64, opened: i64, deadline: i64, at: i64) -> i64 {
    let total = (deadline - opened).max(1);
    let left = (deadline - at).clamp(0, total);
    (bonus as f64 * left as f64 / total as f64).round() as i64
}

/// Choice letters upper case (multi sorted, deduplicated), judge words to
/// 对/错; typed answers as given. Empty is not an answer.
fn normalize_answer(kind: Kind, text: &str) -> Result<String, Refusal> {
    if text.is_empty() {
        return Err(Refusal::Invalid);
    }
    match kind {
        Kind::Choice | Kind::Multi => {
            let mut letters: Vec<char> = text
                .chars()
                .filter(|c| !c.is_whitespace() && !",，、;；".contains(*c))
                .map(|c| c.to_ascii_uppercase())
                .collect();
            if letters.iter().any(|c| !c.is_ascii_uppercase()) {
                return Err(Refusal::Invalid);
            }
            letters.sort_unstable();
            letters.dedup();
            if kind == Kind::Choice && letters.len() != 1 {
                return Err(Refusal::Invalid);
            }
            Ok(letters.into_iter().collect())
        }
        Kind::Judge => match text {
            "对" | "√" | "T" | "t" | "正确" | "是" => Ok("对".to_owned()),
            "错" | "×" | "F" | "f" | "错误" | "否" => Ok("错".to_owned()),
            _ => Err(Refusal::Invalid),
        },
        _ => Ok(text.to_owned()),
    }
}

/// The paper: each draw takes `count` questions that fit it from the
/// seeded order of all cards, never the same card twice.
pub fn draw(spec: &LiveSpec, library: &Library, seed: u64) -> Vec<Question> {
    let mut all: Vec<(usize, usize)> = library
        .decks
        .iter()
        .enumerate()
        .flat_map(|(d, deck)| (0..deck.cards.len()).map(move |c| (d, c)))
        .collect();
    all.shuffle(&mut Xoshiro256PlusPlus::seed_from_u64(seed));
    let mut used = vec![false; all.len()];
    let mut paper = Vec::new();
    for draw in &spec.draws {
        let mut taken = 0;
        for (i, &(d, c)) in all.iter().enumerate() {
            if taken >= draw.count {
                break;
            }
            let deck = &library.decks[d];
            let card = &deck.cards[c];
            if !used[i] && draw.fits(deck, card) {
                used[i] = true;
                taken += 1;
                paper.push(Question {
                    deck: d,
                    card: c,
                    key: card.key(deck),
                });
            }
        }
    }
    paper
}

#[cfg(test)]
#[path = "engine_tests.rs"]
pub(crate) mod tests;
