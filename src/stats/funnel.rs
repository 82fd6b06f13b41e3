//! Funnel plots for proportions: limits around a target at 95% and 99.8%, from the exact
//! binomial with Spiegelhalter's interpolation (Spiegelhalter 2005, "Funnel plots for
//! comparing institutional performance", Statistics in Medicine 24:1185-1202, appendix
//! A.1.1), and an overdispersion option as NHS-R `FunnelPlotR` (arcsine square-root
//! z-scores, 10% winsorisation, DerSimonian-Laird tau-squared; Spiegelhalter 2005b,
//! "Handling over-dispersion of performance indicators", Qual Saf Health Care 14:347-351).
use super::distributions::{binom_cdf, binom_quantile, z_for_level};
use serde::Serialize;

pub const LEVEL_95: f64 = 0.95;
pub const LEVEL_998: f64 = 0.998;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelFlag {
    High998,
    High95,
    Within,
    Low95,
    Low998,
}

impl FunnelFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            FunnelFlag::High998 => "high_998",
            FunnelFlag::High95 => "high_95",
            FunnelFlag::Within => "within",
            FunnelFlag::Low95 => "low_95",
            FunnelFlag::Low998 => "low_998",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FunnelUnit {
    pub label: String,
    pub numerator: f64,
    pub denominator: f64,
    pub value: f64,
    pub lower95: f64,
    pub upper95: f64,
    pub lower998: f64,
    pub upper998: f64,
    pub flag: FunnelFlag,
}

#[derive(Debug, Clone, Serialize)]
pub struct FunnelResult {
    pub target: f64,
    pub method: &'static str,
    /// Overdispersion: phi and tau-squared when requested.
    pub phi: Option<f64>,
    pub tau2: Option<f64>,
    pub units: Vec<FunnelUnit>,
}

/// Exact binomial control limit for a proportion with denominator n at cumulative
/// probability q, interpolated between the discrete steps (Spiegelhalter 2005, A.1.1).
pub fn binomial_limit(q: f64, n: f64, target: f64) -> f64 {
    let n_int = n.round().max(1.0) as u64;
    let r = binom_quantile(q, n_int, target) as i64;
    let at_r = binom_cdf(r, n_int, target);
    let below_r = binom_cdf(r - 1, n_int, target);
    let alpha = if at_r > below_r {
        (at_r - q) / (at_r - below_r)
    } else {
        0.0
    };
    ((r as f64 - alpha) / n_int as f64).clamp(0.0, 1.0)
}

/// The funnel for units given as (label, numerator, denominator). `target` defaults to
/// the pooled proportion. Units with a zero denominator are left out by the caller.
pub fn funnel(
    units: &[(String, f64, f64)],
    target: Option<f64>,
    overdispersion: bool,
) -> Option<FunnelResult> {
    let valid: Vec<&(String, f64, f64)> = units.iter().filter(|u| u.2 > 0.0).collect();
    if valid.is_empty() {
        return None;
    }
    let target = target.unwrap_or_else(|| {
        valid.iter().map(|u| u.1).sum::<f64>() / valid.iter().map(|u| u.2).sum::<f64>()
    });
    let (phi, tau2) = if overdispersion {
        let (phi, tau2) = dispersion(&valid, target);
        (Some(phi), Some(tau2))
    } else {
        (None, None)
    };
    let limit = |level: f64, upper: bool, n: f64| funnel_limit(target, tau2, level, upper, n);
    let units = valid
        .iter()
        .map(|(label, x, n)| {
            let value = x / n;
            let (lower95, upper95) = (limit(LEVEL_95, false, *n), limit(LEVEL_95, true, *n));
            let (lower998, upper998) = (limit(LEVEL_998, false, *n), limit(LEVEL_998, true, *n));
            let flag = if value > upper998 {
                FunnelFlag::High998
            } else if value > upper95 {
                FunnelFlag::High95
            } else if value < lower998 {
                FunnelFlag::Low998
            } else if value < lower95 {
                FunnelFlag::Low95
            } else {
                FunnelFlag::Within
            };
            FunnelUnit {
                label: label.clone(),
                numerator: *x,
                denominator: *n,
                value,
                lower95,
                upper95,
                lower998,
                upper998,
                flag,
            }
        })
        .collect();
    Some(FunnelResult {
        target,
        method: if overdispersion {
            "arcsine-overdispersion"
        } else {
            "exact-binomial"
        },
        phi,
        tau2,
        units,
    })
}

impl FunnelResult {
    /// The limit at `level` (0.95 or 0.998) for a unit with denominator `n`: the curve
    /// a chart draws.
    pub fn limit(&self, level: f64, upper: bool, n: f64) -> f64 {
        funnel_limit(self.target, self.tau2, level, upper, n)
    }
}

