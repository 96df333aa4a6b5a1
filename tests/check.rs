//! `dangke check`: located diagnostics for every broken fixture, and no
//! panic or hang on hostile input.

use crate::test::{Test, crate_root};

/// One `# expect: LINE:COL: 错误: message-start` line of a fixture.
struct Expectation {
    position: String,
    severity: String,
    message: String,
}

fn expectations(text: &str) -> Vec<Expectation> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|rest| {
            let mut parts = rest.splitn(4, ": ");
            let position = parts.next().unwrap_or_default().to_owned();
            let severity = parts.next().unwrap_or_default().to_owned();
            let message = parts.next().unwrap_or_default().to_owned();
            Expectation {
                position,
                severity,
                message,
            }
        })
        .collect()
}

#[test]
fn every_broken_fixture_is_reported_at_its_exact_place() {
    let dir = crate_root().join("tests/fixtures/broken");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 30, "fixtures went missing");
    for fixture in fixtures {
        let rel = format!(
            "tests/fixtures/broken/{}",
            fixture.file_name().unwrap().to_string_lossy()
        );
        let text = std::fs::read_to_string(&fixture).expect("fixture text");
        let expected = expectations(&text);
        assert!(!expected.is_empty(), "{rel} has no `# expect:` line");
        let errors = expected.iter().filter(|e| e.severity == "错误").count();
        let mut test = Test::new()
            .in_crate_root()
            .args(["check", "--color", "never"])
            .arg(&rel)
            .status(if errors > 0 { 1 } else { 0 });
        for e in &expected {
            test = test.stdout_has(&format!(
                "{rel}:{}: {}: {}",
                e.position, e.severity, e.message
            ));
        }
        let out = test.run();
        let reported =
            out.stdout.matches(": 错误: ").count() + out.stdout.matches(": 警告: ").count();
        assert_eq!(
            reported,
            expected.len(),
            "{rel}: exactly the expected diagnostics\n{}",
            out.stdout
        );
    }
}

#[test]
fn shipped_decks_check_clean() {
    Test::new()
        .args(["check"])
        .stdout_has("0 个错误，0 个警告")
        .status(0)
        .run();
}

#[test]
fn checking_the_source_deck_folder_is_not_a_clash_with_itself() {
    Test::new()
        .in_crate_root()
        .args(["check", "decks"])
        .stdout_has("0 个错误")
        .status(0)
        .run();
}

#[test]
fn duplicate_deck_ids_name_both_files() {
    Test::new()
        .in_crate_root()
        .args(["check", "tests/fixtures/dup-decks"])
        .stdout_has("tests/fixtures/dup-decks/b.toml:3:6: 错误: 卡组 id “same”重复：tests/fixtures/dup-decks/a.toml:2:6")
        .status(1)
        .run();
}

#[test]
fn errors_show_the_offending_line_with_a_caret() {
    Test::new()
        .in_crate_root()
        .args(["check", "tests/fixtures/broken/unknown-kind.toml"])
        .stdout_has("11 | kind = \"essay\"\n   |        ^")
        .status(1)
        .run();
}

#[test]
fn a_missing_path_is_an_error_not_a_panic() {
    Test::new()
        .args(["check", "no/such/deck.toml"])
        .stdout_has("no/such/deck.toml: 错误: 无法读取：文件或目录不存在")
        .status(1)
        .run();
}

#[test]
fn a_gbk_file_is_reported_as_not_utf8_at_the_bad_byte() {
    let mut bytes = b"[deck]\nid = \"x\"\ntitle = \"".to_vec();
    bytes.extend([0xB5, 0xB3, 0xBF, 0xCE]); // "党课" in GBK
    bytes.extend(b"\"\n");
    Test::new()
        .write("gbk.toml", bytes)
        .args(["check", "gbk.toml"])
        .stdout_has("gbk.toml:3:10: 错误: 文件不是 UTF-8 编码")
        .status(1)
        .run();
}

#[test]
fn a_folder_is_searched_for_toml_files_and_other_files_are_ignored() {
    Test::new()
        .write("mine/notes.txt", "不是卡组")
        .write("mine/sub/bad.toml", "[deck]\nid = \"x\"\n")
        .args(["check", "mine"])
        .stdout_has("mine/sub/bad.toml:1:1: 错误: [deck] 缺少必填的键 title")
        .stdout_has("1 个错误")
        .status(1)
        .run();
}

