//! The commands behind the CLI: each returns what to print, or an error with its exit code.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::output_folder;
use crate::cycle::coverage::MonthCoverage;
use crate::decision::comparison::{self, Comparison};
use crate::decision::projection::{self, PlanOutcome};
use crate::render::charts::{self, ChartOptions};
use crate::render::export::risk_json::RiskRun;
use crate::render::export::{
    OutputFile, Projected, comparison_csv, comparison_json, comparison_text, csv_tables,
    report_html, risk_json, workbook,
};
use crate::render::terminal::{Align, Layout, table, truncate};
use crate::scenario::{self, Scenario, Source};
use crate::vocabulary::error::{Error, Warning};
use crate::vocabulary::money::display_amount;
use crate::vocabulary::year_month::date_or;

/// What a command has to say: the result for standard output; warnings and status lines
/// (what was written where) for standard error; and the exit code when it is not 0.
#[derive(Debug, Default)]
pub struct Report {
    pub stdout: String,
    pub warnings: Vec<String>,
    pub status: Vec<String>,
    /// A documented non-zero exit code for a run that worked but failed a gate
    /// ([`EXIT_NO_PLAN_MEETS`]).
    pub exit_code: Option<u8>,
}

/// Exit code of `compare --fail-if-none-meets` when no plan meets every requirement.
pub const EXIT_NO_PLAN_MEETS: u8 = 3;

/// The output folder when none is given: `output/<scenario file stem>/` (`output/stdin/` for
/// standard input).
pub fn default_out_dir(scenario: &Path) -> PathBuf {
    let stem = if scenario == Path::new("<stdin>") || scenario == Path::new("-") {
        "stdin".to_string()
    } else {
        scenario
            .file_stem()
            .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
    };
    Path::new("output").join(stem)
}

fn warning_lines(path: &Path, warnings: &[Warning]) -> Vec<String> {
    warnings
        .iter()
        .map(|w| format!("{}: {w}", crate::vocabulary::error::shown(path)))
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
    outputs_with_risk(scenario, plans, charts, None)
}

/// Every output file of a run, with the risk analysis when there is one: its tables, its
/// charts, and its sections of the report and the workbook.
pub fn outputs_with_risk(
    scenario: &Scenario,
    plans: &[PlanOutcome],
    charts: ChartOptions,
    risk: Option<(charts::RiskInputs, bool)>,
) -> Result<(Vec<OutputFile>, Comparison), Error> {
    let projected = Projected { scenario, plans };
    let analysis = risk.map(|(r, _)| r.analysis);
    let comparison = match analysis {
        Some(a) => {
            crate::decision::board::at_confidence(scenario, comparison::compare(scenario, plans), a)
        }
        None => comparison::compare(scenario, plans),
    };
    // The charts on one side, the tables and the workbook on the other: they share nothing.
    let (rendered, tables) = rayon::join(
        || -> Result<_, Error> {
            let rendered = charts::render(projected, charts)?;
            let risk_rendered = match risk {
                Some((r, _)) => Some(charts::render_risk(r, charts)?),
                None => None,
            };
            Ok((rendered, risk_rendered))
        },
        || -> Result<_, Error> {
            let mut files: Vec<OutputFile> = csv_tables::all(projected);
            files.push(comparison_csv::comparison_csv(
                &comparison,
                scenario.programme.currency,
            ));
            if let Some((r, with_draws)) = risk {
                files.extend(crate::render::export::risk_tables::all(
                    scenario, r.analysis, r.draws, with_draws,
                ));
                files.push(risk_json::risk_json_file(
                    scenario,
                    r.analysis,
                    RiskRun::of(scenario, r.analysis, with_draws),
                ));
            }
            let book = workbook::budget_xlsx(projected, &comparison, analysis)?;
            Ok((files, book))
        },
    );
    let (rendered, risk_rendered) = rendered?;
    let (mut files, book) = tables?;
    files.extend(rendered.files);
    let risk_svgs = risk_rendered.map(|r| {
        files.extend(r.files);
        r.report_svgs
    });
    files.push(report_html::report_html(
        projected,
        &comparison,
        &rendered.report_svgs,
        analysis
            .zip(risk_svgs.as_deref())
            .map(|(analysis, svgs)| report_html::RiskSection {
                analysis,
                charts: svgs,
            }),
    ));
    files.push(book);
    Ok((files, comparison))
}

