//! certplan: plans ISO/IEC 27001 certification and SOC 2 attestation programmes month by month.
//!
//! scenario file --load--> `Scenario` --project--> `Schedule` --price--> `Ledger` --render--> outputs
//!
//! The folders are the floors of that pipeline; each imports only the ones listed before it.

pub mod cli;
pub mod costing;
pub mod cycle;
pub mod decision;
pub mod render;
pub mod scenario;
pub mod vocabulary;
