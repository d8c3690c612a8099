//! `$fromMillis(millis, picture, timezone)` and `$now(picture, timezone)` with the timezone
//! handling of the JSONata that Step Functions runs (2.0.6).
//!
//! JSONata reads the timezone with JavaScript's `parseInt` and nothing else ("assume for now
//! the format supplied is +hhmm", `formatDateTime` in jsonata-js's `src/datetime.js`, the same
//! in 2.0.6 and 2.2.2): `offsetHours = Math.floor(n / 100)`, `offsetMinutes = n % 100`. So
//! `"-0400"` works, `"0x10"` is sixteen minutes, `"-0330"` is −04:30, and a zone *name* such
//! as `"America/New_York"` is `NaN`: every field of the formatted date comes out as `NaN`
//! (`"[H01]:[m01]"` gives `"NaN:NaN"`), a day or month name as `undefined`, and some pictures
//! throw. A flow must turn a zone name into an offset itself; the simulator shows the same
//! garbage the deployed flow would, rather than a plausible local time.
//!
//! A number goes to jsonata-core's `$fromMillis`, which already reads offsets like
//! jsonata-js (after `parseInt` has been applied here, so hexadecimal and trailing text read
//! the same). `NaN` is formatted by [`nan_picture`], which follows jsonata-js's picture
//! analysis (`analyseDateTimePicture`, `analyseIntegerPicture`, `_formatInteger`) for an
//! invalid `Date`; the differential test (`tests/jsonata_differential.rs`) checks it against
//! the reference implementation.

/// JavaScript's `parseInt(text)` (no radix): leading white space, a sign, then decimal digits,
/// or hexadecimal ones after `0x`; `None` (NaN) when no digit follows.
pub(crate) fn js_parse_int(text: &str) -> Option<f64> {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, t) = match t.get(..2) {
        Some("0x" | "0X") => (16, &t[2..]),
        _ => (10, t),
    };
    let digits: Vec<u32> = t.chars().map_while(|c| c.to_digit(radix)).collect();
    if digits.is_empty() {
        return None;
    }
    let n = digits
        .iter()
        .fold(0.0_f64, |acc, d| acc * f64::from(radix) + f64::from(*d));
    Some(if negative { -n } else { n })
}

/// The shift JSONata applies for `timezone`, in minutes; `None` when it is `NaN`.
pub(crate) fn offset_minutes(timezone: &str) -> Option<f64> {
    let n = js_parse_int(timezone)?;
    // JavaScript: Math.floor(n / 100) hours and n % 100 (truncated, sign of n) minutes.
    Some(60.0 * (n / 100.0).floor() + n % 100.0)
}

/// Milliseconds beyond which a JavaScript `Date` is invalid (ECMA-262 §21.4.1.1).
const MAX_DATE_MS: f64 = 8.64e15;

/// What `$fromMillis` does with `timezone`.
pub(crate) enum Zone {
    /// No timezone, or a number: jsonata-core formats it, with this timezone text.
    Offset(Option<String>),
    /// `NaN` (or an offset that takes the date out of range): every field is `NaN`.
    NaN,
}

/// How JSONata reads `timezone` for the instant `millis`.
pub(crate) fn zone(millis: f64, timezone: Option<&str>) -> Zone {
    let Some(tz) = timezone else {
        return Zone::Offset(None);
    };
    match (js_parse_int(tz), offset_minutes(tz)) {
        (Some(n), Some(minutes)) if (millis + minutes * 60_000.0).abs() <= MAX_DATE_MS => {
            Zone::Offset(Some(format!("{n}")))
        }
        _ => Zone::NaN,
    }
}

/// JSONata's ISO 8601 picture, used when none is given.
const ISO_PICTURE: &str = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

fn err(code: &str, message: impl Into<String>) -> String {
    format!("{code}: {}", message.into())
}

