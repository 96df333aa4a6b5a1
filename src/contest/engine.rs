//! The contest rules as a state machine: host actions in, scores and a log
//! of everything that happened out. Pure: the time of each action is passed
//! in, questions are drawn from a seeded order, and every change can be
//! undone.

use super::{ContestSpec, RoundKind, RoundSpec};
use crate::deck::Library;
use crate::session::Entry;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Team {
    pub name: String,
    pub score: i64,
    pub right: u32,
    pub wrong: u32,
    pub fouls: u32,
}

/// The question on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    /// Index into the pool's entries.
    pub entry: usize,
    /// Whose turn it is (required and risk rounds).
    pub team: Option<usize>,
    /// The value a team chose (risk rounds).
    pub value: Option<i64>,
    /// Teams that answered wrongly.
    pub tried: Vec<usize>,
    /// Scored right, or no one can answer any more.
    pub settled: bool,
    pub revealed: bool,
    /// The order the options are shown in (`order[i]` = the deck's index
    /// of the option shown as letter i), shuffled from the contest seed.
    pub order: Option<Vec<usize>>,
    /// Buzz rounds: the host has opened the question for buzzing.
    pub open: bool,
    /// Buzz rounds: the team that buzzed first and is answering.
    pub answering: Option<usize>,
    /// Every buzzer press on this question, in order: (team, ms after the
    /// question opened, won).
    pub buzzes: Vec<Buzz>,
}

/// One buzzer press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Buzz {
    pub team: usize,
    pub ms: u64,
    /// This press won the right to answer.
    pub won: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// A round's title and rules are on screen.
    Intro,
    Question,
    Finished,
}

/// Everything an undo restores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub teams: Vec<Team>,
    pub round: usize,
    /// Questions played in this round (the current one included).
    pub number: u32,
    pub current: Option<Current>,
    pub phase: Phase,
    pub clock: i64,
    pub paused: bool,
    used: Vec<bool>,
    /// Teams in the tie-break, when one is being played.
    pub tied: Vec<usize>,
    risk_order: Vec<usize>,
    pub rounds: Vec<RoundSpec>,
}

/// One line of the contest log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub at: i64,
    pub round: String,
    pub question: Option<String>,
    /// The host's action, as typed.
    pub action: String,
    pub team: Option<usize>,
    pub delta: i64,
    pub text: String,
    pub undone: bool,
    /// A team answered this question wrongly or let its turn pass.
    pub missed: bool,
}

pub struct Contest<'a> {
    pub spec: ContestSpec,
    /// The seed the questions and option orders are drawn from.
    pub seed: u64,
    pub library: &'a Library,
    pub pool: Vec<Entry>,
    order: Vec<usize>,
    pub state: State,
    undo: Vec<(State, usize)>,
    pub log: Vec<LogEntry>,
}

