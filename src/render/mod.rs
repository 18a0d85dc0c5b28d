//! What reaches people: charts, every output file, and the terminal's tables.

pub mod charts;
pub mod export;
pub mod terminal;
