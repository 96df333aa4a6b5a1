//! `dangke study` in scripted mode: the loop, the commands, and what ends
//! up in the database.

use crate::test::{Test, reviews};

const NOW: &str = "2026-03-01T09:00:00+08:00";
const FIRST: &str = "wu-ge-bi-yu/wu-ge-bi-yu-lie-ju";

fn study() -> Test {
    Test::new()
        .now(NOW)
        .args(["study", "--deck", "wu-ge-bi-yu"])
}

/// [`study`] again on the same directory and database.
fn study_again(out: crate::test::TestOutput) -> Test {
    out.then().now(NOW).args(["study", "--deck", "wu-ge-bi-yu"])
}

#[test]
fn a_right_answer_is_graded_rated_and_saved() {
    let out = study()
        .stdin("铜墙铁壁、眼睛、上帝、土地、水\n\n")
        // 14, not 20: the deck's other cards cite overlapping passages, and
        // no two siblings are introduced on the same day (issue 13.2).
        .stdout_has("学习者：测试学员 · 今日到期 0 · 新卡 16 · 卡组：毛泽东对人民群众的五个比喻")
        .stdout_has("[1 · 还剩 16] 毛泽东对人民群众的五个比喻 · 列举 · 新卡")
        .stdout_has("（列举：共5项，用顿号或空格分开）")
        .stdout_has("✓ 正确")
        .stdout_has("出处〔003〕：“第一个是把群众比喻为“铜墙铁壁”……第二个是把群众比喻为“眼睛”……")
        .stdout_has("已记录：简单")
        .stdout_has("本次学习：1 张卡片，正确率 100%")
        .stdout_lacks("\u{1b}[")
        .run();
    let rows = out.reviews();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (
            rows[0].key.as_str(),
            rows[0].rating,
            rows[0].verdict.as_str()
        ),
        (FIRST, 4, "correct")
    );
}

#[test]
fn a_wrong_answer_suggests_again_and_a_number_overrides_it() {
    let out = study()
        .stdin("不知道\n3\n")
        .stdout_has("✗ 错误")
        .stdout_has("评分 [回车 = 重来")
        .stdout_has("已记录：良好")
        .stdout_has("正确率 0%")
        .run();
    assert_eq!(out.reviews()[0].rating, 3);
}

#[test]
fn a_hinted_answer_is_never_rated_better_than_hard() {
    let out = study()
        .stdin(":h\n铜墙铁壁、眼睛、上帝、土地、水\n4\n")
        .stdout_has("提示：其中一项是“铜墙铁壁”")
        .stdout_has("评分 [回车 = 困难")
        .stdout_has("用过提示，这张卡片最高评为“困难”")
        .stdout_has("已记录：困难")
        .run();
    assert_eq!(out.reviews()[0].rating, 2);
}

#[test]
fn undo_takes_back_the_last_rating_and_shows_the_card_again() {
    let out = study()
        .stdin("铜墙铁壁、眼睛、上帝、土地、水\n\n:u\n")
        .stdout_has("已撤销上一次评分（毛泽东对人民群众作过哪五个比喻？）")
        .stdout_has("本次学习：0 张卡片")
        .run();
    let rows = out.reviews();
    assert_eq!(rows.len(), 1, "the log is append-only");
    assert!(rows[0].undone);
    // The undone card comes first again.
    let second_card = out
        .stdout
        .matches("毛泽东对人民群众作过哪五个比喻？\n")
        .count();
    assert_eq!(second_card, 2, "{}", out.stdout);
}

#[test]
fn a_skipped_card_waits_until_tomorrow() {
    let out = study()
        .stdin(":s\n")
        .stdout_has("已跳过，明天再学这张卡片。")
        .run();
    assert!(out.reviews().is_empty());
    // Later the same day the skipped card is not first…
    let out = out
        .then()
        .now("2026-03-01T20:00:00+08:00")
        .args(["study", "--deck", "wu-ge-bi-yu"])
        .stdin("")
        .stdout_lacks("毛泽东对人民群众作过哪五个比喻？")
        .run();
    // …but the next study day it is.
    out.then()
        .now("2026-03-02T09:00:00+08:00")
        .args(["study", "--deck", "wu-ge-bi-yu"])
        .stdin("")
        .stdout_has("毛泽东对人民群众作过哪五个比喻？")
        .run();
}

