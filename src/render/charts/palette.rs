//! Colours, each with one meaning across every chart. Colour-blind safe palettes: Okabe–Ito for
//! frameworks and warnings, Paul Tol's "muted" (plus two of "light") for categories, Tol's
//! "bright" for plans.

use plotters::style::RGBColor;

use crate::vocabulary::category::Category;
use crate::vocabulary::framework::Framework;

pub const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub const MUTED_TEXT: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
pub const AXIS: RGBColor = RGBColor(0x88, 0x88, 0x88);
pub const BACKGROUND: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
/// Lapses, suspensions, withdrawals and coverage gaps.
pub const WARNING: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// Bridge letters: coverage by management's word, not an auditor's.
/// Requirement deadlines and budget caps: a dark red that stays apart from the plan colours.
pub const DEADLINE: RGBColor = RGBColor(0xA5, 0x0F, 0x15);
pub const BRIDGE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);

pub fn framework(f: Framework) -> RGBColor {
    match f {
        Framework::Iso27001 => RGBColor(0x00, 0x72, 0xB2),
        Framework::Soc2 => RGBColor(0x00, 0x9E, 0x73),
    }
}

/// A lighter tint of `c` (`amount` 0 = c, 1 = white), for phases.
pub fn tint(c: RGBColor, percent_white: u8) -> RGBColor {
    let mix = |v: u8| -> u8 {
        let w = u16::from(percent_white.min(100));
        ((u16::from(v) * (100 - w) + 255 * w) / 100) as u8
    };
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

pub fn category(c: Category) -> RGBColor {
    match c {
        Category::AuditFees => RGBColor(0x33, 0x22, 0x88),
        Category::FeesAndTravel => RGBColor(0x88, 0xCC, 0xEE),
        Category::ReadinessConsulting => RGBColor(0x44, 0xAA, 0x99),
        Category::Remediation => RGBColor(0x11, 0x77, 0x33),
        Category::Platform => RGBColor(0x99, 0x99, 0x33),
        Category::InternalStaff => RGBColor(0xDD, 0xCC, 0x77),
        Category::PenetrationTest => RGBColor(0xCC, 0x66, 0x77),
        Category::InternalAudit => RGBColor(0x88, 0x22, 0x55),
        Category::ManagementReview => RGBColor(0xAA, 0x44, 0x99),
        Category::RiskAssessment => RGBColor(0xBB, 0xBB, 0xBB),
        Category::Training => RGBColor(0xEE, 0x88, 0x66),
        Category::Contingency => RGBColor(0x44, 0x44, 0x44),
    }
}

const PLANS: [RGBColor; 8] = [
    RGBColor(0x44, 0x77, 0xAA),
    RGBColor(0xEE, 0x66, 0x77),
    RGBColor(0x22, 0x88, 0x33),
    RGBColor(0xCC, 0xBB, 0x44),
    RGBColor(0x66, 0xCC, 0xEE),
    RGBColor(0xAA, 0x33, 0x77),
    RGBColor(0x77, 0x77, 0x77),
    RGBColor(0x00, 0x00, 0x00),
];

/// The colour of the plan at `index` in the scenario: the same in every chart.
pub fn plan(index: usize) -> RGBColor {
    PLANS[index % PLANS.len()]
}
