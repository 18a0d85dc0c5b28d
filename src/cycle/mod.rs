//! The calendar of each framework: the ISO/IEC 27001 certification cycle, SOC 2 attestation
//! periods, the dated events they give, and the days a plan holds assurance.

pub mod attestation_period;
pub mod certification_cycle;
pub mod coverage;
pub mod schedule;
