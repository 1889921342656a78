//! Dates and instants as users give them: epoch milliseconds (a number or digits) or ISO 8601
//! (`2026-01-31`, `2026-01-31T09:30:00Z`, `…+02:00`). A range's start and end read a bare date
//! differently: a start is 00:00:00.000 UTC that day, an end 23:59:59.999 UTC that day, so
//! `end: 2026-12-31` covers the whole of that day.
//!
//! Written by hand: the `time` crate, with only its parsing, made the component 35 KB larger
//! for these few functions.

use std::fmt;

use serde_json::{Map, Value};

use crate::core::error::Error;
use crate::core::input::{Field, ParamType, wrong_type};

/// Instants before this (2001-09-09) are refused: they are almost surely epoch seconds.
const MIN_EPOCH_MS: u64 = 1_000_000_000_000;

pub const DAY_MS: i64 = 86_400_000;

/// An instant, as epoch milliseconds; a bare ISO date is 00:00:00.000 UTC that day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Instant(pub u64);

/// The end of a range, as epoch milliseconds; a bare ISO date is 23:59:59.999 UTC that day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EndInstant(pub u64);

impl Field for Instant {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        instant(value, name, false).map(Instant)
    }
}

impl Field for EndInstant {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        instant(value, name, true).map(EndInstant)
    }
}

/// Epoch milliseconds (a number or digits) or an ISO date or date-time; a bare date at the start
/// of its day, or at its last millisecond when `end`.
fn instant(value: &Value, name: &str, end: bool) -> Result<u64, Error> {
    let ms = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if s.trim().bytes().all(|b| b.is_ascii_digit()) => s.trim().parse().ok(),
        Value::String(s) => iso(s.trim()).and_then(|(ms, date_only)| match date_only && end {
            true => u64::try_from(ms + DAY_MS - 1).ok(),
            false => u64::try_from(ms).ok(),
        }),
        other => return Err(wrong_type(name, "a date or epoch milliseconds", other)),
    };
    match ms {
        Some(ms) if ms >= MIN_EPOCH_MS => Ok(ms),
        _ => Err(Error::invalid(
            name,
            format!(
                "`{name}` must be epoch milliseconds (not seconds), an ISO date such as \
                 2026-01-31, or a date-time such as 2026-01-31T09:30:00Z, not {value}."
            ),
        )),
    }
}

/// A calendar day (UTC), as LinkedIn's analytics take and give them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// The UTC day of an instant in epoch milliseconds.
    pub fn of_ms(ms: u64) -> Date {
        let days = i64::try_from(ms / DAY_MS as u64).unwrap_or(i64::MAX);
        civil_from_days(days)
    }
}

/// `2026-05-01`.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An ISO date (`2026-05-01`), or epoch milliseconds for the UTC day they fall on.
impl Field for Date {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        let date = match value {
            Value::String(s) if s.trim().len() == 10 => iso_date(s.trim()),
            Value::String(_) | Value::Number(_) => {
                instant(value, name, false).ok().map(Date::of_ms)
            }
            other => return Err(wrong_type(name, "an ISO date", other)),
        };
        date.ok_or_else(|| {
            Error::invalid(
                name,
                format!(
                    "`{name}` must be an ISO date such as 2026-01-31 (or epoch milliseconds), \
                     not {value}."
                ),
            )
        })
    }

    fn schema(schema: &mut Map<String, Value>) {
        schema.insert("format".into(), "date".into());
    }
}

