//! The one font of every chart, embedded in the binary so that rendering needs no system
//! fonts and gives the same pixels on every machine: Liberation Sans 2.1.5 (SIL Open
//! Font License 1.1, `fonts/LICENSE-OFL.txt`), metric-compatible with Arial, so an SVG
//! shown where only Arial or Helvetica is installed keeps its layout.
use plotters::style::{FontStyle, register_font};
use std::sync::Once;

/// The family name charts ask plotters for.
pub const FAMILY: &str = "Liberation Sans";
/// What an SVG names instead, so viewers without Liberation Sans fall back to its metric
/// twins rather than to a serif default.
pub const SVG_FAMILY: &str = "Liberation Sans, Arial, Helvetica, sans-serif";

static REGULAR: &[u8] = include_bytes!("fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("fonts/LiberationSans-Bold.ttf");

/// Registers the font with plotters once per process.
pub fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are compiled in and known to parse (a unit test below).
        let _ = register_font(FAMILY, FontStyle::Normal, REGULAR);
        let _ = register_font(FAMILY, FontStyle::Bold, BOLD);
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_fonts_parse() {
        use plotters::style::{FontStyle, register_font};
        assert!(register_font("test-regular", FontStyle::Normal, super::REGULAR).is_ok());
        assert!(register_font("test-bold", FontStyle::Bold, super::BOLD).is_ok());
    }
}
