//! `budget.xlsx`: the budget for finance to extend. Amounts are real numbers in the currency's
//! format and dates real dates; every total is a formula over the cells it totals (`SUM`), with
//! certplan's exact figure cached as its value, so any reader shows it and a recalculation gives
//! it again. Sheets: Summary (with requirement verdicts), Budget by fiscal year (categories and
//! the build/run split), Quarterly and Monthly (plans across), Schedule, Assumptions and
//! Comparison. Every sheet prints landscape, one page wide, with its header row and first column
//! repeated and the programme in the footer.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_xlsxwriter::utility::{quote_sheet_name, row_col_to_cell};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook, Worksheet, XlsxError,
};

use super::{OutputFile, Projected};
use crate::costing::assumptions::assumptions;
use crate::decision::comparison::{Comparison, shortfall};
use crate::decision::requirement::Outcome;
use crate::vocabulary::category::{Category, Nature};
use crate::vocabulary::currency::Currency;
use crate::vocabulary::error::Error;
use crate::vocabulary::fiscal_year::FiscalYearInHorizon;
use crate::vocabulary::money::{display_amount, round_to_minor};
use crate::vocabulary::year_month::YearMonth;

/// Sheet names: one definition, so formulas that point across sheets stay right.
const SUMMARY: &str = "Summary";
const BUDGET: &str = "Budget by fiscal year";
const QUARTERLY: &str = "Quarterly";
const MONTHLY: &str = "Monthly";
const SCHEDULE: &str = "Schedule";
const ASSUMPTIONS: &str = "Assumptions";
const COMPARISON: &str = "Comparison";
const RISK: &str = "Risk";
const BUSINESS: &str = "Business case";

fn money_format(currency: Currency) -> Format {
    let decimals = if currency.minor_units() == 0 {
        String::new()
    } else {
        format!(".{}", "0".repeat(currency.minor_units() as usize))
    };
    let pattern = match currency.symbol() {
        Some(symbol) => format!("\"{symbol}\"#,##0{decimals};-\"{symbol}\"#,##0{decimals}"),
        None => format!(
            "#,##0{decimals} \"{}\";-#,##0{decimals} \"{}\"",
            currency.code(),
            currency.code()
        ),
    };
    Format::new().set_num_format(pattern)
}

/// The cell formats of the workbook.
struct Formats {
    header: Format,
    bold: Format,
    money: Format,
    bold_money: Format,
    date: Format,
    month: Format,
    wrap: Format,
    bold_wrap: Format,
}

/// A cell reference on another sheet: `'Budget by fiscal year'!C5`.
fn on(sheet: &str, row: u32, col: u16) -> String {
    format!("{}!{}", quote_sheet_name(sheet), row_col_to_cell(row, col))
}

/// A range on another sheet.
fn range_on(sheet: &str, first: (u32, u16), last: (u32, u16)) -> String {
    format!(
        "{}!{}:{}",
        quote_sheet_name(sheet),
        row_col_to_cell(first.0, first.1),
        row_col_to_cell(last.0, last.1)
    )
}

/// A range on the same sheet.
fn range(first: (u32, u16), last: (u32, u16)) -> String {
    format!(
        "{}:{}",
        row_col_to_cell(first.0, first.1),
        row_col_to_cell(last.0, last.1)
    )
}

/// One worksheet being written: a frozen bold header row, then cells, with every column as wide
/// as the longest text written to it; printed landscape, one page wide.
struct Sheet<'a> {
    sheet: &'a mut Worksheet,
    formats: &'a Formats,
    currency: Currency,
    widths: Vec<usize>,
}

impl<'a> Sheet<'a> {
    fn new(
        workbook: &'a mut Workbook,
        name: &str,
        titles: &[String],
        formats: &'a Formats,
        currency: Currency,
        programme: &str,
    ) -> Result<Self, XlsxError> {
        let sheet = workbook.worksheet_from_name(name)?;
        sheet.set_freeze_panes(1, 1)?;
        sheet.set_landscape();
        sheet.set_paper_size(9); // A4
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(0, 0)?;
        sheet.set_repeat_columns(0, 0)?;
        // `&` starts a footer code: a programme name shows as written.
        let programme = programme.replace('&', "&&");
        sheet.set_footer(format!("&L{programme}&C&A&RPage &P of &N"));
        let mut this = Sheet {
            sheet,
            formats,
            currency,
            widths: Vec::new(),
        };
        for (col, title) in titles.iter().enumerate() {
            this.sheet
                .write_string_with_format(0, col as u16, title, &this.formats.header)?;
            // A header wraps: its column need only hold its longest word, or 16 characters.
            let longest_word = title.split_whitespace().map(|w| w.chars().count()).max();
            let len = title.chars().count().min(16).max(longest_word.unwrap_or(0));
            this.see(col as u16, len);
        }
        if titles.iter().any(|t| t.chars().count() > 16) {
            this.sheet.set_row_height(0, 30)?;
        }
        Ok(this)
    }

