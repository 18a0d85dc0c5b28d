//! Drawing primitives shared by the charts: text that is measured before it is placed, money
//! and month axes, and a legend that wraps into rows.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::palette;
use crate::vocabulary::currency::Currency;
use crate::vocabulary::money::display_compact;
use crate::vocabulary::year_month::YearMonth;

pub type Area<DB> = DrawingArea<DB, Shift>;
pub type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The family the embedded font is registered under (and what SVG viewers fall back to).
pub const FAMILY: &str = "sans-serif";

/// Text sizes in pixels, scaled with the chart's height (900 px is the reference).
#[derive(Copy, Clone, Debug)]
pub struct Type {
    pub title: f64,
    pub subtitle: f64,
    pub label: f64,
    pub small: f64,
}

impl Type {
    pub fn for_height(height: u32) -> Self {
        let scale = (f64::from(height) / 900.0).clamp(0.5, 3.0);
        Type {
            title: 30.0 * scale,
            subtitle: 18.0 * scale,
            label: 16.0 * scale,
            small: 14.0 * scale,
        }
    }
}

pub fn text_style(size: f64, color: RGBColor, bold: bool, h: HPos, v: VPos) -> TextStyle<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    TextStyle {
        font: FontDesc::new(FontFamily::Name(FAMILY), size, style),
        color: color.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// Width and height of `text` in pixels as it will be drawn.
pub fn measure<DB: DrawingBackend>(area: &Area<DB>, text: &str, style: &TextStyle) -> (i32, i32) {
    area.estimate_text_size(text, style)
        .map(|(w, h)| (w as i32, h as i32))
        .unwrap_or((
            text.chars().count() as i32 * style.font.get_size() as i32 / 2,
            style.font.get_size() as i32,
        ))
}

/// `text` shortened with an ellipsis in the middle so that it is at most `max_width` pixels
/// wide: names that differ only at the end ("plan-a-…-1", "plan-a-…-2") stay apart.
pub fn fit<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    style: &TextStyle,
    max_width: i32,
) -> String {
    if measure(area, text, style).0 <= max_width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let keep = |k: usize| -> String {
        let head = (k * 3).div_ceil(5);
        let tail = k - head;
        let mut short: String = chars[..head].iter().collect();
        short.push('…');
        short.extend(&chars[chars.len() - tail..]);
        short
    };
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if measure(area, &keep(mid), style).0 <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    keep(lo)
}

pub fn text<DB: DrawingBackend>(
    area: &Area<DB>,
    content: &str,
    at: (i32, i32),
    style: &TextStyle,
) -> Drawn<DB> {
    area.draw(&Text::new(content.to_string(), at, style.clone()))
}

/// Title and subtitle at the top; returns the y below them.
pub fn heading<DB: DrawingBackend>(
    area: &Area<DB>,
    ty: Type,
    title: &str,
    subtitle: &str,
    margin: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, _) = area.dim_in_pixel();
    let max = width as i32 - 2 * margin;
    let t = text_style(ty.title, palette::TEXT, true, HPos::Left, VPos::Top);
    let s = text_style(
        ty.subtitle,
        palette::MUTED_TEXT,
        false,
        HPos::Left,
        VPos::Top,
    );
    let title = fit(area, title, &t, max);
    let subtitle = fit(area, subtitle, &s, max);
    text(area, &title, (margin, margin), &t)?;
    let y = margin + measure(area, &title, &t).1 + (ty.subtitle * 0.4) as i32;
    text(area, &subtitle, (margin, y), &s)?;
    Ok(y + measure(area, &subtitle, &s).1 + (ty.subtitle * 0.8) as i32)
}

/// Pixel rectangle of the plotting region.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Plot {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Plot {
    pub fn width(&self) -> i32 {
        self.right - self.left
    }
    pub fn height(&self) -> i32 {
        self.bottom - self.top
    }
}

/// A value axis from 0 to a round maximum, for money.
#[derive(Copy, Clone, Debug)]
pub struct MoneyAxis {
    /// Zero, or below it for an axis of net positions.
    pub min: f64,
    pub max: f64,
    pub step: f64,
}

/// 1, 2, 2.5 or 5 × 10^k at or above `raw`.
fn nice_step(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
}

impl MoneyAxis {
    /// An axis from 0 that holds `max_value` with about five gridlines.
    pub fn holding(max_value: f64) -> Self {
        let step = nice_step(max_value.max(1.0) / 5.0);
        let max = (max_value / step).ceil().max(1.0) * step;
        MoneyAxis {
            min: 0.0,
            max,
            step,
        }
    }

