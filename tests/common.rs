//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every shipped example scenario.
pub fn shipped_scenarios() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repo().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 4,
        "expected the shipped scenarios, found {paths:?}"
    );
    paths
}

pub fn certplan() -> Command {
    let mut cmd = Command::cargo_bin("certplan").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Reads a CSV file into header and rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Rows as maps from column name to value.
pub fn read_records(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let (header, rows) = read_csv(path);
    rows.into_iter()
        .map(|row| header.iter().cloned().zip(row).collect())
        .collect()
}

/// Runs `certplan COMMAND SCENARIO --out <new temporary folder>`, checks that it succeeds, and
/// returns the folder (deleted when dropped) and what was printed.
pub fn run_into(command: &str, scenario: &Path) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let assert = certplan()
        .arg(command)
        .arg(scenario)
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    (out, stdout)
}
