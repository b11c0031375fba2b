//! Unix times as UTC ISO 8601 text, and durations in words, without a date library.

use super::lang::Lang;

/// `1744521785` → `2025-04-13T05:23:05Z`. Times beyond year 9999 are shown as plain seconds.
pub fn utc(secs: u64) -> String {
    if secs > 253_402_300_799 {
        return format!("{secs} s after 1970-01-01");
    }
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's well-known algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A duration in words: `8 s`, `1 min 2 s`, `2 h 5 min` / `8 秒`, `1 分 2 秒`.
pub fn duration(secs: u64, lang: Lang) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let units = match lang {
        Lang::En => ["h", "min", "s"],
        Lang::Ja => ["時間", "分", "秒"],
    };
    let mut parts = Vec::new();
    for (n, unit) in [(h, units[0]), (m, units[1]), (s, units[2])] {
        if n > 0 {
            parts.push(format!("{n} {unit}"));
        }
    }
    if parts.is_empty() {
        parts.push(format!("0 {}", units[2]));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_times() {
        assert_eq!(utc(1744521785), "2025-04-13T05:23:05Z");
        assert_eq!(utc(1744521793), "2025-04-13T05:23:13Z");
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1418530010), "2014-12-14T04:06:50Z");
        assert_eq!(utc(951782400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(u64::MAX), "18446744073709551615 s after 1970-01-01");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(8, Lang::En), "8 s");
        assert_eq!(duration(62, Lang::En), "1 min 2 s");
        assert_eq!(duration(7500, Lang::Ja), "2 時間 5 分");
        assert_eq!(duration(0, Lang::En), "0 s");
    }
}
