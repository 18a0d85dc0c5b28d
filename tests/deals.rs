//! Deals that need assurance by a date (`[[demand]] needed_by`): a plan that is late earns
//! nothing from a lost deal, in every output; a delayed deal starts when the assurance arrives,
//! at a lower win probability.

use std::fs;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{certplan, read_records, repo};

/// business-case.toml with the Nordbank tender worth 2,000,000 (won at 35 %) and the given keys
/// added to it. soc2-first certifies ISO/IEC 27001 on 2028-03-24, iso-sprint on 2027-09-22.
fn tender(keys: &str) -> String {
    fs::read_to_string(repo().join("scenarios/business-case.toml"))
        .unwrap()
        .replace(
            "contract_value = 240000",
            &format!("contract_value = 2000000\n{keys}"),
        )
}

fn compare(text: &str, dir: &Path) -> (String, Vec<std::collections::BTreeMap<String, String>>) {
    let path = dir.join("s.toml");
    fs::write(&path, text).unwrap();
    let out = certplan()
        .args(["compare", "--out"])
        .arg(dir.join("out"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        read_records(&dir.join("out/comparison.csv")),
    )
}

fn row<'a>(
    rows: &'a [std::collections::BTreeMap<String, String>],
    plan: &str,
) -> &'a std::collections::BTreeMap<String, String> {
    rows.iter().find(|r| r["plan"] == plan).unwrap()
}

#[test]
fn a_deal_lost_by_a_late_plan_earns_it_nothing_in_every_output_and_no_longer_ranks_it_first() {
    let before = tempfile::tempdir().unwrap();
    let (_, without) = compare(&tender(""), before.path());
    assert_eq!(row(&without, "soc2-first")["recommended"], "true");
    assert_eq!(
        row(&without, "soc2-first")["demand_3_expected_revenue"],
        "700000.00"
    );

    let after = tempfile::tempdir().unwrap();
    let (stdout, with) = compare(&tender("needed_by = \"2027-12-31\""), after.path());
    let late = row(&with, "soc2-first");
    assert_eq!(late["demand_3_timing"], "lost");
    assert_eq!(late["demand_3_expected_revenue"], "0.00");
    assert_eq!(
        late["demand_3_unlocked"], "2028-03-24",
        "the certificate still comes"
    );
    let lost: rust_decimal::Decimal = row(&without, "soc2-first")["expected_net_value"]
        .parse::<rust_decimal::Decimal>()
        .unwrap()
        - late["expected_net_value"]
            .parse::<rust_decimal::Decimal>()
            .unwrap();
    assert_eq!(
        lost,
        rust_decimal::Decimal::from(700_000),
        "net value falls by the deal"
    );
    let in_time = row(&with, "iso-sprint");
    assert_eq!(in_time["demand_3_timing"], "on_time");
    assert_eq!(in_time["demand_3_expected_revenue"], "700000.00");
    assert_eq!(
        in_time["recommended"], "true",
        "the plan that meets the tender ranks first"
    );
    assert_eq!(late["recommended"], "false");

    assert!(stdout.contains("Recommended: iso-sprint"), "{stdout}");
    assert!(
        stdout.contains("lost"),
        "the Unlocked table says so: {stdout}"
    );
    assert!(stdout.contains("Nordbank tender needed by 2027-12-31 (lost if late)"));

    let json = certplan()
        .args(["compare", "--no-write", "--format", "json"])
        .arg(after.path().join("s.toml"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let plan = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["plan"] == "soc2-first")
        .unwrap();
    let deal = &plan["business_case"]["demand"][2];
    assert_eq!(deal["timing"], "lost");
    assert_eq!(deal["expected_revenue"], "0.00");

    let html = fs::read_to_string(after.path().join("out/report.html")).unwrap();
    assert!(html.contains("assurance 2028-03-24, needed by 2027-12-31"));

    let mut book: Xlsx<_> = open_workbook(after.path().join("out/budget.xlsx")).unwrap();
    let sheet = book.worksheet_range("Business case").unwrap();
    let lost_row = sheet
        .rows()
        .find(|r| {
            r.first() == Some(&Data::String("Nordbank tender".into()))
                && r.get(1) == Some(&Data::String("soc2-first".into()))
        })
        .expect("the deal's row on the Business case sheet");
    assert_eq!(lost_row[4], Data::String("lost".into()));
    assert_eq!(lost_row[5], Data::Float(0.0));
}

#[test]
fn a_delayed_deal_starts_when_the_assurance_arrives_at_the_decayed_probability() {
    // Needed by 2027-12-31, certified 2028-03-24: three months begun late (Jan 31, Feb 29 and
    // Mar 31 are the month ends after the date), 35 % − 3 × 5 % = 20 %, so 2,000,000 × 0.20.
    let dir = tempfile::tempdir().unwrap();
    let (_, rows) = compare(
        &tender("needed_by = \"2027-12-31\"\nif_late = \"delayed\"\nwin_probability_decay = 0.05"),
        dir.path(),
    );
    let late = row(&rows, "soc2-first");
    assert_eq!(late["demand_3_timing"], "delayed");
    assert_eq!(late["demand_3_expected_revenue"], "400000.00");
    let monthly = read_records(&dir.path().join("out/comparison.csv"));
    assert_eq!(
        row(&monthly, "iso-sprint")["demand_3_expected_revenue"],
        "700000.00"
    );
}

#[test]
fn deal_deadline_keys_are_checked_at_their_line() {
    let cases = [
        ("if_late = \"lost\"", "give needed_by"),
        (
            "needed_by = \"2027-12-31\"\nwin_probability_decay = 0.1",
            "applies to a deal that is delayed",
        ),
        ("needed_by = \"2027-06-30\"", "before the deal exists"),
        ("needed_by = \"2027-02-30\"", "2027-02-30"),
        ("needed_by = \"2027-12-31\"\nif_late = \"later\"", "later"),
    ];
    for (keys, expected) in cases {
        let text = tender(keys);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        fs::write(&path, &text).unwrap();
        let out = certplan().arg("validate").arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{keys}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last_key = keys.lines().last().unwrap().split(" =").next().unwrap();
        let line = text.lines().position(|l| l.starts_with(last_key)).unwrap() + 1;
        assert!(
            stderr.contains(&format!("bad.toml:{line}:")),
            "{keys}: {stderr}"
        );
        assert!(stderr.contains(expected), "{keys}: {stderr}");
    }
}
