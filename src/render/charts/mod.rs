//! Charts for management, drawn from the same schedule and ledger as the CSV: cumulative cost
//! curves, monthly cost bars, the fiscal-year budget and a timeline per plan, as SVG and PNG.
//!
//! Text is drawn with DejaVu Sans, embedded in the binary, so a PNG looks the same on a machine
//! with no fonts at all; output is byte-identical for the same input.
#![allow(clippy::float_arithmetic)]

pub mod canvas;
mod cost_curves;
mod fiscal_budget;
mod glyph_cache;
mod monthly_costs;
mod net_value;
pub mod palette;
pub mod risk;
mod timeline;

use std::str::FromStr;
use std::sync::OnceLock;

use rayon::prelude::*;

use plotters::prelude::*;

use crate::render::export::{OutputFile, Projected};
use crate::vocabulary::error::Error;
use canvas::{Area, Drawn, Type};

static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// Which chart files to write.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum ChartFormat {
    Png,
    Svg,
    #[default]
    Both,
    None,
}

impl FromStr for ChartFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "png" => Ok(ChartFormat::Png),
            "svg" => Ok(ChartFormat::Svg),
            "both" => Ok(ChartFormat::Both),
            "none" => Ok(ChartFormat::None),
            _ => Err(format!("`{s}`: expected png, svg, both or none")),
        }
    }
}

/// Chart size in pixels, 1600×900 by default.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ChartSize {
    pub width: u32,
    pub height: u32,
}

impl Default for ChartSize {
    fn default() -> Self {
        ChartSize {
            width: 1600,
            height: 900,
        }
    }
}

impl FromStr for ChartSize {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (w, h) = s
            .split_once(['x', 'X'])
            .ok_or_else(|| format!("`{s}`: expected WIDTHxHEIGHT in pixels, e.g. 1600x900"))?;
        let number = |text: &str, what: &str| {
            text.trim()
                .parse::<u32>()
                .map_err(|_| format!("`{s}`: the {what} `{text}` is not a whole number of pixels"))
        };
        let (width, height) = (number(w, "width")?, number(h, "height")?);
        for (value, what, min, max) in [(width, "width", 640, 4000), (height, "height", 480, 4000)]
        {
            if !(min..=max).contains(&value) {
                return Err(format!(
                    "`{s}`: the {what} {value} is outside {min} to {max} pixels"
                ));
            }
        }
        Ok(ChartSize { width, height })
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct ChartOptions {
    pub format: ChartFormat,
    pub size: ChartSize,
}

pub use canvas::month_label;

/// The full name of month `m` (1 = January).
pub fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(m.clamp(1, 12) - 1) as usize]
}

/// Registers the embedded font once per process.
fn register_fonts() -> Result<(), Error> {
    static FONTS: OnceLock<Result<(), String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            plotters::style::register_font(canvas::FAMILY, FontStyle::Normal, REGULAR)
                .and_then(|_| plotters::style::register_font(canvas::FAMILY, FontStyle::Bold, BOLD))
                .map_err(|_| "the embedded font could not be loaded".to_string())
        })
        .clone()
        .map_err(|message| Error::Render {
            name: "fonts".into(),
            message,
        })
}

/// One chart of the set.
#[derive(Copy, Clone, Debug)]
enum Chart {
    CostCurves,
    MonthlyCosts(usize),
    FiscalBudget,
    Timeline(usize),
    /// Only when the scenario has demand.
    NetValue,
}

impl Chart {
    fn stem(self, p: Projected) -> String {
        match self {
            Chart::CostCurves => "cost_curves".into(),
            Chart::MonthlyCosts(i) => format!("monthly_costs_{}", p.plans[i].plan.name),
            Chart::FiscalBudget => "budget_by_fiscal_year".into(),
            Chart::Timeline(i) => format!("timeline_{}", p.plans[i].plan.name),
            Chart::NetValue => "net_value".into(),
        }
    }

