//! Integration tests: one binary that links once (see `just`).

mod bad_input;
mod bookings;
mod business;
mod charts;
mod cli;
mod common;
mod compare;
mod conventions;
mod conventions_finance;
mod deals;
mod decision;
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