impl<'a> Contest<'a> {
    pub fn new(
        spec: ContestSpec,
        library: &'a Library,
        pool: Vec<Entry>,
        seed: u64,
    ) -> Contest<'a> {
        let seed = spec.seed.unwrap_or(seed);
        let order = super::draw_order(pool.len(), seed);
        let teams = spec
            .teams
            .iter()
            .map(|name| Team {
                name: name.clone(),
                score: spec.start,
                ..Team::default()
            })
            .collect();
        let state = State {
            teams,
            round: 0,
            number: 0,
            current: None,
            phase: Phase::Intro,
            clock: 0,
            paused: false,
            used: vec![false; pool.len()],
            tied: Vec::new(),
            risk_order: Vec::new(),
            rounds: spec.regular_rounds(),
        };
        Contest {
            spec,
            seed,
            library,
            pool,
            order,
            state,
            undo: Vec::new(),
            log: Vec::new(),
        }
    }

    pub fn round(&self) -> Option<&RoundSpec> {
        self.state.rounds.get(self.state.round)
    }

    pub fn card(&self, entry: usize) -> &'a crate::deck::Card {
        let e = &self.pool[entry];
        &self.library.decks[e.deck].cards[e.card]
    }

    /// Questions in the current round.
    pub fn round_size(&self) -> u32 {
        match self.round() {
            Some(r) if matches!(r.kind, RoundKind::Required | RoundKind::Risk) => {
                r.questions * self.state.teams.len() as u32
            }
            Some(r) => r.questions,
            None => 0,
        }
    }

    /// Applies a host action at instant `at`; returns what to tell the
    /// room, or why the action does not apply.
    pub fn apply(&mut self, action: &Action, typed: &str, at: i64) -> Result<String, String> {
        if let Action::Tick(secs) = action {
            return Ok(self.tick(*secs));
        }
        if let Action::Undo = action {
            return self.undo(at);
        }
        if self.state.phase == Phase::Finished && *action != Action::Quit {
            return Err("竞赛已经结束（q 退出）".to_owned());
        }
        let before = self.state.clone();
        let log_len = self.log.len();
        let result = self.act(action, typed, at);
        match &result {
            Ok(_) if !matches!(action, Action::Pause | Action::AddTime(_)) => {
                self.undo.push((before, log_len))
            }
            Ok(_) => {}
            Err(_) => {
                self.state = before;
                self.log.truncate(log_len);
            }
        }
        result
    }

    fn entry_log(
        &mut self,
        at: i64,
        typed: &str,
        team: Option<usize>,
        delta: i64,
        text: String,
        missed: bool,
    ) {
        let round = self.round().map_or_else(String::new, |r| r.title.clone());
        let question = self
            .state
            .current
            .as_ref()
            .map(|c| self.pool[c.entry].key.to_string());
        self.log.push(LogEntry {
            at,
            round,
            question,
            action: typed.trim().to_owned(),
            team,
            delta,
            text,
            undone: false,
            missed,
        });
    }

    fn team_name(&self, t: usize) -> String {
        self.state.teams[t].name.clone()
    }

    fn check_team(&self, t: usize) -> Result<(), String> {
        if t < self.state.teams.len() {
            Ok(())
        } else {
            Err(format!(
                "没有第 {} 队（共 {} 队）",
                t + 1,
                self.state.teams.len()
            ))
        }
    }

    fn act(&mut self, action: &Action, typed: &str, at: i64) -> Result<String, String> {
        let round = self.round().cloned();
        match action {
            Action::Next => self.next(typed, at),
            Action::Quit => {
                self.state.phase = Phase::Finished;
                self.state.current = None;
                self.entry_log(at, typed, None, 0, "主持人结束竞赛".to_owned(), false);
                Ok("竞赛结束".to_owned())
            }
            Action::Reveal => {
                let current = self
                    .state
                    .current
                    .as_mut()
                    .ok_or("现在没有题目（n 出题）")?;
                if current.team.is_some()
                    && current.value.is_none()
                    && round.as_ref().is_some_and(|r| r.kind == RoundKind::Risk)
                {
                    return Err("请先选择分值（v 队号 分值）".to_owned());
                }
                current.revealed = true;
                self.entry_log(at, typed, None, 0, "揭晓答案".to_owned(), false);
                Ok("揭晓答案".to_owned())
            }
            Action::Pause => {
                self.state.paused = !self.state.paused;
                Ok(if self.state.paused {
                    "计时暂停"
                } else {
                    "计时继续"
                }
                .to_owned())
            }
            Action::AddTime(secs) => {
                self.state.current.as_ref().ok_or("现在没有题目")?;
                self.state.clock = (self.state.clock + secs).max(0);
                Ok(format!("{} 30 秒", if *secs > 0 { "加" } else { "减" }))
            }
            Action::Skip => {
                if self.state.current.is_none() {
                    return Err("现在没有题目".to_owned());
                }
                self.entry_log(
                    at,
                    typed,
                    None,
                    0,
                    "跳过本题（另出一题，不计入本轮题数）".to_owned(),
                    false,
                );
                self.state.current = None;
                self.state.number = self.state.number.saturating_sub(1);
                Ok("已跳过本题：按 n 另出一题".to_owned())
            }
            Action::Value(t, v) => {
                self.check_team(*t)?;
                let round = round.ok_or("现在不在比赛轮次中")?;
                if round.kind != RoundKind::Risk {
                    return Err("只有风险题需要选分值".to_owned());
                }
                if !round.values.contains(v) {
                    return Err(format!(
                        "分值只能是 {}",
                        round
                            .values
                            .iter()
                            .map(i64::to_string)
                            .collect::<Vec<_>>()
                            .join("、")
                    ));
                }
                let current = self.state.current.as_mut().ok_or("请先按 n 出题")?;
                if current.team != Some(*t) {
                    let turn = current.team.map_or_else(String::new, |x| self.team_name(x));
                    return Err(format!("现在轮到 {turn} 选分值"));
                }
                if current.settled || current.value.is_some() {
                    return Err("本题分值已经选定".to_owned());
                }
                current.value = Some(*v);
                self.state.clock = i64::from(round.time);
                let name = self.team_name(*t);
                self.entry_log(at, typed, Some(*t), 0, format!("{name} 选择 {v} 分"), false);
                Ok(format!("{name} 选择 {v} 分，计时开始"))
            }
            Action::Right(t) | Action::Wrong(t) | Action::Foul(t) => {
                self.check_team(*t)?;
                let round = round.ok_or("现在不在比赛轮次中")?;
                self.score(&round, action, *t, typed, at)
            }
            Action::Open => {
                let round = round.ok_or("现在不在比赛轮次中")?;
                if !matches!(round.kind, RoundKind::Buzz | RoundKind::Tiebreak) {
                    return Err("只有抢答题需要宣布开始抢答".to_owned());
                }
                let current = self.state.current.as_mut().ok_or("请先按 n 出题")?;
                if current.settled {
                    return Err("本题已经判定（n 下一题）".to_owned());
                }
                if current.open {
                    return Err("已经开始抢答".to_owned());
                }
                current.open = true;
                self.entry_log(at, typed, None, 0, "开始抢答".to_owned(), false);
                Ok("开始抢答！".to_owned())
            }
            Action::Buzz(t, ms) => {
                self.check_team(*t)?;
                let round = round.ok_or("现在不在比赛轮次中")?;
                self.buzz(&round, *t, *ms, typed, at)
            }
            Action::Undo | Action::Tick(_) => Ok(String::new()),
        }
    }

    /// A buzzer press: before the host opens the question it is a foul;
    /// after, the first press wins and locks the others out until the
    /// winner is judged wrong.
    fn buzz(
        &mut self,
        round: &RoundSpec,
        t: usize,
        ms: u64,
        typed: &str,
        at: i64,
    ) -> Result<String, String> {
        let name = self.team_name(t);
        if !matches!(round.kind, RoundKind::Buzz | RoundKind::Tiebreak) {
            return Err(format!("{name} 按了抢答器，但本轮不是抢答题"));
        }
        if round.kind == RoundKind::Tiebreak && !self.state.tied.contains(&t) {
            return Err(format!("{name} 不参加加赛"));
        }
        let current = self
            .state
            .current
            .as_mut()
            .ok_or_else(|| format!("{name} 按了抢答器，但现在没有题目"))?;
        if current.settled {
            return Err(format!("{name} 按了抢答器，但本题已经判定"));
        }
        if current.tried.contains(&t) {
            return Err(format!("{name} 已经答过本题，不能再抢"));
        }
        if !current.open {
            if current.buzzes.iter().any(|b| b.team == t) {
                return Err(format!("{name} 本题已记过犯规"));
            }
            current.buzzes.push(Buzz {
                team: t,
                ms: 0,
                won: false,
            });
            let team = &mut self.state.teams[t];
            team.score -= round.penalty;
            team.fouls += 1;
            let text = format!("{name} 提前抢答，犯规 −{}", round.penalty);
            self.entry_log(at, typed, Some(t), -round.penalty, text.clone(), false);
            return Ok(text);
        }
        if current.answering == Some(t) {
            return Err(format!("{name} 已经抢到本题"));
        }
        let text = match current.buzzes.iter().rposition(|b| b.won) {
            Some(winner) if current.answering.is_some() => {
                if current.buzzes[winner..].iter().any(|b| b.team == t) {
                    return Err(format!("{name} 已经按过抢答器"));
                }
                let behind = ms.saturating_sub(current.buzzes[winner].ms);
                current.buzzes.push(Buzz {
                    team: t,
                    ms,
                    won: false,
                });
                format!("{name} 抢答慢了 {}", seconds(behind))
            }
            _ => {
                current.buzzes.push(Buzz {
                    team: t,
                    ms,
                    won: true,
                });
                current.answering = Some(t);
                format!("{name} 抢答成功（{}）", seconds(ms))
            }
        };
        self.entry_log(at, typed, Some(t), 0, text.clone(), false);
        Ok(text)
    }

    fn score(
        &mut self,
        round: &RoundSpec,
        action: &Action,
        t: usize,
        typed: &str,
        at: i64,
    ) -> Result<String, String> {
        let name = self.team_name(t);
        let buzz = matches!(round.kind, RoundKind::Buzz | RoundKind::Tiebreak);
        if let Action::Foul(_) = action {
            if !buzz {
                return Err("犯规只用于抢答题".to_owned());
            }
            if round.kind == RoundKind::Tiebreak && !self.state.tied.contains(&t) {
                return Err(format!("{name} 不参加加赛"));
            }
            let team = &mut self.state.teams[t];
            team.score -= round.penalty;
            team.fouls += 1;
            self.entry_log(
                at,
                typed,
                Some(t),
                -round.penalty,
                format!("{name} 抢答犯规 −{}", round.penalty),
                false,
            );
            return Ok(format!("{name} 抢答犯规，扣 {} 分", round.penalty));
        }
        let right = matches!(action, Action::Right(_));
        let current = self
            .state
            .current
            .as_ref()
            .ok_or("现在没有题目（n 出题）")?;
        if current.settled {
            return Err("本题已经判定（u 撤销，n 下一题）".to_owned());
        }
        match round.kind {
            RoundKind::Required | RoundKind::Risk if current.team != Some(t) => {
                let turn = current.team.map_or_else(String::new, |x| self.team_name(x));
                return Err(format!("本题是 {turn} 的{}", round.kind.label()));
            }
            RoundKind::Risk if current.value.is_none() => {
                return Err("请先选择分值（v 队号 分值）".to_owned());
            }
            RoundKind::Tiebreak if !self.state.tied.contains(&t) => {
                return Err(format!("{name} 不参加加赛"));
            }
            _ if current.tried.contains(&t) => return Err(format!("{name} 已经答过本题")),
            _ => {}
        }
        if buzz {
            // Only the team that won the buzz is judged; without buzzers
            // the host opens the question (o) and judges who called out.
            if let Some(x) = current.answering.filter(|&x| x != t) {
                let x = self.team_name(x);
                return Err(format!("本题由 {x} 抢到，请先判定 {x}（{name} 没有抢到）"));
            }
        }
        // Judged before the question was opened and with no buzz: allowed
        // (a hall without buzzers), but the host is told.
        let unopened = buzz && !current.open && current.answering.is_none();
        let (gain, loss) = match round.kind {
            RoundKind::Risk => (current.value.unwrap_or(0), current.value.unwrap_or(0)),
            _ => (round.points, round.penalty),
        };
        let teams = self.state.teams.len();
        let tied = self.state.tied.len();
        let current = self.state.current.as_mut().ok_or("现在没有题目")?;
        if buzz {
            // Judged without buzzers: the host opened it by voice.
            current.open = true;
            if current.answering == Some(t) || right {
                current.answering = None;
            }
        }
        let team = &mut self.state.teams[t];
        let (delta, text) = if right {
            team.score += gain;
            team.right += 1;
            current.settled = true;
            (gain, format!("{name} 答对 +{gain}"))
        } else {
            team.score -= loss;
            team.wrong += 1;
            current.tried.push(t);
            let everyone = if round.kind == RoundKind::Tiebreak {
                tied
            } else {
                teams
            };
            current.settled = !buzz || current.tried.len() >= everyone;
            (
                -loss,
                if loss > 0 {
                    format!("{name} 答错 −{loss}")
                } else {
                    format!("{name} 答错")
                },
            )
        };
        self.entry_log(at, typed, Some(t), delta, text.clone(), !right);
        let note = if unopened {
            "（注意：还没有按 o 开始抢答，也没有记录抢答，按口头抢答判定；判错了可按 u 撤销）"
        } else {
            ""
        };
        if round.kind == RoundKind::Tiebreak
            && self.state.current.as_ref().is_some_and(|c| c.settled)
            && self.leader().is_some()
        {
            self.finish(at);
            return Ok(format!("{text}。加赛决出胜负，竞赛结束{note}"));
        }
        Ok(format!("{text}{note}"))
    }

    /// The single team with the top score, if there is one.
    pub fn leader(&self) -> Option<usize> {
        let top = self.state.teams.iter().map(|t| t.score).max()?;
        let leaders: Vec<usize> = (0..self.state.teams.len())
            .filter(|&i| self.state.teams[i].score == top)
            .collect();
        (leaders.len() == 1).then(|| leaders[0])
    }

    fn finish(&mut self, at: i64) {
        self.state.phase = Phase::Finished;
        self.entry_log(at, "", None, 0, "竞赛结束".to_owned(), false);
        self.state.current = None;
    }

    fn next(&mut self, typed: &str, at: i64) -> Result<String, String> {
        // A turn question nobody scored on counts as missed by that team.
        if let Some(current) = self.state.current.clone()
            && !current.settled
            && let Some(t) = current.team.filter(|t| !current.tried.contains(t))
        {
            let name = self.team_name(t);
            self.entry_log(at, typed, Some(t), 0, format!("{name} 未答出"), true);
        }
        self.state.current = None;
        if self.state.phase == Phase::Question && self.state.number >= self.round_size() {
            return self.next_round(at);
        }
        let round = self.round().cloned().ok_or("没有更多轮次")?;
        let Some(entry) = self.draw(&round) else {
            self.entry_log(
                at,
                typed,
                None,
                0,
                format!("{} 题库已用完，本轮提前结束", round.title),
                false,
            );
            return self.next_round(at);
        };
        self.state.phase = Phase::Question;
        let k = self.state.number as usize;
        let n = self.state.teams.len();
        let team = match round.kind {
            RoundKind::Required => Some(k % n),
            RoundKind::Risk => {
                if k.is_multiple_of(n) {
                    // The lowest-scoring team picks first.
                    let mut order: Vec<usize> = (0..n).collect();
                    order.sort_by_key(|&i| (self.state.teams[i].score, i));
                    self.state.risk_order = order;
                }
                self.state.risk_order.get(k % n).copied()
            }
            _ => None,
        };
        self.state.used[entry] = true;
        self.state.number += 1;
        self.state.clock = if round.kind == RoundKind::Risk {
            0
        } else {
            i64::from(round.time)
        };
        self.state.paused = false;
        let order = super::option_order(self.card(entry), self.seed, entry);
        self.state.current = Some(Current {
            entry,
            team,
            value: None,
            tried: Vec::new(),
            settled: false,
            revealed: false,
            order,
            open: false,
            answering: None,
            buzzes: Vec::new(),
        });
        let whose = match (team, round.kind) {
            (Some(t), RoundKind::Risk) => format!(
                "：请 {} 选择分值（{}）",
                self.team_name(t),
                round
                    .values
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join("/")
            ),
            (Some(t), _) => format!("，{} 作答", self.team_name(t)),
            (None, _) => "（主持人读题后按 o 开始抢答）".to_owned(),
        };
        let text = format!("{} 第 {} 题{whose}", round.title, self.state.number);
        self.entry_log(at, typed, team, 0, text.clone(), false);
        Ok(text)
    }

    /// The next unused question that fits the round, in the seeded order.
    fn draw(&self, round: &RoundSpec) -> Option<usize> {
        self.order.iter().copied().find(|&i| {
            let e = &self.pool[i];
            let deck = &self.library.decks[e.deck];
            !self.state.used[i]
                && (round.decks.is_empty() || round.decks.contains(&deck.id))
                && (round.kinds.is_empty() || round.kinds.contains(&self.card(i).kind()))
        })
    }

    fn next_round(&mut self, at: i64) -> Result<String, String> {
        self.state.round += 1;
        self.state.number = 0;
        self.state.current = None;
        if self.state.round < self.state.rounds.len() {
            self.state.phase = Phase::Intro;
            let title = self.state.rounds[self.state.round].title.clone();
            self.entry_log(at, "", None, 0, format!("进入{title}"), false);
            return Ok(format!("进入{title}（按 n 出题）"));
        }
        let in_tiebreak = !self.state.tied.is_empty();
        let top = self.state.teams.iter().map(|t| t.score).max().unwrap_or(0);
        let tied: Vec<usize> = (0..self.state.teams.len())
            .filter(|&i| self.state.teams[i].score == top)
            .collect();
        if tied.len() >= 2 && !in_tiebreak {
            let names: Vec<String> = tied.iter().map(|&t| self.team_name(t)).collect();
            self.state.tied = tied;
            self.state.rounds.push(self.spec.tiebreak());
            self.state.phase = Phase::Intro;
            let text = format!("{} 同分并列第一，进入加赛（按 n 出题）", names.join("、"));
            self.entry_log(at, "", None, 0, text.clone(), false);
            return Ok(text);
        }
        self.finish(at);
        Ok(if tied.len() >= 2 {
            "加赛题已用完，仍然并列，竞赛结束"
        } else {
            "全部轮次结束"
        }
        .to_owned())
    }

    /// One second passes (the projector's clock).
    pub fn tick_now(&mut self) -> String {
        self.tick(1)
    }

    fn tick(&mut self, secs: i64) -> String {
        let running = self.state.current.as_ref().is_some_and(|c| {
            !c.settled
                && match self.round().map(|r| r.kind) {
                    Some(RoundKind::Risk) => c.value.is_some(),
                    Some(RoundKind::Buzz | RoundKind::Tiebreak) => c.open,
                    _ => true,
                }
        });
        if !running || self.state.paused || self.state.clock == 0 {
            return String::new();
        }
        self.state.clock = (self.state.clock - secs).max(0);
        if self.state.clock == 0 {
            "时间到！".to_owned()
        } else {
            String::new()
        }
    }

    fn undo(&mut self, at: i64) -> Result<String, String> {
        let (state, log_len) = self.undo.pop().ok_or("没有可以撤销的操作")?;
        // Entries already undone, and earlier undo notes, are not undone
        // again: the message names only what this undo takes back.
        let mut undone = Vec::new();
        for entry in &mut self.log[log_len..] {
            if !entry.undone && entry.action != "u" {
                entry.undone = true;
                undone.push(entry.text.clone());
            }
        }
        self.state = state;
        let text = format!("已撤销：{}", undone.join("；"));
        self.entry_log(at, "u", None, 0, text.clone(), false);
        Ok(text)
    }

    /// Teams by score, with shared places for equal scores: (place, team).
    pub fn ranking(&self) -> Vec<(usize, usize)> {
        let scores: Vec<i64> = self.state.teams.iter().map(|t| t.score).collect();
        rank(&scores)
    }
}

/// Places by score, highest first; equal scores share a place (1, 2, 2, 4).
pub fn rank(scores: &[i64]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(scores[i]), i));
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (pos, &t) in order.iter().enumerate() {
        let place = match out.last() {
            Some(&(p, prev)) if scores[prev] == scores[t] => p,
            _ => pos + 1,
        };
        out.push((place, t));
    }
    out
}

mod action;
mod present;

pub use action::{Action, parse_action};
pub use present::seconds;

#[cfg(test)]
mod tests;
