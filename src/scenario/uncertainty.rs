//! Ranges in the scenario: any duration or money input may be a three-point estimate,
//! `implementation_months = { low = 3, likely = 4, high = 8 }` with an optional
//! `dist = "pert" | "triangular" | "uniform"` (BetaPERT by default). The likely value is the base
//! case: `plan` and `compare` read it as if the file said `implementation_months = 4`, and
//! `risk` draws from the range.
//!
//! Drawn durations are rounded to the nearest whole month or week (half rounds up), then kept
//! inside the key's range; drawn money is rounded once to the currency's minor unit.
#![allow(clippy::float_arithmetic)] // draws are probabilities; money is rounded to Decimal
use rand::RngExt;
use rand_distr::Distribution as _;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::Deserialize;

use crate::scenario::Scenario;
use crate::scenario::inputs::Bounded;
use crate::vocabulary::money::{Amount, round_to_minor};

/// The shape of a three-point estimate.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// BetaPERT: most weight near the likely value (the default).
    #[default]
    Pert,
    Triangular,
    /// Every value from low to high equally likely (the likely value is the base case only).
    Uniform,
}

impl Shape {
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Pert => "pert",
            Shape::Triangular => "triangular",
            Shape::Uniform => "uniform",
        }
    }
}

/// A three-point estimate.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ThreePoint {
    pub low: f64,
    pub likely: f64,
    pub high: f64,
    pub shape: Shape,
}

impl ThreePoint {
    /// One draw. A collapsed range (low = high) gives its value.
    pub fn draw<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if self.high <= self.low {
            return self.low;
        }
        let value = match self.shape {
            Shape::Uniform => self.low + (self.high - self.low) * rng.random::<f64>(),
            Shape::Triangular => rand_distr::Triangular::new(self.low, self.high, self.likely)
                .map_or(self.likely, |d| d.sample(rng)),
            Shape::Pert => rand_distr::Pert::new(self.low, self.high)
                .with_mode(self.likely)
                .map_or(self.likely, |d| d.sample(rng)),
        };
        value.clamp(self.low, self.high)
    }
}

/// What an uncertain input measures.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    Months,
    Weeks,
    Money,
    /// A fraction (a fee rise of 0.1 = 10 %).
    Fraction,
    /// Auditor-days, in half days.
    Days,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Months => "months",
            Unit::Weeks => "weeks",
            Unit::Money => "money",
            Unit::Fraction => "fraction",
            Unit::Days => "days",
        }
    }
}

/// An input given as a range: its dotted key, what it measures, the estimate and its line.
#[derive(Clone, Debug, PartialEq)]
pub struct Uncertain {
    /// `iso27001.implementation_months`, or `risk[2].months` for the size of a risk.
    pub key: String,
    pub unit: Unit,
    pub estimate: ThreePoint,
    pub line: usize,
}

/// The durations and money inputs that take a range, with what they measure.
pub const UNCERTAIN_INPUTS: &[(&str, Unit)] = &[
    ("iso27001.gap_assessment_months", Unit::Months),
    ("iso27001.implementation_months", Unit::Months),
    ("iso27001.operation_before_stage1_months", Unit::Months),
    ("iso27001.stage1_to_stage2_weeks", Unit::Weeks),
    ("iso27001.decision_lag_weeks", Unit::Weeks),
    ("iso27001.booking_lead_months", Unit::Months),
    ("iso27001.day_rate", Unit::Money),
    ("iso27001.travel_per_audit", Unit::Money),
    ("iso27001.application_fee", Unit::Money),
    ("iso27001.certificate_fee", Unit::Money),
    ("iso27001.readiness_consulting", Unit::Money),
    ("iso27001.remediation", Unit::Money),
    ("iso27001.internal_audit", Unit::Money),
    ("iso27001.management_review", Unit::Money),
    ("iso27001.risk_assessment", Unit::Money),
    ("soc2.readiness_months", Unit::Months),
    ("soc2.first_window_months", Unit::Months),
    ("soc2.later_window_months", Unit::Months),
    ("soc2.report_lag_weeks", Unit::Weeks),
    ("soc2.booking_lead_months", Unit::Months),
    ("soc2.type1_fee", Unit::Money),
    ("soc2.type2_fee", Unit::Money),
    ("soc2.soc3_fee", Unit::Money),
    ("soc2.readiness_consulting", Unit::Money),
    ("soc2.remediation", Unit::Money),
    ("shared.penetration_test", Unit::Money),
    ("shared.training", Unit::Money),
    ("staff.loaded_monthly_cost", Unit::Money),
];

