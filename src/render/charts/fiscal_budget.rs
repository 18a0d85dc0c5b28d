//! Grouped bars: fiscal year × plan, each bar labelled with its amount.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{self, Area, Drawn, Key, Legend, MoneyAxis, Page, Type, measure, text_style};
use super::palette;
use crate::render::export::Projected;
use crate::vocabulary::fiscal_year::FiscalYear;
use crate::vocabulary::money::display_whole;

/// How the amounts above the bars are written.
enum Labels {
    Horizontal(f64),
    Vertical(f64),
    Omitted,
}

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, p: Projected, ty: Type) -> Drawn<DB> {
    let programme = &p.scenario.programme;
    let currency = programme.currency;
    let calendar = programme.fiscal_calendar();
    let width = area.dim_in_pixel().0 as i32;
    let margin = Page::margin(ty);
    let starts = super::month_name(calendar.start_month);
    let spans = programme.fiscal_years_in_horizon();
    let years: Vec<FiscalYear> = spans.iter().map(|y| y.year).collect();
    let any_partial = spans.iter().any(|y| y.is_partial());
    let mut subtitle = format!(
        "{} · {} · fiscal years start in {starts}",
        programme.name, currency
    );
    if any_partial {
        subtitle.push_str(" · years cut by the horizon show their months");
    }
    let cap = p.scenario.requirements.yearly_budget_cap.map(|c| c.0);

    // Each plan's total per fiscal year: the bar heights and the labels above them.
    let totals: Vec<Vec<rust_decimal::Decimal>> = p
        .plans
        .iter()
        .map(|o| {
            let by_year = o.ledger.fiscal_year_totals(calendar);
            years
                .iter()
                .map(|y| by_year.get(y).copied().unwrap_or_default())
                .collect()
        })
        .collect();
    let values: Vec<Vec<f64>> = totals
        .iter()
        .map(|row| row.iter().map(|d| canvas::to_f64(*d)).collect())
        .collect();
    let label_text: Vec<Vec<String>> = totals
        .iter()
        .map(|row| row.iter().map(|d| display_whole(*d, currency)).collect())
        .collect();

    let legend = Legend {
        entries: p
            .plans
            .iter()
            .enumerate()
            .map(|(i, o)| (Key::Box(palette::plan(i)), o.plan.name.clone()))
            .collect(),
    };
    let year_style = text_style(ty.label, palette::TEXT, false, HPos::Center, VPos::Top);

    // First guess of the plot, to size the bars and so the labels.
    let provisional = MoneyAxis::holding(values.iter().flatten().copied().fold(0.0, f64::max));
    let value_labels = provisional.label_width(area, ty, currency) + 12;
    let (left, right) = (margin + value_labels, width - margin);
    let groups = years.len().max(1) as i32;
    let group_width = (right - left) / groups;
    let bars = p.plans.len().max(1) as i32;
    let bar_width = ((f64::from(group_width) * 0.8) / f64::from(bars)).floor() as i32;

    let widest = |size: f64| {
        label_text
            .iter()
            .flatten()
            .map(|t| {
                measure(
                    area,
                    t,
                    &text_style(size, palette::TEXT, false, HPos::Center, VPos::Bottom),
                )
            })
            .fold((0, 0), |a, b| (a.0.max(b.0), a.1.max(b.1)))
    };
    let mut labels = Labels::Omitted;
    let mut size = ty.small;
    while size >= 9.0 {
        let (w, h) = widest(size);
        if w + 4 <= bar_width {
            labels = Labels::Horizontal(size);
            break;
        }
        if h <= bar_width {
            labels = Labels::Vertical(size);
            break;
        }
        size -= 1.0;
    }
    let headroom = match labels {
        Labels::Horizontal(s) => widest(s).1 + 8,
        Labels::Vertical(s) => widest(s).0 + 10,
        Labels::Omitted => 0,
    };
    if matches!(labels, Labels::Omitted) {
        subtitle.push_str(" · too many bars to label: see budget_by_fiscal_year.csv");
    }
    let page = Page::new(area, ty, "Budget by fiscal year", &subtitle, &legend)?;
    let mut plot = page.plot(value_labels, 0);
    let months_style = text_style(
        ty.small,
        palette::MUTED_TEXT,
        false,
        HPos::Center,
        VPos::Top,
    );
    let months_line = measure(area, "Jan–Jun 2027", &months_style).1 + 4;
    if any_partial {
        // Room under the axis for the months of a cut year.
        plot.bottom -= months_line;
    }
    let max_value = values
        .iter()
        .flatten()
        .copied()
        .chain(cap.map(canvas::to_f64))
        .fold(0.0, f64::max);
    // Leave room above the tallest bar for its label.
    let room = f64::from((plot.height() - headroom).max(plot.height() / 3));
    let axis = MoneyAxis::holding(max_value * f64::from(plot.height()) / room);
    axis.draw(area, &plot, ty, currency)?;

    // The cap first, so that bars and their labels stand over it.
    if let Some(cap) = cap {
        let y = axis.y(&plot, canvas::to_f64(cap));
        let mut x = plot.left;
        while x < plot.right {
            area.draw(&PathElement::new(
                vec![(x, y), ((x + 12).min(plot.right), y)],
                palette::DEADLINE.stroke_width(2),
            ))?;
            x += 20;
        }
        let style = text_style(ty.small, palette::DEADLINE, true, HPos::Right, VPos::Bottom);
        let label = format!("Yearly cap {}", display_whole(cap, currency));
        let (w, h) = measure(area, &label, &style);
        area.draw(&Rectangle::new(
            [(plot.right - w - 6, y - h - 6), (plot.right, y - 2)],
            palette::BACKGROUND.mix(0.9).filled(),
        ))?;
        canvas::text(area, &label, (plot.right - 3, y - 4), &style)?;
    }
    for (g, year) in years.iter().enumerate() {
        let group_left = plot.left + g as i32 * group_width;
        let inner_left = group_left + (group_width - bar_width * bars) / 2;
        canvas::text(
            area,
            &year.to_string(),
            (group_left + group_width / 2, plot.bottom + 8),
            &year_style,
        )?;
        if spans[g].is_partial() {
            let label_height = measure(area, "FY", &year_style).1;
            let months = canvas::fit(area, &spans[g].months_label(), &months_style, group_width);
            canvas::text(
                area,
                &months,
                (
                    group_left + group_width / 2,
                    plot.bottom + 10 + label_height,
                ),
                &months_style,
            )?;
        }
        for (i, plan_values) in values.iter().enumerate() {
            let x0 = inner_left + i as i32 * bar_width;
            let x1 = x0 + bar_width - 2;
            let y = axis.y(&plot, plan_values[g]);
            if y < plot.bottom {
                area.draw(&Rectangle::new(
                    [(x0, y), (x1.max(x0 + 1), plot.bottom)],
                    palette::plan(i).filled(),
                ))?;
            }
            let centre = (x0 + x1) / 2;
            match labels {
                Labels::Horizontal(size) => {
                    let style = text_style(size, palette::TEXT, false, HPos::Center, VPos::Bottom);
                    canvas::text(area, &label_text[i][g], (centre, y - 4), &style)?;
                }
                Labels::Vertical(size) => {
                    let style = text_style(size, palette::TEXT, false, HPos::Left, VPos::Center)
                        .transform(FontTransform::Rotate270);
                    canvas::text(area, &label_text[i][g], (centre, y - 6), &style)?;
                }
                Labels::Omitted => {}
            }
        }
    }
    page.draw_legend(area, ty, &legend)
}
