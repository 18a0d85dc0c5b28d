//! report.html in a real browser: Debian's Chromium, headless, renders it to the DOM, a PNG
//! screenshot and an A4 landscape PDF. Fails on any console message (the report has no script,
//! so any message is an error) or a missing section. `bash tests/run.sh` installs Chromium.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{read_records, repo, run_into};

const SECTIONS: [&str; 7] = [
    "decision",
    "comparison",
    "budget",
    "plans",
    "appendix",
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
            html.contains(&format!(" id=\"{section}\"")),
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
        2 + plans,
        "cost curves, budget, and a timeline per plan"
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

/// Runs a poppler tool (Debian's poppler-utils; `bash tests/run.sh` installs it).
fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool}: {e}: run `bash tests/run.sh`, which installs poppler-utils")
    });
    assert!(output.status.success(), "{tool} failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Each page's text, as `pdftotext -layout` reads it.
fn page_texts(pdf: &Path) -> Vec<String> {
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .expect("a page count");
    (1..=pages)
        .map(|n| {
            let n = n.to_string();
            poppler(
                "pdftotext",
                &["-layout", "-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"],
            )
        })
        .collect()
}

/// How far down each page its lowest text reaches, as a fraction of the page's height.
#[allow(clippy::float_arithmetic)] // page geometry, not money
fn page_fill(pdf: &Path) -> Vec<f64> {
    let html = poppler("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let attr = |tag: &str, name: &str| -> f64 {
        tag.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .parse()
            .unwrap()
    };
    let mut fills = Vec::new();
    for page in html.split("<page ").skip(1) {
        let height = attr(page, "height");
        let lowest = page
            .split("<word ")
            .skip(1)
            .map(|w| attr(w, "yMax"))
            .fold(0.0, f64::max);
        fills.push(lowest / height);
    }
    fills
}

/// report.html of the output folder `out` printed by Chromium to an A4 landscape PDF: the report,
/// the PDF, and the text of each page.
fn printed(out: &Path) -> (PathBuf, PathBuf, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let report = out.join("report.html");
    let pdf = out.join("report.pdf");
    headless(
        profile.path(),
        &report,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let pages = page_texts(&pdf);
    (report, pdf, pages)
}

/// Every page of `pdf` but the last is at least a third full.
#[allow(clippy::float_arithmetic)] // a share of the page, not money
fn no_page_but_the_last_is_under_a_third_full(pdf: &Path) {
    let fills = page_fill(pdf);
    for (i, fill) in fills.iter().enumerate().take(fills.len() - 1) {
        assert!(
            *fill > 0.34,
            "page {} is only {:.0} % full",
            i + 1,
            fill * 100.0
        );
    }
}

/// No heading of `report` is the last line of a printed page: each stays with what it heads.
fn no_page_ends_with_a_heading(report: &Path, pages: &[String]) {
    let html = fs::read_to_string(report).unwrap();
    let headings: Vec<String> = ["<h2>", "<h3>"]
        .iter()
        .flat_map(|tag| html.split(tag).skip(1))
        .filter_map(|rest| rest.split("</h").next())
        .map(|t| t.replace("&amp;", "&").trim().to_string())
        .collect();
    for (i, page) in pages.iter().enumerate() {
        let last = page
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        assert!(
            !headings.iter().any(|h| h == last),
            "page {} ends with the heading {last:?}",
            i + 1
        );
    }
}

#[test]
fn the_four_plan_eu_example_prints_as_a_board_paper() {
    let (out, _) = run_into("compare", &repo().join("scenarios/eu-midsize.toml"));
    let (report, pdf, pages) = printed(out.path());
    assert!(pages.len() <= 10, "{} pages", pages.len());

    // The first page is the decision: the recommendation, every plan, the cost chart.
    let first = &pages[0];
    assert!(first.contains("Recommended: iso-then-soc2"), "{first}");
    for plan in ["iso-only", "soc2-only", "both-parallel", "iso-then-soc2"] {
        assert!(first.contains(plan), "{plan} on page 1");
    }
    assert!(
        first.contains("Cumulative cost by plan"),
        "the chart on page 1"
    );
    assert!(first.contains("2027-12-31"), "the deadlines drawn");

    // No page but the last is under a third full.
    no_page_but_the_last_is_under_a_third_full(&pdf);

    // No heading is the last line of a page: each stays with what it heads.
    no_page_ends_with_a_heading(&report, &pages);

    // Months on the charts read as months.
    let all = pages.join("\n");
    assert!(
        all.contains("Jan 2028"),
        "month labels with the year in full"
    );
    assert!(!all.contains("Jan 28 "), "no two-digit years");
    // Partial fiscal years are labelled with their months.
    assert!(
        all.contains("FY2027 (Jan–Jun 2027)"),
        "partial fiscal year labelled"
    );
}

#[test]
fn the_report_reads_on_a_phone() {
    let (out, _) = run_into("compare", &repo().join("scenarios/eu-midsize.toml"));
    let html = fs::read_to_string(out.path().join("report.html")).unwrap();
    // Every table scrolls inside its own box, never the page.
    assert_eq!(
        html.matches("<table").count(),
        html.matches("<div class=\"scroll\"><table").count()
    );
    let profile = tempfile::tempdir().unwrap();
    let shot = out.path().join("phone.png");
    headless(
        profile.path(),
        &out.path().join("report.html"),
        &[
            "--window-size=390,844".into(),
            format!("--screenshot={}", shot.display()),
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(&shot).unwrap()));
    assert_eq!(decoder.read_info().unwrap().info().width, 390);
}

#[test]
fn the_business_case_prints_with_its_chart_and_no_heading_left_alone() {
    let (out, _) = run_into("compare", &repo().join("scenarios/business-case.toml"));
    let (report, pdf, pages) = printed(out.path());
    let business = pages
        .iter()
        .position(|p| p.contains("Business case"))
        .expect("a Business case page");
    let page = &pages[business];
    for expected in [
        "Value of each plan",
        "Net, present value",
        "Expected net position by plan",
        "Payback",
    ] {
        assert!(page.contains(expected), "{expected} on the business page");
    }
    assert!(
        pages
            .iter()
            .any(|p| p.contains("Demand unlocked") && p.contains("Nordbank tender")),
        "the demand table"
    );
    no_page_ends_with_a_heading(&report, &pages);
    no_page_but_the_last_is_under_a_third_full(&pdf);
    // What each plan sets for itself is on its page.
    assert!(
        pages
            .iter()
            .any(|p| p.contains("Plan: iso-sprint-premium-cb")
                && p.contains("Starts from plan iso-sprint")),
        "the overrides on the plan's page"
    );
}
