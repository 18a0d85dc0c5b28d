//! `certplan baseline` and `certplan track`: the frozen plan, actuals, events, variance and the
//! re-forecast.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::common::{certplan, read_records, repo};

fn shipped() -> String {
    fs::read_to_string(repo().join("scenarios/tracking/scenario.toml")).unwrap()
}

/// The shipped tracking scenario up to its `[tracking]` section.
fn plan_part() -> String {
    let text = shipped();
    text[..text.find("\n[tracking]").unwrap() + 1].to_string()
}

/// A folder with the shipped scenario's plan, `tracking` as its `[tracking]` section, the
/// shipped baseline and `actuals` as actuals.csv.
fn fixture(tracking: &str, actuals: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("scenario.toml"),
        format!("{}{tracking}", plan_part()),
    )
    .unwrap();
    fs::copy(
        repo().join("scenarios/tracking/baseline.json"),
        dir.path().join("baseline.json"),
    )
    .unwrap();
    fs::write(dir.path().join("actuals.csv"), actuals).unwrap();
    dir
}

fn track(dir: &Path) -> (tempfile::TempDir, String, String) {
    let out = tempfile::tempdir().unwrap();
    let assert = certplan()
        .arg("track")
        .arg(dir.join("scenario.toml"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let o = assert.get_output();
    // The headline is wrapped to the terminal: read it as one line.
    let stdout = String::from_utf8(o.stdout.clone()).unwrap();
    let headline = stdout.split("\n\n").next().unwrap_or("").replace('\n', " ");
    (
        out,
        format!("{headline}\n\n{stdout}"),
        String::from_utf8(o.stderr.clone()).unwrap(),
    )
}

fn rejects(dir: &Path, expected: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let assert = certplan()
        .arg("track")
        .arg(dir.join("scenario.toml"))
        .arg("--out")
        .arg(out.path().join("o"))
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in:\n{stderr}");
    }
    assert!(!out.path().join("o").exists(), "no partial output");
}

fn dec(s: &str) -> Decimal {
    if s.is_empty() {
        Decimal::ZERO
    } else {
        Decimal::from_str(s).unwrap()
    }
}

/// The shipped baseline's ledger as actuals: one row per month and category up to `as_of`.
fn baseline_as_actuals(as_of: &str) -> String {
    let baseline: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(repo().join("scenarios/tracking/baseline.json")).unwrap(),
    )
    .unwrap();
    let mut csv = String::from("date,amount,category\n");
    for cost in baseline["ledger"].as_array().unwrap() {
        let month = cost["month"].as_str().unwrap();
        let date = format!("{month}-28");
        if date.as_str() <= as_of {
            csv.push_str(&format!(
                "{date},{},{}\n",
                cost["amount"].as_str().unwrap(),
                cost["category"].as_str().unwrap()
            ));
        }
    }
    csv
}

const PLAIN: &str =
    "[tracking]\nbaseline = \"baseline.json\"\nas_of = \"2026-12-31\"\nactuals = \"actuals.csv\"\n";

#[test]
fn actuals_equal_to_the_baseline_and_no_events_give_zero_variance_and_the_baseline_as_forecast() {
    let dir = fixture(PLAIN, &baseline_as_actuals("2026-12-31"));
    let (out, stdout, _) = track(dir.path());
    let variance = read_records(&out.path().join("variance.csv"));
    assert!(variance.len() > 20, "{variance:?}");
    for row in &variance {
        assert_eq!(row["variance"], "0.00", "{row:?}");
        assert_eq!(row["actual"], row["baseline"], "{row:?}");
    }
    let forecast = read_records(&out.path().join("forecast.csv"));
    assert_eq!(forecast.len(), 36);
    for row in &forecast {
        let value = if row["actual"].is_empty() {
            &row["forecast"]
        } else {
            &row["actual"]
        };
        assert_eq!(value, &row["baseline"], "{row:?}");
        assert_eq!(row["cumulative_forecast"], row["cumulative_baseline"]);
    }
    assert!(
        stdout.starts_with("Spent £182,430 of £182,430 planned to date (0.0 %); forecast £367,110 against a baseline of £367,110"),
        "{stdout}"
    );
}

