//! `dangke grade`: the verdict in Chinese or as JSON, and exit 2 for a
//! card that does not exist.

use crate::test::Test;

#[test]
fn a_right_list_answer_in_traditional_script_is_correct() {
    Test::new()
        .args([
            "grade",
            "wu-ge-bi-yu/wu-ge-bi-yu-lie-ju",
            "銅墻鐵壁，眼睛，上帝，土地，水",
        ])
        .stdout_has("✓ 正确（得分 1.00）")
        .stdout_has("标准答案：铜墙铁壁、眼睛、上帝、土地、水")
        .status(0)
        .run();
}

#[test]
fn a_partial_answer_names_what_is_missing_and_the_slip() {
    Test::new()
        .args([
            "grade",
            "wu-ge-bi-yu/wu-ge-bi-yu-lie-ju",
            "铜墙铁壁 眼镜 上帝 种子",
        ])
        .stdout_has("◐ 部分正确 3/5")
        .stdout_has("✗ 4. 土地（未答出）")
        .stdout_has("多写了：种子")
        .stdout_has("笔误：“镜”应为“睛”（同音字）")
        .status(0)
        .run();
}

#[test]
fn json_follows_the_contract() {
    let out = Test::new()
        .args([
            "grade",
            "wu-ge-bi-yu/liang-zuo-da-shan",
            "帝国主义、资本主义",
            "--json",
        ])
        .status(0)
        .run();
    let value: serde_json::Value =
        serde_json::from_str(out.stdout.trim()).expect("one JSON object");
    assert_eq!(value["verdict"], "partial");
    assert_eq!(value["score"], 0.333);
    assert_eq!(value["missing"], serde_json::json!(["封建主义"]));
    assert_eq!(value["extra"], serde_json::json!(["资本主义"]));
    assert_eq!(value["slips"], serde_json::json!([]));
}

#[test]
fn json_reports_slips() {
    let out = Test::new()
        .args([
            "grade",
            "wu-ge-bi-yu/shang-di-shi-shui",
            "人民大重",
            "--json",
        ])
        .status(0)
        .run();
    let value: serde_json::Value =
        serde_json::from_str(out.stdout.trim()).expect("one JSON object");
    assert_eq!(value["verdict"], "close");
    assert_eq!(
        value["slips"],
        serde_json::json!([{"expected": "众", "given": "重", "homophone": true}])
    );
}

#[test]
fn a_wrong_verdict_still_exits_zero() {
    Test::new()
        .args(["grade", "wu-ge-bi-yu/yan-jing-pan-duan", "错"])
        .stdout_has("✗ 错误")
        .stdout_has("标准答案：正确")
        .status(0)
        .run();
}

#[test]
fn an_unknown_deck_or_card_is_a_usage_error() {
    Test::new()
        .args(["grade", "no-such-deck/x", "答案"])
        .stderr_has("没有找到卡组“no-such-deck”")
        .stderr_has("wu-ge-bi-yu")
        .status(2)
        .run();
    Test::new()
        .args(["grade", "wu-ge-bi-yu/no-such-card", "答案"])
        .stderr_has("卡组 wu-ge-bi-yu 中没有卡片“no-such-card”")
        .status(2)
        .run();
    Test::new()
        .args(["grade", "wu-ge-bi-yu", "答案"])
        .stderr_has("卡组 id/卡片 id")
        .status(2)
        .run();
}

#[test]
fn an_answer_starting_with_a_dash_is_an_answer() {
    Test::new()
        .args(["grade", "wu-ge-bi-yu/zhong-zi-tu-di", "-种子、土地"])
        .stdout_has("✓ 正确")
        .status(0)
        .run();
}

#[test]
fn swapped_blanks_are_reported_as_misplaced_in_text_and_json() {
    let card = "ba-xiang-gui-ding/di-er-tiao";
    let answer = "短会 短话 会风 空话 套话";
    Test::new()
        .args(["grade", card, answer])
        .stdout_has("◐ 部分正确 2/5")
        .stdout_has("↕ 第2空 短会（位置不对）")
        .stdout_has("↕ 第3空 短话（位置不对）")
        .stdout_lacks("未答出")
        .status(0)
        .run();
    let out = Test::new()
        .args(["grade", card, answer, "--json"])
        .status(0)
        .run();
    let value: serde_json::Value =
        serde_json::from_str(out.stdout.trim()).expect("one JSON object");
    assert_eq!(value["verdict"], "partial");
    assert_eq!(value["missing"], serde_json::json!([]));
    assert_eq!(
        value["misplaced"],
        serde_json::json!(["会风", "短会", "短话"])
    );
}

#[test]
fn an_order_free_pair_and_a_restated_prompt_are_correct() {
    Test::new()
        .args([
            "grade",
            "xin-fang-min-sheng/bi-xiu-ke",
            "做好群众工作是领导干部的基本功和必修课",
        ])
        .stdout_has("✓ 正确")
        .status(0)
        .run();
    Test::new()
        .args([
            "grade",
            "qun-zhong-lu-xian/zong-zhi",
            "党的宗旨是全心全意为人民服务",
        ])
        .stdout_has("✓ 正确")
        .status(0)
        .run();
}

#[test]
fn an_inverted_meaning_is_wrong_not_a_slip() {
    let out = Test::new()
        .args([
            "grade",
            "qun-zhong-lu-xian/zong-zhi",
            "半心半意为人民服务",
            "--json",
        ])
        .status(0)
        .run();
    let value: serde_json::Value =
        serde_json::from_str(out.stdout.trim()).expect("one JSON object");
    assert_eq!(value["verdict"], "wrong");
    assert_eq!(value["slips"], serde_json::json!([]));
}

#[test]
fn dont_know_on_a_choice_card_is_plainly_wrong() {
    Test::new()
        .args(["grade", "ba-xiang-gui-ding/kai-duan-hui", "不知道"])
        .stdout_has("✗ 错误")
        .stdout_has("标准答案：B. 精简会议活动")
        .stdout_lacks("请回答选项字母")
        .status(0)
        .run();
}
