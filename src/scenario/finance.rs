//! `[finance]`: the CFO's view of a plan's money: a contingency reserve kept as its own cost
//! category, yearly price escalation of audit fees, subscriptions and staff, and the yearly
//! discount rate of present values (computed in `present_value`).

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::scenario::inputs::Fraction;
use crate::vocabulary::category::{Category, Nature};
use crate::vocabulary::year_month::YearMonth;

/// A contingency reserve: a share of the build and of the run cost, posted month by month beside
/// the cost it covers.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Contingency {
    /// Share of one-off cost (readiness, implementation, initial audits) held in reserve.
    pub build: Fraction<0, 100>,
    /// Share of recurring cost held in reserve.
    pub run: Fraction<0, 100>,
}

impl Default for Contingency {
    fn default() -> Self {
        Contingency {
            build: Fraction::percent(0),
            run: Fraction::percent(0),
        }
    }
}

impl Default for Escalation {
    fn default() -> Self {
        Escalation {
            audit_fees: Fraction::percent(0),
            subscriptions: Fraction::percent(0),
            staff: Fraction::percent(0),
            from: None,
        }
    }
}

impl Contingency {
    pub fn of(self, nature: Nature) -> Decimal {
        match nature {
            Nature::Build => self.build.get(),
            Nature::Run => self.run.get(),
        }
    }

    pub fn is_zero(self) -> bool {
        self.build.get().is_zero() && self.run.get().is_zero()
    }
}

/// Yearly price rises, compounding: from `from` on, prices are `1 + rate` times the scenario's,
/// and rise again every twelve months.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Escalation {
    /// Certification body and CPA firm invoices: audit fees, application and certificate fees,
    /// travel.
    pub audit_fees: Fraction<0, 50>,
    /// The compliance automation platform subscription.
    pub subscriptions: Fraction<0, 50>,
    /// The loaded monthly cost of internal staff.
    pub staff: Fraction<0, 50>,
    /// The month the first rise takes effect; twelve months after the programme start when
    /// absent.
    pub from: Option<YearMonth>,
}

impl Escalation {
    /// The yearly rate of a cost category (zero for categories that do not escalate).
    pub fn rate(&self, category: Category) -> Decimal {
        match category {
            Category::AuditFees | Category::FeesAndTravel => self.audit_fees.get(),
            Category::Platform => self.subscriptions.get(),
            Category::InternalStaff => self.staff.get(),
            _ => Decimal::ZERO,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.audit_fees.get().is_zero()
            && self.subscriptions.get().is_zero()
            && self.staff.get().is_zero()
    }

    /// How many yearly rises have taken effect by `month`.
    pub fn rises_by(&self, month: YearMonth, programme_start: YearMonth) -> u32 {
        let from = self.from.unwrap_or(programme_start.plus(12));
        let months = from.months_until(month);
        if months < 0 {
            0
        } else {
            u32::try_from(months / 12 + 1).unwrap_or(u32::MAX)
        }
    }

    /// What one unit of `category`'s price costs in `month`: `(1 + rate)^rises`, exact.
    pub fn factor(
        &self,
        category: Category,
        month: YearMonth,
        programme_start: YearMonth,
    ) -> Decimal {
        let rate = self.rate(category);
        if rate.is_zero() {
            return Decimal::ONE;
        }
        let rises = self.rises_by(month, programme_start);
        let mut factor = Decimal::ONE;
        for _ in 0..rises.min(200) {
            factor *= Decimal::ONE + rate;
        }
        factor
    }
}

/// `[finance]`. Without it, no contingency, no escalation and no discounting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Finance {
    /// Yearly discount rate (the company's cost of capital) for net present values.
    pub discount_rate: Option<Fraction<0, 100>>,
    pub contingency: Contingency,
    pub escalation: Escalation,
    /// A month the board wants the programme paid back by: `certplan risk` gives the
    /// probability that a plan's cumulative net position turns and stays positive by its end.
    pub payback_by: Option<YearMonth>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn ym(s: &str) -> YearMonth {
        s.parse().unwrap()
    }

    #[test]
    fn escalation_compounds_yearly_from_its_month() {
        let e = Escalation {
            audit_fees: Fraction::percent(10),
            from: Some(ym("2028-01")),
            ..Escalation::default()
        };
        let start = ym("2027-01");
        assert_eq!(e.factor(Category::AuditFees, ym("2027-12"), start), dec!(1));
        assert_eq!(
            e.factor(Category::AuditFees, ym("2028-01"), start),
            dec!(1.1)
        );
        assert_eq!(
            e.factor(Category::AuditFees, ym("2028-12"), start),
            dec!(1.1)
        );
        assert_eq!(
            e.factor(Category::AuditFees, ym("2029-01"), start),
            dec!(1.21)
        );
        assert_eq!(e.factor(Category::Training, ym("2029-01"), start), dec!(1));
    }

    #[test]
    fn escalation_starts_a_year_after_the_programme_by_default() {
        let e = Escalation {
            staff: Fraction::percent(5),
            ..Escalation::default()
        };
        let start = ym("2027-03");
        assert_eq!(
            e.factor(Category::InternalStaff, ym("2028-02"), start),
            dec!(1)
        );
        assert_eq!(
            e.factor(Category::InternalStaff, ym("2028-03"), start),
            dec!(1.05)
        );
    }
}