    /// An axis that holds `min_value` (at or below zero) to `max_value` (at or above zero),
    /// with about five gridlines, zero among them.
    pub fn spanning(min_value: f64, max_value: f64) -> Self {
        let (low, high) = (min_value.min(0.0), max_value.max(0.0));
        let step = nice_step((high - low).max(1.0) / 5.0);
        let min = (low / step).floor() * step;
        let max = ((high / step).ceil() * step).max(min + step);
        MoneyAxis { min, max, step }
    }

    pub fn y(&self, plot: &Plot, value: f64) -> i32 {
        plot.bottom
            - (f64::from(plot.height()) * ((value - self.min) / (self.max - self.min))).round()
                as i32
    }

    /// The widest tick label, for the left margin.
    pub fn label_width<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        ty: Type,
        currency: Currency,
    ) -> i32 {
        self.ticks()
            .map(|v| {
                measure(
                    area,
                    &money_label(v, currency),
                    &text_style(ty.small, palette::TEXT, false, HPos::Right, VPos::Center),
                )
                .0
            })
            .max()
            .unwrap_or(0)
    }

    pub fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let first = (self.min / self.step).round() as i64;
        let last = (self.max / self.step).round() as i64;
        (first..=last).map(move |i| i as f64 * self.step)
    }

    /// Gridlines and labels on the left of the plot.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        plot: &Plot,
        ty: Type,
        currency: Currency,
    ) -> Drawn<DB> {
        let style = text_style(ty.small, palette::TEXT, false, HPos::Right, VPos::Center);
        for value in self.ticks() {
            let y = self.y(plot, value);
            let color = if value == 0.0 {
                palette::AXIS
            } else {
                palette::GRID
            };
            area.draw(&PathElement::new(
                vec![(plot.left, y), (plot.right, y)],
                color.stroke_width(1),
            ))?;
            text(
                area,
                &money_label(value, currency),
                (plot.left - 8, y),
                &style,
            )?;
        }
        Ok(())
    }
}

pub fn money_label(value: f64, currency: Currency) -> String {
    let decimal = Decimal::from_f64_retain(value).unwrap_or_default();
    display_compact(decimal, currency)
}

pub fn to_f64(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

/// A time axis of whole months.
#[derive(Copy, Clone, Debug)]
pub struct MonthAxis {
    pub first: YearMonth,
    pub months: u32,
}

impl MonthAxis {
    /// x of the start of month `index` (0 = first month); `index` may be fractional.
    pub fn x(&self, plot: &Plot, index: f64) -> i32 {
        plot.left + (f64::from(plot.width()) * index / f64::from(self.months)).round() as i32
    }

    /// x of a date: its month plus the fraction of the month elapsed.
    pub fn x_of_date(&self, plot: &Plot, date: chrono::NaiveDate) -> i32 {
        use chrono::Datelike;
        let month = YearMonth::of(date);
        let days = f64::from(month.last_day().day());
        let index = self.first.months_until(month) as f64 + f64::from(date.day() - 1) / days;
        self.x(plot, index.clamp(0.0, f64::from(self.months)))
    }

    /// Month ticks ("Jan 2027") every 1, 2, 3, 6, 12 or 24 months, as often as labels fit.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        plot: &Plot,
        ty: Type,
        grid: bool,
    ) -> Drawn<DB> {
        let style = text_style(ty.small, palette::TEXT, false, HPos::Center, VPos::Top);
        let sample = measure(area, "Sep 2027", &style).0 + 14;
        let per_month = f64::from(plot.width()) / f64::from(self.months.max(1));
        let step = [1u32, 2, 3, 6, 12, 24]
            .into_iter()
            .find(|s| per_month * f64::from(*s) >= f64::from(sample))
            .unwrap_or(24);
        area.draw(&PathElement::new(
            vec![(plot.left, plot.bottom), (plot.right, plot.bottom)],
            palette::AXIS.stroke_width(1),
        ))?;
        for i in 0..=self.months {
            let month = self.first.plus(i64::from(i));
            // Align ticks to calendar quarters, halves and years where the step allows.
            if !(month.month() - 1).is_multiple_of(step.min(12))
                || (step == 24 && month.year() % 2 != 0)
            {
                continue;
            }
            let x = self.x(plot, f64::from(i));
            if grid {
                area.draw(&PathElement::new(
                    vec![(x, plot.top), (x, plot.bottom)],
                    palette::GRID.stroke_width(1),
                ))?;
            }
            area.draw(&PathElement::new(
                vec![(x, plot.bottom), (x, plot.bottom + 5)],
                palette::AXIS.stroke_width(1),
            ))?;
            if i < self.months {
                text(area, &month_label(month), (x, plot.bottom + 8), &style)?;
            }
        }
        Ok(())
    }
}

