//! `dangke import` and `dangke export` through the real binary: the
//! fixture bank (GBK CSV and xlsx, 57 rows of every kind with the usual
//! mess) imports with exactly the expected errors, banks round-trip, and
//! files are never overwritten by accident.

use std::path::{Path, PathBuf};

use crate::test::Test;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/banks")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).expect("fixture bank")
}

/// A deck file without its first comment line (which names the bank).
fn deck_text(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("deck written");
    text.lines()
        .filter(|l| !l.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The bad rows of the fixture bank, by CSV row (the xlsx has a title row
/// above the header, so its rows are one lower).
const BAD_ROWS: &[(usize, &str)] = &[
    (12, "答案“E”超出选项范围（A–D）"),
    (
        30,
        "判断题的答案应为 对/错（√/×、正确/错误、T/F），实际是“不一定”",
    ),
    (
        40,
        "题干有 1 个空，答案“文风；一律不发”分不出 1 个（多个空的答案用“；”分开）",
    ),
    (
        43,
        "填空题的题干里没有空格：用 （ ）、____ 或 【答案】 标出要填的地方",
    ),
    (49, "引文太短（1 个字），至少要 4 个字才能证明出处"),
    (
        50,
        "不认识的题型“作文”（可用：单选、多选、判断、填空、简答、列举）",
    ),
    (51, "题干为空"),
    (61, "与第 5 行是同一道题（题型、题干和答案都相同）"),
];
const IMPORTED: usize = 49;

fn expected_errors(file: &str, offset: usize) -> String {
    BAD_ROWS
        .iter()
        .map(|(row, reason)| {
            let reason = reason.replace("第 5 行", &format!("第 {} 行", 5 + offset));
            format!("{file}:{}: 错误: {reason}\n", row + offset)
        })
        .collect::<String>()
        + "错误：有 8 行无法导入，没有写入任何文件；修正后重试，或加 --partial 只导入其余的行\n"
}

#[test]
fn the_gbk_bank_imports_with_exactly_the_expected_errors() {
    let out = Test::new()
        .write("tiku-gbk.csv", fixture("tiku-gbk.csv"))
        .args(["import", "tiku-gbk.csv", "--id", "dang-ke-ti-ku"])
        .stderr(&expected_errors("tiku-gbk.csv", 0))
        .status(1)
        .run();
    assert!(
        !out.dir.path().join("tiku-gbk.toml").exists(),
        "nothing is written without --partial"
    );
    let out = out
        .then()
        .args([
            "import",
            "tiku-gbk.csv",
            "--id",
            "dang-ke-ti-ku",
            "--partial",
        ])
        .stdout_has(&format!("已导入 {IMPORTED} 道题"))
        .stdout_has("→ tiku-gbk.toml（卡组 id：dang-ke-ti-ku）")
        .stdout_has("跳过了 8 行有错误的题目")
        .stdout_has("提示：9 道题在题库里没有“原文”，导入的卡片没有注明出处（dangke check 会逐一警告）；其中 1 道题库写了“出处”，写在了解析末尾")
        .stdout_has("提示：这些列没有导入（卡组格式里没有对应的键）：序号、难度")
        .stderr_has("tiku-gbk.csv:12: 错误: 答案“E”超出选项范围（A–D）")
        .run();
    // The deck passes the real check; cards without 原文 are warnings.
    out.then()
        .args(["check", "tiku-gbk.toml"])
        .stdout_has(&format!("检查了 1 个卡组、{IMPORTED} 张卡片：0 个错误"))
        .stdout_has("没有注明出处")
        .run();
}

#[test]
fn the_xlsx_bank_gives_the_same_deck_as_the_csv() {
    let out = Test::new()
        .write("tiku.xlsx", fixture("tiku.xlsx"))
        .write("tiku-gbk.csv", fixture("tiku-gbk.csv"))
        .args(["import", "tiku.xlsx", "--id", "t", "--title", "题库"])
        .stderr(&expected_errors("tiku.xlsx", 1))
        .status(1)
        .run();
    let out = out
        .then()
        .args([
            "import",
            "tiku.xlsx",
            "--id",
            "t",
            "--title",
            "题库",
            "--partial",
        ])
        .stdout_has("只导入了工作表“题库”，其余工作表没有导入（可用 --sheet 选择）：说明")
        .run()
        .then()
        .args([
            "import",
            "tiku-gbk.csv",
            "--id",
            "t",
            "--title",
            "题库",
            "--partial",
            "-o",
            "csv.toml",
        ])
        .run();
    let dir = out.dir.path();
    assert_eq!(
        deck_text(&dir.join("tiku.toml")),
        deck_text(&dir.join("csv.toml"))
    );
}

/// import → export → import gives the same deck, for xlsx and CSV.
#[test]
fn an_imported_bank_round_trips_through_export() {
    for format in ["xlsx", "csv"] {
        let exported = format!("again.{format}");
        let out = Test::new()
            .write("tiku-gbk.csv", fixture("tiku-gbk.csv"))
            .args([
                "import",
                "tiku-gbk.csv",
                "--id",
                "t",
                "--title",
                "题库",
                "--partial",
                "-o",
                "first.toml",
            ])
            .run()
            .then()
            .args(["export", "first.toml", "-o"])
            .arg(&exported)
            .stdout_has(&format!("已导出 1 个卡组、{IMPORTED} 道题 → {exported}"))
            .run()
            .then()
            .args([
                "import",
                "--id",
                "t",
                "--title",
                "题库",
                "-o",
                "second.toml",
            ])
            .arg(&exported)
            .run();
        let dir = out.dir.path();
        assert_eq!(
            deck_text(&dir.join("first.toml")),
            deck_text(&dir.join("second.toml")),
            "{format}"
        );
    }
}

#[test]
fn a_shipped_deck_exports_and_reimports_by_id() {
    let out = Test::new()
        .args(["export", "san-da-zuo-feng", "-o", "s.xlsx"])
        .stdout("已导出 1 个卡组、6 道题 → s.xlsx\n")
        .run()
        .then()
        .args(["import", "s.xlsx", "--id", "san-da-zuo-feng-2"])
        .stdout_has("已导入 6 道题（简答 1、单选 2、多选 1、判断 1、列举 1）")
        .run()
        .then()
        .args(["check", "s.toml"])
        .stdout_has("0 个错误，0 个警告")
        .run();
    let text = std::fs::read_to_string(out.dir.path().join("s.toml")).unwrap();
    // Ids, quotes and sources come back as they were.
    assert!(text.contains("id = \"san-da-zuo-feng-lie-ju\""), "{text}");
    assert!(text.contains("[[sources]]\nid = \"003\""), "{text}");
}

#[test]
fn the_default_output_is_the_bank_name_and_is_never_overwritten() {
    let bank = "题型,题干,答案\n判断,三大优良作风是在党的七大上提出的。,对\n";
    let out = Test::new()
        .write("我的题库.csv", bank)
        .args(["import", "我的题库.csv"])
        .stdout("已导入 1 道题（判断 1）→ 我的题库.toml（卡组 id：wo-de-ti-ku）\n提示：1 道题在题库里没有“原文”，导入的卡片没有注明出处（dangke check 会逐一警告）\n")
        .run();
    let path = out.dir.path().join("我的题库.toml");
    let first = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, "我的修改").unwrap();
    let out = out
        .then()
        .args(["import", "我的题库.csv"])
        .stderr("错误：文件“我的题库.toml”已存在；加 --force 覆盖\n")
        .status(1)
        .run();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "我的修改");
    let _out = out.then().args(["import", "我的题库.csv", "--force"]).run();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
}

#[test]
fn export_refuses_what_it_cannot_write() {
    Test::new()
        .args(["export", "san-da-zuo-feng", "wu-ge-bi-yu", "-o", "s.csv"])
        .stderr_has("CSV 文件一次只能放一个卡组（这里有 2 个）")
        .status(2)
        .run();
    Test::new()
        .args(["export", "san-da-zuo-feng", "-o", "s.txt"])
        .stderr_has("无法从文件名“s.txt”判断导出格式")
        .status(2)
        .run();
    Test::new()
        .args(["export", "mei-you", "-o", "s.xlsx"])
        .stderr_has("没有找到卡组“mei-you”")
        .status(2)
        .run();
    // Two decks in one workbook, one sheet each; --sheet picks one, and
    // the 卡组信息 sheet gives its id and title back.
    Test::new()
        .args(["export", "san-da-zuo-feng", "wu-ge-bi-yu", "-o", "two.xlsx"])
        .stdout_has("已导出 2 个卡组")
        .run()
        .then()
        .args([
            "import",
            "two.xlsx",
            "--sheet",
            "毛泽东对人民群众的五个比喻",
        ])
        .stderr_has("卡组 id “wu-ge-bi-yu”与内置卡组相同；用 --id 另取一个")
        .status(2)
        .run()
        .then()
        .args([
            "import",
            "two.xlsx",
            "--sheet",
            "毛泽东对人民群众的五个比喻",
            "--id",
            "bi-yu",
        ])
        .stdout_has("→ two.toml（卡组 id：bi-yu）")
        .run();
}

#[test]
fn import_refuses_unreadable_banks() {
    Test::new()
        .args(["import", "mei-you.csv"])
        .stderr_has("无法读取题库“mei-you.csv”")
        .status(1)
        .run();
    Test::new()
        .write("bad.xlsx", "not a workbook")
        .args(["import", "bad.xlsx"])
        .stderr_has("不是有效的 Excel/ODS 文件")
        .status(1)
        .run();
    Test::new()
        .write("x.csv", "甲,乙\n1,2\n")
        .args(["import", "x.csv"])
        .stderr("错误：题库“x.csv”里没有找到表头（至少要有“题干”或“题目”一列）\n")
        .status(1)
        .run();
    Test::new()
        .write("x.csv", "题干,答案\n问？,答\n")
        .args(["import", "x.csv", "--id", "San"])
        .stderr_has("--id “San”不合规")
        .status(2)
        .run();
    Test::new()
        .write("x.csv", "题干,答案\n问？,答\n")
        .args(["import", "x.csv", "--id", "san-da-zuo-feng"])
        .stderr_has("与内置卡组相同")
        .status(2)
        .run();
}

/// Writes the committed xlsx and GBK CSV from `tiku.csv` (itself written by
/// `make_source.py`). The xlsx has a title row above the header, numbers
/// in the 序号 column, a TRUE cell and a second sheet, as real banks do.
#[test]
#[ignore = "regenerates the committed fixture banks"]
fn write_fixtures() {
    let dir = fixtures();
    let text = std::fs::read_to_string(dir.join("tiku.csv")).unwrap();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    std::fs::write(dir.join("tiku-gbk.csv"), &*gbk).unwrap();

    let rows = dangke::bank::read::csv_rows("tiku.csv", text.as_bytes()).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("题库").unwrap();
    sheet
        .write_string(0, 0, "党课知识竞赛题库（测试用）")
        .unwrap();
    for row in rows {
        let r = row.number as u32;
        for (c, cell) in row.cells.iter().enumerate() {
            let c = c as u16;
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(n) if c == 0 => sheet.write_number(r, c, n).map(|_| ()),
                _ if cell == "T" => sheet.write_boolean(r, c, true).map(|_| ()),
                _ => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    let notes = book.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "本题库仅供测试").unwrap();
    book.save(dir.join("tiku.xlsx")).unwrap();
}

/// The (prompt, id) pairs of a deck file.
fn ids(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).expect("deck written");
    let mut out = Vec::new();
    let mut id = String::new();
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("id = ") {
            id = v.to_owned();
        } else if let Some(p) = line.strip_prefix("prompt = ") {
            out.push((p.to_owned(), id.clone()));
        }
    }
    out.sort();
    out
}