/// An uncertain input's name for people (`soc2.type2_fee` → "SOC 2 Type II fee"); the key
/// itself for one not listed in [`UNCERTAIN_INPUTS`].
pub fn label_of(key: &str) -> &str {
    match key {
        "iso27001.gap_assessment_months" => "ISO/IEC 27001 gap assessment (months)",
        "iso27001.implementation_months" => "ISO/IEC 27001 implementation (months)",
        "iso27001.operation_before_stage1_months" => "ISMS operation before Stage 1 (months)",
        "iso27001.stage1_to_stage2_weeks" => "Stage 1 to Stage 2 (weeks)",
        "iso27001.decision_lag_weeks" => "Certification decision lag (weeks)",
        "iso27001.booking_lead_months" => "Certification body booking lead (months)",
        "iso27001.day_rate" => "ISO/IEC 27001 auditor day rate",
        "iso27001.travel_per_audit" => "ISO/IEC 27001 travel per audit",
        "iso27001.application_fee" => "Certification application fee",
        "iso27001.certificate_fee" => "Certificate fee",
        "iso27001.readiness_consulting" => "ISO/IEC 27001 readiness consulting",
        "iso27001.remediation" => "ISO/IEC 27001 remediation",
        "iso27001.internal_audit" => "ISO/IEC 27001 internal audit",
        "iso27001.management_review" => "ISO/IEC 27001 management review",
        "iso27001.risk_assessment" => "ISO/IEC 27001 risk assessment",
        "soc2.readiness_months" => "SOC 2 readiness (months)",
        "soc2.first_window_months" => "SOC 2 first observation period (months)",
        "soc2.later_window_months" => "SOC 2 later observation periods (months)",
        "soc2.report_lag_weeks" => "SOC 2 report lag (weeks)",
        "soc2.booking_lead_months" => "CPA firm booking lead (months)",
        "soc2.type1_fee" => "SOC 2 Type I fee",
        "soc2.type2_fee" => "SOC 2 Type II fee",
        "soc2.soc3_fee" => "SOC 3 fee",
        "soc2.readiness_consulting" => "SOC 2 readiness consulting",
        "soc2.remediation" => "SOC 2 remediation",
        "shared.penetration_test" => "Penetration test",
        "shared.training" => "Security awareness training",
        "staff.loaded_monthly_cost" => "Loaded staff cost per month",
        other => other,
    }
}

/// The sizes of a risk that take a range (`[[risk]]` keys).
pub const RISK_SIZES: &[(&str, Unit)] = &[
    ("months", Unit::Months),
    ("cost", Unit::Money),
    ("rise", Unit::Fraction),
    ("follow_up_days", Unit::Days),
];

/// What `key` measures, when it takes a range.
pub fn unit_of(key: &str) -> Option<Unit> {
    // A range a plan sets for itself (`plan[2].iso27001.day_rate`).
    if let Some(rest) = key.strip_prefix("plan[") {
        let inner = rest.split_once("].")?.1;
        return if inner.starts_with("risk[") || inner.starts_with("plan[") {
            None
        } else {
            unit_of(inner)
        };
    }
    if let Some(rest) = key.strip_prefix("risk[") {
        let size = rest.split_once("].")?.1;
        return RISK_SIZES.iter().find(|(k, _)| *k == size).map(|(_, u)| *u);
    }
    UNCERTAIN_INPUTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, u)| *u)
}

/// A drawn duration: nearest whole unit, half up, kept inside `MIN..=MAX`.
fn whole<const MIN: u32, const MAX: u32>(value: f64) -> Bounded<MIN, MAX> {
    let rounded = (value + 0.5).floor().clamp(f64::from(MIN), f64::from(MAX));
    Bounded::new(rounded.to_u32().unwrap_or(MIN))
}

