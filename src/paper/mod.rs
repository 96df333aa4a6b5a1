//! Printable exam papers (试卷): a plan (sections of a kind, a count and
//! points each) is filled from the decks by seed (`build`), and the paper
//! and its answer key are rendered as HTML for print or as an editable
//! Word document. Pure: no clock, no terminal, no files; the seed is
//! passed in.

pub mod build;
pub mod docx;
pub mod html;
pub mod plan;

pub use build::{Built, Shortfall, build};
pub use plan::{Plan, SectionSpec, is_plan};

use crate::deck::Kind;

/// One version of a paper, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paper {
    pub title: String,
    pub subtitle: Option<String>,
    /// 考试时间 in minutes, printed under the title when given.
    pub minutes: Option<u32>,
    /// `Some('A')` when several versions were made.
    pub version: Option<char>,
    pub seed: u64,
    pub sections: Vec<Section>,
}

/// A section of questions of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: Kind,
    /// 单项选择题, or the plan's title.
    pub title: String,
    /// Points for each question.
    pub points: u32,
    pub questions: Vec<Question>,
}

/// A piece of a question's stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// A fill blank as wide as its answer, in terminal cells (a CJK
    /// character is 2).
    Blank(usize),
}

/// One question as printed, with what its key says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// `deck/card`, naming where the question came from.
    pub card: String,
    pub stem: Vec<Piece>,
    /// Options in the order printed (lettered A, B, …).
    pub options: Vec<String>,
    /// Lines left for writing the answer (简答 and 列举 questions).
    pub lines: usize,
    /// The answer in the printed letters, for the key.
    pub answer: String,
    pub explain: Option<String>,
    /// 《document title》 and the passage, for the key.
    pub source: Option<Source>,
}

/// Where a question's answer comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    pub quote: String,
}

impl Question {
    /// The stem as one line, blanks as underscores (for tests and messages).
    pub fn stem_text(&self) -> String {
        self.stem
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Blank(w) => "_".repeat(*w),
            })
            .collect()
    }
}

impl Section {
    pub fn total(&self) -> u32 {
        self.points * self.questions.len() as u32
    }

    /// 一、单项选择题（共 10 题，每题 2 分，共 20 分）
    pub fn heading(&self, index: usize) -> String {
        format!(
            "{}、{}（共 {} 题，每题 {} 分，共 {} 分）",
            numeral(index + 1),
            self.title,
            self.questions.len(),
            self.points,
            self.total()
        )
    }
}

impl Paper {
    pub fn total(&self) -> u32 {
        self.sections.iter().map(Section::total).sum()
    }

    pub fn question_count(&self) -> usize {
        self.sections.iter().map(|s| s.questions.len()).sum()
    }

    /// The title with the version: “党课知识测试卷（A 卷）”.
    pub fn full_title(&self) -> String {
        match self.version {
            Some(v) => format!("{}（{v} 卷）", self.title),
            None => self.title.clone(),
        }
    }

    /// “满分 100 分，考试时间 90 分钟”.
    pub fn summary(&self) -> String {
        let mut s = format!("共 {} 题，满分 {} 分", self.question_count(), self.total());
        if let Some(m) = self.minutes {
            s.push_str(&format!("，考试时间 {m} 分钟"));
        }
        s
    }

    /// The number each question is printed with: numbering runs on
    /// through the sections (1 to the last question).
    pub fn numbered(&self) -> Vec<Numbered<'_>> {
        let mut n = 0;
        self.sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let qs = s
                    .questions
                    .iter()
                    .map(|q| {
                        n += 1;
                        (n, q)
                    })
                    .collect();
                (i, s, qs)
            })
            .collect()
    }
}

/// A section's index, the section, and its questions with their numbers.
pub type Numbered<'p> = (usize, &'p Section, Vec<(usize, &'p Question)>);

/// 1 → 一, 12 → 十二 (section numbers).
pub fn numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

/// How an option list is laid out: all on one line, two to a line, or
/// one to a line, by the widest option (in cells).
pub fn options_per_line(options: &[String]) -> usize {
    let widest = options
        .iter()
        .map(|o| crate::term::width(o))
        .max()
        .unwrap_or(0);
    match widest {
        0..=12 if options.len() <= 4 => 4,
        0..=30 => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_numerals() {
        assert_eq!(numeral(1), "一");
        assert_eq!(numeral(5), "五");
        assert_eq!(numeral(10), "十");
        assert_eq!(numeral(12), "十二");
        assert_eq!(numeral(20), "二十");
        assert_eq!(numeral(23), "二十三");
    }

    #[test]
    fn headings_give_count_points_and_total() {
        let q = Question {
            card: "d/c".into(),
            stem: vec![Piece::Text("问".into())],
            options: vec![],
            lines: 0,
            answer: "甲".into(),
            explain: None,
            source: None,
        };
        let s = Section {
            kind: Kind::Choice,
            title: "单项选择题".into(),
            points: 2,
            questions: vec![q; 10],
        };
        assert_eq!(
            s.heading(0),
            "一、单项选择题（共 10 题，每题 2 分，共 20 分）"
        );
    }

    #[test]
    fn option_layout_follows_the_widest_option() {
        let short: Vec<String> = ["望", "闻", "问", "切"].map(String::from).into();
        assert_eq!(options_per_line(&short), 4);
        let medium: Vec<String> = [
            "精简会议活动",
            "改进调查研究",
            "规范出访活动",
            "改进警卫工作",
            "厉行勤俭节约",
        ]
        .map(String::from)
        .into();
        assert_eq!(options_per_line(&medium), 2);
        let long = vec!["一".repeat(20)];
        assert_eq!(options_per_line(&long), 1);
    }
}
