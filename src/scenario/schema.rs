//! The JSON Schema of the scenario format, for editors (Taplo, VS Code's Even Better TOML):
//! `certplan schema` prints it, `docs/scenario.schema.json` ships it, and each shipped scenario
//! points at it with a `#:schema` directive. The ranges are those the reader checks; a test
//! proves the schema and the reader agree on every shipped scenario, on a set of bad ones, and
//! at both ends of every whole-number range.

use serde_json::{Map, Value, json};

use crate::vocabulary::money::MAX_AMOUNT;

/// A whole number from `min` to `max`.
fn whole(min: i64, max: i64, description: &str) -> Value {
    json!({ "type": "integer", "minimum": min, "maximum": max, "description": description })
}

/// A fraction written as a number or a quoted number.
fn fraction(min: f64, max: f64, description: &str) -> Value {
    json!({
        "description": description,
        "anyOf": [
            { "type": "number", "minimum": min, "maximum": max },
            { "type": "string", "pattern": r"^\s*-?[0-9]+(\.[0-9]+)?\s*$" }
        ]
    })
}

/// Money: an integer, or a quoted decimal; never a float.
fn money(description: &str) -> Value {
    json!({
        "description": format!("{description} Money is an integer (12500) or a quoted amount (\"12500.50\"), never a float."),
        "anyOf": [
            { "type": "integer", "minimum": 0, "maximum": MAX_AMOUNT.to_string().parse::<i64>().unwrap_or(1_000_000_000) },
            { "type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*$" }
        ]
    })
}

fn payment() -> Value {
    json!({
        "enum": ["on_booking", "at_fieldwork", "on_report", "spread"],
        "description": "When the invoice is paid: on booking, when fieldwork starts, on the report, or spread evenly."
    })
}

/// A cost: an amount, or `{ amount, paid }`.
fn cost(description: &str) -> Value {
    json!({
        "description": description,
        "anyOf": [
            money(""),
            {
                "type": "object",
                "additionalProperties": false,
                "required": ["amount"],
                "properties": { "amount": money("The amount."), "paid": payment() }
            }
        ]
    })
}

fn boolean(description: &str) -> Value {
    json!({ "type": "boolean", "description": description })
}

fn one_of(values: &[&str], description: &str) -> Value {
    json!({ "enum": values, "description": description })
}

fn month(description: &str) -> Value {
    json!({
        "type": "string",
        "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$",
        "description": format!("{description} A month, quoted: \"2027-01\".")
    })
}

fn date(description: &str) -> Value {
    json!({
        "type": "string",
        "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        "description": format!("{description} A date: \"2027-06-30\" or 2027-06-30.")
    })
}

fn table(properties: Vec<(&str, Value)>, required: &[&str], description: &str) -> Value {
    let properties: Map<String, Value> = properties
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "required": required,
        "properties": properties
    })
}

fn staff_fte(description: &str) -> Value {
    table(
        vec![
            ("build", fraction(0.0, 20.0, "FTE during the build.")),
            (
                "operate",
                fraction(
                    0.0,
                    20.0,
                    "FTE from the build's end to the first certificate or report.",
                ),
            ),
            ("run", fraction(0.0, 20.0, "FTE every month after it.")),
        ],
        &[],
        description,
    )
}

fn programme() -> Value {
    table(
        vec![
            (
                "name",
                json!({ "type": "string", "minLength": 1, "maxLength": 120, "description": "Shown on every output: printable text." }),
            ),
            ("start", month("First month of the plan.")),
            ("horizon_months", whole(1, 120, "Months planned.")),
            (
                "currency",
                json!({ "type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code of every amount." }),
            ),
            (
                "fiscal_year_start_month",
                whole(1, 12, "Month the fiscal year starts (1 = January)."),
            ),
            (
                "fiscal_year_naming",
                one_of(
                    &["end_year", "start_year"],
                    "Name a fiscal year after the year it ends or starts in.",
                ),
            ),
            (
                "fiscal_year_label",
                one_of(
                    &["fy", "fy_span", "span"],
                    "How fiscal years are written: fy (FY2028), fy_span (FY2027/28) or span (2027-28).",
                ),
            ),
            (
                "headcount",
                whole(
                    1,
                    1_000_000,
                    "Persons under the organisation's control: sets the ISO/IEC 27006-1 audit days (docs/domain.md §2).",
                ),
            ),
            (
                "sites",
                whole(1, 10_000, "Sites; used with iso27001.multi_site_sampling."),
            ),
            (
                "headcount_growth_per_year",
                fraction(
                    -0.5,
                    2.0,
                    "Yearly headcount growth; audit time follows it (IAF MD 5).",
                ),
            ),
        ],
        &["name", "start", "horizon_months", "currency", "headcount"],
        "The company and the window of the plan.",
    )
}

