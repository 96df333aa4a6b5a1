//! The teacher-verdict table (issue 11): real answers to shipped cards,
//! each with the verdicts a fair 党课 teacher would sign, written down
//! before the grader was run on them. A row lists every verdict the
//! teacher accepts (R correct, C close, P partial, W wrong).

use super::*;
use crate::deck::parse::parse_deck;
use crate::deck::{Card, Library, Origin};
use crate::diag::SourceText;

/// Test-only cards, for rules no shipped card exercises (deck id "t").
const CARDS: &str = r#"
[deck]
id = "t"
title = "判分规则测试"

[[sources]]
id = "000"
title = "文档"

[[card]]
id = "zhuan-hua"
kind = "list"
prompt = "做群众工作要在哪三个方面下功夫？"
items = ["转化", "感化", "深化"]
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "jia-qiang"
kind = "qa"
prompt = "群众工作只能怎样？"
answer = "群众工作只能加强"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "bi-xu"
kind = "qa"
prompt = "对群众路线应当怎样？"
answer = "必须坚持群众路线"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "fan-dui"
kind = "qa"
prompt = "毛泽东对两种错误的态度是什么？"
answer = "反对命令主义和尾巴主义"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "wu-xiao-shi"
kind = "qa"
prompt = "群众利益有没有小事？"
answer = "群众利益无小事"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "duo-ting"
kind = "qa"
prompt = "对群众意见应当怎样？"
answer = "要多听群众意见"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "quan-mian"
kind = "qa"
prompt = "对群众工作的要求是什么？"
answer = "全面提高群众工作水平"
source = { doc = "000", quote = "一段足够长的引文" }

[[card]]
id = "he-pair"
kind = "fill"
prompt = "坚持{{~实事求是}}和{{~群众路线}}，做到{{知行统一}}。"
source = { doc = "000", quote = "一段足够长的引文" }
"#;

use std::sync::OnceLock;

fn shipped() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(|| Library::load(&[]).expect("shipped decks load").0)
}

fn test_cards() -> &'static crate::deck::Deck {
    static DECK: OnceLock<crate::deck::Deck> = OnceLock::new();
    DECK.get_or_init(|| {
        let src = SourceText::new("t.toml", CARDS);
        parse_deck(&src, Origin::Shipped("t.toml"))
            .deck
            .expect("test cards parse")
    })
}

/// "deck/card", from the test cards when the deck is "t".
fn find(path: &str) -> &'static Card {
    let (deck, card) = path.split_once('/').expect("deck/card");
    let deck = if deck == "t" {
        test_cards()
    } else {
        shipped()
            .deck(deck)
            .unwrap_or_else(|| panic!("no deck {deck}"))
    };
    deck.card(card).unwrap_or_else(|| panic!("no card {path}"))
}

