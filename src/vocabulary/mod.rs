//! The words everything shares: months and dates, money and currencies, cost categories,
//! frameworks, fiscal years, working days, the ISO/IEC 27006-1 audit-time table, text made safe
//! for a terminal, and the errors that name where in a scenario file they come from.

pub mod audit_time;
pub mod category;
pub mod currency;
pub mod error;
pub mod fiscal_year;
pub mod framework;
pub mod money;
pub mod text;
pub mod working_days;
pub mod year_month;
