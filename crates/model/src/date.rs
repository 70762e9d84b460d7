//! Calendar dates (proleptic Gregorian), enough for publication dates and the
//! arithmetic that time normalization needs (weekdays, adding days).

use std::fmt;

use crate::{Error, Result};

/// A calendar day. Ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. 2024.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

impl Date {
    /// A date if `year-month-day` exists in the calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses the date part of an ISO 8601 value: `2024-12-01`, `2024-12-01T09:30:00Z`,
    /// `2024-12-01 09:30`. Surrounding whitespace is ignored.
    pub fn parse(input: &str) -> Result<Date> {
        let invalid = || Error::InvalidDate { input: input.to_string() };
        let s = input.trim();
        let date_part = s.get(..10).ok_or_else(invalid)?;
        let rest = &s[10..];
        if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
            return Err(invalid());
        }
        let bytes = date_part.as_bytes();
        if bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(invalid());
        }
        let year: i32 = digits(&date_part[0..4]).ok_or_else(invalid)?;
        let month: u8 = digits(&date_part[5..7]).ok_or_else(invalid)?;
        let day: u8 = digits(&date_part[8..10]).ok_or_else(invalid)?;
        Date::new(year, month, day).ok_or_else(invalid)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date `n` days later (earlier when negative).
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        ((self.to_days() + 3).rem_euclid(7) + 1) as u8
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Number of days in `month` of `year`.
pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.bytes().all(|b| b.is_ascii_digit()) { s.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_date_times() {
        assert_eq!(Date::parse("2024-12-01").unwrap(), Date::new(2024, 12, 1).unwrap());
        assert_eq!(Date::parse(" 2024-12-01T09:30:00Z ").unwrap().to_string(), "2024-12-01");
        assert!(Date::parse("2024-02-30").is_err());
        assert!(Date::parse("2024-1-1").is_err());
        assert!(Date::parse("yesterday").is_err());
        assert!(Date::parse("2024-12-01x").is_err());
        assert!(Date::parse("２０２４-12-01").is_err());
    }

    #[test]
    fn weekdays_and_day_arithmetic() {
        let sunday = Date::new(2024, 12, 1).unwrap();
        assert_eq!(sunday.weekday(), 7);
        assert_eq!(sunday.add_days(2).to_string(), "2024-12-03");
        assert_eq!(sunday.add_days(-1).to_string(), "2024-11-30");
        assert_eq!(Date::new(2000, 2, 29).unwrap().add_days(365).to_string(), "2001-02-28");
        for days in [-800_000, -1, 0, 1, 19_000, 2_000_000] {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
    }
}