#[test]
fn leaving_at_the_rating_prompt_still_saves_the_answer() {
    let out = study()
        .stdin("铜墙铁壁、眼睛\n")
        .stdout_has("◐ 部分正确 2/5")
        .stdout_has("已记录：困难")
        .stdout_has("本次学习：1 张卡片")
        .run();
    assert_eq!(out.reviews().len(), 1);
}

#[test]
fn commands_are_understood_in_chinese_too() {
    study()
        .stdin("：帮助\n:统计\n:xyz\n\n:退出\n")
        .stdout_has(":h  :提示")
        .stdout_has("本次已答 0 张")
        .stdout_has("未知命令 :xyz")
        .stdout_has("请输入答案")
        .stdout_has("本次学习：0 张卡片")
        .run();
}

#[test]
fn dangke_alone_starts_studying_all_decks() {
    Test::new()
        .now(NOW)
        .stdin("")
        .stdout_has("学习者：测试学员 · 今日到期 0 · 新卡 20 · 卡组：全部")
        .stdout_has("本次学习：0 张卡片")
        .run();
}

#[test]
fn progress_carries_over_between_sessions() {
    let out = study().stdin("铜墙铁壁、眼睛、上帝、土地、水\n4\n").run();
    // The card rated Easy is not due tomorrow; the next new card is first.
    let out = out
        .then()
        .now("2026-03-02T09:00:00+08:00")
        .args(["study", "--deck", "wu-ge-bi-yu"])
        .stdin("")
        .stdout_has("新卡 16")
        .stdout_has("[1 · 还剩 16] 毛泽东对人民群众的五个比喻 · 多选 · 新卡")
        .run();
    // Nine days later it is due for review.
    out.then()
        .now("2026-03-12T09:00:00+08:00")
        .args(["study", "--deck", "wu-ge-bi-yu"])
        .stdin("")
        .stdout_has("今日到期 1")
        .stdout_has("· 列举 · 复习")
        .run();
}

#[test]
fn the_same_clock_and_input_replay_the_same_session() {
    let input = "A\nB\n\n对\n\n种子、土地\n\n";
    let args = ["study", "--kinds", "choice,judge,fill"];
    let a = Test::new().now(NOW).args(args).stdin(input).run();
    let b = Test::new().now(NOW).args(args).stdin(input).run();
    assert_eq!(a.stdout, b.stdout);
    assert!(a.stdout.contains("A. "), "{}", a.stdout);
}

#[test]
fn options_are_shuffled_and_graded_by_the_letter_shown() {
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", "wu-ge-bi-yu", "--kinds", "choice"])
        .stdin("")
        .run();
    // Find the letter 1934年1月 was shown under and answer with it.
    let letter = out
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_suffix(". 1934年1月").map(str::to_owned))
        .expect("the option is shown");
    let out = Test::new()
        .now(NOW)
        .args(["study", "--deck", "wu-ge-bi-yu", "--kinds", "choice"])
        .stdin(format!("{letter}\n\n"))
        .stdout_has("✓ 正确")
        .stdout_has(&format!("标准答案：{letter}. 1934年1月"))
        .run();
    assert_eq!(out.reviews()[0].verdict, "correct");
}

#[test]
fn colour_only_when_asked_for() {
    study()
        .args(["--color", "always"])
        .stdin("")
        .stdout_has("\u{1b}[")
        .run();
    study()
        .env("NO_COLOR", "1")
        .stdin("")
        .stdout_lacks("\u{1b}[")
        .run();
}

#[test]
fn control_characters_in_a_user_deck_never_reach_the_terminal() {
    let deck = "[deck]\nid = \"evil\"\ntitle = \"标题\\u001b[2J\"\n\n[[sources]]\nid = \"000\"\ntitle = \"t\"\n\n[[card]]\nid = \"a\"\nkind = \"qa\"\nprompt = \"问\\u001b]0;pwned\\u0007题\"\nanswer = \"答\\u001b[31m案\"\nexplain = \"解\\u009b析\"\nsource = { doc = \"000\", quote = \"一段足够长的引文\" }\n";
    Test::new()
        .now(NOW)
        .write("mine/evil.toml", deck)
        .args(["study", "--decks", "mine", "--deck", "evil"])
        .stdin("错的\n\n")
        .stdout_has("问]0;pwned题")
        .stdout_lacks("\u{1b}")
        .stdout_lacks("\u{7}")
        .stdout_lacks("\u{9b}")
        .run();
}

