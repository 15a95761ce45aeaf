//! What a report may say about the visitor, and nothing more: the hour (not the minute) of the
//! run, the browser family and major version (not the user agent), and a random id that links
//! to nothing. Reports never carry an IP address; collectors derive country and network from
//! the connection and then forget the address.

/// `YYYY-MM-DD HH:00:00` (UTC) for a Unix time in milliseconds.
pub fn utc_hour(unix_ms: f64) -> String {
    let hours = (unix_ms / 3_600_000.0).floor() as i64;
    let (days, hour) = (hours.div_euclid(24), hours.rem_euclid(24));
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:00:00")
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The inverse of [`civil_from_days`]: days since 1970-01-01 of a valid date.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether `text` is a timestamp of the form [`utc_hour`] writes.
pub fn is_hour_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits =
        |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    bytes.len() == 19
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && digits(11..13)
        && &text[4..5] == "-"
        && &text[7..8] == "-"
        && &text[10..11] == " "
        && &text[13..] == ":00:00"
}

/// Browser family and major version from a user agent (`Chrome 156`, `Firefox 140`,
/// `Yandex 25`), or `unknown`. The rest of the user agent is never kept.
pub fn browser_family(user_agent: &str) -> String {
    // Order matters: Edge, Opera, Samsung and Yandex also say "Chrome"; Chrome also says "Safari".
    const FAMILIES: &[(&str, &str)] = &[
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("YaBrowser/", "Yandex"),
        ("SamsungBrowser/", "Samsung"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ];
    FAMILIES
        .iter()
        .find_map(|(marker, family)| {
            let after = &user_agent[user_agent.find(marker)? + marker.len()..];
            let major: String = after.chars().take_while(char::is_ascii_digit).take(4).collect();
            (!major.is_empty()).then(|| format!("{family} {major}"))
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A report id from 16 random bytes: 32 lower-case hex digits.
pub fn report_id(random: [u8; 16]) -> String {
    random.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn is_report_id(text: &str) -> bool {
    text.len() == 32 && text.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_times_down_to_the_utc_hour() {
        assert_eq!(utc_hour(0.0), "1970-01-01 00:00:00");
        // 2026-11-26 12:34:56.789 UTC
        assert_eq!(utc_hour(1_795_696_496_789.0), "2026-11-26 12:00:00");
        // leap day, last millisecond of an hour
        assert_eq!(utc_hour(1_709_222_399_999.0), "2024-02-29 15:00:00");
        assert_eq!(utc_hour(951_782_400_000.0), "2000-02-29 00:00:00");
        assert!(is_hour_timestamp(&utc_hour(1_795_696_496_789.0)));
        for bad in
            ["2026-11-26 12:34:00", "2026-11-26T12:00:00", "2026-11-26 12:00", "20x6-11-26 12:00:00", ""]
        {
            assert!(!is_hour_timestamp(bad), "{bad}");
        }
    }

    #[test]
    fn keeps_only_family_and_major_version() {
        for (agent, expected) in [
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.108 Safari/537.36", "Chrome 156"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0", "Edge 140"),
            ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/138.0.0.0 YaBrowser/25.6.0.0 Safari/537.36", "Yandex 25"),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "Firefox 140"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1", "Safari 18"),
            ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 SamsungBrowser/27.0 Chrome/125.0 Mobile Safari/537.36", "Samsung 27"),
            ("curl/8.5.0", "unknown"),
            ("", "unknown"),
        ] {
            assert_eq!(browser_family(agent), expected, "{agent}");
        }
    }

    #[test]
    fn report_ids_are_hex() {
        let id = report_id([0xab; 16]);
        assert_eq!(id, "ab".repeat(16));
        assert!(is_report_id(&id));
        assert!(!is_report_id("AB".repeat(16).as_str()) && !is_report_id("abc"));
    }
}
