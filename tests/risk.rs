//! `certplan risk`: the Monte Carlo agrees with the deterministic projection where nothing is
//! uncertain, with the analytic percentiles of a single uniform input, and with itself whatever
//! the number of threads; its outputs stay in range and in order.

use std::fs;
use std::path::Path;

use crate::common::{certplan, read_records, repo};

const BASE: &str = "[programme]\nname = \"R\"\nstart = \"2027-01\"\nhorizon_months = 48\ncurrency = \"EUR\"\nheadcount = 60\n[iso27001]\n[soc2]\n";

fn risk_run(text: &str, args: &[&str], env: &[(&str, &str)]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    fs::write(&path, text).unwrap();
    let mut cmd = certplan();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .arg("risk")
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, String::from_utf8(out.stdout).unwrap())
}

fn summary(dir: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    read_records(&dir.join("out/risk_summary.csv"))
}

#[test]
fn collapsed_ranges_and_risks_that_never_happen_give_the_deterministic_figures() {
    let text = format!(
        "{}[[risk]]\nevent = \"key_person_loss\"\nprobability = 0\nmonths = {{ low = 1, likely = 2, high = 6 }}\n",
        BASE.replace(
            "[iso27001]\n",
            "[iso27001]\nimplementation_months = { low = 4, likely = 4, high = 4 }\nday_rate = { low = 1800, likely = 1800, high = 1800 }\n"
        )
    );
    let (dir, _) = risk_run(&text, &["--draws", "300"], &[]);
    let base = read_records(&dir.path().join("out/summary.csv"));
    for row in summary(dir.path()) {
        let plan = &row["plan"];
        if row["metric"] == "total_cost" {
            let deterministic = &base.iter().find(|b| &b["plan"] == plan).unwrap()["total_cost"];
            for p in ["p10", "p50", "p80", "p90", "mean"] {
                assert_eq!(&row[p], deterministic, "{plan} {p}");
            }
            assert_eq!(row["se_p50"], "0.00");
        }
        if row["metric"] == "first_iso_certificate" {
            let date = &base.iter().find(|b| &b["plan"] == plan).unwrap()["first_iso_certificate"];
            assert_eq!(&row["p10"], date);
            assert_eq!(&row["p90"], date);
        }
    }
}

#[test]
fn a_single_uniform_input_gives_percentiles_close_to_the_analytic_ones() {
    // Only the staff cost varies, uniformly from 6,000 to 18,000 a month, in a SOC 2 only plan:
    // the total is linear in it, so its percentiles follow the uniform's.
    let text = format!(
        "{}[[plan]]\nname = \"s\"\nframeworks = [{{ name = \"soc2\" }}]\n",
        BASE.replace("[iso27001]\n", "")
            .replace("[soc2]\n", "[soc2]\n[staff]\nloaded_monthly_cost = { low = 6000, likely = 12000, high = 18000, dist = \"uniform\" }\n")
    );
    let (dir, _) = risk_run(&text, &["--draws", "4000"], &[]);
    let at = |cost: &str| {
        let t = text.replace(
            "loaded_monthly_cost = { low = 6000, likely = 12000, high = 18000, dist = \"uniform\" }",
            &format!("loaded_monthly_cost = {cost}"),
        );
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.toml");
        fs::write(&p, t).unwrap();
        certplan()
            .arg("plan")
            .arg(&p)
            .arg("--out")
            .arg(d.path().join("o"))
            .assert()
            .success();
        read_records(&d.path().join("o/summary.csv"))[0]["total_cost"]
            .parse::<f64>()
            .unwrap()
    };
    let (low, high) = (at("6000"), at("18000"));
    let row = summary(dir.path())
        .into_iter()
        .find(|r| r["metric"] == "total_cost")
        .unwrap();
    for (column, p) in [("p10", 0.1), ("p50", 0.5), ("p90", 0.9)] {
        let analytic = low + (high - low) * p;
        let drawn: f64 = row[column].parse().unwrap();
        let tolerance = (high - low) * 0.02;
        assert!(
            (drawn - analytic).abs() < tolerance,
            "{column}: drawn {drawn}, analytic {analytic}"
        );
    }
}