/// "Jan 2027": a month no reader takes for a day.
pub fn month_label(month: YearMonth) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {}", NAMES[(month.month() - 1) as usize], month.year())
}

/// A date management set (a requirement's deadline), drawn as a dashed line with its label.
#[derive(Clone, Debug)]
pub struct Deadline {
    pub date: chrono::NaiveDate,
    pub label: String,
    /// The framework whose milestone the deadline is for.
    pub framework: crate::vocabulary::framework::Framework,
}

/// The requirement deadlines that fall inside the horizon, in date order.
pub fn deadlines(scenario: &crate::scenario::Scenario) -> Vec<Deadline> {
    let r = &scenario.requirements;
    let first = scenario.programme.start.first_day();
    let last = scenario.programme.last_month().last_day();
    use crate::vocabulary::framework::Framework;
    let mut out: Vec<Deadline> = [
        (
            r.iso_certificate_by,
            "ISO/IEC 27001 certificate by",
            Framework::Iso27001,
        ),
        (r.soc2_type1_report_by, "SOC 2 Type I by", Framework::Soc2),
        (r.soc2_type2_report_by, "SOC 2 Type II by", Framework::Soc2),
    ]
    .into_iter()
    .filter_map(|(date, what, framework)| {
        date.map(|d| Deadline {
            date: d.0,
            label: format!("{what} {}", d.0.format("%Y-%m-%d")),
            framework,
        })
    })
    .filter(|d| d.date >= first && d.date <= last)
    .collect();
    out.sort_by_key(|d| d.date);
    out
}

/// Height of the band that [`draw_deadlines`] needs above a plot to label `count` deadlines
/// stacked (the most it can need).
pub fn deadline_band<DB: DrawingBackend>(area: &Area<DB>, ty: Type, count: usize) -> i32 {
    let style = text_style(ty.small, palette::DEADLINE, true, HPos::Left, VPos::Top);
    (measure(area, "Ag", &style).1 + 6) * count as i32
}

/// Dashed vertical lines at each deadline across `plot`, each labelled on a white box, stacked
/// from `labels_top` down so that labels never overlap (inside the plot, or in a band above it).
pub fn draw_deadlines<DB: DrawingBackend>(
    area: &Area<DB>,
    plot: &Plot,
    months: &MonthAxis,
    ty: Type,
    deadlines: &[Deadline],
    labels_top: i32,
) -> Drawn<DB> {
    let style = text_style(ty.small, palette::DEADLINE, true, HPos::Left, VPos::Top);
    let mut placed: Vec<(i32, i32, i32)> = Vec::new();
    for d in deadlines {
        let x = months.x_of_date(plot, d.date);
        let mut y = labels_top.min(plot.top);
        while y < plot.bottom {
            let end = (y + 10).min(plot.bottom);
            area.draw(&PathElement::new(
                vec![(x, y), (x, end)],
                palette::DEADLINE.stroke_width(2),
            ))?;
            y += 16;
        }
        let (w, h) = measure(area, &d.label, &style);
        // Left of the line when there is no room to its right.
        let left = if x + 6 + w <= plot.right {
            x + 6
        } else {
            (x - 6 - w).max(plot.left)
        };
        let mut top = labels_top;
        while placed
            .iter()
            .any(|&(l, r, t)| left < r && l < left + w && top < t + h + 4 && t < top + h + 4)
        {
            top += h + 6;
        }
        placed.push((left, left + w, top));
        area.draw(&Rectangle::new(
            [(left - 3, top - 2), (left + w + 3, top + h + 2)],
            palette::BACKGROUND.mix(0.9).filled(),
        ))?;
        text(area, &d.label, (left, top), &style)?;
    }
    Ok(())
}

