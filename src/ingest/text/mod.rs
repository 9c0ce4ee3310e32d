//! Plain-text captures of any publisher: one grammar for printed
//! timestamps ([`stamp`]) and one reading of a capture's layout
//! ([`layout`]: post boundaries, headlines, days of time-only stamps, the
//! furniture at the edges).

pub(crate) mod layout;
pub(crate) mod stamp;