    /// The size of the chart in report.html. The report shows every chart at the full width of
    /// an A4 landscape page (about 273 mm), 1,200 px: with [`REPORT_TYPE`], the smallest text is
    /// 15 px, about 9.7 pt on paper. A timeline is as tall as its lanes need.
    fn report_size(self, p: Projected) -> ChartSize {
        let height = match self {
            Chart::CostCurves => 370,
            // Shorter: it shares its page with the value and demand tables.
            Chart::NetValue => 300,
            Chart::FiscalBudget => 420,
            Chart::MonthlyCosts(_) => 420,
            Chart::Timeline(i) => {
                let plan = &p.plans[i].plan;
                let deadlines = canvas::deadlines(p.scenario)
                    .iter()
                    .filter(|d| plan.includes(d.framework))
                    .count() as u32;
                150 + 100 * plan.frameworks.len().max(1) as u32 + 22 * deadlines
            }
        };
        ChartSize {
            width: 1200,
            height,
        }
    }

    fn draw<DB: DrawingBackend>(self, area: &Area<DB>, p: Projected, ty: Type) -> Drawn<DB> {
        match self {
            Chart::CostCurves => cost_curves::draw(area, p, ty),
            Chart::MonthlyCosts(i) => monthly_costs::draw(area, p, &p.plans[i], ty),
            Chart::FiscalBudget => fiscal_budget::draw(area, p, ty),
            Chart::Timeline(i) => timeline::draw(area, p, &p.plans[i], ty),
            Chart::NetValue => net_value::draw(area, p, ty),
        }
    }
}

fn all_charts(p: Projected) -> Vec<Chart> {
    let mut charts = vec![Chart::CostCurves, Chart::FiscalBudget];
    if !p.scenario.demand.is_empty() {
        charts.push(Chart::NetValue);
    }
    for i in 0..p.plans.len() {
        charts.push(Chart::MonthlyCosts(i));
        charts.push(Chart::Timeline(i));
    }
    charts
}

fn render_error(name: &str, e: impl std::fmt::Display) -> Error {
    Error::Render {
        name: name.to_string(),
        message: e.to_string(),
    }
}

/// Type sizes of the charts in report.html (see [`Chart::report_size`]).
const REPORT_TYPE: Type = Type {
    title: 22.0,
    subtitle: 15.0,
    label: 16.0,
    small: 15.0,
};

/// Something drawn on a chart's page.
trait Drawable: Copy {
    fn draw_on<DB: DrawingBackend>(self, area: &Area<DB>, ty: Type) -> Drawn<DB>;
}

impl Drawable for (Chart, Projected<'_>) {
    fn draw_on<DB: DrawingBackend>(self, area: &Area<DB>, ty: Type) -> Drawn<DB> {
        self.0.draw(area, self.1, ty)
    }
}

fn svg<C: Drawable>(chart: C, size: ChartSize, ty: Type, name: &str) -> Result<Vec<u8>, Error> {
    let mut text = String::new();
    {
        let area =
            SVGBackend::with_string(&mut text, (size.width, size.height)).into_drawing_area();
        area.fill(&palette::BACKGROUND)
            .map_err(|e| render_error(name, e))?;
        chart
            .draw_on(&area, ty)
            .map_err(|e| render_error(name, e))?;
        area.present().map_err(|e| render_error(name, e))?;
    }
    Ok(text.into_bytes())
}

