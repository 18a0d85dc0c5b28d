//! ISO/IEC 27001 audit time by headcount (ISO/IEC 27006-1:2024 Annex C, formerly
//! ISO/IEC 27006:2015 Annex B; IAF MD 5). See docs/domain.md §2.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy, dec};

use crate::vocabulary::year_month::YearMonth;

/// The largest headcount the audit-time table covers; above it the table only says "follow the
/// progression", so the scenario must state the audit days its certification body quotes.
pub const TABLE_MAX_PERSONS: u32 = 10_700;

/// Bands above this many persons rest on two public sources only (docs/domain.md §2).
pub const WELL_SOURCED_MAX_PERSONS: u32 = 2675;

/// Initial audit time (Stage 1 + Stage 2) in auditor-days, by upper bound of the band of
/// persons doing work under the organisation's control. ISO/IEC 27006-1:2024 Table C.1 (the
/// values of ISO/IEC 27006:2015 Table B.1).
const INITIAL_AUDIT_DAYS: [(u32, Decimal); 22] = [
    (10, dec!(5)),
    (15, dec!(6)),
    (25, dec!(7)),
    (45, dec!(8.5)),
    (65, dec!(10)),
    (85, dec!(11)),
    (125, dec!(12)),
    (175, dec!(13)),
    (275, dec!(14)),
    (425, dec!(15)),
    (625, dec!(16.5)),
    (875, dec!(17.5)),
    (1175, dec!(18.5)),
    (1550, dec!(19.5)),
    (2025, dec!(21)),
    (2675, dec!(22)),
    (3450, dec!(23)),
    (4350, dec!(24)),
    (5450, dec!(25)),
    (6800, dec!(26)),
    (8500, dec!(27)),
    (10_700, dec!(28)),
];

/// Initial audit days for `persons` from the ISO/IEC 27006-1 table, or `None` above 10,700
/// persons, where the table gives no value.
pub fn initial_audit_days(persons: u32) -> Option<Decimal> {
    INITIAL_AUDIT_DAYS
        .iter()
        .find(|(upper, _)| persons <= *upper)
        .map(|(_, days)| *days)
}

/// The initial audit time an ISO audit is based on, at any date: the days the scenario gives,
/// or the ISO/IEC 27006 table at the headcount of that date, with the complexity adjustment
/// (IAF MD 5 cl. 6.1: recertification time is recomputed with the headcount at that date).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AuditTime {
    given: Option<Decimal>,
    headcount: u32,
    /// Persons doing identical, simple, repetitive work, counted as ⌈√n⌉ (ISO/IEC 27006-1:2024
    /// C.3.4).
    repetitive: u32,
    growth_per_year: Decimal,
    adjustment: Decimal,
    start: Option<NaiveDate>,
}

impl AuditTime {
    /// The days the certification body quotes, whatever the headcount.
    pub fn given(days: Decimal) -> Self {
        AuditTime {
            given: Some(days),
            ..AuditTime::default()
        }
    }

    /// From the table: `headcount` on `start`, growing by `growth_per_year` (a fraction) each
    /// full year after it.
    pub fn from_headcount(
        headcount: u32,
        growth_per_year: Decimal,
        adjustment: Decimal,
        start: NaiveDate,
    ) -> Self {
        AuditTime {
            given: None,
            headcount,
            repetitive: 0,
            growth_per_year,
            adjustment,
            start: Some(start),
        }
    }

    /// With `persons` of the headcount doing identical, simple, repetitive work, counted as their
    /// square root, rounded up (ISO/IEC 27006-1:2024 C.3.4).
    pub fn with_repetitive_work(mut self, persons: u32) -> Self {
        self.repetitive = persons;
        self
    }

    /// The persons the table is read at on `date`: the headcount then, with repetitive work
    /// counted as ⌈√n⌉.
    pub fn effective_persons_at(&self, date: NaiveDate) -> u32 {
        let all = self.headcount_at(date);
        let repetitive = self.repetitive.min(all);
        (all - repetitive + ceil_sqrt(repetitive)).max(1)
    }

    /// Persons under the organisation's control on `date`.
    pub fn headcount_at(&self, date: NaiveDate) -> u32 {
        let Some(start) = self.start else {
            return self.headcount;
        };
        let years = (YearMonth::of(start).months_until(YearMonth::of(date)) / 12).max(0);
        let factor = Decimal::ONE + self.growth_per_year;
        let mut persons = Decimal::from(self.headcount);
        for _ in 0..years.min(200) {
            persons = (persons * factor).min(Decimal::from(100_000_000u32));
        }
        u32::try_from(persons.floor().mantissa())
            .unwrap_or(u32::MAX)
            .max(1)
    }

    /// Initial audit days (Stage 1 + Stage 2) for an audit on `date`, or `None` when the
    /// headcount then is above the table and no days were given.
    pub fn initial_days_at(&self, date: NaiveDate) -> Option<Decimal> {
        if let Some(days) = self.given {
            return Some(days);
        }
        let table = initial_audit_days(self.effective_persons_at(date))?;
        Some(round_to_half_day(table * (Decimal::ONE + self.adjustment)).max(Decimal::ONE))
    }
}

