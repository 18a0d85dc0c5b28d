//! What management decides on: each plan projected and priced, checked against the
//! requirements, compared, played through risk (Monte Carlo), and weighed against the business
//! it unlocks.

pub mod board;
pub mod business_case;
pub mod comparison;
pub mod levers;
pub mod monte_carlo;
pub mod projection;
pub mod requirement;
pub mod risk_analysis;
pub mod tracking;
