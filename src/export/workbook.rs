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
use crate::money::round_to_minor;

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

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// Excel numbers are doubles; an amount rounded to the minor unit converts exactly enough for
/// every reader to show the same cents.
fn number(d: Decimal, currency: Currency) -> f64 {
    rust_decimal::prelude::ToPrimitive::to_f64(&round_to_minor(d, currency)).unwrap_or(0.0)
}

/// Column widths from the longest text written to each column.
struct Widths(Vec<usize>);

impl Widths {
    fn see(&mut self, col: u16, text_len: usize) {
        let col = col as usize;
        if self.0.len() <= col {
            self.0.resize(col + 1, 8);
        }
        self.0[col] = self.0[col].max(text_len);
    }

    fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (col, width) in self.0.iter().enumerate() {
            sheet.set_column_width(col as u16, (*width + 2).min(60) as u32)?;
        }
        Ok(())
    }
}

fn header(
    sheet: &mut Worksheet,
    widths: &mut Widths,
    titles: &[String],
    bold: &Format,
) -> Result<(), XlsxError> {
    for (col, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, title, bold)?;
        widths.see(col as u16, title.chars().count());
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
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
    let bold = Format::new().set_bold().set_align(FormatAlign::Center);
    let bold_left = Format::new().set_bold();
    let money = money_format(currency);
    let bold_money = money_format(currency).set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let month = Format::new().set_num_format("mmm yyyy");

    // Summary: the comparison.
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Summary")?;
        let mut widths = Widths(Vec::new());
        let mut titles: Vec<String> = [
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
        ]
        .map(String::from)
        .to_vec();
        titles.extend(c.fiscal_years.iter().map(|y| y.to_string()));
        header(sheet, &mut widths, &titles, &bold)?;
        for (i, x) in c.plans.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_string(row, 0, &x.plan)?;
            widths.see(0, x.plan.chars().count());
            let mut put_money =
                |sheet: &mut Worksheet, col: u16, d: Decimal| -> Result<(), XlsxError> {
                    sheet.write_number_with_format(row, col, number(d, currency), &money)?;
                    widths.see(
                        col,
                        crate::money::display_amount(d, currency).chars().count(),
                    );
                    Ok(())
                };
            put_money(sheet, 1, x.total)?;
            put_money(sheet, 2, x.first_year)?;
            if let Some(r) = x.run_rate {
                put_money(sheet, 3, r)?;
            }
            for (col, d) in [
                (4u16, x.first_iso_certificate),
                (5, x.first_soc2_type1_report),
                (6, x.first_soc2_type2_report),
            ] {
                if let Some(d) = d {
                    sheet.write_datetime_with_format(row, col, excel_date(d)?, &date)?;
                }
            }
            sheet.write_number(row, 7, x.covered_months as f64)?;
            sheet.write_number(row, 8, x.uncovered_months as f64)?;
            if let Some(s) = &x.saving {
                put_money(sheet, 9, s.saving)?;
            }
            sheet.write_string(row, 10, if x.meets_all() { "yes" } else { "no" })?;
            sheet.write_string(
                row,
                11,
                if c.recommendation.plan == Some(i) {
                    "yes"
                } else {
                    ""
                },
            )?;
            for (j, (_, amount)) in x.by_fiscal_year.iter().enumerate() {
                put_money(sheet, 12 + j as u16, *amount)?;
            }
        }
        widths.apply(sheet)?;
    }

    // Fiscal years: plan × fiscal year × category.
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Fiscal years")?;
        let mut widths = Widths(Vec::new());
        let mut titles = vec!["Plan".to_string(), "Fiscal year".to_string()];
        titles.extend(Category::ALL.iter().map(|c| c.label().to_string()));
        titles.push("Total".into());
        header(sheet, &mut widths, &titles, &bold)?;
        let mut row = 1u32;
        for (o, x) in p.plans.iter().zip(&c.plans) {
            let cells = o.ledger.by_fiscal_year(calendar);
            for (year, total) in &x.by_fiscal_year {
                sheet.write_string(row, 0, &x.plan)?;
                sheet.write_string(row, 1, year.to_string())?;
                widths.see(0, x.plan.chars().count());
                for (j, category) in Category::ALL.iter().enumerate() {
                    let amount = cells.get(&(*year, *category)).copied().unwrap_or_default();
                    sheet.write_number_with_format(
                        row,
                        2 + j as u16,
                        number(amount, currency),
                        &money,
                    )?;
                    widths.see(
                        2 + j as u16,
                        crate::money::display_amount(amount, currency)
                            .chars()
                            .count(),
                    );
                }
                let col = 2 + Category::ALL.len() as u16;
                sheet.write_number_with_format(row, col, number(*total, currency), &bold_money)?;
                widths.see(
                    col,
                    crate::money::display_amount(*total, currency)
                        .chars()
                        .count(),
                );
                row += 1;
            }
        }
        widths.apply(sheet)?;
    }

    // One sheet per plan: months down, categories across, totals.
    let mut taken = BTreeSet::new();
    for o in p.plans {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&o.plan.name, &mut taken))?;
        let mut widths = Widths(Vec::new());
        let cells = o.ledger.by_month_and_category();
        let mut titles = vec!["Month".to_string(), "Fiscal year".to_string()];
        titles.extend(Category::ALL.iter().map(|c| c.label().to_string()));
        titles.push("Total".into());
        header(sheet, &mut widths, &titles, &bold)?;
        let total_col = 2 + Category::ALL.len() as u16;
        let mut column_totals = vec![Decimal::ZERO; Category::ALL.len()];
        for (i, (m, _)) in o.coverage.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_datetime_with_format(row, 0, excel_date(m.first_day())?, &month)?;
            sheet.write_string(row, 1, calendar.year_of(*m).to_string())?;
            let mut month_total = Decimal::ZERO;
            for (j, category) in Category::ALL.iter().enumerate() {
                let amount = cells.get(&(*m, *category)).copied().unwrap_or_default();
                month_total += amount;
                column_totals[j] += amount;
                sheet.write_number_with_format(
                    row,
                    2 + j as u16,
                    number(amount, currency),
                    &money,
                )?;
            }
            sheet.write_number_with_format(
                row,
                total_col,
                number(month_total, currency),
                &bold_money,
            )?;
        }
        let row = o.coverage.len() as u32 + 1;
        sheet.write_string_with_format(row, 0, "Total", &bold_left)?;
        for (j, amount) in column_totals.iter().enumerate() {
            sheet.write_number_with_format(
                row,
                2 + j as u16,
                number(*amount, currency),
                &bold_money,
            )?;
            widths.see(
                2 + j as u16,
                crate::money::display_amount(*amount, currency)
                    .chars()
                    .count(),
            );
        }
        sheet.write_number_with_format(
            row,
            total_col,
            number(o.total_cost(), currency),
            &bold_money,
        )?;
        widths.see(
            total_col,
            crate::money::display_amount(o.total_cost(), currency)
                .chars()
                .count(),
        );
        widths.see(0, 10);
        widths.apply(sheet)?;
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
