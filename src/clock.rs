//! Time as dangke sees it: an instant passed in from outside (the system
//! clock, or `--now` / `DANGKE_NOW` for replayable sessions) and the local
//! study day, which rolls over at 04:00 like Anki's so a late-night session
//! counts as the same day.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, ToSpan, Zoned};

/// Hours after midnight at which a new study day begins.
pub const DAY_ROLLOVER_HOURS: i64 = 4;

/// The current instant and the time zone that defines study days.
#[derive(Debug, Clone)]
pub struct Clock {
    pub now: Timestamp,
    pub tz: TimeZone,
}

impl Clock {
    pub fn new(now: Timestamp, tz: TimeZone) -> Self {
        Clock { now, tz }
    }

    /// Seconds since the Unix epoch, as stored in the database.
    pub fn secs(&self) -> i64 {
        self.now.as_second()
    }

    /// The study day an instant falls on.
    pub fn day_of(&self, secs: i64) -> Date {
        let ts = Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH);
        let shifted = ts.to_zoned(self.tz.clone()) - DAY_ROLLOVER_HOURS.hours();
        shifted.date()
    }

    /// Today's study day.
    pub fn today(&self) -> Date {
        self.day_of(self.secs())
    }

    /// The instant a study day begins (04:00 local).
    pub fn day_start(&self, day: Date) -> i64 {
        let start = day
            .to_datetime(jiff::civil::time(DAY_ROLLOVER_HOURS as i8, 0, 0, 0))
            .to_zoned(self.tz.clone());
        start.map_or(self.secs(), |z: Zoned| z.timestamp().as_second())
    }

    /// When the current study day ends (the next 04:00 local).
    pub fn end_of_today(&self) -> i64 {
        self.day_start(self.today().saturating_add(Span::new().days(1)))
    }
}

/// Parses `--now`: RFC 3339 (`2026-03-01T09:00:00+08:00`).
pub fn parse_now(text: &str) -> Result<Timestamp, String> {
    text.trim()
        .parse::<Timestamp>()
        .map_err(|_| "应为 RFC 3339 时间，如 2026-03-01T09:00:00+08:00".to_owned())
}

/// Parses `--exam-date`: `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| "应为日期，如 2026-06-30".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai(now: &str) -> Clock {
        Clock::new(
            parse_now(now).unwrap(),
            TimeZone::get("Asia/Shanghai").unwrap(),
        )
    }

    #[test]
    fn the_study_day_rolls_over_at_four() {
        let late = shanghai("2026-03-01T02:30:00+08:00");
        assert_eq!(late.today(), jiff::civil::date(2026, 2, 28));
        let morning = shanghai("2026-03-01T04:00:00+08:00");
        assert_eq!(morning.today(), jiff::civil::date(2026, 3, 1));
        // The day ends at the next 04:00 local time (20:00 UTC).
        assert_eq!(
            morning.end_of_today(),
            parse_now("2026-03-02T04:00:00+08:00").unwrap().as_second()
        );
    }

    #[test]
    fn bad_times_and_dates_are_explained_in_chinese() {
        assert!(parse_now("昨天").unwrap_err().contains("RFC 3339"));
        assert!(parse_date("2026/6/30").unwrap_err().contains("2026-06-30"));
        assert_eq!(
            parse_date("2026-06-30").unwrap(),
            jiff::civil::date(2026, 6, 30)
        );
    }
}
