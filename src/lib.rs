//! certplan: plans ISO/IEC 27001 certification and SOC 2 attestation programmes month by month.
//!
//! scenario file --load--> `Scenario` --project--> `Schedule` --price--> `Ledger` --render--> outputs

pub mod audit_time;
pub mod category;
pub mod currency;
pub mod error;
pub mod fiscal_year;
pub mod framework;
pub mod inputs;
pub mod money;
pub mod scenario;
pub mod year_month;
pub mod certification_cycle;
pub mod schedule;
pub mod attestation_period;
