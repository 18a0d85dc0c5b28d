//! Pricing: turns a plan's schedule into ledger postings, dated by when each invoice is paid.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::costing::ledger::{Account, Ledger};
use crate::cycle::schedule::{Event, EventKind, Schedule};
use crate::scenario::inputs::{CostItem, Payment};
use crate::scenario::{BillingPeriod, Plan, Scenario, StaffEffort};
use crate::vocabulary::category::{Category, Nature};
use crate::vocabulary::framework::{CostOwner, Framework};
use crate::vocabulary::money::{round_to_minor, split_evenly};
use crate::vocabulary::year_month::{YearMonth, add_months, sub_days};

/// When a piece of work is booked, starts and reports: what a payment timing is measured from.
#[derive(Copy, Clone, Debug)]
struct Activity {
    booked: NaiveDate,
    start: NaiveDate,
    reported: NaiveDate,
}

impl Activity {
    fn phase(start: NaiveDate, end: NaiveDate) -> Self {
        Activity {
            booked: start,
            start,
            reported: end,
        }
    }

    fn point(date: NaiveDate) -> Self {
        Activity::phase(date, date)
    }

    /// The months an invoice is paid in: the first, and how many in a row.
    fn payment_months(&self, paid: Payment) -> (YearMonth, i64) {
        match paid {
            Payment::OnBooking => (YearMonth::of(self.booked), 1),
            Payment::AtFieldwork => (YearMonth::of(self.start), 1),
            Payment::OnReport => (YearMonth::of(self.reported), 1),
            Payment::Spread => {
                let first = YearMonth::of(self.booked.min(self.reported));
                (first, first.months_until(YearMonth::of(self.reported)) + 1)
            }
        }
    }
}

/// Where a cost is booked: owner, category, and whether it builds or runs the programme.
#[derive(Copy, Clone)]
struct Charge(CostOwner, Category, Nature);

struct Pricing<'a> {
    scenario: &'a Scenario,
    plan: &'a Plan,
    first_month: YearMonth,
    last_month: YearMonth,
    ledger: Ledger,
}

