//! Present values: what money paid month by month over the horizon is worth at the programme's
//! start, at a yearly discount rate (`[finance] discount_rate`).

use rust_decimal::Decimal;
use rust_decimal::MathematicalOps;

use crate::vocabulary::money::round_to_minor;

/// Net present value at the start of the programme of monthly amounts, the first in the
/// programme's first month: an amount in month `m` (0 for the first) counts
/// `amount / (1 + rate)^(m / 12)`. Rounded once, to the currency's minor unit, at the end.
pub fn net_present_value(
    monthly: &[Decimal],
    yearly_rate: Decimal,
    currency: crate::vocabulary::currency::Currency,
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
    use crate::vocabulary::currency::Currency;
    use rust_decimal::dec;

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
}
