//! Runs 10,000 draws of the enterprise example, for a profiler: `perf record cargo run --release --example profile_risk`.
fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/enterprise.toml");
    let s = certplan::scenario::load(&path).unwrap();
    let t = std::time::Instant::now();
    let draws = certplan::decision::monte_carlo::run(&s, 10_000, 27_001, &|| {});
    eprintln!("{} draws in {:?}", draws.len(), t.elapsed());
}
