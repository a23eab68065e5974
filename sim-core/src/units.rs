//! Human units in scenario files: durations ("30s", "4h", "5y", "1h30m") and
//! percentages ("99.95%"). Values are stored in SI base units (seconds, fractions).
//! A year is 365 days (8,760 h), the convention of availability tables.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::de::value_error;

pub const SECS_PER_YEAR: f64 = 365.0 * 86_400.0;

const UNITS: &[(&str, f64)] = &[
    ("ms", 0.001),
    ("s", 1.0),
    ("m", 60.0),
    ("h", 3_600.0),
    ("d", 86_400.0),
    ("w", 7.0 * 86_400.0),
    ("y", SECS_PER_YEAR),
];

/// A non-negative duration in seconds.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Duration {
    pub secs: f64,
}

impl Duration {
    pub const fn from_secs(secs: f64) -> Duration {
        Duration { secs }
    }
}

impl Duration {
    /// For people: the two largest units, rounded to the smaller ("3h 34m" for
    /// 3 h 33 min 47 s, "52m 34s"); below a
    /// minute to a tenth of a second ("1.5s", "6s"), below a second to the millisecond
    /// ("0.609s"), so a 1.49 s failover does not read as 1 s.
    pub fn human(self) -> String {
        let s = self.secs;
        if s < 1.0 {
            return format!("{}s", (s * 1000.0).round() / 1000.0);
        }
        if s < 59.95 {
            return self.span();
        }
        let units = [("y", SECS_PER_YEAR), ("d", 86_400.0), ("h", 3_600.0), ("m", 60.0), ("s", 1.0)];
        let total = s.round();
        let Some(mut i) = units.iter().position(|&(_, u)| total >= u) else { return "0s".into() };
        loop {
            let (big, bu) = units[i];
            let Some(&(small, su)) = units.get(i + 1) else { return format!("{total}{big}") };
            // Rounded to the smaller unit, carried into the larger: 50 y less a second
            // is "50y", not "49y 364d".
            let count = (total / su).round();
            let per = (bu / su).round();
            let major = (count / per).floor();
            let minor = count - major * per;
            if i > 0 && major * bu >= units[i - 1].1 {
                i -= 1;
                continue;
            }
            return if minor > 0.0 { format!("{major}{big} {minor}{small}") } else { format!("{major}{big}") };
        }
    }
}

impl Duration {
    /// An instant since the start of a run, to the millisecond: "60d 00:15:03.609",
    /// "00:00:06.000" (days only when there are any).
    pub fn clock(self) -> String {
        let ms = (self.secs.max(0.0) * 1000.0).round() as u64;
        let (days, rest) = (ms / 86_400_000, ms % 86_400_000);
        let (h, m, s, milli) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
        let time = format!("{h:02}:{m:02}:{s:02}.{milli:03}");
        if days > 0 {
            format!("{days}d {time}")
        } else {
            time
        }
    }

    /// A length for people, to a tenth of a second below a minute ("3.6s", "6s") and
    /// as [`Duration::human`] above it ("2h", "1h 15m").
    pub fn span(self) -> String {
        let s = self.secs;
        if s >= 60.0 {
            return self.human();
        }
        // A break shorter than a tenth (a transfer switch's 21 ms) is not "0s".
        if s > 0.0 && s < 0.05 {
            return format!("{}ms", (s * 1000.0).round().max(1.0));
        }
        let tenths = (s * 10.0).round() / 10.0;
        if tenths.fract() == 0.0 {
            format!("{tenths:.0}s")
        } else {
            format!("{tenths:.1}s")
        }
    }
}