#[test]
fn the_shipped_risk_example_stays_in_range_and_in_order_and_repeats_byte_for_byte() {
    let scenario = repo().join("scenarios/risky-rollout.toml");
    let text = fs::read_to_string(&scenario).unwrap();
    let (one, stdout) = risk_run(
        &text,
        &["--draws", "2000", "--draws-csv"],
        &[("RAYON_NUM_THREADS", "1")],
    );
    let (two, _) = risk_run(
        &text,
        &["--draws", "2000", "--draws-csv"],
        &[("RAYON_NUM_THREADS", "2")],
    );
    assert!(stdout.contains("Total P80"), "{stdout}");
    for name in [
        "risk_summary.csv",
        "risk_requirements.csv",
        "risk_drivers.csv",
        "risk_draws.csv",
        "report.html",
        "budget.xlsx",
        "tornado_both-parallel.png",
        "s_curve_total_cost.png",
        "fan_iso-only.svg",
    ] {
        assert_eq!(
            fs::read(one.path().join("out").join(name)).unwrap(),
            fs::read(two.path().join("out").join(name)).unwrap(),
            "{name}: same bytes with 1 and 2 threads"
        );
    }
    // Probabilities lie in [0, 1].
    for row in read_records(&one.path().join("out/risk_requirements.csv")) {
        let p: f64 = row["probability_met"].parse().unwrap();
        assert!((0.0..=1.0).contains(&p), "{p}");
    }
    // Percentiles rise: the S-curves are monotonic.
    for row in summary(one.path()) {
        let values: Vec<&str> = ["p10", "p50", "p80", "p90"]
            .iter()
            .map(|c| row[*c].as_str())
            .collect();
        if row["unit"] == "money" || row["unit"] == "months" {
            let numbers: Vec<f64> = values.iter().map(|v| v.parse().unwrap()).collect();
            assert!(numbers.windows(2).all(|w| w[0] <= w[1]), "{row:?}");
        } else {
            let dates: Vec<&&str> = values.iter().filter(|v| **v != "after_horizon").collect();
            assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{row:?}");
        }
    }
    // Every plan's drivers are listed, the biggest first, in money and days.
    let drivers = read_records(&one.path().join("out/risk_drivers.csv"));
    assert!(drivers.iter().any(|d| d["kind"] == "risk"));
    assert!(drivers.iter().any(|d| d["kind"] == "input"));
    // The report has its Risk section; draws.csv one row per draw and plan.
    let html = fs::read_to_string(one.path().join("out/report.html")).unwrap();
    assert!(html.contains("id=\"risk\""));
    let draws = read_records(&one.path().join("out/risk_draws.csv"));
    assert_eq!(draws.len(), 2000 * 4);
    // Another seed, other numbers.
    let (three, _) = risk_run(&text, &["--draws", "2000", "--seed", "9"], &[]);
    assert_ne!(
        fs::read(one.path().join("out/risk_summary.csv")).unwrap(),
        fs::read(three.path().join("out/risk_summary.csv")).unwrap()
    );
}

