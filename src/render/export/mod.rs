//! Renderers: each output format turns the projected plans into the bytes of one file.

pub mod comparison_csv;
pub mod comparison_json;
pub mod comparison_text;
pub mod csv_tables;
pub mod report_html;
pub mod risk_json;
pub mod risk_tables;
pub mod variance_csv;
pub mod workbook;

use crate::decision::projection::PlanOutcome;
use crate::scenario::Scenario;

/// An output file: its name in the output folder and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What every renderer reads: the scenario and its projected plans.
#[derive(Copy, Clone)]
pub struct Projected<'a> {
    pub scenario: &'a Scenario,
    pub plans: &'a [PlanOutcome],
}
