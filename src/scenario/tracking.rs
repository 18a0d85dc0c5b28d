//! Tracking (`[tracking]`): what happened since the plan was approved — the frozen baseline it
//! is measured against, the actual spend (a CSV of invoices and internal time) and the events
//! that took place (audits held, decisions, reports, major nonconformities, slips).
//!
//! Everything here is read and checked; the re-projection is `decision::tracking`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::vocabulary::category::Category;
use crate::vocabulary::currency::Currency;
use crate::vocabulary::error::{Diagnostic, Error, Warning};
use crate::vocabulary::framework::Framework;
use crate::vocabulary::money::MAX_AMOUNT;
use crate::vocabulary::year_month::Date;

/// The version of the baseline file format written by `certplan baseline`.
pub const BASELINE_SCHEMA_VERSION: u32 = 1;

/// Most rows an actuals CSV may hold.
pub const MAX_ACTUALS: usize = 100_000;

/// `[tracking]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackingSpec {
    /// The baseline file (`certplan baseline`), relative to the scenario file.
    pub baseline: Spanned<String>,
    /// The day the actuals and events are known up to.
    pub as_of: Spanned<Date>,
    /// The CSV of actual costs, relative to the scenario file.
    pub actuals: Option<Spanned<String>>,
    /// Column names of an accounting export, when they are not the default ones.
    #[serde(default)]
    pub columns: Columns,
    #[serde(default)]
    pub event: Vec<Spanned<EventSpec>>,
}

/// The header names of the actuals CSV: `date,amount,category,framework,description` unless an
/// accounting export names its columns otherwise.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Columns {
    pub date: String,
    pub amount: String,
    pub category: String,
    pub framework: String,
    pub description: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            date: "date".into(),
            amount: "amount".into(),
            category: "category".into(),
            framework: "framework".into(),
            description: "description".into(),
        }
    }
}

/// What kind of thing took place.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKindSpec {
    AuditHeld,
    CertificateDecision,
    ReportIssued,
    MajorNonconformity,
    Slip,
}

/// An ISO/IEC 27001 external audit an event is about.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackedAudit {
    Stage1Audit,
    Stage2Audit,
    SurveillanceAudit,
    RecertificationAudit,
}

impl TrackedAudit {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackedAudit::Stage1Audit => "stage1_audit",
            TrackedAudit::Stage2Audit => "stage2_audit",
            TrackedAudit::SurveillanceAudit => "surveillance_audit",
            TrackedAudit::RecertificationAudit => "recertification_audit",
        }
    }
}

/// A SOC 2 report.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackedReport {
    Type1,
    Type2,
}

/// One `[[tracking.event]]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    pub kind: EventKindSpec,
    pub audit: Option<TrackedAudit>,
    pub report: Option<TrackedReport>,
    /// When it took place (the first day of an audit).
    pub date: Date,
    /// The last day of an audit held.
    pub end: Option<Date>,
    /// Auditor-days of an audit held, as the certification body charged them.
    pub auditor_days: Option<crate::vocabulary::money::Amount>,
    #[serde(default = "one")]
    pub cycle: u32,
    #[serde(default = "one")]
    pub number: u32,
    /// A major nonconformity: months to close it; a slip: months later than planned.
    pub months: Option<u32>,
    /// A major nonconformity at Stage 2: days of the follow-up audit (default 1).
    pub follow_up_days: Option<crate::vocabulary::money::Amount>,
}

fn one() -> u32 {
    1
}

/// One row of the actuals CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActualCost {
    pub date: NaiveDate,
    pub amount: Decimal,
    pub category: Category,
    pub framework: Option<Framework>,
    pub description: String,
    /// The CSV line it was read from.
    pub line: usize,
}

/// What took place, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrackedEvent {
    AuditHeld {
        audit: TrackedAudit,
        cycle: u32,
        number: u32,
        start: NaiveDate,
        end: Option<NaiveDate>,
        auditor_days: Option<Decimal>,
    },
    CertificateDecision {
        cycle: u32,
        date: NaiveDate,
    },
    ReportIssued {
        report: TrackedReport,
        date: NaiveDate,
    },
    MajorNonconformity {
        audit: TrackedAudit,
        date: NaiveDate,
        months: u32,
        follow_up_days: Decimal,
    },
    Slip {
        audit: TrackedAudit,
        cycle: u32,
        number: u32,
        months: u32,
        date: NaiveDate,
    },
}

/// The `[tracking]` section read and checked, its files read.
#[derive(Clone, Debug)]
pub struct Tracking {
    pub baseline_path: PathBuf,
    pub as_of: NaiveDate,
    pub actuals_path: Option<PathBuf>,
    pub actuals: Vec<ActualCost>,
    pub events: Vec<TrackedEvent>,
    pub warnings: Vec<Warning>,
}

