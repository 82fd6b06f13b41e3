//! p-charts and u-charts for proportions and rates with varying denominators, with
//! Laney's p'/u' adjustment for the overdispersion that large denominators reveal
//! (Laney 2002, "Improved control charts for attributes", Quality Engineering 14:531-537).
use serde::Serialize;

/// d2 for moving ranges of two points.
const D2: f64 = 1.128;
/// Shewhart's three-sigma limits.
const SIGMA_LIMITS: f64 = 3.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AttributeChart {
    /// Proportions x/n (binomial).
    P,
    /// Rates x/n per unit of exposure (Poisson).
    U,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttributePoint {
    pub value: f64,
    pub centre: f64,
    pub lcl: f64,
    pub ucl: f64,
    pub outside: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttributeResult {
    pub centre: f64,
    /// Laney's sigma_z (1 when not adjusted).
    pub sigma_z: f64,
    pub points: Vec<AttributePoint>,
}

/// Limits for each point (numerator, denominator). Denominators must be positive.
pub fn attribute_chart(
    kind: AttributeChart,
    data: &[(f64, f64)],
    laney: bool,
) -> Option<AttributeResult> {
    if data.is_empty() || data.iter().any(|(_, n)| *n <= 0.0) {
        return None;
    }
    let centre =
        data.iter().map(|(x, _)| x).sum::<f64>() / data.iter().map(|(_, n)| n).sum::<f64>();
    let sigma = |n: f64| match kind {
        AttributeChart::P => (centre * (1.0 - centre) / n).sqrt(),
        AttributeChart::U => (centre / n).sqrt(),
    };
    let sigma_z = if laney && data.len() >= 2 {
        let z: Vec<f64> = data
            .iter()
            .map(|(x, n)| {
                let s = sigma(*n);
                if s > 0.0 { (x / n - centre) / s } else { 0.0 }
            })
            .collect();
        let mr: f64 = z.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (z.len() - 1) as f64;
        mr / D2
    } else {
        1.0
    };
    let points = data
        .iter()
        .map(|(x, n)| {
            let value = x / n;
            let half = SIGMA_LIMITS * sigma(*n) * sigma_z;
            let lcl = (centre - half).max(0.0);
            let ucl = match kind {
                AttributeChart::P => (centre + half).min(1.0),
                AttributeChart::U => centre + half,
            };
            AttributePoint {
                value,
                centre,
                lcl,
                ucl,
                outside: value < lcl || value > ucl,
            }
        })
        .collect();
    Some(AttributeResult {
        centre,
        sigma_z,
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_chart_limits_follow_the_binomial_formula() {
        let r = attribute_chart(
            AttributeChart::P,
            &[(10.0, 100.0), (30.0, 100.0), (20.0, 200.0)],
            false,
        )
        .unwrap();
        assert!((r.centre - 0.15).abs() < 1e-12);
        let half = 3.0 * (0.15f64 * 0.85 / 100.0).sqrt();
        assert!((r.points[0].ucl - (0.15 + half)).abs() < 1e-12);
        assert!(r.points[1].outside);
    }

    #[test]
    fn laney_widens_overdispersed_limits() {
        let data: Vec<(f64, f64)> = (0..12)
            .map(|i| (if i % 2 == 0 { 900.0 } else { 1100.0 }, 10_000.0))
            .collect();
        let plain = attribute_chart(AttributeChart::P, &data, false).unwrap();
        let laney = attribute_chart(AttributeChart::P, &data, true).unwrap();
        assert!(laney.sigma_z > 1.0);
        assert!(plain.points.iter().all(|p| p.outside));
        assert!(laney.points.iter().all(|p| !p.outside));
    }
}