fn iso27001() -> Value {
    let slip = table(
        vec![
            (
                "audit",
                one_of(
                    &["surveillance_audit", "recertification_audit"],
                    "The audit that is late.",
                ),
            ),
            (
                "cycle",
                whole(1, 50, "Certification cycle (1 = the first certificate)."),
            ),
            (
                "number",
                whole(1, 2, "Surveillance audit 1 or 2 (not for recertification)."),
            ),
            ("months", whole(1, 36, "Months late.")),
        ],
        &["audit", "cycle", "months"],
        "A what-if: an audit later than planned.",
    );
    table(
        vec![
            (
                "gap_assessment_months",
                whole(0, 24, "Gap assessment, months."),
            ),
            (
                "implementation_months",
                whole(1, 36, "ISMS implementation, months."),
            ),
            (
                "operation_before_stage1_months",
                whole(1, 24, "ISMS operation before Stage 1, months (I3)."),
            ),
            (
                "stage1_to_stage2_weeks",
                whole(1, 104, "Stage 1 to Stage 2, weeks (I2)."),
            ),
            (
                "decision_lag_weeks",
                whole(0, 13, "End of Stage 2 to the decision, weeks (I4)."),
            ),
            (
                "surveillance_months_after_decision",
                whole(
                    1,
                    12,
                    "First surveillance audit after the decision, months (I6).",
                ),
            ),
            (
                "recertification_lead_months",
                whole(
                    0,
                    12,
                    "Recertification starts this long before expiry (I7).",
                ),
            ),
            (
                "certificate_expiry",
                one_of(
                    &["anniversary", "day_before"],
                    "The certificate's last day (I5).",
                ),
            ),
            (
                "audit_days",
                json!({ "type": "number", "minimum": 0.5, "maximum": 500, "multipleOf": 0.5, "description": "Initial audit days (Stage 1 + Stage 2), in half days: the certification body's quote." }),
            ),
            (
                "repetitive_work_persons",
                whole(
                    1,
                    1_000_000,
                    "Persons doing identical repetitive work, counted as their square root (ISO/IEC 27006-1:2024 C.3.4).",
                ),
            ),
            (
                "complexity_adjustment",
                fraction(-0.3, 1.0, "Raises or lowers the table's audit time."),
            ),
            (
                "stage1_share",
                fraction(0.05, 0.95, "Share of the initial audit days in Stage 1."),
            ),
            (
                "multi_site_sampling",
                boolean("Audit days × sampled sites."),
            ),
            ("day_rate", money("Per auditor-day.")),
            ("travel_per_audit", money("Per external audit.")),
            ("application_fee", money("Once per initial certification.")),
            ("certificate_fee", money("Per certificate issued.")),
            ("audit_fees_paid", payment()),
            (
                "booking_lead_months",
                whole(0, 12, "Certification body booked this long ahead."),
            ),
            (
                "readiness_consulting",
                cost("Gap assessment and implementation consulting."),
            ),
            ("remediation", cost("Tools and engineering bought in.")),
            ("internal_audit", cost("Each internal audit.")),
            ("management_review", cost("Each management review.")),
            ("risk_assessment", cost("Each risk-assessment refresh.")),
            ("staff_fte", staff_fte("Internal staff effort, FTE.")),
            (
                "slip",
                json!({ "type": "array", "items": slip, "description": "Audits later than planned." }),
            ),
        ],
        &[],
        "ISO/IEC 27001 certification.",
    )
}