/// One row a line: `card | answer | accepted verdicts`; `#` starts a
/// comment line.
const TABLE: &str = "
# ---- The issue's table, row by row.
qun-zhong-lu-xian/zong-zhi | 半心半意为人民服务 | W
qun-zhong-lu-xian/zong-zhi | 党的宗旨是全心全意为人民服务 | R
xin-fang-min-sheng/bi-xiu-ke | 做好群众工作是领导干部的基本功和必修课 | R
san-da-zuo-feng/ti-chu-chang-he | 七大，毛泽东 | R
san-da-zuo-feng/ti-chu-chang-he | 毛主席 七大 | R
san-da-zuo-feng/ti-chu-chang-he | 毛泽东在党的七大上 | R
xin-fang-min-sheng/bi-xiu-ke | 基本功 必修课 | R
ba-xiang-gui-ding/di-er-tiao | 短会 短话 会风 空话 套话 | P
san-da-zuo-feng/san-da-zuo-feng-lie-ju | 理论和实践相结合的作风、与人民群众紧密地联系在一起的作风、自我批评的作风 | P
t/zhuan-hua | 在转化上下功夫，在感化上下功夫，在深化上下功夫 | R
wu-ge-bi-yu/yan-jing-shi-jian | 1943.7.2 | R
wu-ge-bi-yu/yan-jing-shi-jian | 1943-07-02 | R
ba-xiang-gui-ding/ba-xiang-lie-ju | 改进调查研究 精简会议 精简文件简报 规范出访 改进警卫 新闻报道 严格文稿 勤俭节约 | C
ba-xiang-gui-ding/kai-duan-hui | 不知道 | W
# ---- 1. Meaning before spelling: antonym and degree pairs.
qun-zhong-lu-xian/zong-zhi | 全心全意为人民服务 | R
qun-zhong-lu-xian/zong-zhi | 全心全意为人民服物 | C
qun-zhong-lu-xian/zong-zhi | 全心全意为人明服务 | C
qun-zhong-lu-xian/zong-zhi | 半心全意为人民服务 | W
qun-zhong-lu-xian/zong-zhi | 不是全心全意为人民服务 | W
qun-zhong-lu-xian/zong-zhi | 全心全意为党服务 | W
qun-zhong-lu-xian/zong-zhi | 全心全意为人民服务吗 | RCW
t/jia-qiang | 群众工作只能加强 | R
t/jia-qiang | 群众工作只能加墙 | C
t/jia-qiang | 群众工作只能削弱 | W
t/jia-qiang | 群众工作只能减弱 | W
t/jia-qiang | 群众工作不能加强 | W
t/jia-qiang | 群众工作只能加强吗 | RCW
t/bi-xu | 必须坚持群众路线 | R
t/bi-xu | 不必坚持群众路线 | W
t/bi-xu | 必需坚持群众路线 | C
t/bi-xu | 必须放弃群众路线 | W
t/bi-xu | 必须坚持群众路綫 | R
t/fan-dui | 反对命令主义和尾巴主义 | R
t/fan-dui | 支持命令主义和尾巴主义 | W
t/fan-dui | 反对命令主义与尾巴主义 | R
t/fan-dui | 反队命令主义和尾巴主义 | C
t/fan-dui | 拥护命令主义和尾巴主义 | W
t/wu-xiao-shi | 群众利益无小事 | R
t/wu-xiao-shi | 群众利益有小事 | W
t/wu-xiao-shi | 群众利益无大事 | W
t/wu-xiao-shi | 群众利益没小事 | W
t/duo-ting | 要多听群众意见 | R
t/duo-ting | 要少听群众意见 | W
t/duo-ting | 多听群众意见 | R
t/duo-ting | 要多听群众的意见 | RC
t/quan-mian | 全面提高群众工作水平 | R
t/quan-mian | 片面提高群众工作水平 | W
t/quan-mian | 全面降低群众工作水平 | W
t/quan-mian | 全面提高群众工作水准 | C
ji-ceng-gong-zuo-fang-fa/zhi-neng-bu-neng | 强化 维护 加强 | R
ji-ceng-gong-zuo-fang-fa/zhi-neng-bu-neng | 淡化 维护 加强 | P
ji-ceng-gong-zuo-fang-fa/zhi-neng-bu-neng | 强化、维护、削弱 | P
ji-ceng-gong-zuo-fang-fa/zhi-neng-bu-neng | 弱化、损害、削弱 | W
xin-fang-min-sheng/wu-yuan-zhi-shui | 无源之水、无本之木 | R
xin-fang-min-sheng/wu-yuan-zhi-shui | 有源之水、无本之木 | P
xin-fang-min-sheng/wu-yuan-zhi-shui | 无源的水、无本的木 | RC
xin-fang-min-sheng/san-bu | 事能解决不积累、人能留住不上访、依法有序不混乱 | R
xin-fang-min-sheng/san-bu | 事能解决不积累、人能留住不下访、依法有序不混乱 | P
xin-fang-min-sheng/san-bu | 事能解决不积累、人能留住不上访、依法有序不紊乱 | C
ji-ceng-gong-zuo-fang-fa/san-zhong-yi-shi-lie-ju | 群众工作有小事、群众工作无难事、群众工作应常做 | P
# ... numbers, dates, persons and meetings.
wu-ge-bi-yu/tu-di-shi-jian | 1945年10月17日 | R
wu-ge-bi-yu/tu-di-shi-jian | 一九四五年十月十七日 | R
wu-ge-bi-yu/tu-di-shi-jian | 1945.10.17 | R
wu-ge-bi-yu/tu-di-shi-jian | 1945/10/17 | R
wu-ge-bi-yu/tu-di-shi-jian | 1945-10-17 | R
wu-ge-bi-yu/tu-di-shi-jian | 1945年10月 | PW
wu-ge-bi-yu/tu-di-shi-jian | 1945年10月18日 | W
wu-ge-bi-yu/tu-di-shi-jian | 1946年10月17日 | W
wu-ge-bi-yu/tu-di-shi-jian | 1945.10.18 | W
wu-ge-bi-yu/tu-di-shi-jian | 1945年11月17日 | W
ji-ceng-gong-zuo-fang-fa/si-da-hua-jie-lv | 96% | R
ji-ceng-gong-zuo-fang-fa/si-da-hua-jie-lv | 百分之九十六 | R
ji-ceng-gong-zuo-fang-fa/si-da-hua-jie-lv | 95% | W
ji-ceng-gong-zuo-fang-fa/si-da-hua-jie-lv | 69% | W
xin-fang-min-sheng/pan-zuo-liang | 潘作良 | R
xin-fang-min-sheng/pan-zuo-liang | 潘作良同志 | R
xin-fang-min-sheng/pan-zuo-liang | 潘做良 | C
xin-fang-min-sheng/pan-zuo-liang | 范作良 | W
qun-zhong-lu-xian/chen-jia-geng | 陈嘉庚 | R
qun-zhong-lu-xian/chen-jia-geng | 陈嘉更 | C
qun-zhong-lu-xian/chen-jia-geng | 黄炎培 | W
san-da-zuo-feng/ti-chu-chang-he | 毛泽民在党的七大上提出 | W
san-da-zuo-feng/ti-chu-chang-he | 周恩来在党的七大上提出 | W
san-da-zuo-feng/ti-chu-chang-he | 毛泽冬在党的七大上提出 | C
san-da-zuo-feng/ti-chu-chang-he | 毛泽东在党的八大上提出 | W
san-da-zuo-feng/ti-chu-chang-he | 毛泽东在党的十七大上提出 | W
san-da-zuo-feng/ti-chu-chang-he | 毛泽东在党的七届上提出 | W
san-da-zuo-feng/ti-chu-chang-he | 毛泽东 八大 | W
wu-ge-bi-yu/shang-di-chu-chu | 中共八大闭幕词《愚公移山》 | PW
wu-ge-bi-yu/shang-di-chu-chu | 中共七大闭幕词《愚公移山》 | R
wu-ge-bi-yu/shang-di-chu-chu | 《关于重庆谈判》 | W
# ---- 2. The answer inside a sentence.
qun-zhong-lu-xian/zong-zhi | 党的宗旨就是全心全意为人民服务。 | R
qun-zhong-lu-xian/zong-zhi | 宗旨是全心全意为人民服务 | R
qun-zhong-lu-xian/zong-zhi | 全心全意为人民服务是党的宗旨 | R
qun-zhong-lu-xian/zong-zhi | 答：全心全意为人民服务 | R
qun-zhong-lu-xian/zong-zhi | 党的宗旨不是全心全意为人民服务 | W
qun-zhong-lu-xian/zong-zhi | 党的宗旨是全心全意为人民服务和发展经济 | PW
qun-zhong-lu-xian/zong-zhi | 党的宗旨是为人民服务 | PW
qun-zhong-lu-xian/zong-zhi | 党的宗旨是半心半意为人民服务 | W
qun-zhong-lu-xian/zong-zhi | 全心全意地为人民服务 | R
qun-zhong-lu-xian/zong-zhi | 全心全意的为人民服务 | RC
san-da-zuo-feng/ti-chu-chang-he | 是在七大上由毛泽东提出的 | R
san-da-zuo-feng/ti-chu-chang-he | 毛泽东同志在党的七大上提出的 | R
san-da-zuo-feng/ti-chu-chang-he | 毛泽东在七大上提出 | R
san-da-zuo-feng/ti-chu-chang-he | 毛泽东在党的七大上提出来的 | R
san-da-zuo-feng/ti-chu-chang-he | 毛泽东在党的七大上提出 | R
san-da-zuo-feng/ti-chu-chang-he | 毛泽东在中共七大 | R
san-da-zuo-feng/ti-chu-chang-he | 毛泽东在1945年的党的七大上提出 | RC
san-da-zuo-feng/ti-chu-chang-he | 七大 | PW
san-da-zuo-feng/ti-chu-chang-he | 毛泽东 | PW
san-da-zuo-feng/ti-chu-chang-he | 刘少奇在七大上提出 | W
san-da-zuo-feng/ti-chu-chang-he | 毛泽东不是在七大上提出的 | W
wu-ge-bi-yu/tong-qiang-tie-bi-yuan-hua | 真正的铜墙铁壁是群众 | R
wu-ge-bi-yu/tong-qiang-tie-bi-yuan-hua | 他的回答是：是群众 | R
wu-ge-bi-yu/tong-qiang-tie-bi-yuan-hua | 群众 | R
wu-ge-bi-yu/tong-qiang-tie-bi-yuan-hua | 是人民群众 | R
wu-ge-bi-yu/tong-qiang-tie-bi-yuan-hua | 干部 | W
wu-ge-bi-yu/tong-qiang-tie-bi-yuan-hua | 不是群众 | W
wu-ge-bi-yu/tong-qiang-tie-bi-yuan-hua | 群众路线 | W
wu-ge-bi-yu/tong-qiang-tie-bi-yuan-hua | 是千百万真心实意的拥护革命的群众 | RC
qun-zhong-lu-xian/ren-shi-lun | 马克思主义的认识论 | R
qun-zhong-lu-xian/ren-shi-lun | 这就是马克思主义的认识论 | R
qun-zhong-lu-xian/ren-shi-lun | 认识论 | PW
qun-zhong-lu-xian/ren-shi-lun | 马克思主义之认识论 | R
qun-zhong-lu-xian/ren-shi-lun | 马克思主义的方法论 | W
qun-zhong-lu-xian/ren-shi-lun | 马克思主义的实践论 | W
qun-zhong-lu-xian/ren-shi-lun | 方法论 | W
qun-zhong-lu-xian/ren-shi-lun | 唯心主义的认识论 | PW
ba-xiang-gui-ding/zhu-fang-che-liang | 厉行勤俭节约 | R
ba-xiang-gui-ding/zhu-fang-che-liang | 第八条：厉行勤俭节约 | R
ba-xiang-gui-ding/zhu-fang-che-liang | 第8条 | R
ba-xiang-gui-ding/zhu-fang-che-liang | 是第八条，要厉行勤俭节约 | R
ba-xiang-gui-ding/zhu-fang-che-liang | 第七条 | W
ba-xiang-gui-ding/zhu-fang-che-liang | 改进新闻报道 | W
ji-ceng-gong-zuo-fang-fa/dian-ji-zheng-dun-nian | 机关作风整顿年活动 | R
ji-ceng-gong-zuo-fang-fa/dian-ji-zheng-dun-nian | 推进的是机关作风整顿年活动 | R
ji-ceng-gong-zuo-fang-fa/dian-ji-zheng-dun-nian | 机关作风建设年 | W
ji-ceng-gong-zuo-fang-fa/dian-ji-zheng-dun-nian | 机关作风整顿年 | R
xin-fang-min-sheng/pan-zuo-liang | 用潘作良同志的先进事迹 | R
wu-ge-bi-yu/shang-di-chu-chu | 七大闭幕词《愚公移山》 | R
wu-ge-bi-yu/shang-di-chu-chu | 愚公移山 | PW
ji-ceng-gong-zuo-fang-fa/jiao-ke-shu | 教科书 | R
ji-ceng-gong-zuo-fang-fa/jiao-ke-shu | 群众永远是一本教科书 | R
ji-ceng-gong-zuo-fang-fa/jiao-ke-shu | 教课书 | C
ji-ceng-gong-zuo-fang-fa/jiao-ke-shu | 课本 | W
wu-ge-bi-yu/shang-di-shi-shui | 全中国的人民大众 | R
wu-ge-bi-yu/shang-di-shi-shui | 人民大众 | R
wu-ge-bi-yu/shang-di-shi-shui | 人民大重 | C
wu-ge-bi-yu/shang-di-shi-shui | 就是全中国的人民大众 | R
# ---- 3. Swapped and misplaced parts; order-free groups.
ba-xiang-gui-ding/di-er-tiao | 会风 短会 短话 空话 套话 | R
ba-xiang-gui-ding/di-er-tiao | 会风、短会、短话、套话、空话 | P
ba-xiang-gui-ding/di-er-tiao | 会风、短会、短话、空话 | P
ba-xiang-gui-ding/di-er-tiao | 会风、长会、短话、空话、套话 | P
ba-xiang-gui-ding/di-er-tiao | 要精简会议活动，切实改进会风；提高会议实效，开短会、讲短话，力戒空话、套话。 | R
xin-fang-min-sheng/bi-xiu-ke | 必修课和基本功 | R
xin-fang-min-sheng/bi-xiu-ke | 基本功和必修课 | R
xin-fang-min-sheng/bi-xiu-ke | 必修课、基本功 | R
xin-fang-min-sheng/bi-xiu-ke | 做好群众工作是领导干部的必修课和基本功。 | R
xin-fang-min-sheng/bi-xiu-ke | 基本功 | P
xin-fang-min-sheng/bi-xiu-ke | 基本功 选修课 | P
t/he-pair | 实事求是 群众路线 知行统一 | R
t/he-pair | 群众路线 实事求是 知行统一 | R
t/he-pair | 坚持群众路线和实事求是，做到知行统一。 | R
t/he-pair | 知行统一 实事求是 群众路线 | P
wu-ge-bi-yu/sheng-gen-kai-hua | 生根、开花、结果 | R
wu-ge-bi-yu/sheng-gen-kai-hua | 开花、生根、结果 | P
wu-ge-bi-yu/sheng-gen-kai-hua | 结果、开花、生根 | P
ji-ceng-gong-zuo-fang-fa/si-zhen-fa-lie-ju | 望闻问切 | R
ji-ceng-gong-zuo-fang-fa/si-zhen-fa-lie-ju | 望、闻、问、切 | R
ji-ceng-gong-zuo-fang-fa/si-zhen-fa-lie-ju | 闻望问切 | P
wu-ge-bi-yu/zhong-zi-tu-di | 种子 土地 | R
wu-ge-bi-yu/zhong-zi-tu-di | 土地 种子 | PW
wu-ge-bi-yu/zhong-zi-tu-di | 我们共产党人好比种子，人民好比土地。 | R
qun-zhong-lu-xian/ji-xing-man-xing | 急性病 慢性病 | R
qun-zhong-lu-xian/ji-xing-man-xing | 慢性病 急性病 | PW
qun-zhong-gong-zuo-fang-fa/yao-xiang-gong-dao | 公道 颠倒 | R
qun-zhong-gong-zuo-fang-fa/yao-xiang-gong-dao | 颠倒 公道 | PW
xin-fang-min-sheng/san-tong | 同吃 同住 同劳动 | R
xin-fang-min-sheng/san-tong | 同住 同吃 同劳动 | RP
ba-xiang-gui-ding/di-ba-tiao | 厉行勤俭节约 住房 车辆配备 | R
ba-xiang-gui-ding/di-ba-tiao | 厉行勤俭节约 车辆配备 住房 | P
ji-ceng-gong-zuo-fang-fa/san-xin-lie-ju | 热心、知心、决心 | R
ji-ceng-gong-zuo-fang-fa/san-xin-lie-ju | 热心、决心、知心 | P
wu-ge-bi-yu/shui-yu-yu | 水 鱼 | W
wu-ge-bi-yu/shui-yu-yu | 鱼 水 | PW
# ---- 4. Equivalent function words and formats.
san-da-zuo-feng/san-da-zuo-feng-lie-ju | 理论与实践相结合、和人民群众密切联系、批评与自我批评 | R
san-da-zuo-feng/san-da-zuo-feng-lie-ju | 理论同实践相结合、同人民群众密切联系、批评同自我批评 | RC
san-da-zuo-feng/san-da-zuo-feng-lie-ju | 理论和实践相结合的作风、跟人民群众密切联系的作风、批评及自我批评的作风 | RC
ba-xiang-gui-ding/zhi-ding-zhe | 十八届中央政治局 改进工作作风 密切联系群众 | R
ba-xiang-gui-ding/zhi-ding-zhe | 第十八届中央政治局、改进工作作风、密切联系群众 | R
ba-xiang-gui-ding/zhi-ding-zhe | 18届中央政治局、改进工作作风、密切联系群众 | R
ba-xiang-gui-ding/zhi-ding-zhe | 十七届中央政治局、改进工作作风、密切联系群众 | P
wu-ge-bi-yu/yan-jing-shi-jian | 1943年7月2日 | R
wu-ge-bi-yu/yan-jing-shi-jian | 一九四三年七月二日 | R
wu-ge-bi-yu/yan-jing-shi-jian | １９４３年７月２日 | R
wu-ge-bi-yu/yan-jing-shi-jian | 1943/7/2 | R
wu-ge-bi-yu/yan-jing-shi-jian | 1943年07月02日 | R
wu-ge-bi-yu/yan-jing-shi-jian | 1943.7 | PW
wu-ge-bi-yu/yan-jing-shi-jian | 1943.07.02 | R
wu-ge-bi-yu/yan-jing-shi-jian | 1943年7月3日 | W
wu-ge-bi-yu/yan-jing-shi-jian | 1943.7.3 | W
wu-ge-bi-yu/yan-jing-shi-jian | 1944.7.2 | W
wu-ge-bi-yu/yan-jing-shi-jian | 1943年 | PW
wu-ge-bi-yu/tong-qiang-tie-bi-chang-he | 瑞金 第二次全国工农兵代表大会 | R
wu-ge-bi-yu/tong-qiang-tie-bi-chang-he | 瑞金 第2次全国工农兵代表大会 | R
wu-ge-bi-yu/tong-qiang-tie-bi-chang-he | 瑞金、第三次全国工农兵代表大会 | P
xin-fang-min-sheng/shi-liu-ge-bu-men | 十六个 | R
xin-fang-min-sheng/shi-liu-ge-bu-men | 16个 | R
xin-fang-min-sheng/shi-liu-ge-bu-men | B | R
xin-fang-min-sheng/shi-liu-ge-bu-men | 十二个 | W
xin-fang-min-sheng/min-sheng-gong-cheng-2011 | 73.2% | R
xin-fang-min-sheng/min-sheng-gong-cheng-2011 | 67.5% | W
qun-zhong-lu-xian/san-bu-zou | 2000年 建党一百年 建国一百年 | R
qun-zhong-lu-xian/san-bu-zou | 二〇〇〇年、建党100年、建国100年 | R
qun-zhong-lu-xian/san-bu-zou | 2001年、建党一百年、建国一百年 | P
# ---- 5. List items: frames, abbreviations, extras.
t/zhuan-hua | 转化、感化、深化 | R
t/zhuan-hua | 要转化、要感化、要深化 | R
t/zhuan-hua | 坚持转化、坚持感化、坚持深化 | R
t/zhuan-hua | 在转化上下功夫、在感化上下功夫 | P
t/zhuan-hua | 在转化上下功夫，在教化上下功夫，在深化上下功夫 | P
t/zhuan-hua | 转化、感化、深化、美化 | P
t/zhuan-hua | 不转化、不感化、不深化 | W
t/zhuan-hua | 同化、美化、绿化 | W
ji-ceng-gong-zuo-fang-fa/si-ge-xiao-lie-ju | 从小事做起、从小道理讲起、从小学生当起、从小问题改起 | R
ji-ceng-gong-zuo-fang-fa/si-ge-xiao-lie-ju | 小事、小道理、小学生、小问题 | R
ji-ceng-gong-zuo-fang-fa/san-ge-jian-chi | 思想上尊重群众、感情上贴近群众、工作上依靠群众 | R
ji-ceng-gong-zuo-fang-fa/san-ge-jian-chi | 要坚持思想上尊重群众、感情上贴近群众、工作上依靠群众 | R
ji-ceng-gong-zuo-fang-fa/san-ge-jian-chi | 尊重群众、贴近群众、依靠群众 | R
ji-ceng-gong-zuo-fang-fa/san-ge-jian-chi | 思想上依靠群众、感情上贴近群众、工作上尊重群众 | PW
ba-xiang-gui-ding/ba-xiang-lie-ju | 改进调查研究、精简会议活动、精简文件简报、规范出访活动、改进警卫工作、改进新闻报道、严格文稿发表、厉行勤俭节约 | R
ba-xiang-gui-ding/ba-xiang-lie-ju | 调查研究 会议活动 文件简报 出访活动 警卫工作 新闻报道 文稿发表 勤俭节约 | R
ba-xiang-gui-ding/ba-xiang-lie-ju | 调查 会议 文件 出访 警卫 新闻 文稿 节约 | P
ba-xiang-gui-ding/ba-xiang-lie-ju | 改进调查研究、精简会议活动、精简文件简报、规范出访活动、改进警卫工作、改进新闻报道、严格文稿发表、厉行勤俭节约、实事求是 | P
wu-ge-bi-yu/wu-ge-bi-yu-lie-ju | 铜墙铁壁、眼睛、上帝、土地、水 | R
wu-ge-bi-yu/wu-ge-bi-yu-lie-ju | 铜墙铁壁、眼睛、上帝、土地、水、种子 | P
wu-ge-bi-yu/wu-ge-bi-yu-lie-ju | 铜墙铁壁 眼镜 上帝 土地 水 | C
wu-ge-bi-yu/wu-ge-bi-yu-lie-ju | 銅牆鐵壁、眼睛、上帝、土地、水 | R
wu-ge-bi-yu/wu-ge-bi-yu-lie-ju | 铜墙铁壁、眼睛、上帝、土地、鱼和水 | R
san-da-zuo-feng/san-da-zuo-feng-lie-ju | 理论联系实际、密切联系群众、批评与自我批评 | R
san-da-zuo-feng/san-da-zuo-feng-lie-ju | 理论联系实际、密切联系群众、自我批评 | P
ji-ceng-gong-zuo-fang-fa/wu-zhong-neng-li-lie-ju | 深入群众的能力、组织群众的能力、沟通群众的能力、服务群众的能力、化解矛盾的能力 | R
ji-ceng-gong-zuo-fang-fa/wu-zhong-neng-li-lie-ju | 深入群众、组织群众、沟通群众、服务群众、化解矛盾 | R
qun-zhong-gong-zuo-fang-fa/san-wen-lie-ju | 问需于民、问计于民、问效于民 | R
qun-zhong-gong-zuo-fang-fa/san-wen-lie-ju | 问需、问计、问效 | CP
wu-ge-bi-yu/liang-zuo-da-shan | 帝国主义、封建主义 | R
wu-ge-bi-yu/liang-zuo-da-shan | 帝国主义、封建主义、官僚资本主义 | P
wu-ge-bi-yu/liang-zuo-da-shan | 帝国主义和封建主义 | R
qun-zhong-gong-zuo-fang-fa/san-bu-lie-ju | 绝不失态、绝不伸手、绝不争利 | R
qun-zhong-gong-zuo-fang-fa/san-bu-lie-ju | 不失态、不伸手、不与民争利 | R
qun-zhong-gong-zuo-fang-fa/san-bu-lie-ju | 失态、伸手、争利 | W
qun-zhong-gong-zuo-fang-fa/san-bu-lie-ju | 绝不失态、绝不伸手、绝不推诿 | P
qun-zhong-lu-xian/bu-gan-bu-neng-bu-yi | 不敢腐、不能腐、不易腐 | R
qun-zhong-lu-xian/bu-gan-bu-neng-bu-yi | 敢腐、能腐、易腐 | W
qun-zhong-lu-xian/bu-gan-bu-neng-bu-yi | 不敢腐的惩戒机制、不能腐的防范机制、不易腐的保障机制 | R
ji-ceng-gong-zuo-fang-fa/zhi-xin-wu-qin | 脑勤 手勤 腿勤 眼勤 口勤 | R
ji-ceng-gong-zuo-fang-fa/zhi-xin-wu-qin | 手勤脑勤腿勤眼勤口勤 | R
ji-ceng-gong-zuo-fang-fa/zhi-xin-wu-qin | 脑勤 手勤 腿勤 眼勤 | P
ji-ceng-gong-zuo-fang-fa/zhi-xin-wu-qin | 脑勤 手勤 腿勤 眼勤 口勤 心勤 | P
xin-fang-min-sheng/si-ge-shen-ke | 经济体制深刻变革、社会结构深刻变动、利益格局深刻调整、思想观念深刻变化 | R
qun-zhong-lu-xian/si-feng-lie-ju | 形式主义、官僚主义、享乐主义、奢靡之风 | R
qun-zhong-lu-xian/si-feng-lie-ju | 形式主义、官僚主义、享乐主义、奢靡的风 | RC
qun-zhong-lu-xian/si-feng-lie-ju | 形式主义、官僚主义、享乐主义、命令主义 | P
# ---- 8. 不知道 and 不会 are plainly wrong, on every kind.
ba-xiang-gui-ding/kai-duan-hui | 不会 | W
ba-xiang-gui-ding/kai-duan-hui | 不清楚 | W
ba-xiang-gui-ding/ba-xiang-duo-xuan | 不知道 | W
ba-xiang-gui-ding/zhi-ding-pan-duan | 不知道 | W
qun-zhong-lu-xian/zong-zhi | 不知道 | W
wu-ge-bi-yu/wu-ge-bi-yu-lie-ju | 不知道 | W
ba-xiang-gui-ding/di-er-tiao | 不会 | W
# ---- Choice, multi and judge as people type them.
ba-xiang-gui-ding/kai-duan-hui | B | R
ba-xiang-gui-ding/kai-duan-hui | 选B | R
ba-xiang-gui-ding/kai-duan-hui | 精简会议活动 | R
ba-xiang-gui-ding/kai-duan-hui | A | W
ba-xiang-gui-ding/ba-xiang-duo-xuan | ABDE | R
ba-xiang-gui-ding/ba-xiang-duo-xuan | ABD | P
ba-xiang-gui-ding/ba-xiang-duo-xuan | ABCDE | W
ba-xiang-gui-ding/zhi-ding-pan-duan | 对 | R
ba-xiang-gui-ding/zhi-ding-pan-duan | 不对 | W
ba-xiang-gui-ding/shun-xu-pan-duan | 错 | R
ba-xiang-gui-ding/shun-xu-pan-duan | √ | W
ba-xiang-gui-ding/ba-xiang-lie-ju | 1.改进调查研究 2.精简会议活动 3.精简文件简报 4.规范出访活动 5.改进警卫工作 6.改进新闻报道 7.严格文稿发表 8.厉行勤俭节约 | R
ba-xiang-gui-ding/ba-xiang-lie-ju | ①改进调查研究②精简会议活动③精简文件简报④规范出访活动⑤改进警卫工作⑥改进新闻报道⑦严格文稿发表⑧厉行勤俭节约 | R
san-da-zuo-feng/san-da-zuo-feng-lie-ju | 一是理论和实践相结合，二是与人民群众密切联系，三是批评和自我批评 | R
san-da-zuo-feng/san-da-zuo-feng-lie-ju | （1）理论和实践相结合（2）与人民群众密切联系（3）批评和自我批评 | RC
san-da-zuo-feng/san-da-zuo-feng-lie-ju | 理论和实践相脱离、与人民群众密切联系、批评和自我批评 | P
qun-zhong-lu-xian/sheng-ming-xian | 生命线 基本工作路线 | PW
wu-ge-bi-yu/shang-di-chu-chu | 七大开幕词《愚公移山》 | PW
";

