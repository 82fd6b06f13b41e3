//! Confidence intervals for proportions, counts and rates, each labelled with its method.
//! Methods and rules follow PHE's `PHEindicatormethods` (Wilson for proportions; for
//! counts, exact Poisson below 10 and Byar's approximation from 10).
use super::distributions::{beta_quantile, chisq_quantile, z_for_level};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
    pub method: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CiMethod {
    /// Wilson score interval for a proportion x/n.
    Wilson,
    /// Clopper-Pearson exact interval for a proportion x/n.
    ClopperPearson,
    /// PHE's rule for a count: exact below 10, Byar's from 10.
    Poisson,
    /// Exact Poisson (chi-square) interval for a count; `poisson-exact`, the name the
    /// output gives it, is accepted too.
    #[value(alias = "poisson-exact")]
    Exact,
    /// Byar's approximation for a count.
    Byar,
}

/// Counts below this use the exact Poisson interval in PHE's rule.
pub const PHE_EXACT_BELOW: f64 = 10.0;

/// Wilson score interval (Wilson 1927; Newcombe 1998, method 3), as
/// `PHEindicatormethods::phe_proportion`.
pub fn wilson(x: f64, n: f64, level: f64) -> Option<Interval> {
    wilson_z(x, n, z_for_level(level))
}

/// [`wilson`] with the normal quantile `z` of its level worked out once, for a table
/// of hundreds of thousands of proportions.
pub fn wilson_z(x: f64, n: f64, z: f64) -> Option<Interval> {
    if n.is_nan() || n <= 0.0 || x < 0.0 || x > n {
        return None;
    }
    let p = x / n;
    let z2 = z * z;
    let centre = 2.0 * x + z2;
    let spread = z * (z2 + 4.0 * x * (1.0 - p)).sqrt();
    let denom = 2.0 * (n + z2);
    // At x = 0 and x = n the bounds are exactly 0 and 1; rounding would put them a hair inside.
    Some(Interval {
        estimate: p,
        lower: if x == 0.0 {
            0.0
        } else {
            ((centre - spread) / denom).max(0.0)
        },
        upper: if x == n {
            1.0
        } else {
            ((centre + spread) / denom).min(1.0)
        },
        method: "wilson",
    })
}

/// Clopper-Pearson exact interval from Beta quantiles (Clopper and Pearson 1934).
pub fn clopper_pearson(x: f64, n: f64, level: f64) -> Option<Interval> {
    if n.is_nan() || n <= 0.0 || x < 0.0 || x > n {
        return None;
    }
    let alpha = 1.0 - level;
    let lower = if x == 0.0 {
        0.0
    } else {
        beta_quantile(alpha / 2.0, x, n - x + 1.0)
    };
    let upper = if x == n {
        1.0
    } else {
        beta_quantile(1.0 - alpha / 2.0, x + 1.0, n - x)
    };
    Some(Interval {
        estimate: x / n,
        lower,
        upper,
        method: "clopper-pearson",
    })
}

/// Exact Poisson interval for a count from chi-square quantiles (Garwood 1936).
pub fn poisson_exact(x: f64, level: f64) -> Option<Interval> {
    if x < 0.0 || !x.is_finite() {
        return None;
    }
    let alpha = 1.0 - level;
    let lower = if x == 0.0 {
        0.0
    } else {
        chisq_quantile(alpha / 2.0, 2.0 * x) / 2.0
    };
    let upper = chisq_quantile(1.0 - alpha / 2.0, 2.0 * x + 2.0) / 2.0;
    Some(Interval {
        estimate: x,
        lower,
        upper,
        method: "poisson-exact",
    })
}

/// Byar's approximation to the exact Poisson interval (Breslow and Day 1987, p. 69).
pub fn byar(x: f64, level: f64) -> Option<Interval> {
    if x < 0.0 || !x.is_finite() {
        return None;
    }
    let z = z_for_level(level);
    let lower = if x == 0.0 {
        0.0
    } else {
        x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * x.sqrt())).powi(3)
    };
    let x1 = x + 1.0;
    let upper = x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * x1.sqrt())).powi(3);
    Some(Interval {
        estimate: x,
        lower: lower.max(0.0),
        upper,
        method: "byar",
    })
}

/// PHE's rule for a count: exact below 10, Byar's from 10.
pub fn poisson_phe(x: f64, level: f64) -> Option<Interval> {
    if x < PHE_EXACT_BELOW {
        poisson_exact(x, level)
    } else {
        byar(x, level)
    }
}

