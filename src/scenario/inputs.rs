//! Value types of the scenario file that check themselves while they are read, so a bad value
//! is reported at its own line and column, and a read `Scenario` cannot hold one.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::vocabulary::money::Amount;

/// A whole number within `MIN..=MAX` (months, weeks, persons, …).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Bounded<const MIN: u32, const MAX: u32>(u32);

impl<const MIN: u32, const MAX: u32> Bounded<MIN, MAX> {
    /// A value known to be in range (defaults and tests); clamps otherwise.
    pub const fn new(value: u32) -> Self {
        let v = if value < MIN {
            MIN
        } else if value > MAX {
            MAX
        } else {
            value
        };
        Self(v)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl<'de, const MIN: u32, const MAX: u32> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<const MIN: u32, const MAX: u32>;
        impl<const MIN: u32, const MAX: u32> de::Visitor<'_> for Visitor<MIN, MAX> {
            type Value = Bounded<MIN, MAX>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a whole number from {MIN} to {MAX}")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                match u32::try_from(v) {
                    Ok(n) if (MIN..=MAX).contains(&n) => Ok(Bounded(n)),
                    _ => Err(E::custom(format!(
                        "{v} is out of range: expected a whole number from {MIN} to {MAX}"
                    ))),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Err(E::custom(format!(
                    "{v} is not a whole number: expected a whole number from {MIN} to {MAX}"
                )))
            }
        }
        deserializer.deserialize_any(Visitor::<MIN, MAX>)
    }
}

/// A decimal ratio within `MIN_PCT/100 ..= MAX_PCT/100` (shares, fractions, adjustments),
/// written as a number (`0.7`) or a quoted string (`"0.7"`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fraction<const MIN_PCT: i32, const MAX_PCT: i32>(Decimal);

impl<const MIN_PCT: i32, const MAX_PCT: i32> Fraction<MIN_PCT, MAX_PCT> {
    /// A value in hundredths known to be in range (defaults and tests).
    pub fn percent(pct: i32) -> Self {
        Self(Decimal::new(i64::from(pct.clamp(MIN_PCT, MAX_PCT)), 2))
    }

    pub fn get(self) -> Decimal {
        self.0
    }

    fn checked(value: Decimal, shown: &str) -> Result<Self, String> {
        let min = Decimal::new(i64::from(MIN_PCT), 2);
        let max = Decimal::new(i64::from(MAX_PCT), 2);
        if value < min || value > max {
            return Err(format!(
                "{shown} is out of range: expected a number from {} to {}",
                min.normalize(),
                max.normalize()
            ));
        }
        Ok(Self(value.normalize()))
    }
}

impl<'de, const MIN_PCT: i32, const MAX_PCT: i32> Deserialize<'de> for Fraction<MIN_PCT, MAX_PCT> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<const A: i32, const B: i32>;
        impl<const A: i32, const B: i32> de::Visitor<'_> for Visitor<A, B> {
            type Value = Fraction<A, B>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number such as 0.7")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Fraction::checked(Decimal::from(v), &v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Fraction::checked(Decimal::from(v), &v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                // The shortest text that reads back as this float is what the user wrote.
                let text = v.to_string();
                let value = Decimal::from_str(&text)
                    .map_err(|_| E::custom(format!("{text} is not a usable number")))?;
                Fraction::checked(value, &text).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                let value = Decimal::from_str_exact(s.trim())
                    .map_err(|_| E::custom(format!("`{s}` is not a number")))?;
                Fraction::checked(value, &format!("`{s}`")).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor::<MIN_PCT, MAX_PCT>)
    }
}

/// When an invoice is paid, relative to the activity it pays for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payment {
    /// When the work is booked (audits: the booking lead before fieldwork).
    OnBooking,
    /// In the month the work (fieldwork) starts.
    AtFieldwork,
    /// When the report, decision or deliverable lands.
    OnReport,
    /// Evenly over the months from booking to report, to the cent.
    Spread,
}

impl Payment {
    pub fn as_str(self) -> &'static str {
        match self {
            Payment::OnBooking => "on_booking",
            Payment::AtFieldwork => "at_fieldwork",
            Payment::OnReport => "on_report",
            Payment::Spread => "spread",
        }
    }
}

/// A cost with its payment timing: an amount (`15000`, `"15000"`) or a table
/// (`{ amount = 15000, paid = "on_report" }`). A bare amount takes the item's default timing.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CostItem {
    pub amount: Amount,
    pub paid: Option<Payment>,
}

impl CostItem {
    /// A whole amount with the item's default timing (defaults and tests).
    pub const fn new(amount: u32) -> Self {
        CostItem {
            amount: Amount(Decimal::from_parts(amount, 0, 0, false, 0)),
            paid: None,
        }
    }

    /// The payment timing, or `default` when the file gives none.
    pub fn paid_or(&self, default: Payment) -> Payment {
        self.paid.unwrap_or(default)
    }
}

impl<'de> Deserialize<'de> for CostItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            amount: Amount,
            paid: Option<Payment>,
        }
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = CostItem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount (\"15000\" or 15000) or a table { amount = 15000, paid = \"on_report\" }")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<CostItem, E> {
                Ok(CostItem {
                    amount: s.parse().map_err(E::custom)?,
                    paid: None,
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CostItem, E> {
                let amount = Amount::deserialize(de::value::I64Deserializer::<E>::new(v))?;
                Ok(CostItem { amount, paid: None })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CostItem, E> {
                let amount = Amount::deserialize(de::value::U64Deserializer::<E>::new(v))?;
                Ok(CostItem { amount, paid: None })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<CostItem, E> {
                let amount = Amount::deserialize(de::value::F64Deserializer::<E>::new(v))?;
                Ok(CostItem { amount, paid: None })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<CostItem, A::Error> {
                let t = Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(CostItem {
                    amount: t.amount,
                    paid: t.paid,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Reads a name or description shown in terminals, reports, charts and workbooks: printable
/// text of at most `MAX` characters, with no control, reordering or non-characters (see
/// [`crate::vocabulary::text::is_forbidden`]), so that every output stays well-formed and no terminal obeys it.
pub fn plain_text<'de, D: Deserializer<'de>, const MAX: usize>(
    deserializer: D,
) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if let Some((position, c)) = crate::vocabulary::text::first_forbidden(&text) {
        return Err(de::Error::custom(format!(
            "the text holds {} at character {position}: names and descriptions appear in \
             terminals, reports and charts, so they may hold printable characters only",
            crate::vocabulary::text::describe(c)
        )));
    }
    let count = text.chars().count();
    if count > MAX {
        return Err(de::Error::custom(format!(
            "the text is {count} characters long: at most {MAX} fit the reports and charts"
        )));
    }
    Ok(text)
}

/// [`plain_text`] that must also hold something besides spaces.
pub fn name_text<'de, D: Deserializer<'de>, const MAX: usize>(
    deserializer: D,
) -> Result<String, D::Error> {
    let text = plain_text::<D, MAX>(deserializer)?;
    if text.trim().is_empty() {
        return Err(de::Error::custom(
            "the name is empty: give the name shown on every output",
        ));
    }
    Ok(text)
}