fn written(files: &[OutputFile], out: &Path) -> String {
    format!(
        "Wrote {} files to {} (open report.html)",
        files.len(),
        crate::vocabulary::error::shown(out)
    )
}

/// A risk run's draws and what they say, for the renderers of the run that writes them.
pub struct RiskResults {
    pub run: RiskRun,
    pub draws: Vec<crate::decision::monte_carlo::Draw>,
    pub analysis: crate::decision::risk_analysis::Analysis,
}

impl RiskRun {
    /// The run that made `analysis` from `scenario`.
    pub fn of(
        scenario: &Scenario,
        analysis: &crate::decision::risk_analysis::Analysis,
        draws_csv: bool,
    ) -> RiskRun {
        RiskRun {
            scenario_sha256: scenario.sha256.clone(),
            draws: analysis.draws,
            seed: analysis.seed,
            draws_csv,
        }
    }
}

impl RiskResults {
    /// Draws `run.draws` programmes of `scenario` with `run.seed` and analyses them.
    pub fn draw(scenario: &Scenario, run: RiskRun, on_draw: &(dyn Fn() + Sync)) -> RiskResults {
        let draws = crate::decision::monte_carlo::run(scenario, run.draws, run.seed, on_draw);
        let mut analysis = crate::decision::risk_analysis::analyse(scenario, &draws, run.seed);
        crate::decision::levers::for_analysis(scenario, &mut analysis);
        RiskResults {
            run,
            draws,
            analysis,
        }
    }

    /// What the risk renderers read.
    pub fn inputs<'a>(&'a self, scenario: &'a Scenario) -> (charts::RiskInputs<'a>, bool) {
        (
            charts::RiskInputs {
                scenario,
                draws: &self.draws,
                analysis: &self.analysis,
            },
            self.run.draws_csv,
        )
    }
}

/// The most a `risk.json` is read to (it is a few kilobytes).
const MAX_RISK_JSON_BYTES: u64 = 16 << 20;

/// What an output folder holds of the last `certplan risk` run into it.
#[derive(Debug)]
pub enum KeptRisk {
    /// No risk run (or not a folder certplan wrote).
    None,
    /// A risk run of the same scenario bytes: it can be drawn again, to the same numbers.
    Same(RiskRun),
    /// A risk run of other scenario bytes (or a `risk.json` this certplan cannot read).
    Other,
}

/// The last `certplan risk` run kept in `out`, read from its `risk.json` when `out` is a
/// folder certplan wrote.
pub fn kept_risk(out: &Path, scenario: &Scenario) -> KeptRisk {
    if !std::fs::metadata(out.join(output_folder::MARKER)).is_ok_and(|m| m.is_file()) {
        return KeptRisk::None;
    }
    let path = out.join(risk_json::FILE_NAME);
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() && m.len() <= MAX_RISK_JSON_BYTES => {}
        Ok(_) => return KeptRisk::Other,
        Err(_) => return KeptRisk::None,
    }
    let Ok(bytes) = std::fs::read(&path) else {
        return KeptRisk::Other;
    };
    match risk_json::run_of(&bytes) {
        Some(run)
            if run.scenario_sha256 == scenario.sha256
                && (1..=crate::decision::monte_carlo::MAX_DRAWS).contains(&run.draws) =>
        {
            KeptRisk::Same(run)
        }
        _ => KeptRisk::Other,
    }
}