impl Pricing<'_> {
    /// Posts `amount`, rounded once, in the months `paid` picks; months before `floor` (the
    /// framework's start: nothing is paid before the work begins) move to it, and months after
    /// the horizon are left out.
    fn post(
        &mut self,
        Charge(owner, category, nature): Charge,
        amount: Decimal,
        paid: Payment,
        activity: Activity,
        floor: YearMonth,
    ) {
        let currency = self.scenario.programme.currency;
        if let Some(escalation) = self.escalation(category).copied() {
            // Each month's part at that month's prices, rounded once.
            let (first, count) = activity.payment_months(paid);
            let start = self.scenario.programme.start;
            let share = amount / Decimal::from(count.max(1));
            for i in 0..count.max(1) {
                let month = first.plus(i).max(floor);
                let part =
                    round_to_minor(share * escalation.factor(category, month, start), currency);
                self.post_in(month, owner, category, nature, part);
            }
            return;
        }
        let total = round_to_minor(amount, currency);
        if total.is_zero() {
            return;
        }
        let (first, count) = activity.payment_months(paid);
        if count <= 1 {
            self.post_in(first.max(floor), owner, category, nature, total);
            return;
        }
        let parts = split_evenly(total, usize::try_from(count).unwrap_or(1), currency);
        for (i, part) in parts.into_iter().enumerate() {
            let month = first.plus(i as i64).max(floor);
            self.post_in(month, owner, category, nature, part);
        }
    }

    /// A contingency reserve beside each month's cost: its build share of the month's build cost
    /// and its run share of the run cost, each rounded once, kept as a category of its own.
    fn contingency(&mut self, contingency: crate::scenario::finance::Contingency) {
        if contingency.is_zero() {
            return;
        }
        let currency = self.scenario.programme.currency;
        let mut by_month: std::collections::BTreeMap<(YearMonth, Nature), Decimal> =
            Default::default();
        for (account, amount) in self.ledger.entries() {
            *by_month.entry((account.month, account.nature)).or_default() += *amount;
        }
        for ((month, nature), cost) in by_month {
            let reserve = round_to_minor(cost * contingency.of(nature), currency);
            self.post_in(
                month,
                CostOwner::Shared,
                Category::Contingency,
                nature,
                reserve,
            );
        }
    }

    /// The scenario's price escalation, when it raises `category`'s prices.
    #[inline]
    fn escalation(&self, category: Category) -> Option<&crate::scenario::finance::Escalation> {
        let escalation = &self.scenario.finance.as_ref()?.escalation;
        (!escalation.rate(category).is_zero()).then_some(escalation)
    }

    /// One posting, if its month is inside the horizon.
    fn post_in(
        &mut self,
        month: YearMonth,
        owner: CostOwner,
        category: Category,
        nature: Nature,
        part: Decimal,
    ) {
        if month > self.last_month || month < self.first_month {
            return;
        }
        self.ledger.post(
            Account {
                month,
                owner,
                category,
                nature,
            },
            part,
        );
    }

    /// Share of a framework's readiness, implementation and evidence effort still to do: all of
    /// it for the first framework, the part not covered by shared controls for the others.
    fn effort_factor(&self, framework: Framework) -> Decimal {
        if self.plan.is_primary(framework) {
            Decimal::ONE
        } else {
            Decimal::ONE - self.plan.shared_control_fraction
        }
    }

    /// Audit fees after the combined-audit discount, which only a plan with more than one
    /// framework gets.
    fn audit_fee_factor(&self) -> Decimal {
        if self.plan.frameworks.len() > 1 {
            Decimal::ONE - self.plan.combined_audit_discount
        } else {
            Decimal::ONE
        }
    }

    fn post_item(
        &mut self,
        charge: Charge,
        item: &CostItem,
        factor: Decimal,
        default: Payment,
        activity: Activity,
        floor: YearMonth,
    ) {
        self.post(
            charge,
            item.amount.0 * factor,
            item.paid_or(default),
            activity,
            floor,
        );
    }

    /// Internal staff: FTE × loaded monthly cost, month by month, by phase.
    fn staff(
        &mut self,
        framework: Framework,
        effort: &StaffEffort,
        build_from: YearMonth,
        operate_from: YearMonth,
        run_from: Option<YearMonth>,
    ) {
        let monthly = self.scenario.staff.loaded_monthly_cost.0 * self.effort_factor(framework);
        let owner = CostOwner::Framework(framework);
        let currency = self.scenario.programme.currency;
        // Each phase's monthly amount, rounded once.
        let [build, operate, run] = [effort.build, effort.operate, effort.run]
            .map(|fte| round_to_minor(monthly * fte.get(), currency));
        let escalation = self.escalation(Category::InternalStaff).copied();
        let start = self.scenario.programme.start;
        let mut month = build_from.max(self.first_month);
        while month <= self.last_month {
            let (fte, amount, nature) = if month < operate_from {
                (effort.build, build, Nature::Build)
            } else if run_from.is_none_or(|run| month < run) {
                (effort.operate, operate, Nature::Build)
            } else {
                (effort.run, run, Nature::Run)
            };
            // Escalated staff cost: the month's rate, rounded once.
            let amount = match &escalation {
                Some(e) => round_to_minor(
                    monthly * fte.get() * e.factor(Category::InternalStaff, month, start),
                    currency,
                ),
                None => amount,
            };
            self.ledger.post(
                Account {
                    month,
                    owner,
                    category: Category::InternalStaff,
                    nature,
                },
                amount,
            );
            month = month.plus(1);
        }
    }

    fn iso27001(&mut self, events: &[Event], start: NaiveDate) {
        let Some(iso) = &self.scenario.iso27001 else {
            return;
        };
        let owner = CostOwner::Framework(Framework::Iso27001);
        let floor = YearMonth::of(start);
        let factor = self.effort_factor(Framework::Iso27001);
        let fee_factor = self.audit_fee_factor();
        let find = |kind: EventKind| events.iter().find(|e| e.kind == kind);

        let implementation = find(EventKind::Implementation);
        if let Some(implementation) = implementation {
            let build = Activity::phase(start, implementation.end);
            self.post_item(
                Charge(owner, Category::ReadinessConsulting, Nature::Build),
                &iso.readiness_consulting,
                factor,
                Payment::Spread,
                build,
                floor,
            );
            let implementation = Activity::phase(implementation.start, implementation.end);
            self.post_item(
                Charge(owner, Category::Remediation, Nature::Build),
                &iso.remediation,
                factor,
                Payment::Spread,
                implementation,
                floor,
            );
        }

        // Risks drawn by `certplan risk`: a hiring cost in the build, fees rising at renewal.
        if !iso.risks.hiring_cost.is_zero() {
            let when = implementation.map_or(start, |i| i.start);
            self.post(
                Charge(owner, Category::InternalStaff, Nature::Build),
                iso.risks.hiring_cost,
                Payment::AtFieldwork,
                Activity::point(when),
                floor,
            );
        }
        let renewal = Decimal::ONE + iso.risks.renewal_fee_rise;
        for event in events {
            let nature = if matches!(
                event.kind,
                EventKind::Stage1Audit
                    | EventKind::Stage2Audit
                    | EventKind::FollowUpAudit
                    | EventKind::CertificationDecision
            ) {
                Nature::Build
            } else {
                Nature::Run
            };
            match event.kind {
                EventKind::Stage1Audit
                | EventKind::Stage2Audit
                | EventKind::FollowUpAudit
                | EventKind::SurveillanceAudit
                | EventKind::RecertificationAudit => {
                    let fee_factor =
                        if event.kind == EventKind::RecertificationAudit || event.cycle > 1 {
                            fee_factor * renewal
                        } else {
                            fee_factor
                        };
                    self.iso_audit(
                        iso,
                        event,
                        Charge(owner, Category::AuditFees, nature),
                        fee_factor,
                        floor,
                    );
                }
                EventKind::CertificationDecision | EventKind::RecertificationDecision => {
                    self.post(
                        Charge(owner, Category::FeesAndTravel, nature),
                        iso.certificate_fee.0,
                        Payment::OnReport,
                        Activity::point(event.start),
                        floor,
                    );
                }
                EventKind::InternalAudit => {
                    let activity = Activity::phase(event.start, event.end);
                    self.post_item(
                        Charge(owner, Category::InternalAudit, Nature::Run),
                        &iso.internal_audit,
                        Decimal::ONE,
                        Payment::AtFieldwork,
                        activity,
                        floor,
                    );
                }
                EventKind::ManagementReview => {
                    self.post_item(
                        Charge(owner, Category::ManagementReview, Nature::Run),
                        &iso.management_review,
                        Decimal::ONE,
                        Payment::AtFieldwork,
                        Activity::point(event.start),
                        floor,
                    );
                }
                EventKind::RiskAssessment => {
                    self.post_item(
                        Charge(owner, Category::RiskAssessment, Nature::Run),
                        &iso.risk_assessment,
                        Decimal::ONE,
                        Payment::AtFieldwork,
                        Activity::point(event.start),
                        floor,
                    );
                }
                _ => {}
            }
        }

        let operate_from = find(EventKind::IsmsOperation)
            .map_or(self.last_month.plus(1), |e| YearMonth::of(e.start));
        let run_from = find(EventKind::CertificationDecision).map(|e| YearMonth::of(e.start));
        self.staff(
            Framework::Iso27001,
            &iso.staff_fte,
            floor,
            operate_from,
            run_from,
        );
    }

    /// One external ISO/IEC 27001 audit: its auditor-days at the day rate (× `fee_factor`), the
    /// auditors' travel, and the application fee when booking Stage 1.
    fn iso_audit(
        &mut self,
        iso: &crate::scenario::Iso27001,
        event: &Event,
        Charge(owner, _, nature): Charge,
        fee_factor: Decimal,
        floor: YearMonth,
    ) {
        let activity = Activity {
            booked: event.booked.unwrap_or(event.start),
            start: event.start,
            reported: event.reported.unwrap_or(event.end),
        };
        let fee = event.audit_days.unwrap_or_default() * iso.day_rate.0 * fee_factor;
        self.post(
            Charge(owner, Category::AuditFees, nature),
            fee,
            iso.audit_fees_paid,
            activity,
            floor,
        );
        self.post(
            Charge(owner, Category::FeesAndTravel, nature),
            iso.travel_per_audit.0,
            Payment::AtFieldwork,
            activity,
            floor,
        );
        if event.kind == EventKind::Stage1Audit {
            self.post(
                Charge(owner, Category::FeesAndTravel, nature),
                iso.application_fee.0,
                Payment::OnBooking,
                activity,
                floor,
            );
        }
    }

    fn soc2(&mut self, events: &[Event], start: NaiveDate) {
        let Some(soc2) = &self.scenario.soc2 else {
            return;
        };
        let owner = CostOwner::Framework(Framework::Soc2);
        let floor = YearMonth::of(start);
        let factor = self.effort_factor(Framework::Soc2);
        let uplift = Decimal::ONE
            + soc2.category_uplift.get() * Decimal::from(soc2.optional_categories() as u64);
        let fee_factor = self.audit_fee_factor() * uplift;

        // Readiness as the schedule has it (shorter when a first framework's controls are in place).
        let operating = events
            .iter()
            .find(|e| e.kind == EventKind::Readiness)
            .map_or(start, |e| crate::vocabulary::year_month::add_days(e.end, 1));
        let readiness = Activity::phase(start, sub_days(operating, 1).max(start));
        if !soc2.risks.hiring_cost.is_zero() {
            self.post(
                Charge(owner, Category::InternalStaff, Nature::Build),
                soc2.risks.hiring_cost,
                Payment::AtFieldwork,
                Activity::point(start),
                floor,
            );
        }
        self.post_item(
            Charge(owner, Category::ReadinessConsulting, Nature::Build),
            &soc2.readiness_consulting,
            factor,
            Payment::Spread,
            readiness,
            floor,
        );
        self.post_item(
            Charge(owner, Category::Remediation, Nature::Build),
            &soc2.remediation,
            factor,
            Payment::Spread,
            readiness,
            floor,
        );

        for event in events {
            match event.kind {
                EventKind::Type1AsOf => {
                    let activity = Activity {
                        booked: event.booked.unwrap_or(event.start),
                        start: event.start,
                        reported: event.reported.unwrap_or(event.start),
                    };
                    self.post(
                        Charge(owner, Category::AuditFees, Nature::Build),
                        soc2.type1_fee.0 * fee_factor,
                        soc2.audit_fees_paid,
                        activity,
                        floor,
                    );
                }
                EventKind::ObservationWindow => {
                    self.type2_engagement(soc2, event, owner, fee_factor, floor);
                }
                _ => {}
            }
        }
        let first_report = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Type1Report | EventKind::Type2Report))
            .map(|e| YearMonth::of(e.start))
            .min();
        self.staff(
            Framework::Soc2,
            &soc2.staff_fte,
            floor,
            YearMonth::of(operating),
            first_report,
        );
    }

    /// One Type II engagement (its fieldwork follows the observation window): the fee, a re-test
    /// of a first report with exceptions, and the SOC 3 report with it.
    fn type2_engagement(
        &mut self,
        soc2: &crate::scenario::Soc2,
        event: &Event,
        owner: CostOwner,
        fee_factor: Decimal,
        floor: YearMonth,
    ) {
        // Fieldwork follows the period end.
        let activity = Activity {
            booked: event.booked.unwrap_or(event.start),
            start: crate::vocabulary::year_month::add_days(event.end, 1),
            reported: event.reported.unwrap_or(event.end),
        };
        let nature = if event.cycle == 1 {
            Nature::Build
        } else {
            Nature::Run
        };
        let rise = if event.cycle > 1 {
            Decimal::ONE + soc2.risks.renewal_fee_rise
        } else {
            Decimal::ONE
        };
        self.post(
            Charge(owner, Category::AuditFees, nature),
            soc2.type2_fee.0 * fee_factor * rise,
            soc2.audit_fees_paid,
            activity,
            floor,
        );
        // A first report with exceptions (a drawn risk): its controls re-tested.
        if event.cycle == 1
            && let Some(retest) = soc2.risks.exceptions
            && !retest.is_zero()
        {
            self.post(
                Charge(owner, Category::AuditFees, Nature::Build),
                retest,
                Payment::OnReport,
                activity,
                floor,
            );
        }
        if soc2.soc3 {
            self.post(
                Charge(owner, Category::AuditFees, nature),
                soc2.soc3_fee.0 * self.audit_fee_factor(),
                soc2.audit_fees_paid,
                activity,
                floor,
            );
        }
    }

    /// Platform, penetration test and training: counted once per plan, whatever it pursues.
    fn shared(&mut self, schedule: &Schedule, starts: &[(Framework, NaiveDate)]) {
        let Some(&(_, plan_start)) = starts.first() else {
            return;
        };
        let shared = self.scenario.shared;
        let owner = CostOwner::Shared;
        let plan_floor = YearMonth::of(plan_start);

        // Platform subscription from each framework's start: the base for the first, the extra
        // framework amount for the others.
        for (i, &(_, start)) in starts.iter().enumerate() {
            let amount = if i == 0 {
                shared.platform.amount.0
            } else {
                shared.platform.extra_framework.0
            };
            let step = match shared.platform.per {
                BillingPeriod::Month => 1,
                BillingPeriod::Year => 12,
            };
            let mut month = YearMonth::of(start);
            while month <= self.last_month {
                self.post(
                    Charge(owner, Category::Platform, Nature::Run),
                    amount,
                    Payment::AtFieldwork,
                    Activity::point(month.first_day()),
                    plan_floor,
                );
                month = month.plus(step);
            }
        }

        // Yearly penetration test, the first once controls operate, before the first audit or
        // observation window ends (SOC 2 CC7 evidence).
        let evidence_start = schedule
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::IsmsOperation | EventKind::ObservationWindow | EventKind::Type1AsOf
                )
            })
            .map(|e| e.start)
            .min();
        if let Some(first) = evidence_start {
            let mut month = YearMonth::of(first);
            while month <= self.last_month {
                self.post_item(
                    Charge(owner, Category::PenetrationTest, Nature::Run),
                    &shared.penetration_test,
                    Decimal::ONE,
                    Payment::AtFieldwork,
                    Activity::point(month.first_day()),
                    plan_floor,
                );
                month = month.plus(12);
            }
        }

        // Yearly awareness training from the plan's start.
        let mut month = plan_floor;
        while month <= self.last_month {
            self.post_item(
                Charge(owner, Category::Training, Nature::Run),
                &shared.training,
                Decimal::ONE,
                Payment::AtFieldwork,
                Activity::point(month.first_day()),
                plan_floor,
            );
            month = month.plus(12);
        }
    }
}