#[test]
fn ranges_leave_plan_and_compare_on_the_likely_values() {
    let scenario = repo().join("scenarios/risky-rollout.toml");
    let text = fs::read_to_string(&scenario).unwrap();
    // The same scenario with every range written as its likely value, and no risks.
    let mut likely = String::new();
    for line in text.lines() {
        if let (Some(eq), true) = (line.find('='), line.contains("likely =")) {
            let value = line
                .split("likely =")
                .nth(1)
                .unwrap()
                .split(',')
                .next()
                .unwrap()
                .trim();
            likely.push_str(&format!("{}= {value}\n", &line[..eq]));
        } else {
            likely.push_str(line);
            likely.push('\n');
        }
    }
    let run = |text: &str| {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.toml");
        fs::write(&p, text).unwrap();
        certplan()
            .arg("plan")
            .arg(&p)
            .arg("--out")
            .arg(d.path().join("o"))
            .assert()
            .success();
        d
    };
    let (a, b) = (run(&text), run(&likely));
    for name in [
        "summary.csv",
        "schedule.csv",
        "monthly_costs.csv",
        "budget_by_fiscal_year.csv",
        "comparison.csv",
    ] {
        assert_eq!(
            fs::read(a.path().join("o").join(name)).unwrap(),
            fs::read(b.path().join("o").join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn bad_ranges_are_refused_at_their_line() {
    let check = |line: &str, expected: &str| {
        let text = BASE.replace("[iso27001]\n", &format!("[iso27001]\n{line}\n"));
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.toml");
        fs::write(&p, text).unwrap();
        let out = certplan().arg("validate").arg(&p).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{line}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("s.toml:8:"), "{stderr}");
        assert!(stderr.contains(expected), "{line}: {stderr}");
    };
    check(
        "implementation_months = { low = 5, likely = 4, high = 8 }",
        "low ≤ likely ≤ high",
    );
    check(
        "implementation_months = { low = 3, likely = 4, high = 80 }",
        "the high end of a range",
    );
    check(
        "certificate_expiry = { low = 1, likely = 2, high = 3 }",
        "does not take a range",
    );
    check(
        "implementation_months = { low = 3, likely = 4, high = 8, dist = \"normal\" }",
        "a range is",
    );
}

#[test]
fn validate_calls_plans_the_same_only_when_their_ranges_and_risks_are_too() {
    let warnings = |plans: &str| {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.toml");
        fs::write(&p, format!("{BASE}{plans}")).unwrap();
        let out = certplan().arg("validate").arg(&p).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stderr).unwrap()
    };
    let plan = |name: &str, range: &str| {
        format!(
            "[[plan]]\nname = \"{name}\"\nframeworks = [{{ name = \"iso27001\" }}]\n\
             [plan.iso27001]\nimplementation_months = {{ low = 3, likely = 4, high = 8{range} }}\n"
        )
    };
    // The same range twice (pert is the default): the same plan.
    let same = warnings(&format!(
        "{}{}",
        plan("a", ""),
        plan("b", ", dist = \"pert\"")
    ));
    assert!(same.contains("plan `b` is the same as plan `a`"), "{same}");
    // Only the shape differs: the base case is the same, every risk figure is not.
    let shape = warnings(&format!(
        "{}{}",
        plan("a", ""),
        plan("b", ", dist = \"uniform\"")
    ));
    assert!(!shape.contains("is the same as"), "{shape}");
    // A risk only one of them runs.
    let risk = warnings(&format!(
        "{}{}[[risk]]\nevent = \"key_person_loss\"\nprobability = 0.2\nmonths = 2\nplans = [\"a\"]\n",
        plan("a", ""),
        plan("b", "")
    ));
    assert!(!risk.contains("is the same as"), "{risk}");
}

/// The risk outputs of a folder: every file `certplan risk` adds to those of `compare`.
fn risk_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            ["risk", "s_curve_", "fan_", "tornado_"]
                .iter()
                .any(|prefix| name.starts_with(prefix))
        })
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn compare_and_plan_after_risk_keep_the_risk_results_while_the_scenario_is_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("risky.toml");
    let text = fs::read_to_string(repo().join("scenarios/risky-rollout.toml")).unwrap();
    fs::write(&scenario, &text).unwrap();
    let out = dir.path().join("out");
    let run = |args: &[&str]| {
        let o = certplan()
            .args(args)
            .arg(&scenario)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stderr).unwrap()
    };
    run(&["risk", "--draws", "300", "--seed", "5", "--draws-csv"]);
    let risk = risk_files(&out);
    let names: Vec<&str> = risk.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "risk.json",
        "risk_draws.csv",
        "risk_drivers.csv",
        "risk_requirements.csv",
        "risk_summary.csv",
    ] {
        assert!(names.contains(&expected), "{names:?}");
    }
    let has_risk_section = |out: &Path| {
        fs::read_to_string(out.join("report.html"))
            .unwrap()
            .contains("<section id=\"risk\"")
    };
    assert!(has_risk_section(&out));
    for command in ["compare", "plan"] {
        let stderr = run(&[command]);
        assert!(
            stderr.contains("Kept the risk results"),
            "{command}: {stderr}"
        );
        assert_eq!(
            risk_files(&out),
            risk,
            "{command} keeps every risk file, byte for byte"
        );
        assert!(has_risk_section(&out), "{command} keeps the Risk section");
    }
    // Another version of the scenario: the risk results no longer describe it.
    fs::write(&scenario, format!("{text}\n# edited\n")).unwrap();
    let stderr = run(&["compare"]);
    assert!(stderr.contains("run `certplan risk` again"), "{stderr}");
    assert_eq!(risk_files(&out), Vec::new());
    assert!(!has_risk_section(&out));
}