/// What a `plan` or `compare` run did with the risk results of the folder it replaced.
#[derive(Debug)]
pub enum Written {
    /// There were none.
    NoRisk,
    /// Kept: the same run drawn again.
    KeptRisk(RiskRun),
    /// Not kept: they were made from other scenario bytes.
    DroppedRisk,
}

impl Written {
    /// Tells the user what became of the folder's risk results.
    fn tell(&self, out: &Path, report: &mut Report) {
        let shown = crate::vocabulary::error::shown(out);
        match self {
            Written::NoRisk => {}
            Written::KeptRisk(run) => report.status.push(format!(
                "Kept the risk results of the last `certplan risk` into {shown} (the same \
                 scenario bytes; {} draws, seed {}, drawn again)",
                run.draws, run.seed
            )),
            Written::DroppedRisk => report.warnings.push(format!(
                "{shown}: its risk results were made from another version of the scenario (or \
                 another certplan) and are gone: run `certplan risk` again to have them"
            )),
        }
    }
}

/// Renders a `plan` or `compare` run and replaces `out` with it. When `out` holds the results
/// of a `certplan risk` made from the same scenario bytes, they are kept: the same draws with
/// the same seed are made again (the same numbers, byte for byte), so that the risk tables,
/// charts, `risk.json` and the Risk sections of the report and the workbook stay.
fn write_keeping_risk(
    scenario: &Scenario,
    plans: &[PlanOutcome],
    charts: ChartOptions,
    out: &Path,
    scenario_file: Option<&Path>,
) -> Result<(Vec<OutputFile>, Comparison, Written), Error> {
    let (risk, written) = match kept_risk(out, scenario) {
        KeptRisk::None => (None, Written::NoRisk),
        KeptRisk::Other => (None, Written::DroppedRisk),
        KeptRisk::Same(run) => (
            Some(RiskResults::draw(scenario, run.clone(), &|| {})),
            Written::KeptRisk(run),
        ),
    };
    let (files, comparison) = outputs_with_risk(
        scenario,
        plans,
        charts,
        risk.as_ref().map(|r| r.inputs(scenario)),
    )?;
    output_folder::replace_folder(out, &files, scenario_file)?;
    Ok((files, comparison, written))
}

/// One scenario of a `plan` run, loaded and checked.
struct Loaded {
    source: Source,
    scenario: Scenario,
    out: PathBuf,
}

/// Loads every scenario before anything is written, so that bad input anywhere leaves no
/// output at all; gives each its own output folder (under `out` when several share a run).
fn load_all(sources: &[Source], out: Option<&Path>) -> Result<Vec<Loaded>, Error> {
    let scenarios: Vec<Scenario> = sources
        .par_iter()
        .map(scenario::load_source)
        .collect::<Result<_, _>>()?;
    let several = sources.len() > 1;
    let mut loaded: Vec<Loaded> = Vec::new();
    for (source, scenario) in sources.iter().cloned().zip(scenarios) {
        let default = default_out_dir(source.name());
        let folder = match out {
            Some(out) if several => out.join(default.file_name().unwrap_or_default()),
            Some(out) => out.to_path_buf(),
            None => default,
        };
        if let Some(other) = loaded.iter().find(|l| l.out == folder) {
            return Err(Error::Refused {
                path: folder,
                reason: format!(
                    "{} and {} would both write it: give the scenario files different names",
                    crate::vocabulary::error::shown(other.source.name()),
                    crate::vocabulary::error::shown(source.name())
                ),
            });
        }
        loaded.push(Loaded {
            source,
            scenario,
            out: folder,
        });
    }
    Ok(loaded)
}

