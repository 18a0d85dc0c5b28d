//! What-if plans and the business case: per-plan overrides, demand, finance (issue: "compare
//! business cases").

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{certplan, read_records, repo, run_into};

const BASE: &str = "[programme]\nname = \"Case\"\nstart = \"2027-01\"\nhorizon_months = 36\ncurrency = \"USD\"\nheadcount = 50\n\n[iso27001]\nday_rate = 1800\n\n[soc2]\n";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

/// The files of a `plan` run that carry figures (not the report, whose footer names the file's
/// hash).
fn figures(scenario: &Path) -> Vec<(String, Vec<u8>)> {
    let (out, _) = run_into("plan", scenario);
    [
        "monthly_costs.csv",
        "schedule.csv",
        "summary.csv",
        "budget_by_fiscal_year.csv",
    ]
    .iter()
    .map(|f| (f.to_string(), fs::read(out.path().join(f)).unwrap()))
    .collect()
}

fn compare_json(scenario: &Path) -> Value {
    let out = certplan()
        .args(["compare", "--format", "json", "--no-write"])
        .arg(scenario)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn an_override_equal_to_the_base_value_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plain =
        format!("{BASE}\n[[plan]]\nname = \"iso\"\nframeworks = [{{ name = \"iso27001\" }}]\n");
    let same = format!(
        "{plain}[plan.iso27001]\nday_rate = 1800\nimplementation_months = 4\n[plan.staff]\nloaded_monthly_cost = 12000\n"
    );
    assert_eq!(
        figures(&write(dir.path(), "plain.toml", &plain)),
        figures(&write(dir.path(), "same.toml", &same))
    );
}

#[test]
fn an_override_changes_only_its_plan_and_a_base_passes_it_on() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{BASE}\n[[plan]]\nname = \"cheap\"\nframeworks = [{{ name = \"iso27001\" }}]\n\n[[plan]]\nname = \"premium\"\nbase = \"cheap\"\n[plan.iso27001]\nday_rate = 2400\n\n[[plan]]\nname = \"premium-fast\"\nbase = \"premium\"\n[plan.iso27001]\nimplementation_months = 2\n"
    );
    let json = compare_json(&write(dir.path(), "s.toml", &text));
    let plans = json["plans"].as_array().unwrap();
    let total = |i: usize| {
        plans[i]["total_cost"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    assert!(total(1) > total(0), "a higher day rate costs more");
    assert_eq!(
        plans[0]["first_iso_certificate"],
        plans[1]["first_iso_certificate"]
    );
    assert!(
        plans[2]["first_iso_certificate"].as_str() < plans[1]["first_iso_certificate"].as_str(),
        "two months' implementation certifies earlier"
    );
    // The audit-day cost of the premium plans is 2400/1800 of the cheap one's.
    let (out, _) = run_into("plan", &write(dir.path(), "t.toml", &text));
    let fees = |plan: &str| -> f64 {
        read_records(&out.path().join("monthly_costs.csv"))
            .iter()
            .filter(|r| r["plan"] == plan && r["category"] == "audit_fees")
            .map(|r| r["amount"].parse::<f64>().unwrap())
            .sum()
    };
    let ratio = fees("premium") / fees("cheap");
    assert!((ratio - 2400.0 / 1800.0).abs() < 1e-9, "{ratio}");
    assert!((fees("premium-fast") / fees("premium") - 1.0).abs() < 0.2);
    // The assumptions say which plan overrides what.
    let report = fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        report.contains("plan premium-fast: iso27001.day_rate"),
        "inherited override listed"
    );
    assert!(
        report.contains("from plan premium"),
        "and where it comes from"
    );
}

