//! The ledger: every cost of a plan by month, owner, category and nature, exact to the cent.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::category::{Category, Nature};
use crate::fiscal_year::{FiscalCalendar, FiscalYear};
use crate::framework::CostOwner;
use crate::year_month::YearMonth;

/// Where a posting is booked.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Account {
    pub month: YearMonth,
    pub owner: CostOwner,
    pub category: Category,
    pub nature: Nature,
}

/// Amounts already rounded to the currency's minor unit; every total is a plain sum of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    entries: BTreeMap<Account, Decimal>,
}

impl Ledger {
    /// Adds `amount` (already rounded) to an account.
    pub fn post(&mut self, account: Account, amount: Decimal) {
        if amount.is_zero() {
            return;
        }
        *self.entries.entry(account).or_default() += amount;
    }

    /// Every non-zero account in order of month, owner, category and nature.
    pub fn entries(&self) -> impl Iterator<Item = (&Account, &Decimal)> {
        self.entries.iter()
    }

    pub fn total(&self) -> Decimal {
        self.entries.values().sum()
    }

    /// Totals by month (months without costs are absent).
    pub fn totals_by_month(&self) -> BTreeMap<YearMonth, Decimal> {
        let mut out = BTreeMap::new();
        for (account, amount) in &self.entries {
            *out.entry(account.month).or_default() += *amount;
        }
        out
    }

    /// Totals by fiscal year and category.
    pub fn by_fiscal_year(
        &self,
        calendar: FiscalCalendar,
    ) -> BTreeMap<(FiscalYear, Category), Decimal> {
        let mut out = BTreeMap::new();
        for (account, amount) in &self.entries {
            *out.entry((calendar.year_of(account.month), account.category))
                .or_default() += *amount;
        }
        out
    }

    /// Totals by fiscal year.
    pub fn fiscal_year_totals(&self, calendar: FiscalCalendar) -> BTreeMap<FiscalYear, Decimal> {
        let mut out = BTreeMap::new();
        for (account, amount) in &self.entries {
            *out.entry(calendar.year_of(account.month)).or_default() += *amount;
        }
        out
    }

    /// Totals by month and category.
    pub fn by_month_and_category(&self) -> BTreeMap<(YearMonth, Category), Decimal> {
        let mut out = BTreeMap::new();
        for (account, amount) in &self.entries {
            *out.entry((account.month, account.category)).or_default() += *amount;
        }
        out
    }
}
