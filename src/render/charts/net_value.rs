//! The business case of every plan: cumulative expected net position (revenue unlocked × win
//! probability − cost) month by month, one labelled line per plan, with a point where each plan
//! pays back (its line crosses zero for good).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use rust_decimal::Decimal;

use super::canvas::{
    self, Area, Drawn, Key, Legend, Marker, MoneyAxis, MonthAxis, Page, Type, text_style,
};
use super::palette;
use crate::decision::business_case::{BusinessCase, business_case};
use crate::render::export::Projected;
use crate::vocabulary::money::display_whole;

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, p: Projected, ty: Type) -> Drawn<DB> {
    let programme = &p.scenario.programme;
    let currency = programme.currency;
    let cases: Vec<Option<BusinessCase>> = p
        .plans
        .iter()
        .map(|o| business_case(p.scenario, o))
        .collect();
    let values = cases
        .iter()
        .flatten()
        .flat_map(|b| b.cumulative_net.iter().map(|v| canvas::to_f64(*v)));
    let (low, high) = values.fold((0.0f64, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    let axis = MoneyAxis::spanning(low, high);
    let legend = Legend {
        entries: vec![(
            Key::Marker(Marker::Circle, palette::TEXT),
            "Payback: from here the plan stays above zero".into(),
        )],
    };
    let page = Page::new(
        area,
        ty,
        "Expected net position by plan",
        &format!(
            "{} · {} · revenue unlocked × win probability − cost, cumulative · {} to {}",
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
        p.plans.iter().zip(&cases).map(|(o, b)| {
            let end = b
                .as_ref()
                .and_then(|b| b.cumulative_net.last().copied())
                .unwrap_or(Decimal::ZERO);
            (o.plan.name.as_str(), display_whole(end, currency))
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

    let mut ends = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let Some(case) = case else { continue };
        let color = palette::plan(i);
        let points = canvas::cumulative_points(&months, &plot, &axis, &case.cumulative_net);
        let end = *points.last().unwrap_or(&(plot.right, plot.bottom));
        area.draw(&PathElement::new(points, color.stroke_width(3)))?;
        if let Some(payback) = case.payback {
            // At the end of the payback month, where the line is at or above zero.
            let index = programme.start.months_until(payback) as f64 + 1.0;
            let value = case
                .cumulative_net
                .get(programme.start.months_until(payback) as usize)
                .map_or(0.0, |v| canvas::to_f64(*v));
            canvas::draw_marker(
                area,
                Marker::Circle,
                (months.x(&plot, index), axis.y(&plot, value)),
                (ty.label * 0.55) as i32,
                color,
            )?;
        }
        ends.push((end.1, i));
    }
    canvas::draw_end_labels(area, &plot, ends, &labels, key, &label_style)?;
    page.draw_legend(area, ty, &legend)
}
