//! A paper and its answer key as one self-contained HTML page each, with
//! print CSS for A4 (no external resources: fonts are the reader's own).
//! The output depends on the paper only, so the same seed gives the same
//! bytes.

use super::{Paper, Piece, Question, options_per_line};
use crate::deck::option_letter;

const STYLE: &str = r#"
@page {
  size: A4; margin: 20mm 18mm 18mm 18mm;
  @bottom-center { content: "第 " counter(page) " 页，共 " counter(pages) " 页"; font-size: 9pt; }
}
* { box-sizing: border-box; }
html { background: #fff; }
body {
  font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC", serif;
  font-size: 12pt; line-height: 1.75; color: #000;
  max-width: 174mm; margin: 0 auto;
}
@media screen { body { padding: 12mm 0; } }
h1 {
  font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  font-size: 18pt; font-weight: bold; text-align: center; margin: 0 0 2pt; letter-spacing: 1pt;
}
.subtitle, .summary { text-align: center; margin: 0; }
.summary { font-size: 10.5pt; }
table.info { width: 100%; border-collapse: collapse; margin: 10pt 0 12pt; }
table.info td { width: 33.3%; padding: 0 4pt; white-space: nowrap; }
table.info .fill { display: inline-block; width: 34mm; border-bottom: 1px solid #000; height: 1.2em; vertical-align: bottom; }
h2 {
  font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  font-size: 12.5pt; font-weight: bold; margin: 12pt 0 4pt; break-after: avoid; page-break-after: avoid;
}
.q { break-inside: avoid; page-break-inside: avoid; margin: 0 0 5pt; }
.stem { margin: 0; padding-left: 2em; text-indent: -2em; }
.n { display: inline-block; min-width: 2em; text-indent: 0; }
.blank { display: inline-block; border-bottom: 1px solid #000; height: 1.1em; vertical-align: -0.3em; margin: 0 2pt; }
.opts { display: grid; margin: 0 0 0 2em; column-gap: 8pt; }
.opts.c4 { grid-template-columns: repeat(4, 1fr); }
.opts.c2 { grid-template-columns: repeat(2, 1fr); }
.opts.c1 { grid-template-columns: 1fr; }
.opt { padding-left: 1.6em; text-indent: -1.6em; }
.lines { margin: 2pt 0 0 2em; }
.lines div { border-bottom: 1px solid #888; height: 2.1em; }
.k { break-inside: avoid; page-break-inside: avoid; margin: 0 0 6pt; }
.k p { margin: 0; padding-left: 2em; }
.k p.a { padding-left: 2em; text-indent: -2em; }
.k .ex, .k .src { font-size: 10.5pt; }
.k .src { color: #333; }
.seed { margin-top: 14pt; font-size: 9pt; color: #555; text-align: right; }
"#;

/// The paper a candidate writes on.
pub fn paper(p: &Paper) -> String {
    let mut out = head(&p.full_title());
    out.push_str(&format!("<h1>{}</h1>\n", esc(&p.full_title())));
    if let Some(sub) = &p.subtitle {
        out.push_str(&format!("<p class=\"subtitle\">{}</p>\n", esc(sub)));
    }
    out.push_str(&format!("<p class=\"summary\">{}</p>\n", esc(&p.summary())));
    out.push_str("<table class=\"info\"><tr>");
    for label in ["姓名", "支部", "得分"] {
        out.push_str(&format!("<td>{label}：<span class=\"fill\"></span></td>"));
    }
    out.push_str("</tr></table>\n");
    for (i, section, questions) in p.numbered() {
        out.push_str(&format!("<h2>{}</h2>\n", esc(&section.heading(i))));
        for (n, q) in questions {
            question(&mut out, n, q);
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn question(out: &mut String, n: usize, q: &Question) {
    out.push_str("<div class=\"q\">\n<p class=\"stem\">");
    out.push_str(&format!("<span class=\"n\">{n}.</span>"));
    for piece in &q.stem {
        match piece {
            Piece::Text(t) => out.push_str(&esc(t)),
            Piece::Blank(cells) => out.push_str(&format!(
                "<span class=\"blank\" style=\"width:{}em\"></span>",
                em(*cells)
            )),
        }
    }
    out.push_str("</p>\n");
    if !q.options.is_empty() {
        out.push_str(&format!(
            "<div class=\"opts c{}\">",
            options_per_line(&q.options)
        ));
        for (i, o) in q.options.iter().enumerate() {
            out.push_str(&format!(
                "<div class=\"opt\">{}. {}</div>",
                option_letter(i),
                esc(o)
            ));
        }
        out.push_str("</div>\n");
    }
    if q.lines > 0 {
        out.push_str("<div class=\"lines\">");
        out.push_str(&"<div></div>".repeat(q.lines));
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
}

/// The answer key: every answer with its 解析 and 出处.
pub fn key(p: &Paper) -> String {
    let title = format!("{} 参考答案", p.full_title());
    let mut out = head(&title);
    out.push_str(&format!("<h1>{}</h1>\n", esc(&title)));
    out.push_str(&format!("<p class=\"summary\">{}</p>\n", esc(&p.summary())));
    for (i, section, questions) in p.numbered() {
        out.push_str(&format!("<h2>{}</h2>\n", esc(&section.heading(i))));
        for (n, q) in questions {
            out.push_str("<div class=\"k\">\n");
            out.push_str(&format!(
                "<p class=\"a\"><span class=\"n\">{n}.</span>{}</p>\n",
                esc(&q.answer)
            ));
            if let Some(ex) = &q.explain {
                out.push_str(&format!("<p class=\"ex\">解析：{}</p>\n", esc(ex)));
            }
            if let Some(src) = &q.source {
                out.push_str(&format!(
                    "<p class=\"src\">出处：《{}》“{}”</p>\n",
                    esc(&src.title),
                    esc(&src.quote)
                ));
            }
            out.push_str("</div>\n");
        }
    }
    out.push_str(&format!(
        "<p class=\"seed\">种子 {0}：dangke paper --seed {0} 可重出此卷</p>\n",
        p.seed
    ));
    out.push_str("</body>\n</html>\n");
    out
}

fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(title)
    )
}

/// A width in cells as ems (a CJK character is one em, two cells).
fn em(cells: usize) -> String {
    if cells.is_multiple_of(2) {
        (cells / 2).to_string()
    } else {
        format!("{}.5", cells / 2)
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::Kind;
    use crate::paper::{Section, Source};

    fn sample() -> Paper {
        Paper {
            title: "测试<卷>".into(),
            subtitle: None,
            minutes: Some(60),
            version: Some('B'),
            seed: 5,
            sections: vec![
                Section {
                    kind: Kind::Choice,
                    title: "单项选择题".into(),
                    points: 2,
                    questions: vec![Question {
                        card: "d/a".into(),
                        stem: vec![
                            Piece::Text("a < b & \"c\"？".into()),
                            Piece::Text("（　　）".into()),
                        ],
                        options: vec!["<script>".into(), "乙".into()],
                        lines: 0,
                        answer: "A".into(),
                        explain: Some("因为 <b>".into()),
                        source: Some(Source {
                            title: "文&献".into(),
                            quote: "原文".into(),
                        }),
                    }],
                },
                Section {
                    kind: Kind::Fill,
                    title: "填空题".into(),
                    points: 2,
                    questions: vec![Question {
                        card: "d/b".into(),
                        stem: vec![
                            Piece::Text("开".into()),
                            Piece::Blank(9),
                            Piece::Text("。".into()),
                        ],
                        options: vec![],
                        lines: 0,
                        answer: "短会".into(),
                        explain: None,
                        source: None,
                    }],
                },
            ],
        }
    }

    #[test]
    fn deck_text_is_escaped() {
        let html = paper(&sample());
        assert!(html.contains("a &lt; b &amp; &quot;c&quot;？"), "{html}");
        assert!(html.contains("A. &lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"));
        assert!(html.contains("<title>测试&lt;卷&gt;（B 卷）</title>"));
        let key = key(&sample());
        assert!(key.contains("解析：因为 &lt;b&gt;"), "{key}");
        assert!(key.contains("出处：《文&amp;献》“原文”"), "{key}");
    }

    #[test]
    fn the_page_is_a4_self_contained_and_numbered_on() {
        let html = paper(&sample());
        assert!(html.contains("size: A4"));
        assert!(html.contains("page-break-inside: avoid"));
        assert!(!html.contains("http"), "no external resources");
        assert!(html.contains("一、单项选择题（共 1 题，每题 2 分，共 2 分）"));
        assert!(html.contains("二、填空题（共 1 题，每题 2 分，共 2 分）"));
        assert!(
            html.contains("<span class=\"n\">2.</span>开"),
            "numbering runs on"
        );
        assert!(html.contains("style=\"width:4.5em\""), "blank of 9 cells");
        for label in ["姓名", "支部", "得分"] {
            assert!(html.contains(&format!("{label}：")));
        }
        assert!(!html.contains("短会"), "no answers on the paper");
    }
}