fn big_valid_deck(cards: usize) -> String {
    let mut text = String::from(
        "[deck]\nid = \"big\"\ntitle = \"大卡组\"\n\n[[sources]]\nid = \"000\"\ntitle = \"文档\"\n",
    );
    for i in 0..cards {
        text.push_str(&format!(
            "\n[[card]]\nid = \"c{i}\"\nkind = \"list\"\nprompt = \"第{i}题：列举三项\"\nitems = [\"甲\", \"乙\", {{ text = \"丙\", accept = [\"丙丙\"] }}]\nsource = {{ doc = \"000\", quote = \"一段足够长的引文\" }}\n"
        ));
    }
    text
}

#[test]
fn a_large_deck_checks_clean() {
    let text = big_valid_deck(20_000);
    assert!(text.len() > 3_000_000);
    Test::new()
        .write("big.toml", text)
        .args(["check", "big.toml"])
        .stdout_has("20000 张卡片：0 个错误")
        .status(0)
        .run();
}

#[test]
fn an_oversized_file_is_refused_without_reading_it() {
    let text = "# 填充\n".repeat(2_000_000);
    Test::new()
        .write("huge.toml", text)
        .args(["check", "huge.toml"])
        .stdout_has("huge.toml: 错误: 文件过大")
        .status(1)
        .run();
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    let text = format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    Test::new()
        .write("deep.toml", text)
        .args(["check", "deep.toml"])
        .stdout_has("deep.toml:1:")
        .stdout_has("TOML 语法错误")
        .status(1)
        .run();
}

#[test]
fn a_huge_single_line_is_clipped_in_the_report() {
    let text = format!(
        "[deck]\nid = \"x\"\ntitle = \"{}\" oops\n",
        "长".repeat(500_000)
    );
    let out = Test::new()
        .write("line.toml", text)
        .args(["check", "line.toml"])
        .stdout_has("line.toml:3:")
        .status(1)
        .run();
    assert!(
        out.stdout.len() < 4_000,
        "report is {} bytes",
        out.stdout.len()
    );
}

#[test]
fn random_bytes_do_not_panic() {
    // A fixed linear congruential sequence: repeatable garbage.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 56) as u8
        })
        .collect();
    Test::new()
        .write("noise.toml", bytes)
        .args(["check", "noise.toml"])
        .stdout_has("noise.toml:1:")
        .stdout_has("错误: 文件不是 UTF-8 编码")
        .status(1)
        .run();
}

#[test]
fn control_characters_in_deck_text_never_reach_the_terminal() {
    Test::new()
        .write(
            "esc.toml",
            "[deck]\nid = \"x\"\ntitle = \"\\u001b[2J标题\"\nanwser = 1\n",
        )
        .args(["check", "esc.toml"])
        .stdout_lacks("\u{1b}")
        .status(1)
        .run();
}

#[test]
fn the_documented_example_deck_passes_check() {
    let doc = std::fs::read_to_string(crate_root().join("docs/deck-format.md"))
        .expect("docs/deck-format.md");
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + doc[start..].find("```").expect("end of block");
    let example = &doc[start..end];
    for kind in ["qa", "fill", "choice", "multi", "judge", "list"] {
        assert!(
            example.contains(&format!("kind = \"{kind}\"")),
            "example lacks {kind}"
        );
    }
    Test::new()
        .write("example.toml", example)
        .args(["check", "example.toml"])
        .stdout_has("0 个错误，0 个警告")
        .status(0)
        .run();
}

/// The seed documents beside the repository, when they are there (they
/// always are in CI).
fn seeds() -> Option<String> {
    let dir = crate_root().join("../shared/seeds");
    if dir.is_dir() {
        Some(dir.display().to_string())
    } else {
        eprintln!("skipped: {} is missing", dir.display());
        None
    }
}

#[test]
fn every_shipped_quote_is_verbatim_in_its_source_document() {
    let Some(seeds) = seeds() else { return };
    Test::new()
        .args(["check", "--seeds", &seeds])
        .stdout_has("0 个错误，0 个警告")
        .status(0)
        .run();
}

