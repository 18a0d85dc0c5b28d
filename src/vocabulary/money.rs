//! Money: exact decimal amounts, never floating point.
//!
//! Amounts are `rust_decimal::Decimal`. Every posting in the ledger is rounded once, to the
//! currency's minor unit, half away from zero (commercial rounding); from then on sums are exact,
//! so every total equals the sum of its parts to the cent.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Deserialize, Deserializer};

use crate::vocabulary::currency::Currency;

/// The largest amount a scenario may state; keeps every product and sum far from overflow.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0); // 1e9

/// A non-negative amount of money read from the scenario file: a quoted decimal string
/// (`"12500.50"`) or an integer (`12500`), never a float (floats lose digits).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Amount(pub Decimal);

impl Amount {
    pub fn from_int(value: i64) -> Amount {
        Amount(Decimal::from(value))
    }

    fn checked(value: Decimal, shown: &str) -> Result<Amount, String> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(format!("amount {shown} is negative: expected 0 or more"));
        }
        if value > MAX_AMOUNT {
            return Err(format!("amount {shown} is over the limit of {MAX_AMOUNT}"));
        }
        Ok(Amount(value.normalize()))
    }
}

impl FromStr for Amount {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let value = Decimal::from_str_exact(trimmed).map_err(|_| {
            format!("`{s}` is not an amount: expected digits with an optional decimal point, e.g. \"12500.50\"")
        })?;
        Amount::checked(value, &format!("`{s}`"))
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount as a quoted string (\"12500.50\") or an integer (12500)")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Amount, E> {
                s.parse().map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                Amount::checked(Decimal::from(v), &v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Amount::checked(Decimal::from(v), &v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                Err(E::custom(format!(
                    "amount {v} is a float: write money as a quoted string (\"{v}\") or an integer, \
                     floats lose digits"
                )))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Rounds to the currency's minor unit, half away from zero: the one rounding rule of certplan.
pub fn round_to_minor(value: Decimal, currency: Currency) -> Decimal {
    // Already in minor units (most amounts are): nothing to round, and no division to pay for.
    if value.scale() <= currency.minor_units() {
        return value;
    }
    value.round_dp_with_strategy(
        currency.minor_units(),
        RoundingStrategy::MidpointAwayFromZero,
    )
}

/// Splits an already-rounded `total` into `parts` amounts that differ by at most one minor
/// unit and add up to `total` exactly (the first parts take the remainder).
pub fn split_evenly(total: Decimal, parts: usize, currency: Currency) -> Vec<Decimal> {
    if parts == 0 {
        return Vec::new();
    }
    // In whole minor units (integers), so that no part needs a decimal division.
    let minor = currency.minor_units();
    let in_units = (total * Decimal::from(10u64.pow(minor))).trunc();
    let units = in_units.mantissa() / 10i128.pow(in_units.scale());
    let count = parts as i128;
    let base = units / count;
    let remainder = units - base * count;
    (0..parts)
        .map(|i| {
            let extra = i128::from((i as i128) < remainder);
            Decimal::from_i128_with_scale(base + extra, minor).normalize()
        })
        .collect()
}

/// An amount as written to CSV: fixed decimals of the currency's minor unit, no separators.
pub fn csv_amount(value: Decimal, currency: Currency) -> String {
    let mut v = round_to_minor(value, currency);
    v.rescale(2.max(currency.minor_units()));
    v.to_string()
}

/// An amount for people: currency symbol or code, thousands separators, minor units
/// (`$123,450.00`, `€9,000.00`, `CHF 12,000.00`).
pub fn display_amount(value: Decimal, currency: Currency) -> String {
    let mut v = round_to_minor(value, currency);
    v.rescale(currency.minor_units());
    let negative = v.is_sign_negative() && !v.is_zero();
    let text = v.abs().to_string();
    let (int_part, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text, None),
    };
    let grouped = group_thousands(&int_part);
    let number = match frac {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    };
    let sign = if negative { "-" } else { "" };
    format!("{sign}{}", currency.prefix_to(&number))
}

/// A whole amount, rounded to units, for labels (`$123,450`).
pub fn display_whole(value: Decimal, currency: Currency) -> String {
    let v = value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    let negative = v.is_sign_negative() && !v.is_zero();
    let grouped = group_thousands(&v.abs().trunc().to_string());
    let sign = if negative { "-" } else { "" };
    format!("{sign}{}", currency.prefix_to(&grouped))
}

/// A compact amount for chart axes (`$120k`, `$1.2M`).
pub fn display_compact(value: Decimal, currency: Currency) -> String {
    let abs = value.abs();
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "-"
    } else {
        ""
    };
    let (scaled, suffix) = if abs >= Decimal::from(1_000_000) {
        (abs / Decimal::from(1_000_000), "M")
    } else if abs >= Decimal::from(1_000) {
        (abs / Decimal::from(1_000), "k")
    } else {
        (abs, "")
    };
    let dp = if suffix.is_empty() || scaled >= Decimal::from(100) {
        0
    } else {
        1
    };
    let rounded = scaled
        .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    format!(
        "{sign}{}",
        currency.prefix_to(&format!("{rounded}{suffix}"))
    )
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn usd() -> Currency {
        "USD".parse().unwrap()
    }

    #[test]
    fn split_hands_out_the_remainder_and_keeps_the_total() {
        let parts = split_evenly(dec!(10000.00), 12, usd());
        assert_eq!(parts.iter().filter(|p| **p == dec!(833.34)).count(), 4);
        assert_eq!(parts.iter().filter(|p| **p == dec!(833.33)).count(), 8);
        assert_eq!(parts.iter().sum::<Decimal>(), dec!(10000.00));
    }

    #[test]
    fn every_split_adds_up_and_its_parts_differ_by_at_most_one_minor_unit() {
        for (code, unit) in [("USD", dec!(0.01)), ("JPY", dec!(1)), ("EUR", dec!(0.01))] {
            let currency: Currency = code.parse().unwrap();
            for units in (0..5000i64).step_by(37) {
                let total = Decimal::from(units) * unit;
                for count in 1..=13 {
                    let parts = split_evenly(total, count, currency);
                    assert_eq!(parts.len(), count);
                    assert_eq!(
                        parts.iter().sum::<Decimal>(),
                        total,
                        "{total} / {count} {code}"
                    );
                    let (low, high) = (
                        parts.iter().min().copied().unwrap(),
                        parts.iter().max().copied().unwrap(),
                    );
                    assert!(high - low <= unit, "{total} / {count} {code}: {parts:?}");
                    assert!(parts.iter().all(|p| p.scale() <= currency.minor_units()));
                }
            }
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_to_minor(dec!(2.345), usd()), dec!(2.35));
        assert_eq!(round_to_minor(dec!(2.344), usd()), dec!(2.34));
        let yen: Currency = "JPY".parse().unwrap();
        assert_eq!(round_to_minor(dec!(1234.5), yen), dec!(1235));
    }

    #[test]
    fn amounts_reject_negative_and_non_numeric_text() {
        assert!("-5".parse::<Amount>().unwrap_err().contains("negative"));
        assert!(
            "12,500"
                .parse::<Amount>()
                .unwrap_err()
                .contains("not an amount")
        );
        assert_eq!("12500.50".parse::<Amount>().unwrap().0, dec!(12500.50));
    }

    #[test]
    fn display_groups_thousands_with_the_currency() {
        assert_eq!(display_amount(dec!(123450), usd()), "$123,450.00");
        assert_eq!(display_whole(dec!(123450.4), usd()), "$123,450");
        assert_eq!(display_compact(dec!(120000), usd()), "$120k");
        assert_eq!(display_compact(dec!(1250000), usd()), "$1.3M");
        assert_eq!(csv_amount(dec!(5), usd()), "5.00");
        let chf: Currency = "CHF".parse().unwrap();
        assert_eq!(display_amount(dec!(999), chf), "CHF 999.00");
    }
}
