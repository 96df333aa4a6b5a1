//! `dangke decks` and loading user decks next to the shipped ones.

use crate::test::Test;

const USER_DECK: &str = r#"[deck]
id = "my-notes"
title = "我的笔记"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "one"
kind = "judge"
prompt = "群众路线是党的生命线。"
answer = true
source = { doc = "000", quote = "一段足够长的引文" }
"#;

#[test]
fn lists_the_shipped_decks_with_counts_per_kind() {
    Test::new()
        .args(["decks"])
        .stdout_has("wu-ge-bi-yu")
        .stdout_has("毛泽东对人民群众的五个比喻")
        .stdout_has("列举")
        .stdout_has("内置")
        .status(0)
        .run();
}

#[test]
fn user_decks_load_from_the_decks_flag_and_the_environment() {
    Test::new()
        .write("mine/notes.toml", USER_DECK)
        .args(["decks", "--decks", "mine"])
        .stdout_has("my-notes")
        .stdout_has("我的笔记")
        .status(0)
        .run();
    let t = Test::new().write("mine/notes.toml", USER_DECK);
    let dir = t.path("mine");
    t.env("DANGKE_DECKS", &dir)
        .args(["decks"])
        .stdout_has("my-notes")
        .status(0)
        .run();
}

/// A deck folder may hold contest and live quiz files beside its decks:
/// they are set aside for their own commands, and loading the folder
/// (with the deck cache, twice) still lists the deck.
#[test]
fn contest_and_live_files_beside_a_deck_are_loaded_with_it() {
    let out = Test::new()
        .write("mine/notes.toml", USER_DECK)
        .write(
            "mine/contest.toml",
            "[contest]\ntitle = \"赛\"\nteams = [\"甲\", \"乙\"]\n[[round]]\nkind = \"buzz\"\nquestions = 1\ndecks = [\"my-notes\"]\n",
        )
        .write(
            "mine/live.toml",
            "[live]\ntitle = \"测\"\n[[section]]\ncount = 1\ndecks = [\"my-notes\"]\n",
        )
        .args(["decks", "--decks", "mine"])
        .stdout_has("我的笔记")
        .status(0)
        .run();
    out.then()
        .args(["decks", "--decks", "mine"])
        .stdout_has("我的笔记")
        .status(0)
        .run();
}

#[test]
fn a_user_deck_reusing_a_shipped_id_names_both_places() {
    Test::new()
        .write(
            "mine/clash.toml",
            USER_DECK.replace("my-notes", "wu-ge-bi-yu"),
        )
        .args(["decks", "--decks", "mine", "--color", "never"])
        .stderr_has(
            "mine/clash.toml:2:6: 错误: 卡组 id “wu-ge-bi-yu”重复：内置卡组 decks/wu-ge-bi-yu.toml",
        )
        .stderr_has("错误：卡组有错误（共 1 处）")
        .status(1)
        .run();
}

#[test]
fn a_broken_user_deck_stops_other_commands_with_exit_1() {
    Test::new()
        .write("mine/bad.toml", "[deck]\nid = \"x\"\n")
        .args(["decks", "--decks", "mine"])
        .stderr_has("mine/bad.toml:1:1: 错误: [deck] 缺少必填的键 title")
        .status(1)
        .run();
}

#[test]
fn a_missing_decks_folder_is_reported() {
    Test::new()
        .args(["decks", "--decks", "nowhere"])
        .stderr_has("nowhere: 错误: 无法读取：文件或目录不存在")
        .status(1)
        .run();
}

#[test]
fn docs_decks_md_counts_match_the_shipped_decks() {
    let doc = std::fs::read_to_string(crate::test::crate_root().join("docs/decks.md"))
        .expect("docs/decks.md");
    let out = Test::new().args(["decks", "--color", "never"]).run();
    for line in doc.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let id = cells[1].trim_matches('`');
        let count = cells[3];
        let row = out
            .stdout
            .lines()
            .find(|l| l.contains(&format!(" {id} ")))
            .unwrap_or_else(|| panic!("deck {id} is documented but not shipped"));
        let total = row.split('┆').nth(8).map(str::trim).unwrap_or_default();
        assert_eq!(total, count, "docs/decks.md says {id} has {count} cards");
    }
}