#[test]
fn an_unknown_deck_filter_is_a_usage_error() {
    Test::new()
        .args(["study", "--deck", "nope"])
        .stdin("")
        .stderr_has("没有找到卡组“nope”")
        .status(2)
        .run();
}

const USER_DECK: &str = r#"[deck]
id = "mine"
title = "我的卡组"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "one"
kind = "qa"
prompt = "三大作风在哪次会议上提出？"
answer = "七大"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "two"
kind = "judge"
prompt = "群众路线是党的生命线。"
answer = true
source = { doc = "000", quote = "另外一段不同的引文" }
"#;

#[test]
fn deck_edits_keep_progress_and_are_reported() {
    let t = Test::new().now(NOW).write("d/mine.toml", USER_DECK);
    let out = t
        .args(["study", "--decks", "d", "--deck", "mine"])
        .stdin("七大\n1\n对\n1\n")
        .run();
    assert_eq!(out.reviews().len(), 2);
    // Edit card one, remove card two, and move the deck to another file.
    let dir = out.dir.path().to_owned();
    std::fs::remove_file(dir.join("d/mine.toml")).unwrap();
    let edited = USER_DECK
        .replace(
            "三大作风在哪次会议上提出？",
            "三大优良作风在哪次会议上提出？",
        )
        .split("[[card]]\nid = \"two\"")
        .next()
        .unwrap()
        .to_owned();
    std::fs::create_dir_all(dir.join("elsewhere")).unwrap();
    std::fs::write(dir.join("elsewhere/renamed.toml"), edited).unwrap();
    let out = out
        .then()
        .now("2026-03-01T09:30:00+08:00")
        .args(["study", "--decks", "elsewhere", "--deck", "mine"])
        .stdin("")
        .stdout_has("· 学习中 · 卡片内容已更新")
        .run();
    let out = out
        .then()
        .now("2026-03-01T09:30:00+08:00")
        .args(["stats", "--decks", "elsewhere", "--json"])
        .run();
    let stats: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let mine = stats["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "mine")
        .unwrap();
    assert_eq!(
        mine["learning"], 1,
        "the edited card kept its state: {mine}"
    );
    assert_eq!(mine["changed"], serde_json::json!(["mine/one"]));
    assert_eq!(stats["orphaned"], serde_json::json!(["mine/two"]));
    assert_eq!(reviews(&out.db()).len(), 2, "history is kept");
}

#[test]
fn the_daily_limit_says_why_it_stopped_and_offers_more() {
    let out = Test::new()
        .now(NOW)
        .write("config/dangke/config.toml", "new_per_day = 2\n")
        .args(["study", "--deck", "wu-ge-bi-yu"])
        .stdin("不会\n4\n不会\n4\n1\n不会\n4\n")
        .stdout_has("新卡 2 ")
        .stdout_has("今天的新卡额度（2 张）已经学完，还有 ")
        .stdout_has("再学几张新卡？输入张数，回车结束> 1")
        .stdout_has("[3 · 还剩 1]")
        .stdout_has("本次学习：3 张卡片")
        .run();
    // --new adds to what is left of today's allowance.
    out.then()
        .now("2026-03-01T12:00:00+08:00")
        .write("config/dangke/config.toml", "new_per_day = 2\n")
        .args(["study", "--deck", "wu-ge-bi-yu", "--new", "2"])
        .stdin("")
        .stdout_has("新卡 2 ")
        .run();
}

/// Skipping every card of the day still ends the day's work: the learner
/// is told it is done and that the skipped cards come back tomorrow, not
/// that there was nothing to study.
#[test]
fn skipping_every_card_ends_with_the_day_done_and_the_skips_named() {
    Test::new()
        .now(NOW)
        .write("d/mine.toml", USER_DECK)
        .args(["study", "--decks", "d", "--deck", "mine"])
        .stdin(":s\n:s\n")
        .stdout_has("今天的学习任务完成了！\n没有已经到期的卡片；2 张跳过的卡片明天再学。")
        .stdout_lacks("现在没有要学的卡片")
        .run();
}

#[test]
fn nothing_to_study_says_when_the_next_card_is_due() {
    let out = Test::new()
        .now(NOW)
        .write("d/mine.toml", USER_DECK)
        .args(["study", "--decks", "d", "--deck", "mine"])
        .stdin("七大\n4\n对\n4\n")
        .stdout_has("今天的学习任务完成了！")
        .run();
    out.then()
        .now("2026-03-01T12:00:00+08:00")
        .args(["study", "--decks", "d", "--deck", "mine"])
        .stdin("")
        .stdout_has("现在没有要学的卡片。")
        .stdout_has("下一张卡片到期：")
        .run();
}

#[test]
fn the_remaining_count_counts_down() {
    let out = study().stdin("不会\n3\n不会\n3\n").run();
    assert!(out.stdout.contains("[1 · 还剩 16]"), "{}", out.stdout);
    assert!(out.stdout.contains("[2 · 还剩 15]"), "{}", out.stdout);
}

#[test]
fn the_rating_prompt_previews_each_interval() {
    study()
        .stdin("不会\n\n")
        .stdout_has("1 重来 1分钟 · 2 困难 6分钟 · 3 良好 10分钟 · 4 简单 ")
        .stdout_has("评分 [回车 = 重来]> ")
        .run();
}

#[test]
fn undo_works_at_the_rating_prompt_too() {
    let out = study()
        .stdin("铜墙铁壁、眼睛、上帝、土地、水\n\n不会\n:u\n")
        .stdout_has("已撤销上一次评分（毛泽东对人民群众作过哪五个比喻？），可以重新作答。")
        .stdout_has("（这张卡片还没有评分，稍后会再出现。）")
        .run();
    let rows = out.reviews();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].undone);
    assert_eq!(
        out.stdout
            .matches("毛泽东对人民群众作过哪五个比喻？\n")
            .count(),
        2,
        "the undone card is shown again: {}",
        out.stdout
    );
    // With nothing to undo the rating is asked again.
    let out = study()
        .stdin("不会\n:u\n3\n")
        .stdout_has("没有可以撤销的评分。")
        .stdout_has("已记录：良好")
        .run();
    assert_eq!(out.reviews().len(), 1);
}