fn soc2() -> Value {
    table(
        vec![
            (
                "categories",
                json!({
                    "type": "array",
                    "uniqueItems": true,
                    "contains": { "const": "security" },
                    "items": { "enum": ["security", "availability", "processing_integrity", "confidentiality", "privacy"] },
                    "description": "Trust Services Categories; security is always in scope (S1)."
                }),
            ),
            ("readiness_months", whole(0, 12, "Readiness, months (S7).")),
            (
                "type1_first",
                boolean("A Type I report before the first Type II."),
            ),
            (
                "first_window_months",
                whole(1, 12, "First Type II period, months (S3)."),
            ),
            (
                "later_window_months",
                whole(1, 12, "Later Type II periods, months (S3)."),
            ),
            (
                "report_lag_weeks",
                whole(1, 17, "Report issued this long after the period (S4)."),
            ),
            (
                "report_current_months",
                whole(1, 24, "A report is current this long (S5)."),
            ),
            (
                "currency_anchor",
                one_of(
                    &["period_end", "issue_date"],
                    "What currency counts from (S5).",
                ),
            ),
            (
                "bridge_letters",
                boolean("Management bridge letters cover short gaps (S6)."),
            ),
            (
                "bridge_letter_max_months",
                whole(1, 6, "Longest gap a bridge letter covers (S6)."),
            ),
            ("type1_fee", money("Each Type I engagement.")),
            ("type2_fee", money("Each Type II engagement.")),
            ("soc3", boolean("A SOC 3 report with each Type II (S7).")),
            ("soc3_fee", money("Added per SOC 3 report.")),
            (
                "category_uplift",
                fraction(0.0, 1.0, "Added to each fee per category beyond security."),
            ),
            ("audit_fees_paid", payment()),
            (
                "booking_lead_months",
                whole(0, 12, "CPA firm booked this long ahead."),
            ),
            ("readiness_consulting", cost("Readiness consulting.")),
            ("remediation", cost("Remediation during readiness.")),
            ("staff_fte", staff_fte("Internal staff effort, FTE.")),
        ],
        &[],
        "SOC 2 attestation.",
    )
}

/// `table` keeping only the properties named in `keep`, none required (a plan's overrides).
fn subset(table: &Value, keep: &[&str], description: &str) -> Value {
    let mut t = table.clone();
    if let Some(map) = t.get_mut("properties").and_then(Value::as_object_mut) {
        map.retain(|k, _| keep.is_empty() || keep.contains(&k.as_str()));
    }
    if let Value::Object(map) = &mut t {
        map.insert("required".into(), json!([]));
        map.insert("description".into(), json!(description));
    }
    t
}

fn finance() -> Value {
    let contingency = table(
        vec![
            (
                "build",
                fraction(0.0, 1.0, "Share of one-off (build) cost held in reserve."),
            ),
            (
                "run",
                fraction(0.0, 1.0, "Share of recurring (run) cost held in reserve."),
            ),
        ],
        &[],
        "A contingency reserve, kept as a cost category of its own.",
    );
    let escalation = table(
        vec![
            (
                "audit_fees",
                fraction(
                    0.0,
                    0.5,
                    "Yearly rise of certification body and CPA firm invoices.",
                ),
            ),
            (
                "subscriptions",
                fraction(0.0, 0.5, "Yearly rise of the platform subscription."),
            ),
            (
                "staff",
                fraction(0.0, 0.5, "Yearly rise of the loaded staff cost."),
            ),
            (
                "from",
                month("The month the first rise takes effect (default: a year after the start)."),
            ),
        ],
        &[],
        "Price escalation, compounding yearly.",
    );
    table(
        vec![
            (
                "discount_rate",
                fraction(0.0, 1.0, "Yearly discount rate for present values."),
            ),
            ("contingency", contingency),
            ("escalation", escalation),
            (
                "payback_by",
                month(
                    "With [[demand]]: the month by which certplan risk gives each plan's probability of having paid back.",
                ),
            ),
        ],
        &[],
        "Contingency, escalation and discounting; without it every figure is as priced.",
    )
}

