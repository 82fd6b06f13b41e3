//! Statistics for the flight deck, profile, charts and reports: intervals, SPC, control
//! charts for attributes, funnel plots and tests of change. Every method names its
//! source beside its constants and is tested against values from outside the project.
pub mod change;
pub mod control;
pub mod distributions;
pub mod funnel;
pub mod intervals;
pub mod spc;