const QUOTED_DECK: &str = r#"[deck]
id = "yin"
title = "引号"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "a"
kind = "qa"
prompt = "毛泽东说“我们共产党人好比种子，人民好比土地”，这里的“种子”指谁？"
answer = "共产党人"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "b"
kind = "judge"
prompt = "人民好比土地。"
answer = true
source = { doc = "000", quote = "另一段足够长的引文：人民好比土地" }
"#;

#[test]
fn the_undo_message_keeps_its_quotes_closed() {
    Test::new()
        .now(NOW)
        .write("d/yin.toml", QUOTED_DECK)
        .args(["study", "--decks", "d", "--deck", "yin"])
        .stdin("共产党人\n\n:u\n")
        .stdout_has("已撤销上一次评分（毛泽东说“我们共产党人好比种子，…”），可以重新作答。")
        .run();
}

#[test]
fn undoing_a_fill_card_shows_blanks_not_the_answers_markup() {
    let deck = QUOTED_DECK.replace(
        "kind = \"qa\"\nprompt = \"毛泽东说“我们共产党人好比种子，人民好比土地”，这里的“种子”指谁？\"\nanswer = \"共产党人\"",
        "kind = \"fill\"\nprompt = \"人民好比{{土地}}。\"",
    );
    assert!(deck.contains("{{土地}}"), "fixture rewritten");
    Test::new()
        .now(NOW)
        .write("d/yin.toml", deck)
        .args(["study", "--decks", "d", "--deck", "yin"])
        .stdin("土地\n\n:u\n")
        .stdout_has("已撤销上一次评分（人民好比＿＿。），可以重新作答。")
        .stdout_lacks("{{")
        .run();
}

#[test]
fn hints_give_a_little_more_each_time() {
    study()
        .stdin(":h\n:h\n:h\n:h\n:h\n:q\n")
        .stdout_has("提示：其中一项是“铜墙铁壁”")
        .stdout_has("提示：其中几项是“铜墙铁壁”、“眼睛”")
        .stdout_has("提示：其中几项是“铜墙铁壁”、“眼睛”、“上帝”、“土地”")
        .stdout_has("提示已经用完了")
        .stdout_lacks("“土地”、“水”")
        .run();
}

const TWO_JUDGE: &str = r#"[deck]
id = "pd"
title = "判断练习"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "a"
kind = "judge"
prompt = "甲说法。"
answer = true
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "b"
kind = "judge"
prompt = "乙说法。"
answer = true
source = { doc = "000", quote = "一段足够长的引文" }
"#;

