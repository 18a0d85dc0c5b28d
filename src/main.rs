//! The certplan command line: parses arguments, calls the library, maps errors to exit codes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use certplan::charts::{ChartFormat, ChartOptions, ChartSize};
use certplan::commands::{self, CompareFormat};
use certplan::terminal::Layout;

/// Plans ISO/IEC 27001 certification and SOC 2 attestation programmes month by month: dated
/// schedules, exact costs and fiscal-year budgets from one TOML scenario.
#[derive(Parser)]
#[command(name = "certplan", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  certplan init my-company.toml\n  certplan validate my-company.toml\n  certplan plan scenarios/saas-startup.toml\n  certplan compare scenarios/eu-saas-both.toml\n\nExit codes: 0 success (also when standard output is closed early, as by `| head`),\n1 outputs could not be written or the output folder is not certplan's to replace, 2 bad input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Project every plan of a scenario and write its outputs: CSV, charts, report, workbook.
    #[command(
        after_help = "Example:\n  certplan plan scenarios/saas-startup.toml --out output/saas\n\nWrites schedule.csv, monthly_costs.csv, cost_curve.csv, budget_by_fiscal_year.csv,\nsummary.csv, comparison.csv, the charts (cost_curves, budget_by_fiscal_year,\nmonthly_costs_<plan>, timeline_<plan>) as SVG and PNG, report.html and budget.xlsx. The output folder is replaced only when every file was written."
    )]
    Plan {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Output folder [default: output/<scenario file stem>/]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Chart files to write: png, svg, both or none
        #[arg(long, value_name = "FORMAT", default_value = "both")]
        charts: ChartFormat,
        /// Chart size in pixels
        #[arg(long, value_name = "WxH", default_value = "1600x900")]
        chart_size: ChartSize,
    },
    /// Compare the plans side by side and say which to choose; writes every output too.
    #[command(
        after_help = "Example:\n  certplan compare scenarios/eu-saas-both.toml\n  certplan compare scenarios/eu-saas-both.toml --format json > comparison.json\n\nPrints the comparison (table, csv or json) and writes the same folder as `plan`, with\ncomparison.csv, report.html and budget.xlsx. Colour only on a terminal; NO_COLOR turns it off."
    )]
    Compare {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Output folder [default: output/<scenario file stem>/]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// How to print the comparison: table, csv or json
        #[arg(long, value_name = "FORMAT", default_value = "table")]
        format: CompareFormat,
    },
    /// Check a scenario file and print its warnings; writes nothing.
    #[command(
        after_help = "Example:\n  certplan validate scenarios/eu-saas-both.toml\n\nExit code 0 when valid (warnings allowed), 2 when not."
    )]
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Write a commented starter scenario that runs as is.
    #[command(after_help = "Example:\n  certplan init acme.toml && certplan plan acme.toml")]
    Init {
        /// Where to write it; an existing file is never overwritten.
        #[arg(default_value = "scenario.toml")]
        path: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Plan {
            scenario,
            out,
            charts,
            chart_size,
        } => commands::plan(
            scenario,
            out.as_deref(),
            ChartOptions {
                format: *charts,
                size: *chart_size,
            },
            layout(false),
        ),
        Command::Compare {
            scenario,
            out,
            format,
        } => commands::compare(scenario, out.as_deref(), *format, layout(true)),
        Command::Validate { scenario } => commands::validate(scenario),
        Command::Init { path } => commands::init(path),
    };
    let mut stderr = std::io::stderr().lock();
    match result {
        Ok(report) => {
            for w in &report.warnings {
                let _ = writeln!(stderr, "warning: {w}");
            }
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(report.stdout.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                // The reader has all it wanted (`| head`): the work is done, end quietly.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    let _ = writeln!(stderr, "error: cannot write to standard output: {e}");
                    ExitCode::from(EXIT_STDOUT)
                }
            }
        }
        Err(error) => {
            let _ = writeln!(stderr, "error: {error}");
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
        }
    }
}

/// How stdout text is laid out: the terminal's width, and colour on a terminal without NO_COLOR.
fn layout(colour_wanted: bool) -> Layout {
    let color = colour_wanted
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    Layout {
        color,
        width: certplan::terminal::stdout_width(),
    }
}

/// Exit code when standard output cannot be written (a full disk); documented in docs/outputs.md.
const EXIT_STDOUT: u8 = 1;