#[test]
fn every_variance_cell_is_actual_less_baseline_and_the_forecast_is_actuals_plus_the_remainder() {
    let (out, stdout, stderr) = track(&repo().join("scenarios/tracking"));
    assert!(!stderr.contains("other scenario bytes"), "{stderr}");
    let variance = read_records(&out.path().join("variance.csv"));
    for row in &variance {
        assert_eq!(
            dec(&row["variance"]),
            dec(&row["actual"]) - dec(&row["baseline"]),
            "{row:?}"
        );
    }
    // Every month-and-category row adds up to its fiscal year's subtotal.
    let mut by_year: BTreeMap<String, Decimal> = BTreeMap::new();
    for row in variance.iter().filter(|r| r["kind"] == "month") {
        let month = &row["period"];
        // April to March, named by the year it ends.
        let (y, m): (i32, u32) = (month[..4].parse().unwrap(), month[5..].parse().unwrap());
        let fy = if m >= 4 { y + 1 } else { y };
        *by_year.entry(format!("FY{fy}")).or_default() += dec(&row["actual"]);
    }
    for row in variance
        .iter()
        .filter(|r| r["kind"] == "fiscal_year" && r["category"] == "total")
    {
        assert_eq!(by_year[&row["period"]], dec(&row["actual"]), "{row:?}");
    }
    let forecast = read_records(&out.path().join("forecast.csv"));
    let actual: Decimal = forecast.iter().map(|r| dec(&r["actual"])).sum();
    let after: Decimal = forecast.iter().map(|r| dec(&r["forecast"])).sum();
    let last = forecast.last().unwrap();
    assert_eq!(dec(&last["cumulative_forecast"]), actual + after);
    let summary: BTreeMap<String, String> = read_records(&out.path().join("tracking_summary.csv"))
        .into_iter()
        .map(|r| (r["figure"].clone(), r["value"].clone()))
        .collect();
    assert_eq!(summary["actual_to_date"], "188579.55");
    assert_eq!(
        dec(&summary["estimate_at_completion"]),
        actual + after,
        "{summary:?}"
    );
    assert_eq!(
        dec(&summary["variance_at_completion"]),
        dec(&summary["estimate_at_completion"]) - dec(&summary["baseline_at_completion"])
    );
    // The actuals CSV's own sum.
    let csv = read_records(&repo().join("scenarios/tracking/actuals.csv"));
    assert_eq!(
        csv.iter().map(|r| dec(&r["amount"])).sum::<Decimal>(),
        actual
    );
    assert!(
        stdout.starts_with("Spent £188,580 of £182,430 planned to date (+3.4 %); forecast £373,260 against a baseline of £367,110; ISO/IEC 27001 certificate 2026-12-21, 28 days later"),
        "{stdout}"
    );
    assert!(stdout.contains("FY2027 over the cap by £157"), "{stdout}");
}

fn milestones(out: &Path) -> BTreeMap<(String, String), (String, String, String)> {
    read_records(&out.join("milestones.csv"))
        .into_iter()
        .map(|r| {
            (
                (r["milestone"].clone(), r["occurrence"].clone()),
                (
                    r["planned"].clone(),
                    r["now"].clone(),
                    r["days_slipped"].clone(),
                ),
            )
        })
        .collect()
}

