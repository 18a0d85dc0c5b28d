//! Risk charts: S-curves (the probability of having the first certificate, the first Type II
//! report, or of spending at most an amount), a fan of cumulative cost per plan (P10–P90 around
//! P50 and the base case), and a tornado per plan that says how much money and how many days
//! each uncertain input and each risk moves the plan's P50.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    self, Area, Drawn, Key, Legend, MoneyAxis, MonthAxis, Page, Plot, Type, measure, text_style,
};
use super::palette;
use crate::decision::monte_carlo::Draw;
use crate::decision::risk_analysis::{Analysis, PlanRisk};
use crate::scenario::Scenario;
use crate::vocabulary::framework::Framework;

/// What an S-curve shows.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Curve {
    FirstIsoCertificate,
    FirstType2Report,
    TotalCost,
}

impl Curve {
    pub fn stem(self) -> &'static str {
        match self {
            Curve::FirstIsoCertificate => "s_curve_first_iso_certificate",
            Curve::FirstType2Report => "s_curve_first_soc2_type2_report",
            Curve::TotalCost => "s_curve_total_cost",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Curve::FirstIsoCertificate => {
                "Probability of holding the first ISO/IEC 27001 certificate"
            }
            Curve::FirstType2Report => "Probability of having the first SOC 2 Type II report",
            Curve::TotalCost => "Probability that the total cost is at most",
        }
    }

    fn framework(self) -> Option<Framework> {
        match self {
            Curve::FirstIsoCertificate => Some(Framework::Iso27001),
            Curve::FirstType2Report => Some(Framework::Soc2),
            Curve::TotalCost => None,
        }
    }
}

/// The S-curves a scenario has: dates only for frameworks some plan pursues.
pub fn curves(s: &Scenario) -> Vec<Curve> {
    [
        Curve::FirstIsoCertificate,
        Curve::FirstType2Report,
        Curve::TotalCost,
    ]
    .into_iter()
    .filter(|c| {
        c.framework()
            .is_none_or(|f| s.plans.iter().any(|p| p.includes(f)))
    })
    .collect()
}

/// A probability axis on the left, 0 to 100 %, with the P50 and P80 lines dashed.
fn probability_axis<DB: DrawingBackend>(area: &Area<DB>, plot: &Plot, ty: Type) -> Drawn<DB> {
    let style = text_style(ty.small, palette::TEXT, false, HPos::Right, VPos::Center);
    for pct in [0, 25, 50, 75, 100] {
        let y = y_of(plot, f64::from(pct) / 100.0);
        area.draw(&PathElement::new(
            vec![(plot.left, y), (plot.right, y)],
            palette::GRID.stroke_width(1),
        ))?;
        canvas::text(area, &format!("{pct} %"), (plot.left - 8, y), &style)?;
    }
    let label = text_style(
        ty.small,
        palette::MUTED_TEXT,
        true,
        HPos::Left,
        VPos::Bottom,
    );
    for (p, name) in [(0.5, "P50"), (0.8, "P80")] {
        let y = y_of(plot, p);
        let mut x = plot.left;
        while x < plot.right {
            area.draw(&PathElement::new(
                vec![(x, y), ((x + 8).min(plot.right), y)],
                palette::AXIS.stroke_width(1),
            ))?;
            x += 14;
        }
        canvas::text(area, name, (plot.left + 4, y - 2), &label)?;
    }
    Ok(())
}

fn y_of(plot: &Plot, p: f64) -> i32 {
    plot.bottom - (f64::from(plot.height()) * p).round() as i32
}