/// A drawn amount: rounded once to the currency's minor unit, never negative.
fn money(value: f64, s: &Scenario) -> Amount {
    let value = Decimal::from_f64(value.max(0.0)).unwrap_or_default();
    Amount(round_to_minor(value, s.programme.currency))
}

/// Sets input `key` of `s` to a drawn `value`; false when the key is not an uncertain input.
pub fn set(s: &mut Scenario, key: &str, value: f64) -> bool {
    let amount = money(value, s);
    match (key.split_once('.'), s.iso27001.as_mut(), s.soc2.as_mut()) {
        (Some(("iso27001", field)), Some(iso), _) => match field {
            "gap_assessment_months" => iso.gap_assessment_months = whole(value),
            "implementation_months" => iso.implementation_months = whole(value),
            "operation_before_stage1_months" => iso.operation_before_stage1_months = whole(value),
            "stage1_to_stage2_weeks" => iso.stage1_to_stage2_weeks = whole(value),
            "decision_lag_weeks" => iso.decision_lag_weeks = whole(value),
            "booking_lead_months" => iso.booking_lead_months = whole(value),
            "day_rate" => iso.day_rate = amount,
            "travel_per_audit" => iso.travel_per_audit = amount,
            "application_fee" => iso.application_fee = amount,
            "certificate_fee" => iso.certificate_fee = amount,
            "readiness_consulting" => iso.readiness_consulting.amount = amount,
            "remediation" => iso.remediation.amount = amount,
            "internal_audit" => iso.internal_audit.amount = amount,
            "management_review" => iso.management_review.amount = amount,
            "risk_assessment" => iso.risk_assessment.amount = amount,
            _ => return false,
        },
        (Some(("soc2", field)), _, Some(soc2)) => match field {
            "readiness_months" => soc2.readiness_months = whole(value),
            "first_window_months" => soc2.first_window_months = whole(value),
            "later_window_months" => soc2.later_window_months = whole(value),
            "report_lag_weeks" => soc2.report_lag_weeks = whole(value),
            "booking_lead_months" => soc2.booking_lead_months = whole(value),
            "type1_fee" => soc2.type1_fee = amount,
            "type2_fee" => soc2.type2_fee = amount,
            "soc3_fee" => soc2.soc3_fee = amount,
            "readiness_consulting" => soc2.readiness_consulting.amount = amount,
            "remediation" => soc2.remediation.amount = amount,
            _ => return false,
        },
        (Some(("shared", "penetration_test")), _, _) => s.shared.penetration_test.amount = amount,
        (Some(("shared", "training")), _, _) => s.shared.training.amount = amount,
        (Some(("staff", "loaded_monthly_cost")), _, _) => s.staff.loaded_monthly_cost = amount,
        _ => return false,
    }
    true
}

/// The written range: `{ low, likely, high, dist }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeSpec {
    low: toml::Value,
    likely: toml::Value,
    high: toml::Value,
    #[serde(default)]
    dist: Shape,
}

fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => i.to_f64(),
        toml::Value::Float(f) => Some(*f),
        toml::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

/// A range found in the file: where it is and the text of each of its three values.
pub struct Found {
    pub key: String,
    pub line: usize,
    pub estimate: ThreePoint,
    /// The line rewritten with the likely, low and high value in the range's place.
    pub likely_line: String,
    pub low_line: String,
    pub high_line: String,
}