/// How a legend entry's key is drawn.
#[derive(Copy, Clone, Debug)]
pub enum Key {
    Box(RGBColor),
    Marker(Marker, RGBColor),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Marker {
    Diamond,
    Circle,
    Triangle,
    Square,
    /// A triangle pointing down: a booking, the action that a later audit needs.
    Booking,
}

pub fn draw_marker<DB: DrawingBackend>(
    area: &Area<DB>,
    marker: Marker,
    (x, y): (i32, i32),
    r: i32,
    color: RGBColor,
) -> Drawn<DB> {
    let fill = color.filled();
    let outline = palette::BACKGROUND.stroke_width(2);
    let points = match marker {
        Marker::Diamond => vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
        Marker::Triangle => vec![(x, y - r), (x + r, y + r), (x - r, y + r)],
        Marker::Booking => vec![(x - r, y - r), (x + r, y - r), (x, y + r)],
        Marker::Square => vec![
            (x - r, y - r),
            (x + r, y - r),
            (x + r, y + r),
            (x - r, y + r),
        ],
        Marker::Circle => {
            area.draw(&Circle::new((x, y), r, fill))?;
            return area.draw(&Circle::new((x, y), r, outline));
        }
    };
    area.draw(&Polygon::new(points.clone(), fill))?;
    let mut closed = points;
    closed.push(closed[0]);
    area.draw(&PathElement::new(closed, outline))
}

/// A legend laid out left to right, wrapping into rows that fit `width`.
pub struct Legend {
    pub entries: Vec<(Key, String)>,
}

/// Where each legend entry goes: (key x, row y, label).
struct Placed {
    x: i32,
    y: i32,
    label: String,
}

impl Legend {
    fn layout<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        ty: Type,
        left: i32,
        width: i32,
    ) -> (Vec<Placed>, i32) {
        let style = text_style(ty.label, palette::TEXT, false, HPos::Left, VPos::Center);
        let key = (ty.label * 1.4) as i32;
        let gap = (ty.label * 1.6) as i32;
        let row_height = (ty.label * 1.8) as i32;
        let max_label = (width - key - 8).clamp(40, 420);
        let (mut x, mut y) = (left, 0);
        let mut placed = Vec::new();
        for (_, label) in &self.entries {
            let label = fit(area, label, &style, max_label);
            let w = key + 8 + measure(area, &label, &style).0;
            if x > left && x + w > left + width {
                x = left;
                y += row_height;
            }
            placed.push(Placed { x, y, label });
            x += w + gap;
        }
        let height = if self.entries.is_empty() {
            0
        } else {
            y + row_height
        };
        (placed, height)
    }

    /// Height the legend takes when laid out in `width` pixels.
    pub fn height<DB: DrawingBackend>(&self, area: &Area<DB>, ty: Type, width: i32) -> i32 {
        self.layout(area, ty, 0, width).1
    }

    /// Draws the legend with its top-left corner at (`left`, `top`).
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        ty: Type,
        left: i32,
        top: i32,
        width: i32,
    ) -> Drawn<DB> {
        let style = text_style(ty.label, palette::TEXT, false, HPos::Left, VPos::Center);
        let key = (ty.label * 1.4) as i32;
        let (placed, _) = self.layout(area, ty, left, width);
        for ((k, _), p) in self.entries.iter().zip(placed) {
            let cy = top + p.y + (ty.label * 0.9) as i32;
            match *k {
                Key::Box(c) => area.draw(&Rectangle::new(
                    [(p.x, cy - key / 2), (p.x + key, cy + key / 2)],
                    c.filled(),
                ))?,
                Key::Marker(m, c) => draw_marker(area, m, (p.x + key / 2, cy), key / 2, c)?,
            }
            text(area, &p.label, (p.x + key + 8, cy), &style)?;
        }
        Ok(())
    }
}

/// Bounding boxes of a legend's entries, for tests of its layout.
#[cfg(test)]
pub fn legend_boxes<DB: DrawingBackend>(
    legend: &Legend,
    area: &Area<DB>,
    ty: Type,
    width: i32,
) -> Vec<(i32, i32, i32, i32)> {
    let style = text_style(ty.label, palette::TEXT, false, HPos::Left, VPos::Center);
    let key = (ty.label * 1.4) as i32;
    let row = (ty.label * 1.8) as i32;
    legend
        .layout(area, ty, 0, width)
        .0
        .into_iter()
        .map(|p| {
            (
                p.x,
                p.y,
                p.x + key + 8 + measure(area, &p.label, &style).0,
                p.y + row,
            )
        })
        .collect()
}

/// The frame the bar and line charts share: the heading at the top, the legend at the bottom,
/// axis labels above the legend, and the plot in between.
pub struct Page {
    pub width: i32,
    pub margin: i32,
    plot_top: i32,
    plot_bottom: i32,
    legend_top: i32,
}