#[test]
fn a_failed_card_is_not_shown_again_at_once_while_others_wait() {
    let out = Test::new()
        .now(NOW)
        .write("d/pd.toml", TWO_JUDGE)
        .args(["quiz", "--decks", "d", "--deck", "pd"])
        .stdin("错\n错\n")
        .run();
    let out = out
        .then()
        .now("2026-03-01T10:00:00+08:00")
        .args(["study", "--decks", "d", "--mistakes"])
        .stdin("错\n\n错\n\n")
        .run();
    let prompts: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.ends_with("说法。"))
        .collect();
    assert!(prompts.len() >= 2, "{}", out.stdout);
    assert_ne!(prompts[0], prompts[1], "{}", out.stdout);
}

#[test]
fn cards_are_listed_by_id_and_can_be_suspended_and_flagged() {
    let key = FIRST;
    let out = Test::new()
        .args(["cards", "--deck", "wu-ge-bi-yu"])
        .stdout_has("共 ")
        .run();
    let line = out.stdout.lines().find(|l| l.starts_with(key)).unwrap();
    assert!(
        line.contains("列举  毛泽东对人民群众作过哪五个比喻？"),
        "{line}"
    );
    let out = out
        .then()
        .args(["cards", "--suspend", key])
        .stdout_has(&format!("已暂停：{key}"))
        .run();
    let out = study_again(out)
        .stdin(":f\n:q\n")
        .stdout_lacks("毛泽东对人民群众作过哪五个比喻？")
        .stdout_has("已标记这张卡片")
        .run();
    let out = out
        .then()
        .args(["cards", "--suspended"])
        .stdout_has(&format!(
            "{key}  列举  暂停  毛泽东对人民群众作过哪五个比喻？"
        ))
        .stdout_has("共 1 张")
        .run();
    let out = out
        .then()
        .args(["cards", "--flagged"])
        .stdout_has("标记")
        .stdout_has("共 1 张")
        .run();
    let out = out
        .then()
        .args(["cards", "--resume", key])
        .stdout_has(&format!("已恢复：{key}"))
        .run();
    let out = study_again(out)
        .stdin("")
        .stdout_has("毛泽东对人民群众作过哪五个比喻？")
        .run();
    out.then()
        .args(["cards", "--flag", "wu-ge-bi-yu/nope"])
        .stderr_has("没有找到卡片“wu-ge-bi-yu/nope”")
        .status(2)
        .run();
}

#[test]
fn the_settings_file_names_deck_folders_and_the_learner() {
    let out = Test::new()
        .now(NOW)
        .write("config/dangke/mine/mine.toml", USER_DECK)
        .write(
            "config/dangke/config.toml",
            "decks = [\"mine\"]\nlearner = \"张三\"\n",
        )
        .args(["study", "--deck", "mine"])
        .stdin("七大\n\n")
        .stdout_has("学习者：张三")
        .run();
    out.then()
        .write("config/dangke/config.toml", "nonsense = 1\n")
        .args(["decks"])
        .stderr_has("不认识的设置项 nonsense")
        .status(1)
        .run();
}

#[test]
fn cards_of_a_deck_not_loaded_are_not_called_deleted() {
    let out = Test::new()
        .now(NOW)
        .write("d/mine.toml", USER_DECK)
        .args(["study", "--decks", "d", "--deck", "mine"])
        .stdin("七大\n\n对\n\n")
        .run();
    out.then()
        .now(NOW)
        .args(["stats"])
        .stdout_lacks("已从卡组中删除")
        .stdout_has("这次没有加载的卡组（进度保留，不算删除）")
        .stdout_has("mine：2 张卡片有进度，上次从")
        .run();
}

#[test]
fn skipping_or_suspending_a_card_counts_the_queue_down() {
    study()
        .stdin(":s\n:暂停\n")
        .stdout_has("[1 · 还剩 16]")
        .stdout_has("[2 · 还剩 15]")
        .stdout_has("[3 · 还剩 14]")
        .run();
}

#[test]
fn the_rating_preview_says_minutes_not_points() {
    study()
        .stdin("不知道\n\n")
        .stdout_has("1 重来 1分钟")
        .stdout_lacks("1分 ·")
        .run();
}

