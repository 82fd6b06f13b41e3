//! The Making Data Count icons, drawn by the engine rather than copied from image files:
//! the variation icons (a ring around a small run of points: grey and level for common
//! cause; rising or falling, with H or L, in the colour of improvement, concern or
//! neutral special cause) and the assurance icons (a ring around P, F or ?). Each has an
//! accessible name in words, so colour and shape are never the only cue.
use super::ChartError;
use super::draw::*;
use crate::stats::spc::{Assurance, VariationIcon};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Variation(VariationIcon),
    Assurance(Assurance),
}

/// Every icon, in a stable order (the report writes each once).
pub const ALL: [Icon; 10] = [
    Icon::Variation(VariationIcon::CommonCause),
    Icon::Variation(VariationIcon::ImprovementHigh),
    Icon::Variation(VariationIcon::ImprovementLow),
    Icon::Variation(VariationIcon::ConcernHigh),
    Icon::Variation(VariationIcon::ConcernLow),
    Icon::Variation(VariationIcon::NeutralHigh),
    Icon::Variation(VariationIcon::NeutralLow),
    Icon::Assurance(Assurance::ConsistentlyPassing),
    Icon::Assurance(Assurance::ConsistentlyFailing),
    Icon::Assurance(Assurance::HitAndMiss),
];

impl Icon {
    /// The accessible name: what a screen reader says and what the picture means.
    pub fn name(self) -> &'static str {
        match self {
            Icon::Variation(v) => match v {
                VariationIcon::CommonCause => "Common cause variation",
                VariationIcon::ImprovementHigh => "Special cause improvement (high)",
                VariationIcon::ImprovementLow => "Special cause improvement (low)",
                VariationIcon::ConcernHigh => "Special cause concern (high)",
                VariationIcon::ConcernLow => "Special cause concern (low)",
                VariationIcon::NeutralHigh => {
                    "Special cause neither improvement nor concern (high)"
                }
                VariationIcon::NeutralLow => "Special cause neither improvement nor concern (low)",
            },
            Icon::Assurance(a) => match a {
                Assurance::ConsistentlyPassing => "Assurance: consistently passing the target",
                Assurance::ConsistentlyFailing => "Assurance: consistently failing the target",
                Assurance::HitAndMiss => "Assurance: hit and miss",
            },
        }
    }

    /// A file stem: `variation-concern-high`, `assurance-hit-and-miss`.
    pub fn stem(self) -> String {
        match self {
            Icon::Variation(v) => format!("variation-{}", v.as_str().replace('_', "-")),
            Icon::Assurance(a) => format!("assurance-{}", a.as_str().replace('_', "-")),
        }
    }

    pub fn from_stem(stem: &str) -> Option<Icon> {
        ALL.into_iter().find(|i| i.stem() == stem)
    }

    /// The icon of a summary's `variation` or `assurance` code (`concern_high`,
    /// `hit_and_miss`).
    pub fn from_code(code: &str) -> Option<Icon> {
        ALL.into_iter().find(|i| match i {
            Icon::Variation(v) => v.as_str() == code,
            Icon::Assurance(a) => a.as_str() == code,
        })
    }

    fn colour(self) -> RGBColor {
        match self {
            Icon::Variation(v) => match v {
                VariationIcon::CommonCause => SPC_COMMON,
                VariationIcon::ImprovementHigh | VariationIcon::ImprovementLow => SPC_IMPROVEMENT,
                VariationIcon::ConcernHigh | VariationIcon::ConcernLow => SPC_CONCERN,
                VariationIcon::NeutralHigh | VariationIcon::NeutralLow => SPC_NEUTRAL,
            },
            Icon::Assurance(a) => match a {
                Assurance::ConsistentlyPassing => SPC_IMPROVEMENT,
                Assurance::ConsistentlyFailing => SPC_CONCERN,
                Assurance::HitAndMiss => SPC_COMMON,
            },
        }
    }
}

