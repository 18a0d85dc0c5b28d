//! One answer for the board: a run with draws recommends the same plan in every output, with the
//! base case beside it; `compare` says its answer is the base case; and what it would take, once
//! applied to the scenario, reaches the confidence when run again.

use std::fs;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{certplan, read_records, repo};

fn risk(scenario: &Path, out: &Path, draws: &str) -> String {
    let output = certplan()
        .args(["risk", "--draws", draws, "--seed", "1", "--out"])
        .arg(out)
        .arg(scenario)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Every text cell of a sheet, in reading order.
fn sheet_text(path: &Path, sheet: &str) -> Vec<String> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .flat_map(|row| row.iter())
        .filter_map(|c| match c {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_risk_run_names_one_plan_on_page_one_the_summary_sheet_the_terminal_and_the_csv() {
    // risky-rollout: the base case recommends iso-then-soc2; at 70 % confidence the draws
    // recommend both-parallel, since iso-then-soc2 keeps to the yearly cap in about half of them.
    let out = tempfile::tempdir().unwrap();
    let stdout = risk(
        &repo().join("scenarios/risky-rollout.toml"),
        out.path(),
        "2000",
    );
    let headline = "Recommended at 70 % confidence: both-parallel";
    let first_lines: Vec<&str> = stdout.lines().take(4).collect();
    assert!(
        first_lines.iter().any(|l| l.contains(headline)),
        "the terminal leads with it: {first_lines:?}"
    );
    assert!(stdout.contains("iso-then-soc2 is cheapest in the base case but meets"));
    assert!(stdout.contains("Base case (likely values, no risk events): iso-then-soc2"));

    let html = fs::read_to_string(out.path().join("report.html")).unwrap();
    let page_one = html.split("</section>").next().unwrap();
    assert!(page_one.contains(headline), "page 1 leads with it");
    assert!(page_one.contains("Base case (likely values, no risk events): iso-then-soc2"));
    assert!(!page_one.contains("Recommended: iso-then-soc2"));

    let summary = sheet_text(&out.path().join("budget.xlsx"), "Summary");
    assert!(summary.iter().any(|t| t == headline), "{summary:?}");

    let recommended: Vec<String> = read_records(&out.path().join("comparison.csv"))
        .into_iter()
        .filter(|r| r["recommended"] == "true")
        .map(|r| r["plan"].clone())
        .collect();
    assert_eq!(recommended, ["both-parallel"]);
}

#[test]
fn compare_says_its_answer_is_the_base_case_only_when_there_is_uncertainty() {
    let run = |name: &str| {
        let out = certplan()
            .args(["compare", "--no-write"])
            .arg(repo().join("scenarios").join(name))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let risky = run("risky-rollout.toml");
    assert!(risky.contains("Recommended: iso-then-soc2"));
    assert!(
        risky.contains("This is the base case") && risky.contains("at 70 % confidence"),
        "{risky}"
    );
    assert!(!run("saas-startup.toml").contains("This is the base case"));
}

/// risky-rollout with a SOC 2 deadline so early that no plan meets it in 90 % of the draws.
fn out_of_reach() -> String {
    fs::read_to_string(repo().join("scenarios/risky-rollout.toml"))
        .unwrap()
        .replace(
            "soc2_type2_report_by = \"2028-03-31\"",
            "soc2_type2_report_by = \"2027-07-20\"",
        )
        .replace("yearly_budget_cap = 160000", "yearly_budget_cap = 175000")
        .replace("confidence = 0.7 ", "confidence = 0.9 ")
}

/// The scenario with one lever's edit (`programme.start = "2026-11"`) made.
fn applied(text: &str, edit: &str) -> String {
    let (key, value) = edit.split_once(" = ").unwrap();
    let (table, name) = key.rsplit_once('.').unwrap();
    if let Some(n) = table.strip_prefix("risk[") {
        // The n-th [[risk]] entry's probability.
        let n: usize = n.trim_end_matches(']').parse().unwrap();
        let mut parts: Vec<String> = text.split("[[risk]]").map(String::from).collect();
        let entry = &mut parts[n];
        let line = entry
            .lines()
            .find(|l| l.starts_with("probability"))
            .unwrap()
            .to_string();
        *entry = entry.replace(&line, &format!("probability = {value}"));
        return parts.join("[[risk]]");
    }
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{name} =")))
        .unwrap_or_else(|| panic!("{name} in the scenario"));
    text.replace(line, &format!("{name} = {value}"))
}

#[test]
fn what_it_would_take_reaches_the_confidence_when_applied_and_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.toml");
    let text = out_of_reach();
    fs::write(&path, &text).unwrap();
    let stdout = risk(&path, &dir.path().join("out"), "1000");
    assert!(stdout.contains("No plan meets every requirement with 90 % confidence"));
    assert!(stdout.contains("What it would take: both-parallel to 90%"));
    let levers = read_records(&dir.path().join("out/risk_levers.csv"));
    let kinds: Vec<&str> = levers.iter().map(|l| l["lever"].as_str()).collect();
    assert!(
        kinds.contains(&"start") && kinds.contains(&"deadline"),
        "{kinds:?}"
    );
    for lever in &levers {
        assert!(lever["probability_met"].parse::<f64>().unwrap() >= 0.9);
        let changed = dir.path().join(format!("{}.toml", lever["lever"]));
        fs::write(&changed, applied(&text, &lever["edit"])).unwrap();
        let out = dir.path().join(format!("out-{}", lever["lever"]));
        risk(&changed, &out, "1000");
        let met = read_records(&out.join("risk_requirements.csv"))
            .into_iter()
            .find(|r| r["plan"] == lever["plan"] && r["requirement"] == lever["requirement"])
            .unwrap();
        assert_eq!(
            met["probability_met"], lever["probability_met"],
            "{} re-run gives the odds the lever promised",
            lever["edit"]
        );
        let p: f64 = met["probability_met"].parse().unwrap();
        assert!(p >= 0.9, "{}: {p}", lever["edit"]);
    }
}

#[test]
fn net_value_percentiles_of_one_deal_and_a_two_outcome_risk_are_the_outcomes_exactly() {
    // A SOC 2 only plan wins one contract on its Type II report; in 30 % of the draws the report
    // has exceptions that cost 5,000 to re-test. Two outcomes: the base case's net value (70 %)
    // and 5,000 less (30 %). Nearest-rank P50 and P90 are the first, P10 the second, to the cent.
    let text = "[programme]\nname = \"V\"\nstart = \"2027-01\"\nhorizon_months = 36\ncurrency = \"GBP\"\nheadcount = 50\n\
        [soc2]\n\
        [finance]\npayback_by = \"2028-06\"\n\
        [[demand]]\nname = \"bank\"\nneeds = \"soc2_type2_report\"\ncontract_value = 400000\nwin_probability = 1\n\
        [[risk]]\nevent = \"soc2_report_exceptions\"\nprobability = 0.3\ncost = 5000\n\
        [[plan]]\nname = \"soc2\"\nframeworks = [{ name = \"soc2\" }]\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.toml");
    fs::write(&path, text).unwrap();
    let out = certplan()
        .args(["compare", "--out"])
        .arg(dir.path().join("base"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let base = &read_records(&dir.path().join("base/comparison.csv"))[0];
    let net: rust_decimal::Decimal = base["expected_net_value"].parse().unwrap();
    let stdout = risk(&path, &dir.path().join("risk"), "2000");
    let row = read_records(&dir.path().join("risk/risk_summary.csv"))
        .into_iter()
        .find(|r| r["metric"] == "net_value")
        .expect("a net_value row");
    assert_eq!(
        row["p50"],
        net.to_string(),
        "P50 is the base case's net value"
    );
    assert_eq!(row["p90"], net.to_string());
    assert_eq!(
        row["p10"],
        (net - rust_decimal::Decimal::from(5000)).to_string(),
        "P10 is the outcome with exceptions"
    );
    let odds = read_records(&dir.path().join("risk/risk_requirements.csv"));
    let positive = odds
        .iter()
        .find(|r| r["requirement"] == "positive_net_value")
        .unwrap();
    assert_eq!(positive["probability_met"], "1.0000");
    assert!(odds.iter().any(|r| r["requirement"] == "payback_by"));
    assert!(stdout.contains("Net value over the draws"), "{stdout}");
    assert!(stdout.contains("expected net value"), "{stdout}");
}
