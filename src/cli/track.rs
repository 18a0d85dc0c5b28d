//! `certplan baseline` (freeze the approved plan) and `certplan track` (the plan re-projected
//! from what has happened, against that baseline).

use std::path::Path;

use chrono::NaiveDate;

use crate::cli::commands::{Report, default_out_dir};
use crate::cli::output_folder;
use crate::decision::projection;
use crate::decision::tracking;
use crate::render::export::{OutputFile, variance_csv};
use crate::render::terminal::Layout;
use crate::scenario::{self, tracking as tracking_input};
use crate::vocabulary::error::{Diagnostic, Error, shown};

/// Today (UTC), from the system clock.
pub fn today() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(days)))
        .unwrap_or(NaiveDate::MIN)
}

fn bad_input(path: &Path, key: &str, message: String) -> Error {
    Error::from(Diagnostic::at(path, "", None, Some(key.into()), message))
}

/// `certplan baseline`: freezes plan `plan` of the scenario at `path` into `output`; an existing
/// file is never overwritten (a baseline does not move).
pub fn baseline(
    path: &Path,
    plan: &str,
    output: &Path,
    frozen_on: Option<NaiveDate>,
) -> Result<Report, Error> {
    let scenario = scenario::load(path)?;
    let Some(chosen) = scenario.plans.iter().find(|p| p.name == plan) else {
        let names: Vec<&str> = scenario.plans.iter().map(|p| p.name.as_str()).collect();
        return Err(bad_input(
            path,
            "--plan",
            format!(
                "the scenario has no plan `{plan}`: expected one of {}",
                names.join(", ")
            ),
        ));
    };
    if std::fs::symlink_metadata(output).is_ok() {
        return Err(Error::Refused {
            path: output.to_path_buf(),
            reason: "it exists, and a baseline is never overwritten: remove it first, or \
                     write the new baseline to another file"
                .into(),
        });
    }
    let outcome = projection::project_plan(&scenario, chosen);
    let frozen = tracking::freeze(&scenario, &outcome, frozen_on.unwrap_or_else(today));
    std::fs::write(output, tracking::to_json(&frozen)).map_err(|source| Error::Write {
        path: output.to_path_buf(),
        source,
    })?;
    Ok(Report {
        status: vec![format!(
            "Froze plan `{plan}` ({} events, {} ledger lines) into {}",
            frozen.events.len(),
            frozen.ledger.len(),
            shown(output)
        )],
        ..Report::default()
    })
}

/// Everything `track` needs, read and checked.
pub struct Loaded {
    pub scenario: scenario::Scenario,
    pub tracking: tracking_input::Tracking,
    pub tracked: tracking::Tracked,
    pub warnings: Vec<String>,
}

/// Reads the scenario at `path`, its `[tracking]` section, actuals and baseline, and
/// re-projects the plan.
pub fn load(path: &Path) -> Result<Loaded, Error> {
    let scenario = scenario::load(path)?;
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let Some(tracking) = tracking_input::read(path, &text, scenario.programme.currency)? else {
        return Err(bad_input(
            path,
            "tracking",
            "the scenario has no [tracking] section: give baseline, as_of and actuals \
             (docs/scenario.md, Tracking)"
                .into(),
        ));
    };
    let baseline_text =
        std::fs::read_to_string(&tracking.baseline_path).map_err(|source| Error::Read {
            path: tracking.baseline_path.clone(),
            source,
        })?;
    let frozen = tracking::read_baseline(&tracking.baseline_path, &baseline_text)?;
    let tracked = tracking::track(&scenario, &tracking, &frozen)
        .map_err(|m| bad_input(&tracking.baseline_path, "tracking", m))?;
    let mut warnings: Vec<String> = scenario
        .warnings
        .iter()
        .map(|w| format!("{}: {w}", shown(path)))
        .collect();
    warnings.extend(tracking.warnings.iter().map(ToString::to_string));
    if tracked.other_bytes {
        warnings.push(format!(
            "{}: frozen from other scenario bytes (SHA-256 {}) than {} ({}): the baseline is \
             what was approved then",
            shown(&tracking.baseline_path),
            frozen.file.scenario_sha256,
            shown(path),
            scenario.sha256
        ));
    }
    Ok(Loaded {
        scenario,
        tracking,
        tracked,
        warnings,
    })
}

/// The files `track` writes.
pub fn files(loaded: &Loaded) -> Vec<OutputFile> {
    let currency = loaded.scenario.programme.currency;
    let t = &loaded.tracked;
    vec![
        variance_csv::variance(t, currency),
        variance_csv::forecast(t, currency),
        variance_csv::milestones(t),
        variance_csv::summary(t, currency),
        // The re-projected plan's dated events, as `plan` writes them.
        crate::render::export::csv_tables::schedule(crate::render::export::Projected {
            scenario: &loaded.scenario,
            plans: std::slice::from_ref(&t.outcome),
        }),
    ]
}

/// `certplan track`: writes variance.csv, forecast.csv, milestones.csv and
/// tracking_summary.csv and schedule.csv to `out` (the rules of `plan`'s output folder), and prints the summary.
pub fn track(path: &Path, out: Option<&Path>, layout: Layout) -> Result<Report, Error> {
    let loaded = load(path)?;
    let files = files(&loaded);
    let out = out.map_or_else(
        || {
            let mut d = default_out_dir(path).into_os_string();
            d.push("-track");
            std::path::PathBuf::from(d)
        },
        Path::to_path_buf,
    );
    output_folder::replace_folder(&out, &files, Some(path))?;
    Ok(Report {
        stdout: variance_csv::text(
            &loaded.tracked,
            loaded.scenario.programme.currency,
            layout.width,
        ),
        warnings: loaded.warnings,
        status: vec![format!("Wrote {} files to {}", files.len(), shown(&out))],
        ..Report::default()
    })
}
