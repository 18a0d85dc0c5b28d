//! The documentation keeps up with the outputs: every event, category and CSV column that
//! certplan writes is described in docs/outputs.md.

use std::fs;

use certplan::cycle::schedule::EventKind;
use certplan::vocabulary::category::Category;

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

/// Every rule the code, the scenarios and the docs cite (I1–I10, S1–S7, §1–§6) is stated in
/// docs/domain.md, and nothing cites a path outside the repository.
#[test]
fn every_cited_rule_is_in_docs_domain_md() {
    let domain = std::fs::read_to_string(crate::common::repo().join("docs/domain.md")).unwrap();
    let mut files = Vec::new();
    // Every folder of the sources, however deep, the scenarios and the docs.
    let mut dirs: Vec<std::path::PathBuf> = ["src", "scenarios", "docs"]
        .iter()
        .map(|d| crate::common::repo().join(d))
        .collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "toml" || e == "md")
            {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 60, "{} files read", files.len());
    files.push(crate::common::repo().join("README.md"));
    let mut cited = std::collections::BTreeSet::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        // Spelled in pieces, so that this test does not cite them itself.
        let outside = [["..", "shared"].join("/"), ["shared", "design"].join("/")];
        assert!(
            !outside.iter().any(|o| text.contains(o.as_str())),
            "{} cites a path outside the repository",
            path.display()
        );
        let chars: Vec<char> = text.chars().collect();
        for i in 0..chars.len() {
            let (tag, rest) = match chars[i] {
                'I' | 'S' if i == 0 || !chars[i - 1].is_alphanumeric() => (chars[i], i + 1),
                '§' => ('§', i + 1),
                _ => continue,
            };
            let digits: String = chars[rest..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let ends = chars
                .get(rest + digits.len())
                .is_none_or(|c| !c.is_alphanumeric());
            if !digits.is_empty() && digits.len() <= 2 && ends {
                cited.insert(format!("{tag}{digits}"));
            }
        }
    }
    for rule in &cited {
        let stated = if rule.starts_with('§') {
            domain.contains(&format!("## {rule} "))
        } else {
            domain.contains(&format!("| {rule} |"))
        };
        assert!(stated, "{rule} is cited but not stated in docs/domain.md");
    }
    assert!(cited.contains("I10") && cited.contains("S7") && cited.contains("§6"));
}

/// Every field of compare's JSON is documented in docs/outputs.md.
#[test]
fn every_json_field_of_compare_is_documented() {
    let doc = outputs_doc();
    let out = crate::common::certplan()
        .args(["compare", "--format", "json", "--no-write"])
        .arg(repo().join("scenarios/eu-saas-both.toml"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    fn keys(value: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let mut all = std::collections::BTreeSet::new();
    keys(&json, &mut all);
    for key in all {
        assert!(
            doc.contains(&format!("`{key}`"))
                || doc.contains(&format!(".{key}`"))
                || doc.contains(&format!("{key}[]"))
                || doc.contains(&format!(", `{key}`"))
                || doc.contains(&format!("`.{key}`")),
            "JSON field {key} in docs/outputs.md"
        );
    }
}

/// The folders of `src/` are the floors of the pipeline (src/lib.rs): a module imports only its
/// own floor and the ones before it, so the domain never depends on how it is shown.
#[test]
fn no_module_imports_a_floor_above_its_own() {
    const FLOORS: [&str; 7] = [
        "vocabulary",
        "scenario",
        "cycle",
        "costing",
        "decision",
        "render",
        "cli",
    ];
    let src = crate::common::repo().join("src");
    let mut dirs = vec![src.clone()];
    let mut checked = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let Some(floor) = relative
                .components()
                .next()
                .and_then(|c| FLOORS.iter().position(|f| c.as_os_str() == *f))
            else {
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may reach anywhere.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (at, _) in code.match_indices("crate::") {
                let name: String = code[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(other) = FLOORS.iter().position(|f| *f == name) {
                    assert!(
                        other <= floor,
                        "{} ({}) imports crate::{name}, a floor above it",
                        relative.display(),
                        FLOORS[floor]
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} files");
}
