//! A paper and its answer key as Word documents (through `docx-rs`), for
//! instructors to edit in Word or WPS: real paragraphs, headings, a
//! borderless table for the name line, 宋体/黑体 font hints, A4 margins.
//! The bytes depend on the paper only: paragraph ids are numbered here
//! and every zip entry carries the same fixed time.

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, NumPages, PageMargin, PageNum,
    Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType,
};

use super::{Paper, Piece, Question, options_per_line};
use crate::deck::option_letter;

/// A4 in twentieths of a point, and the margins (20 mm top, 18 mm
/// elsewhere).
const A4: (u32, u32) = (11906, 16838);
const MARGIN_TOP: i32 = 1134;
const MARGIN: i32 = 1020;
/// The text width: A4 less the side margins.
const TEXT_WIDTH: usize = 11906 - 2 * 1020;
/// Body text: 小四 (12 pt), in half points.
const BODY: usize = 24;
/// An em of body text in twentieths of a point.
const EM: i32 = 240;
/// Characters of body text on a line (the answer lines' width).
const LINE_CHARS: usize = TEXT_WIDTH / 240;

const SONG: &str = "宋体";
const HEI: &str = "黑体";

/// Builds documents with paragraph ids of their own, so that two builds
/// of the same paper are the same bytes.
struct Doc {
    docx: Docx,
    next_id: u32,
}

impl Doc {
    fn new() -> Doc {
        let docx = Docx::new()
            .page_size(A4.0, A4.1)
            .page_margin(
                PageMargin::new()
                    .top(MARGIN_TOP)
                    .bottom(MARGIN)
                    .left(MARGIN)
                    .right(MARGIN)
                    .header(567)
                    .footer(567),
            )
            .default_fonts(fonts(SONG))
            .default_size(BODY)
            .default_line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line(300)
                    .after(0),
            );
        let mut doc = Doc { docx, next_id: 1 };
        // 第 1 页，共 5 页, centred at the foot of every page.
        let page = doc
            .p()
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text("第 ").size(18))
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(" 页，共 ").size(18))
            .add_num_pages(NumPages::new())
            .add_run(Run::new().add_text(" 页").size(18));
        doc.docx = std::mem::take(&mut doc.docx).footer(Footer::new().add_paragraph(page));
        doc
    }

    fn p(&mut self) -> Paragraph {
        let id = format!("{:08X}", self.next_id);
        self.next_id += 1;
        Paragraph::new().id(id)
    }

    fn add(&mut self, p: Paragraph) {
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    fn title(&mut self, text: &str) {
        let p = self
            .p()
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().after(120))
            .add_run(Run::new().add_text(text).fonts(fonts(HEI)).size(36).bold());
        self.add(p);
    }

    fn centered(&mut self, text: &str, size: usize) {
        let p = self
            .p()
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text(text).size(size));
        self.add(p);
    }

    fn heading(&mut self, text: &str) {
        let p = self
            .p()
            .keep_next(true)
            .outline_lvl(0)
            .line_spacing(LineSpacing::new().before(200).after(80))
            .add_run(Run::new().add_text(text).fonts(fonts(HEI)).size(25).bold());
        self.add(p);
    }

    fn finish(self) -> Result<Vec<u8>, String> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        self.docx
            .build()
            .pack(&mut bytes)
            .map_err(|e| e.to_string())?;
        fixed_times(&bytes.into_inner()).map_err(|e| e.to_string())
    }
}

/// East Asian text in `east_asia`, Latin text in Times New Roman.
fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .hint("eastAsia")
}

/// `run` with `t` added, a line break for each newline (deck text may
/// span lines; Word would run them together).
fn text(run: Run, t: &str) -> Run {
    t.split('\n').enumerate().fold(run, |run, (i, line)| {
        let run = if i > 0 {
            run.add_break(docx_rs::BreakType::TextWrapping)
        } else {
            run
        };
        run.add_text(line)
    })
}

/// The paper a candidate writes on.
pub fn paper(p: &Paper) -> Result<Vec<u8>, String> {
    let mut doc = Doc::new();
    doc.title(&p.full_title());
    if let Some(sub) = &p.subtitle {
        doc.centered(sub, BODY);
    }
    doc.centered(&p.summary(), 21);
    let info = doc.info_line();
    doc.docx = std::mem::take(&mut doc.docx).add_table(info);
    let spacer = doc.p();
    doc.add(spacer);
    for (i, section, questions) in p.numbered() {
        doc.heading(&section.heading(i));
        for (n, q) in questions {
            question(&mut doc, n, q);
        }
    }
    doc.finish()
}