fn funnel_limit(target: f64, tau2: Option<f64>, level: f64, upper: bool, n: f64) -> f64 {
    let q = if upper {
        1.0 - (1.0 - level) / 2.0
    } else {
        (1.0 - level) / 2.0
    };
    match tau2 {
        None => binomial_limit(q, n, target),
        Some(tau2) => {
            // Limits on the arcsine square-root scale, widened by tau, transformed back.
            let theta = target.sqrt().asin();
            let s = (1.0 / (4.0 * n) + tau2).sqrt();
            let z = z_for_level(level);
            let y = if upper { theta + z * s } else { theta - z * s };
            y.clamp(0.0, std::f64::consts::FRAC_PI_2).sin().powi(2)
        }
    }
}

/// phi from winsorised z-scores and the DerSimonian-Laird tau-squared, on the arcsine
/// square-root scale where the variance of a proportion is 1 / (4n).
fn dispersion(units: &[&(String, f64, f64)], target: f64) -> (f64, f64) {
    let theta = target.sqrt().asin();
    let z: Vec<f64> = units
        .iter()
        .map(|(_, x, n)| ((x / n).sqrt().asin() - theta) * 2.0 * n.sqrt())
        .collect();
    let (lo, hi) = (quantile_type7(&z, 0.1), quantile_type7(&z, 0.9));
    let k = z.len() as f64;
    let phi = z.iter().map(|v| v.clamp(lo, hi).powi(2)).sum::<f64>() / k;
    let w: Vec<f64> = units.iter().map(|(_, _, n)| 4.0 * n).collect();
    let sw: f64 = w.iter().sum();
    let sw2: f64 = w.iter().map(|v| v * v).sum();
    let tau2 = ((k * phi - (k - 1.0)) / (sw - sw2 / sw)).max(0.0);
    (phi, tau2)
}

/// R's default quantile (type 7).
pub fn quantile_type7(values: &[f64], p: f64) -> f64 {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let h = (v.len() - 1) as f64 * p;
    let (lo, frac) = (h.floor() as usize, h - h.floor());
    if lo + 1 < v.len() {
        v[lo] + frac * (v[lo + 1] - v[lo])
    } else {
        v[lo]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_limits_bracket_the_target_and_narrow_with_n() {
        let mut last = f64::INFINITY;
        for n in [10.0, 50.0, 200.0, 1000.0, 10_000.0] {
            let (lo, hi) = (binomial_limit(0.001, n, 0.2), binomial_limit(0.999, n, 0.2));
            assert!(lo < 0.2 && 0.2 < hi);
            assert!(hi - lo < last);
            last = hi - lo;
        }
        // For large n the exact limit approaches the normal one.
        let normal = 0.2 + 3.090_232 * (0.2f64 * 0.8 / 10_000.0).sqrt();
        assert!((binomial_limit(0.999, 10_000.0, 0.2) - normal).abs() < 5e-4);
    }

    #[test]
    fn flags_follow_the_limits() {
        let units = vec![
            ("a".to_string(), 50.0, 100.0),
            ("b".to_string(), 20.0, 100.0),
            ("c".to_string(), 200.0, 1000.0),
            ("d".to_string(), 5.0, 100.0),
        ];
        let r = funnel(&units, Some(0.2), false).unwrap();
        assert_eq!(r.units[0].flag, FunnelFlag::High998);
        assert_eq!(r.units[1].flag, FunnelFlag::Within);
        assert_eq!(r.units[3].flag, FunnelFlag::Low998);
        assert_eq!(quantile_type7(&[1.0, 2.0, 3.0, 4.0], 0.1), 1.3);
    }
}

#[cfg(test)]
mod reference {
    use super::*;

    /// tests/data/funnel_scipy.csv: the same units' limits computed with SciPy and NumPy
    /// by tests/data/make_reference_funnel.py (Spiegelhalter's exact binomial limits and
    /// FunnelPlotR's overdispersion method).
    #[test]
    fn limits_agree_with_scipy() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/funnel_scipy.csv");
        let text = std::fs::read_to_string(path).unwrap();
        let rows: Vec<Vec<&str>> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect())
            .collect();
        let units: Vec<(String, f64, f64)> = rows
            .iter()
            .filter(|r| r[0] == "exact")
            .map(|r| {
                (
                    r[1].to_string(),
                    r[2].parse().unwrap(),
                    r[3].parse().unwrap(),
                )
            })
            .collect();
        for (method, overdispersion) in [("exact", false), ("overdispersed", true)] {
            let result = funnel(&units, None, overdispersion).unwrap();
            for (unit, row) in result
                .units
                .iter()
                .zip(rows.iter().filter(|r| r[0] == method))
            {
                let want: Vec<f64> = row[4..8].iter().map(|v| v.parse().unwrap()).collect();
                let got = [unit.lower95, unit.upper95, unit.lower998, unit.upper998];
                for (g, w) in got.iter().zip(&want) {
                    assert!(
                        (g - w).abs() < 1e-9,
                        "{method} {}: {got:?} vs {want:?}",
                        unit.label
                    );
                }
            }
        }
    }
}