#[test]
fn overrides_are_checked_at_their_line_with_the_keys_own_range() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[&str]); 6] = [
        (
            "[plan.iso27001]\nimplementaton_months = 3\n",
            &[":17:1:", "did you mean `implementation_months`?"],
        ),
        (
            "[plan.soc2]\nfirst_window_months = 40\n",
            &[
                ":17:23:",
                "plan[1].soc2.first_window_months",
                "from 1 to 12",
            ],
        ),
        (
            "[plan.programme]\nstart = \"2028-01\"\n",
            &[":17:1:", "part of the programme's identity"],
        ),
        (
            "[plan.finance]\ndiscount_rate = 0.1\n",
            &[":17:1:", "the discount rate is the company's"],
        ),
        (
            "[plan.iso27001]\nrepetitive_work_persons = 80\n",
            &[":17:", "plan `iso`, with its overrides", "headcount is 50"],
        ),
        ("base = \"isso\"\n", &["did you mean `iso`?"]),
    ];
    for (tail, expected) in cases {
        let text = format!(
            "{BASE}\n[[plan]]\nname = \"iso\"\nframeworks = [{{ name = \"iso27001\" }}]\n\n[[plan]]\nname = \"x\"\n{}",
            if tail.starts_with("base") {
                tail.to_string()
            } else {
                format!("frameworks = [{{ name = \"iso27001\" }}]\n{tail}").replacen(
                    "x\"\nframeworks",
                    "x\"\nframeworks",
                    1,
                )
            }
        );
        // The overrides belong to the first plan for all but the `base` case.
        let text = if tail.starts_with("base") {
            text
        } else {
            format!(
                "{BASE}\n[[plan]]\nname = \"iso\"\nframeworks = [{{ name = \"iso27001\" }}]\n{tail}"
            )
        };
        let path = write(dir.path(), "bad.toml", &text);
        let out = certplan().arg("validate").arg(&path).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{tail}: {stderr}");
        for fragment in expected {
            assert!(
                stderr.contains(fragment),
                "{tail}: expected {fragment:?} in {stderr}"
            );
        }
    }
}