/// An S-curve of one measure for every plan that has it.
pub fn draw_s_curve<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &Scenario,
    draws: &[Draw],
    curve: Curve,
    ty: Type,
) -> Drawn<DB> {
    let programme = &s.programme;
    let plans: Vec<usize> = (0..s.plans.len())
        .filter(|i| curve.framework().is_none_or(|f| s.plans[*i].includes(f)))
        .collect();
    let legend = Legend {
        entries: plans
            .iter()
            .map(|i| (Key::Box(palette::plan(*i)), s.plans[*i].name.clone()))
            .collect(),
    };
    let subtitle = format!(
        "{} · {} draws · a curve that rises early and steeply is a plan you can count on",
        programme.name,
        draws.len()
    );
    let page = Page::new(area, ty, curve.title(), &subtitle, &legend)?;
    let axis_width = measure(
        area,
        "100 %",
        &text_style(ty.small, palette::TEXT, false, HPos::Right, VPos::Center),
    )
    .0 + 12;
    let plot = page.plot(axis_width, 0);
    probability_axis(area, &plot, ty)?;
    let n = draws.len().max(1) as f64;
    match curve.framework() {
        Some(framework) => {
            let months = MonthAxis {
                first: programme.start,
                months: programme.horizon_months.get(),
            };
            months.draw(area, &plot, ty, true)?;
            let deadlines: Vec<canvas::Deadline> = canvas::deadlines(s)
                .into_iter()
                .filter(|d| {
                    d.framework == framework
                        && (framework == Framework::Iso27001 || d.label.contains("Type II"))
                })
                .collect();
            // Labelled low down: the curves reach the top.
            canvas::draw_deadlines(
                area,
                &plot,
                &months,
                ty,
                &deadlines,
                plot.bottom - plot.height() / 6,
            )?;
            // Earlier plans drawn wider, so that curves that coincide still all show.
            let width = |k: usize| 3 + 3 * (plans.len() - 1 - k) as u32;
            for (k, &i) in plans.iter().enumerate() {
                let mut dates: Vec<chrono::NaiveDate> = draws
                    .iter()
                    .filter_map(|d| match curve {
                        Curve::FirstIsoCertificate => d.plans[i].first_iso_certificate,
                        _ => d.plans[i].first_type2_report,
                    })
                    .collect();
                dates.sort();
                let mut points = vec![(plot.left, plot.bottom)];
                for (k, date) in dates.iter().enumerate() {
                    let x = months.x_of_date(&plot, *date);
                    points.push((x, y_of(&plot, k as f64 / n)));
                    points.push((x, y_of(&plot, (k + 1) as f64 / n)));
                }
                let last = points.last().map_or(plot.bottom, |p| p.1);
                points.push((plot.right, last));
                area.draw(&PathElement::new(
                    points,
                    palette::plan(i).stroke_width(width(k)),
                ))?;
            }
        }
        None => cost_curves(area, &plot, s, draws, &plans, ty)?,
    }
    page.draw_legend(area, ty, &legend)
}

/// The S-curve of total cost: a money axis along the bottom, one stepped line per plan.
fn cost_curves<DB: DrawingBackend>(
    area: &Area<DB>,
    plot: &Plot,
    s: &Scenario,
    draws: &[Draw],
    plans: &[usize],
    ty: Type,
) -> Drawn<DB> {
    let programme = &s.programme;
    let n = draws.len().max(1) as f64;
    let mut all: Vec<f64> = plans
        .iter()
        .flat_map(|i| draws.iter().map(move |d| canvas::to_f64(d.plans[*i].total)))
        .collect();
    all.sort_by(f64::total_cmp);
    let low = all.first().copied().unwrap_or(0.0);
    let high = all.last().copied().unwrap_or(1.0).max(low + 1.0);
    let axis = MoneyAxis::holding(high);
    let step = axis.step;
    let from = (low / step).floor() * step;
    let x_of = |v: f64| {
        plot.left
            + (f64::from(plot.width()) * ((v - from) / (axis.max - from)).clamp(0.0, 1.0)).round()
                as i32
    };
    let style = text_style(ty.small, palette::TEXT, false, HPos::Center, VPos::Top);
    for tick in axis.ticks().filter(|t| *t >= from) {
        let x = x_of(tick);
        area.draw(&PathElement::new(
            vec![(x, plot.top), (x, plot.bottom)],
            palette::GRID.stroke_width(1),
        ))?;
        canvas::text(
            area,
            &canvas::money_label(tick, programme.currency),
            (x, plot.bottom + 8),
            &style,
        )?;
    }
    let width = |k: usize| 3 + 3 * (plans.len() - 1 - k) as u32;
    for (k, &i) in plans.iter().enumerate() {
        let mut totals: Vec<f64> = draws
            .iter()
            .map(|d| canvas::to_f64(d.plans[i].total))
            .collect();
        totals.sort_by(f64::total_cmp);
        let mut points = vec![(plot.left, plot.bottom)];
        for (k, v) in totals.iter().enumerate() {
            let x = x_of(*v);
            points.push((x, y_of(plot, k as f64 / n)));
            points.push((x, y_of(plot, (k + 1) as f64 / n)));
        }
        points.push((plot.right, plot.top));
        area.draw(&PathElement::new(
            points,
            palette::plan(i).stroke_width(width(k)),
        ))?;
    }
    Ok(())
}

