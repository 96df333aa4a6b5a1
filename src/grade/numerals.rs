//! Chinese numerals to Arabic digits for comparison, so 一九四四年 = 1944年,
//! 八项 = 8项 and 第二次 = 第2次. Applied to both sides of a comparison, so
//! over-eager conversion inside words (统一 → 统1) is harmless.

const UNITS: &str = "十百千万亿";

fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_numeral(c: char) -> bool {
    // A match, not `str::contains`: this runs for every character folded.
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
    )
}

/// Replaces every run of Chinese numerals that reads as a number with its
/// decimal digits. Runs of units alone (百姓, 千万) are left as they are,
/// except 十, which is a number by itself.
pub fn arabize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once('\0')) {
        if c != '\0' && is_numeral(c) {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            match convert(&run) {
                Some(n) => out.push_str(&n),
                None => out.push_str(&run),
            }
            run.clear();
        }
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

/// Dates written with separators (1943.7.2, 1943-07-02, 1943/7) as
/// 1943年7月2日, before punctuation is dropped. Only a four-digit year with a
/// valid month (and day) is read as a date, so 73.2% stays a number.
pub fn dates(text: &str) -> String {
    if !text.contains(['.', '-', '/']) {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let digits_at = |at: usize| -> usize {
        chars[at.min(chars.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let number = |from: usize, len: usize| -> u32 {
        chars[from..from + len]
            .iter()
            .fold(0, |n, c| n * 10 + c.to_digit(10).unwrap_or(0))
    };
    let is_sep = |at: usize| matches!(chars.get(at), Some('.' | '-' | '/'));
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let starts_run = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
        if starts_run && digits_at(i) == 4 && is_sep(i + 4) {
            let month_at = i + 5;
            let month_len = digits_at(month_at);
            let month = number(month_at, month_len);
            if (1..=2).contains(&month_len) && (1..=12).contains(&month) {
                let mut end = month_at + month_len;
                let mut day = None;
                if is_sep(end) {
                    let day_len = digits_at(end + 1);
                    let value = number(end + 1, day_len);
                    if (1..=2).contains(&day_len) && (1..=31).contains(&value) {
                        day = Some(value);
                        end += 1 + day_len;
                    }
                }
                let year: String = chars[i..i + 4].iter().collect();
                out.push_str(&format!("{year}年{month}月"));
                if let Some(day) = day {
                    out.push_str(&format!("{day}日"));
                }
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Tidies folded numbers: 第 before a number is dropped (第八条 = 8条) and
/// leading zeros of a month or day are dropped (1943年07月 = 1943年7月).
pub fn tidy(text: &str) -> String {
    if !text.contains(['第', '0']) {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if c == '第' && next.is_some_and(|n| n.is_ascii_digit()) {
            continue;
        }
        if c == '0' && next.is_some_and(|n| n.is_ascii_digit()) {
            // A zero leading a month or day: 年07月, 月02日.
            let run_start = chars[..i]
                .iter()
                .rposition(|p| !p.is_ascii_digit())
                .map_or(0, |p| p + 1);
            let run_end = chars[i..]
                .iter()
                .position(|p| !p.is_ascii_digit())
                .map_or(chars.len(), |p| p + i);
            let before = run_start.checked_sub(1).map(|p| chars[p]);
            let after = chars.get(run_end).copied();
            let leading = chars[run_start..i].iter().all(|&p| p == '0');
            if leading && matches!(before, Some('年' | '月')) && matches!(after, Some('月' | '日'))
            {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The decimal form of a run of numerals, if it reads as a number.
fn convert(run: &str) -> Option<String> {
    let has_digit = run.chars().any(|c| digit(c).is_some());
    if !has_digit && !run.starts_with('十') {
        return None;
    }
    if !run.chars().any(|c| UNITS.contains(c)) {
        // Digit by digit: 一九四四 → 1944.
        return Some(
            run.chars()
                .filter_map(digit)
                .map(|d| char::from(b'0' + d as u8))
                .collect(),
        );
    }
    value(run).map(|v| v.to_string())
}

/// Positional value of a numeral with units: 一千九百四十四 → 1944.
fn value(run: &str) -> Option<u64> {
    let mut total: u64 = 0; // completed 亿 groups
    let mut section: u64 = 0; // completed 万 groups within the current 亿
    let mut small: u64 = 0; // below 万
    let mut pending: Option<u64> = None;
    let mut last_small_unit: u64 = u64::MAX; // units below 万 must decrease
    for c in run.chars() {
        if let Some(d) = digit(c) {
            if pending.is_some() && d != 0 {
                return None; // two digits in a row with units: not a number
            }
            pending = (d != 0).then_some(d);
            continue;
        }
        let unit: u64 = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            '亿' => 100_000_000,
            _ => return None,
        };
        match unit {
            10 | 100 | 1000 => {
                let d = pending.take().unwrap_or(if unit == 10 { 1 } else { 0 });
                if d == 0 || unit >= last_small_unit {
                    return None;
                }
                last_small_unit = unit;
                small = small.checked_add(d.checked_mul(unit)?)?;
            }
            10_000 => {
                let group = small.checked_add(pending.take().unwrap_or(0))?;
                section = section.checked_add(group.checked_mul(10_000)?)?;
                small = 0;
                last_small_unit = u64::MAX;
            }
            _ => {
                let group = section
                    .checked_add(small)?
                    .checked_add(pending.take().unwrap_or(0))?;
                total = total.checked_add(group.checked_mul(100_000_000)?)?;
                section = 0;
                small = 0;
                last_small_unit = u64::MAX;
            }
        }
    }
    total
        .checked_add(section)?
        .checked_add(small)?
        .checked_add(pending.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::{arabize, dates};

    #[test]
    fn a_date_with_separators_is_read_and_the_text_after_it_kept() {
        assert_eq!(dates("1943.7.2，发表宣言"), "1943年7月2日，发表宣言");
        assert_eq!(dates("于1943-07-02在延安"), "于1943年7月2日在延安");
        assert_eq!(dates("1943/7 延安"), "1943年7月 延安");
        // Not a date: no four-digit year, or no valid month.
        assert_eq!(dates("73.2%的党员"), "73.2%的党员");
        assert_eq!(dates("1943.13.2"), "1943.13.2");
    }

    #[test]
    fn years_and_counts_become_digits() {
        assert_eq!(arabize("一九四四年"), "1944年");
        assert_eq!(arabize("八项规定"), "8项规定");
        assert_eq!(arabize("第二次"), "第2次");
        assert_eq!(arabize("两座大山"), "2座大山");
        assert_eq!(arabize("一九四五年十月十七日"), "1945年10月17日");
        assert_eq!(arabize("二〇一二年"), "2012年");
    }

    #[test]
    fn numbers_with_units() {
        assert_eq!(arabize("十"), "10");
        assert_eq!(arabize("十八大"), "18大");
        assert_eq!(arabize("二十"), "20");
        assert_eq!(arabize("一百零五"), "105");
        assert_eq!(arabize("一千九百四十四"), "1944");
        assert_eq!(arabize("三万五千"), "35000");
        assert_eq!(arabize("两亿零三"), "200000003");
    }

    #[test]
    fn unit_words_without_digits_stay() {
        assert_eq!(arabize("百姓"), "百姓");
        assert_eq!(arabize("千百万群众"), "千百万群众");
        assert_eq!(arabize("万众一心"), "万众1心");
    }

    #[test]
    fn nonsense_runs_stay_as_written() {
        assert_eq!(arabize("三十十"), "三十十");
        assert_eq!(arabize(""), "");
        assert_eq!(arabize("abc"), "abc");
    }

    #[test]
    fn two_digits_in_a_row_before_a_unit_are_not_a_number() {
        // 一二百 is no number (a slip, or 一两百 "one or two hundred"):
        // reading it as 200 would make a wrong answer right.
        assert_eq!(arabize("一二百"), "一二百");
        assert_eq!(arabize("三五十人"), "三五十人");
        // A zero between digits and units is fine: 一千零五十 → 1050.
        assert_eq!(arabize("一千零五十"), "1050");
        assert_eq!(arabize("二十万零三百"), "200300");
    }
}