/// The ranges of `text`, each with its line rewritten three ways; or a message and the line
/// of a range that is not well formed.
pub fn find(
    text: &str,
    key_of_line: impl Fn(usize) -> Option<String>,
) -> Result<Vec<Found>, (usize, String, String)> {
    let mut found = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let Some(eq) = line.find('=') else { continue };
        let rest = &line[eq + 1..];
        if !(rest.trim_start().starts_with('{') && rest.contains("likely")) {
            continue;
        }
        let Ok(table) = toml::from_str::<toml::Table>(&format!("v = {rest}")) else {
            continue;
        };
        let Some(value) = table.get("v") else {
            continue;
        };
        let Some(key) = key_of_line(i + 1) else {
            continue;
        };
        // `{ amount = { low … }, paid = … }` ranges a cost's amount.
        let (spec_value, in_amount) = match value.get("amount") {
            Some(amount) if amount.get("likely").is_some() => (amount.clone(), true),
            _ => (value.clone(), false),
        };
        if spec_value.get("likely").is_none() {
            continue;
        }
        let fail = |message: String| (i + 1, key.clone(), message);
        if unit_of(&key).is_none() {
            return Err(fail(
                "this key does not take a range: durations and money inputs do (docs/scenario.md lists them)".into(),
            ));
        }
        let spec: RangeSpec = spec_value.try_into().map_err(|e: toml::de::Error| {
            fail(format!(
                "a range is {{ low = …, likely = …, high = …, dist = \"pert\" }}: {}",
                e.message().trim_end()
            ))
        })?;
        let (Some(low), Some(likely), Some(high)) =
            (number(&spec.low), number(&spec.likely), number(&spec.high))
        else {
            return Err(fail("low, likely and high must be numbers".into()));
        };
        if !(low <= likely && likely <= high) {
            return Err(fail(format!(
                "the range must keep low ≤ likely ≤ high, but it is low {low}, likely {likely}, high {high}"
            )));
        }
        let rewrite = |v: &toml::Value| {
            let mut whole = value.clone();
            if in_amount {
                if let toml::Value::Table(t) = &mut whole {
                    t.insert("amount".into(), v.clone());
                }
            } else {
                whole = v.clone();
            }
            let prefix = &line[..eq + 1];
            let newline = if line.ends_with('\n') { "\n" } else { "" };
            format!("{prefix} {whole}{newline}")
        };
        found.push(Found {
            key,
            line: i + 1,
            estimate: ThreePoint {
                low,
                likely,
                high,
                shape: spec.dist,
            },
            likely_line: rewrite(&spec.likely),
            low_line: rewrite(&spec.low),
            high_line: rewrite(&spec.high),
        });
    }
    Ok(found)
}

/// `text` with each range's line replaced by one of its three rewrites.
pub fn rewritten(text: &str, found: &[Found], pick: fn(&Found) -> &str) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, line)| found.iter().find(|f| f.line == i + 1).map_or(line, pick))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn a_collapsed_range_always_gives_its_value() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        for shape in [Shape::Pert, Shape::Triangular, Shape::Uniform] {
            let t = ThreePoint {
                low: 4.0,
                likely: 4.0,
                high: 4.0,
                shape,
            };
            assert!((0..100).all(|_| t.draw(&mut rng) == 4.0));
        }
    }

    #[test]
    fn draws_stay_inside_the_range() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let t = ThreePoint {
            low: 3.0,
            likely: 4.0,
            high: 8.0,
            shape: Shape::Pert,
        };
        for _ in 0..10_000 {
            let v = t.draw(&mut rng);
            assert!((3.0..=8.0).contains(&v));
        }
    }

    #[test]
    fn drawn_durations_round_half_up_inside_the_keys_range() {
        assert_eq!(whole::<1, 36>(4.5).get(), 5);
        assert_eq!(whole::<1, 36>(4.49).get(), 4);
        assert_eq!(whole::<1, 36>(0.2).get(), 1);
        assert_eq!(whole::<1, 36>(99.0).get(), 36);
    }

    #[test]
    fn every_uncertain_input_can_be_set() {
        let text = "[programme]\nname = \"x\"\nstart = \"2027-01\"\nhorizon_months = 24\ncurrency = \"EUR\"\nheadcount = 40\n[iso27001]\n[soc2]\n";
        let mut s = crate::scenario::from_text(std::path::Path::new("t.toml"), text).unwrap();
        for (key, _) in UNCERTAIN_INPUTS {
            assert!(set(&mut s, key, 3.0), "{key}");
        }
        assert_eq!(s.iso27001.as_ref().unwrap().implementation_months.get(), 3);
        assert_eq!(s.staff.loaded_monthly_cost.0, Decimal::from(3));
        assert!(!set(&mut s, "programme.headcount", 3.0));
        for (key, _) in UNCERTAIN_INPUTS {
            let label = label_of(key);
            assert!(
                label != *key && !label.contains('.') && !label.contains('_'),
                "{key}: {label}"
            );
        }
    }
}
