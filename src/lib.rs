//! certplan: plans ISO/IEC 27001 certification and SOC 2 attestation programmes month by month.
//!
//! scenario file --load--> `Scenario` --project--> `Schedule` --price--> `Ledger` --render--> outputs

pub mod assumptions;
pub mod attestation_period;
pub mod audit_time;
pub mod business_case;
pub mod category;
pub mod certification_cycle;
pub mod charts;
pub mod commands;
pub mod comparison;
pub mod coverage;
pub mod currency;
pub mod demand;
pub mod error;
pub mod export;
pub mod finance;
pub mod fiscal_year;
pub mod framework;
pub mod inputs;
pub mod ledger;
pub mod money;
pub mod monte_carlo;
pub mod output_folder;
pub mod portfolio;
pub mod present_value;
pub mod pricing;
pub mod projection;
pub mod requirement;
pub mod risk;
pub mod risk_analysis;
pub mod scenario;
pub mod schedule;
pub mod schema;
pub mod terminal;
pub mod text;
pub mod uncertainty;
pub mod working_days;
pub mod year_month;