/// Draws the icon as a ring of radius `r` pixels around `centre`. No `Circle` element is
/// used, so that the charts' tests, which count circles as data points, are not misled.
pub fn draw<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    centre: (i32, i32),
    r: i32,
    icon: Icon,
) -> Result<(), ChartError> {
    let colour = icon.colour();
    ring(area, th, centre, r, colour)?;
    let rf = r as f64;
    let at = |x: f64, y: f64| {
        (
            centre.0 + (x * rf).round() as i32,
            centre.1 + (y * rf).round() as i32,
        )
    };
    // Letters are sized from the ring, in points of the theme.
    let letter_pt = |share: f64| rf * share / th.pxf(1.0);
    match icon {
        Icon::Variation(v) => {
            // Five points of a run, left to right; y grows downwards.
            let (ys, letter): ([f64; 5], Option<(&str, f64)>) = match v {
                VariationIcon::CommonCause => ([0.05, -0.2, 0.15, -0.15, 0.05], None),
                VariationIcon::ImprovementHigh
                | VariationIcon::ConcernHigh
                | VariationIcon::NeutralHigh => ([0.0, 0.05, -0.15, -0.3, -0.42], Some(("H", 0.5))),
                VariationIcon::ImprovementLow
                | VariationIcon::ConcernLow
                | VariationIcon::NeutralLow => ([0.0, -0.05, 0.15, 0.3, 0.42], Some(("L", -0.5))),
            };
            let xs = [-0.56, -0.28, 0.0, 0.28, 0.56];
            let line: Vec<(i32, i32)> = xs.iter().zip(ys).map(|(x, y)| at(*x, y)).collect();
            solid_line(area, line.clone(), th.line(SPC_COMMON, 0.6))?;
            let dot = (rf * 0.1).max(1.0);
            for (k, (x, y)) in line.iter().enumerate() {
                // The last three points carry the signal's colour.
                let fill = if k >= 2 { colour } else { SPC_COMMON };
                let octagon: Vec<(i32, i32)> = (0..8)
                    .map(|i| {
                        let a = (i as f64 + 0.5) / 8.0 * std::f64::consts::TAU;
                        (
                            x + (dot * a.cos()).round() as i32,
                            y + (dot * a.sin()).round() as i32,
                        )
                    })
                    .collect();
                area.draw(&Polygon::new(octagon, fill.filled())).or_draw()?;
            }
            if let Some((l, y)) = letter {
                text(
                    area,
                    l,
                    at(0.0, y),
                    &th.font(letter_pt(0.55), true, colour),
                    anchor(HPos::Center, VPos::Center),
                )?;
            }
        }
        Icon::Assurance(a) => {
            let l = match a {
                Assurance::ConsistentlyPassing => "P",
                Assurance::ConsistentlyFailing => "F",
                Assurance::HitAndMiss => "?",
            };
            text(
                area,
                l,
                centre,
                &th.font(letter_pt(1.0), true, colour),
                anchor(HPos::Center, VPos::Center),
            )?;
        }
    }
    Ok(())
}

/// The drawing of the icon in a square of `size` units, without the `<svg>` element
/// around it (for an HTML `<symbol>`).
pub fn svg_inner(icon: Icon, size: u32) -> Result<String, ChartError> {
    super::font::register();
    let th = Theme { px_per_pt: 1.0 };
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (size, size)).into_drawing_area();
        let c = size as i32 / 2;
        draw(&area, &th, (c, c), c - (size as i32 / 12).max(1), icon)?;
        area.present().or_draw()?;
    }
    let open = format!(
        "<svg width=\"{size}\" height=\"{size}\" viewBox=\"0 0 {size} {size}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    Ok(out
        .replacen(&open, "", 1)
        .replacen("</svg>", "", 1)
        .replace(
            &format!("font-family=\"{}\"", super::font::FAMILY),
            &format!("font-family=\"{}\"", super::font::SVG_FAMILY),
        )
        .trim()
        .to_string())
}

/// A square SVG of the icon, `size` units wide, with its name as `<title>` and
/// `aria-label` (a picture beside the words in Markdown).
pub fn svg(icon: Icon, size: u32) -> Result<String, ChartError> {
    let name = crate::format::escape_xml(icon.name());
    Ok(format!(
        "<svg width=\"{size}\" height=\"{size}\" viewBox=\"0 0 {size} {size}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{name}\">\n<title>{name}</title>\n{}\n</svg>\n",
        svg_inner(icon, size)?
    ))
}

/// A square PNG of the icon, `size` pixels wide, its name stored as the description.
pub fn png(icon: Icon, size: u32, dpi: f64) -> Result<Vec<u8>, ChartError> {
    super::font::register();
    let th = Theme { px_per_pt: 1.0 };
    let mut rgb = vec![255u8; size as usize * size as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, (size, size)).into_drawing_area();
        let c = size as i32 / 2;
        draw(&area, &th, (c, c), c - (size as i32 / 12).max(1), icon)?;
        area.present().or_draw()?;
    }
    Ok(super::png::encode(
        &rgb,
        size,
        size,
        dpi,
        &[("Title", icon.name()), ("Description", icon.name())],
    ))
}

/// A circle outline as a polyline.
pub fn ring<DB: DrawingBackend>(
    area: &Area<DB>,
    th: &Theme,
    centre: (i32, i32),
    r: i32,
    colour: RGBColor,
) -> Result<(), ChartError> {
    let points: Vec<(i32, i32)> = (0..=48)
        .map(|i| {
            let a = i as f64 / 48.0 * std::f64::consts::TAU;
            (
                centre.0 + (r as f64 * a.cos()).round() as i32,
                centre.1 + (r as f64 * a.sin()).round() as i32,
            )
        })
        .collect();
    solid_line(area, points, th.line(colour, 1.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_has_a_name_a_stem_and_both_pictures() {
        let mut stems: Vec<String> = ALL.iter().map(|i| i.stem()).collect();
        stems.sort();
        stems.dedup();
        assert_eq!(stems.len(), ALL.len());
        for icon in ALL {
            assert_eq!(Icon::from_stem(&icon.stem()), Some(icon));
            let s = svg(icon, 48).unwrap();
            assert!(
                s.contains(&format!("aria-label=\"{}\"", icon.name())),
                "{s}"
            );
            assert!(
                !s.contains("<circle"),
                "no circle elements: {}",
                icon.stem()
            );
            let p = png(icon, 48, 96.0).unwrap();
            let info = crate::charts::png::info(&p).unwrap();
            assert_eq!((info.width, info.height), (48, 48));
        }
        assert_eq!(
            Icon::from_code("concern_high").map(Icon::name),
            Some("Special cause concern (high)")
        );
        assert_eq!(
            Icon::from_code("hit_and_miss").map(Icon::name),
            Some("Assurance: hit and miss")
        );
    }
}