/// Rounds auditor-days to the nearest half day (half-way rounds up), as IAF MD 5 allows.
pub fn round_to_half_day(days: Decimal) -> Decimal {
    (days * dec!(2)).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero) / dec!(2)
}

/// Surveillance audit ≈ 1/3 of the initial audit time (IAF MD 5 cl. 6.1), at least half a day.
pub fn surveillance_days(initial: Decimal) -> Decimal {
    round_to_half_day(initial / dec!(3)).max(dec!(0.5))
}

/// Recertification audit ≈ 2/3 of the initial audit time (IAF MD 5 cl. 6.1), at least half a day.
pub fn recertification_days(initial: Decimal) -> Decimal {
    round_to_half_day(initial * dec!(2) / dec!(3)).max(dec!(0.5))
}

/// Sites sampled at an initial or recertification audit: ⌈√sites⌉ (weak source, an option).
pub fn sampled_sites_initial(sites: u32) -> u32 {
    ceil_sqrt(sites)
}

/// Sites sampled at a surveillance audit: ⌈0.6·√sites⌉, at least one (weak source, an option).
pub fn sampled_sites_surveillance(sites: u32) -> u32 {
    // 0.6·√s ≤ k  ⇔  0.36·s ≤ k²  ⇔  9·s ≤ 25·k²
    let mut k = 1;
    while 25 * u64::from(k) * u64::from(k) < 9 * u64::from(sites) {
        k += 1;
    }
    k
}

fn ceil_sqrt(n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    let mut k = 1u32;
    while u64::from(k) * u64::from(k) < u64::from(n) {
        k += 1;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_edges_follow_the_iso_27006_table() {
        assert_eq!(initial_audit_days(1), Some(dec!(5)));
        assert_eq!(initial_audit_days(10), Some(dec!(5)));
        assert_eq!(initial_audit_days(11), Some(dec!(6)));
        assert_eq!(initial_audit_days(40), Some(dec!(8.5)));
        assert_eq!(initial_audit_days(300), Some(dec!(15)));
        assert_eq!(initial_audit_days(1175), Some(dec!(18.5)));
        assert_eq!(initial_audit_days(1176), Some(dec!(19.5)));
        assert_eq!(initial_audit_days(2675), Some(dec!(22)));
        assert_eq!(initial_audit_days(2676), Some(dec!(23)));
        assert_eq!(initial_audit_days(10_700), Some(dec!(28)));
        assert_eq!(initial_audit_days(10_701), None);
    }

    #[test]
    fn repetitive_work_counts_as_its_square_root() {
        let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        // 400 persons, 300 of them in a call centre: 100 + ⌈√300⌉ = 100 + 18 = 118 → 12 days.
        let time = AuditTime::from_headcount(400, Decimal::ZERO, Decimal::ZERO, start)
            .with_repetitive_work(300);
        assert_eq!(time.effective_persons_at(start), 118);
        assert_eq!(time.initial_days_at(start), Some(dec!(12)));
        // Without it: 400 persons, 15 days.
        let plain = AuditTime::from_headcount(400, Decimal::ZERO, Decimal::ZERO, start);
        assert_eq!(plain.initial_days_at(start), Some(dec!(15)));
    }

    #[test]
    fn surveillance_is_a_third_and_recertification_two_thirds_in_half_days() {
        assert_eq!(surveillance_days(dec!(8.5)), dec!(3)); // 2.83 → 3
        assert_eq!(recertification_days(dec!(8.5)), dec!(5.5)); // 5.67 → 5.5
        assert_eq!(surveillance_days(dec!(15)), dec!(5));
        assert_eq!(recertification_days(dec!(15)), dec!(10));
    }

    #[test]
    fn audit_time_follows_the_headcount_of_the_audit_date() {
        let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let time = AuditTime::from_headcount(40, dec!(0.25), Decimal::ZERO, start);
        assert_eq!(
            time.headcount_at(NaiveDate::from_ymd_opt(2027, 12, 31).unwrap()),
            40
        );
        assert_eq!(
            time.headcount_at(NaiveDate::from_ymd_opt(2028, 1, 1).unwrap()),
            50
        );
        assert_eq!(
            time.headcount_at(NaiveDate::from_ymd_opt(2030, 6, 1).unwrap()),
            78
        );
        // 40 persons: 8.5 days; 78 persons three years on: 11 days.
        assert_eq!(time.initial_days_at(start), Some(dec!(8.5)));
        assert_eq!(
            time.initial_days_at(NaiveDate::from_ymd_opt(2030, 6, 1).unwrap()),
            Some(dec!(11))
        );
        assert_eq!(
            AuditTime::given(dec!(22)).initial_days_at(start),
            Some(dec!(22))
        );
        let big = AuditTime::from_headcount(10_000, dec!(0.1), Decimal::ZERO, start);
        assert_eq!(
            big.initial_days_at(NaiveDate::from_ymd_opt(2028, 1, 1).unwrap()),
            None
        );
    }

    #[test]
    fn multi_site_sampling_takes_square_roots() {
        assert_eq!(sampled_sites_initial(1), 1);
        assert_eq!(sampled_sites_initial(9), 3);
        assert_eq!(sampled_sites_initial(10), 4);
        assert_eq!(sampled_sites_surveillance(9), 2); // 0.6·3 = 1.8
        assert_eq!(sampled_sites_surveillance(1), 1);
    }
}
