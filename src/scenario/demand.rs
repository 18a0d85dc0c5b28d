//! `[[demand]]`: the business a plan unlocks (`business_case` dates and values it). A segment or a named deal needs an ISO/IEC 27001
//! certificate or a SOC 2 report in hand; it is worth monthly recurring revenue or a one-off
//! contract, won with a probability.

use serde::Deserialize;
use toml::Spanned;

use crate::scenario::inputs::Fraction;
use crate::vocabulary::framework::Framework;
use crate::vocabulary::money::Amount;
use crate::vocabulary::year_month::YearMonth;

/// Most demand entries one scenario may list.
pub const MAX_DEMANDS: usize = 100;

/// What a customer asks to see before signing.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    /// A valid, unsuspended ISO/IEC 27001 certificate.
    Iso27001Certificate,
    /// A current SOC 2 report, Type I or Type II (a Type II satisfies a Type I request).
    Soc2Type1Report,
    /// A current SOC 2 Type II report, or a bridge letter that carries one on.
    Soc2Type2Report,
}

impl Assurance {
    pub const ALL: [Assurance; 3] = [
        Assurance::Iso27001Certificate,
        Assurance::Soc2Type1Report,
        Assurance::Soc2Type2Report,
    ];

    /// The identifier used in scenario files and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Assurance::Iso27001Certificate => "iso27001_certificate",
            Assurance::Soc2Type1Report => "soc2_type1_report",
            Assurance::Soc2Type2Report => "soc2_type2_report",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Assurance::Iso27001Certificate => "ISO/IEC 27001 certificate",
            Assurance::Soc2Type1Report => "SOC 2 Type I report",
            Assurance::Soc2Type2Report => "SOC 2 Type II report",
        }
    }

    pub fn framework(self) -> Framework {
        match self {
            Assurance::Iso27001Certificate => Framework::Iso27001,
            Assurance::Soc2Type1Report | Assurance::Soc2Type2Report => Framework::Soc2,
        }
    }
}

/// What a demand is worth once unlocked.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Worth {
    /// Monthly recurring revenue, each month the assurance is held.
    Monthly(rust_decimal::Decimal),
    /// A one-off contract value, in the month the demand is unlocked.
    OneOff(rust_decimal::Decimal),
}

/// What becomes of a deal whose assurance comes after its `needed_by` date.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IfLate {
    /// The tender closes, the renewal goes elsewhere: nothing is earned.
    #[default]
    Lost,
    /// The deal starts when the assurance arrives, its win probability lowered by
    /// `win_probability_decay` for each month late.
    Delayed,
}

impl IfLate {
    pub fn as_str(self) -> &'static str {
        match self {
            IfLate::Lost => "lost",
            IfLate::Delayed => "delayed",
        }
    }
}

/// The written `needs`: one assurance, or a list of which any will do.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum Needs {
    One(Assurance),
    AnyOf(Vec<Assurance>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemandSpec {
    pub name: Spanned<String>,
    needs: Spanned<Needs>,
    #[serde(default)]
    from: Option<YearMonth>,
    #[serde(default)]
    monthly_revenue: Option<Spanned<Amount>>,
    #[serde(default)]
    contract_value: Option<Spanned<Amount>>,
    win_probability: Fraction<0, 100>,
    #[serde(default)]
    needed_by: Option<Spanned<crate::vocabulary::year_month::Date>>,
    #[serde(default)]
    if_late: Option<Spanned<IfLate>>,
    #[serde(default)]
    win_probability_decay: Option<Spanned<Fraction<0, 100>>>,
}

/// The date by which a deal needs its assurance, and what happens when it comes later.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub needed_by: chrono::NaiveDate,
    pub if_late: IfLate,
    /// With `delayed`: the win probability lost per month late (points, 0–1), never below 0.
    pub decay: rust_decimal::Decimal,
}

/// One demand, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Demand {
    pub name: String,
    /// Any of these unlocks it.
    pub needs: Vec<Assurance>,
    /// The first month the demand exists; the programme start when not given.
    pub from: Option<YearMonth>,
    pub worth: Worth,
    pub win_probability: rust_decimal::Decimal,
    /// `needed_by`: the date the assurance must be in hand, when the deal has one.
    pub deadline: Option<Deadline>,
    /// The line of its name in the scenario file.
    pub line: usize,
}