/// `"[H01]:[m01]"` formatted for an invalid date, as jsonata-js 2.0.6 does; `Err` where it
/// throws (its error code, or the JavaScript `TypeError` it runs into).
pub(crate) fn nan_picture(picture: Option<&str>) -> Result<String, String> {
    let picture = picture.unwrap_or(ISO_PICTURE);
    let chars: Vec<char> = picture.chars().collect();
    let mut out = String::new();
    let (mut start, mut pos) = (0, 0);
    let literal = |from: usize, to: usize, out: &mut String| {
        if to > from {
            let text: String = chars[from..to].iter().collect();
            out.push_str(&text.replace("]]", "]"));
        }
    };
    while pos < chars.len() {
        if chars[pos] != '[' {
            pos += 1;
            continue;
        }
        if chars.get(pos + 1) == Some(&'[') {
            literal(start, pos, &mut out);
            out.push('[');
            pos += 2;
            start = pos;
            continue;
        }
        literal(start, pos, &mut out);
        let close = chars[pos..]
            .iter()
            .position(|c| *c == ']')
            .map(|i| pos + i)
            .ok_or_else(|| {
                err(
                    "D3135",
                    "No matching closing bracket ']' in date/time picture string",
                )
            })?;
        let marker: String = chars[pos + 1..close]
            .iter()
            .filter(|c| !c.is_whitespace())
            .collect();
        out.push_str(&Marker::parse(&marker)?.format()?);
        pos = close + 1;
        start = pos;
    }
    literal(start, pos, &mut out);
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Names {
    Upper,
    Lower,
    Title,
}

/// One `[…]` variable marker, analysed as jsonata-js does.
struct Marker {
    component: char,
    names: Option<Names>,
    /// Set when a comma gave a width modifier.
    width: bool,
    /// Presentation modifier 1 (`01`, `Nn`, `#`…).
    presentation1: String,
    integer: Option<IntegerFormat>,
}

fn default_presentation(component: char) -> Option<&'static str> {
    Some(match component {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

/// JavaScript's `parseInt` of a width, `*` and absence being `undefined`.
fn parse_width(w: Option<&str>) -> Option<f64> {
    match w {
        None | Some("*") => None,
        Some(w) => Some(js_parse_int(w).unwrap_or(f64::NAN)),
    }
}

impl Marker {
    fn parse(marker: &str) -> Result<Marker, String> {
        let component = marker.chars().next().unwrap_or('\0');
        let rest = &marker[component.len_utf8().min(marker.len())..];
        let (pres, width) = match rest.rfind(',') {
            Some(c) => {
                let w = &rest[c + 1..];
                let (min, max) = match w.find('-') {
                    Some(d) => (Some(&w[..d]), Some(&w[d + 1..])),
                    None => (Some(w), None),
                };
                (&rest[..c], Some((parse_width(min), parse_width(max))))
            }
            None => (rest, None),
        };
        let mut presentation2 = None;
        let presentation1 = match pres.chars().count() {
            0 => default_presentation(component)
                .ok_or_else(|| {
                    err(
                        "D3132",
                        format!("Unknown component specifier \"{component}\" in date/time picture string"),
                    )
                })?
                .to_string(),
            1 => pres.to_string(),
            _ => {
                let last = pres.chars().last().unwrap_or(' ');
                if "atco".contains(last) {
                    presentation2 = Some(last);
                    pres[..pres.len() - last.len_utf8()].to_string()
                } else {
                    pres.to_string()
                }
            }
        };
        let names = match presentation1.chars().next() {
            Some('n') => Some(Names::Lower),
            Some('N') if presentation1.chars().nth(1) == Some('n') => Some(Names::Title),
            Some('N') => Some(Names::Upper),
            _ => None,
        };
        let mut integer = None;
        if names.is_none() && "YMDdFWwXxHhmsf".contains(component) {
            let mut pattern = presentation1.clone();
            if let Some(p) = presentation2 {
                pattern.push(';');
                pattern.push(p);
            }
            let mut f = IntegerFormat::analyse(&pattern)?;
            if let (Some((Some(min), _)), Some(mandatory)) = (width, f.mandatory.as_mut()) {
                if *mandatory < min {
                    *mandatory = min;
                }
            }
            // 2.0.6 applies a maximum width to Y, M and D alike (2.1.0 narrowed it to Y).
            if let (Some((_, Some(max))), true, Some(mandatory)) =
                (width, "YMD".contains(component), f.mandatory.as_mut())
            {
                *mandatory = max;
            }
            integer = Some(f);
        }
        if component == 'Z' || component == 'z' {
            integer = Some(IntegerFormat::analyse(&presentation1)?);
        }
        Ok(Marker {
            component,
            names,
            width: width.is_some(),
            presentation1,
            integer,
        })
    }

    /// The marker's text for an invalid date (every field `NaN`, the offset `NaN`).
    fn format(&self) -> Result<String, String> {
        let type_error = |what: &str| {
            Err(format!(
                "TypeError: Cannot read properties of undefined (reading '{what}') while formatting [{}{}]",
                self.component, self.presentation1
            ))
        };
        let c = self.component;
        if "YMDdFWwXxHhms".contains(c) {
            return match self.names {
                Some(names) if "MxF".contains(c) => match names {
                    // months[NaN - 1] / days[NaN] is undefined
                    Names::Upper => type_error("toUpperCase"),
                    Names::Lower => type_error("toLowerCase"),
                    Names::Title if self.width => type_error("length"),
                    Names::Title => Ok("undefined".into()),
                },
                Some(_) => Err(err(
                    "D3133",
                    format!("The 'name' modifier can only be applied to months and days in the date/time picture string, not \"{c}\""),
                )),
                None => match &self.integer {
                    Some(f) => f.format_nan(),
                    None => type_error("primary"),
                },
            };
        }
        match c {
            'f' => match &self.integer {
                Some(f) => f.format_nan(),
                None => type_error("primary"),
            },
            'Z' | 'z' => {
                let Some(f) = &self.integer else {
                    return type_error("primary");
                };
                let mut text = if f.regular {
                    f.format_nan()?
                } else {
                    match f.mandatory {
                        Some(n) if n == 1.0 || n == 2.0 => {
                            // The hours, then ":" and the minutes (NaN !== 0).
                            format!("{}:NaN", f.format_nan()?)
                        }
                        Some(n) if n == 3.0 || n == 4.0 => f.format_nan()?,
                        _ => {
                            return Err(err(
                                "D3134",
                                "The timezone integer format specifier cannot have more than four digits",
                            ))
                        }
                    }
                };
                // `offset >= 0` and `offset === 0` are false for NaN.
                if c == 'z' {
                    text.insert_str(0, "GMT");
                }
                Ok(text)
            }
            'P' if self.names == Some(Names::Upper) => Ok("AM".into()),
            // NaN >= 12 is false.
            'P' => Ok("am".into()),
            'C' | 'E' => Ok("ISO".into()),
            _ => Ok("undefined".into()),
        }
    }
}

/// A digit picture as jsonata-js's `analyseIntegerPicture` sees it.
struct IntegerFormat {
    kind: IntegerKind,
    ordinal: bool,
    /// Mandatory digits of a decimal pattern (JavaScript number: a width may make it NaN).
    mandatory: Option<f64>,
    /// The code point of the pattern's zero digit.
    zero: u32,
    regular: bool,
    /// (position from the right, character) of each grouping separator, as written.
    separators: Vec<(usize, char)>,
    sequence: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum IntegerKind {
    Decimal,
    Letters,
    Roman,
    Words,
    Sequence,
}

/// The zero of each Unicode decimal digit block jsonata-js recognises.
const DECIMAL_GROUPS: [u32; 37] = [
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

impl IntegerFormat {
    fn analyse(picture: &str) -> Result<IntegerFormat, String> {
        let (primary, ordinal) = match picture.rfind(';') {
            Some(i) => (&picture[..i], picture[i + 1..].starts_with('o')),
            None => (picture, false),
        };
        let mut f = IntegerFormat {
            kind: IntegerKind::Decimal,
            ordinal,
            mandatory: None,
            zero: 0x30,
            regular: false,
            separators: Vec::new(),
            sequence: primary.to_string(),
        };
        match primary {
            "A" | "a" => f.kind = IntegerKind::Letters,
            "I" | "i" => f.kind = IntegerKind::Roman,
            "W" | "Ww" | "w" => f.kind = IntegerKind::Words,
            _ => {
                let (mut mandatory, mut position) = (0usize, 0usize);
                let mut zero = None;
                for c in primary.chars().rev() {
                    let cp = c as u32;
                    match DECIMAL_GROUPS.iter().find(|g| cp >= **g && cp <= **g + 9) {
                        Some(g) => {
                            mandatory += 1;
                            position += 1;
                            match zero {
                                None => zero = Some(*g),
                                Some(z) if z != *g => {
                                    return Err(err(
                                        "D3131",
                                        "In a decimal digit pattern, all digits must be from the same decimal group",
                                    ))
                                }
                                Some(_) => {}
                            }
                        }
                        None if c == '#' => position += 1,
                        None => f.separators.push((position, c)),
                    }
                }
                if mandatory == 0 {
                    f.kind = IntegerKind::Sequence;
                } else {
                    f.mandatory = Some(mandatory as f64);
                    f.zero = zero.unwrap_or(0x30);
                    f.regular = regular_repeat(&f.separators).is_some();
                }
            }
        }
        Ok(f)
    }

    /// `_formatInteger(NaN, format)`.
    fn format_nan(&self) -> Result<String, String> {
        match self.kind {
            // decimalToLetters / decimalToRoman loop while the value is positive: nothing.
            IntegerKind::Letters | IntegerKind::Roman => Ok(String::new()),
            IntegerKind::Words => Err(
                "RangeError: Maximum call stack size exceeded (numberToWords(NaN))".into(),
            ),
            IntegerKind::Sequence => Err(err(
                "D3130",
                format!(
                    "Formatting or parsing an integer as a sequence starting with \"{}\" is not supported by this implementation",
                    self.sequence.chars().next().map(String::from).unwrap_or_default()
                ),
            )),
            IntegerKind::Decimal => {
                let mut s: Vec<char> = "NaN".chars().collect();
                let pad = self.mandatory.unwrap_or(0.0) - s.len() as f64;
                if pad > 0.0 {
                    let mut padded = vec!['0'; pad as usize];
                    padded.extend(s);
                    s = padded;
                }
                if self.zero != 0x30 {
                    // Every character, letters included, is moved into the digit block.
                    s = s
                        .iter()
                        .map(|c| {
                            char::from_u32(*c as u32 + self.zero - 0x30).unwrap_or(*c)
                        })
                        .collect();
                }
                match regular_repeat(&self.separators) {
                    Some(step) => {
                        let (_, sep) = self.separators[0];
                        let n = (s.len() - 1) / step;
                        for i in (1..=n).rev() {
                            let at = s.len() - i * step;
                            s.insert(at, sep);
                        }
                    }
                    None => {
                        for (position, sep) in &self.separators {
                            let at = s.len().saturating_sub(*position);
                            s.insert(at, *sep);
                        }
                    }
                }
                let mut text: String = s.into_iter().collect();
                if self.ordinal {
                    // The last character is never 1, 2 or 3 here.
                    text.push_str("th");
                }
                Ok(text)
            }
        }
    }
}

/// The interval of grouping separators that are all the same character at every multiple of
/// one interval (jsonata-js's `regularRepeat`), or `None`.
fn regular_repeat(separators: &[(usize, char)]) -> Option<usize> {
    let (_, first) = *separators.first()?;
    if separators.iter().any(|(_, c)| *c != first) {
        return None;
    }
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    let factor = separators.iter().map(|(p, _)| *p).reduce(gcd)?;
    let all = (1..=separators.len()).all(|i| separators.iter().any(|(p, _)| *p == i * factor));
    (factor > 0 && all).then_some(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_reads_like_javascript() {
        assert_eq!(js_parse_int("-0400"), Some(-400.0));
        assert_eq!(js_parse_int(" +0200"), Some(200.0));
        assert_eq!(js_parse_int("0x10"), Some(16.0));
        assert_eq!(js_parse_int("+0530 IST"), Some(530.0));
        assert_eq!(js_parse_int("America/New_York"), None);
        assert_eq!(js_parse_int(""), None);
        assert_eq!(js_parse_int("0x"), None);
        // Math.floor(-330 / 100) = -4 hours, -330 % 100 = -30 minutes.
        assert_eq!(offset_minutes("-0330"), Some(-270.0));
    }

    #[test]
    fn a_zone_name_formats_as_nan() {
        assert_eq!(nan_picture(Some("[H01]:[m01]")).unwrap(), "NaN:NaN");
        assert_eq!(
            nan_picture(None).unwrap(),
            "0NaN-NaN-NaNTNaN:NaN:NaN.NaN0N:aN"
        );
        assert!(nan_picture(Some("[F]")).is_err());
        assert!(nan_picture(Some("[H01")).unwrap_err().starts_with("D3135"));
    }
}
