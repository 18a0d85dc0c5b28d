//! A mutation fuzzer on stable Rust: edits the shipped scenarios at random and runs load →
//! project → render on each edit under `catch_unwind`. Any panic fails the test and leaves the
//! input in `target/fuzz-failures/`.
//!
//! CI runs a short pass. A long run (documented in README.md):
//! `CERTPLAN_FUZZ_ITERATIONS=200000 CERTPLAN_FUZZ_SEED=7 cargo test --release --test lib fuzz -- --nocapture`

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use certplan::cli::commands;
use certplan::decision::projection;
use certplan::render::charts::{ChartFormat, ChartOptions};
use certplan::scenario;

use crate::common::{repo, shipped_scenarios};

/// A small, seedable generator (xorshift64*): the same seed gives the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values that sit on or past the edges of what a key accepts.
const VALUES: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "12",
    "13",
    "24",
    "36",
    "119",
    "120",
    "121",
    "1000000",
    "4294967296",
    "-9223372036854775808",
    "1e308",
    "0.5",
    "-0.3",
    "0.999",
    "nan",
    "inf",
    "\"\"",
    "\"x\"",
    "\"2027-02-29\"",
    "\"2028-02-29\"",
    "\"9999-12\"",
    "\"0000-01\"",
    "2027-01-31",
    "true",
    "false",
    "[]",
    "{}",
    "\"on_booking\"",
    "\"spread\"",
    "\"day_before\"",
    "\"issue_date\"",
    "\"79228162514264337593543950335\"",
    "\"0.001\"",
    "\"-5\"",
    "\"\\u001b[2J\"",
    "{ amount = 5, paid = \"on_report\" }",
    "[{ name = \"iso27001\" }]",
];

/// Lines that add sections, entries or hostile text.
const LINES: &[&str] = &[
    "[[plan]]\nname = \"p\"\nframeworks = [{ name = \"soc2\" }]",
    "[[iso27001.slip]]\naudit = \"surveillance_audit\"\ncycle = 1\nmonths = 9",
    "[[iso27001.slip]]\naudit = \"recertification_audit\"\ncycle = 2\nmonths = 7",
    "[requirements]\nyearly_budget_cap = 1",
    "soc3 = true",
    "multi_site_sampling = true",
    "audit_days = 3.5",
    "headcount_growth_per_year = 2",
    "bridge_letters = false",
    "type1_first = false",
    "description = \"<svg>&amp;]]>\"",
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r = 1",
    "[",
    "\"",
    "",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for _ in 0..=rng.below(4) {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let at = rng.below(lines.len());
        match rng.below(7) {
            0 => {
                // A value replaced by an edge value.
                if let Some(eq) = lines[at].find('=') {
                    let key = lines[at][..eq].to_string();
                    lines[at] = format!("{key}= {}", rng.pick(VALUES));
                }
            }
            1 => {
                lines.remove(at);
            }
            2 => {
                let copy = lines[rng.below(lines.len())].clone();
                lines.insert(at, copy);
            }
            3 => lines.insert(at, (*rng.pick(LINES)).to_string()),
            4 => {
                let other = rng.below(lines.len());
                lines.swap(at, other);
            }
            5 => {
                let mut chars: Vec<char> = lines[at].chars().collect();
                if !chars.is_empty() {
                    let i = rng.below(chars.len());
                    chars[i] = *rng.pick(&[
                        '0', '9', '.', '-', '"', '[', ']', '{', '=', '\u{1b}', 'é', '#',
                    ]);
                }
                lines[at] = chars.into_iter().collect();
            }
            _ => {
                // Digits in a number shifted: horizons, months and amounts change size.
                lines[at] = lines[at].replace('1', "9").replace('3', "0");
            }
        }
    }
    lines.join("\n")
}

/// Runs one edit; whether it was a valid scenario.
fn run_one(text: &str, charts: ChartFormat) -> bool {
    let Ok(scenario) = scenario::parse(Path::new("fuzz.toml"), text.as_bytes()) else {
        return false;
    };
    let plans = projection::project(&scenario);
    let options = ChartOptions {
        format: charts,
        ..ChartOptions::default()
    };
    let _ = commands::outputs(&scenario, &plans, options);
    true
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn fuzz_mutated_shipped_scenarios_never_panic() {
    let iterations = env_number("CERTPLAN_FUZZ_ITERATIONS", 300);
    let mut rng = Rng(env_number("CERTPLAN_FUZZ_SEED", 0x5EED) | 1);
    let sources: Vec<String> = shipped_scenarios()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failure = None;
    let mut valid = 0u64;
    for i in 0..iterations {
        let source = rng.below(sources.len());
        let text = mutate(&sources[source], &mut rng);
        // Charts are the slowest step: drawn for one edit in 25.
        let charts = if i % 25 == 0 {
            ChartFormat::Svg
        } else {
            ChartFormat::None
        };
        match catch_unwind(AssertUnwindSafe(|| run_one(&text, charts))) {
            Ok(ok) => valid += u64::from(ok),
            Err(_) => {
                failure = Some((i, text));
                break;
            }
        }
    }
    std::panic::set_hook(quiet);
    eprintln!("fuzz: {iterations} edits, {valid} of them valid scenarios projected and rendered");
    if let Some((i, text)) = failure {
        let dir = repo().join("target/fuzz-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("iteration-{i}.toml"));
        std::fs::write(&path, &text).unwrap();
        // Run it again with the panic message shown.
        run_one(&text, ChartFormat::Both);
        panic!("iteration {i} panicked; input saved to {}", path.display());
    }
}