/// Cumulative cost of one plan by month: the P10–P90 band, P50, and the base case dashed.
pub fn draw_fan<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &Scenario,
    plan: &PlanRisk,
    index: usize,
    ty: Type,
) -> Drawn<DB> {
    let programme = &s.programme;
    let color = palette::plan(index);
    let legend = Legend {
        entries: vec![
            (Key::Box(palette::tint(color, 65)), "P10 to P90".into()),
            (Key::Box(color), "P50".into()),
            (
                Key::Box(palette::TEXT),
                "Base case (likely values, no risk)".into(),
            ),
        ],
    };
    let page = Page::new(
        area,
        ty,
        &format!("Cumulative cost, with its range: {}", plan.plan),
        &format!("{} · {}", programme.name, programme.currency),
        &legend,
    )?;
    let max = plan.fan.iter().map(|f| f[2].max(f[3])).fold(0.0, f64::max);
    let axis = MoneyAxis::holding(max);
    let plot = page.plot(axis.label_width(area, ty, programme.currency) + 12, 0);
    let months = MonthAxis {
        first: programme.start,
        months: programme.horizon_months.get(),
    };
    axis.draw(area, &plot, ty, programme.currency)?;
    months.draw(area, &plot, ty, true)?;
    let point = |m: usize, v: f64| (months.x(&plot, (m + 1) as f64), axis.y(&plot, v));
    let start = (months.x(&plot, 0.0), axis.y(&plot, 0.0));
    let mut band: Vec<(i32, i32)> = vec![start];
    band.extend(plan.fan.iter().enumerate().map(|(m, f)| point(m, f[2])));
    band.extend(
        plan.fan
            .iter()
            .enumerate()
            .rev()
            .map(|(m, f)| point(m, f[0])),
    );
    area.draw(&Polygon::new(band, palette::tint(color, 65).filled()))?;
    let line = |k: usize| {
        std::iter::once(start)
            .chain(plan.fan.iter().enumerate().map(|(m, f)| point(m, f[k])))
            .collect::<Vec<_>>()
    };
    area.draw(&PathElement::new(line(1), color.stroke_width(3)))?;
    let base = line(3);
    for pair in base.windows(2).step_by(2) {
        area.draw(&PathElement::new(
            pair.to_vec(),
            palette::TEXT.stroke_width(2),
        ))?;
    }
    canvas::draw_deadlines(
        area,
        &plot,
        &months,
        ty,
        &canvas::deadlines(s),
        plot.top + 4,
    )?;
    page.draw_legend(area, ty, &legend)
}