#[test]
fn a_quote_not_in_its_document_is_reported_at_the_quote() {
    let Some(seeds) = seeds() else { return };
    let deck = std::fs::read_to_string(crate_root().join("decks/wu-ge-bi-yu.toml"))
        .expect("shipped deck")
        .replace("id = \"wu-ge-bi-yu\"", "id = \"altered\"")
        .replace("第五個是把群眾比喻為“水”", "第五個是把群眾比喻為“火”");
    // The altered passage is cited by two cards: each is reported at the
    // place its quote starts.
    let (line, text) = deck
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("比喻為“火”"))
        .expect("altered line");
    let at = text.find("\"第五個").expect("quote start");
    let col = text[..at].chars().count() + 1;
    Test::new()
        .write("altered.toml", deck.clone())
        .args(["check", "--seeds", &seeds, "altered.toml"])
        .stdout_has(&format!(
            "altered.toml:{}:{col}: 错误: 卡片 wu-ge-bi-yu-lie-ju 的引文在",
            line + 1
        ))
        .stdout_has("卡片 wu-ge-bi-yu-duo-xuan 的引文在")
        .stdout_has("前 11 个字对得上，从“火”")
        .stdout_has("检查了 1 个卡组")
        .stdout_has("2 个错误")
        .status(1)
        .run();
}

/// Folders nested deeper than 32 levels were skipped without a word
/// (issue 12.11): the deck inside them silently did not exist.
#[test]
fn decks_nested_too_deep_are_named_not_silently_skipped() {
    let deep = format!("mine/{}x.toml", "d/".repeat(40));
    let t = Test::new().write(
        &deep,
        "[deck]\nid = \"tief\"\ntitle = \"深\"\n\n[[sources]]\nid = \"000\"\ntitle = \"文档\"\n",
    );
    let out = t
        .args(["check", "mine", "--color", "never"])
        .stdout_has("警告: 目录嵌套超过 32 层，里面的卡组没有加载")
        .status(0)
        .run();
    assert!(out.stdout.contains("1 个警告"), "{}", out.stdout);
}

#[test]
fn every_problem_is_reported_at_once_and_every_written_card_counted() {
    let mut text = String::from(
        "[deck]\nid = \"d\"\ntitle = \"卡组\"\n\n[[sources]]\nid = \"000\"\ntitle = \"文档\"\n",
    );
    // The first c0 has an error of its own; the duplicate is still named.
    for (id, kind) in [
        ("c0", "essay"),
        ("c0", "list"),
        ("c2", "list"),
        ("c3", "list"),
    ] {
        text.push_str(&format!(
            "\n[[card]]\nid = \"{id}\"\nkind = \"{kind}\"\nprompt = \"列举三项\"\nitems = [\"甲\", \"乙\", \"丙\"]\nsource = {{ doc = \"000\", quote = \"一段足够长的引文\" }}\n"
        ));
    }
    Test::new()
        .write("d.toml", text)
        .args(["check", "d.toml"])
        .stdout_has("未知的题型 kind = “essay”")
        .stdout_has("卡片 id “c0”重复：第 10 行已有同名卡片")
        .stdout_has("检查了 1 个卡组、4 张卡片：2 个错误")
        .status(1)
        .run();
}

#[test]
fn a_path_that_does_not_exist_is_not_counted_as_a_deck() {
    Test::new()
        .args(["check", "no/such/deck.toml"])
        .stdout_has("检查了 0 个卡组、0 张卡片：1 个错误")
        .status(1)
        .run();
}

/// `[[round]]` / `[[section]]` items that are not tables are located errors in
/// contest, paper and live files alike (one shared reader, `Fields::of_item`).
#[test]
fn a_round_or_section_that_is_not_a_table_is_located() {
    for (file, text, message) in [
        (
            "c.toml",
            "round = [1]\n[contest]\ntitle = \"测\"\nteams = [\"甲\", \"乙\"]\n",
            "c.toml:1:10: 错误: round 的每一项都应是表，实际是整数",
        ),
        (
            "p.toml",
            "section = [1]\n[paper]\ntitle = \"测\"\n",
            "p.toml:1:12: 错误: section 的每一项都应是表，实际是整数",
        ),
        (
            "l.toml",
            "section = [\"x\"]\n[live]\ntitle = \"测\"\n",
            "l.toml:1:12: 错误: section 的每一项都应是表，实际是字符串",
        ),
    ] {
        Test::new()
            .write(file, text)
            .args(["check", file])
            .stdout_has(message)
            .status(1)
            .run();
    }
}
