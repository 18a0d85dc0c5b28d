//! report.html in a real browser: Debian's Chromium, headless, renders it to the DOM, a PNG
//! screenshot and an A4 landscape PDF. Fails on any console message (the report has no script,
//! so any message is an error) or a missing section. `bash tests/run.sh` installs Chromium.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{read_records, repo, run_into};

const SECTIONS: [&str; 7] = [
    "summary",
    "comparison",
    "budget",
    "charts",
    "timelines",
    "warnings",
    "assumptions",
];

fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("CERTPLAN_CHROMIUM") {
        return PathBuf::from(path);
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "Chromium not found: run `bash tests/run.sh` (it installs Debian's chromium) or set CERTPLAN_CHROMIUM"
    );
}

/// Runs headless Chromium on `page` with `args`; returns stdout and stderr.
fn headless(profile: &Path, page: &Path, args: &[String]) -> (String, String) {
    // coreutils' timeout: a browser that hangs fails the test instead of stalling CI.
    let output = Command::new("timeout")
        .arg("120")
        .arg(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("Chromium runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "Chromium failed: {stderr}");
    (String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
}

fn console_messages(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

#[test]
fn report_is_self_contained() {
    let (out, _) = run_into("compare", &repo().join("scenarios/enterprise.toml"));
    let html = fs::read_to_string(out.path().join("report.html")).unwrap();
    for forbidden in ["<script", "<link", "src=", "url(", "@import", "https://"] {
        assert!(
            !html.contains(forbidden),
            "report.html contains {forbidden}"
        );
    }
    let external = html.matches("http://").count();
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(
        external, namespaces,
        "the only URLs are SVG namespace names"
    );
    for section in SECTIONS {
        assert!(
            html.contains(&format!("<section id=\"{section}\"")),
            "section {section}"
        );
    }
}

#[test]
fn report_renders_in_chromium_to_screen_and_a4_landscape_pdf_without_console_errors() {
    let (out, _) = run_into("compare", &repo().join("scenarios/eu-saas-both.toml"));
    let profile = tempfile::tempdir().unwrap();
    let report = out.path().join("report.html");
    let plans = read_records(&out.path().join("summary.csv")).len();

    // The DOM after rendering: every section, every chart, every plan.
    let (dom, stderr) = headless(profile.path(), &report, &["--dump-dom".into()]);
    assert!(
        console_messages(&stderr).is_empty(),
        "console: {:?}",
        console_messages(&stderr)
    );
    for section in SECTIONS {
        assert!(
            dom.contains(&format!("id=\"{section}\"")),
            "rendered section {section}"
        );
    }
    assert_eq!(
        dom.matches("<svg").count(),
        2 + 2 * plans,
        "cost curves, budget, and two charts per plan"
    );
    for row in read_records(&out.path().join("summary.csv")) {
        assert!(dom.contains(&row["plan"]));
    }

    // A screenshot.
    let shot = out.path().join("report.png");
    let (_, stderr) = headless(
        profile.path(),
        &report,
        &[
            "--window-size=1400,1000".into(),
            format!("--screenshot={}", shot.display()),
        ],
    );
    assert!(
        console_messages(&stderr).is_empty(),
        "console: {:?}",
        console_messages(&stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(&shot).unwrap()));
    let info = decoder.read_info().unwrap();
    assert_eq!(info.info().width, 1400);

    // A PDF on A4 landscape.
    let pdf = out.path().join("report.pdf");
    let (_, stderr) = headless(
        profile.path(),
        &report,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    assert!(
        console_messages(&stderr).is_empty(),
        "console: {:?}",
        console_messages(&stderr)
    );
    let bytes = fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    let text = String::from_utf8_lossy(&bytes);
    let media_box = text
        .split("MediaBox [")
        .nth(1)
        .and_then(|r| r.split(']').next())
        .expect("a page size");
    let numbers: Vec<f64> = media_box
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    let (width_mm, height_mm) = (numbers[2] / 72.0 * 25.4, numbers[3] / 72.0 * 25.4);
    assert!(
        (width_mm - 297.0).abs() < 2.0 && (height_mm - 210.0).abs() < 2.0,
        "A4 landscape: {width_mm} × {height_mm} mm"
    );
}
