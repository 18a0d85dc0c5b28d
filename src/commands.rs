//! The commands behind the CLI: each returns what to print, or an error with its exit code.

use std::path::{Path, PathBuf};

use crate::charts::{self, ChartOptions};
use crate::comparison::{self, Comparison};
use crate::coverage::MonthCoverage;
use crate::error::{Error, Warning};
use crate::export::{
    OutputFile, Projected, comparison_csv, comparison_json, comparison_text, csv_tables,
    report_html, workbook,
};
use crate::money::display_amount;
use crate::output_folder;
use crate::projection::{self, PlanOutcome};
use crate::scenario::{self, Scenario};
use crate::terminal::{Align, Layout, table, truncate};
use crate::year_month::date_or;

/// What a command has to say: the text for standard output and the warnings for standard error.
#[derive(Debug, Default)]
pub struct Report {
    pub stdout: String,
    pub warnings: Vec<String>,
}

/// The output folder when none is given: `output/<scenario file stem>/`.
pub fn default_out_dir(scenario: &Path) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
    Path::new("output").join(stem)
}

fn warning_lines(path: &Path, warnings: &[Warning]) -> Vec<String> {
    warnings
        .iter()
        .map(|w| format!("{}: {w}", crate::error::shown(path)))
        .collect()
}

/// The per-plan summary printed by `plan`, fitted to `width` columns.
pub fn summary_table(scenario: &Scenario, plans: &[PlanOutcome], width: usize) -> String {
    let currency = scenario.programme.currency;
    let rows: Vec<Vec<String>> = plans
        .iter()
        .map(|o| {
            vec![
                truncate(&o.plan.name, 28),
                display_amount(o.total_cost(), currency),
                date_or(o.first_iso_certificate(), "—"),
                date_or(o.first_soc2_report(), "—"),
                o.months_with(MonthCoverage::Covered).to_string(),
                o.months_with(MonthCoverage::Uncovered).to_string(),
            ]
        })
        .collect();
    table(
        &[
            ("Plan", Align::Left),
            ("Total cost", Align::Right),
            ("First ISO cert", Align::Left),
            ("First SOC 2 report", Align::Left),
            ("Covered", Align::Right),
            ("Uncovered", Align::Right),
        ],
        &rows,
        width,
    )
}

/// Every output file of a run, in memory: the CSV, the comparison, the charts, the report and
/// the workbook.
pub fn outputs(
    scenario: &Scenario,
    plans: &[PlanOutcome],
    charts: ChartOptions,
) -> Result<(Vec<OutputFile>, Comparison), Error> {
    let projected = Projected { scenario, plans };
    let comparison = comparison::compare(scenario, plans);
    let mut files: Vec<OutputFile> = csv_tables::all(projected);
    files.push(comparison_csv::comparison_csv(
        &comparison,
        scenario.programme.currency,
    ));
    let rendered = charts::render(projected, charts)?;
    files.extend(rendered.files);
    files.push(report_html::report_html(
        projected,
        &comparison,
        &rendered.report_svgs,
    ));
    files.push(workbook::budget_xlsx(projected, &comparison)?);
    Ok((files, comparison))
}

fn written(files: &[OutputFile], out: &Path) -> String {
    format!(
        "\nWrote {} files to {} (open report.html)\n",
        files.len(),
        out.display()
    )
}

/// `certplan plan`: projects every plan and writes the outputs to `out`.
pub fn plan(
    scenario_path: &Path,
    out: Option<&Path>,
    charts: ChartOptions,
    layout: Layout,
) -> Result<Report, Error> {
    let scenario = scenario::load(scenario_path)?;
    let plans = projection::project(&scenario);
    let (files, _) = outputs(&scenario, &plans, charts)?;
    let out = out.map_or_else(|| default_out_dir(scenario_path), Path::to_path_buf);
    output_folder::replace_folder(&out, &files, Some(scenario_path))?;

    let mut stdout = comparison_text::heading(&scenario, plans.len(), layout.width) + "\n\n";
    stdout.push_str(&summary_table(&scenario, &plans, layout.width));
    stdout.push_str(&written(&files, &out));
    Ok(Report {
        stdout,
        warnings: warning_lines(scenario_path, &scenario.warnings),
    })
}

/// How `compare` prints the comparison.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum CompareFormat {
    #[default]
    Table,
    Csv,
    Json,
}

impl std::str::FromStr for CompareFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "table" => Ok(CompareFormat::Table),
            "csv" => Ok(CompareFormat::Csv),
            "json" => Ok(CompareFormat::Json),
            _ => Err(format!("`{s}`: expected table, csv or json")),
        }
    }
}

/// `certplan compare`: compares the plans, prints the comparison and writes every output.
pub fn compare(
    scenario_path: &Path,
    out: Option<&Path>,
    format: CompareFormat,
    layout: Layout,
) -> Result<Report, Error> {
    let scenario = scenario::load(scenario_path)?;
    let plans = projection::project(&scenario);
    let (files, comparison) = outputs(&scenario, &plans, ChartOptions::default())?;
    let out = out.map_or_else(|| default_out_dir(scenario_path), Path::to_path_buf);
    output_folder::replace_folder(&out, &files, Some(scenario_path))?;
    let currency = scenario.programme.currency;
    let stdout = match format {
        CompareFormat::Table => {
            comparison_text::comparison_text(&scenario, &comparison, layout)
                + &written(&files, &out)
        }
        CompareFormat::Csv => {
            String::from_utf8_lossy(&comparison_csv::comparison_csv(&comparison, currency).bytes)
                .into_owned()
        }
        CompareFormat::Json => {
            comparison_json::comparison_json(&comparison, &scenario.programme.name, currency)
        }
    };
    Ok(Report {
        stdout,
        warnings: warning_lines(scenario_path, &scenario.warnings),
    })
}

/// `certplan validate`: checks the scenario only.
pub fn validate(scenario_path: &Path) -> Result<Report, Error> {
    let scenario = scenario::load(scenario_path)?;
    let names: Vec<&str> = scenario.plans.iter().map(|p| p.name.as_str()).collect();
    Ok(Report {
        stdout: format!(
            "{} is valid: {} plans ({}), {} warnings\n",
            scenario_path.display(),
            names.len(),
            names.join(", "),
            scenario.warnings.len()
        ),
        warnings: warning_lines(scenario_path, &scenario.warnings),
    })
}

/// The commented starter scenario written by `certplan init`.
pub const STARTER: &str = include_str!("../scenarios/starter.toml");

/// `certplan init`: writes the starter scenario; never overwrites a file.
pub fn init(path: &Path) -> Result<Report, Error> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source: if source.kind() == std::io::ErrorKind::AlreadyExists {
                std::io::Error::new(
                    source.kind(),
                    "it already exists, and init never overwrites a file: give another path",
                )
            } else {
                source
            },
        })?;
    file.write_all(STARTER.as_bytes())
        .map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(Report {
        stdout: format!(
            "Wrote a starter scenario to {0}\nEdit it, then run: certplan plan {0}\n",
            path.display()
        ),
        warnings: Vec::new(),
    })
}
