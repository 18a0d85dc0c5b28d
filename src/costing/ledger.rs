//! The ledger: every cost of a plan by month, owner, category and nature, exact to the cent.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::vocabulary::category::{Category, Nature};
use crate::vocabulary::fiscal_year::{FiscalCalendar, FiscalYear};
use crate::vocabulary::framework::CostOwner;
use crate::vocabulary::year_month::YearMonth;

/// Where a posting is booked.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Account {
    pub month: YearMonth,
    pub owner: CostOwner,
    pub category: Category,
    pub nature: Nature,
}

impl Account {
    /// A number that sorts as the account does (month, owner, category, nature), so that a
    /// ledger is put in order with cheap comparisons.
    fn sort_key(&self) -> u64 {
        let month =
            u64::try_from(i64::from(self.month.year()) * 12 + i64::from(self.month.month()))
                .unwrap_or(0);
        let owner: u64 = match self.owner {
            CostOwner::Framework(crate::vocabulary::framework::Framework::Iso27001) => 0,
            CostOwner::Framework(crate::vocabulary::framework::Framework::Soc2) => 1,
            CostOwner::Shared => 2,
        };
        // Fieldless enums: their discriminants follow their declaration, as their order does.
        let category = self.category as u64;
        let nature = self.nature as u64;
        (month << 16) | (owner << 12) | (category << 4) | nature
    }
}

/// Amounts already rounded to the currency's minor unit; every total is a plain sum of them.
/// Postings are gathered as they come and put in account order once, by [`Ledger::finished`]
/// (far cheaper than keeping a map in order at every posting, which a Monte Carlo run does
/// millions of times).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// In account order, one entry per account, once finished.
    entries: Vec<(Account, Decimal)>,
}

impl Ledger {
    /// Adds `amount` (already rounded) to an account.
    pub fn post(&mut self, account: Account, amount: Decimal) {
        if amount.is_zero() {
            return;
        }
        self.entries.push((account, amount));
    }

    /// The ledger in account order, postings to the same account added up.
    pub fn finished(mut self) -> Self {
        // A counting sort by month, then each month's few postings by account.
        let months = |a: &Account| i64::from(a.month.year()) * 12 + i64::from(a.month.month());
        if let (Some(low), Some(high)) = (
            self.entries.iter().map(|(a, _)| months(a)).min(),
            self.entries.iter().map(|(a, _)| months(a)).max(),
        ) {
            let span = usize::try_from(high - low + 1).unwrap_or(0);
            let index = |a: &Account| usize::try_from(months(a) - low).unwrap_or(0);
            let mut starts = vec![0usize; span + 1];
            for (a, _) in &self.entries {
                starts[index(a) + 1] += 1;
            }
            for i in 1..starts.len() {
                starts[i] += starts[i - 1];
            }
            let mut next = starts.clone();
            let mut ordered = vec![self.entries[0]; self.entries.len()];
            for entry in &self.entries {
                let slot = &mut next[index(&entry.0)];
                ordered[*slot] = *entry;
                *slot += 1;
            }
            for w in starts.windows(2) {
                ordered[w[0]..w[1]].sort_unstable_by_key(|(a, _)| a.sort_key());
            }
            self.entries = ordered;
        }
        let mut merged: Vec<(Account, Decimal)> = Vec::with_capacity(self.entries.len());
        for (account, amount) in self.entries {
            match merged.last_mut() {
                Some((last, total)) if *last == account => *total += amount,
                _ => merged.push((account, amount)),
            }
        }
        merged.retain(|(_, amount)| !amount.is_zero());
        Ledger { entries: merged }
    }

    /// Every non-zero account in order of month, owner, category and nature.
    pub fn entries(&self) -> impl Iterator<Item = (&Account, &Decimal)> {
        self.entries.iter().map(|(a, d)| (a, d))
    }

    pub fn total(&self) -> Decimal {
        self.entries.iter().map(|(_, d)| *d).sum()
    }

    /// Totals by month (months without costs are absent).
    pub fn totals_by_month(&self) -> BTreeMap<YearMonth, Decimal> {
        let mut out = BTreeMap::new();
        for (account, amount) in self.entries() {
            *out.entry(account.month).or_default() += *amount;
        }
        out
    }

    /// Totals of the `months` months from `first`, in order (zero where nothing is paid).
    pub fn monthly(&self, first: YearMonth, months: usize) -> Vec<Decimal> {
        let mut out = vec![Decimal::ZERO; months];
        for (account, amount) in &self.entries {
            if let Ok(i) = usize::try_from(first.months_until(account.month))
                && let Some(slot) = out.get_mut(i)
            {
                *slot += *amount;
            }
        }
        out
    }

    /// Totals by fiscal year and category.
    pub fn by_fiscal_year(
        &self,
        calendar: FiscalCalendar,
    ) -> BTreeMap<(FiscalYear, Category), Decimal> {
        let mut out = BTreeMap::new();
        for (account, amount) in self.entries() {
            *out.entry((calendar.year_of(account.month), account.category))
                .or_default() += *amount;
        }
        out
    }

    /// Totals by fiscal year and nature (build or run).
    pub fn by_fiscal_year_and_nature(
        &self,
        calendar: FiscalCalendar,
    ) -> BTreeMap<(FiscalYear, Nature), Decimal> {
        let mut out = BTreeMap::new();
        for (account, amount) in self.entries() {
            *out.entry((calendar.year_of(account.month), account.nature))
                .or_default() += *amount;
        }
        out
    }

    /// Totals by fiscal year.
    pub fn fiscal_year_totals(&self, calendar: FiscalCalendar) -> BTreeMap<FiscalYear, Decimal> {
        let mut out = BTreeMap::new();
        for (account, amount) in self.entries() {
            *out.entry(calendar.year_of(account.month)).or_default() += *amount;
        }
        out
    }

    /// Totals by month and category.
    pub fn by_month_and_category(&self) -> BTreeMap<(YearMonth, Category), Decimal> {
        let mut out = BTreeMap::new();
        for (account, amount) in self.entries() {
            *out.entry((account.month, account.category)).or_default() += *amount;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sort_key_orders_accounts_as_they_order_themselves() {
        let mut accounts = Vec::new();
        for month in [
            YearMonth::new(2027, 12).unwrap(),
            YearMonth::new(2028, 1).unwrap(),
        ] {
            for owner in [
                CostOwner::Shared,
                CostOwner::Framework(crate::vocabulary::framework::Framework::Soc2),
                CostOwner::Framework(crate::vocabulary::framework::Framework::Iso27001),
            ] {
                for category in Category::ALL.iter().rev() {
                    for nature in [Nature::Run, Nature::Build] {
                        accounts.push(Account {
                            month,
                            owner,
                            category: *category,
                            nature,
                        });
                    }
                }
            }
        }
        let mut by_key = accounts.clone();
        by_key.sort_by_key(Account::sort_key);
        accounts.sort();
        assert_eq!(by_key, accounts);
    }
}