/// The start date of each framework of a plan, in the plan's order.
pub fn framework_starts(scenario: &Scenario, plan: &Plan) -> Vec<(Framework, NaiveDate)> {
    let programme_start = scenario.programme.start.first_day();
    plan.frameworks
        .iter()
        .map(|f| {
            (
                f.framework,
                add_months(programme_start, f.start_offset_months),
            )
        })
        .collect()
}

/// Prices a plan's schedule over the scenario's horizon. The ledger is not yet in account order
/// (see [`Ledger::finished`]); its totals are right either way.
pub fn price(scenario: &Scenario, plan: &Plan, schedule: &Schedule) -> Ledger {
    let mut pricing = Pricing {
        scenario,
        plan,
        first_month: scenario.programme.start,
        last_month: scenario.programme.last_month(),
        ledger: Ledger::default(),
    };
    let starts = framework_starts(scenario, plan);
    for &(framework, start) in &starts {
        if YearMonth::of(start) > pricing.last_month {
            continue;
        }
        let events: Vec<Event> = schedule
            .events
            .iter()
            .filter(|e| e.framework == framework)
            .cloned()
            .collect();
        match framework {
            Framework::Iso27001 => pricing.iso27001(&events, start),
            Framework::Soc2 => pricing.soc2(&events, start),
        }
    }
    let in_horizon: Vec<_> = starts
        .into_iter()
        .filter(|(_, s)| YearMonth::of(*s) <= pricing.last_month)
        .collect();
    pricing.shared(schedule, &in_horizon);
    if let Some(contingency) = scenario.finance.as_ref().map(|f| f.contingency) {
        pricing.contingency(contingency);
    }
    pricing.ledger
}