/// What moves one plan's P50: a bar per driver, money to the right when it raises the cost,
/// with the days it moves the key date written beside it.
pub fn draw_tornado<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &Scenario,
    analysis: &Analysis,
    index: usize,
    ty: Type,
) -> Drawn<DB> {
    let plan = &analysis.plans[index];
    let currency = s.programme.currency;
    let shown: Vec<&crate::decision::risk_analysis::Driver> =
        plan.drivers.iter().take(12).collect();
    let legend = Legend {
        entries: vec![
            (
                Key::Box(palette::plan(index)),
                "an uncertain input: held at its P75 against its P25".into(),
            ),
            (
                Key::Box(palette::WARNING),
                "a risk: forced on against forced off, same draws".into(),
            ),
        ],
    };
    let beyond_note = shown.iter().any(|d| d.cost_beyond_horizon());
    let page = Page::new(
        area,
        ty,
        &format!("What moves the P50: {}", plan.plan),
        &format!(
            "{} · money: P50 total cost · days: P50 {}{}",
            s.programme.name,
            plan.key_date,
            if beyond_note {
                " · beyond horizon: a delay pushes cost past the horizon, no saving"
            } else {
                ""
            }
        ),
        &legend,
    )?;
    let name_style = text_style(ty.label, palette::TEXT, false, HPos::Right, VPos::Center);
    let value_style = text_style(ty.small, palette::TEXT, false, HPos::Left, VPos::Center);
    let names: Vec<String> = shown.iter().map(|d| d.name.clone()).collect();
    let name_width = names
        .iter()
        .map(|n| measure(area, n, &name_style).0)
        .max()
        .unwrap_or(0)
        .min(page.width / 3);
    let sample = format!(
        "{} · +999 days{}",
        crate::vocabulary::money::display_whole(rust_decimal::Decimal::from(9_999_999), currency),
        if beyond_note {
            " · beyond horizon"
        } else {
            ""
        }
    );
    let value_width = measure(area, &sample, &value_style).0 + 12;
    let plot = page.plot(name_width + 16, value_width);
    if shown.is_empty() {
        let note = text_style(
            ty.label,
            palette::MUTED_TEXT,
            false,
            HPos::Center,
            VPos::Center,
        );
        canvas::text(
            area,
            "No uncertain input or risk applies to this plan: its figures are the base case.",
            ((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2),
            &note,
        )?;
        return page.draw_legend(area, ty, &legend);
    }
    let widest = shown
        .iter()
        .map(|d| canvas::to_f64(d.money).abs())
        .fold(1.0, f64::max);
    let centre = (plot.left + plot.right) / 2;
    let half = f64::from(plot.width() / 2);
    let row = plot.height() / shown.len() as i32;
    area.draw(&PathElement::new(
        vec![(centre, plot.top), (centre, plot.bottom)],
        palette::AXIS.stroke_width(1),
    ))?;
    for (k, d) in shown.iter().enumerate() {
        let y = plot.top + row * k as i32 + row / 2;
        let length = (half * canvas::to_f64(d.money) / widest).round() as i32;
        let color = if d.kind == "risk" {
            palette::WARNING
        } else {
            palette::plan(index)
        };
        let thickness = (row * 3 / 5).max(4);
        let (x0, x1) = if length >= 0 {
            (centre, centre + length.max(1))
        } else {
            (centre + length, centre)
        };
        area.draw(&Rectangle::new(
            [(x0, y - thickness / 2), (x1, y + thickness / 2)],
            color.filled(),
        ))?;
        let name = canvas::fit(area, &d.name, &name_style, name_width);
        canvas::text(area, &name, (plot.left - 8, y), &name_style)?;
        let sign = if d.money.is_sign_negative() {
            "−"
        } else {
            "+"
        };
        let days = if d.days.abs() < 0.5 {
            "±0 days".to_string()
        } else {
            format!("{:+.0} days", d.days)
        };
        // A lower cost is work pushed past the horizon, never a saving: say so.
        let beyond = if d.cost_beyond_horizon() {
            " · beyond horizon"
        } else {
            ""
        };
        let label = format!(
            "{sign}{} · {days}{beyond}",
            crate::vocabulary::money::display_whole(d.money.abs(), currency)
        );
        canvas::text(area, &label, (plot.right + 8, y), &value_style)?;
    }
    page.draw_legend(area, ty, &legend)
}
