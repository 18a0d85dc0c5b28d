//! The JSON Schema editors use is in step with the reader: both accept every shipped scenario,
//! both reject a set of bad ones, and they agree at both ends of every whole-number range.

use std::path::Path;

use serde_json::Value;

use crate::common::{certplan, repo, shipped_scenarios};

fn schema() -> Value {
    let out = certplan().arg("schema").output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A TOML document as JSON, as Taplo sees it (dates as strings).
fn to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn schema_accepts(validator: &jsonschema::Validator, text: &str) -> bool {
    match text.parse::<toml::Table>() {
        Ok(table) => validator.is_valid(&to_json(&toml::Value::Table(table))),
        Err(_) => false,
    }
}

fn reader_accepts(text: &str) -> bool {
    certplan::scenario::from_text(Path::new("s.toml"), text).is_ok()
}

#[test]
fn the_shipped_schema_is_what_certplan_schema_prints() {
    let shipped: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("docs/scenario.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        shipped,
        schema(),
        "run: certplan schema > docs/scenario.schema.json"
    );
    for scenario in shipped_scenarios() {
        let text = std::fs::read_to_string(&scenario).unwrap();
        if scenario.ends_with("starter.toml") {
            continue;
        }
        assert!(
            text.starts_with("#:schema ../docs/scenario.schema.json\n"),
            "{} points editors at the schema",
            scenario.display()
        );
    }
}

#[test]
fn schema_and_reader_accept_every_shipped_scenario_and_reject_bad_ones() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let mut good: Vec<String> = shipped_scenarios()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    good.push(std::fs::read_to_string(repo().join("tests/fixtures/every-key.toml")).unwrap());
    for text in &good {
        assert!(reader_accepts(text));
        assert!(schema_accepts(&validator, text), "schema rejects:\n{text}");
    }
    let base = std::fs::read_to_string(repo().join("tests/fixtures/every-key.toml")).unwrap();
    let bad = [
        ("horizon_months = 60", "horizon_months = 0"),
        ("horizon_months = 60", "horizon_months = \"sixty\""),
        ("sites = 1 ", "site_count = 1 "),
        ("day_rate = 1800", "day_rate = -1800"),
        ("day_rate = 1800", "day_rate = 1800.5"),
        ("start = \"2027-01\"", "start = \"2027-13\""),
        ("currency = \"USD\"", "currency = \"dollars\""),
        (
            "categories = [\"security\"]",
            "categories = [\"availability\"]",
        ),
        (
            "audit_fees_paid = \"at_fieldwork\"",
            "audit_fees_paid = \"later\"",
        ),
        (
            "frameworks = [{ name = \"soc2\" }]",
            "frameworks = [\"soc2\"]",
        ),
        ("frameworks = [{ name = \"soc2\" }]", "frameworks = []"),
        ("name = \"soc2-only\"", "name = \"../etc/passwd\""),
        (
            "shared_control_fraction = 0.7",
            "shared_control_fraction = 1.7",
        ),
        ("report_lag_weeks = 6", "report_lag_weeks = 18"),
    ];
    for (from, to) in bad {
        assert!(base.contains(from), "{from}");
        let text = base.replacen(from, to, 1);
        assert!(!reader_accepts(&text), "reader accepts {to}");
        assert!(!schema_accepts(&validator, &text), "schema accepts {to}");
    }
}

#[test]
fn schema_and_reader_agree_at_both_ends_of_every_whole_number_range() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let base = "[programme]\nname = \"B\"\nstart = \"2027-01\"\nhorizon_months = 24\ncurrency = \"EUR\"\nheadcount = 1000000\n[iso27001]\naudit_days = 10\n[soc2]\n";
    let mut checked = 0;
    for section in ["programme", "iso27001", "soc2"] {
        let properties = schema["properties"][section]["properties"]
            .as_object()
            .unwrap();
        for (key, property) in properties {
            // A key that also takes a range: its plain form is the first choice.
            let property = property
                .get("anyOf")
                .and_then(|a| a.get(0))
                .unwrap_or(property);
            if property["type"] != "integer" {
                continue;
            }
            let (min, max) = (
                property["minimum"].as_i64().unwrap(),
                property["maximum"].as_i64().unwrap(),
            );
            for value in [min - 1, min, max, max + 1] {
                let line = format!("{key} = {value}");
                let header = format!("[{section}]\n");
                let text = if base.contains(&format!("\n{key} = ")) {
                    let old = base
                        .lines()
                        .find(|l| l.starts_with(&format!("{key} = ")))
                        .unwrap();
                    base.replacen(old, &line, 1)
                } else {
                    base.replacen(&header, &format!("{header}{line}\n"), 1)
                };
                assert_eq!(
                    reader_accepts(&text),
                    schema_accepts(&validator, &text),
                    "{section}.{key} = {value}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "{checked} boundary values");
}
