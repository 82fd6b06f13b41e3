//! Tests of change between two periods: the two-proportion z-test (as R's
//! `prop.test(correct = FALSE)`) and the chi-square test of a whole distribution (as R's
//! `chisq.test` on a 2 x k table without continuity correction).
use super::distributions::{chisq_sf, norm_cdf, z_for_level};
use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct TwoProportionTest {
    pub difference: f64,
    pub z: f64,
    pub p_value: f64,
    /// Wald interval of p1 - p2 (unpooled variance), as `prop.test`.
    pub lower: f64,
    pub upper: f64,
}

/// Compares x1/n1 with x2/n2. `None` when either denominator is zero or nothing varies.
pub fn two_proportion(x1: f64, n1: f64, x2: f64, n2: f64, level: f64) -> Option<TwoProportionTest> {
    if n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let (p1, p2) = (x1 / n1, x2 / n2);
    let pooled = (x1 + x2) / (n1 + n2);
    let se0 = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se0 == 0.0 {
        return None;
    }
    let z = (p1 - p2) / se0;
    let se = (p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2).sqrt();
    let zc = z_for_level(level);
    Some(TwoProportionTest {
        difference: p1 - p2,
        z,
        p_value: 2.0 * (1.0 - norm_cdf(z.abs())),
        lower: (p1 - p2 - zc * se).max(-1.0),
        upper: (p1 - p2 + zc * se).min(1.0),
    })
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct ChiSquareTest {
    pub statistic: f64,
    pub df: f64,
    pub p_value: f64,
}

/// Chi-square test that two count distributions over the same categories differ.
/// Categories empty in both periods are left out of the degrees of freedom.
pub fn chi_square_2xk(current: &[f64], previous: &[f64]) -> Option<ChiSquareTest> {
    let (t1, t2): (f64, f64) = (current.iter().sum(), previous.iter().sum());
    let total = t1 + t2;
    if t1 <= 0.0 || t2 <= 0.0 {
        return None;
    }
    let mut statistic = 0.0;
    let mut categories = 0;
    for (a, b) in current.iter().zip(previous) {
        let col = a + b;
        if col <= 0.0 {
            continue;
        }
        categories += 1;
        let (e1, e2) = (t1 * col / total, t2 * col / total);
        statistic += (a - e1).powi(2) / e1 + (b - e2).powi(2) / e2;
    }
    if categories < 2 {
        return None;
    }
    let df = (categories - 1) as f64;
    Some(ChiSquareTest {
        statistic,
        df,
        p_value: chisq_sf(statistic, df),
    })
}