impl Duration {
    /// A length to the millisecond, for figures a gate compares with a target: every
    /// unit from the largest present down to the last that is not zero ("3h 0m 30s",
    /// "10m", "1m 10s", "3.609s", "0s"), so a failing figure never reads as its target.
    pub fn exact(self) -> String {
        let ms = (self.secs.max(0.0) * 1000.0).round() as u64;
        let milli = ms % 1000;
        let seconds = if milli == 0 {
            format!("{}s", ms / 1000 % 60)
        } else {
            format!("{}.{}s", ms / 1000 % 60, format!("{milli:03}").trim_end_matches('0'))
        };
        let mut parts: Vec<(u64, String)> = vec![
            (ms / 86_400_000, format!("{}d", ms / 86_400_000)),
            (ms / 3_600_000 % 24, format!("{}h", ms / 3_600_000 % 24)),
            (ms / 60_000 % 60, format!("{}m", ms / 60_000 % 60)),
            (ms % 60_000, seconds),
        ];
        // From the largest unit present, down to the last that is not zero.
        while parts.len() > 1 && parts[0].0 == 0 {
            parts.remove(0);
        }
        while parts.len() > 1 && parts[parts.len() - 1].0 == 0 {
            parts.pop();
        }
        parts.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(" ")
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // Round away float noise (0.1 + 0.2) before choosing the largest exact unit.
        let round = |v: f64| (v * 1e6).round() / 1e6;
        let s = self.secs;
        for &(unit, scale) in UNITS.iter().rev() {
            let v = round(s / scale);
            if s >= scale * 0.999_999 && v.fract() == 0.0 {
                return write!(f, "{v}{unit}");
            }
        }
        if s > 0.0 && s < 1.0 {
            return write!(f, "{}ms", round(s * 1000.0));
        }
        write!(f, "{}s", round(s))
    }
}

/// Parses "1h30m", "0.5s", "100ms", "5y".
pub fn parse_duration(text: &str) -> Result<Duration, (String, String)> {
    let help = "write a number and a unit: ms, s, m, h, d, w or y (e.g. \"30s\", \"4h\", \"1h30m\")".to_string();
    let t = text.trim();
    if t.starts_with('-') {
        return Err((format!("negative duration \"{text}\""), "durations cannot be negative".into()));
    }
    if t.is_empty() {
        return Err(("empty duration".into(), help));
    }
    let mut total = 0.0;
    let mut rest = t;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let unit_len = rest[num_len..].find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len() - num_len);
        let (num, unit) = (&rest[..num_len], rest[num_len..num_len + unit_len].trim());
        let value: f64 = match num.parse() {
            Ok(v) => v,
            Err(_) => return Err((format!("invalid duration \"{text}\""), help)),
        };
        let Some(&(_, scale)) = UNITS.iter().find(|(u, _)| *u == unit) else {
            let h = if unit.is_empty() { format!("add a unit, e.g. \"{num}s\"") } else { help };
            return Err((format!("invalid duration \"{text}\": unknown unit \"{unit}\""), h));
        };
        total += value * scale;
        rest = &rest[num_len + unit_len..];
    }
    if !total.is_finite() {
        return Err((format!("duration \"{text}\" is out of range"), help));
    }
    Ok(Duration { secs: total })
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as \"30s\" or \"4h\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Duration, E> {
                parse_duration(s).map_err(|(m, h)| value_error(m, h))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Duration, E> {
                Err(value_error(
                    format!("duration {n} has no unit"),
                    format!("write \"{n}s\" for seconds, or use ms, m, h, d, w, y"),
                ))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Duration, E> {
                Err(value_error(
                    format!("duration {n} has no unit"),
                    format!("write \"{n}s\" for seconds, or use ms, m, h, d, w, y"),
                ))
            }
        }
        d.deserialize_any(V)
    }
}

impl schemars::JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d|w|y))+$",
            "description": "A duration: a number and a unit (ms, s, m, h, d, w, y), e.g. \"30s\", \"4h\", \"1h30m\". A year is 365 days.",
            "examples": ["100ms", "30s", "4h", "5y"]
        })
    }
}

/// A fraction in [0, 1], written as "99.95%" or as a number 0.9995.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Fraction(pub f64);

fn fraction_from(value: f64, shown: String) -> Result<Fraction, (String, String)> {
    if !(0.0..=1.0).contains(&value) {
        let over = if value > 1.0 { "over 100%" } else { "below 0%" };
        return Err((format!("{shown} is {over}"), "a percentage lies between 0% and 100%".into()));
    }
    Ok(Fraction(value))
}