    fn see(&mut self, col: u16, text_len: usize) {
        let col = col as usize;
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 8);
        }
        self.widths[col] = self.widths[col].max(text_len);
    }

    fn text(&mut self, row: u32, col: u16, text: &str, bold: bool) -> Result<(), XlsxError> {
        if bold {
            self.sheet
                .write_string_with_format(row, col, text, &self.formats.bold)?;
        } else {
            self.sheet.write_string(row, col, text)?;
        }
        self.see(col, text.chars().count());
        Ok(())
    }

    /// Long text that wraps in a column of at most 24 characters.
    fn long_text(&mut self, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
        self.wrapped(row, col, text, 24)
    }

    /// Text that wraps in a column of at most `max` characters.
    fn wrapped(&mut self, row: u32, col: u16, text: &str, max: usize) -> Result<(), XlsxError> {
        self.sheet
            .write_string_with_format(row, col, text, &self.formats.wrap)?;
        self.see(col, text.chars().count().min(max));
        Ok(())
    }

    fn number_of(&self, amount: Decimal) -> f64 {
        rust_decimal::prelude::ToPrimitive::to_f64(&round_to_minor(amount, self.currency))
            .unwrap_or(0.0)
    }

    /// An amount as a real number in the currency's format. Excel numbers are doubles; an amount
    /// rounded to the minor unit converts exactly enough for every reader to show the same cents.
    fn money(&mut self, row: u32, col: u16, amount: Decimal, bold: bool) -> Result<(), XlsxError> {
        let value = self.number_of(amount);
        let format = if bold {
            &self.formats.bold_money
        } else {
            &self.formats.money
        };
        self.sheet
            .write_number_with_format(row, col, value, format)?;
        self.see(col, display_amount(amount, self.currency).chars().count());
        Ok(())
    }

    /// A formula that totals other cells, with certplan's exact figure cached as its value.
    fn total(
        &mut self,
        row: u32,
        col: u16,
        formula: &str,
        amount: Decimal,
        bold: bool,
    ) -> Result<(), XlsxError> {
        let cached = round_to_minor(amount, self.currency)
            .normalize()
            .to_string();
        let format = if bold {
            &self.formats.bold_money
        } else {
            &self.formats.money
        };
        self.sheet.write_formula_with_format(
            row,
            col,
            Formula::new(formula).set_result(cached),
            format,
        )?;
        self.see(col, display_amount(amount, self.currency).chars().count());
        Ok(())
    }

    fn date(
        &mut self,
        row: u32,
        col: u16,
        date: NaiveDate,
        month_only: bool,
    ) -> Result<(), XlsxError> {
        let excel =
            ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
        let format = if month_only {
            &self.formats.month
        } else {
            &self.formats.date
        };
        self.sheet
            .write_datetime_with_format(row, col, excel, format)?;
        self.see(col, 10);
        Ok(())
    }

    fn count(&mut self, row: u32, col: u16, value: f64) -> Result<(), XlsxError> {
        self.sheet.write_number(row, col, value)?;
        Ok(())
    }

    fn finish(self) -> Result<(), XlsxError> {
        for (col, width) in self.widths.iter().enumerate() {
            self.sheet
                .set_column_width(col as u16, (*width + 2).min(62) as u32)?;
        }
        Ok(())
    }
}

/// A budget row: the plan, what the row is, an amount per fiscal year from column 2, and their
/// `SUM` after them.
fn year_row(
    sheet: &mut Sheet,
    row: u32,
    plan: &str,
    label: &str,
    amounts: impl Iterator<Item = Decimal>,
) -> Result<(), XlsxError> {
    sheet.text(row, 0, plan, false)?;
    sheet.text(row, 1, label, false)?;
    let mut total = Decimal::ZERO;
    let mut col = 2u16;
    for amount in amounts {
        total += amount;
        sheet.money(row, col, amount, false)?;
        col += 1;
    }
    let formula = format!("=SUM({})", range((row, 2), (row, col - 1)));
    sheet.total(row, col, &formula, total, false)
}

/// Where each plan's figures stand, so that other sheets can point at them.
#[derive(Default)]
struct Cells {
    /// Per plan: the row of its total on the budget sheet.
    budget_total_row: Vec<u32>,
    /// The budget sheet's total column.
    budget_total_col: u16,
    /// The first month's row on the monthly sheet (months follow one a row).
    monthly_first_row: u32,
}

struct Book<'a> {
    p: Projected<'a>,
    c: &'a Comparison,
    /// The draws of a `certplan risk` run, whose recommendation the Summary leads with.
    draws: Option<&'a crate::decision::risk_analysis::Analysis>,
    formats: Formats,
    currency: Currency,
    years: Vec<FiscalYearInHorizon>,
    cells: Cells,
}

