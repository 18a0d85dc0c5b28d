//! `[finance]`: the CFO's view of a plan's money: a contingency reserve kept as its own cost
//! category, yearly price escalation of audit fees, subscriptions and staff, and the net present
//! value of cost and of net value at a yearly discount rate.

use rust_decimal::Decimal;
use rust_decimal::MathematicalOps;
use serde::Deserialize;

use crate::category::{Category, Nature};
use crate::inputs::Fraction;
use crate::money::round_to_minor;
use crate::year_month::YearMonth;

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
}

/// Net present value at the start of the programme of monthly amounts, the first in the
/// programme's first month: an amount in month `m` (0 for the first) counts
/// `amount / (1 + rate)^(m / 12)`. Rounded once, to the currency's minor unit, at the end.
pub fn net_present_value(
    monthly: &[Decimal],
    yearly_rate: Decimal,
    currency: crate::currency::Currency,
) -> Decimal {
    if yearly_rate.is_zero() {
        return monthly.iter().copied().sum();
    }
    let growth = Decimal::ONE + yearly_rate;
    let mut total = Decimal::ZERO;
    for (m, amount) in monthly.iter().enumerate() {
        if amount.is_zero() {
            continue;
        }
        let whole_years = m / 12;
        let rest = m % 12;
        // Whole years exactly; the part-year by the twelfth root (rust_decimal's powd).
        let mut factor = Decimal::ONE;
        for _ in 0..whole_years {
            factor *= growth;
        }
        if rest > 0 {
            let part = growth
                .checked_powd(Decimal::from(rest as u64) / Decimal::from(12))
                .unwrap_or(Decimal::ONE);
            factor *= part;
        }
        total += amount.checked_div(factor).unwrap_or(*amount);
    }
    round_to_minor(total, currency)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::currency::Currency;
    use rust_decimal::dec;

    fn ym(s: &str) -> YearMonth {
        s.parse().unwrap()
    }

    fn usd() -> Currency {
        "USD".parse().unwrap()
    }

    #[test]
    fn npv_at_a_zero_rate_is_the_plain_sum() {
        let flows = [dec!(100.10), dec!(0), dec!(2500.55), dec!(-40)];
        assert_eq!(
            net_present_value(&flows, Decimal::ZERO, usd()),
            dec!(2560.65)
        );
    }

    #[test]
    fn npv_discounts_whole_years_by_the_yearly_rate() {
        // 110 a year out and 121 two years out are each worth 100 today at 10 %.
        let mut flows = vec![Decimal::ZERO; 25];
        flows[12] = dec!(110);
        flows[24] = dec!(121);
        assert_eq!(net_present_value(&flows, dec!(0.10), usd()), dec!(200.00));
    }

    #[test]
    fn npv_discounts_half_a_year_by_the_square_root() {
        // 1.21^(6/12) = 1.1: 110 six months out is worth 100 at 21 % a year.
        let mut flows = vec![Decimal::ZERO; 7];
        flows[6] = dec!(110);
        assert_eq!(net_present_value(&flows, dec!(0.21), usd()), dec!(100.00));
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
