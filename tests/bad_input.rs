//! Bad input: a clear message naming file, line and column or key; exit code 2; no output.

use std::fs;
use std::path::Path;

use predicates::prelude::*;

use crate::common::{certplan, repo};

fn base() -> String {
    fs::read_to_string(repo().join("tests/fixtures/every-key.toml")).unwrap()
}

/// Runs `plan` on `text` into an existing output folder holding a marker file; checks exit code 2,
/// that stderr has every `expected` fragment, and that the folder was not touched.
fn rejects(text: &[u8], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    fs::write(&path, text).unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("marker"), "keep").unwrap();
    let assert = certplan()
        .arg("plan")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("bad.toml"), "names the file: {stderr}");
    for fragment in expected {
        assert!(
            stderr.contains(fragment),
            "expected {fragment:?} in:\n{stderr}"
        );
    }
    let names: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["marker"], "output folder unchanged");
    let siblings = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(siblings, 2, "nothing else written beside it");
    // validate agrees.
    certplan().arg("validate").arg(&path).assert().code(2);
}

fn replaced(from: &str, to: &str) -> Vec<u8> {
    let text = base();
    assert!(text.contains(from), "starter has {from:?}");
    text.replacen(from, to, 1).into_bytes()
}

#[test]
fn missing_file() {
    certplan()
        .args(["plan", "no/such/file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read no/such/file.toml"));
    assert!(!Path::new("output/file").exists());
}

#[test]
fn file_that_is_not_utf8() {
    let mut bytes = b"[programme]\nname = \"".to_vec();
    bytes.extend([0xff, 0xfe]);
    rejects(&bytes, &["not UTF-8", "line 2, column 9"]);
}

#[test]
fn malformed_toml() {
    rejects(
        &replaced("horizon_months = 60", "horizon_months = = 60"),
        &["bad.toml:9:"],
    );
}

#[test]
fn wrong_type() {
    rejects(
        &replaced("horizon_months = 60", "horizon_months = \"sixty\""),
        &["bad.toml:9:18", "whole number from 1 to 120"],
    );
}

#[test]
fn unknown_key() {
    rejects(
        &replaced("sites = 1 ", "site_count = 1 "),
        &[
            "bad.toml:14:1",
            "unknown key `site_count`: did you mean `sites`?",
        ],
    );
}

#[test]
fn negative_amount() {
    rejects(
        &replaced("day_rate = 1800", "day_rate = -1800"),
        &["bad.toml:", "negative"],
    );
}

#[test]
fn non_numeric_amount() {
    rejects(
        &replaced("day_rate = 1800", "day_rate = \"lots\""),
        &["not an amount"],
    );
}

#[test]
fn money_as_float() {
    rejects(
        &replaced("day_rate = 1800", "day_rate = 1800.5"),
        &["float", "quoted string"],
    );
}

#[test]
fn date_that_does_not_exist() {
    rejects(
        &replaced(
            "# iso_certificate_by = \"2028-12-31\"",
            "iso_certificate_by = \"2027-02-30\"",
        ),
        &[
            "2027-02-30",
            "is written as YYYY-MM-DD, but no such day exists",
        ],
    );
}

#[test]
fn month_that_does_not_exist() {
    rejects(
        &replaced("start = \"2027-01\"", "start = \"2027-13\""),
        &["bad.toml:8:9", "month 13 does not exist"],
    );
}

#[test]
fn horizon_of_zero_and_over_120() {
    rejects(
        &replaced("horizon_months = 60", "horizon_months = 0"),
        &["bad.toml:9:18", "from 1 to 120"],
    );
    rejects(
        &replaced("horizon_months = 60", "horizon_months = 121"),
        &["from 1 to 120"],
    );
}

#[test]
fn plan_naming_an_unknown_framework() {
    rejects(
        &replaced(
            "frameworks = [{ name = \"soc2\" }]",
            "frameworks = [{ name = \"pci-dss\" }]",
        ),
        &["unknown framework `pci-dss`", "\"iso27001\" or \"soc2\""],
    );
}

#[test]
fn plan_naming_a_framework_the_scenario_lacks() {
    let text = base();
    let start = text.find("[soc2]\n").unwrap();
    let end = text.find("[shared]").unwrap();
    let without_soc2 =
        format!("{}{}", &text[..start], &text[end..]).replace("[soc2.staff_fte]", "");
    rejects(
        without_soc2.as_bytes(),
        &["no [soc2] section", "plan[1].frameworks"],
    );
}

#[test]
fn plan_name_unsafe_as_a_file_name() {
    rejects(
        &replaced("name = \"soc2-only\"", "name = \"../../etc/passwd\""),
        &["plan[1].name", "not safe as a file name"],
    );
}

#[test]
fn headcount_above_the_table_without_audit_days() {
    rejects(
        &replaced("headcount = 40 ", "headcount = 12000"),
        &["bad.toml:13:13", "programme.headcount", "audit_days"],
    );
}

#[test]
fn duplicate_plan_names() {
    rejects(
        &replaced("name = \"iso-only\"", "name = \"soc2-only\""),
        &["used twice"],
    );
}

#[test]
fn an_output_path_that_is_a_file_is_refused_with_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("taken");
    fs::write(&out, "not a folder").unwrap();
    certplan()
        .arg("plan")
        .arg(repo().join("scenarios/starter.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a folder"));
    assert_eq!(fs::read_to_string(&out).unwrap(), "not a folder");
}

#[test]
fn a_requirement_before_the_programme_starts() {
    rejects(
        &replaced(
            "[requirements]\n",
            "[requirements]\niso_certificate_by = 2020-01-01\n",
        ),
        &[
            "requirements.iso_certificate_by",
            "before the programme starts",
            "bad.toml:91:1",
        ],
    );
}

