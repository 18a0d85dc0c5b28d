//! One plan's monthly cost, stacked by category.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use rust_decimal::Decimal;

use super::canvas::{self, Area, Drawn, Key, Legend, MoneyAxis, MonthAxis, Page, Type, text_style};
use super::palette;
use crate::decision::projection::PlanOutcome;
use crate::render::export::Projected;
use crate::vocabulary::category::Category;
use crate::vocabulary::money::display_whole;

pub fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    p: Projected,
    outcome: &PlanOutcome,
    ty: Type,
) -> Drawn<DB> {
    let programme = &p.scenario.programme;
    let currency = programme.currency;
    let cells = outcome.ledger.by_month_and_category();
    let present: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| cells.keys().any(|(_, category)| category == c))
        .collect();
    let legend = Legend {
        entries: present
            .iter()
            .map(|c| (Key::Box(palette::category(*c)), c.label().to_string()))
            .collect(),
    };
    let page = Page::new(
        area,
        ty,
        &format!("Monthly cost by category: {}", outcome.plan.name),
        &format!(
            "{} · {} · total {}",
            programme.name,
            currency,
            display_whole(outcome.total_cost(), currency)
        ),
        &legend,
    )?;
    let max = outcome
        .monthly_totals()
        .into_iter()
        .map(|(_, total)| total)
        .max()
        .unwrap_or_default();
    let axis = MoneyAxis::holding(canvas::to_f64(max));
    let plot = page.plot(axis.label_width(area, ty, currency) + 12, 0);
    let months = MonthAxis {
        first: programme.start,
        months: programme.horizon_months.get(),
    };
    axis.draw(area, &plot, ty, currency)?;
    months.draw(area, &plot, ty, false)?;

    if present.is_empty() {
        let style = text_style(
            ty.subtitle,
            palette::MUTED_TEXT,
            false,
            HPos::Center,
            VPos::Center,
        );
        canvas::text(
            area,
            "No costs fall in the horizon",
            ((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2),
            &style,
        )?;
    }
    for (i, (month, _)) in outcome.coverage.iter().enumerate() {
        let x0 = months.x(&plot, i as f64 + 0.12);
        let x1 = months.x(&plot, i as f64 + 0.88).max(x0 + 1);
        let mut running = Decimal::ZERO;
        for category in &present {
            let Some(amount) = cells.get(&(*month, *category)) else {
                continue;
            };
            let bottom = axis.y(&plot, canvas::to_f64(running));
            running += *amount;
            let top = axis.y(&plot, canvas::to_f64(running));
            if top < bottom {
                area.draw(&Rectangle::new(
                    [(x0, top), (x1, bottom)],
                    palette::category(*category).filled(),
                ))?;
            }
        }
    }
    page.draw_legend(area, ty, &legend)
}
