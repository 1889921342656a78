//! Instants as users type them into a query form: epoch milliseconds, or an ISO 8601 date or
//! date-time. Shared by every command that takes a time range.

use serde_json::Value;

use crate::core::error::Error;
use crate::core::input::{Field, ParamType, wrong_type};

/// Instants before this (2001-09-09) are refused: they are almost surely epoch seconds.
const MIN_EPOCH_MS: u64 = 1_000_000_000_000;

const DAY_MS: i64 = 86_400_000;

/// An instant, as epoch milliseconds; a date alone is 00:00:00.000 UTC that day (the start of a
/// range).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Instant(pub u64);

/// The end of a range that includes its last day: as [`Instant`], except that a date alone is
/// 23:59:59.999 UTC that day (`until: 2026-12-31` covers the 31st), as the Ads and Lead Sync
/// commands read `end` and `until`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Until(pub u64);

/// Epoch milliseconds (a number or digits), or an ISO 8601 date (`2026-01-31`, 00:00 UTC) or
/// date-time (`2026-01-31T09:30:00Z`, `…+02:00`; UTC without an offset).
impl Field for Instant {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        read_ms(value, name, false).map(Instant)
    }
}

/// As [`Instant`], a date alone being the last millisecond of that day.
impl Field for Until {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        read_ms(value, name, true).map(Until)
    }
}

fn read_ms(value: &Value, name: &str, end_of_day: bool) -> Result<u64, Error> {
    let ms = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if s.trim().bytes().all(|b| b.is_ascii_digit()) => s.trim().parse().ok(),
        Value::String(s) => {
            let text = s.trim();
            let date_only = text.len() == 10;
            iso_ms(text).map(|ms| match date_only && end_of_day {
                true => ms + DAY_MS as u64 - 1,
                false => ms,
            })
        }
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

/// `YYYY-MM-DD[THH:MM[:SS[.fff]][Z|±HH:MM]]` as epoch milliseconds.
pub fn iso_ms(text: &str) -> Option<u64> {
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
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let mut ms = days * DAY_MS;
    if text.len() > 10 {
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
    }
    u64::try_from(ms).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
            "2026-1-31",
            "31/01/2026",
            "2026-01-31T24:00:00Z",
            "2026-01-31T09:30:00.Z",
            "2026-01-31T09:30:00+0200",
            "2026-01-31T09:30:00Zx",
            "2026-01-31X",
            "yesterday",
        ] {
            assert_eq!(iso_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn instants_as_input() {
        let read = |v: Value| Instant::read(&v, "since");
        assert_eq!(
            read(json!(1_769_817_600_000u64)).unwrap(),
            Instant(1_769_817_600_000)
        );
        assert_eq!(
            read(json!("1769817600000")).unwrap(),
            Instant(1_769_817_600_000)
        );
        assert_eq!(
            read(json!("2026-01-31")).unwrap(),
            Instant(1_769_817_600_000)
        );
        for bad in [json!(1_769_817_600), json!(-1), json!("soon"), json!(true)] {
            assert_eq!(
                read(bad.clone()).unwrap_err().field(),
                Some("since"),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_until_date_is_the_end_of_that_day() {
        let read = |v: Value| Until::read(&v, "until");
        assert_eq!(read(json!("2026-12-31")).unwrap(), Until(1_798_761_599_999));
        assert_eq!(
            read(json!("2026-12-31T00:00:00Z")).unwrap(),
            Until(1_798_675_200_000)
        );
        assert_eq!(
            read(json!(1_798_675_200_000u64)).unwrap(),
            Until(1_798_675_200_000)
        );
        assert_eq!(read(json!("soon")).unwrap_err().field(), Some("until"));
    }
}