/// `[tracking]`: what happened since the baseline (`certplan track`).
fn tracking() -> Value {
    let text = |d: &str| json!({ "type": "string", "description": d });
    let columns = table(
        vec![
            ("date", text("Header of the date column (default `date`).")),
            (
                "amount",
                text("Header of the amount column (default `amount`)."),
            ),
            (
                "category",
                text("Header of the category column (default `category`)."),
            ),
            (
                "framework",
                text("Header of the framework column (default `framework`)."),
            ),
            (
                "description",
                text("Header of the description column (default `description`)."),
            ),
        ],
        &[],
        "Column names of an accounting export, when they are not the default ones.",
    );
    let audit = one_of(
        &[
            "stage1_audit",
            "stage2_audit",
            "surveillance_audit",
            "recertification_audit",
        ],
        "The ISO/IEC 27001 external audit the event is about.",
    );
    let event = table(
        vec![
            (
                "kind",
                one_of(
                    &[
                        "audit_held",
                        "certificate_decision",
                        "report_issued",
                        "major_nonconformity",
                        "slip",
                    ],
                    "What took place.",
                ),
            ),
            ("audit", audit),
            (
                "report",
                one_of(&["type1", "type2"], "The SOC 2 report issued."),
            ),
            (
                "date",
                date("When it took place (an audit: its first day); on or before as_of."),
            ),
            ("end", date("The last day of an audit held.")),
            ("auditor_days", money("Auditor-days of an audit held.")),
            ("cycle", whole(1, 50, "Certification cycle (default 1).")),
            (
                "number",
                whole(1, 2, "Surveillance audit 1 or 2 (default 1)."),
            ),
            (
                "months",
                whole(
                    1,
                    36,
                    "A major nonconformity: months to close it (default 2); a slip: months later than planned.",
                ),
            ),
            (
                "follow_up_days",
                money("A major nonconformity at Stage 2: days of the follow-up audit (default 1)."),
            ),
        ],
        &["kind", "date"],
        "Something that took place.",
    );
    table(
        vec![
            (
                "baseline",
                text("The baseline file (`certplan baseline`), relative to the scenario file."),
            ),
            ("as_of", date("The day actuals and events are known up to.")),
            (
                "actuals",
                text("The CSV of actual costs, relative to the scenario file."),
            ),
            ("columns", columns),
            (
                "event",
                json!({ "type": "array", "maxItems": 1000, "items": event, "description": "What took place." }),
            ),
        ],
        &["baseline", "as_of"],
        "What happened since the baseline was frozen, for `certplan track`.",
    )
}

fn demand() -> Value {
    let assurance = one_of(
        &[
            "iso27001_certificate",
            "soc2_type1_report",
            "soc2_type2_report",
        ],
        "What the customer asks to see.",
    );
    let mut demand = table(
        vec![
            (
                "name",
                json!({ "type": "string", "minLength": 1, "maxLength": 80, "description": "A segment or a named deal." }),
            ),
            (
                "needs",
                json!({ "description": "One assurance, or a list of which any will do.", "anyOf": [assurance.clone(), { "type": "array", "minItems": 1, "items": assurance }] }),
            ),
            (
                "from",
                month("The first month the demand exists (default: the programme start)."),
            ),
            (
                "monthly_revenue",
                money("Recurring revenue a month once unlocked."),
            ),
            (
                "contract_value",
                money("A one-off contract value, in the month unlocked."),
            ),
            (
                "win_probability",
                fraction(0.0, 1.0, "The chance of winning it, 0 to 1."),
            ),
            (
                "needed_by",
                date(
                    "The date the assurance must be in hand (a tender closes, a renewal falls due).",
                ),
            ),
            (
                "if_late",
                one_of(
                    &["lost", "delayed"],
                    "When the assurance comes after needed_by: the deal is lost (default) or starts when it arrives.",
                ),
            ),
            (
                "win_probability_decay",
                fraction(
                    0.0,
                    1.0,
                    "With if_late = \"delayed\": the win probability lost per month late.",
                ),
            ),
        ],
        &["name", "needs", "win_probability"],
        "Business that needs a certificate or report.",
    );
    if let Value::Object(map) = &mut demand {
        map.insert(
            "oneOf".into(),
            json!([{ "required": ["monthly_revenue"] }, { "required": ["contract_value"] }]),
        );
    }
    demand
}