/// Every key a plan may override, from the schema: a value in range is accepted, one out of range
/// is refused at its line, naming the plan's key.
#[test]
fn every_overridable_key_can_be_overridden_and_is_checked() {
    let schema = certplan::scenario::schema::schema();
    let plan = &schema["properties"]["plan"]["items"]["properties"];
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for section in [
        "programme",
        "iso27001",
        "soc2",
        "shared",
        "staff",
        "finance",
    ] {
        let keys = plan[section]["properties"].as_object().unwrap();
        assert!(!keys.is_empty(), "{section}");
        for (key, property) in keys {
            let plain = property
                .get("anyOf")
                .and_then(|a| a.get(0))
                .unwrap_or(property);
            // A good and a bad value for the key's type.
            let (good, bad): (String, String) = match plain["type"].as_str() {
                Some("integer") => (
                    plain["minimum"].to_string(),
                    (plain["maximum"].as_i64().unwrap() + 1).to_string(),
                ),
                Some("boolean") => ("true".into(), "\"yes\"".into()),
                Some("object") => {
                    // A table of keys: set its first numeric key, or skip it.
                    let inner = plain["properties"].as_object().unwrap();
                    let Some((k, _)) = inner
                        .iter()
                        .find(|(k, _)| *k != "from" && *k != "per" && *k != "paid")
                    else {
                        continue;
                    };
                    (format!("{{ {k} = 0 }}"), format!("{{ {k} = -1 }}"))
                }
                Some("array") => continue,
                _ if plain.get("enum").is_some() => {
                    (plain["enum"][0].to_string(), "\"no-such-choice\"".into())
                }
                _ if plain.get("anyOf").is_some() => {
                    // Money or a fraction: its lowest value is in range, a word is not.
                    let min = plain["anyOf"][0]["minimum"].as_f64().unwrap_or(0.0);
                    (format!("{min}").replace(".0", ""), "\"lots\"".into())
                }
                _ if plain.get("pattern").is_some() && key == "start" => continue,
                _ => continue,
            };
            let good = if section == "programme" && key == "headcount" {
                "40".to_string()
            } else {
                good
            };
            for (value, ok) in [(&good, true), (&bad, false)] {
                let text = format!(
                    "{BASE}\n[[plan]]\nname = \"p\"\nframeworks = [{{ name = \"iso27001\" }}, {{ name = \"soc2\" }}]\n[plan.{section}]\n{key} = {value}\n"
                );
                let path = write(dir.path(), "s.toml", &text);
                let out = certplan().arg("validate").arg(&path).output().unwrap();
                let stderr = String::from_utf8(out.stderr).unwrap();
                if ok {
                    assert!(out.status.success(), "{section}.{key} = {value}: {stderr}");
                } else {
                    assert_eq!(
                        out.status.code(),
                        Some(2),
                        "{section}.{key} = {value}: {stderr}"
                    );
                    assert!(
                        stderr.contains(":17:"),
                        "{section}.{key} = {value} at its line: {stderr}"
                    );
                    assert!(
                        stderr.contains(&format!("plan[1].{section}.{key}")),
                        "{section}.{key}: {stderr}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 80, "{checked} values");
}

#[test]
fn shared_controls_make_soc2_then_iso_certify_sooner_than_iso_alone() {
    let dir = tempfile::tempdir().unwrap();
    let json = compare_json(&write(dir.path(), "s.toml", BASE));
    let plans = json["plans"].as_array().unwrap();
    let find = |name: &str| plans.iter().find(|p| p["plan"] == name).unwrap();
    let months = |p: &Value, offset: i64| {
        let d = p["first_iso_certificate"].as_str().unwrap();
        let (y, m) = (
            d[..4].parse::<i64>().unwrap(),
            d[5..7].parse::<i64>().unwrap(),
        );
        (y - 2027) * 12 + m - 1 - offset
    };
    // ISO alone: 1 + 4 months' build; after SOC 2 (ISO from month 6), half of it (3 months).
    let alone = months(find("iso-only"), 0);
    let after_soc2 = months(find("soc2-then-iso"), 6);
    assert_eq!(alone - after_soc2, 2, "{alone} vs {after_soc2}");
    // Without the time saving, as long as alone.
    let none = format!(
        "{BASE}\n[[plan]]\nname = \"soc2-then-iso\"\nshared_control_time_saving = 0\nframeworks = [{{ name = \"soc2\" }}, {{ name = \"iso27001\", start_offset_months = 6 }}]\n"
    );
    let json = compare_json(&write(dir.path(), "t.toml", &none));
    assert_eq!(months(&json["plans"][0], 6), alone);
}

#[test]
fn external_audits_start_on_working_days_and_skip_holidays() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{BASE}[calendar]\nholidays = [\"2027-08-02\"]\n");
    let (out, _) = run_into("plan", &write(dir.path(), "s.toml", &text));
    let audits = [
        "stage1_audit",
        "stage2_audit",
        "surveillance_audit",
        "recertification_audit",
    ];
    let mut seen = 0;
    for r in read_records(&out.path().join("schedule.csv")) {
        if !audits.contains(&r["event"].as_str()) {
            continue;
        }
        for day in [&r["start"], &r["end"]] {
            let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
            let weekday = chrono::Datelike::weekday(&date);
            assert!(
                !matches!(weekday, chrono::Weekday::Sat | chrono::Weekday::Sun),
                "{} of {} on a {weekday}",
                r["event"],
                r["plan"]
            );
            assert_ne!(day, "2027-08-02", "on the listed holiday");
        }
        seen += 1;
    }
    assert!(seen > 8, "{seen} audits");
}

#[test]
fn a_demand_worth_zero_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let with = format!(
        "{BASE}\n[[demand]]\nname = \"nothing\"\nneeds = \"iso27001_certificate\"\nmonthly_revenue = 0\nwin_probability = 0.5\n"
    );
    let plain = write(dir.path(), "plain.toml", BASE);
    let zero = write(dir.path(), "zero.toml", &with);
    assert_eq!(figures(&plain), figures(&zero));
    let (a, b) = (compare_json(&plain), compare_json(&zero));
    for (p, q) in a["plans"]
        .as_array()
        .unwrap()
        .iter()
        .zip(b["plans"].as_array().unwrap())
    {
        assert_eq!(p["total_cost"], q["total_cost"]);
        assert_eq!(p["recommended"], q["recommended"], "same ranking");
        assert_eq!(q["business_case"]["expected_revenue"], "0.00");
    }
}

#[test]
fn npv_at_a_zero_rate_is_the_plain_sum() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{BASE}[finance]\ndiscount_rate = 0\n");
    let json = compare_json(&write(dir.path(), "s.toml", &text));
    for p in json["plans"].as_array().unwrap() {
        assert_eq!(p["npv_cost"], p["total_cost"], "{}", p["plan"]);
    }
    // Without [finance], no present value at all and the same figures.
    let plain = compare_json(&write(dir.path(), "p.toml", BASE));
    assert!(plain["plans"][0].get("npv_cost").is_none());
    assert_eq!(
        plain["plans"][0]["total_cost"],
        json["plans"][0]["total_cost"]
    );
}

#[test]
fn escalation_and_contingency_match_a_hand_computation() {
    let dir = tempfile::tempdir().unwrap();
    // A platform billed monthly at 1,000; subscriptions rise 10 % from 2028-01, again 2029-01.
    // A contingency of 10 % of build and 5 % of run cost, as its own category.
    let text = format!(
        "{BASE}[shared]\nplatform = {{ amount = 1000, per = \"month\", extra_framework = 0 }}\n[finance]\ncontingency = {{ build = 0.10, run = 0.05 }}\nescalation = {{ subscriptions = 0.10, from = \"2028-01\" }}\n\n[[plan]]\nname = \"iso\"\nframeworks = [{{ name = \"iso27001\" }}]\n"
    );
    let (out, _) = run_into("plan", &write(dir.path(), "s.toml", &text));
    let rows = read_records(&out.path().join("monthly_costs.csv"));
    let platform = |month: &str| -> String {
        rows.iter()
            .find(|r| r["month"] == month && r["category"] == "platform")
            .map(|r| r["amount"].clone())
            .unwrap()
    };
    assert_eq!(platform("2027-06"), "1000.00");
    assert_eq!(platform("2028-01"), "1100.00");
    assert_eq!(platform("2029-01"), "1210.00");
    // Each month's contingency is 10 % of its build and 5 % of its run cost, to the cent.
    let months: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["month"].as_str()).collect();
    let cents = |s: &str| -> i64 { (s.parse::<f64>().unwrap() * 100.0).round() as i64 };
    for month in months {
        for (nature, pct) in [("build", 10), ("run", 5)] {
            let cost: i64 = rows
                .iter()
                .filter(|r| {
                    r["month"] == month && r["nature"] == nature && r["category"] != "contingency"
                })
                .map(|r| cents(&r["amount"]))
                .sum();
            let reserve: i64 = rows
                .iter()
                .filter(|r| {
                    r["month"] == month && r["nature"] == nature && r["category"] == "contingency"
                })
                .map(|r| cents(&r["amount"]))
                .sum();
            // Half up, to the cent.
            let expected = (cost * pct + 50).div_euclid(100);
            assert_eq!(reserve, expected, "{month} {nature}");
        }
    }
}

#[test]
fn demand_is_unlocked_by_the_first_qualifying_report_and_ranks_the_plans() {
    let (out, stdout) = run_into("compare", &repo().join("scenarios/business-case.toml"));
    assert!(
        stdout.contains("ranked by expected net present value"),
        "{stdout}"
    );
    let rows = read_records(&out.path().join("comparison.csv"));
    for r in &rows {
        // US mid-market needs a Type II report: unlocked on the plan's first Type II report.
        assert_eq!(
            r["demand_1_unlocked"], r["first_soc2_type2_report"],
            "{}",
            r["plan"]
        );
        let net =
            r["expected_revenue"].parse::<f64>().unwrap() - r["total_cost"].parse::<f64>().unwrap();
        assert!((net - r["expected_net_value"].parse::<f64>().unwrap()).abs() < 0.005);
        // The fiscal years' net positions add up to the whole.
        let by_year: f64 = r
            .iter()
            .filter(|(k, _)| k.starts_with("net_FY"))
            .map(|(_, v)| v.parse::<f64>().unwrap())
            .sum();
        assert!(
            (by_year - net).abs() < 0.005,
            "{} by fiscal year",
            r["plan"]
        );
    }
    let best = rows
        .iter()
        .max_by(|a, b| {
            a["npv_net_value"]
                .parse::<f64>()
                .unwrap()
                .total_cmp(&b["npv_net_value"].parse::<f64>().unwrap())
        })
        .unwrap();
    assert_eq!(best["recommended"], "true");
    assert!(out.path().join("net_value.png").exists());
    // Every business input is in the assumptions, with its line.
    let report = fs::read_to_string(out.path().join("report.html")).unwrap();
    for row in [
        "<code>finance.discount_rate</code></td><td>0.1</td><td>scenario, line 30",
        "<code>calendar.holidays</code>",
        "<code>demand Nordbank tender</code></td><td>needs: ISO/IEC 27001 certificate; $240,000.00 once",
    ] {
        assert!(report.contains(row), "{row}");
    }
}

#[test]
fn a_plan_that_fixes_an_input_keeps_it_in_every_draw() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[programme]\nname = \"Case\"\nstart = \"2027-01\"\nhorizon_months = 36\ncurrency = \"USD\"\nheadcount = 50\n\n[iso27001]\nday_rate = { low = 1200, likely = 1800, high = 3000 }\n\n[[plan]]\nname = \"quoted\"\nframeworks = [{ name = \"iso27001\" }]\n[plan.iso27001]\nday_rate = 2000\n\n[[plan]]\nname = \"open\"\nframeworks = [{ name = \"iso27001\" }]\n";
    let (out, _) = run_into("risk", &write(dir.path(), "s.toml", text));
    let rows = read_records(&out.path().join("risk_summary.csv"));
    let total = |plan: &str| {
        rows.iter()
            .find(|r| r["plan"] == plan && r["metric"] == "total_cost")
            .unwrap()
            .clone()
    };
    let quoted = total("quoted");
    assert_eq!(quoted["p10"], quoted["p90"], "a quote is not drawn");
    let open = total("open");
    assert_ne!(open["p10"], open["p90"], "the range is drawn");
}

