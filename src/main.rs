//! The certplan command line: parses arguments, calls the library, maps errors to exit codes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use certplan::cli::commands::{self, CompareFormat, CompareOptions, Report};
use certplan::render::charts::{ChartFormat, ChartOptions, ChartSize};
use certplan::render::terminal::Layout;
use certplan::scenario::Source;

/// Plans ISO/IEC 27001 certification and SOC 2 attestation programmes month by month: dated
/// schedules, exact costs and fiscal-year budgets from one TOML scenario.
#[derive(Parser)]
#[command(name = "certplan", version, about, long_about = None)]
#[command(after_help = const_format_help())]
struct Cli {
    /// When to colour the output: auto (a terminal, unless NO_COLOR is set; CLICOLOR_FORCE
    /// forces it), always or never
    #[arg(long, value_name = "WHEN", default_value = "auto", global = true)]
    color: ColorChoice,
    /// Print only results and errors: no warnings, no status lines
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

const fn const_format_help() -> &'static str {
    "Examples:\n  certplan init my-company.toml\n  certplan validate my-company.toml\n  certplan plan scenarios/saas-startup.toml\n  certplan compare scenarios/eu-midsize.toml\n  certplan plan a.toml b.toml --portfolio group\n  certplan completions bash > /etc/bash_completion.d/certplan\n\nExit codes:\n  0  success (also when standard output is closed early, as by `| head`)\n  1  outputs could not be written, or the output folder is not certplan's to replace\n  2  bad input: the scenario is missing, unreadable or invalid\n  3  compare --fail-if-none-meets: no plan meets every requirement"
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Subcommand)]
enum Command {
    /// Project every plan of one or more scenarios and write their outputs: CSV, charts,
    /// report, workbook.
    #[command(
        after_help = "Examples:\n  certplan plan scenarios/saas-startup.toml --out output/saas\n  certplan plan - < acme.toml --out output/acme\n  certplan plan a.toml b.toml c.toml --portfolio group\n\nWrites schedule.csv, monthly_costs.csv, cost_curve.csv, budget_by_fiscal_year.csv,\nsummary.csv, comparison.csv, the charts (cost_curves, budget_by_fiscal_year,\nmonthly_costs_<plan>, timeline_<plan>) as SVG and PNG, report.html and budget.xlsx.\nThe output folder is replaced only when every file was written, and only when certplan\nwrote it (it carries .certplan-output) or it is empty.\n\nSeveral scenarios are projected in parallel, each into its own folder (under --out when\ngiven). --portfolio NAME also writes output/NAME/portfolio.csv: each scenario's recommended\nplan by fiscal year, and their sum (currencies and fiscal years must match)."
    )]
    Plan {
        /// The scenario files (TOML); `-` reads one from standard input.
        #[arg(required = true, num_args = 1..)]
        scenarios: Vec<PathBuf>,
        /// Output folder [default: output/<scenario file stem>/]; with several scenarios, the
        /// folder that holds one folder each
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Chart files to write: png, svg, both or none
        #[arg(long, value_name = "FORMAT", default_value = "both")]
        charts: ChartFormat,
        /// Chart size in pixels: width 640 to 4000, height 480 to 4000
        #[arg(long, value_name = "WxH", default_value = "1600x900")]
        chart_size: ChartSize,
        /// Roll the scenarios up into one portfolio budget, written to <out or output>/NAME/
        #[arg(long, value_name = "NAME")]
        portfolio: Option<String>,
    },
    /// Compare the plans side by side and say which to choose; writes every output too.
    #[command(
        after_help = "Examples:\n  certplan compare scenarios/eu-midsize.toml\n  certplan compare scenarios/eu-midsize.toml --format json --no-write > comparison.json\n  certplan compare plan.toml --no-write --fail-if-none-meets -q   # a CI gate\n\nPrints the comparison (table, csv or json; the JSON is documented in docs/outputs.md)\nand writes the same folder as `plan`, unless --no-write. The results of a `certplan risk` in\nthat folder stay while the scenario file is byte for byte the same."
    )]
    Compare {
        /// The scenario file (TOML); `-` reads it from standard input.
        scenario: PathBuf,
        /// Output folder [default: output/<scenario file stem>/]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// How to print the comparison: table, csv or json
        #[arg(long, value_name = "FORMAT", default_value = "table")]
        format: CompareFormat,
        /// Print the comparison only: write no output folder
        #[arg(long)]
        no_write: bool,
        /// Exit with code 3 when no plan meets every requirement
        #[arg(long)]
        fail_if_none_meets: bool,
    },
    /// Monte Carlo over the ranges and risk events: P50/P80 costs and dates, the odds of each
    /// requirement, what drives them; writes every output of `compare` with a Risk section.
    #[command(
        after_help = "Examples:\n  certplan risk scenarios/risky-rollout.toml\n  certplan risk scenarios/risky-rollout.toml --draws 50000 --seed 7 --draws-csv\n  certplan risk scenarios/risky-rollout.toml --format json --no-write > risk.json\n\nWrites risk_summary.csv, risk_requirements.csv, risk_drivers.csv, risk.json, the S-curves\n(s_curve_*), a fan and a tornado per plan (fan_<plan>, tornado_<plan>), and report.html and\nbudget.xlsx with a Risk section, beside the outputs of `compare` (unless --no-write). A seed\ngives the same numbers whatever the number of threads. A later `plan` or `compare` into the\nsame folder keeps the risk results while the scenario file is byte for byte the same."
    )]
    Risk {
        /// The scenario file (TOML); `-` reads it from standard input.
        scenario: PathBuf,
        /// Output folder [default: output/<scenario file stem>/]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Number of draws, 1 to 1,000,000
        #[arg(long, value_name = "N", default_value_t = certplan::decision::monte_carlo::DEFAULT_DRAWS)]
        draws: usize,
        /// Seed of the random streams; the same seed gives the same bytes
        #[arg(long, value_name = "S", default_value_t = certplan::decision::monte_carlo::DEFAULT_SEED)]
        seed: u64,
        /// Also write risk_draws.csv: one row per draw and plan
        #[arg(long)]
        draws_csv: bool,
        /// How to print the analysis: table, csv (risk_summary.csv) or json (risk.json)
        #[arg(long, value_name = "FORMAT", default_value = "table")]
        format: CompareFormat,
        /// Print the analysis only: write no output folder
        #[arg(long)]
        no_write: bool,
    },
    /// Freeze one plan of a scenario as the approved baseline that `track` measures against.
    #[command(
        after_help = "Example:\n  certplan baseline scenarios/tracking/scenario.toml --plan both-parallel --output baseline.json\n\nWrites one JSON file (docs/outputs.md): the plan's dated events, its ledger by month and\ncategory, its fiscal-year budget, the scenario's SHA-256 and the date. An existing file is\nnever overwritten."
    )]
    Baseline {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// The plan to freeze
        #[arg(long, value_name = "NAME")]
        plan: String,
        /// The baseline file to write
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
        /// The date it is frozen on, YYYY-MM-DD [default: today, UTC]
        #[arg(long, value_name = "DATE")]
        date: Option<chrono::NaiveDate>,
    },
    /// Re-project the plan from [tracking] as_of: actual spend and events against the baseline,
    /// the variance and the forecast.
    #[command(
        after_help = "Example:\n  certplan track scenarios/tracking/scenario.toml --out output/tracking\n\nWrites variance.csv, forecast.csv, milestones.csv, tracking_summary.csv and the re-projected\nschedule.csv (docs/outputs.md) to the output folder [default: output/<scenario file stem>-track/], with\nthe rules of `plan`, and prints the summary first."
    )]
    Track {
        /// The scenario file (TOML) with a [tracking] section.
        scenario: PathBuf,
        /// Output folder [default: output/<scenario file stem>-track/]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Check a scenario file and print its warnings; writes nothing.
    #[command(
        after_help = "Example:\n  certplan validate scenarios/eu-midsize.toml\n\nExit code 0 when valid (warnings allowed), 2 when not."
    )]
    Validate {
        /// The scenario file (TOML); `-` reads it from standard input.
        scenario: PathBuf,
    },
    /// Write a commented starter scenario that runs as is.
    #[command(after_help = "Example:\n  certplan init acme.toml && certplan plan acme.toml")]
    Init {
        /// Where to write it; an existing file is never overwritten.
        #[arg(default_value = "scenario.toml")]
        path: PathBuf,
    },
    /// Print the JSON Schema of the scenario format (for Taplo / Even Better TOML).
    #[command(
        after_help = "Example:\n  certplan schema > certplan.schema.json\n\nShipped scenarios start with `#:schema ../docs/scenario.schema.json`, so editors that\nread that directive validate and complete keys."
    )]
    Schema,
    /// Print shell completions.
    #[command(
        after_help = "Examples:\n  certplan completions bash > ~/.local/share/bash-completion/completions/certplan\n  certplan completions zsh > ~/.zfunc/_certplan\n  certplan completions fish > ~/.config/fish/completions/certplan.fish"
    )]
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell
        shell: Shell,
    },
    /// Print the man page (roff).
    #[command(after_help = "Example:\n  certplan man > certplan.1 && man ./certplan.1")]
    Man,
}