impl Book<'_> {
    fn sheet<'w>(
        &'w self,
        workbook: &'w mut Workbook,
        name: &str,
        titles: &[String],
    ) -> Result<Sheet<'w>, XlsxError> {
        Sheet::new(
            workbook,
            name,
            titles,
            &self.formats,
            self.currency,
            &self.p.scenario.programme.name,
        )
    }

    /// Monthly: months down, one column per plan, a total row of `SUM`s.
    fn monthly(&mut self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let mut titles = vec!["Month".to_string(), "Fiscal year".to_string()];
        titles.extend(self.p.plans.iter().map(|o| o.plan.name.clone()));
        let calendar = self.p.scenario.programme.fiscal_calendar();
        let months: Vec<YearMonth> = self.p.scenario.programme.months().collect();
        let mut sheet = self.sheet(workbook, MONTHLY, &titles)?;
        for (i, m) in months.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.date(row, 0, m.first_day(), true)?;
            sheet.text(row, 1, &calendar.year_of(*m).to_string(), false)?;
        }
        for (j, o) in self.p.plans.iter().enumerate() {
            let col = 2 + j as u16;
            for (i, (_, amount)) in o.monthly_totals().into_iter().enumerate() {
                sheet.money(i as u32 + 1, col, amount, false)?;
            }
            let last = months.len() as u32;
            let formula = format!("=SUM({})", range((1, col), (last, col)));
            sheet.total(last + 1, col, &formula, o.total_cost(), true)?;
        }
        sheet.text(months.len() as u32 + 1, 0, "Total", true)?;
        sheet.finish()?;
        self.cells.monthly_first_row = 1;
        Ok(())
    }

    /// Budget by fiscal year: per plan, categories down and fiscal years across, then the
    /// build/run split; every total a `SUM`.
    fn budget(&mut self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let mut titles = vec!["Plan".to_string(), "Line".to_string()];
        titles.extend(self.years.iter().map(|y| y.label()));
        titles.push("Total".into());
        let calendar = self.p.scenario.programme.fiscal_calendar();
        let first_year_col = 2u16;
        let total_col = first_year_col + self.years.len() as u16;
        let mut total_rows = Vec::new();
        let mut sheet = self.sheet(workbook, BUDGET, &titles)?;
        let mut row = 1u32;
        for (o, x) in self.p.plans.iter().zip(&self.c.plans) {
            let cells = o.ledger.by_fiscal_year(calendar);
            let first_row = row;
            for category in Category::ALL {
                if !cells.keys().any(|(_, c)| *c == category) {
                    continue;
                }
                let amounts = self
                    .years
                    .iter()
                    .map(|y| cells.get(&(y.year, category)).copied().unwrap_or_default());
                year_row(&mut sheet, row, &o.plan.name, category.label(), amounts)?;
                row += 1;
            }
            let last_row = row - 1;
            sheet.text(row, 0, &o.plan.name, true)?;
            sheet.text(row, 1, "Total", true)?;
            for (k, (_, amount)) in x.by_fiscal_year.iter().enumerate() {
                let col = first_year_col + k as u16;
                let formula = format!("=SUM({})", range((first_row, col), (last_row, col)));
                sheet.total(row, col, &formula, *amount, true)?;
            }
            let formula = format!(
                "=SUM({})",
                range((first_row, total_col), (last_row, total_col))
            );
            sheet.total(row, total_col, &formula, x.total, true)?;
            total_rows.push(row);
            row += 1;
            // The same spend split into build (one-off) and run (recurring).
            let natures = o.ledger.by_fiscal_year_and_nature(calendar);
            for nature in [Nature::Build, Nature::Run] {
                let label = match nature {
                    Nature::Build => "of which build (one-off)",
                    Nature::Run => "of which run (recurring)",
                };
                let amounts = self
                    .years
                    .iter()
                    .map(|y| natures.get(&(y.year, nature)).copied().unwrap_or_default());
                year_row(&mut sheet, row, &o.plan.name, label, amounts)?;
                row += 1;
            }
            row += 1;
        }
        if self.years.iter().any(FiscalYearInHorizon::is_partial) {
            // Spills across the empty cells to its right; the column keeps its width.
            sheet.sheet.write_string(
                row,
                1,
                "A fiscal year the horizon cuts is labelled with its months inside the horizon; \
                 its amounts cover those months only.",
            )?;
        }
        sheet.finish()?;
        self.cells.budget_total_row = total_rows;
        self.cells.budget_total_col = total_col;
        Ok(())
    }

    /// Quarterly: fiscal quarters down, plans across; each cell a `SUM` of its months on the
    /// Monthly sheet.
    fn quarterly(&self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let programme = &self.p.scenario.programme;
        let start_month = programme.fiscal_year_start_month.get();
        let calendar = programme.fiscal_calendar();
        let months: Vec<YearMonth> = programme.months().collect();
        // (label, first index, last index) of each fiscal quarter inside the horizon.
        let mut quarters: Vec<(String, usize, usize)> = Vec::new();
        for (i, m) in months.iter().enumerate() {
            let offset = (m.month() + 12 - start_month) % 12;
            let quarter = offset / 3 + 1;
            let key = format!("{} Q{quarter}", calendar.year_of(*m));
            match quarters.last_mut() {
                Some((label, _, last)) if *label == key => *last = i,
                _ => quarters.push((key, i, i)),
            }
        }
        let mut titles = vec!["Fiscal quarter".to_string(), "Months".to_string()];
        titles.extend(self.p.plans.iter().map(|o| o.plan.name.clone()));
        let mut sheet = self.sheet(workbook, QUARTERLY, &titles)?;
        let monthly: Vec<Vec<Decimal>> = self
            .p
            .plans
            .iter()
            .map(|o| o.monthly_totals().into_iter().map(|(_, a)| a).collect())
            .collect();
        for (q, (label, first, last)) in quarters.iter().enumerate() {
            let row = q as u32 + 1;
            let span = FiscalYearInHorizon {
                year: calendar.year_of(months[*first]),
                first: months[*first],
                last: months[*last],
            };
            sheet.text(row, 0, label, false)?;
            sheet.text(row, 1, &span.months_label(), false)?;
            for (j, plan) in monthly.iter().enumerate() {
                let col = 2 + j as u16;
                let amount: Decimal = plan[*first..=*last].iter().sum();
                let formula = format!(
                    "=SUM({})",
                    range_on(
                        MONTHLY,
                        (self.cells.monthly_first_row + *first as u32, col),
                        (self.cells.monthly_first_row + *last as u32, col)
                    )
                );
                sheet.total(row, col, &formula, amount, false)?;
            }
        }
        let total_row = quarters.len() as u32 + 1;
        sheet.text(total_row, 0, "Total", true)?;
        for (j, o) in self.p.plans.iter().enumerate() {
            let col = 2 + j as u16;
            let formula = format!("=SUM({})", range((1, col), (total_row - 1, col)));
            sheet.total(total_row, col, &formula, o.total_cost(), true)?;
        }
        sheet.finish()
    }

    /// Summary: plans across, the headline figures and each requirement's verdict down, then the
    /// recommendation and why.
    #[allow(clippy::float_arithmetic)] // the share of draws, to four decimals
    fn summary(&self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let c = self.c;
        let mut titles = vec!["Plan".to_string()];
        titles.extend(c.plans.iter().map(|x| x.plan.clone()));
        let mut sheet = self.sheet(workbook, SUMMARY, &titles)?;
        let labels = [
            "Total",
            "First 12 months",
            "Run cost / year",
            "First ISO/IEC 27001 certificate",
            "First SOC 2 Type I report",
            "First SOC 2 Type II report",
            "Covered months",
            "Uncovered months",
            "Saving vs each framework alone",
        ];
        for (r, label) in labels.iter().enumerate() {
            sheet.text(r as u32 + 1, 0, label, r == 0)?;
        }
        let verdict_row = labels.len() as u32 + 1;
        for (k, r) in c.requirements.iter().enumerate() {
            let row = verdict_row + k as u32;
            sheet.long_text(row, 0, &r.describe(self.currency))?;
            // Room for a wrapped requirement or verdict.
            sheet.sheet.set_row_height(row, 30)?;
        }
        let meets_row = verdict_row + c.requirements.len() as u32;
        let meets_label = if self.draws.is_some() {
            "Meets every requirement (base case)"
        } else {
            "Meets every requirement"
        };
        sheet.text(meets_row, 0, meets_label, false)?;
        sheet.text(meets_row + 1, 0, "Recommended", true)?;
        if let Some(a) = self.draws {
            sheet.text(
                meets_row + 2,
                0,
                &format!("Meets every requirement in the {} draws", a.draws),
                false,
            )?;
            for (i, r) in a.plans.iter().enumerate() {
                let share = (r.all_met_probability * 10_000.0).round() / 10_000.0;
                sheet.count(meets_row + 2, 1 + i as u16, share)?;
            }
        }
        let months = self.p.scenario.programme.horizon_months.get().min(12);
        for (i, x) in c.plans.iter().enumerate() {
            let col = 1 + i as u16;
            let total = on(
                BUDGET,
                self.cells.budget_total_row[i],
                self.cells.budget_total_col,
            );
            sheet.total(1, col, &format!("={total}"), x.total, true)?;
            let first_year = format!(
                "=SUM({})",
                range_on(
                    MONTHLY,
                    (self.cells.monthly_first_row, 2 + i as u16),
                    (self.cells.monthly_first_row + months - 1, 2 + i as u16)
                )
            );
            sheet.total(2, col, &first_year, x.first_year, false)?;
            if let Some(r) = x.run_rate {
                sheet.money(3, col, r, false)?;
            }
            for (row, d) in [
                (4u32, x.first_iso_certificate),
                (5, x.first_soc2_type1_report),
                (6, x.first_soc2_type2_report),
            ] {
                if let Some(d) = d {
                    sheet.date(row, col, d, false)?;
                }
            }
            sheet.count(7, col, x.covered_months as f64)?;
            sheet.count(8, col, x.uncovered_months as f64)?;
            if let Some(s) = &x.saving {
                sheet.money(9, col, s.saving, false)?;
            }
            for (k, v) in x.verdicts.iter().enumerate() {
                let verdict = match &v.outcome {
                    Outcome::Met {
                        days_to_spare: Some(d),
                    } => format!("met, {d} days to spare"),
                    Outcome::Met { .. } => "met".into(),
                    Outcome::NotPursued => "not pursued".into(),
                    _ => shortfall(v, self.currency)
                        .map(|s| {
                            s.split_once(": ")
                                .map_or(s.clone(), |(_, why)| why.to_string())
                        })
                        .unwrap_or_default(),
                };
                sheet.long_text(verdict_row + k as u32, col, &verdict)?;
            }
            sheet.text(
                meets_row,
                col,
                if x.meets_all() { "yes" } else { "no" },
                false,
            )?;
            let recommended = if c.recommendation.plan == Some(i) {
                "yes"
            } else {
                ""
            };
            sheet.text(meets_row + 1, col, recommended, true)?;
        }
        let gap = if self.draws.is_some() { 4 } else { 3 };
        self.recommendation_lines(&mut sheet, meets_row + gap)?;
        sheet.finish()
    }

    /// The recommendation and why, from `first_row` down, each line across the table's width,
    /// wrapped.
    fn recommendation_lines(&self, sheet: &mut Sheet, first_row: u32) -> Result<(), XlsxError> {
        let c = self.c;
        let last_col = c.plans.len() as u16;
        let width: usize = sheet.widths.iter().map(|w| (*w + 2).min(62)).sum();
        let mut lines = vec![(c.recommendation.headline.clone(), true)];
        lines.extend(c.recommendation.reasons.iter().map(|r| (r.clone(), false)));
        if self.p.scenario.requirements.yearly_budget_cap.is_some()
            && let Some(note) = crate::decision::requirement::partial_year_note(self.p.scenario)
        {
            lines.push((format!("Yearly cap: {note}."), false));
        }
        for (row, (text, bold)) in (first_row..).zip(lines) {
            let format = if bold {
                &self.formats.bold_wrap
            } else {
                &self.formats.wrap
            };
            if last_col > 0 {
                sheet
                    .sheet
                    .merge_range(row, 0, row, last_col, &text, format)?;
            } else {
                sheet
                    .sheet
                    .write_string_with_format(row, 0, &text, format)?;
            }
            let lines = text.chars().count().div_ceil(width.max(20)).max(1);
            let lines = u32::try_from(lines).unwrap_or(1);
            sheet.sheet.set_row_height(row, 15 * lines)?;
        }
        Ok(())
    }

    /// Comparison: what comparison.csv holds, each plan's fiscal years pointing at the budget.
    fn comparison(&self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let c = self.c;
        let mut titles = vec!["Plan".to_string()];
        titles.extend(self.years.iter().map(|y| y.label()));
        titles.extend(
            [
                "Total",
                "Each framework alone",
                "Saving",
                "Shared controls",
                "Shared recurring work",
                "Combined-audit discount",
            ]
            .iter()
            .map(|t| t.to_string()),
        );
        let mut sheet = self.sheet(workbook, COMPARISON, &titles)?;
        let total_col = 1 + self.years.len() as u16;
        for (i, x) in c.plans.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.text(row, 0, &x.plan, false)?;
            for (k, (_, amount)) in x.by_fiscal_year.iter().enumerate() {
                let cell = on(BUDGET, self.cells.budget_total_row[i], 2 + k as u16);
                sheet.total(row, 1 + k as u16, &format!("={cell}"), *amount, false)?;
            }
            let formula = format!("=SUM({})", range((row, 1), (row, total_col - 1)));
            sheet.total(row, total_col, &formula, x.total, true)?;
            if let Some(s) = &x.saving {
                sheet.money(row, total_col + 1, s.separate_total, false)?;
                sheet.money(row, total_col + 2, s.saving, false)?;
                sheet.money(row, total_col + 3, s.shared_controls, false)?;
                sheet.money(row, total_col + 4, s.shared_recurring, false)?;
                sheet.money(row, total_col + 5, s.combined_audit_discount, false)?;
            }
        }
        sheet.finish()
    }

    /// Business case: months down; per plan, expected revenue, cost and net (a formula), with
    /// `SUM` totals; then each plan's payback month and present values.
    fn business_case(&self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let mut titles = vec!["Month".to_string()];
        for x in &self.c.plans {
            if x.business.is_some() {
                titles.push(format!("{} revenue", x.plan));
                titles.push(format!("{} cost", x.plan));
                titles.push(format!("{} net", x.plan));
            }
        }
        let months: Vec<YearMonth> = self.p.scenario.programme.months().collect();
        let mut sheet = self.sheet(workbook, BUSINESS, &titles)?;
        for (i, m) in months.iter().enumerate() {
            sheet.date(i as u32 + 1, 0, m.first_day(), true)?;
        }
        let last = months.len() as u32;
        let mut col = 1u16;
        let mut summaries = Vec::new();
        for x in &self.c.plans {
            let Some(b) = &x.business else { continue };
            for (i, ((_, revenue), cost)) in b.revenue.iter().zip(&b.cost).enumerate() {
                let row = i as u32 + 1;
                sheet.money(row, col, *revenue, false)?;
                sheet.money(row, col + 1, *cost, false)?;
                let formula = format!(
                    "={}-{}",
                    row_col_to_cell(row, col),
                    row_col_to_cell(row, col + 1)
                );
                sheet.total(row, col + 2, &formula, *revenue - *cost, false)?;
            }
            for (k, amount) in [b.revenue_total, b.cost_total, b.net_total]
                .into_iter()
                .enumerate()
            {
                let c = col + k as u16;
                let formula = format!("=SUM({})", range((1, c), (last, c)));
                sheet.total(last + 1, c, &formula, amount, true)?;
            }
            summaries.push((
                x.plan.clone(),
                b.payback,
                x.npv_cost,
                b.npv_net,
                b.by_fiscal_year.clone(),
            ));
            col += 3;
        }
        sheet.text(last + 1, 0, "Total", true)?;
        let mut row = last + 3;
        sheet.text(row, 0, "Plan", true)?;
        sheet.text(row, 1, "Payback month", true)?;
        sheet.text(row, 2, "Cost, present value", true)?;
        sheet.text(row, 3, "Net, present value", true)?;
        for (plan, payback, npv_cost, npv_net, _) in &summaries {
            row += 1;
            sheet.text(row, 0, plan, false)?;
            match payback {
                Some(m) => sheet.date(row, 1, m.first_day(), true)?,
                None => sheet.text(row, 1, "not within the horizon", false)?,
            }
            if let Some(v) = npv_cost {
                sheet.money(row, 2, *v, false)?;
            }
            if let Some(v) = npv_net {
                sheet.money(row, 3, *v, false)?;
            }
        }
        // Net position by fiscal year: expected revenue − cost.
        row += 2;
        sheet.text(row, 0, "Net by fiscal year", true)?;
        for (k, year) in self.years.iter().enumerate() {
            sheet.text(row, 1 + k as u16, &year.label(), true)?;
        }
        for (plan, _, _, _, years) in &summaries {
            row += 1;
            sheet.text(row, 0, plan, false)?;
            for (k, (_, _, _, net)) in years.iter().enumerate() {
                sheet.money(row, 1 + k as u16, *net, false)?;
            }
        }
        self.deal_deadlines(&mut sheet, row + 2)?;
        sheet.finish()
    }

    /// Deals with a `needed_by`: for each plan, when the assurance arrives, whether it is in
    /// time (a lost deal earns nothing), and the expected revenue it brings.
    fn deal_deadlines(&self, sheet: &mut Sheet, first_row: u32) -> Result<(), XlsxError> {
        use crate::decision::business_case::Timing;
        let demands = &self.p.scenario.demand;
        if demands.iter().all(|d| d.deadline.is_none()) {
            return Ok(());
        }
        let mut row = first_row;
        for (col, title) in [
            "Deal with a deadline",
            "Plan",
            "Needed by",
            "Assurance in hand",
            "Timing",
            "Expected revenue",
        ]
        .iter()
        .enumerate()
        {
            sheet.text(row, col as u16, title, true)?;
        }
        for (i, d) in demands.iter().enumerate() {
            let Some(deadline) = d.deadline else { continue };
            for x in &self.c.plans {
                let Some(u) = x.business.as_ref().and_then(|b| b.unlocks.get(i)) else {
                    continue;
                };
                row += 1;
                sheet.text(row, 0, &d.name, false)?;
                sheet.text(row, 1, &x.plan, false)?;
                sheet.date(row, 2, deadline.needed_by, false)?;
                match u.unlocked {
                    Some(day) => sheet.date(row, 3, day, false)?,
                    None => sheet.text(row, 3, "not in the horizon", false)?,
                }
                let timing = match u.timing {
                    Some(Timing::Delayed {
                        months_late,
                        win_probability,
                        ..
                    }) => format!(
                        "delayed {months_late} months, won at {}%",
                        (win_probability * Decimal::ONE_HUNDRED).normalize()
                    ),
                    Some(t) => t.as_str().replace('_', " "),
                    None => String::new(),
                };
                sheet.text(row, 4, &timing, false)?;
                sheet.money(row, 5, u.expected_revenue, false)?;
            }
        }
        Ok(())
    }

    /// Risk (`certplan risk`): each plan's percentiles, the odds of each requirement, and what
    /// drives the P50.
    #[allow(clippy::float_arithmetic)] // probabilities, not money
    fn risk(
        &self,
        workbook: &mut Workbook,
        a: &crate::decision::risk_analysis::Analysis,
    ) -> Result<(), XlsxError> {
        use crate::decision::risk_analysis::{MetricKind, amount, date_of};
        let titles: Vec<String> = ["Plan", "Measure", "Mean", "P10", "P50", "P80", "P90"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        let s = self.p.scenario;
        let mut sheet = self.sheet(workbook, RISK, &titles)?;
        let mut row = 1u32;
        for p in &a.plans {
            for m in &p.summaries {
                sheet.text(row, 0, &p.plan, false)?;
                sheet.text(row, 1, &m.metric, false)?;
                let values = std::iter::once(m.mean).chain(m.percentiles);
                for (k, v) in values.enumerate() {
                    let col = 2 + k as u16;
                    match m.kind {
                        MetricKind::Money if v.is_finite() => {
                            sheet.money(row, col, amount(s, v), false)?
                        }
                        MetricKind::Date => match date_of(s, v) {
                            Some(d) => sheet.date(row, col, d, false)?,
                            None => sheet.text(row, col, "after the horizon", false)?,
                        },
                        MetricKind::Months if v.is_finite() => {
                            sheet.count(row, col, (v * 10.0).round() / 10.0)?
                        }
                        MetricKind::Month => match crate::decision::risk_analysis::month_of(s, v) {
                            Some(m) => sheet.text(row, col, &m.to_string(), false)?,
                            None => sheet.text(row, col, "after the horizon", false)?,
                        },
                        _ => {}
                    }
                }
                row += 1;
            }
        }
        row += 1;
        sheet.text(row, 0, "Probability each requirement is met", true)?;
        row += 1;
        for p in &a.plans {
            for (r, prob) in a.requirements.iter().zip(&p.requirement_probability) {
                sheet.text(row, 0, &p.plan, false)?;
                sheet.text(row, 1, &r.describe(self.currency), false)?;
                sheet.count(row, 2, (prob * 10_000.0).round() / 10_000.0)?;
                row += 1;
            }
            sheet.text(row, 0, &p.plan, false)?;
            sheet.text(row, 1, "every requirement", true)?;
            sheet.count(
                row,
                2,
                (p.all_met_probability * 10_000.0).round() / 10_000.0,
            )?;
            row += 1;
            if let Some(v) = &p.value {
                sheet.text(row, 0, &p.plan, false)?;
                sheet.text(row, 1, "net value above zero", false)?;
                sheet.count(row, 2, (v.positive * 10_000.0).round() / 10_000.0)?;
                row += 1;
                if let Some((by, paid)) = v.payback_by {
                    sheet.text(row, 0, &p.plan, false)?;
                    sheet.text(row, 1, &format!("paid back by {by}"), false)?;
                    sheet.count(row, 2, (paid * 10_000.0).round() / 10_000.0)?;
                    row += 1;
                }
            }
        }
        row += 1;
        sheet.text(
            row,
            0,
            "What moves the P50 (money, days of the key date)",
            true,
        )?;
        row += 1;
        for p in &a.plans {
            for d in &p.drivers {
                sheet.text(row, 0, &p.plan, false)?;
                sheet.text(row, 1, &d.name, false)?;
                sheet.money(row, 2, d.money, false)?;
                sheet.count(row, 3, d.days.round())?;
                row += 1;
            }
        }
        row += 1;
        sheet.text(row, 0, &a.recommendation, true)?;
        if let Some((plan, levers)) = &a.levers {
            row += 2;
            sheet.text(
                row,
                0,
                &format!(
                    "What it would take: {} to {:.0} % (one change at a time; then met, all met)",
                    a.plans[*plan].plan,
                    a.confidence * 100.0
                ),
                true,
            )?;
            row += 1;
            if levers.is_empty() {
                sheet.text(row, 0, "No single lever reaches the confidence.", false)?;
            }
            for l in levers {
                sheet.text(row, 0, &l.requirement, false)?;
                sheet.text(row, 1, &format!("{} ({})", l.change, l.edit), false)?;
                sheet.count(row, 2, (l.probability * 10_000.0).round() / 10_000.0)?;
                sheet.count(row, 3, (l.all_met * 10_000.0).round() / 10_000.0)?;
                row += 1;
            }
        }
        sheet.finish()
    }

    fn schedule(&self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let titles: Vec<String> = [
            "Plan",
            "Framework",
            "Cycle",
            "Event",
            "Start",
            "End",
            "Audit days",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        let mut sheet = self.sheet(workbook, SCHEDULE, &titles)?;
        let mut row = 1u32;
        for o in self.p.plans {
            for e in &o.schedule.events {
                sheet.text(row, 0, &o.plan.name, false)?;
                sheet.text(row, 1, e.framework.label(), false)?;
                sheet.count(row, 2, f64::from(e.cycle))?;
                sheet.text(row, 3, e.kind.label(), false)?;
                sheet.date(row, 4, e.start, false)?;
                sheet.date(row, 5, e.end, false)?;
                if let Some(days) = e.audit_days {
                    let days = rust_decimal::prelude::ToPrimitive::to_f64(&days).unwrap_or(0.0);
                    sheet.count(row, 6, days)?;
                }
                row += 1;
            }
        }
        sheet.finish()
    }

    fn assumptions(&self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let titles: Vec<String> = ["Input", "Value", "Source"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        let mut sheet = self.sheet(workbook, ASSUMPTIONS, &titles)?;
        for (i, a) in assumptions(self.p.scenario).iter().enumerate() {
            let row = i as u32 + 1;
            sheet.text(row, 0, &a.key, false)?;
            sheet.wrapped(row, 1, &a.value, 40)?;
            sheet.wrapped(row, 2, &a.source, 60)?;
        }
        sheet.finish()
    }
}

/// The workbook's creation date: SOURCE_DATE_EPOCH when set (reproducible builds' convention),
/// else the first day of the programme's first month, the date the budget starts from; never the
/// clock, so that reruns give the same bytes.
fn creation_date(p: Projected) -> Result<ExcelDateTime, XlsxError> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok());
    match epoch {
        Some(seconds) => ExcelDateTime::from_timestamp(seconds),
        None => {
            let d = p.scenario.programme.start.first_day();
            ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, 1)
        }
    }
}