impl Doc {
    /// 姓名：＿＿ 支部：＿＿ 得分：＿＿ as a borderless three-cell table.
    fn info_line(&mut self) -> Table {
        let cell_width = TEXT_WIDTH / 3;
        let cells: Vec<TableCell> = ["姓名", "支部", "得分"]
            .into_iter()
            .map(|label| {
                let p = self
                    .p()
                    .add_run(Run::new().add_text(format!("{label}：")))
                    .add_run(
                        Run::new()
                            .add_text("\u{3000}".repeat(8))
                            .underline("single"),
                    );
                TableCell::new()
                    .width(cell_width, WidthType::Dxa)
                    .add_paragraph(p)
                    .clear_all_border()
            })
            .collect();
        Table::without_borders(vec![TableRow::new(cells)])
            .set_grid(vec![cell_width; 3])
            .width(TEXT_WIDTH, WidthType::Dxa)
    }
}

fn question(doc: &mut Doc, n: usize, q: &Question) {
    let hang = 2 * EM;
    let mut stem = doc
        .p()
        .keep_lines(true)
        .keep_next(!q.options.is_empty() || q.lines > 0)
        .indent(
            Some(hang),
            Some(docx_rs::SpecialIndentType::Hanging(hang)),
            None,
            None,
        )
        .line_spacing(LineSpacing::new().before(60))
        .add_run(Run::new().add_text(format!("{n}.")).add_tab());
    stem = stem.add_tab(
        docx_rs::Tab::new()
            .val(docx_rs::TabValueType::Left)
            .pos(hang as usize),
    );
    for piece in &q.stem {
        stem = match piece {
            Piece::Text(t) => stem.add_run(text(Run::new(), t)),
            Piece::Blank(cells) => stem.add_run(
                Run::new()
                    .add_text("\u{3000}".repeat(cells.div_ceil(2)))
                    .underline("single"),
            ),
        };
    }
    doc.add(stem);
    if !q.options.is_empty() {
        let per_line = options_per_line(&q.options);
        let column = (TEXT_WIDTH - hang as usize) / per_line;
        let rows: Vec<&[String]> = q.options.chunks(per_line).collect();
        let last = rows.len() - 1;
        for (r, row) in rows.into_iter().enumerate() {
            let mut p =
                doc.p()
                    .keep_lines(true)
                    .keep_next(r < last)
                    .indent(Some(hang), None, None, None);
            for c in 1..per_line {
                p = p.add_tab(
                    docx_rs::Tab::new()
                        .val(docx_rs::TabValueType::Left)
                        .pos(hang as usize + c * column),
                );
            }
            for (c, option) in row.iter().enumerate() {
                let mut run = Run::new();
                if c > 0 {
                    run = run.add_tab();
                }
                let letter = option_letter(r * per_line + c);
                p = p.add_run(text(run, &format!("{letter}. {option}")));
            }
            doc.add(p);
        }
    }
    for l in 0..q.lines {
        let p = doc
            .p()
            .keep_next(l + 1 < q.lines)
            .indent(Some(hang), None, None, None)
            .line_spacing(
                LineSpacing::new()
                    .line(400)
                    .line_rule(LineSpacingType::Exact),
            )
            .add_run(
                Run::new()
                    .add_text("\u{3000}".repeat(LINE_CHARS - 3))
                    .underline("single"),
            );
        doc.add(p);
    }
}

