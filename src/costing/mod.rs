//! Money: the pricing of a schedule into a ledger, exact to the cent; present values; and the
//! assumptions behind every figure.

pub mod assumptions;
pub mod ledger;
pub mod present_value;
pub mod pricing;