fn plan(sections: &[(&str, Value)]) -> Value {
    let framework = table(
        vec![
            ("name", one_of(&["iso27001", "soc2"], "The framework.")),
            (
                "start_offset_months",
                whole(0, 119, "Months after the programme start."),
            ),
        ],
        &["name"],
        "A framework of the plan, written as a table: { name = \"soc2\" }.",
    );
    let mut plan = table(
        vec![
            (
                "name",
                json!({ "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", "description": "1 to 64 letters, digits, - or _ (part of file names)." }),
            ),
            (
                "description",
                json!({ "type": "string", "maxLength": 300, "description": "Shown with the plan." }),
            ),
            (
                "frameworks",
                json!({ "type": "array", "minItems": 1, "items": framework, "description": "The frameworks, each a table." }),
            ),
            (
                "shared_control_fraction",
                fraction(
                    0.0,
                    1.0,
                    "Share of later frameworks' effort the first covers (§6).",
                ),
            ),
            (
                "combined_audit_discount",
                fraction(0.0, 0.5, "Off every audit fee of a plan with both (§6)."),
            ),
            (
                "shared_control_time_saving",
                fraction(
                    0.0,
                    0.9,
                    "How much shorter a later framework's build is once the first one's controls are in place (§6, default 0.5).",
                ),
            ),
            (
                "base",
                json!({ "type": "string", "description": "Another plan this one starts from." }),
            ),
        ],
        &["name"],
        "A way to pursue the frameworks.",
    );
    if let Some(map) = plan.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, section) in sections {
            map.insert((*name).to_string(), section.clone());
        }
    }
    if let Value::Object(map) = &mut plan {
        map.insert(
            "anyOf".into(),
            json!([{ "required": ["frameworks"] }, { "required": ["base"] }]),
        );
    }
    plan
}

/// A key that also takes a three-point range (docs/scenario.md, "Ranges").
fn ranged(section: &str, properties: &mut Value) {
    let Some(map) = properties
        .get_mut("properties")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (key, property) in map.iter_mut() {
        if crate::scenario::uncertainty::unit_of(&format!("{section}.{key}")).is_none()
            && !(section == "risk"
                && crate::scenario::uncertainty::RISK_SIZES
                    .iter()
                    .any(|(k, _)| k == key))
        {
            continue;
        }
        let description = property.get("description").cloned().unwrap_or(Value::Null);
        let mut base = property.clone();
        if let Value::Object(b) = &mut base {
            b.remove("description");
        }
        *property = json!({
            "description": description,
            "anyOf": [
                base.clone(),
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["low", "likely", "high"],
                    "description": "A three-point estimate: low ≤ likely ≤ high; the likely value is the base case.",
                    "properties": {
                        "low": base.clone(),
                        "likely": base.clone(),
                        "high": base,
                        "dist": { "enum": ["pert", "triangular", "uniform"] }
                    }
                }
            ]
        });
    }
}

fn risk() -> Value {
    table(
        vec![
            (
                "name",
                json!({ "type": "string", "maxLength": 80, "description": "Shown in the tornado and the report." }),
            ),
            (
                "event",
                one_of(
                    &[
                        "stage2_major_nonconformity",
                        "surveillance_major_nonconformity",
                        "certification_body_booked_out",
                        "cpa_firm_booked_out",
                        "soc2_readiness_overrun",
                        "soc2_report_exceptions",
                        "key_person_loss",
                        "fee_rise_at_renewal",
                    ],
                    "What goes wrong.",
                ),
            ),
            (
                "probability",
                fraction(0.0, 1.0, "Chance it happens in a plan, 0 to 1."),
            ),
            (
                "plans",
                json!({ "type": "array", "items": { "type": "string" }, "description": "The plans it can happen in; all when absent." }),
            ),
            ("months", whole(0, 36, "Delay or overrun, months.")),
            ("cost", money("One-off cost (hiring, re-test).")),
            ("rise", fraction(0.0, 2.0, "Fee rise, a fraction.")),
            (
                "follow_up_days",
                fraction(0.0, 20.0, "Auditor-days of the follow-up audit."),
            ),
        ],
        &["event", "probability"],
        "A risk event `certplan risk` plays through the certification cycle.",
    )
}