/// The answer key: every answer with its 解析 and 出处.
pub fn key(p: &Paper) -> Result<Vec<u8>, String> {
    let mut doc = Doc::new();
    doc.title(&format!("{} 参考答案", p.full_title()));
    doc.centered(&p.summary(), 21);
    let hang = 2 * EM;
    for (i, section, questions) in p.numbered() {
        doc.heading(&section.heading(i));
        for (n, q) in questions {
            let answer = doc
                .p()
                .keep_lines(true)
                .keep_next(q.explain.is_some() || q.source.is_some())
                .indent(
                    Some(hang),
                    Some(docx_rs::SpecialIndentType::Hanging(hang)),
                    None,
                    None,
                )
                .add_tab(
                    docx_rs::Tab::new()
                        .val(docx_rs::TabValueType::Left)
                        .pos(hang as usize),
                )
                .line_spacing(LineSpacing::new().before(60))
                .add_run(Run::new().add_text(format!("{n}.")).add_tab())
                .add_run(text(Run::new(), &q.answer).bold());
            doc.add(answer);
            if let Some(ex) = &q.explain {
                let p = doc
                    .p()
                    .keep_lines(true)
                    .keep_next(q.source.is_some())
                    .indent(Some(hang), None, None, None)
                    .add_run(text(Run::new(), &format!("解析：{ex}")).size(21));
                doc.add(p);
            }
            if let Some(src) = &q.source {
                let p = doc
                    .p()
                    .keep_lines(true)
                    .indent(Some(hang), None, None, None)
                    .add_run(
                        Run::new()
                            .add_text(format!("出处：《{}》“{}”", src.title, src.quote))
                            .size(21)
                            .color("404040"),
                    );
                doc.add(p);
            }
        }
    }
    let seed = doc
        .p()
        .align(AlignmentType::Right)
        .line_spacing(LineSpacing::new().before(240))
        .add_run(
            Run::new()
                .add_text(format!(
                    "种子 {0}：dangke paper --seed {0} 可重出此卷",
                    p.seed
                ))
                .size(18)
                .color("595959"),
        );
    doc.add(seed);
    doc.finish()
}