impl DemandSpec {
    /// The demand, or a message and the byte span it is about.
    pub(crate) fn checked(self) -> Result<Demand, (std::ops::Range<usize>, &'static str, String)> {
        let name = self.name.get_ref().trim().to_string();
        if let Some((position, c)) = crate::vocabulary::text::first_forbidden(&name) {
            return Err((
                self.name.span(),
                "name",
                format!(
                    "the name holds {} at character {position}: names appear in terminals, \
                     reports and charts, so they may hold printable characters only",
                    crate::vocabulary::text::describe(c)
                ),
            ));
        }
        if name.is_empty() || name.chars().count() > 80 {
            return Err((
                self.name.span(),
                "name",
                "a demand's name is 1 to 80 characters".into(),
            ));
        }
        let needs = match self.needs.get_ref() {
            Needs::One(a) => vec![*a],
            Needs::AnyOf(list) => {
                let mut list = list.clone();
                list.sort();
                list.dedup();
                list
            }
        };
        if needs.is_empty() {
            return Err((
                self.needs.span(),
                "needs",
                "`needs` names at least one of \"iso27001_certificate\", \"soc2_type1_report\", \"soc2_type2_report\"".into(),
            ));
        }
        let worth = match (&self.monthly_revenue, &self.contract_value) {
            (Some(m), None) => Worth::Monthly(m.get_ref().0),
            (None, Some(c)) => Worth::OneOff(c.get_ref().0),
            (Some(_), Some(c)) => {
                return Err((
                    c.span(),
                    "contract_value",
                    "give monthly_revenue or contract_value, not both: write two demands for a deal with both".into(),
                ));
            }
            (None, None) => {
                return Err((
                    self.name.span(),
                    "monthly_revenue",
                    "a demand needs a worth: monthly_revenue (recurring) or contract_value (one-off)".into(),
                ));
            }
        };
        let deadline = self.deadline()?;
        Ok(Demand {
            name,
            needs,
            from: self.from,
            worth,
            win_probability: self.win_probability.get(),
            deadline,
            line: 0,
        })
    }

    /// `needed_by`, `if_late` and `win_probability_decay`, checked together.
    fn deadline(&self) -> Result<Option<Deadline>, (std::ops::Range<usize>, &'static str, String)> {
        let if_late = self.if_late.as_ref().map(|l| *l.get_ref());
        let decay = self.win_probability_decay.as_ref();
        let Some(needed_by) = &self.needed_by else {
            if let Some(l) = &self.if_late {
                return Err((
                    l.span(),
                    "if_late",
                    "if_late says what happens when the assurance comes after needed_by: give \
                     needed_by = \"YYYY-MM-DD\" too"
                        .into(),
                ));
            }
            if let Some(d) = decay {
                return Err((
                    d.span(),
                    "win_probability_decay",
                    "win_probability_decay lowers the odds of a deal that is late: give \
                     needed_by and if_late = \"delayed\" too"
                        .into(),
                ));
            }
            return Ok(None);
        };
        if let (Some(d), Some(IfLate::Lost) | None) = (decay, if_late) {
            return Err((
                d.span(),
                "win_probability_decay",
                "win_probability_decay applies to a deal that is delayed, not lost: add \
                 if_late = \"delayed\", or remove the decay"
                    .into(),
            ));
        }
        let date = needed_by.get_ref().0;
        if let Some(from) = self.from
            && date < from.first_day()
        {
            return Err((
                needed_by.span(),
                "needed_by",
                format!(
                    "needed_by {date} is before the deal exists (from = \"{from}\"): it can \
                     never be met"
                ),
            ));
        }
        Ok(Some(Deadline {
            needed_by: date,
            if_late: if_late.unwrap_or_default(),
            decay: decay.map_or(rust_decimal::Decimal::ZERO, |d| d.get_ref().get()),
        }))
    }
}

impl Demand {
    /// The needs in words: "SOC 2 Type II report or ISO/IEC 27001 certificate".
    pub fn needs_label(&self) -> String {
        self.needs
            .iter()
            .map(|a| a.label())
            .collect::<Vec<_>>()
            .join(" or ")
    }
}
