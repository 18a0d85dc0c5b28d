//! Snapshots of the CSV a user reads, for one scenario: any change to a date or an amount shows.

use std::fs;

use crate::common::{repo, run_into};

#[test]
fn saas_startup_csv_outputs() {
    let (out, _) = run_into("plan", &repo().join("scenarios/saas-startup.toml"));
    for name in [
        "summary.csv",
        "budget_by_fiscal_year.csv",
        "schedule.csv",
        "cost_curve.csv",
    ] {
        let text = fs::read_to_string(out.path().join(name)).unwrap();
        insta::assert_snapshot!(name, text);
    }
}
