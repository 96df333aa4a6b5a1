//! `dangke paper`: printable exam papers and their keys, through the real
//! binary.

use crate::test::Test;

fn read(out: &crate::test::TestOutput, name: &str) -> String {
    std::fs::read_to_string(out.dir.path().join(name))
        .unwrap_or_else(|e| panic!("read {name}: {e}"))
}

fn bytes(out: &crate::test::TestOutput, name: &str) -> Vec<u8> {
    std::fs::read(out.dir.path().join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
}

/// The question stems of an HTML paper, in order (tags and numbers out).
fn stems(html: &str) -> Vec<String> {
    html.lines()
        .filter(|l| l.starts_with("<p class=\"stem\">"))
        .map(|l| {
            let l = l
                .split("</span>")
                .skip(1)
                .collect::<Vec<_>>()
                .join("</span>");
            let mut text = String::new();
            let mut tag = false;
            for c in l.chars() {
                match c {
                    '<' => tag = true,
                    '>' => tag = false,
                    c if !tag => text.push(c),
                    _ => {}
                }
            }
            text
        })
        .collect()
}

/// The section headings of an HTML paper, in order.
fn headings(html: &str) -> Vec<String> {
    html.lines()
        .filter_map(|l| l.strip_prefix("<h2>")?.strip_suffix("</h2>"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_default_paper_has_five_sections_with_totals_and_a_key() {
    let out = Test::new()
        .args(["paper", "--seed", "7", "-o", "试卷.html"])
        .stdout_has("试卷：试卷.html（共 42 题，满分 100 分）")
        .stdout_has("答案：试卷-答案.html")
        .stdout_has("种子：7（用 --seed 7 可以重出同一份试卷）")
        .run();
    let html = read(&out, "试卷.html");
    assert_eq!(
        headings(&html),
        vec![
            "一、单项选择题（共 15 题，每题 2 分，共 30 分）",
            "二、多项选择题（共 10 题，每题 3 分，共 30 分）",
            "三、判断题（共 10 题，每题 1 分，共 10 分）",
            "四、填空题（共 5 题，每题 2 分，共 10 分）",
            "五、简答题（共 2 题，每题 10 分，共 20 分）",
        ]
    );
    assert_eq!(stems(&html).len(), 42);
    for label in ["姓名：", "支部：", "得分："] {
        assert!(html.contains(label), "{label}");
    }
    assert!(
        html.contains("<span class=\"n\">42.</span>"),
        "numbered 1 to 42"
    );
    let key = read(&out, "试卷-答案.html");
    assert!(key.contains("党课知识测试卷 参考答案"));
    assert_eq!(headings(&key), headings(&html));
    assert!(key.contains("出处：《"), "sources in the key");
    assert!(key.contains("解析："), "explanations in the key");
    assert!(!html.contains("出处："), "no key on the paper");
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_another_paper() {
    let out = Test::new()
        .args(["paper", "--seed", "11", "-o", "a.html"])
        .run()
        .then()
        .args(["paper", "--seed", "11", "-o", "b.html"])
        .run()
        .then()
        .args(["paper", "--seed", "12", "-o", "c.html"])
        .run()
        .then()
        .args(["paper", "--seed", "11", "-o", "a.docx"])
        .run()
        .then()
        .args(["paper", "--seed", "11", "-o", "b.docx"])
        .run();
    assert_eq!(bytes(&out, "a.html"), bytes(&out, "b.html"));
    assert_eq!(bytes(&out, "a-答案.html"), bytes(&out, "b-答案.html"));
    assert_ne!(stems(&read(&out, "a.html")), stems(&read(&out, "c.html")));
    assert_eq!(bytes(&out, "a.docx"), bytes(&out, "b.docx"), "docx too");
    assert_eq!(bytes(&out, "a-答案.docx"), bytes(&out, "b-答案.docx"));
}

#[test]
fn the_clock_seeds_a_paper_without_one_so_now_replays_it() {
    let out = Test::new()
        .now("2026-03-01T08:00:00+08:00")
        .args(["paper", "-o", "a.html"])
        .stdout_has("种子：1772323200")
        .run()
        .then()
        .args(["paper", "--seed", "1772323200", "-o", "b.html"])
        .run();
    assert_eq!(bytes(&out, "a.html"), bytes(&out, "b.html"));
}

#[test]
fn options_are_shuffled_so_answers_are_not_always_a() {
    let out = Test::new()
        .args([
            "paper", "--seed", "3", "--kinds", "choice", "-n", "20", "-o", "p.html",
        ])
        .run();
    let key = read(&out, "p-答案.html");
    let letters: Vec<char> = key
        .lines()
        .filter_map(|l| l.strip_prefix("<p class=\"a\">"))
        .filter_map(|l| l.split("</span>").nth(1)?.chars().next())
        .collect();
    assert_eq!(letters.len(), 20);
    assert!(letters.iter().any(|&c| c != 'A'), "{letters:?}");
    let distinct: std::collections::BTreeSet<char> = letters.iter().copied().collect();
    assert!(distinct.len() >= 3, "{letters:?}");
}

#[test]
fn a_count_and_kinds_shape_the_default_sections() {
    let out = Test::new()
        .args([
            "paper",
            "--seed",
            "1",
            "-n",
            "10",
            "--kinds",
            "choice,judge",
            "-o",
            "p.html",
        ])
        .stdout_has("共 10 题，满分 16 分")
        .run();
    let html = read(&out, "p.html");
    assert_eq!(
        headings(&html),
        vec![
            "一、单项选择题（共 6 题，每题 2 分，共 12 分）",
            "二、判断题（共 4 题，每题 1 分，共 4 分）",
        ]
    );
}

#[test]
fn two_versions_share_the_questions_in_other_orders_each_with_a_key() {
    let out = Test::new()
        .args(["paper", "--seed", "5", "--versions", "2", "-o", "卷.html"])
        .stdout_has("试卷：卷-A.html")
        .stdout_has("答案：卷-A-答案.html")
        .stdout_has("试卷：卷-B.html")
        .stdout_has("答案：卷-B-答案.html")
        .run();
    let a = read(&out, "卷-A.html");
    let b = read(&out, "卷-B.html");
    assert!(a.contains("<h1>党课知识测试卷（A 卷）</h1>"));
    assert!(b.contains("<h1>党课知识测试卷（B 卷）</h1>"));
    assert_eq!(headings(&a), headings(&b));
    let (sa, sb) = (stems(&a), stems(&b));
    assert_ne!(sa, sb, "another order");
    let (mut ka, mut kb) = (sa.clone(), sb.clone());
    ka.sort();
    kb.sort();
    assert_eq!(ka, kb, "the same questions");
    assert_ne!(read(&out, "卷-A-答案.html"), read(&out, "卷-B-答案.html"));
}

#[test]
fn the_docx_opens_with_a_docx_reader_and_has_the_questions_in_order() {
    let out = Test::new()
        .args(["paper", "--seed", "9", "-o", "p.docx"])
        .run()
        .then()
        .args(["paper", "--seed", "9", "-o", "p.html"])
        .run();
    let docx = docx_rs::read_docx(&bytes(&out, "p.docx")).expect("a readable docx");
    let text: Vec<String> = docx
        .document
        .children
        .iter()
        .filter_map(|c| match c {
            docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect();
    let html = read(&out, "p.html");
    let mut at = 0;
    for (n, stem) in stems(&html).iter().enumerate() {
        // The stem's first words (blanks are underlined spaces in Word).
        let head: String = stem.chars().take_while(|c| *c != '（').take(8).collect();
        let found = text[at..]
            .iter()
            .position(|t| t.starts_with(&format!("{}.", n + 1)) && t.contains(&head))
            .unwrap_or_else(|| panic!("question {} “{head}” not in order", n + 1));
        at += found + 1;
    }
    for heading in headings(&html) {
        assert!(text.contains(&heading), "{heading}");
    }
    let key = docx_rs::read_docx(&bytes(&out, "p-答案.docx")).expect("a readable key");
    let key_text = serde_json::to_string(&key.document).unwrap();
    assert!(key_text.contains("参考答案"));
    assert!(key_text.contains("出处：《"));
}

/// In the Word paper the options sharing a line have tab stops one
/// column apart, so they stand in even columns.
#[test]
fn the_docx_puts_options_on_evenly_spaced_tab_stops() {
    let out = Test::new()
        .args(["paper", "--seed", "9", "-o", "p.docx"])
        .run();
    let docx = docx_rs::read_docx(&bytes(&out, "p.docx")).expect("a readable docx");
    let paragraphs: Vec<&docx_rs::Paragraph> = docx
        .document
        .children
        .iter()
        .filter_map(|c| match c {
            docx_rs::DocumentChild::Paragraph(p) => Some(&**p),
            _ => None,
        })
        .collect();
    let mut lines_with_tabs = 0;
    for p in &paragraphs {
        let stops: Vec<usize> = p.property.tabs.iter().filter_map(|t| t.pos).collect();
        if stops.len() < 2 {
            continue;
        }
        lines_with_tabs += 1;
        let step = stops[1] - stops[0];
        assert!(step > 1000, "{stops:?}");
        for pair in stops.windows(2) {
            assert_eq!(pair[1] - pair[0], step, "{stops:?}");
        }
    }
    assert!(lines_with_tabs > 0, "no line of several options with tabs");
}

const TRICKY_DECK: &str = r#"[deck]
id = "tricky"
title = "特殊字符"

[[sources]]
id = "000"
title = "文档 <一>"

[[card]]
id = "a"
kind = "choice"
prompt = "<b>粗体</b> & “引号”哪一个对？"
options = ["<script>alert(1)</script>", "乙 & 丙", "丁", "戊"]
answer = "A"
explain = "因为 a < b"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "b"
kind = "fill"
prompt = "开{{短会}}、讲{{短话}}，力戒空话"
source = { doc = "000", quote = "一段足够长的引文" }
"#;

#[test]
fn deck_text_is_escaped_in_html() {
    let out = Test::new()
        .write("d/tricky.toml", TRICKY_DECK)
        .args([
            "paper", "--decks", "d", "--deck", "tricky", "--seed", "1", "-o", "p.html",
        ])
        .run();
    let html = read(&out, "p.html");
    assert!(
        html.contains("&lt;b&gt;粗体&lt;/b&gt; &amp; “引号”哪一个对？"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<b>"));
    // The fill blanks: underlines as wide as the answer (2 characters + 2).
    assert!(html.contains("开<span class=\"blank\" style=\"width:4em\"></span>、讲"));
    let key = read(&out, "p-答案.html");
    assert!(key.contains("解析：因为 a &lt; b"));
    assert!(key.contains("出处：《文档 &lt;一&gt;》“一段足够长的引文”"));
    assert!(key.contains("短会；短话"));
}

#[test]
fn a_plan_file_sets_sections_points_and_title() {
    let plan = "[paper]\ntitle = \"群众路线专题测试\"\nsubtitle = \"第三支部\"\nminutes = 45\nseed = 2026\n\n[[section]]\nkind = \"judge\"\ncount = 4\npoints = 2\n\n[[section]]\nkind = \"choice\"\ncount = 3\npoints = 5\ndecks = [\"qun-zhong-lu-xian\"]\n";
    let out = Test::new()
        .write("plan.toml", plan)
        .args(["paper", "--plan", "plan.toml", "-o", "p.html"])
        .stdout_has("共 7 题，满分 23 分，考试时间 45 分钟")
        .stdout_has("种子：2026")
        .run();
    let html = read(&out, "p.html");
    assert!(html.contains("<h1>群众路线专题测试</h1>"));
    assert!(html.contains("第三支部"));
    // Printed by kind: the choice section first.
    assert_eq!(
        headings(&html),
        vec![
            "一、单项选择题（共 3 题，每题 5 分，共 15 分）",
            "二、判断题（共 4 题，每题 2 分，共 8 分）",
        ]
    );
    let key = read(&out, "p-答案.html");
    let choice_part = key.split("二、判断题").next().unwrap();
    assert!(
        choice_part.matches("出处：《").count() == 3,
        "three choice questions with sources"
    );
}

#[test]
fn a_plan_with_mistakes_is_refused_with_located_errors_and_check_reports_it() {
    let plan = "[paper]\ntitle = \"卷\"\n\n[[section]]\nkind = \"essay\"\ncount = 2\n\n[[section]]\nkind = \"multi\"\ncount = 300\n";
    Test::new()
        .write("plan.toml", plan)
        .args(["paper", "--plan", "plan.toml", "-o", "p.html"])
        .stderr_has("plan.toml:5:8: 错误: 未知的题型 kind = “essay”")
        .stderr_has("试卷方案有错误（共 1 处）")
        .status(1)
        .run();
    Test::new()
        .write("plan.toml", plan)
        .args(["check", "plan.toml"])
        .stdout_has("plan.toml:5:8: 错误: 未知的题型")
        .stdout_has("1 个试卷方案：1 个错误")
        .status(1)
        .run();
    let short = "[[section]]\nkind = \"multi\"\ncount = 300\n";
    Test::new()
        .write("plan.toml", short)
        .args(["check", "plan.toml"])
        .stdout_has("plan.toml:1:1: 警告: 多项选择题（第 1 道 [[section]]）需要 300 题")
        .stdout_has("1 个试卷方案：0 个错误，1 个警告")
        .run();
    Test::new()
        .write("plan.toml", short)
        .args(["paper", "--plan", "plan.toml", "-o", "p.html"])
        .stderr_has("警告：多项选择题要 300 题，符合条件的卡片只够出")
        .run();
}

#[test]
fn usage_mistakes_are_told_in_chinese() {
    Test::new()
        .args(["paper", "-o", "p.txt"])
        .stderr_has("扩展名应为 .docx、.html 或 .pdf")
        .status(2)
        .run();
    Test::new()
        .write("plan.toml", "[[section]]\nkind = \"qa\"\ncount = 1\n")
        .args(["paper", "-n", "5", "--plan", "plan.toml", "-o", "p.html"])
        .status(2)
        .run();
    Test::new()
        .args(["paper", "--versions", "5", "-o", "p.html"])
        .stderr_has("应为 1 到 4 之间的整数")
        .status(2)
        .run();
    Test::new()
        .args(["paper", "-o", "p.html", "--key", "p.html"])
        .stderr_has("答案文件不能和试卷是同一个文件")
        .status(2)
        .run();
    Test::new()
        .args(["paper", "--deck", "nope", "-o", "p.html"])
        .stderr_has("没有找到卡组“nope”")
        .status(2)
        .run();
}

#[test]
fn a_folder_that_does_not_exist_is_a_plain_error() {
    Test::new()
        .args(["paper", "-o", "no/such/folder/p.html"])
        .stderr_has("无法写入“no/such/folder/p.html”")
        .status(1)
        .run();
}

#[test]
fn a_key_file_may_be_named_and_have_its_own_format() {
    let out = Test::new()
        .args(["paper", "--seed", "2", "-o", "p.docx", "--key", "答案.html"])
        .stdout_has("答案：答案.html")
        .run();
    assert!(read(&out, "答案.html").contains("参考答案"));
    assert_eq!(&bytes(&out, "p.docx")[..2], b"PK");
}

#[test]
fn a_pdf_without_a_browser_says_what_to_do_instead() {
    Test::new()
        .env("PATH", "")
        .args(["paper", "-o", "p.pdf"])
        .stderr_has("没有找到 Chromium、Chrome 或 Edge 浏览器")
        .stderr_has("-o 试卷.html")
        .status(1)
        .run();
    Test::new()
        .env("DANGKE_CHROMIUM", "/no/such/browser")
        .args(["paper", "-o", "p.pdf"])
        .stderr_has("DANGKE_CHROMIUM 指定的浏览器“/no/such/browser”不存在")
        .status(1)
        .run();
    // A `chromium.exe` on PATH is a browser on Windows only.
    if !cfg!(windows) {
        let t = Test::new().write("bin/chromium.exe", "not a program");
        let bin = t.path("bin");
        t.env("PATH", &bin)
            .args(["paper", "-o", "p.pdf"])
            .stderr_has("没有找到 Chromium、Chrome 或 Edge 浏览器")
            .status(1)
            .run();
    }
}

#[test]
fn a_pdf_is_printed_by_chromium_when_it_is_installed() {
    let Some(path) = std::env::var_os("PATH") else {
        return;
    };
    let found = std::env::split_paths(&path).any(|d| d.join("chromium").is_file());
    if !found {
        eprintln!("chromium is not installed: the PDF test is skipped");
        return;
    }
    let out = Test::new()
        .args(["paper", "--seed", "4", "-n", "10", "-o", "p.pdf"])
        .stdout_has("试卷：p.pdf")
        .run();
    let pdf = bytes(&out, "p.pdf");
    assert_eq!(&pdf[..5], b"%PDF-");
    assert!(bytes(&out, "p-答案.pdf").starts_with(b"%PDF-"));
    // The page, the browser's log and profile live in a folder of their
    // own under the temporary folder, removed afterwards: nothing of them
    // is left where the paper was asked for.
    for left in ["paper.html", "paper.pdf", "browser.log", "profile"] {
        assert!(!out.dir.path().join(left).exists(), "{left} left behind");
    }
}