impl<'de> Deserialize<'de> for Fraction {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Fraction;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a percentage such as \"99.95%\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Fraction, E> {
                let Some(num) = s.trim().strip_suffix('%') else {
                    return Err(value_error(
                        format!("invalid percentage \"{s}\""),
                        "end it with %, e.g. \"99.95%\", or give a fraction 0.9995",
                    ));
                };
                match num.trim().parse::<f64>() {
                    Ok(p) if p.is_finite() => {
                        fraction_from(p / 100.0, format!("\"{s}\"")).map_err(|(m, h)| value_error(m, h))
                    }
                    _ => Err(value_error(
                        format!("invalid percentage \"{s}\""),
                        "write a number then %, e.g. \"99.95%\"",
                    )),
                }
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Fraction, E> {
                self.visit_f64(n as f64)
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Fraction, E> {
                fraction_from(n, format!("{n}"))
                    .map_err(|(m, h)| value_error(m, format!("{h}; as a number, give a fraction 0..1")))
            }
        }
        d.deserialize_any(V)
    }
}

impl schemars::JsonSchema for Fraction {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percentage".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A percentage \"99.95%\" or a fraction 0..1.",
            "oneOf": [
                { "type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?\\s*%$" },
                { "type": "number", "minimum": 0, "maximum": 1 }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_lengths_keep_every_unit_to_the_millisecond() {
        let exact = |s: f64| Duration::from_secs(s).exact();
        assert_eq!(exact(10830.0), "3h 0m 30s");
        assert_eq!(exact(3.609375), "3.609s");
        assert_eq!(exact(70.0), "1m 10s");
        assert_eq!(exact(0.0), "0s");
        assert_eq!(exact(0.25), "0.25s");
        assert_eq!(exact(14.0 * 86_400.0 + 30.0), "14d 0h 0m 30s");
        assert_eq!(exact(600.0), "10m");
        assert_eq!(exact(3600.0 * 4.0), "4h");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s").unwrap().secs, 30.0);
        assert_eq!(parse_duration("1h30m").unwrap().secs, 5400.0);
        assert_eq!(parse_duration("100ms").unwrap().secs, 0.1);
        assert_eq!(parse_duration("5y").unwrap().secs, 5.0 * SECS_PER_YEAR);
        assert_eq!(parse_duration("-5s").unwrap_err().0, "negative duration \"-5s\"");
        assert_eq!(parse_duration("5").unwrap_err().1, "add a unit, e.g. \"5s\"");
        assert_eq!(parse_duration("5 hours").unwrap_err().0, "invalid duration \"5 hours\": unknown unit \"hours\"");
        assert_eq!(Duration::from_secs(5400.0).to_string(), "90m");
        assert_eq!(Duration::from_secs(0.1).to_string(), "100ms");
        assert_eq!(Duration::from_secs(0.1 + 0.2).to_string(), "300ms");
        assert_eq!(Duration::from_secs(3.609375).to_string(), "3.609375s");
        assert_eq!(Duration::from_secs(0.0).to_string(), "0s");
        // 12,827 s = 213.78 min: rounded to the minute, 3 h 34 min.
        assert_eq!(Duration::from_secs(12827.0).human(), "3h 34m");
        assert_eq!(Duration::from_secs(50.0 * SECS_PER_YEAR - 1.0).human(), "50y");
        assert_eq!(Duration::from_secs(86_399.0).human(), "1d");
        assert_eq!(Duration::from_secs(5_429.0).human(), "1h 30m");
        assert_eq!(Duration::from_secs(3154.0).human(), "52m 34s");
        assert_eq!(Duration::from_secs(86_400.0).human(), "1d");
        // Below a minute to a tenth: a 1.49 s failover is not "1s".
        assert_eq!(Duration::from_secs(1.49).human(), "1.5s");
        assert_eq!(Duration::from_secs(3.375).human(), "3.4s");
        assert_eq!(Duration::from_secs(6.0).human(), "6s");
        assert_eq!(Duration::from_secs(59.96).human(), "1m");
        assert_eq!(Duration::from_secs(0.609375).human(), "0.609s");
    }

    #[test]
    fn clock_and_span_read_as_people_write_them() {
        assert_eq!(Duration::from_secs(60.0 * 86_400.0 + 903.609375).clock(), "60d 00:15:03.609");
        assert_eq!(Duration::from_secs(6.0).clock(), "00:00:06.000");
        assert_eq!(Duration::from_secs(3.609375).span(), "3.6s");
        assert_eq!(Duration::from_secs(6.0).span(), "6s");
        assert_eq!(Duration::from_secs(4500.0).span(), "1h 15m");
    }
}
