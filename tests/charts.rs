//! Charts: every file for every shipped scenario, valid SVG with the plan names, PNG at the
//! requested size, text without any system font.

use std::fs;
use std::path::Path;

use crate::common::{certplan, read_records, repo, run_into, shipped_scenarios};

fn png_size_and_pixels(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    (info.width, info.height, pixels)
}

fn chart_stems(out: &Path) -> Vec<String> {
    let mut stems = vec![
        "cost_curves".to_string(),
        "budget_by_fiscal_year".to_string(),
    ];
    for row in read_records(&out.join("summary.csv")) {
        stems.push(format!("monthly_costs_{}", row["plan"]));
        stems.push(format!("timeline_{}", row["plan"]));
    }
    stems
}

#[test]
fn every_chart_exists_as_valid_svg_naming_the_plans_and_as_png_of_1600_by_900() {
    for scenario in shipped_scenarios() {
        let (out, _) = run_into("plan", &scenario);
        let plans: Vec<String> = read_records(&out.path().join("summary.csv"))
            .into_iter()
            .map(|r| r["plan"].clone())
            .collect();
        for stem in chart_stems(out.path()) {
            let svg = fs::read_to_string(out.path().join(format!("{stem}.svg"))).unwrap();
            let doc = roxmltree::Document::parse(&svg)
                .unwrap_or_else(|e| panic!("{stem}.svg of {}: {e}", scenario.display()));
            let text: String = doc
                .descendants()
                .filter(|n| n.is_text())
                .map(|n| n.text().unwrap_or(""))
                .collect();
            if stem == "cost_curves" || stem == "budget_by_fiscal_year" {
                for plan in &plans {
                    assert!(text.contains(plan.as_str()), "{stem}.svg names {plan}");
                }
            } else {
                let plan = stem.split_once('_').unwrap().1.trim_start_matches("costs_");
                assert!(text.contains(plan), "{stem}.svg names its plan");
            }
            let (w, h, _) = png_size_and_pixels(&out.path().join(format!("{stem}.png")));
            assert_eq!((w, h), (1600, 900), "{stem}.png");
        }
    }
}

#[test]
fn charts_follow_the_requested_format_and_size() {
    let scenario = repo().join("scenarios/saas-startup.toml");
    let out = tempfile::tempdir().unwrap();
    certplan()
        .arg("plan")
        .arg(&scenario)
        .args(["--charts", "png", "--chart-size", "1200x700", "--out"])
        .arg(out.path())
        .assert()
        .success();
    assert!(!out.path().join("cost_curves.svg").exists());
    assert_eq!(
        png_size_and_pixels(&out.path().join("cost_curves.png")).0,
        1200
    );
    assert_eq!(
        png_size_and_pixels(&out.path().join("timeline_soc2-only.png")).1,
        700
    );

    let none = tempfile::tempdir().unwrap();
    certplan()
        .arg("plan")
        .arg(&scenario)
        .args(["--charts", "none", "--out"])
        .arg(none.path())
        .assert()
        .success();
    let names: Vec<_> = fs::read_dir(none.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".png") || n.ends_with(".svg")),
        "no chart files: {names:?}"
    );
    assert!(
        names.iter().any(|n| n == "report.html"),
        "the report still has its charts inline"
    );

    certplan()
        .arg("plan")
        .arg(&scenario)
        .args(["--charts", "gif"])
        .assert()
        .code(2);
    certplan()
        .arg("plan")
        .arg(&scenario)
        .args(["--chart-size", "10x10"])
        .assert()
        .code(2);
}

#[test]
fn charts_draw_text_with_no_system_fonts_at_all() {
    let scenario = repo().join("scenarios/saas-startup.toml");
    let out = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    certplan()
        .arg("plan")
        .arg(&scenario)
        .args(["--charts", "png", "--out"])
        .arg(out.path())
        .env("FONTCONFIG_FILE", "/nonexistent/fonts.conf")
        .env("FONTCONFIG_PATH", empty.path())
        .env("XDG_DATA_HOME", empty.path())
        .assert()
        .success();
    let (w, _, pixels) = png_size_and_pixels(&out.path().join("cost_curves.png"));
    // The title, "Cumulative cost by plan", is drawn in near-black in the top-left corner.
    let dark = (0..60u32)
        .flat_map(|y| (0..500u32).map(move |x| (x, y)))
        .filter(|(x, y)| {
            let i = ((y * w + x) * 3) as usize;
            pixels[i] < 80 && pixels[i + 1] < 80 && pixels[i + 2] < 80
        })
        .count();
    assert!(dark > 500, "title text drawn: {dark} dark pixels");
}