/// The rows of [`TABLE`].
fn rows() -> Vec<(&'static str, &'static str, &'static str)> {
    TABLE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut cells = l.split(" | ");
            let mut next = || cells.next().unwrap_or_else(|| panic!("bad row {l}"));
            (next(), next(), next())
        })
        .collect()
}

fn code(outcome: Outcome) -> char {
    match outcome {
        Outcome::Correct => 'R',
        Outcome::Close => 'C',
        Outcome::Partial => 'P',
        Outcome::Wrong => 'W',
    }
}

#[test]
fn the_teacher_table_has_at_least_200_rows() {
    assert!(rows().len() >= 200, "{} rows", rows().len());
    for (path, _, accepted) in rows() {
        find(path);
        assert!(
            !accepted.is_empty() && accepted.chars().all(|c| "RCPW".contains(c)),
            "{path}: {accepted}"
        );
    }
}

#[test]
fn every_row_gets_a_verdict_the_teacher_accepts() {
    let mut failures = Vec::new();
    let rows = rows();
    for (path, answer, accepted) in &rows {
        let v = grade(find(path), answer);
        if !accepted.contains(code(v.outcome)) {
            failures.push(format!(
                "{path} {answer:?}: teacher {accepted}, got {:?} {:.2} missing {:?} extra {:?} misplaced {:?} slips {:?}",
                v.outcome, v.score, v.missing, v.extra, v.misplaced, v.slips
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows wrong:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// Rule 6: every message names what the learner wrote and what the card
/// expects. Over the whole table: nothing the learner wrote is reported
/// as not answered, every slip's text is in the answer and in the card,
/// and every extra is something the learner wrote.
#[test]
fn explanations_are_true_for_every_row() {
    let mut failures = Vec::new();
    for (path, answer, _) in rows() {
        let card = find(path);
        let v = grade(card, answer);
        let given = fold(answer);
        let expected = fold(&card.answer_text());
        for p in &v.parts {
            if p.status == PartStatus::Missing && p.given.is_none() {
                let want = fold(&p.expected);
                if given.contains(&want) && v.outcome != Outcome::Wrong {
                    failures.push(format!("{path} {answer:?}: “{}” 未答出", p.expected));
                }
            }
        }
        for s in &v.slips {
            if !given.contains(&s.given) || !expected.contains(&s.expected) {
                failures.push(format!("{path} {answer:?}: slip {s:?}"));
            }
        }
        // Choice extras are the options chosen, named by letter and text.
        let typed = matches!(
            card.body,
            crate::deck::Body::Qa { .. }
                | crate::deck::Body::Fill { .. }
                | crate::deck::Body::List { .. }
        );
        for e in v.extra.iter().filter(|_| typed) {
            let e = fold(e);
            let written = super::parts::split_items(answer)
                .iter()
                .any(|piece| fold(piece).contains(&e) || strip(&fold(piece)).contains(&e))
                || given.contains(&e);
            if !written {
                failures.push(format!("{path} {answer:?}: extra {e:?} not written"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Conjunctions are dropped from extras ("和发展经济" may be shown as
/// "发展经济").
fn strip(text: &str) -> String {
    text.replace('和', "")
}

#[test]
fn swapped_blanks_are_misplaced_never_missing() {
    let v = grade(
        find("ba-xiang-gui-ding/di-er-tiao"),
        "短会 短话 会风 空话 套话",
    );
    assert_eq!(v.outcome, Outcome::Partial);
    assert!(v.missing.is_empty(), "{:?}", v.missing);
    assert_eq!(v.misplaced, vec!["会风", "短会", "短话"]);
    assert!((v.score - 0.7).abs() < 1e-9, "{}", v.score);
    assert_eq!(v.right_parts(), (2, 5));
}

#[test]
fn an_order_free_pair_takes_any_order() {
    let card = find("xin-fang-min-sheng/bi-xiu-ke");
    for answer in ["基本功 必修课", "做好群众工作是领导干部的基本功和必修课"]
    {
        let v = grade(card, answer);
        assert_eq!(v.outcome, Outcome::Correct, "{answer}: {v:?}");
        assert!(v.misplaced.is_empty() && v.missing.is_empty());
    }
    // Outside the group, order still counts.
    let v = grade(find("t/he-pair"), "知行统一 实事求是 群众路线");
    assert_eq!(v.outcome, Outcome::Partial);
    assert!(v.misplaced.contains(&"知行统一".to_owned()), "{v:?}");
    assert!(v.missing.is_empty());
}

#[test]
fn the_issue_list_row_and_item_three_only_partial() {
    let v = grade(
        find("san-da-zuo-feng/san-da-zuo-feng-lie-ju"),
        "理论和实践相结合的作风、与人民群众紧密地联系在一起的作风、自我批评的作风",
    );
    let status: Vec<PartStatus> = v.parts.iter().map(|p| p.status).collect();
    assert_eq!(
        status,
        vec![PartStatus::Right, PartStatus::Right, PartStatus::Incomplete]
    );
    assert!(v.extra.is_empty() && v.missing.is_empty(), "{v:?}");
    assert_eq!(v.parts[2].given.as_deref(), Some("自我批评的作风"));
}

#[test]
fn abbreviations_are_judged_alike_for_every_item() {
    let v = grade(
        find("ba-xiang-gui-ding/ba-xiang-lie-ju"),
        "改进调查研究 精简会议 精简文件简报 规范出访 改进警卫 新闻报道 严格文稿 勤俭节约",
    );
    assert_eq!(v.outcome, Outcome::Close);
    assert!(v.extra.is_empty() && v.missing.is_empty(), "{v:?}");
    for (i, short) in [
        (1, "精简会议"),
        (3, "规范出访"),
        (4, "改进警卫"),
        (6, "严格文稿"),
    ] {
        assert_eq!(v.parts[i].status, PartStatus::Slip, "{short}");
        assert_eq!(v.parts[i].given.as_deref(), Some(short));
    }
    // Two characters of six lose what is essential: partial credit for
    // each item, the same for all.
    let v = grade(
        find("ba-xiang-gui-ding/ba-xiang-lie-ju"),
        "调查 会议 文件 出访 警卫 新闻 文稿 节约",
    );
    assert!(
        v.parts.iter().all(|p| p.status == PartStatus::Incomplete),
        "{v:?}"
    );
    assert!((v.score - 0.5).abs() < 1e-9);
}

#[test]
fn extra_wrong_items_lower_the_score() {
    let card = find("wu-ge-bi-yu/wu-ge-bi-yu-lie-ju");
    let right = grade(card, "铜墙铁壁、眼睛、上帝、土地、水").score;
    let one = grade(card, "铜墙铁壁、眼睛、上帝、土地、水、种子").score;
    let two = grade(card, "铜墙铁壁、眼睛、上帝、土地、水、种子、桥").score;
    assert!(right > one && one > two, "{right} {one} {two}");
    // Frames around items are not extras.
    let v = grade(
        find("t/zhuan-hua"),
        "在转化上下功夫，在感化上下功夫，在深化上下功夫",
    );
    assert!(v.extra.is_empty(), "{:?}", v.extra);
}

#[test]
fn words_around_the_key_are_no_slip() {
    let v = grade(
        find("san-da-zuo-feng/ti-chu-chang-he"),
        "毛泽东在党的七大上",
    );
    assert_eq!(v.outcome, Outcome::Correct);
    assert!(v.slips.is_empty());
    // Half the key content, nothing else said: half the credit.
    let v = grade(find("san-da-zuo-feng/ti-chu-chang-he"), "七大");
    assert_eq!(v.outcome, Outcome::Partial);
    assert!((v.score - 0.5).abs() < 1e-9, "{}", v.score);
    let v = grade(
        find("qun-zhong-lu-xian/zong-zhi"),
        "党的宗旨是全心全意为人民服务和发展经济",
    );
    assert_eq!(v.outcome, Outcome::Partial);
    assert_eq!(v.extra, vec!["和发展经济"]);
}

#[test]
fn dont_know_is_plainly_wrong() {
    for path in [
        "ba-xiang-gui-ding/kai-duan-hui",
        "ba-xiang-gui-ding/ba-xiang-duo-xuan",
        "ba-xiang-gui-ding/zhi-ding-pan-duan",
    ] {
        for answer in ["不知道", "不会"] {
            let v = grade(find(path), answer);
            assert_eq!(v.outcome, Outcome::Wrong);
            assert_eq!(v.note, None, "{path} {answer}: {:?}", v.note);
        }
    }
    // An unreadable choice answer still gets the hint.
    let v = grade(find("ba-xiang-gui-ding/kai-duan-hui"), "嗯");
    assert!(v.note.is_some_and(|n| n.contains("选项字母")));
}
