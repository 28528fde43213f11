//! Calendar dates from front matter (`YYYY-MM-DD`) and their display in each language.

use serde::Serialize;

/// A calendar date. Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How dates are written in one language: by a theme's `date_format` (with `{day}`, `{month}`,
/// `{month_name}`, `{year}`) and `months`, else by tebiki's own rules for Japanese, Chinese and
/// Korean, and the English way for the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateStyle {
    /// `2026年5月8日`.
    YearMonthDay,
    /// `2026년 5월 8일`.
    Korean,
    /// `8 May 2026`.
    English,
    /// A theme's pattern, with its month names when it uses them.
    Pattern {
        format: String,
        months: Option<Box<[String; 12]>>,
    },
}

impl DateStyle {
    /// tebiki's own rule for `lang` (`ja`, `zh-hant`, `ko`, or any other).
    pub fn of_language(lang: &str) -> DateStyle {
        match lang.split('-').next().unwrap_or(lang) {
            "ja" | "zh" => DateStyle::YearMonthDay,
            "ko" => DateStyle::Korean,
            _ => DateStyle::English,
        }
    }

    pub fn write(&self, date: Date) -> String {
        let month_name = |names: &[&str]| names[usize::from(date.month) - 1].to_string();
        match self {
            DateStyle::YearMonthDay => format!("{}年{}月{}日", date.year, date.month, date.day),
            DateStyle::Korean => format!("{}년 {}월 {}일", date.year, date.month, date.day),
            DateStyle::English => format!("{} {} {}", date.day, month_name(&MONTHS), date.year),
            DateStyle::Pattern { format, months } => {
                let name = match months {
                    Some(names) => names[usize::from(date.month) - 1].clone(),
                    None => month_name(&MONTHS),
                };
                format
                    .replace("{day}", &date.day.to_string())
                    .replace("{month_name}", &name)
                    .replace("{month}", &date.month.to_string())
                    .replace("{year}", &date.year.to_string())
            }
        }
    }
}

impl Date {
    /// Parses `YYYY-MM-DD` (a TOML datetime's date part is accepted as well: `2026-05-08T…`).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let date = text.split(['T', ' ']).next()?;
        let mut parts = date.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let year: u16 = y.parse().ok()?;
        let month: u8 = m.parse().ok()?;
        let day: u8 = d.parse().ok()?;
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The date as a reader of `lang` writes it without a theme's word on it: `8 May 2026`,
    /// `2026年5月8日`.
    pub fn display(&self, lang: &str) -> String {
        DateStyle::of_language(lang).write(*self)
    }

    /// The `{iso, display}` pair templates receive, written in `style`.
    pub fn for_template(&self, style: &DateStyle) -> TemplateDate {
        TemplateDate {
            iso: self.iso(),
            display: style.write(*self),
        }
    }

    /// Today's date in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// Converts a day count since 1970-01-01 (Howard Hinnant's civil-from-days algorithm).
    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// RFC 3339 midnight UTC, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        format!("{}T00:00:00Z", self.iso())
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TemplateDate {
    pub iso: String,
    pub display: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strictly() {
        assert_eq!(
            Date::parse("2026-05-08"),
            Some(Date {
                year: 2026,
                month: 5,
                day: 8
            })
        );
        assert!(Date::parse("2026-5-8").is_none());
        assert!(Date::parse("2026-02-30").is_none());
        assert!(Date::parse("May 8, 2026").is_none());
        assert!(Date::parse("2024-02-29").is_some());
    }

    #[test]
    fn displays_per_language() {
        let d = Date::parse("2026-05-08").unwrap();
        assert_eq!(d.display("en"), "8 May 2026");
        assert_eq!(d.display("ja"), "2026年5月8日");
        let numeric = DateStyle::Pattern {
            format: "{day}.{month}.{year}".into(),
            months: None,
        };
        assert_eq!(numeric.write(d), "8.5.2026");
    }

    #[test]
    fn days_since_epoch() {
        assert_eq!(Date::from_days_since_epoch(0).iso(), "1970-01-01");
        assert_eq!(Date::from_days_since_epoch(20_581).iso(), "2026-05-08");
    }
}