#[test]
fn risk_no_write_writes_nothing_and_prints_the_analysis_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo().join("scenarios/risky-rollout.toml");
    let out = dir.path().join("out");
    let json = |extra: &[&str]| {
        let o = certplan()
            .current_dir(dir.path())
            .arg("risk")
            .arg(&scenario)
            .args(["--draws", "300", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    let printed = json(&["--no-write"]);
    let printed_with_out = json(&["--no-write", "--out", out.to_str().unwrap()]);
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "--no-write writes no folder, neither output/ nor --out"
    );
    assert_eq!(printed, printed_with_out);

    let v: serde_json::Value = serde_json::from_slice(&printed).unwrap();
    assert_eq!(v["draws"], 300);
    assert_eq!(v["confidence"], 0.7);
    let plans = v["plans"].as_array().unwrap();
    let recommended = v["recommendation"]["plan"].as_str().unwrap();
    let flagged: Vec<&str> = plans
        .iter()
        .filter(|p| p["recommended"] == true)
        .map(|p| p["plan"].as_str().unwrap())
        .collect();
    assert_eq!(flagged, [recommended]);
    assert!(
        v["recommendation"]["text"]
            .as_str()
            .unwrap()
            .contains(recommended)
    );
    // The same figures as the table and the CSV files of a written run.
    let table = certplan()
        .arg("risk")
        .arg(&scenario)
        .args(["--draws", "300", "--no-write"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&table.stdout).contains(recommended));
    let written = json(&["--out", out.to_str().unwrap()]);
    assert_eq!(fs::read(out.join("risk.json")).unwrap(), written);
    let summary = read_records(&out.join("risk_summary.csv"));
    let p80 = |plan: &str| {
        summary
            .iter()
            .find(|r| r["plan"] == plan && r["metric"] == "total_cost")
            .unwrap()["p80"]
            .clone()
    };
    let chosen = plans.iter().find(|p| p["plan"] == recommended).unwrap();
    let total = chosen["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "total_cost")
        .unwrap();
    assert_eq!(total["p80"].as_str().unwrap(), p80(recommended));
    let requirements = read_records(&out.join("risk_requirements.csv"));
    for r in chosen["requirements"].as_array().unwrap() {
        let row = requirements
            .iter()
            .find(|row| row["plan"] == recommended && row["requirement"] == r["requirement"])
            .unwrap();
        let p: f64 = row["probability_met"].parse().unwrap();
        assert_eq!(r["probability_met"].as_f64().unwrap(), p);
    }
    assert!(!chosen["drivers"].as_array().unwrap().is_empty());
}

#[test]
fn a_cpa_firm_booked_out_moves_the_type2_date_when_a_type1_comes_first() {
    // The default: a Type I first. Half the draws the firm is booked out for 3 months.
    let text = format!(
        "{}[[risk]]\nevent = \"cpa_firm_booked_out\"\nprobability = 0.5\nmonths = 3\n[[plan]]\nname = \"s\"\nframeworks = [{{ name = \"soc2\" }}]\n",
        BASE.replace("[iso27001]\n", "")
    );
    let (dir, _) = risk_run(&text, &["--draws", "400"], &[]);
    let rows = summary(dir.path());
    for metric in ["first_soc2_type1_report", "first_soc2_type2_report"] {
        let row = rows.iter().find(|r| r["metric"] == metric).unwrap();
        assert!(
            row["p90"] > row["p10"],
            "{metric}: P90 {} later than P10 {}",
            row["p90"],
            row["p10"]
        );
    }
}

#[test]
fn the_mean_of_a_date_some_draws_never_reach_is_empty() {
    // A 14-month horizon and an implementation of 6 to 14 months: some draws certify after it.
    let text = format!(
        "{}[[plan]]\nname = \"i\"\nframeworks = [{{ name = \"iso27001\" }}]\n",
        BASE.replace("horizon_months = 48", "horizon_months = 14")
            .replace("[soc2]\n", "")
            .replace(
                "[iso27001]\n",
                "[iso27001]\nimplementation_months = { low = 3, likely = 6, high = 14 }\n"
            )
    );
    let (dir, _) = risk_run(&text, &["--draws", "300"], &[]);
    let row = summary(dir.path())
        .into_iter()
        .find(|r| r["metric"] == "first_iso_certificate")
        .unwrap();
    assert_eq!(row["p90"], "after_horizon", "{row:?}");
    assert_eq!(row["mean"], "", "{row:?}");
}

#[test]
fn drivers_list_only_what_can_touch_a_plan_in_words_and_what_cannot_moves_nothing() {
    // A SOC 2 only plan without a SOC 3 report: the SOC 3 fee cannot touch it, nor can an ISO
    // risk or an ISO range. The staff cost and a readiness overrun give the draws their noise.
    let text = format!(
        "{}[[risk]]\nevent = \"stage2_major_nonconformity\"\nprobability = 0.5\n[[risk]]\nevent = \"soc2_readiness_overrun\"\nprobability = 0.5\nmonths = 2\n[[plan]]\nname = \"s\"\nframeworks = [{{ name = \"soc2\" }}]\n",
        BASE.replace(
            "[iso27001]\n",
            "[iso27001]\nday_rate = { low = 1000, likely = 1500, high = 2500 }\n"
        )
        .replace(
            "[soc2]\n",
            "[soc2]\nsoc3 = false\nsoc3_fee = { low = 2000, likely = 5000, high = 9000 }\ntype2_fee = { low = 20000, likely = 30000, high = 60000 }\n[staff]\nloaded_monthly_cost = { low = 6000, likely = 12000, high = 18000 }\n"
        )
    );
    let (dir, _) = risk_run(&text, &["--draws", "600"], &[]);
    let drivers = read_records(&dir.path().join("out/risk_drivers.csv"));
    let names: Vec<&str> = drivers.iter().map(|d| d["driver"].as_str()).collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("Stage 2") || n.contains("ISO")),
        "no ISO driver in a SOC 2 only plan: {names:?}"
    );
    for words in [
        "SOC 2 Type II fee",
        "Loaded staff cost per month",
        "SOC 3 fee",
    ] {
        assert!(names.contains(&words), "{words} in {names:?}");
    }
    assert!(
        names.iter().all(|n| !n.contains('.') && !n.contains('_')),
        "labels are words: {names:?}"
    );
    let soc3 = drivers.iter().find(|d| d["driver"] == "SOC 3 fee").unwrap();
    assert_eq!(soc3["moves_p50_total_cost"], "0.00", "{soc3:?}");
    assert_eq!(soc3["moves_p50_key_date_days"], "0", "{soc3:?}");
    let fee = drivers
        .iter()
        .find(|d| d["driver"] == "SOC 2 Type II fee")
        .unwrap();
    assert!(fee["moves_p50_total_cost"].parse::<f64>().unwrap() > 0.0);
}
