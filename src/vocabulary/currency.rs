//! ISO 4217 currencies: the code, its minor unit and how amounts are shown.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer};

/// Active ISO 4217 codes with two-decimal minor units.
const TWO_DECIMALS: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB \
BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP \
GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP \
LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB \
PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL \
THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG";

/// Active ISO 4217 codes without a minor unit.
const ZERO_DECIMALS: &str = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF";

/// Codes with three decimals (BHD, KWD, …) are real but not supported: the CSV contract has
/// exactly two decimals.
const THREE_DECIMALS: &str = "BHD IQD JOD KWD LYD OMR TND";

/// A currency by ISO 4217 code.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Currency {
    code: [u8; 3],
    minor_units: u32,
}

impl Currency {
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("???")
    }

    /// Decimal places of the minor unit (2 for USD, 0 for JPY).
    pub fn minor_units(&self) -> u32 {
        self.minor_units
    }

    /// The symbol shown before amounts, for the currencies that have an unambiguous one.
    pub fn symbol(&self) -> Option<&'static str> {
        match self.code() {
            "USD" => Some("$"),
            "EUR" => Some("€"),
            "GBP" => Some("£"),
            "JPY" => Some("¥"),
            "INR" => Some("₹"),
            _ => None,
        }
    }

    /// `number` with the symbol before it (`$1,200`), or the code and a space (`CHF 1,200`).
    pub fn prefix_to(&self, number: &str) -> String {
        match self.symbol() {
            Some(symbol) => format!("{symbol}{number}"),
            None => format!("{} {number}", self.code()),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let known = |list: &str| list.split_whitespace().any(|c| c == s);
        let minor_units = if known(TWO_DECIMALS) {
            2
        } else if known(ZERO_DECIMALS) {
            0
        } else if known(THREE_DECIMALS) {
            return Err(format!(
                "currency `{s}` has three decimals, which certplan does not support"
            ));
        } else {
            return Err(format!(
                "`{s}` is not an ISO 4217 currency code: expected three capital letters such as \"USD\", \"EUR\" or \"GBP\""
            ));
        };
        let bytes = s.as_bytes();
        Ok(Currency {
            code: [bytes[0], bytes[1], bytes[2]],
            minor_units,
        })
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_carry_their_minor_unit() {
        assert_eq!("USD".parse::<Currency>().unwrap().minor_units(), 2);
        assert_eq!("JPY".parse::<Currency>().unwrap().minor_units(), 0);
        assert!("usd".parse::<Currency>().is_err());
        assert!("XYZ".parse::<Currency>().is_err());
        assert!(
            "KWD"
                .parse::<Currency>()
                .unwrap_err()
                .contains("three decimals")
        );
    }
}