#[test]
fn the_summary_says_now_when_cards_are_still_due() {
    // A card failed a minute ago is due again; leaving now must not say
    // that nothing is due.
    let out = study().stdin("不知道\n\n:q\n").run();
    out.then()
        .now("2026-03-01T09:05:00+08:00")
        .args(["study", "--deck", "wu-ge-bi-yu"])
        .stdin(":q\n")
        .stdout_has("今日到期 1")
        .stdout_has("下次到期：现在。")
        .run();
}

/// A mistyped `--learner` used to start an empty record without a word.
#[test]
fn a_new_learner_beside_existing_ones_is_announced() {
    study()
        .stdin("")
        .stderr_lacks("新建学习者")
        .run()
        .then()
        .args(["study", "--learner", "张二"])
        .stdin("")
        .stderr_has("新建学习者“张二”（已有：测试学员）")
        .run()
        .then()
        .args(["study", "--learner", "张二"])
        .stdin("")
        .stderr_lacks("新建学习者")
        .run();
}

/// `--mistakes` with an empty 错题本 said only "没有符合条件的卡片".
#[test]
fn an_empty_mistake_book_says_how_it_fills() {
    study()
        .arg("--mistakes")
        .stdin("")
        .stdout_has("卡组：错题本（0 题）")
        .stdout_has("错题本是空的：测验（dangke quiz）、竞赛和现场答题中答错的题会自动记入错题本。")
        .stdout_lacks("没有符合条件的卡片")
        .run();
}

/// The interval fuzz is seeded by the learner: two learners who answer the
/// same card the same way at the same moment are not all sent back on the
/// same day (a surviving mutant dropped the seed from the scheduler).
#[test]
fn learners_answering_alike_get_differently_fuzzed_due_dates() {
    let mut out = study()
        .args(["--learner", "学员0"])
        .stdin("铜墙铁壁、眼睛、上帝、土地、水\n4\n")
        .run();
    for i in 1..6 {
        out = out
            .then()
            .now(NOW)
            .args([
                "study",
                "--deck",
                "wu-ge-bi-yu",
                "--learner",
                &format!("学员{i}"),
            ])
            .stdin("铜墙铁壁、眼睛、上帝、土地、水\n4\n")
            .run();
    }
    let conn = rusqlite::Connection::open(out.db()).expect("the database");
    let dues: std::collections::BTreeSet<i64> = conn
        .prepare("SELECT due FROM card_states WHERE card_key = ?1")
        .and_then(|mut s| {
            s.query_map([FIRST], |r| r.get(0))?
                .collect::<Result<_, _>>()
        })
        .expect("due dates");
    let days: std::collections::BTreeSet<i64> = dues.iter().map(|d| d / 86_400).collect();
    assert!(
        days.len() >= 2,
        "every learner due on the same day: {dues:?}"
    );
}

/// A card answered well is not due "now": the summary names its day.
#[test]
fn the_summary_names_the_next_day_when_nothing_is_due() {
    study()
        .stdin("铜墙铁壁、眼睛、上帝、土地、水\n4\n:q\n")
        .stdout_has("下次到期：10 天后（2026-03-11）。")
        .run();
}