/// `YYYY-MM-DD`, checked against the calendar.
fn iso_date(text: &str) -> Option<Date> {
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = text.get(from..from + len)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let at = |i: usize| text.as_bytes().get(i).copied();
    if at(4) != Some(b'-') || at(7) != Some(b'-') {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let days = usize::try_from(month - 1)
        .ok()
        .and_then(|m| month_days.get(m))?;
    if day < 1 || day > *days {
        return None;
    }
    Some(Date {
        year,
        month: u32::try_from(month).ok()?,
        day: u32::try_from(day).ok()?,
    })
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(date: Date) -> i64 {
    let (month, day) = (i64::from(date.month), i64::from(date.day));
    let y = if month <= 2 { date.year - 1 } else { date.year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// The day `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    Date {
        year: yoe + era * 400 + i64::from(month <= 2),
        month: u32::try_from(month).unwrap_or(1),
        day: u32::try_from(day).unwrap_or(1),
    }
}

/// `YYYY-MM-DD[THH:MM[:SS[.fff]][Z|±HH:MM]]` as epoch milliseconds (UTC without an offset), and
/// whether it was a bare date.
fn iso(text: &str) -> Option<(i64, bool)> {
    let date = iso_date(text.get(..10)?)?;
    let mut ms = days_from_civil(date) * DAY_MS;
    if text.len() == 10 {
        return Some((ms, true));
    }
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = text.get(from..from + len)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let at = |i: usize| text.as_bytes().get(i).copied();
    if !matches!(at(10), Some(b'T' | b't' | b' ')) || at(13) != Some(b':') {
        return None;
    }
    let (hour, minute) = (num(11, 2)?, num(14, 2)?);
    let mut i = 16;
    let mut second = 0;
    let mut millis = 0;
    if at(i) == Some(b':') {
        second = num(i + 1, 2)?;
        i += 3;
        if at(i) == Some(b'.') {
            i += 1;
            let mut scale = 100;
            let digits = i;
            while let Some(d) = at(i).filter(u8::is_ascii_digit) {
                millis += i64::from(d - b'0') * scale;
                scale /= 10;
                i += 1;
            }
            if i == digits {
                return None;
            }
        }
    }
    let offset = match (at(i), text.len() - i) {
        (None, _) | (Some(b'Z' | b'z'), 1) => 0,
        (Some(sign @ (b'+' | b'-')), 6) if at(i + 3) == Some(b':') => {
            let minutes = num(i + 1, 2)? * 60 + num(i + 4, 2)?;
            if sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    ms += ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis;
    Some((ms, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn iso_ms(text: &str) -> Option<i64> {
        iso(text).map(|(ms, _)| ms)
    }

    #[test]
    fn iso_instants() {
        assert_eq!(iso_ms("2026-01-31"), Some(1_769_817_600_000));
        assert_eq!(iso_ms("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(iso_ms("2026-01-31T09:30:00Z"), Some(1_769_851_800_000));
        assert_eq!(iso_ms("2026-01-31T09:30Z"), Some(1_769_851_800_000));
        assert_eq!(iso_ms("2026-01-31T09:30:00"), Some(1_769_851_800_000));
        assert_eq!(
            iso_ms("2026-01-31T11:30:00.5+02:00"),
            Some(1_769_851_800_500)
        );
        assert_eq!(
            iso_ms("2026-01-31T04:30:00.123-05:00"),
            Some(1_769_851_800_123)
        );
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-01",
            "2026-1-31",
            "31/01/2026",
            "2026-01-31T24:00:00Z",
            "2026-01-31T09:30:00.Z",
            "2026-01-31T09:30:00+0200",
            "2026-01-31T09:30:00Zx",
            "2026-01-31X",
            "2026-01-3é",
            "yesterday",
        ] {
            assert_eq!(iso_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_bare_date_starts_or_ends_its_day() {
        let start = |v: Value| Instant::read(&v, "start").map(|i| i.0);
        let end = |v: Value| EndInstant::read(&v, "end").map(|i| i.0);
        assert_eq!(start(json!("2026-12-31")).unwrap(), 1_798_675_200_000);
        assert_eq!(end(json!("2026-12-31")).unwrap(), 1_798_761_599_999);
        assert_eq!(
            end(json!("2026-12-31T10:00:00Z")).unwrap(),
            1_798_711_200_000,
            "a date-time is taken as given"
        );
        assert_eq!(end(json!(1_798_761_599_999u64)).unwrap(), 1_798_761_599_999);
        assert_eq!(start(json!("1769817600000")).unwrap(), 1_769_817_600_000);
        for bad in [json!(1_769_817_600), json!(-1), json!("soon"), json!(true)] {
            assert_eq!(
                start(bad.clone()).unwrap_err().field(),
                Some("start"),
                "{bad}"
            );
        }
    }

    #[test]
    fn dates_and_days_agree() {
        for days in [-719_468, -1, 0, 1, 19_000, 20_819, 2_932_896] {
            assert_eq!(days_from_civil(civil_from_days(days)), days, "{days}");
        }
        assert_eq!(civil_from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::of_ms(1_798_761_599_999).to_string(), "2026-12-31");
        let read = |v: Value| Date::read(&v, "dateRange.start");
        assert_eq!(read(json!("2024-02-29")).unwrap().to_string(), "2024-02-29");
        assert_eq!(
            read(json!(1_798_761_599_999u64)).unwrap().to_string(),
            "2026-12-31"
        );
        assert_eq!(
            read(json!("2026-01-31T23:30:00-02:00"))
                .unwrap()
                .to_string(),
            "2026-02-01",
            "a date-time gives its UTC day"
        );
        for bad in [json!("2025-02-29"), json!("31.01.2026"), json!([])] {
            assert_eq!(
                read(bad.clone()).unwrap_err().field(),
                Some("dateRange.start"),
                "{bad}"
            );
        }
    }
}