#[test]
fn a_stage2_held_30_days_late_moves_the_decision_and_every_later_audit_by_the_rules() {
    // Planned: Stage 2 2026-10-13 (7.5 auditor-days: five working days to 2026-10-19), decision
    // 5 weeks later on 2026-11-23, surveillance 1 eleven months after it (2027-10-23, a
    // Saturday: 2027-10-25), surveillance 2 a year after that (2028-10-23).
    // Held 30 days late, on Thursday 2026-11-12: five working days end on 2026-11-18, the
    // decision is 35 days later (2026-12-23, I4), surveillance 1 on 2027-11-23 and surveillance
    // 2 on 2028-11-23 (I6: within 12 months of the decision, then a year on).
    let dir = fixture(
        &format!(
            "{PLAIN}\n[[tracking.event]]\nkind = \"audit_held\"\naudit = \"stage2_audit\"\ndate = \"2026-11-12\"\n"
        ),
        "date,amount,category\n",
    );
    let (out, _, _) = track(dir.path());
    let m = milestones(out.path());
    let row = |kind: &str, n: &str| m[&(kind.to_string(), n.to_string())].clone();
    assert_eq!(
        row("stage2_audit", "1"),
        ("2026-10-13".into(), "2026-11-12".into(), "30".into())
    );
    assert_eq!(
        row("certification_decision", "1"),
        ("2026-11-23".into(), "2026-12-23".into(), "30".into())
    );
    assert_eq!(
        row("surveillance_audit", "1"),
        ("2027-10-25".into(), "2027-11-23".into(), "29".into())
    );
    assert_eq!(
        row("surveillance_audit", "2"),
        ("2028-10-23".into(), "2028-11-23".into(), "31".into())
    );
    let schedule = read_records(&out.path().join("schedule.csv"));
    let certificate = schedule
        .iter()
        .find(|r| r["event"] == "certificate")
        .unwrap();
    assert_eq!(
        (certificate["start"].as_str(), certificate["end"].as_str()),
        ("2026-12-23", "2029-12-23"),
        "I5: three years from the decision"
    );
}

#[test]
fn a_major_nonconformity_at_surveillance_suspends_and_beyond_six_months_withdraws() {
    let event = |months: u32| {
        format!(
            "[tracking]\nbaseline = \"baseline.json\"\nas_of = \"2027-11-30\"\nactuals = \"actuals.csv\"\n\n\
             [[tracking.event]]\nkind = \"major_nonconformity\"\naudit = \"surveillance_audit\"\ndate = \"2027-10-28\"\nmonths = {months}\n"
        )
    };
    // Surveillance 1 is held 2027-10-25 to 2027-10-28 (3.5 auditor-days).
    let dir = fixture(&event(3), "date,amount,category\n");
    let (out, _, _) = track(dir.path());
    let schedule = read_records(&out.path().join("schedule.csv"));
    let suspension = schedule
        .iter()
        .find(|r| r["event"] == "suspension")
        .expect("a suspension");
    assert_eq!(
        (suspension["start"].as_str(), suspension["end"].as_str()),
        ("2027-10-29", "2028-01-28"),
        "I9: suspended until the nonconformity is closed, three months on"
    );
    assert!(!schedule.iter().any(|r| r["event"] == "withdrawal"));

    let dir = fixture(&event(8), "date,amount,category\n");
    let (out, _, _) = track(dir.path());
    let schedule = read_records(&out.path().join("schedule.csv"));
    let withdrawal = schedule
        .iter()
        .find(|r| r["event"] == "withdrawal")
        .expect("a withdrawal");
    assert_eq!(
        withdrawal["start"], "2028-04-29",
        "I9: withdrawn six months after the suspension"
    );
    assert!(
        schedule
            .iter()
            .any(|r| r["event"] == "stage1_audit" && r["cycle"] == "2"),
        "a restart from Stage 1 (I9)"
    );
}

