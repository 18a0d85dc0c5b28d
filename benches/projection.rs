//! Speed targets from the issues, measured in release:
//! - projecting and pricing every plan of the largest example over 120 months: under 1 ms;
//! - rendering all its charts (SVG and PNG): under 150 ms;
//! - a full `plan` of it, every output written: under 50 ms (the process itself, started by
//!   hyperfine, adds its start-up and exit: see the issue notes).

use std::path::Path;

use certplan::decision::projection;
use certplan::scenario;

fn main() {
    divan::main();
}

fn largest_example() -> scenario::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/enterprise.toml");
    scenario::load(&path).expect("the shipped enterprise scenario is valid")
}

/// Schedule, ledger and coverage of all plans of `scenarios/enterprise.toml` (120 months).
#[divan::bench]
fn project_and_price_all_plans(bencher: divan::Bencher) {
    let scenario = largest_example();
    bencher.bench(|| projection::project(divan::black_box(&scenario)));
}

/// Reading and checking the scenario file itself.
#[divan::bench]
fn load_scenario(bencher: divan::Bencher) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/enterprise.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    bencher.bench(|| scenario::from_text(&path, divan::black_box(&text)));
}

/// Every chart of the largest example, SVG and PNG (target: under 150 ms).
#[divan::bench(sample_count = 20)]
fn render_all_charts(bencher: divan::Bencher) {
    use certplan::render::charts::{self, ChartOptions};
    use certplan::render::export::Projected;
    let scenario = largest_example();
    let plans = projection::project(&scenario);
    bencher.bench(|| {
        let projected = Projected {
            scenario: &scenario,
            plans: &plans,
        };
        charts::render(projected, ChartOptions::default()).expect("charts render")
    });
}

/// `certplan plan scenarios/enterprise.toml`: read, project, compare, draw every chart, build
/// every table, the report and the workbook, and write them all to a fresh output folder
/// (target: under 50 ms).
#[divan::bench(sample_count = 20)]
fn plan_every_output_enterprise(bencher: divan::Bencher) {
    use certplan::render::charts::ChartOptions;
    use certplan::render::terminal::Layout;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/enterprise.toml");
    let dir = std::env::temp_dir().join(format!("certplan-bench-{}", std::process::id()));
    let source = certplan::scenario::Source::File(path);
    bencher.bench(|| {
        certplan::cli::commands::plan(
            std::slice::from_ref(&source),
            Some(&dir),
            ChartOptions::default(),
            Layout {
                color: false,
                width: 100,
            },
            None,
        )
        .expect("the plan runs")
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// The comparison of every plan: counterfactual plans for the savings and the search for the
/// latest viable start month of each date requirement.
#[divan::bench]
fn compare_all_plans(bencher: divan::Bencher) {
    let scenario = largest_example();
    let plans = projection::project(&scenario);
    bencher.bench(|| certplan::decision::comparison::compare(divan::black_box(&scenario), &plans));
}

/// 10,000 Monte Carlo draws of every plan of `scenarios/enterprise.toml` (target: under 1 s on
/// the 2-core machine), on all cores.
#[divan::bench(sample_count = 5)]
fn risk_10000_draws_enterprise(bencher: divan::Bencher) {
    let scenario = largest_example();
    bencher.bench(|| {
        certplan::decision::monte_carlo::run(divan::black_box(&scenario), 10_000, 27_001, &|| {})
    });
}

/// The same with ranges and risk events: `scenarios/risky-rollout.toml`.
#[divan::bench(sample_count = 5)]
fn risk_10000_draws_risky_rollout(bencher: divan::Bencher) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/risky-rollout.toml");
    let scenario = scenario::load(&path).unwrap();
    bencher.bench(|| {
        certplan::decision::monte_carlo::run(divan::black_box(&scenario), 10_000, 27_001, &|| {})
    });
}
