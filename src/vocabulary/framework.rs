//! The frameworks a company may pursue, and who a cost is booked to.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer};

/// A compliance framework certplan plans.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Framework {
    /// ISO/IEC 27001 certification by an accredited certification body.
    Iso27001,
    /// SOC 2 attestation by a licensed CPA firm (AICPA SSAE 18).
    Soc2,
}

impl Framework {
    pub const ALL: [Framework; 2] = [Framework::Iso27001, Framework::Soc2];

    /// The identifier used in scenario files and every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Iso27001 => "iso27001",
            Framework::Soc2 => "soc2",
        }
    }

    /// The name people use.
    /// A few letters for narrow columns: "ISO", "SOC 2".
    pub fn short_label(self) -> &'static str {
        match self {
            Framework::Iso27001 => "ISO",
            Framework::Soc2 => "SOC 2",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Framework::Iso27001 => "ISO/IEC 27001",
            Framework::Soc2 => "SOC 2",
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Framework {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Framework::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| {
                de::Error::custom(format!(
                    "unknown framework `{name}`: expected \"iso27001\" or \"soc2\""
                ))
            })
    }
}

/// Who a cost is booked to: one framework, or work both share (platform, penetration test,
/// training), counted once.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CostOwner {
    Framework(Framework),
    Shared,
}

impl CostOwner {
    pub fn as_str(self) -> &'static str {
        match self {
            CostOwner::Framework(f) => f.as_str(),
            CostOwner::Shared => "shared",
        }
    }
}