thread_local! {
    /// Each thread's pixel buffer, reused from chart to chart: a fresh 4 MB buffer per chart
    /// costs more in page faults than drawing it. Every pixel is painted before it is read.
    static PIXELS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn png<C: Drawable>(chart: C, size: ChartSize, name: &str) -> Result<Vec<u8>, Error> {
    PIXELS.with(|cell| {
        let mut pixels = cell.borrow_mut();
        pixels.resize(size.width as usize * size.height as usize * 3, 0);
        png_into(chart, size, name, &mut pixels)
    })
}

fn png_into<C: Drawable>(
    chart: C,
    size: ChartSize,
    name: &str,
    pixels: &mut [u8],
) -> Result<Vec<u8>, Error> {
    {
        let area = glyph_cache::GlyphCached(BitMapBackend::with_buffer(
            pixels,
            (size.width, size.height),
        ))
        .into_drawing_area();
        area.fill(&palette::BACKGROUND)
            .map_err(|e| render_error(name, e))?;
        chart
            .draw_on(&area, Type::for_height(size.height))
            .map_err(|e| render_error(name, e))?;
        area.present().map_err(|e| render_error(name, e))?;
    }
    // Room for the file at once: growing it by doubling copies it and faults in new pages each
    // time (charts compress to well under a tenth of their pixels).
    let mut bytes = Vec::with_capacity(pixels.len() / 8);
    let mut encoder = png::Encoder::new(&mut bytes, size.width, size.height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // The fastest deflate, and one filter for every row: choosing a filter per row (the default)
    // costs more than it saves on flat-coloured charts. Of the single filters, Up (each row
    // against the one above) is both the fastest and the smallest here: on the ten charts of
    // enterprise.toml, 16 ms and 1.7 MB against Sub's 22 ms and 2.6 MB (Paeth: 23 ms, 1.1 MB).
    encoder.set_compression(png::Compression::Fastest);
    encoder.set_filter(png::Filter::Up);
    let mut writer = encoder.write_header().map_err(|e| render_error(name, e))?;
    writer
        .write_image_data(pixels)
        .map_err(|e| render_error(name, e))?;
    writer.finish().map_err(|e| render_error(name, e))?;
    Ok(bytes)
}

/// The charts of a run: the files in the requested formats, and every chart as SVG sized for
/// the report.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// (file stem, SVG text): `cost_curves`, `timeline_<plan>`, …
    pub report_svgs: Vec<(String, String)>,
}

/// Draws every chart once per format, and once more as SVG for the report.
pub fn render(p: Projected, options: ChartOptions) -> Result<Rendered, Error> {
    let jobs = all_charts(p)
        .into_iter()
        .map(|chart| (chart.stem(p), (chart, p), chart.report_size(p)))
        .collect();
    draw_all(jobs, options)
}

/// Draws each (file stem, chart, report size) in the requested formats and as the report's
/// SVG; charts are independent, so they are drawn on all cores and gathered in order.
fn draw_all<C: Drawable + Send + Sync>(
    jobs: Vec<(String, C, ChartSize)>,
    options: ChartOptions,
) -> Result<Rendered, Error> {
    let (want_svg, want_png) = match options.format {
        ChartFormat::None => (false, false),
        ChartFormat::Svg => (true, false),
        ChartFormat::Png => (false, true),
        ChartFormat::Both => (true, true),
    };
    register_fonts()?;
    let file_type = Type::for_height(options.size.height);
    /// One drawing of a chart: its SVG file, its PNG file, or its SVG for the report.
    #[derive(Copy, Clone, PartialEq, Eq)]
    enum Output {
        SvgFile,
        PngFile,
        Report,
    }
    // Every drawing a task of its own, so that the cores share the work evenly; gathered in order.
    let tasks: Vec<(usize, Output)> = (0..jobs.len())
        .flat_map(|i| {
            [
                want_svg.then_some((i, Output::SvgFile)),
                want_png.then_some((i, Output::PngFile)),
                Some((i, Output::Report)),
            ]
            .into_iter()
            .flatten()
        })
        .collect();
    let drawn: Vec<(usize, Output, String, Vec<u8>)> = tasks
        .into_par_iter()
        .map(|(i, output)| {
            let (stem, chart, report_size) = &jobs[i];
            let (name, bytes) = match output {
                Output::SvgFile => {
                    let name = format!("{stem}.svg");
                    let bytes = svg(*chart, options.size, file_type, &name)?;
                    (name, bytes)
                }
                Output::PngFile => {
                    let name = format!("{stem}.png");
                    let bytes = png(*chart, options.size, &name)?;
                    (name, bytes)
                }
                Output::Report => (stem.clone(), svg(*chart, *report_size, REPORT_TYPE, stem)?),
            };
            Ok((i, output, name, bytes))
        })
        .collect::<Result<_, Error>>()?;
    let mut rendered = Rendered {
        files: Vec::new(),
        report_svgs: Vec::new(),
    };
    for (_, output, name, bytes) in drawn {
        if output == Output::Report {
            let text = String::from_utf8(bytes).map_err(|e| render_error(&name, e))?;
            rendered.report_svgs.push((name, text));
        } else {
            rendered.files.push(OutputFile { name, bytes });
        }
    }
    Ok(rendered)
}

/// One risk chart.
#[derive(Copy, Clone)]
enum RiskChart {
    SCurve(risk::Curve),
    Fan(usize),
    Tornado(usize),
}

/// What the risk charts draw from.
#[derive(Copy, Clone)]
pub struct RiskInputs<'a> {
    pub scenario: &'a crate::scenario::Scenario,
    pub draws: &'a [crate::decision::monte_carlo::Draw],
    pub analysis: &'a crate::decision::risk_analysis::Analysis,
}