/// What happened to the ISO/IEC 27001 cycle, as the cycle engine plays it: audits and the
/// first certification decision fixed at their real dates (nothing by default).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct IsoActuals {
    /// Held audits: (audit, cycle, number) → first day and auditor-days charged.
    pub audits: Vec<HeldAudit>,
    /// The first certification decision, when it was taken.
    pub first_decision: Option<NaiveDate>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct HeldAudit {
    pub audit: TrackedAudit,
    pub cycle: u32,
    pub number: u32,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub auditor_days: Option<Decimal>,
}

impl IsoActuals {
    /// The audit held, if it was.
    pub fn held(&self, audit: TrackedAudit, cycle: u32, number: u32) -> Option<&HeldAudit> {
        self.audits
            .iter()
            .find(|a| a.audit == audit && a.cycle == cycle && a.number == number)
    }

    pub fn is_empty(&self) -> bool {
        self.audits.is_empty() && self.first_decision.is_none()
    }
}

#[derive(Deserialize)]
struct TrackingFile {
    tracking: Option<Spanned<TrackingSpec>>,
}

/// The `[tracking]` section of the scenario `path` (text `text`), its actuals CSV read relative
/// to the scenario's folder; `None` when the scenario has no such section.
pub fn read(path: &Path, text: &str, currency: Currency) -> Result<Option<Tracking>, Error> {
    let file: TrackingFile = toml::from_str(text).map_err(|e| {
        Error::from(Diagnostic::at(
            path,
            text,
            e.span(),
            Some("tracking".into()),
            e.message().trim_end().to_string(),
        ))
    })?;
    let Some(spec) = file.tracking else {
        return Ok(None);
    };
    let spec = spec.into_inner();
    let at = |span: std::ops::Range<usize>, key: &str, message: String| {
        Error::input_at(path, text, span, key, message)
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    let as_of = spec.as_of.get_ref().0;
    let mut warnings = Vec::new();
    let mut events = Vec::new();
    for (i, event) in spec.event.iter().enumerate() {
        let key = format!("tracking.event[{}]", i + 1);
        let span = event.span();
        let e = event.get_ref();
        events.push(check_event(e, as_of).map_err(|m| at(span.clone(), &key, m))?);
    }
    let (actuals_path, actuals) = match &spec.actuals {
        Some(name) => {
            let csv_path = folder.join(name.get_ref());
            let bytes = std::fs::read(&csv_path).map_err(|source| Error::Read {
                path: csv_path.clone(),
                source,
            })?;
            let csv_text = String::from_utf8(bytes).map_err(|e| {
                let text = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()])
                    .into_owned();
                let (line, column) = crate::vocabulary::error::line_column(&text, text.len());
                Error::NotUtf8 {
                    path: csv_path.clone(),
                    line,
                    column,
                }
            })?;
            let rows = read_actuals(&csv_path, &csv_text, &spec.columns, as_of, currency)?;
            warnings.extend(duplicate_warnings(&csv_path, &rows));
            (Some(csv_path), rows)
        }
        None => (None, Vec::new()),
    };
    Ok(Some(Tracking {
        baseline_path: folder.join(spec.baseline.get_ref()),
        as_of,
        actuals_path,
        actuals,
        events,
        warnings,
    }))
}