#[test]
fn a_type1_requirement_without_a_type1_report() {
    let text = String::from_utf8(replaced("type1_first = true ", "type1_first = false"))
        .unwrap()
        .replacen(
            "[requirements]\n",
            "[requirements]\nsoc2_type1_report_by = \"2028-06-30\"\n",
            1,
        );
    rejects(
        text.as_bytes(),
        &["requirements.soc2_type1_report_by", "type1_first = false"],
    );
}

#[test]
fn a_requirement_for_a_framework_the_scenario_lacks() {
    let text = String::from_utf8(base().into_bytes()).unwrap().replacen(
        "[requirements]\n",
        "[requirements]\niso_certificate_by = \"2028-06-30\"\n",
        1,
    );
    let start = text.find("[iso27001]").unwrap();
    let end = text.find("[soc2]").unwrap();
    let mut without_iso = format!("{}{}", &text[..start], &text[end..]);
    // Plans that name ISO/IEC 27001 would be the first error; keep the SOC 2 one only.
    let plans = without_iso.find("[[plan]]").unwrap();
    without_iso.truncate(plans);
    rejects(
        without_iso.as_bytes(),
        &["requirements.iso_certificate_by", "no [iso27001] section"],
    );
}

#[test]
fn the_same_audit_slipped_twice_and_a_numbered_recertification() {
    let slip = "\n[[iso27001.slip]]\naudit = \"surveillance_audit\"\ncycle = 1\nmonths = 2\n";
    let twice = replaced(
        "\n[iso27001.staff_fte]",
        &format!("{slip}{slip}\n[iso27001.staff_fte]"),
    );
    rejects(
        &twice,
        &["iso27001.slip[2]", "already slips in iso27001.slip[1]"],
    );
    let numbered = replaced(
        "\n[iso27001.staff_fte]",
        "\n[[iso27001.slip]]\naudit = \"recertification_audit\"\ncycle = 1\nnumber = 2\nmonths = 2\n\n[iso27001.staff_fte]",
    );
    rejects(
        &numbered,
        &["iso27001.slip[1].number", "one recertification audit"],
    );
}

#[test]
fn an_empty_plan_list() {
    rejects(
        format!("plan = []\n{}", base().split("[[plan]]").next().unwrap()).as_bytes(),
        &["bad.toml:1:8", "lists no plans"],
    );
}

#[test]
fn a_key_too_deep_for_the_reader_names_its_line() {
    let header = vec!["a"; 90].join(".");
    rejects(
        &replaced("[staff]\n", &format!("[{header}]\n[staff]\n")),
        &["bad.toml:86:1", "dotted parts"],
    );
}

#[test]
fn a_slip_in_a_cycle_beyond_the_horizon_warns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    fs::write(
        &path,
        replaced(
            "\n[iso27001.staff_fte]",
            "\n[[iso27001.slip]]\naudit = \"surveillance_audit\"\ncycle = 40\nmonths = 2\n\n[iso27001.staff_fte]",
        ),
    )
    .unwrap();
    certplan()
        .arg("validate")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains("iso27001.slip[1].cycle"))
        .stderr(predicate::str::contains("cannot begin within"));
}

#[test]
fn more_repetitive_workers_than_people() {
    rejects(
        &replaced(
            "complexity_adjustment = 0.0",
            "repetitive_work_persons = 500\ncomplexity_adjustment = 0.0",
        ),
        &["iso27001.repetitive_work_persons", "they are part of it"],
    );
}

#[test]
fn every_error_of_a_file_at_once_with_words_a_person_can_act_on() {
    let text = "[programme]\nname = \"x\"\nstart = 2027-01-01\nhorizon_months = 36\ncurrency = \"USD\"\nheadcount = 40\n[soc2]\nreadines_months = 3\nfirst_window_months = 40\n[iso27001]\nday_rate = -5\n[[plan]]\nname = \"a\"\nframeworks = [\"soc2\"]\n[requirements]\nsoc2_type2_report_by = \"30/06/2028\"\n";
    rejects(
        text.as_bytes(),
        &[
            "bad.toml:3:9: key `programme.start`: `2027-01-01` is a TOML date, but a month is expected here: write it in quotes, as \"2027-01\"",
            "bad.toml:8:1: key `soc2.readines_months`: unknown key `readines_months`: did you mean `readiness_months`?",
            "bad.toml:9:23: key `soc2.first_window_months`",
            "bad.toml:11:12: key `iso27001.day_rate`",
            "a framework is written as a table, not a string: [{ name = \"soc2\" }]",
            "`30/06/2028` is not written as a date: write YYYY-MM-DD",
            "6 errors in",
        ],
    );
}

#[test]
fn an_unknown_key_far_from_any_gets_no_list_of_every_key() {
    let stderr_of = |text: &[u8]| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        fs::write(&path, text).unwrap();
        let out = certplan().arg("validate").arg(&path).output().unwrap();
        String::from_utf8(out.stderr).unwrap()
    };
    let stderr = stderr_of(&replaced("sites = 1 ", "zebra = 1 "));
    assert!(
        stderr.contains("unknown key `zebra`: this table has no such key"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("`headcount_growth_per_year`"),
        "no list of keys: {stderr}"
    );
}

#[test]
fn chart_sizes_say_which_dimension_is_out_of_range() {
    certplan()
        .args(["plan", "x.toml", "--chart-size", "1600x5000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the height 5000 is outside 480 to 4000",
        ));
}
