//! Integration tests: one binary that links once (see `just`).

mod bad_input;
mod business;
mod charts;
mod cli;
mod common;
mod compare;
mod conventions;
mod docs;
mod fuzz;
mod properties;
mod report_browser;
mod risk;
mod safety;
mod schema;
mod snapshots;
mod tracking;
mod workbook;
