//! The conventions of a good command-line tool: completions and a man page, colour choices,
//! quiet runs, standard input, results on stdout and status on stderr, a CI gate, several
//! scenarios in one run and their portfolio.

use std::fs;

use predicates::prelude::*;

use crate::common::{certplan, read_csv, repo};

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for (shell, marker) in [
        ("bash", "_certplan()"),
        ("zsh", "#compdef certplan"),
        ("fish", "complete -c certplan"),
        ("elvish", "certplan"),
        ("powershell", "certplan"),
    ] {
        let out = certplan().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(marker), "{shell}");
        for command in ["plan", "compare", "validate", "schema"] {
            assert!(text.contains(command), "{shell} completes {command}");
        }
    }
    let man = certplan().arg("man").output().unwrap();
    let roff = String::from_utf8(man.stdout).unwrap();
    assert!(roff.contains(".TH certplan 1"), "{roff}");
    assert!(roff.contains("fail\\-if\\-none\\-meets") || roff.contains("compare"));
}

fn compare_text(color: Option<&str>, env: &[(&str, &str)]) -> String {
    let mut cmd = certplan();
    cmd.env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(c) = color {
        cmd.args(["--color", c]);
    }
    let out = cmd
        .args(["compare", "--no-write"])
        .arg(repo().join("scenarios/eu-midsize.toml"))
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn colour_follows_the_flag_then_clicolor_force_then_no_color() {
    let escape = |t: &str| t.contains('\u{1b}');
    assert!(escape(&compare_text(Some("always"), &[])));
    assert!(!escape(&compare_text(
        Some("never"),
        &[("CLICOLOR_FORCE", "1")]
    )));
    // Piped output has no colour by default …
    assert!(!escape(&compare_text(None, &[])));
    // … unless CLICOLOR_FORCE asks for it; NO_COLOR is for terminals.
    assert!(escape(&compare_text(None, &[("CLICOLOR_FORCE", "1")])));
    assert!(!escape(&compare_text(Some("auto"), &[("NO_COLOR", "1")])));
}

#[test]
fn status_lines_go_to_stderr_and_quiet_silences_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = certplan()
        .arg("plan")
        .arg(repo().join("scenarios/saas-startup.toml"))
        .arg("--out")
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.contains("Total cost") && !stdout.contains("Wrote"));
    assert!(stderr.contains("Wrote 24 files to"), "{stderr}");

    // A scenario with warnings, quiet: nothing on stderr, the result on stdout.
    let text = fs::read_to_string(repo().join("tests/fixtures/every-key.toml"))
        .unwrap()
        .replacen("first_window_months = 6 ", "first_window_months = 2 ", 1);
    let path = dir.path().join("w.toml");
    fs::write(&path, text).unwrap();
    certplan()
        .arg("-q")
        .arg("plan")
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("q"))
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains("Total cost"));
    certplan()
        .arg("validate")
        .arg(&path)
        .arg("--quiet")
        .assert()
        .success()
        .stderr("");
}

#[test]
fn a_dash_reads_the_scenario_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read(repo().join("scenarios/saas-startup.toml")).unwrap();
    certplan()
        .current_dir(dir.path())
        .args(["plan", "-"])
        .write_stdin(text.clone())
        .assert()
        .success()
        .stderr(predicate::str::contains("output/stdin"));
    assert!(dir.path().join("output/stdin/report.html").is_file());
    certplan()
        .args(["validate", "-"])
        .write_stdin("[programme]\nname = 1\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<stdin>:2:8"));
}

#[test]
fn compare_prints_without_writing_and_gates_ci_on_the_requirements() {
    let dir = tempfile::tempdir().unwrap();
    let out = certplan()
        .current_dir(dir.path())
        .args(["compare", "--format", "json", "--no-write"])
        .arg(repo().join("scenarios/eu-midsize.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["recommendation"]["plan"], "iso-then-soc2");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );

    // A cap no plan can meet: exit 3 with the gate, 0 without it.
    let text = fs::read_to_string(repo().join("scenarios/eu-midsize.toml"))
        .unwrap()
        .replace("yearly_budget_cap = 145000", "yearly_budget_cap = 1000");
    let path = dir.path().join("tight.toml");
    fs::write(&path, text).unwrap();
    certplan()
        .args(["compare", "--no-write", "--fail-if-none-meets"])
        .arg(&path)
        .assert()
        .code(3)
        .stdout(predicate::str::contains("No plan meets"));
    certplan()
        .args(["compare", "--no-write"])
        .arg(&path)
        .assert()
        .code(0);
    certplan()
        .args(["compare", "--no-write", "--fail-if-none-meets"])
        .arg(repo().join("scenarios/eu-midsize.toml"))
        .assert()
        .code(0);
}

#[test]
fn several_scenarios_run_together_each_into_its_folder_and_roll_up() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("nordics.toml");
    let b = dir.path().join("baltics.toml");
    let base = fs::read_to_string(repo().join("scenarios/eu-midsize.toml")).unwrap();
    fs::write(&a, &base).unwrap();
    fs::write(&b, base.replace("headcount = 120", "headcount = 60")).unwrap();
    let out = dir.path().join("out");
    let run = certplan()
        .arg("plan")
        .arg(&a)
        .arg(&b)
        .args(["--portfolio", "group", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.join("nordics/report.html").is_file());
    assert!(out.join("baltics/report.html").is_file());
    let (header, rows) = read_csv(&out.join("group/portfolio.csv"));
    assert_eq!(header[0], "scenario");
    assert_eq!(rows.len(), 3, "two scenarios and the total");
    let total_col = header.iter().position(|h| h == "total_cost").unwrap();
    let cents = |s: &str| s.replace('.', "").parse::<i64>().unwrap();
    assert_eq!(
        cents(&rows[2][total_col]),
        cents(&rows[0][total_col]) + cents(&rows[1][total_col])
    );
    // Each fiscal year column adds up too.
    for ((total, a), b) in rows[2][3..total_col]
        .iter()
        .zip(&rows[0][3..total_col])
        .zip(&rows[1][3..total_col])
    {
        assert_eq!(cents(total), cents(a) + cents(b));
    }
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(stdout.contains("Portfolio group: 2 scenarios"), "{stdout}");

    // Different currencies: a clear error, exit 2, nothing written.
    let usd = dir.path().join("us.toml");
    fs::write(
        &usd,
        base.replace("currency = \"EUR\"", "currency = \"USD\""),
    )
    .unwrap();
    let fresh = dir.path().join("fresh");
    certplan()
        .arg("plan")
        .arg(&a)
        .arg(&usd)
        .args(["--portfolio", "group", "--out"])
        .arg(&fresh)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot roll up portfolio `group`"))
        .stderr(predicate::str::contains("EUR"));
    assert!(!fresh.exists());

    // A bad scenario among good ones: nothing is written at all.
    let bad = dir.path().join("bad.toml");
    fs::write(&bad, "[programme]\n").unwrap();
    certplan()
        .arg("plan")
        .arg(&a)
        .arg(&bad)
        .arg("--out")
        .arg(&fresh)
        .assert()
        .code(2);
    assert!(!fresh.exists());
}