/// A rate per `per` population with the count's PHE interval scaled, as
/// `PHEindicatormethods::phe_rate`.
pub fn rate(x: f64, population: f64, per: f64, level: f64) -> Option<Interval> {
    if population.is_nan() || population <= 0.0 {
        return None;
    }
    let count = poisson_phe(x, level)?;
    let scale = per / population;
    Some(Interval {
        estimate: x * scale,
        lower: count.lower * scale,
        upper: count.upper * scale,
        method: count.method,
    })
}

/// Dispatch for the command line.
pub fn interval(method: CiMethod, x: f64, n: Option<f64>, level: f64) -> Option<Interval> {
    match method {
        CiMethod::Wilson => wilson(x, n?, level),
        CiMethod::ClopperPearson => clopper_pearson(x, n?, level),
        CiMethod::Poisson => poisson_phe(x, level),
        CiMethod::Exact => poisson_exact(x, level),
        CiMethod::Byar => byar(x, level),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Newcombe (1998), "Two-sided confidence intervals for the single proportion",
    /// Statistics in Medicine 17:857-872, Table I, methods 3 (Wilson) and 5 (exact).
    #[test]
    fn newcombe_1998_table() {
        let cases = [
            (81.0, 263.0, (0.2553, 0.3662), (0.2527, 0.3676)),
            (15.0, 148.0, (0.0624, 0.1605), (0.0578, 0.1617)),
            (0.0, 20.0, (0.0, 0.1611), (0.0, 0.1684)),
            (1.0, 29.0, (0.0061, 0.1718), (0.0009, 0.1776)),
        ];
        for (x, n, w, cp) in cases {
            let a = wilson(x, n, 0.95).unwrap();
            assert!(
                (a.lower - w.0).abs() < 5e-5 && (a.upper - w.1).abs() < 5e-5,
                "wilson {x}/{n}: {a:?}"
            );
            let b = clopper_pearson(x, n, 0.95).unwrap();
            assert!(
                (b.lower - cp.0).abs() < 5e-5 && (b.upper - cp.1).abs() < 5e-5,
                "cp {x}/{n}: {b:?}"
            );
        }
    }

    #[test]
    fn wilson_contains_estimate_and_stays_in_unit_interval() {
        for n in 1..60 {
            for x in 0..=n {
                let i = wilson(x as f64, n as f64, 0.95).unwrap();
                assert!(i.lower >= 0.0 && i.upper <= 1.0);
                assert!(i.lower <= i.estimate && i.estimate <= i.upper);
                let c = clopper_pearson(x as f64, n as f64, 0.95).unwrap();
                assert!(c.lower <= i.estimate && i.estimate <= c.upper);
            }
        }
        assert!(wilson(1.0, 0.0, 0.95).is_none());
        assert!(wilson(5.0, 3.0, 0.95).is_none());
    }

    #[test]
    fn phe_rule_switches_at_ten() {
        assert_eq!(poisson_phe(9.0, 0.95).unwrap().method, "poisson-exact");
        assert_eq!(poisson_phe(10.0, 0.95).unwrap().method, "byar");
        // Byar's approximation is close to the exact interval for moderate counts.
        let (e, b) = (
            poisson_exact(50.0, 0.95).unwrap(),
            byar(50.0, 0.95).unwrap(),
        );
        assert!((e.lower - b.lower).abs() < 0.05 && (e.upper - b.upper).abs() < 0.05);
    }
}

#[cfg(test)]
mod reference {
    use super::*;

    /// Every row of tests/data/intervals_scipy.csv (SciPy 1.17.1; see the script beside it).
    #[test]
    fn every_interval_agrees_with_scipy() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/intervals_scipy.csv"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let mut rows = 0;
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let x: f64 = f[1].parse().unwrap();
            let n: Option<f64> = f[2].parse().ok();
            let level: f64 = f[3].parse().unwrap();
            let method = match f[0] {
                "wilson" => CiMethod::Wilson,
                "clopper-pearson" => CiMethod::ClopperPearson,
                "poisson-exact" => CiMethod::Exact,
                "byar" => CiMethod::Byar,
                other => panic!("unknown method {other}"),
            };
            let i = interval(method, x, n, level).unwrap();
            let (lo, hi): (f64, f64) = (f[4].parse().unwrap(), f[5].parse().unwrap());
            let tol = 1e-9 * hi.abs().max(1.0);
            assert!((i.lower - lo).abs() < tol, "{line}: lower {}", i.lower);
            assert!((i.upper - hi).abs() < tol, "{line}: upper {}", i.upper);
            rows += 1;
        }
        assert!(rows > 200);
    }
}