/// The sheets in the order a reader meets them.
const SHEETS: [&str; 7] = [
    SUMMARY,
    BUDGET,
    QUARTERLY,
    MONTHLY,
    SCHEDULE,
    ASSUMPTIONS,
    COMPARISON,
];

fn build(
    p: Projected,
    c: &Comparison,
    risk: Option<&crate::decision::risk_analysis::Analysis>,
) -> Result<Vec<u8>, XlsxError> {
    let currency = p.scenario.programme.currency;
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{}: compliance programme budget",
                p.scenario.programme.name
            ))
            .set_subject("Budget of each plan by fiscal year, quarter and month")
            .set_author("certplan")
            .set_comment(format!(
                "Made by certplan {} from a scenario with SHA-256 {}",
                env!("CARGO_PKG_VERSION"),
                p.scenario.sha256
            ))
            .set_creation_datetime(&creation_date(p)?),
    );
    for name in SHEETS {
        workbook.add_worksheet().set_name(name)?;
    }
    if c.plans.iter().any(|x| x.business.is_some()) {
        workbook.add_worksheet().set_name(BUSINESS)?;
    }
    if risk.is_some() {
        workbook.add_worksheet().set_name(RISK)?;
    }
    let mut book = Book {
        p,
        c,
        draws: risk,
        formats: Formats {
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            bold: Format::new().set_bold(),
            money: money_format(currency),
            bold_money: money_format(currency).set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            month: Format::new().set_num_format("mmm yyyy"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            bold_wrap: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
        },
        currency,
        years: p.scenario.programme.fiscal_years_in_horizon(),
        cells: Cells::default(),
    };
    // Sheets that others point at are filled first.
    book.monthly(&mut workbook)?;
    book.budget(&mut workbook)?;
    book.quarterly(&mut workbook)?;
    book.summary(&mut workbook)?;
    book.schedule(&mut workbook)?;
    book.assumptions(&mut workbook)?;
    book.comparison(&mut workbook)?;
    if c.plans.iter().any(|x| x.business.is_some()) {
        book.business_case(&mut workbook)?;
    }
    if let Some(a) = risk {
        book.risk(&mut workbook, a)?;
    }
    workbook.worksheet_from_name(SUMMARY)?.set_active(true);
    workbook.save_to_buffer()
}

pub fn budget_xlsx(
    p: Projected,
    c: &Comparison,
    risk: Option<&crate::decision::risk_analysis::Analysis>,
) -> Result<OutputFile, Error> {
    let bytes = build(p, c, risk).map_err(|e| Error::Render {
        name: "budget.xlsx".into(),
        message: e.to_string(),
    })?;
    Ok(OutputFile {
        name: "budget.xlsx".into(),
        bytes,
    })
}