impl Page {
    /// Draws the heading and reserves room for `legend` and one row of axis labels.
    pub fn new<DB: DrawingBackend>(
        area: &Area<DB>,
        ty: Type,
        title: &str,
        subtitle: &str,
        legend: &Legend,
    ) -> Result<Page, DrawingAreaErrorKind<DB::ErrorType>> {
        let (width, height) = area.dim_in_pixel();
        let (width, height) = (width as i32, height as i32);
        let margin = Page::margin(ty);
        let top = heading(area, ty, title, subtitle, margin)?;
        let legend_top = height - margin - legend.height(area, ty, width - 2 * margin);
        let axis_labels = measure(
            area,
            "Jan 27",
            &text_style(ty.label, palette::TEXT, false, HPos::Center, VPos::Top),
        )
        .1;
        Ok(Page {
            width,
            margin,
            plot_top: top + (ty.label * 0.5) as i32,
            plot_bottom: legend_top - axis_labels - (ty.label * 1.5) as i32,
            legend_top,
        })
    }

    /// White space around the chart.
    pub fn margin(ty: Type) -> i32 {
        (ty.label * 2.2) as i32
    }

    /// The plot, leaving `left` pixels for value labels and `right` for line labels.
    pub fn plot(&self, left: i32, right: i32) -> Plot {
        Plot {
            left: self.margin + left,
            top: self.plot_top,
            right: self.width - self.margin - right,
            bottom: self.plot_bottom,
        }
    }

    pub fn draw_legend<DB: DrawingBackend>(
        &self,
        area: &Area<DB>,
        ty: Type,
        legend: &Legend,
    ) -> Drawn<DB> {
        legend.draw(
            area,
            ty,
            self.margin,
            self.legend_top,
            self.width - 2 * self.margin,
        )
    }
}

/// Labels at the right end of each plan's line, each `(y of the line's end, plan index)`,
/// pushed apart so that none overlap, with a short stroke of the plan's colour as its key.
pub fn draw_end_labels<DB: DrawingBackend>(
    area: &Area<DB>,
    plot: &Plot,
    mut ends: Vec<(i32, usize)>,
    labels: &[String],
    key: i32,
    label_style: &TextStyle,
) -> Drawn<DB> {
    ends.sort();
    let line_height = measure(area, "Ag", label_style).1 + 6;
    let mut placed: Vec<(i32, usize)> = Vec::new();
    for (y, i) in ends {
        let y = placed
            .last()
            .map_or(y, |(prev, _)| y.max(prev + line_height));
        placed.push((y, i));
    }
    let overflow = placed
        .last()
        .map_or(0, |(y, _)| (y + line_height / 2 - plot.bottom).max(0));
    for (y, i) in placed {
        let y = (y - overflow).max(plot.top);
        let x = plot.right + 12;
        area.draw(&PathElement::new(
            vec![(x, y), (x + key, y)],
            palette::plan(i).stroke_width(4),
        ))?;
        text(area, &labels[i], (x + key + 6, y), label_style)?;
    }
    Ok(())
}

/// The label at the right end of each plan's line: its name, shortened to fit `room` beside the
/// amount the line ends at; and the widest label, for the right margin.
pub fn end_labels<'n, DB: DrawingBackend>(
    area: &Area<DB>,
    ends: impl Iterator<Item = (&'n str, String)>,
    style: &TextStyle,
    room: i32,
) -> (Vec<String>, i32) {
    let labels: Vec<String> = ends
        .map(|(name, amount)| {
            let name = fit(
                area,
                name,
                style,
                room - measure(area, &amount, style).0 - 30,
            );
            format!("{name} {amount}")
        })
        .collect();
    let widest = labels
        .iter()
        .map(|l| measure(area, l, style).0)
        .max()
        .unwrap_or(0);
    (labels, widest)
}

/// A cumulative line: from zero at the start of the first month to each month's end value.
pub fn cumulative_points(
    months: &MonthAxis,
    plot: &Plot,
    axis: &MoneyAxis,
    values: &[Decimal],
) -> Vec<(i32, i32)> {
    let mut points = vec![(months.x(plot, 0.0), axis.y(plot, 0.0))];
    for (m, value) in values.iter().enumerate() {
        points.push((months.x(plot, (m + 1) as f64), axis.y(plot, to_f64(*value))));
    }
    points
}
