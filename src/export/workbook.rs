//! `budget.xlsx`: the budget for finance. Values, not formulas, so every reader shows the same
//! numbers; real numbers with currency formats, real dates, frozen headers, fitted columns.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::{OutputFile, Projected};
use crate::category::Category;
use crate::comparison::Comparison;
use crate::currency::Currency;
use crate::error::Error;
use crate::money::{display_amount, round_to_minor};

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
}

/// One worksheet being written: a frozen bold header row, then cells, with every column as wide
/// as the longest text written to it.
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
    ) -> Result<Self, XlsxError> {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        sheet.set_freeze_panes(1, 1)?;
        let mut this = Sheet {
            sheet,
            formats,
            currency,
            widths: Vec::new(),
        };
        for (col, title) in titles.iter().enumerate() {
            this.sheet
                .write_string_with_format(0, col as u16, title, &this.formats.header)?;
            this.see(col as u16, title.chars().count());
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

    /// An amount as a real number in the currency's format. Excel numbers are doubles; an amount
    /// rounded to the minor unit converts exactly enough for every reader to show the same cents.
    fn money(&mut self, row: u32, col: u16, amount: Decimal, bold: bool) -> Result<(), XlsxError> {
        let value =
            rust_decimal::prelude::ToPrimitive::to_f64(&round_to_minor(amount, self.currency))
                .unwrap_or(0.0);
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

    fn count(&mut self, row: u32, col: u16, value: usize) -> Result<(), XlsxError> {
        self.sheet.write_number(row, col, value as f64)?;
        Ok(())
    }

    fn finish(self) -> Result<(), XlsxError> {
        for (col, width) in self.widths.iter().enumerate() {
            self.sheet
                .set_column_width(col as u16, (*width + 2).min(60) as u32)?;
        }
        Ok(())
    }
}

fn titles(fixed: &[&str], more: impl IntoIterator<Item = String>, last: &[&str]) -> Vec<String> {
    fixed
        .iter()
        .map(|t| t.to_string())
        .chain(more)
        .chain(last.iter().map(|t| t.to_string()))
        .collect()
}

/// A worksheet name from a plan name: at most 31 characters, unique in the workbook.
fn sheet_name(plan: &str, taken: &mut BTreeSet<String>) -> String {
    let base = crate::terminal::truncate(plan, 31);
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase())
        || ["summary", "fiscal years"].contains(&name.to_lowercase().as_str())
    {
        let suffix = format!("~{n}");
        name = format!(
            "{}{suffix}",
            base.chars().take(31 - suffix.len()).collect::<String>()
        );
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

fn build(p: Projected, c: &Comparison) -> Result<Vec<u8>, XlsxError> {
    let currency = p.scenario.programme.currency;
    let calendar = p.scenario.programme.fiscal_calendar();
    let mut workbook = Workbook::new();
    // A fixed creation date keeps the file byte-identical from run to run.
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{}: budget", p.scenario.programme.name))
            .set_author("certplan")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let formats = Formats {
        header: Format::new().set_bold().set_align(FormatAlign::Center),
        bold: Format::new().set_bold(),
        money: money_format(currency),
        bold_money: money_format(currency).set_bold(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        month: Format::new().set_num_format("mmm yyyy"),
    };
    let categories = || Category::ALL.iter().map(|c| c.label().to_string());

    // Summary: the comparison.
    let summary_titles = titles(
        &[
            "Plan",
            "Total",
            "First 12 months",
            "Run cost / year",
            "First ISO certificate",
            "First SOC 2 Type I",
            "First SOC 2 Type II",
            "Covered months",
            "Uncovered months",
            "Saving vs each alone",
            "Meets requirements",
            "Recommended",
        ],
        c.fiscal_years.iter().map(|y| y.to_string()),
        &[],
    );
    let mut sheet = Sheet::new(
        &mut workbook,
        "Summary",
        &summary_titles,
        &formats,
        currency,
    )?;
    for (i, x) in c.plans.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.text(row, 0, &x.plan, false)?;
        sheet.money(row, 1, x.total, false)?;
        sheet.money(row, 2, x.first_year, false)?;
        if let Some(r) = x.run_rate {
            sheet.money(row, 3, r, false)?;
        }
        for (col, d) in [
            (4u16, x.first_iso_certificate),
            (5, x.first_soc2_type1_report),
            (6, x.first_soc2_type2_report),
        ] {
            if let Some(d) = d {
                sheet.date(row, col, d, false)?;
            }
        }
        sheet.count(row, 7, x.covered_months)?;
        sheet.count(row, 8, x.uncovered_months)?;
        if let Some(s) = &x.saving {
            sheet.money(row, 9, s.saving, false)?;
        }
        sheet.text(row, 10, if x.meets_all() { "yes" } else { "no" }, false)?;
        sheet.text(
            row,
            11,
            if c.recommendation.plan == Some(i) {
                "yes"
            } else {
                ""
            },
            false,
        )?;
        for (j, (_, amount)) in x.by_fiscal_year.iter().enumerate() {
            sheet.money(row, 12 + j as u16, *amount, false)?;
        }
    }
    sheet.finish()?;

    // Fiscal years: plan × fiscal year × category.
    let year_titles = titles(&["Plan", "Fiscal year"], categories(), &["Total"]);
    let mut sheet = Sheet::new(
        &mut workbook,
        "Fiscal years",
        &year_titles,
        &formats,
        currency,
    )?;
    let total_col = 2 + Category::ALL.len() as u16;
    let mut row = 1u32;
    for (o, x) in p.plans.iter().zip(&c.plans) {
        let cells = o.ledger.by_fiscal_year(calendar);
        for (year, total) in &x.by_fiscal_year {
            sheet.text(row, 0, &x.plan, false)?;
            sheet.text(row, 1, &year.to_string(), false)?;
            for (j, category) in Category::ALL.iter().enumerate() {
                let amount = cells.get(&(*year, *category)).copied().unwrap_or_default();
                sheet.money(row, 2 + j as u16, amount, false)?;
            }
            sheet.money(row, total_col, *total, true)?;
            row += 1;
        }
    }
    sheet.finish()?;

    // One sheet per plan: months down, categories across, totals.
    let month_titles = titles(&["Month", "Fiscal year"], categories(), &["Total"]);
    let mut taken = BTreeSet::new();
    for o in p.plans {
        let name = sheet_name(&o.plan.name, &mut taken);
        let mut sheet = Sheet::new(&mut workbook, &name, &month_titles, &formats, currency)?;
        let cells = o.ledger.by_month_and_category();
        let mut column_totals = vec![Decimal::ZERO; Category::ALL.len()];
        for (i, (m, month_total)) in o.monthly_totals().into_iter().enumerate() {
            let row = i as u32 + 1;
            sheet.date(row, 0, m.first_day(), true)?;
            sheet.text(row, 1, &calendar.year_of(m).to_string(), false)?;
            for (j, category) in Category::ALL.iter().enumerate() {
                let amount = cells.get(&(m, *category)).copied().unwrap_or_default();
                column_totals[j] += amount;
                sheet.money(row, 2 + j as u16, amount, false)?;
            }
            sheet.money(row, total_col, month_total, true)?;
        }
        let row = o.coverage.len() as u32 + 1;
        sheet.text(row, 0, "Total", true)?;
        for (j, amount) in column_totals.iter().enumerate() {
            sheet.money(row, 2 + j as u16, *amount, true)?;
        }
        sheet.money(row, total_col, o.total_cost(), true)?;
        sheet.finish()?;
    }
    workbook.save_to_buffer()
}

pub fn budget_xlsx(p: Projected, c: &Comparison) -> Result<OutputFile, Error> {
    let bytes = build(p, c).map_err(|e| Error::Render {
        name: "budget.xlsx".into(),
        message: e.to_string(),
    })?;
    Ok(OutputFile {
        name: "budget.xlsx".into(),
        bytes,
    })
}