fn check_event(e: &EventSpec, as_of: NaiveDate) -> Result<TrackedEvent, String> {
    let date = e.date.0;
    if date > as_of {
        return Err(format!(
            "this event is dated {date}, after as_of ({as_of}): only what has taken place is \
             tracked; a planned date belongs in the scenario"
        ));
    }
    if !(1..=50).contains(&e.cycle) {
        return Err(format!("cycle {}: expected 1 to 50", e.cycle));
    }
    if !(1..=2).contains(&e.number) {
        return Err(format!(
            "number {}: expected 1 or 2 (surveillance audits 1 and 2 of a cycle)",
            e.number
        ));
    }
    let audit = |allowed: &[TrackedAudit]| -> Result<TrackedAudit, String> {
        let names: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
        match e.audit {
            Some(a) if allowed.contains(&a) => Ok(a),
            Some(a) => Err(format!(
                "audit `{}` cannot be given for this kind of event: expected {}",
                a.as_str(),
                names.join(", ")
            )),
            None => Err(format!(
                "missing key `audit`: expected {}",
                names.join(", ")
            )),
        }
    };
    let all = [
        TrackedAudit::Stage1Audit,
        TrackedAudit::Stage2Audit,
        TrackedAudit::SurveillanceAudit,
        TrackedAudit::RecertificationAudit,
    ];
    Ok(match e.kind {
        EventKindSpec::AuditHeld => {
            let end = e.end.map(|d| d.0);
            if let Some(end) = end {
                if end < date {
                    return Err(format!("end {end} is before the audit's first day {date}"));
                }
                if end > as_of {
                    return Err(format!(
                        "end {end} is after as_of ({as_of}): record an audit once it is held"
                    ));
                }
            }
            TrackedEvent::AuditHeld {
                audit: audit(&all)?,
                cycle: e.cycle,
                number: e.number,
                start: date,
                end,
                auditor_days: e.auditor_days.map(|a| a.0),
            }
        }
        EventKindSpec::CertificateDecision => TrackedEvent::CertificateDecision {
            cycle: e.cycle,
            date,
        },
        EventKindSpec::ReportIssued => TrackedEvent::ReportIssued {
            report: e
                .report
                .ok_or("missing key `report`: expected type1 or type2")?,
            date,
        },
        EventKindSpec::MajorNonconformity => {
            let months = e.months.unwrap_or(2);
            if !(1..=36).contains(&months) {
                return Err(format!(
                    "months {months}: expected 1 to 36 months to close it"
                ));
            }
            TrackedEvent::MajorNonconformity {
                audit: audit(&[TrackedAudit::Stage2Audit, TrackedAudit::SurveillanceAudit])?,
                date,
                months,
                follow_up_days: e.follow_up_days.map_or(Decimal::ONE, |a| a.0),
            }
        }
        EventKindSpec::Slip => {
            let months = e
                .months
                .ok_or("missing key `months`: how many months later than planned")?;
            if !(1..=36).contains(&months) {
                return Err(format!("months {months}: expected 1 to 36"));
            }
            TrackedEvent::Slip {
                audit: audit(&[
                    TrackedAudit::SurveillanceAudit,
                    TrackedAudit::RecertificationAudit,
                ])?,
                cycle: e.cycle,
                number: e.number,
                months,
                date,
            }
        }
    })
}

/// The rows of an actuals CSV; every problem names its line and column.
pub fn read_actuals(
    path: &Path,
    text: &str,
    columns: &Columns,
    as_of: NaiveDate,
    currency: Currency,
) -> Result<Vec<ActualCost>, Error> {
    let fail = |line: usize, column: usize, message: String| {
        let offset = offset_of(text, line, column);
        Error::from(Diagnostic::at(
            path,
            text,
            Some(offset..offset + 1),
            None,
            message,
        ))
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| fail(1, 1, format!("cannot read the header: {e}")))?
        .clone();
    let find = |name: &str| headers.iter().position(|h| h.trim() == name);
    let required = |name: &str| {
        find(name).ok_or_else(|| {
            fail(
                1,
                1,
                format!(
                    "the header has no column `{name}`: expected \
                     `date,amount,category,framework,description` (framework and description \
                     optional), or the names given in [tracking.columns]"
                ),
            )
        })
    };
    let date_col = required(&columns.date)?;
    let amount_col = required(&columns.amount)?;
    let category_col = required(&columns.category)?;
    let framework_col = find(&columns.framework);
    let description_col = find(&columns.description);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            fail(line, 1, format!("cannot read this row: {e}"))
        })?;
        let line = record.position().map_or(1, |p| p.line() as usize);
        if rows.len() >= MAX_ACTUALS {
            return Err(fail(
                line,
                1,
                format!("more than {MAX_ACTUALS} rows: an actuals file may hold at most that many"),
            ));
        }
        // The column (in characters, 1-based) where field `i` starts on its line.
        let column_of = |i: usize| {
            let start = offset_of(text, line, 1);
            let line_text = text[start..].lines().next().unwrap_or("");
            let mut column = 1;
            let mut field = 0;
            let mut quoted = false;
            for c in line_text.chars() {
                if field == i {
                    break;
                }
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => field += 1,
                    _ => {}
                }
                column += 1;
            }
            column
        };
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let date_text = field(date_col);
        let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d")
            .ok()
            .filter(|_| date_text.len() == 10)
            .ok_or_else(|| {
                fail(
                    line,
                    column_of(date_col),
                    format!("`{date_text}` is not a date: write YYYY-MM-DD, e.g. 2027-06-30"),
                )
            })?;
        if date > as_of {
            return Err(fail(
                line,
                column_of(date_col),
                format!(
                    "this actual is dated {date}, after as_of ({as_of}): an actual is what was \
                     spent up to as_of"
                ),
            ));
        }
        let amount_text = field(amount_col);
        let amount = Decimal::from_str_exact(amount_text).map_err(|_| {
            fail(
                line,
                column_of(amount_col),
                format!(
                    "`{amount_text}` is not an amount: expected digits with an optional decimal \
                     point, e.g. 12500.50 (a credit note is negative)"
                ),
            )
        })?;
        if amount.scale() > currency.minor_units() {
            return Err(fail(
                line,
                column_of(amount_col),
                format!(
                    "`{amount_text}` has {} decimals: {} has {}",
                    amount.scale(),
                    currency.code(),
                    currency.minor_units()
                ),
            ));
        }
        if amount.abs() > MAX_AMOUNT {
            return Err(fail(
                line,
                column_of(amount_col),
                format!("`{amount_text}` is over the limit of {MAX_AMOUNT}"),
            ));
        }
        let category_text = field(category_col);
        let category = Category::ALL
            .into_iter()
            .find(|c| c.as_str() == category_text)
            .ok_or_else(|| {
                let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                fail(
                    line,
                    column_of(category_col),
                    format!(
                        "`{category_text}` is not a cost category: expected one of {}",
                        names.join(", ")
                    ),
                )
            })?;
        let framework = match framework_col.map(field) {
            None | Some("") => None,
            Some("iso27001") => Some(Framework::Iso27001),
            Some("soc2") => Some(Framework::Soc2),
            Some(other) => {
                return Err(fail(
                    line,
                    column_of(framework_col.unwrap_or(0)),
                    format!("`{other}` is not a framework: expected iso27001, soc2 or nothing"),
                ));
            }
        };
        let description = description_col.map(field).unwrap_or("").to_string();
        rows.push(ActualCost {
            date,
            amount: amount.normalize(),
            category,
            framework,
            description,
            line,
        });
    }
    Ok(rows)
}