/// `certplan plan`: projects every plan of every scenario (in parallel) and writes each
/// scenario's outputs to its own folder; with `portfolio`, also a roll-up across them.
pub fn plan(
    sources: &[Source],
    out: Option<&Path>,
    charts: ChartOptions,
    layout: Layout,
    portfolio: Option<&str>,
) -> Result<Report, Error> {
    let loaded = load_all(sources, out)?;
    if let Some(name) = portfolio {
        let members: Vec<(&Path, &Scenario)> = loaded
            .iter()
            .map(|l| (l.source.name(), &l.scenario))
            .collect();
        crate::cli::portfolio::check_compatible(&members).map_err(|reason| Error::Portfolio {
            name: name.to_string(),
            reason,
        })?;
    }
    let runs: Vec<(Vec<PlanOutcome>, Comparison, usize, Written)> = loaded
        .par_iter()
        .map(|l| {
            let plans = projection::project(&l.scenario);
            let (files, comparison, written) =
                write_keeping_risk(&l.scenario, &plans, charts, &l.out, l.source.file())?;
            Ok((plans, comparison, files.len(), written))
        })
        .collect::<Result<_, Error>>()?;

    let mut report = Report::default();
    for (l, (plans, _, count, kept)) in loaded.iter().zip(&runs) {
        if !report.stdout.is_empty() {
            report.stdout.push('\n');
        }
        report.stdout.push_str(&comparison_text::heading(
            &l.scenario,
            plans.len(),
            layout.width,
        ));
        report.stdout.push_str("\n\n");
        report
            .stdout
            .push_str(&summary_table(&l.scenario, plans, layout.width));
        report
            .warnings
            .extend(warning_lines(l.source.name(), &l.scenario.warnings));
        report.status.push(format!(
            "Wrote {count} files to {} (open report.html)",
            crate::vocabulary::error::shown(&l.out)
        ));
        kept.tell(&l.out, &mut report);
    }
    if let Some(name) = portfolio {
        let members: Vec<crate::cli::portfolio::Member> = loaded
            .iter()
            .zip(&runs)
            .map(
                |(l, (plans, comparison, _, _))| crate::cli::portfolio::Member {
                    source: l.source.name(),
                    scenario: &l.scenario,
                    plans,
                    comparison,
                },
            )
            .collect();
        let Some(rollup) = crate::cli::portfolio::roll_up(name, &members) else {
            return Ok(report);
        };
        let folder = out.unwrap_or(Path::new("output")).join(name);
        let files = crate::cli::portfolio::files(&rollup);
        output_folder::replace_folder(&folder, &files, None)?;
        report.stdout.push('\n');
        report
            .stdout
            .push_str(&crate::cli::portfolio::text(&rollup, layout.width));
        report.status.push(format!(
            "Wrote {} files to {}",
            files.len(),
            crate::vocabulary::error::shown(&folder)
        ));
    }
    Ok(report)
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

/// What `compare` does besides printing.
#[derive(Copy, Clone, Debug, Default)]
pub struct CompareOptions {
    pub format: CompareFormat,
    /// Print only: write no output folder.
    pub no_write: bool,
    /// Exit with [`EXIT_NO_PLAN_MEETS`] when no plan meets every requirement.
    pub fail_if_none_meets: bool,
}

/// `certplan compare`: compares the plans, prints the comparison and (unless told not to)
/// writes every output.
pub fn compare(
    source: &Source,
    out: Option<&Path>,
    options: CompareOptions,
    layout: Layout,
) -> Result<Report, Error> {
    let scenario = scenario::load_source(source)?;
    let plans = projection::project(&scenario);
    let mut report = Report {
        warnings: warning_lines(source.name(), &scenario.warnings),
        ..Report::default()
    };
    let comparison = if options.no_write {
        comparison::compare(&scenario, &plans)
    } else {
        let out = out.map_or_else(|| default_out_dir(source.name()), Path::to_path_buf);
        let (files, comparison, kept) = write_keeping_risk(
            &scenario,
            &plans,
            ChartOptions::default(),
            &out,
            source.file(),
        )?;
        report.status.push(written(&files, &out));
        kept.tell(&out, &mut report);
        comparison
    };
    let currency = scenario.programme.currency;
    report.stdout = match options.format {
        CompareFormat::Table => comparison_text::comparison_text(&scenario, &comparison, layout),
        CompareFormat::Csv => {
            String::from_utf8_lossy(&comparison_csv::comparison_csv(&comparison, currency).bytes)
                .into_owned()
        }
        CompareFormat::Json => {
            comparison_json::comparison_json(&comparison, &scenario.programme.name, currency)
        }
    };
    if options.fail_if_none_meets && comparison.recommendation.plan.is_none() {
        report.exit_code = Some(EXIT_NO_PLAN_MEETS);
    }
    Ok(report)
}

/// How `certplan risk` runs.
#[derive(Copy, Clone, Debug)]
pub struct RiskOptions {
    pub draws: usize,
    pub seed: u64,
    /// Also write risk_draws.csv, one row per draw and plan.
    pub draws_csv: bool,
    /// How to print the analysis: table, csv (risk_summary.csv) or json (risk.json).
    pub format: CompareFormat,
    /// Print only: write no output folder.
    pub no_write: bool,
}

/// `certplan risk`: Monte Carlo over the ranges and risk events; writes every output of
/// `compare` with the risk tables, charts and sections (unless told not to), and prints each
/// plan's odds.
pub fn risk(
    source: &Source,
    out: Option<&Path>,
    options: RiskOptions,
    layout: Layout,
    on_draw: &(dyn Fn() + Sync),
) -> Result<Report, Error> {
    let scenario = scenario::load_source(source)?;
    if options.draws == 0 || options.draws > crate::decision::monte_carlo::MAX_DRAWS {
        return Err(Error::from(crate::vocabulary::error::Diagnostic::at(
            source.name(),
            "",
            None,
            Some("--draws".into()),
            format!(
                "{} draws: give 1 to {}",
                options.draws,
                crate::decision::monte_carlo::MAX_DRAWS
            ),
        )));
    }
    let results = RiskResults::draw(
        &scenario,
        RiskRun {
            scenario_sha256: scenario.sha256.clone(),
            draws: options.draws,
            seed: options.seed,
            draws_csv: options.draws_csv,
        },
        on_draw,
    );
    let mut report = Report {
        warnings: warning_lines(source.name(), &scenario.warnings),
        ..Report::default()
    };
    let plans = projection::project(&scenario);
    let comparison = if options.no_write {
        crate::decision::board::at_confidence(
            &scenario,
            comparison::compare(&scenario, &plans),
            &results.analysis,
        )
    } else {
        let (files, comparison) = outputs_with_risk(
            &scenario,
            &plans,
            ChartOptions::default(),
            Some(results.inputs(&scenario)),
        )?;
        let out = out.map_or_else(|| default_out_dir(source.name()), Path::to_path_buf);
        output_folder::replace_folder(&out, &files, source.file())?;
        report.status.push(written(&files, &out));
        comparison
    };
    let analysis = &results.analysis;
    report.stdout = match options.format {
        CompareFormat::Table => crate::render::export::comparison_text::risk_text(
            &scenario,
            &comparison.recommendation,
            analysis,
            layout,
        ),
        CompareFormat::Csv => {
            crate::render::export::risk_tables::all(&scenario, analysis, &results.draws, false)
                .into_iter()
                .next()
                .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
                .unwrap_or_default()
        }
        CompareFormat::Json => risk_json::risk_json(&scenario, analysis, results.run.clone()),
    };
    if scenario.uncertain.is_empty() && scenario.risks.is_empty() {
        report.warnings.push(format!(
            "{}: the scenario has no ranges and no [[risk]]: every draw is the base case",
            crate::vocabulary::error::shown(source.name())
        ));
    }
    Ok(report)
}

/// `certplan validate`: checks the scenario only.
pub fn validate(source: &Source) -> Result<Report, Error> {
    let scenario = scenario::load_source(source)?;
    let scenario_path = source.name();
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
        ..Report::default()
    })
}

/// The commented starter scenario written by `certplan init`.
pub const STARTER: &str = include_str!("../../scenarios/starter.toml");

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
        ..Report::default()
    })
}
