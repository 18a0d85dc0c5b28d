//! A plan's timeline: one lane per framework, the work on one row (phases, audits, decisions,
//! observation windows) and the assurance on the next (certificate validity, report currency,
//! bridge letters), with lapses, suspensions and coverage gaps in the warning colour.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    self, Area, Drawn, Key, Legend, Marker, MonthAxis, Page, Plot, Type, measure, text_style,
};
use super::palette;
use crate::cycle::schedule::{Event, EventKind};
use crate::decision::projection::PlanOutcome;
use crate::render::export::Projected;
use crate::vocabulary::framework::Framework;

/// Legend entries for what the timeline shows, and nothing else.
fn legend_for(outcome: &PlanOutcome, frameworks: &[Framework]) -> Legend {
    let has = |kind: EventKind| outcome.schedule.events.iter().any(|e| e.kind == kind);
    let iso = frameworks.contains(&Framework::Iso27001);
    let soc2 = frameworks.contains(&Framework::Soc2);
    let iso_color = palette::framework(Framework::Iso27001);
    let soc2_color = palette::framework(Framework::Soc2);
    let warning =
        has(EventKind::Lapse) || has(EventKind::Suspension) || has(EventKind::CoverageGap);
    let candidates = [
        (
            iso && has(EventKind::Implementation),
            Key::Box(palette::tint(iso_color, 60)),
            "ISO build and operation",
        ),
        (
            iso && has(EventKind::Certificate),
            Key::Box(iso_color),
            "Certificate valid",
        ),
        (
            soc2 && (has(EventKind::Readiness) || has(EventKind::ObservationWindow)),
            Key::Box(palette::tint(soc2_color, 60)),
            "Readiness, observation windows",
        ),
        (
            soc2 && has(EventKind::ReportCurrent),
            Key::Box(soc2_color),
            "Report current",
        ),
        (
            has(EventKind::BridgeLetter),
            Key::Box(palette::BRIDGE),
            "Bridge letter",
        ),
        (
            warning,
            Key::Box(palette::WARNING),
            "Lapse, suspension, coverage gap",
        ),
        (
            has(EventKind::BookCertificationBody) || has(EventKind::EngageCpaFirm),
            Key::Marker(Marker::Booking, palette::MUTED_TEXT),
            "Book the auditor",
        ),
        (
            has(EventKind::Stage1Audit),
            Key::Marker(Marker::Triangle, palette::TEXT),
            "External audit",
        ),
        (
            has(EventKind::CertificationDecision),
            Key::Marker(Marker::Diamond, palette::TEXT),
            "Certification decision",
        ),
        (
            has(EventKind::Withdrawal),
            Key::Marker(Marker::Diamond, palette::WARNING),
            "Withdrawal",
        ),
        (
            has(EventKind::Type1Report),
            Key::Marker(Marker::Square, palette::TEXT),
            "Type I report",
        ),
        (
            has(EventKind::Type2Report),
            Key::Marker(Marker::Circle, palette::TEXT),
            "Type II report",
        ),
    ];
    Legend {
        entries: candidates
            .into_iter()
            .filter(|(shown, _, _)| *shown)
            .map(|(_, key, label)| (key, label.to_string()))
            .collect(),
    }
}