#[test]
fn unusual_business_inputs_are_refused_or_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let run = |text: &str| {
        let path = write(dir.path(), "s.toml", text);
        let out = certplan().arg("validate").arg(&path).output().unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    // A bidi override in a demand's name would reorder what a terminal shows.
    let (code, stderr) = run(&format!(
        "{BASE}\n[[demand]]\nname = \"EU \u{202e}deal\"\nneeds = \"iso27001_certificate\"\ncontract_value = 1000\nwin_probability = 0.5\n"
    ));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("demand[1].name"), "{stderr}");
    // Worth both ways, or neither.
    let (code, stderr) = run(&format!(
        "{BASE}\n[[demand]]\nname = \"x\"\nneeds = \"soc2_type2_report\"\nmonthly_revenue = 1\ncontract_value = 1\nwin_probability = 0.5\n"
    ));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not both"), "{stderr}");
    // Overrides of a framework the plan does not pursue; escalation before the start.
    let (code, stderr) = run(&format!(
        "{BASE}[finance]\nescalation = {{ staff = 0.03, from = \"2026-01\" }}\n\n[[plan]]\nname = \"iso\"\nframeworks = [{{ name = \"iso27001\" }}]\n[plan.soc2]\ntype2_fee = 1\n"
    ));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("does not pursue SOC 2: they have no effect"),
        "{stderr}"
    );
    assert!(stderr.contains("escalation starts in 2026-01"), "{stderr}");
}
