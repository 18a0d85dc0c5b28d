//! Cumulative cost of every plan over the horizon, one labelled line per plan, with markers
//! where each plan first holds an ISO/IEC 27001 certificate and a SOC 2 report.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use rust_decimal::Decimal;

use super::canvas::{
    self, Area, Drawn, Key, Legend, Marker, MoneyAxis, MonthAxis, Page, Type, text_style,
};
use super::palette;
use crate::render::export::Projected;
use crate::vocabulary::money::display_whole;

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, p: Projected, ty: Type) -> Drawn<DB> {
    let programme = &p.scenario.programme;
    let currency = programme.currency;
    // Cumulative cost at the end of each month, per plan.
    let curves: Vec<Vec<Decimal>> = p
        .plans
        .iter()
        .map(|o| {
            o.cumulative_totals()
                .into_iter()
                .map(|(_, total)| total)
                .collect()
        })
        .collect();
    let max = curves
        .iter()
        .flat_map(|c| c.last())
        .copied()
        .max()
        .unwrap_or_default();
    let axis = MoneyAxis::holding(canvas::to_f64(max));

    let legend = Legend {
        entries: vec![
            (
                Key::Marker(Marker::Diamond, palette::TEXT),
                "First ISO/IEC 27001 certificate".into(),
            ),
            (
                Key::Marker(Marker::Circle, palette::TEXT),
                "First SOC 2 report".into(),
            ),
        ],
    };
    let page = Page::new(
        area,
        ty,
        "Cumulative cost by plan",
        &format!(
            "{} · {} · {} to {}",
            programme.name,
            currency,
            canvas::month_label(programme.start),
            canvas::month_label(programme.last_month())
        ),
        &legend,
    )?;
    let label_style = text_style(ty.label, palette::TEXT, false, HPos::Left, VPos::Center);
    let (labels, label_width) = canvas::end_labels(
        area,
        p.plans.iter().zip(&curves).map(|(o, c)| {
            (
                o.plan.name.as_str(),
                display_whole(c.last().copied().unwrap_or_default(), currency),
            )
        }),
        &label_style,
        page.width / 4,
    );
    let key = (ty.label * 1.4) as i32;
    let plot = page.plot(
        axis.label_width(area, ty, currency) + 12,
        label_width + key + 24,
    );
    let months = MonthAxis {
        first: programme.start,
        months: programme.horizon_months.get(),
    };
    axis.draw(area, &plot, ty, currency)?;
    months.draw(area, &plot, ty, true)?;
    canvas::draw_deadlines(
        area,
        &plot,
        &months,
        ty,
        &canvas::deadlines(p.scenario),
        plot.top + 4,
    )?;

    let point = |curve: &[Decimal], index: f64| -> (i32, i32) {
        // The curve is linear within a month, from the previous month's end to this one's.
        let whole = index.floor() as usize;
        let before = if whole == 0 {
            0.0
        } else {
            canvas::to_f64(curve[(whole - 1).min(curve.len() - 1)])
        };
        let after = canvas::to_f64(curve[whole.min(curve.len() - 1)]);
        let value = before + (after - before) * (index - index.floor());
        (months.x(&plot, index), axis.y(&plot, value))
    };

    let mut ends = Vec::new();
    for (i, (outcome, curve)) in p.plans.iter().zip(&curves).enumerate() {
        if curve.is_empty() {
            continue;
        }
        let color = palette::plan(i);
        let points = canvas::cumulative_points(&months, &plot, &axis, curve);
        let end = *points.last().unwrap_or(&(plot.right, plot.bottom));
        area.draw(&PathElement::new(points, color.stroke_width(3)))?;
        for (date, marker) in [
            (outcome.first_iso_certificate(), Marker::Diamond),
            (outcome.first_soc2_report(), Marker::Circle),
        ] {
            if let Some(date) = date {
                let index = programme
                    .start
                    .months_until(crate::vocabulary::year_month::YearMonth::of(date))
                    as f64
                    + (f64::from(chrono::Datelike::day(&date)) - 1.0)
                        / f64::from(chrono::Datelike::day(
                            &crate::vocabulary::year_month::YearMonth::of(date).last_day(),
                        ));
                let index = index.clamp(0.0, curve.len() as f64 - 1e-9);
                canvas::draw_marker(
                    area,
                    marker,
                    point(curve, index),
                    (ty.label * 0.55) as i32,
                    color,
                )?;
            }
        }
        ends.push((end.1, i));
    }

    canvas::draw_end_labels(area, &plot, ends, &labels, key, &label_style)?;

    page.draw_legend(area, ty, &legend)
}