/// Reordering the rows of a bank and editing one question keeps the ids
/// (and so the progress) of every other question.
#[test]
fn reimporting_an_edited_reordered_bank_keeps_the_other_ids() {
    let text = String::from_utf8(fixture("tiku.csv")).unwrap();
    let mut lines: Vec<&str> = text.split("\r\n").collect();
    let header = lines.remove(0);
    // Records end in CRLF; line breaks inside cells are bare LF, so each
    // piece is one whole row.
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("视群众为（　　）"))
            .count(),
        1
    );
    let mut edited: Vec<String> = lines
        .iter()
        .rev()
        .map(|l| {
            l.replace(
                "视群众为（　　），坚持问需于民。",
                "视群众为（　　），坚持问需于人民。",
            )
        })
        .collect();
    edited.insert(0, header.to_owned());
    let out = Test::new()
        .write("a.csv", text.as_bytes())
        .write("b.csv", edited.join("\r\n"))
        .args(["import", "a.csv", "--id", "t", "--partial"])
        .run()
        .then()
        .args(["import", "b.csv", "--id", "t", "--partial"])
        .run();
    let (a, b) = (
        ids(&out.dir.path().join("a.toml")),
        ids(&out.dir.path().join("b.toml")),
    );
    let b_ids: Vec<&String> = b.iter().map(|(_, id)| id).collect();
    let lost: Vec<&(String, String)> = a.iter().filter(|(_, id)| !b_ids.contains(&id)).collect();
    // Only the edited question has a new id.
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(a.len(), b.len());
    assert!(
        lost.iter().any(|(p, _)| p.contains("坚持问需于民")),
        "{lost:?}"
    );
}
