//! The documentation keeps up with the outputs: every event, category and CSV column that
//! certplan writes is described in docs/outputs.md.

use std::fs;

use certplan::category::Category;
use certplan::schedule::EventKind;

use crate::common::{read_csv, repo, run_into};

fn outputs_doc() -> String {
    fs::read_to_string(repo().join("docs/outputs.md")).unwrap()
}

#[test]
fn every_event_and_category_is_documented() {
    let doc = outputs_doc();
    for kind in EventKind::ALL {
        assert!(
            doc.contains(&format!("`{}`", kind.as_str())),
            "event {} in docs/outputs.md",
            kind.as_str()
        );
    }
    for category in Category::ALL {
        assert!(
            doc.contains(&format!("`{}`", category.as_str())),
            "category {} in docs/outputs.md",
            category.as_str()
        );
    }
}

#[test]
fn every_csv_column_is_documented() {
    let doc = outputs_doc();
    let (out, _) = run_into("compare", &repo().join("scenarios/eu-saas-both.toml"));
    for file in [
        "schedule.csv",
        "monthly_costs.csv",
        "cost_curve.csv",
        "budget_by_fiscal_year.csv",
        "summary.csv",
        "comparison.csv",
    ] {
        let (header, _) = read_csv(&out.path().join(file));
        for column in header {
            // Columns named after fiscal years and requirements are documented by their pattern.
            let documented = if let Some(rest) = column.strip_prefix("requirement_") {
                let pattern = if rest.ends_with("_detail") {
                    "`requirement_<key>_detail`"
                } else {
                    "`requirement_<key>`"
                };
                doc.contains(pattern)
            } else if column.starts_with("cost_FY") {
                doc.contains("`cost_FY2027`")
            } else {
                doc.contains(&format!("`{column}`"))
            };
            assert!(documented, "{file} column {column} in docs/outputs.md");
        }
    }
}
