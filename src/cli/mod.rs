//! The commands `main` runs, the output folder they write, and portfolio roll-ups.

pub mod commands;
pub mod output_folder;
pub mod portfolio;
pub mod track;