pub fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    p: Projected,
    outcome: &PlanOutcome,
    ty: Type,
) -> Drawn<DB> {
    let programme = &p.scenario.programme;
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    let margin = Page::margin(ty);
    let frameworks: Vec<Framework> = outcome
        .plan
        .frameworks
        .iter()
        .map(|f| f.framework)
        .collect();
    let described = if outcome.plan.description.is_empty() {
        outcome
            .plan
            .frameworks
            .iter()
            .map(|f| match f.start_offset_months {
                0 => f.framework.label().to_string(),
                n => format!("{} from month {}", f.framework.label(), n + 1),
            })
            .collect::<Vec<_>>()
            .join(" + ")
    } else {
        outcome.plan.description.clone()
    };
    let top = canvas::heading(
        area,
        ty,
        &format!("Timeline: {}", outcome.plan.name),
        &format!("{} · {}", programme.name, described),
        margin,
    )?;

    let legend = legend_for(outcome, &frameworks);
    let legend_height = legend.height(area, ty, width - 2 * margin);
    let lane_style = text_style(ty.label, palette::TEXT, true, HPos::Left, VPos::Center);
    let row_style = text_style(
        ty.small,
        palette::MUTED_TEXT,
        false,
        HPos::Left,
        VPos::Center,
    );
    let lane_width = frameworks
        .iter()
        .map(|f| measure(area, f.label(), &lane_style).0)
        .chain([measure(area, "Assurance", &row_style).0])
        .max()
        .unwrap_or(0);
    let month_label_height = measure(
        area,
        "Jan 2027",
        &text_style(ty.small, palette::TEXT, false, HPos::Center, VPos::Top),
    )
    .1;
    let deadlines: Vec<canvas::Deadline> = canvas::deadlines(p.scenario)
        .into_iter()
        .filter(|d| frameworks.contains(&d.framework))
        .collect();
    // Deadlines are labelled in a band above the lanes, so that no label hides a marker.
    let band_top = top + (ty.label * 0.5) as i32;
    let band = canvas::deadline_band(area, ty, deadlines.len());
    let rows = (frameworks.len() * 2).max(1) as i32;
    let lane_gap = (ty.label * 1.2) as i32;
    let plot_top = band_top + band;
    let available =
        height - margin - legend_height - month_label_height - (ty.label * 1.5) as i32 - plot_top;
    let gaps = lane_gap * (frameworks.len() as i32 - 1).max(0);
    let row_height = ((available - gaps) / rows).min((ty.label * 10.0) as i32);
    // The axis sits right under the lanes and the legend right under the axis.
    let plot = Plot {
        left: margin + lane_width + 20,
        top: plot_top,
        right: width - margin,
        bottom: plot_top + rows * row_height + gaps,
    };
    let legend_top = plot.bottom + month_label_height + (ty.label * 1.5) as i32;
    let months = MonthAxis {
        first: programme.start,
        months: programme.horizon_months.get(),
    };
    let lane_top = |lane: usize| plot.top + lane as i32 * (2 * row_height + lane_gap);
    for lane in 0..frameworks.len() {
        let top = lane_top(lane);
        area.draw(&Rectangle::new(
            [(plot.left, top), (plot.right, top + 2 * row_height)],
            RGBColor(0xF6, 0xF6, 0xF6).filled(),
        ))?;
    }
    months.draw(area, &plot, ty, true)?;

    let bar_label = text_style(
        ty.small,
        palette::BACKGROUND,
        true,
        HPos::Center,
        VPos::Center,
    );
    let dark_label = text_style(ty.small, palette::TEXT, false, HPos::Center, VPos::Center);
    let span = |e: &Event| {
        (
            months.x_of_date(&plot, e.start),
            months.x_of_date(&plot, crate::vocabulary::year_month::add_days(e.end, 1)),
        )
    };
    let band =
        |area: &Area<DB>, (x0, x1): (i32, i32), y0: i32, y1: i32, color: RGBColor| -> Drawn<DB> {
            if x1 > x0 {
                area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))?;
            }
            Ok(())
        };
    // A label inside a bar when it fits.
    let inside = |area: &Area<DB>,
                  (x0, x1): (i32, i32),
                  y: i32,
                  label: &str,
                  style: &TextStyle|
     -> Drawn<DB> {
        if measure(area, label, style).0 + 8 <= x1 - x0 {
            canvas::text(area, label, ((x0 + x1) / 2, y), style)?;
        }
        Ok(())
    };

    for (lane, framework) in frameworks.iter().enumerate() {
        let color = palette::framework(*framework);
        let lane_top = lane_top(lane);
        let work = (lane_top + 4, lane_top + row_height - 4);
        let assurance = (lane_top + row_height + 4, lane_top + 2 * row_height - 4);
        canvas::text(
            area,
            framework.label(),
            (margin, lane_top + row_height / 2 - (ty.small * 0.6) as i32),
            &lane_style,
        )?;
        canvas::text(
            area,
            "Work",
            (margin, lane_top + row_height / 2 + (ty.label * 0.7) as i32),
            &row_style,
        )?;
        canvas::text(
            area,
            "Assurance",
            (margin, lane_top + row_height + row_height / 2),
            &row_style,
        )?;
        let mid = |(a, b): (i32, i32)| (a + b) / 2;
        let events: Vec<&Event> = outcome
            .schedule
            .events
            .iter()
            .filter(|e| e.framework == *framework)
            .collect();
        if events.is_empty() {
            let start = outcome
                .plan
                .frameworks
                .iter()
                .find(|f| f.framework == *framework)
                .map_or(programme.start, |f| {
                    programme.start.plus(i64::from(f.start_offset_months))
                });
            let note = text_style(
                ty.label,
                palette::MUTED_TEXT,
                false,
                HPos::Center,
                VPos::Center,
            );
            let message = format!(
                "{} starts in {start}, after the horizon: nothing to show",
                framework.label()
            );
            canvas::text(
                area,
                &message,
                ((plot.left + plot.right) / 2, lane_top + row_height),
                &note,
            )?;
            continue;
        }

        // Work row: phases and windows.
        for e in &events {
            let (tint, label) = match e.kind {
                EventKind::GapAssessment => (75, "Gap"),
                EventKind::Implementation => (55, "Implementation"),
                EventKind::IsmsOperation => (35, "Operation"),
                EventKind::Readiness => (70, "Readiness"),
                EventKind::ObservationWindow => (if e.cycle % 2 == 1 { 45 } else { 62 }, ""),
                _ => continue,
            };
            let s = span(e);
            band(area, s, work.0, work.1, palette::tint(color, tint))?;
            let text = if e.kind == EventKind::ObservationWindow {
                format!("Window {}", e.cycle)
            } else {
                label.to_string()
            };
            inside(area, s, mid(work), &text, &dark_label)?;
        }

        // Assurance row: validity and currency, then bridges and warnings on top.
        for e in &events {
            let s = span(e);
            match e.kind {
                EventKind::Certificate => {
                    band(area, s, assurance.0, assurance.1, color)?;
                    area.draw(&PathElement::new(
                        vec![(s.0, assurance.0), (s.0, assurance.1)],
                        palette::BACKGROUND.stroke_width(2),
                    ))?;
                    // The label goes where the certificate is not suspended or lapsed.
                    let hidden_from = events
                        .iter()
                        .filter(|w| matches!(w.kind, EventKind::Suspension | EventKind::Lapse))
                        .map(|w| span(w).0)
                        .filter(|x| *x > s.0 && *x < s.1)
                        .min()
                        .unwrap_or(s.1);
                    inside(
                        area,
                        (s.0, hidden_from),
                        mid(assurance),
                        &format!("Certificate {}", e.cycle),
                        &bar_label,
                    )?;
                }
                EventKind::ReportCurrent => band(area, s, assurance.0, assurance.1, color)?,
                _ => {}
            }
        }
        for e in &events {
            let s = span(e);
            match e.kind {
                EventKind::BridgeLetter => {
                    band(
                        area,
                        (s.0, s.1.max(s.0 + 2)),
                        assurance.0,
                        assurance.1,
                        palette::BRIDGE,
                    )?;
                }
                EventKind::CoverageGap | EventKind::Lapse | EventKind::Suspension => {
                    band(
                        area,
                        (s.0, s.1.max(s.0 + 2)),
                        assurance.0,
                        assurance.1,
                        palette::WARNING,
                    )?;
                    inside(area, s, mid(assurance), e.kind.label(), &bar_label)?;
                }
                _ => {}
            }
        }

        // Markers last, so that nothing hides them.
        let r = (ty.label * 0.5) as i32;
        for e in &events {
            let x = months.x_of_date(&plot, e.start);
            match e.kind {
                k if k.is_external_audit() => {
                    canvas::draw_marker(area, Marker::Triangle, (x, work.1 - r), r, palette::TEXT)?
                }
                // Bookings at the top of the work row, apart from the audits at its foot.
                EventKind::BookCertificationBody | EventKind::EngageCpaFirm => canvas::draw_marker(
                    area,
                    Marker::Booking,
                    (x, work.0 + r),
                    r,
                    palette::MUTED_TEXT,
                )?,
                EventKind::CertificationDecision | EventKind::RecertificationDecision => {
                    canvas::draw_marker(area, Marker::Diamond, (x, assurance.0), r, palette::TEXT)?
                }
                EventKind::Withdrawal => canvas::draw_marker(
                    area,
                    Marker::Diamond,
                    (x, assurance.0),
                    r,
                    palette::WARNING,
                )?,
                EventKind::Type1Report => {
                    canvas::draw_marker(area, Marker::Square, (x, assurance.0), r, palette::TEXT)?
                }
                EventKind::Type2Report => {
                    canvas::draw_marker(area, Marker::Circle, (x, assurance.0), r, palette::TEXT)?
                }
                _ => {}
            }
        }
    }
    canvas::draw_deadlines(area, &plot, &months, ty, &deadlines, band_top)?;
    legend.draw(area, ty, margin, legend_top, width - 2 * margin)
}