#[test]
fn coverage_lists_every_document_and_matches_docs_decks_md() {
    let doc = std::fs::read_to_string(crate::test::crate_root().join("docs/decks.md"))
        .expect("docs/decks.md");
    let out = Test::new()
        .args(["decks", "--coverage", "--color", "never"])
        .stdout_has("覆盖率")
        .stdout_has("党课：做好新时代群众工作的方法和艺术")
        .status(0)
        .run();
    let mut documented = 0;
    for line in doc
        .lines()
        .filter(|l| l.len() > 6 && l.starts_with("| 00") && l.matches('|').count() == 6)
    {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let row = out
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("│ {} ", cells[1])))
            .unwrap_or_else(|| panic!("document {} is documented but not reported", cells[1]));
        let shown: Vec<&str> = row.trim_matches('│').split('┆').map(str::trim).collect();
        assert_eq!(
            &shown[2..],
            &cells[2..6],
            "docs/decks.md coverage row for {}",
            cells[1]
        );
        documented += 1;
    }
    assert_eq!(
        documented, 5,
        "docs/decks.md lists the coverage of all five documents"
    );
}

/// A FIFO named like a deck made every command that loads decks hang, and a
/// link to /dev/zero read until memory ran out (issue 12.7): both are
/// skipped with a warning and the real deck beside them still loads.
#[cfg(unix)]
#[test]
fn special_files_in_a_deck_folder_are_skipped_with_a_warning() {
    let t = Test::new().write("mine/notes.toml", USER_DECK);
    let fifo = t.path("mine/pipe.toml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/zero", t.path("mine/zero.toml")).expect("symlink");
    let out = t
        .args(["check", "mine", "--color", "never"])
        .stdout_has("pipe.toml: 警告: 不是普通文件")
        .stdout_has("zero.toml: 警告: 不是普通文件")
        .status(0)
        .run();
    out.then()
        .args(["decks", "--decks", "mine", "--color", "never"])
        .stdout_has("my-notes")
        .stderr_has("zero.toml: 警告: 不是普通文件")
        .status(0)
        .run();
}

/// User decks are compiled into the cache dir on first load; an edited file
/// (even one of the same size) is parsed again, never served stale.
#[test]
fn the_deck_cache_is_written_and_follows_edits() {
    let out = Test::new()
        .write("mine/notes.toml", USER_DECK)
        .args(["decks", "--decks", "mine", "--color", "never"])
        .stdout_has("我的笔记")
        .status(0)
        .run();
    let cache = out.dir.path().join("cache/dangke/decks");
    let files: Vec<String> = std::fs::read_dir(&cache)
        .expect("the cache folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|f| f.starts_with("deck-")), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("shipped-")), "{files:?}");
    // Same length, different title: only the content hash can tell.
    std::fs::write(
        out.dir.path().join("mine/notes.toml"),
        USER_DECK.replace("我的笔记", "你的笔记"),
    )
    .expect("edit the deck");
    let out = out
        .then()
        .args(["decks", "--decks", "mine", "--color", "never"])
        .stdout_has("你的笔记")
        .stdout_lacks("我的笔记")
        .status(0)
        .run();
    // A damaged cache file is ignored, not trusted.
    for entry in std::fs::read_dir(&cache).expect("cache").flatten() {
        std::fs::write(entry.path(), b"DKDECK garbage").expect("damage");
    }
    out.then()
        .args(["decks", "--decks", "mine", "--color", "never"])
        .stdout_has("你的笔记")
        .stdout_has("wu-ge-bi-yu")
        .status(0)
        .run();
}