#[test]
fn bad_actuals_and_events_exit_2_with_their_line() {
    let csv_rows = [
        (
            "date,amount,category\n2026-02-01,100,platform\n2026-03-01,100,lunch\n",
            "actuals.csv:3:16: `lunch` is not a cost category",
        ),
        (
            "date,amount,category\n2026-02-01,100.255,platform\n",
            "actuals.csv:2:12: `100.255` has 3 decimals: GBP has 2",
        ),
        (
            "date,amount,category\n2027-01-05,100,platform\n",
            "actuals.csv:2:1: this actual is dated 2027-01-05, after as_of (2026-12-31)",
        ),
        (
            "date,amount,category\n2026-02-30,100,platform\n",
            "actuals.csv:2:1: `2026-02-30` is not a date",
        ),
        (
            "date,amount\n2026-02-01,100\n",
            "actuals.csv:1:1: the header has no column `category`",
        ),
    ];
    for (csv, expected) in csv_rows {
        rejects(fixture(PLAIN, csv).path(), &[expected]);
    }
    let lines = plan_part().lines().count();
    let future = format!(
        "{PLAIN}\n[[tracking.event]]\nkind = \"audit_held\"\naudit = \"stage2_audit\"\ndate = \"2027-02-01\"\n"
    );
    rejects(
        fixture(&future, "date,amount,category\n").path(),
        &[
            &format!("scenario.toml:{}:", lines + 6),
            "this event is dated 2027-02-01, after as_of (2026-12-31)",
        ],
    );
    let unknown = format!("{PLAIN}\n[[tracking.event]]\nkind = \"party\"\ndate = \"2026-02-01\"\n");
    rejects(
        fixture(&unknown, "date,amount,category\n").path(),
        &[
            &format!("scenario.toml:{}:", lines + 7),
            "unknown variant `party`",
        ],
    );
}

#[test]
fn a_likely_duplicate_invoice_is_a_warning() {
    let dir = fixture(
        PLAIN,
        "date,amount,category,framework,description\n2026-02-01,100,platform,,Vanta\n2026-02-01,100,platform,,Vanta\n",
    );
    let (_, _, stderr) = track(dir.path());
    assert!(
        stderr.contains("actuals.csv:3: likely a duplicate of line 2"),
        "{stderr}"
    );
}

#[test]
fn a_baseline_does_not_move_and_names_other_scenario_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("s.toml");
    fs::write(&scenario, plan_part()).unwrap();
    let baseline = dir.path().join("b.json");
    let freeze = |output: &Path| {
        certplan()
            .arg("baseline")
            .arg(&scenario)
            .args([
                "--plan",
                "both-parallel",
                "--date",
                "2026-01-12",
                "--output",
            ])
            .arg(output)
            .assert()
    };
    freeze(&baseline).success();
    let frozen = fs::read(&baseline).unwrap();
    // The shipped baseline was frozen from the same plan: the same ledger and events.
    let shipped: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(repo().join("scenarios/tracking/baseline.json")).unwrap(),
    )
    .unwrap();
    let ours: serde_json::Value = serde_json::from_slice(&frozen).unwrap();
    assert_eq!(ours["schema_version"], 1);
    assert_eq!(ours["ledger"], shipped["ledger"]);
    assert_eq!(ours["events"], shipped["events"]);
    assert_ne!(ours["scenario_sha256"], shipped["scenario_sha256"]);
    // Never overwritten.
    freeze(&baseline).code(1);
    assert_eq!(fs::read(&baseline).unwrap(), frozen);
    // The scenario edited later: the baseline is what it was, and named as other bytes.
    fs::write(
        &scenario,
        format!(
            "{}\n[tracking]\nbaseline = \"b.json\"\nas_of = \"2026-06-30\"\n",
            plan_part().replace("day_rate = 1500", "day_rate = 1900")
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let assert = certplan()
        .arg("track")
        .arg(&scenario)
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("frozen from other scenario bytes"),
        "{stderr}"
    );
    let forecast = read_records(&out.path().join("forecast.csv"));
    let baseline_total = dec(&forecast.last().unwrap()["cumulative_baseline"]);
    assert_eq!(baseline_total, Decimal::from_str("367110.00").unwrap());
    // The dearer auditor-days are in the forecast, not the baseline.
    assert!(dec(&forecast.last().unwrap()["cumulative_forecast"]) > Decimal::ZERO);
}