/// The archive again, compressed (docx-rs stores its parts uncompressed)
/// and with every entry dated 1980-01-01 00:00 (the zip crate dates
/// entries with the clock whenever its `time` feature is on).
fn fixed_times(bytes: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i)?;
        let name = file.name().to_owned();
        if file.is_dir() {
            out.add_directory(name, options)?;
            continue;
        }
        let mut data = Vec::new();
        file.read_to_end(&mut data)?;
        out.start_file(name, options)?;
        out.write_all(&data)?;
    }
    Ok(out.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Kind;
    use crate::paper::{Section, Source};

    fn sample() -> Paper {
        let q = |card: &str, stem: Vec<Piece>, options: Vec<&str>, lines| Question {
            card: card.into(),
            stem,
            options: options.into_iter().map(String::from).collect(),
            lines,
            answer: "B".into(),
            explain: Some("解析 <x>".into()),
            source: Some(Source {
                title: "群众工作".into(),
                quote: "原文 & 引文".into(),
            }),
        };
        Paper {
            title: "测试卷".into(),
            subtitle: Some("第一支部".into()),
            minutes: None,
            version: None,
            seed: 9,
            sections: vec![
                Section {
                    kind: Kind::Choice,
                    title: "单项选择题".into(),
                    points: 2,
                    questions: vec![
                        q(
                            "d/a",
                            vec![Piece::Text("第一题 <b>&？".into())],
                            vec!["甲", "乙", "丙", "丁"],
                            0,
                        ),
                        q(
                            "d/b",
                            vec![Piece::Text("第二题？".into())],
                            vec!["很长的选项".repeat(5).as_str(), "乙"],
                            0,
                        ),
                    ],
                },
                Section {
                    kind: Kind::Fill,
                    title: "填空题".into(),
                    points: 2,
                    questions: vec![q(
                        "d/c",
                        vec![
                            Piece::Text("第三题开".into()),
                            Piece::Blank(8),
                            Piece::Text("。".into()),
                        ],
                        vec![],
                        0,
                    )],
                },
                Section {
                    kind: Kind::Qa,
                    title: "简答题".into(),
                    points: 10,
                    questions: vec![q("d/d", vec![Piece::Text("第四题？".into())], vec![], 3)],
                },
            ],
        }
    }

    fn document_text(bytes: &[u8]) -> Vec<String> {
        let docx = docx_rs::read_docx(bytes).expect("a docx reader opens it");
        docx.document
            .children
            .iter()
            .filter_map(|c| match c {
                docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_paper_opens_with_a_docx_reader_and_has_the_questions_in_order() {
        let bytes = paper(&sample()).unwrap();
        let text = document_text(&bytes);
        let find = |needle: &str| {
            text.iter()
                .position(|t| t.contains(needle))
                .unwrap_or_else(|| panic!("{needle} not in {text:?}"))
        };
        assert!(find("测试卷") < find("一、单项选择题（共 2 题"));
        assert!(find("一、单项选择题") < find("第一题 <b>&？"));
        assert!(find("第一题") < find("A. 甲"));
        assert!(find("A. 甲") < find("第二题"));
        assert!(find("第二题") < find("二、填空题"));
        assert!(find("二、填空题") < find("第三题开"));
        assert!(find("第三题开") < find("三、简答题（共 1 题，每题 10 分，共 10 分）"));
        assert!(find("三、简答题") < find("第四题"));
        // Short options share a line; long ones take a line each.
        assert!(
            text.iter()
                .any(|t| t.contains("A. 甲") && t.contains("D. 丁"))
        );
        assert!(
            !text
                .iter()
                .any(|t| t.contains("A. 很长") && t.contains("B. 乙"))
        );
        // The blank: four underlined ideographic spaces for 8 cells.
        assert!(
            text.iter()
                .any(|t| t.contains("第三题开\u{3000}\u{3000}\u{3000}\u{3000}。"))
        );
        assert!(
            !text.iter().any(|t| t.contains("解析")),
            "no key on the paper"
        );
    }

    #[test]
    fn the_key_has_answers_explanations_and_sources() {
        let text = document_text(&key(&sample()).unwrap());
        assert!(text.iter().any(|t| t.contains("测试卷 参考答案")));
        assert!(
            text.iter().any(|t| t.starts_with("1.") && t.ends_with('B')),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t == "解析：解析 <x>"), "{text:?}");
        assert!(
            text.iter().any(|t| t == "出处：《群众工作》“原文 & 引文”"),
            "{text:?}"
        );
    }

    #[test]
    fn the_same_paper_gives_the_same_bytes_with_fixed_zip_times() {
        let a = paper(&sample()).unwrap();
        let b = paper(&sample()).unwrap();
        assert_eq!(a, b);
        // The first entry's local header: DOS time 0, date 1980-01-01.
        assert_eq!(&a[..4], b"PK\x03\x04");
        assert_eq!(&a[10..14], &[0, 0, 0x21, 0]);
        let xml = String::from_utf8_lossy(&a);
        assert!(!xml.is_empty());
    }

    /// Word repairs (or refuses) a document whose paragraphs share a
    /// `w14:paraId`: every paragraph gets its own.
    #[test]
    fn every_paragraph_has_its_own_id() {
        let xml = document_xml(paper(&sample()).unwrap());
        let ids: Vec<&str> = xml
            .split("w14:paraId=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(ids.len() > 10, "{} ids", ids.len());
        let distinct: std::collections::HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(distinct.len(), ids.len(), "{ids:?}");
    }

    fn document_xml(bytes: Vec<u8>) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    /// A question hangs its number two characters out, and options that
    /// share a line are separated by tabs (none before the first).
    #[test]
    fn questions_hang_and_options_on_a_line_are_tab_separated() {
        let xml = document_xml(paper(&sample()).unwrap());
        assert!(
            xml.contains("w:hanging=\"480\""),
            "two characters of 240 twips"
        );
        let a = xml.find("A. 甲").expect("option A");
        let start = xml[..a].rfind("<w:p ").expect("its paragraph");
        let end = a + xml[a..].find("</w:p>").expect("paragraph end");
        let before = &xml[start..a];
        let after = &xml[a..end];
        // A run's tab (the paragraph's tab stops are `<w:tab w:val=…/>`).
        let tab = "<w:tab />";
        assert!(!before.contains(tab), "{before}");
        assert!(
            after
                .find(tab)
                .is_some_and(|t| t < after.find("B. ").unwrap_or(0)),
            "{after}"
        );
    }

    #[test]
    fn newlines_in_deck_text_are_line_breaks() {
        let run = text(Run::new(), "甲\n乙");
        let json = serde_json::to_string(&run).unwrap();
        assert!(json.contains("\"textWrapping\""), "{json}");
        assert!(json.contains("甲") && json.contains("乙"));
    }

    #[test]
    fn the_page_is_a4_in_song_ti() {
        let bytes = paper(&sample()).unwrap();
        let docx = docx_rs::read_docx(&bytes).unwrap();
        let size = &docx.document.section_property.page_size;
        let json = serde_json::to_string(size).unwrap();
        assert!(json.contains("11906") && json.contains("16838"), "{json}");
        let styles = serde_json::to_string(&docx.styles).unwrap();
        assert!(styles.contains("宋体"), "default font hint");
    }
}