/// The byte offset of 1-based `line` and `column` (in characters) of `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// A row with the same date, amount, category and description as an earlier one: likely the
/// same invoice booked twice (a warning, since two equal invoices may be real).
fn duplicate_warnings(path: &Path, rows: &[ActualCost]) -> Vec<Warning> {
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if let Some(earlier) = rows[..i].iter().find(|r| {
            r.date == row.date
                && r.amount == row.amount
                && r.category == row.category
                && r.description == row.description
        }) {
            out.push(Warning {
                key: format!("{}:{}", crate::vocabulary::error::shown(path), row.line),
                message: format!(
                    "likely a duplicate of line {}: same date, amount, category and description",
                    earlier.line
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::year_month::tests::d;

    fn gbp() -> Currency {
        "GBP".parse().unwrap()
    }

    fn rows(text: &str) -> Result<Vec<ActualCost>, Error> {
        read_actuals(
            Path::new("a.csv"),
            text,
            &Columns::default(),
            d("2027-06-30"),
            gbp(),
        )
    }

    #[test]
    fn reads_rows_with_optional_columns() {
        let r = rows("date,amount,category\n2027-01-31,1200.50,platform\n").unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].amount, Decimal::new(120050, 2));
        assert_eq!(r[0].category, Category::Platform);
        assert_eq!(r[0].line, 2);
    }

    #[test]
    fn a_bad_row_names_its_line_and_column() {
        let e = rows("date,amount,category\n2027-01-31,10,platform\n2027-02-28,10,lunch\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("a.csv:3:15: `lunch` is not a cost category"),
            "{e}"
        );
        let e = rows("date,amount,category\n2027-01-31,10.001,platform\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("a.csv:2:12: `10.001` has 3 decimals"), "{e}");
        let e = rows("date,amount,category\n2027-07-01,10,platform\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("a.csv:2:1: this actual is dated 2027-07-01, after as_of"),
            "{e}"
        );
    }

    #[test]
    fn a_mapped_accounting_export_reads() {
        let columns = Columns {
            date: "Posting date".into(),
            amount: "Net".into(),
            category: "Cost centre".into(),
            framework: "Project".into(),
            description: "Memo".into(),
        };
        let r = read_actuals(
            Path::new("a.csv"),
            "Memo,Posting date,Net,Cost centre,Project\n\"Fee, Stage 1\",2027-03-01,900,audit_fees,iso27001\n",
            &columns,
            d("2027-06-30"),
            gbp(),
        )
        .unwrap();
        assert_eq!(r[0].description, "Fee, Stage 1");
        assert_eq!(r[0].framework, Some(Framework::Iso27001));
    }

    #[test]
    fn a_repeated_invoice_is_a_warning() {
        let r = rows("date,amount,category,framework,description\n2027-01-31,10,platform,,Vanta\n2027-01-31,10,platform,,Vanta\n").unwrap();
        let w = duplicate_warnings(Path::new("a.csv"), &r);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].to_string()
                .contains("a.csv:3: likely a duplicate of line 2")
        );
    }
}
