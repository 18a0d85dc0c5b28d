//! Per-plan overrides: a plan may set any input but the programme's identity for itself, in
//! tables of its own (`[plan.iso27001]`, `[plan.soc2]`, …), and may start from another plan
//! (`base = "…"`). Each override is read where it is written with the key's own type, so it is
//! checked with the same ranges and located at its line; the plan's scenario is then the file
//! with the overrides merged in, checked again as a whole.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::scenario::inputs::{Bounded, Fraction};
use crate::vocabulary::error::{Diagnostic, Error, Warning};

use super::{Scenario, check};

/// The tables of a plan entry that hold overrides, named as the top-level sections they change.
pub(super) const SECTIONS: [&str; 6] = [
    "programme",
    "iso27001",
    "soc2",
    "shared",
    "staff",
    "finance",
];

/// The programme keys a plan may override: the scope of its certification, not the identity
/// of the programme (name, start, horizon, currency and fiscal year are the same for every plan,
/// so that plans are compared month by month and year by year).
#[expect(
    dead_code,
    reason = "overrides are read here only to check each at its line; the plan's scenario is merged from the raw table"
)]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProgrammeOverride {
    #[serde(default)]
    pub headcount: Option<Spanned<Bounded<1, 1_000_000>>>,
    #[serde(default)]
    pub sites: Option<Bounded<1, 10_000>>,
    #[serde(default)]
    pub headcount_growth_per_year: Option<Fraction<-50, 200>>,
}

/// The finance keys a plan may override: contingency and escalation. The discount rate is the
/// company's, the same for every plan, so that their present values compare.
#[expect(
    dead_code,
    reason = "overrides are read here only to check each at its line; the plan's scenario is merged from the raw table"
)]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FinanceOverride {
    #[serde(default)]
    pub contingency: Option<crate::scenario::finance::Contingency>,
    #[serde(default)]
    pub escalation: Option<crate::scenario::finance::Escalation>,
}

/// Keys of the programme and of `[finance]` no plan may override, with why.
pub(super) fn identity_message(unknown: &str, expected: &str) -> Option<String> {
    let programme = [
        "name",
        "start",
        "horizon_months",
        "currency",
        "fiscal_year_start_month",
        "fiscal_year_naming",
        "fiscal_year_label",
    ];
    if programme.contains(&unknown) && expected.contains("`headcount_growth_per_year`") {
        return Some(format!(
            "`{unknown}` is part of the programme's identity, the same for every plan so that \
             plans compare month by month: a plan may override headcount, sites and \
             headcount_growth_per_year"
        ));
    }
    if unknown == "discount_rate" && expected.contains("`escalation`") {
        return Some(
            "the discount rate is the company's, the same for every plan so that present values \
             compare: a plan may override contingency and escalation"
                .into(),
        );
    }
    None
}

/// `from` merged into `into`: tables key by key, any other value (arrays included) replaced.
pub(super) fn merge(into: &mut toml::Table, from: &toml::Table) {
    for (key, value) in from {
        match (into.get_mut(key), value) {
            (Some(toml::Value::Table(mine)), toml::Value::Table(theirs)) => merge(mine, theirs),
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

/// The override tables of a raw plan entry.
pub(super) fn own_overrides(entry: &toml::Table) -> toml::Table {
    SECTIONS
        .iter()
        .filter_map(|s| entry.get(*s).map(|v| (s.to_string(), v.clone())))
        .collect()
}

/// Every leaf of `table` as (dotted key, value as written); a cost written as a table
/// (`{ amount, paid }`) and an array stay one value.
pub(super) fn leaves(prefix: &str, table: &toml::Table, out: &mut Vec<(String, String)>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) if !inner.contains_key("amount") => {
                leaves(&path, inner, out);
            }
            _ => out.push((path, value.to_string())),
        }
    }
}

/// The scenario as a plan with `overrides` sees it: the file's sections with the overrides
/// merged in, checked as a whole (every rule that joins keys runs again).
pub(super) fn plan_scenario(
    path: &Path,
    raw: &toml::Table,
    overrides: &toml::Table,
) -> Result<Scenario, Error> {
    let mut doc = raw.clone();
    for key in ["plan", "risk", "demand"] {
        doc.remove(key);
    }
    merge(&mut doc, overrides);
    let text = toml::to_string(&doc).map_err(|e| {
        Error::from(Diagnostic::at(
            path,
            "",
            None,
            None,
            format!("the plan's overrides cannot be merged: {e}"),
        ))
    })?;
    let mut scenario = check(path, &text)?;
    // What only reading the file needs stays with the whole scenario.
    scenario.plans = Vec::new();
    scenario.given = Default::default();
    scenario.given_lines = Default::default();
    Ok(scenario)
}

/// The plan's scenario, shared by the plan and its copies.
pub(super) fn inputs(scenario: Scenario) -> super::PlanInputs {
    super::PlanInputs(Arc::new(scenario))
}

/// Warnings of a plan's scenario that the whole scenario does not already give, named for the
/// plan.
pub(super) fn plan_warnings(
    plan_key: &str,
    plan: &str,
    theirs: &[Warning],
    ours: &[Warning],
) -> Vec<Warning> {
    theirs
        .iter()
        .filter(|w| {
            !ours
                .iter()
                .any(|o| o.key == w.key && o.message == w.message)
        })
        .map(|w| Warning {
            key: format!("{plan_key}.{}", w.key),
            message: format!("plan `{plan}`: {}", w.message),
        })
        .collect()
}