impl Cli {
    /// Colour on standard output: `--color`, then CLICOLOR_FORCE, then NO_COLOR and whether it
    /// is a terminal.
    fn color(&self) -> bool {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
            ColorChoice::Auto => std::io::stdout().is_terminal() && !set("NO_COLOR"),
        }
    }

    fn layout(&self) -> Layout {
        Layout {
            color: self.color(),
            width: certplan::render::terminal::stdout_width(),
        }
    }
}

fn generated(text: Vec<u8>) -> Result<Report, certplan::vocabulary::error::Error> {
    Ok(Report {
        stdout: String::from_utf8_lossy(&text).into_owned(),
        ..Report::default()
    })
}

fn run(cli: &Cli) -> Result<Report, certplan::vocabulary::error::Error> {
    match &cli.command {
        Command::Plan {
            scenarios,
            out,
            charts,
            chart_size,
            portfolio,
        } => {
            let sources: Vec<Source> = scenarios.iter().map(|p| Source::from_arg(p)).collect();
            commands::plan(
                &sources,
                out.as_deref(),
                ChartOptions {
                    format: *charts,
                    size: *chart_size,
                },
                cli.layout(),
                portfolio.as_deref(),
            )
        }
        Command::Compare {
            scenario,
            out,
            format,
            no_write,
            fail_if_none_meets,
        } => commands::compare(
            &Source::from_arg(scenario),
            out.as_deref(),
            CompareOptions {
                format: *format,
                no_write: *no_write,
                fail_if_none_meets: *fail_if_none_meets,
            },
            cli.layout(),
        ),
        Command::Risk {
            scenario,
            out,
            draws,
            seed,
            draws_csv,
            format,
            no_write,
        } => {
            let bar = Progress::new(*draws as u64, cli.quiet);
            commands::risk(
                &Source::from_arg(scenario),
                out.as_deref(),
                commands::RiskOptions {
                    draws: *draws,
                    seed: *seed,
                    draws_csv: *draws_csv,
                    format: *format,
                    no_write: *no_write,
                },
                cli.layout(),
                &|| bar.tick(),
            )
        }
        Command::Baseline {
            scenario,
            plan,
            output,
            date,
        } => certplan::cli::track::baseline(scenario, plan, output, *date),
        Command::Track { scenario, out } => {
            certplan::cli::track::track(scenario, out.as_deref(), cli.layout())
        }
        Command::Validate { scenario } => commands::validate(&Source::from_arg(scenario)),
        Command::Init { path } => commands::init(path),
        Command::Schema => generated(certplan::scenario::schema::json_schema().into_bytes()),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            let mut text = Vec::new();
            let shell = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
                Shell::Elvish => clap_complete::Shell::Elvish,
                Shell::Powershell => clap_complete::Shell::PowerShell,
            };
            clap_complete::generate(shell, &mut command, "certplan", &mut text);
            generated(text)
        }
        Command::Man => {
            let mut text = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut text)
                .map_err(|source| certplan::vocabulary::error::Error::Write {
                    path: PathBuf::from("<stdout>"),
                    source,
                })?;
            generated(text)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(&cli);
    let mut stderr = std::io::stderr().lock();
    match result {
        Ok(report) => {
            if !cli.quiet {
                for w in &report.warnings {
                    let _ = writeln!(stderr, "warning: {w}");
                }
            }
            let mut stdout = std::io::stdout().lock();
            let printed = stdout
                .write_all(report.stdout.as_bytes())
                .and_then(|()| stdout.flush());
            if !cli.quiet {
                for line in &report.status {
                    let _ = writeln!(stderr, "{line}");
                }
            }
            match printed {
                Ok(()) => ExitCode::from(report.exit_code.unwrap_or(0)),
                // The reader has all it wanted (`| head`): the work is done, end quietly.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    ExitCode::from(report.exit_code.unwrap_or(0))
                }
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

/// A progress bar on standard error for runs that take over a second; none when standard
/// error is not a terminal, or with -q.
struct Progress {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
    wanted: bool,
}

impl Progress {
    fn new(total: u64, quiet: bool) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} draws, {eta} left")
        {
            bar.set_style(style);
        }
        Progress {
            bar,
            started: std::time::Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
            wanted: !quiet && std::io::stderr().is_terminal(),
        }
    }

    fn tick(&self) {
        self.bar.inc(1);
        use std::sync::atomic::Ordering;
        if self.wanted
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > std::time::Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Exit code when standard output cannot be written (a full disk); documented in docs/outputs.md.
const EXIT_STDOUT: u8 = 1;

#[cfg(test)]
mod tests {
    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
        assert!(super::const_format_help().contains("3  compare --fail-if-none-meets"));
    }
}