impl Drawable for (RiskChart, RiskInputs<'_>) {
    fn draw_on<DB: DrawingBackend>(self, area: &Area<DB>, ty: Type) -> Drawn<DB> {
        let r = self.1;
        match self.0 {
            RiskChart::SCurve(curve) => risk::draw_s_curve(area, r.scenario, r.draws, curve, ty),
            RiskChart::Fan(i) => risk::draw_fan(area, r.scenario, &r.analysis.plans[i], i, ty),
            RiskChart::Tornado(i) => risk::draw_tornado(area, r.scenario, r.analysis, i, ty),
        }
    }
}

/// The risk charts: an S-curve per measure, a fan and a tornado per plan; files in the
/// requested formats and SVGs sized for the report.
pub fn render_risk(r: RiskInputs, options: ChartOptions) -> Result<Rendered, Error> {
    let size = |height| ChartSize {
        width: 1200,
        height,
    };
    let mut jobs: Vec<(String, (RiskChart, RiskInputs), ChartSize)> = risk::curves(r.scenario)
        .into_iter()
        .map(|c| (c.stem().to_string(), (RiskChart::SCurve(c), r), size(420)))
        .collect();
    for (i, plan) in r.scenario.plans.iter().enumerate() {
        jobs.push((
            format!("fan_{}", plan.name),
            (RiskChart::Fan(i), r),
            size(380),
        ));
        let rows = r.analysis.plans[i].drivers.len().clamp(3, 12) as u32;
        jobs.push((
            format!("tornado_{}", plan.name),
            (RiskChart::Tornado(i), r),
            size(170 + 34 * rows),
        ));
    }
    draw_all(jobs, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use canvas::{Key, Legend, legend_boxes};

    #[test]
    fn chart_size_parses_and_is_bounded() {
        assert_eq!(
            "1600x900".parse::<ChartSize>().unwrap(),
            ChartSize::default()
        );
        assert!("10x10".parse::<ChartSize>().is_err());
        let err = "1600x5000".parse::<ChartSize>().unwrap_err();
        assert!(err.contains("height 5000 is outside 480 to 4000"), "{err}");
        let err = "100x900".parse::<ChartSize>().unwrap_err();
        assert!(err.contains("width 100 is outside 640 to 4000"), "{err}");
        assert!("wide".parse::<ChartSize>().is_err());
    }

    #[test]
    fn cached_glyphs_draw_exactly_the_pixels_plotters_draws() {
        use plotters::style::text_anchor::{HPos, VPos};
        register_fonts().unwrap();
        let draw = |cached: bool| {
            let mut pixels = vec![0xFFu8; 640 * 480 * 3];
            {
                let backend = BitMapBackend::with_buffer(&mut pixels, (640, 480));
                let texts = [
                    (
                        "Jan 2027 · £3,062,100",
                        16.0,
                        false,
                        HPos::Left,
                        VPos::Top,
                        false,
                    ),
                    (
                        "Budget by fiscal year",
                        22.0,
                        true,
                        HPos::Center,
                        VPos::Center,
                        false,
                    ),
                    (
                        "FY2028 (Jul–Dec 2028)",
                        15.0,
                        false,
                        HPos::Right,
                        VPos::Bottom,
                        true,
                    ),
                    (
                        "AVAWAy ÅÉ€ −$47,975",
                        31.5,
                        true,
                        HPos::Left,
                        VPos::Center,
                        false,
                    ),
                ];
                fn run<DB: DrawingBackend>(
                    area: &DrawingArea<DB, plotters::coord::Shift>,
                    texts: &[(&str, f64, bool, HPos, VPos, bool)],
                ) {
                    for (i, (text, size, bold, h, v, rotated)) in texts.iter().enumerate() {
                        let mut style = canvas::text_style(*size, palette::TEXT, *bold, *h, *v);
                        if *rotated {
                            style = style.transform(plotters::style::FontTransform::Rotate270);
                        }
                        // Partly off the canvas too: clipped alike.
                        let at = (20 + 150 * i as i32, 30 + 110 * i as i32 - 40);
                        area.draw(&plotters::element::Text::new(text.to_string(), at, style))
                            .unwrap();
                    }
                }
                if cached {
                    run(
                        &glyph_cache::GlyphCached(backend).into_drawing_area(),
                        &texts,
                    );
                } else {
                    run(&backend.into_drawing_area(), &texts);
                }
            }
            pixels
        };
        let plain = draw(false);
        assert!(plain.iter().any(|p| *p != 0xFF), "text was drawn");
        assert!(
            plain == draw(true),
            "cached glyphs differ from plotters' own"
        );
    }

    #[test]
    fn long_names_are_shortened_in_the_middle_to_fit() {
        register_fonts().unwrap();
        let mut pixels = vec![0u8; 800 * 600 * 3];
        let area = BitMapBackend::with_buffer(&mut pixels, (800, 600)).into_drawing_area();
        let style = canvas::text_style(
            16.0,
            palette::TEXT,
            false,
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Top,
        );
        let name = "soc2-first-then-iso-a-long-plan-name-that-goes-on-and-on-7";
        let short = canvas::fit(&area, name, &style, 200);
        assert!(canvas::measure(&area, &short, &style).0 <= 200, "{short}");
        assert!(
            short.starts_with("soc2-first") && short.ends_with("-7") && short.contains('…'),
            "{short}"
        );
        assert_eq!(canvas::fit(&area, "short", &style, 200), "short");
    }

    #[test]
    fn a_legend_of_thirty_long_entries_wraps_without_overlap_inside_the_width() {
        register_fonts().unwrap();
        let mut pixels = vec![0u8; 1600 * 900 * 3];
        let area = BitMapBackend::with_buffer(&mut pixels, (1600, 900)).into_drawing_area();
        let legend = Legend {
            entries: (0..30)
                .map(|i| {
                    (
                        Key::Box(palette::plan(i)),
                        format!("Category number {i} with a rather long descriptive name indeed"),
                    )
                })
                .collect(),
        };
        let ty = Type::for_height(900);
        let boxes = legend_boxes(&legend, &area, ty, 1500);
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.0 >= 0 && a.2 <= 1500, "entry {i} inside the width: {a:?}");
            for b in &boxes[i + 1..] {
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
        assert!(legend.height(&area, ty, 1500) < 900 / 2);
    }
}