/// (learners, exam dates set) in the progress database.
fn learners_and_exam_dates(db: &std::path::Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(db).expect("open the progress database");
    conn.query_row("SELECT count(*), count(exam_date) FROM learners", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .expect("count learners")
}

/// `dangke study` opens an existing database on another thread while the
/// decks load (issue 14): a bad deck or an unknown `--deck` must still stop
/// it before anything is written (no new learner, no exam date).
#[test]
fn a_bad_deck_or_filter_writes_nothing_to_an_existing_database() {
    let out = study().stdin("铜墙铁壁、眼睛、上帝、土地、水\n4\n").run();
    let db = out.db();
    let before = learners_and_exam_dates(&db);
    assert_eq!(before, (1, 0));
    let out = out
        .then()
        .now(NOW)
        .args(["--exam-date", "2027-01-01", "--learner", "新人"])
        .args(["study", "--deck", "nope"])
        .stdin("")
        .stderr_has("没有找到卡组“nope”")
        .status(2)
        .run();
    assert_eq!(learners_and_exam_dates(&db), before);
    let _kept = out
        .then()
        .now(NOW)
        .write("d/bad.toml", "[deck]\nid = \"bad\"\ntitle = \n")
        .args([
            "--decks",
            "d",
            "--exam-date",
            "2027-01-01",
            "--learner",
            "新人",
        ])
        .args(["study"])
        .stdin("")
        .stderr_has("d/bad.toml")
        .status(1)
        .run();
    assert_eq!(learners_and_exam_dates(&db), before);
    assert_eq!(reviews(&db).len(), 1, "the first session's answer stays");
}

fn seen_decks(db: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open the progress database");
    let mut stmt = conn
        .prepare("SELECT deck_id FROM seen_decks ORDER BY deck_id")
        .expect("seen_decks");
    stmt.query_map([], |r| r.get(0))
        .expect("read seen_decks")
        .collect::<Result<_, _>>()
        .expect("seen_decks rows")
}

/// Issue 14: a start that answers nothing wrote the newly loaded user deck
/// into `seen_decks` (five fsyncs, and the day's backup of the whole file
/// after that first write). The deck is now remembered in the same
/// transaction as the first answer made with it.
#[test]
fn a_new_user_deck_is_remembered_with_the_first_answer_not_at_the_start() {
    let out = study().stdin("铜墙铁壁、眼睛、上帝、土地、水\n4\n").run();
    let db = out.db();
    let backups = |db: &std::path::Path| {
        std::fs::read_dir(db.parent().expect("a folder"))
            .expect("list the folder")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().contains(".backup-"))
            })
            .count()
    };
    for b in std::fs::read_dir(db.parent().expect("a folder")).expect("list") {
        let b = b.expect("entry").path();
        if b.to_string_lossy().contains(".backup-") {
            std::fs::remove_file(b).expect("remove the day's backup");
        }
    }
    assert!(seen_decks(&db).is_empty());
    let out = out
        .then()
        .now(NOW)
        .write("d/mine.toml", USER_DECK)
        .args(["study", "--decks", "d", "--deck", "mine"])
        .stdin("")
        .stdout_has("[1 · 还剩")
        .run();
    assert!(
        seen_decks(&db).is_empty(),
        "nothing answered, nothing written"
    );
    assert_eq!(backups(&db), 0, "no write, so no backup either");
    let _kept = out
        .then()
        .now(NOW)
        .args(["study", "--decks", "d", "--deck", "mine"])
        .stdin("七大\n\n")
        .stdout_has("已记录")
        .run();
    assert_eq!(seen_decks(&db), ["mine"]);
    assert_eq!(backups(&db), 1);
}

/// The header line of a start that answers nothing.
fn header(out: &crate::test::TestOutput) -> String {
    out.stdout
        .lines()
        .find(|l| l.starts_with("学习者："))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_start_from_the_state_snapshot_sees_every_answer_since_it_was_taken() {
    let states = |out: &crate::test::TestOutput| {
        std::fs::read_dir(out.dir.path().join("cache/dangke/states"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    // Day one: one card learnt (the database is new: nothing to snapshot).
    let out = study().stdin("铜墙铁壁、眼睛、上帝、土地、水\n4\n").run();
    // A start with no answer reads every state and leaves a snapshot.
    let out = study_again(out).stdin("").run();
    assert_eq!(states(&out), 1, "a snapshot was written");
    let before = header(&out);
    // Another card answered: the snapshot no longer has every state.
    let out = study_again(out)
        .stdin("不知道\n4\n")
        .stdout_has("已记录：简单")
        .run();
    let out = study_again(out).stdin("").run();
    let after = header(&out);
    assert_ne!(after, before, "the answer since the snapshot counts");
    // The same as a start that reads every state from the database.
    std::fs::remove_dir_all(out.dir.path().join("cache/dangke/states"))
        .expect("remove the snapshots");
    let out = study_again(out).stdin("").run();
    assert_eq!(header(&out), after);
    assert_eq!(states(&out), 1);
}

#[test]
fn an_exam_date_or_retention_given_to_a_later_start_is_stored() {
    // The learner exists: a start reads it beside the decks, and must still
    // store what the command line gives for it.
    let out = study().stdin("铜墙铁壁、眼睛、上帝、土地、水\n4\n").run();
    let out = study_again(out)
        .args(["--exam-date", "2026-03-04", "--retention", "0.8"])
        .stdin("")
        .run();
    let _kept = out
        .then()
        .now(NOW)
        .args(["learners"])
        .stdout_has("2026-03-04")
        .stdout_has("80%")
        .run();
}