/// The schema as a value.
pub fn schema() -> Value {
    let shared = table(
        vec![
            (
                "platform",
                table(
                    vec![
                        ("amount", money("Per billing period.")),
                        ("per", one_of(&["month", "year"], "Billing period.")),
                        (
                            "extra_framework",
                            money("Added per period for each framework beyond the first."),
                        ),
                    ],
                    &[],
                    "Compliance automation platform.",
                ),
            ),
            ("penetration_test", cost("Yearly penetration test.")),
            ("training", cost("Yearly awareness training.")),
        ],
        &[],
        "Recurring work both frameworks share, counted once per plan.",
    );
    let staff = table(
        vec![(
            "loaded_monthly_cost",
            money("One full-time person a month, fully loaded."),
        )],
        &[],
        "Internal people cost.",
    );
    let requirements = table(
        vec![
            (
                "iso_certificate_by",
                date("An ISO/IEC 27001 certificate by this date."),
            ),
            (
                "soc2_type1_report_by",
                date("A SOC 2 Type I report by this date."),
            ),
            (
                "soc2_type2_report_by",
                date("A SOC 2 Type II report in hand by this date."),
            ),
            ("yearly_budget_cap", money("No fiscal year may cost more.")),
            (
                "confidence",
                fraction(
                    0.01,
                    0.99,
                    "The probability `certplan risk` asks of a plan before it recommends it (default 0.8).",
                ),
            ),
        ],
        &[],
        "What management requires; compare gives each plan a verdict.",
    );
    let mut iso = iso27001();
    ranged("iso27001", &mut iso);
    let mut soc = soc2();
    ranged("soc2", &mut soc);
    let mut shared = shared;
    ranged("shared", &mut shared);
    let mut staff = staff;
    ranged("staff", &mut staff);
    let mut risk = risk();
    ranged("risk", &mut risk);
    let finance = finance();
    let overrides = [
        (
            "programme",
            subset(
                &programme(),
                &["headcount", "sites", "headcount_growth_per_year"],
                "The programme's scope for this plan (its identity is shared by every plan).",
            ),
        ),
        (
            "iso27001",
            subset(&iso, &[], "ISO/IEC 27001 inputs this plan sets for itself."),
        ),
        (
            "soc2",
            subset(&soc, &[], "SOC 2 inputs this plan sets for itself."),
        ),
        (
            "shared",
            subset(
                &shared,
                &[],
                "Shared recurring work this plan sets for itself.",
            ),
        ),
        (
            "staff",
            subset(&staff, &[], "Staff cost this plan sets for itself."),
        ),
        (
            "finance",
            subset(
                &finance,
                &["contingency", "escalation"],
                "Contingency and escalation for this plan (the discount rate is the company's).",
            ),
        ),
    ];
    let calendar = table(
        vec![(
            "holidays",
            json!({ "type": "array", "maxItems": 1000, "items": date("A public holiday."), "description": "Days no external audit starts on, besides weekends and 1 January." }),
        )],
        &[],
        "The auditors' working calendar.",
    );
    let mut root = table(
        vec![
            ("programme", programme()),
            ("iso27001", iso),
            ("soc2", soc),
            ("shared", shared),
            ("staff", staff),
            (
                "risk",
                json!({ "type": "array", "maxItems": 50, "items": risk, "description": "Risk events for `certplan risk`." }),
            ),
            ("requirements", requirements),
            (
                "plan",
                json!({ "type": "array", "minItems": 1, "maxItems": 32, "items": plan(&overrides), "description": "The plans to compare; without any, the default plans." }),
            ),
            ("calendar", calendar),
            (
                "demand",
                json!({ "type": "array", "maxItems": 100, "items": demand(), "description": "Business each plan may unlock." }),
            ),
            ("finance", finance),
            ("tracking", tracking()),
        ],
        &["programme"],
        "A certplan scenario: one company, the frameworks it may pursue, and the plans to compare. See docs/scenario.md.",
    );
    if let Value::Object(map) = &mut root {
        map.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        map.insert("title".into(), json!("certplan scenario"));
        map.insert(
            "anyOf".into(),
            json!([{ "required": ["iso27001"] }, { "required": ["soc2"] }]),
        );
    }
    root
}

/// The schema as `certplan schema` prints it.
pub fn json_schema() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}
