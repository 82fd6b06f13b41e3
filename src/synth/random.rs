//! Sampling helpers over a seeded ChaCha generator, so a seed gives the same dataset on
//! every machine and every version of `rand`.
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub type SynthRng = ChaCha8Rng;

pub fn chance(rng: &mut SynthRng, p: f64) -> bool {
    rng.random::<f64>() < p
}

pub fn uniform(rng: &mut SynthRng, lo: i32, hi_inclusive: i32) -> i32 {
    if hi_inclusive <= lo {
        lo
    } else {
        rng.random_range(lo..=hi_inclusive)
    }
}

/// Exponential with the given mean, rounded down to whole days.
pub fn exp_days(rng: &mut SynthRng, mean: f64) -> i32 {
    let u: f64 = rng.random::<f64>();
    (-(1.0 - u).ln() * mean).floor() as i32
}

/// Log-normal with the given median and log-scale spread, in whole days.
pub fn lognormal_days(rng: &mut SynthRng, median: f64, sigma: f64) -> i32 {
    let z = standard_normal(rng);
    (median * (sigma * z).exp()).round() as i32
}

pub fn standard_normal(rng: &mut SynthRng) -> f64 {
    // Box-Muller: enough for a generator and stable across crate versions.
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Poisson sample (Knuth for small means, normal approximation for large ones).
pub fn poisson(rng: &mut SynthRng, mean: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    if mean < 30.0 {
        let limit = (-mean).exp();
        let mut k = 0;
        let mut p = 1.0;
        loop {
            p *= rng.random::<f64>();
            if p <= limit {
                return k;
            }
            k += 1;
        }
    }
    (mean + mean.sqrt() * standard_normal(rng)).round().max(0.0) as u32
}

/// A categorical distribution over items with weights.
#[derive(Debug, Clone)]
pub struct Categorical<T: Copy> {
    items: Vec<T>,
    cumulative: Vec<f64>,
}

impl<T: Copy> Categorical<T> {
    pub fn new(weighted: &[(T, f64)]) -> Categorical<T> {
        let mut total = 0.0;
        let mut cumulative = Vec::with_capacity(weighted.len());
        for (_, w) in weighted {
            total += w.max(0.0);
            cumulative.push(total);
        }
        assert!(
            total > 0.0,
            "a categorical distribution needs a positive weight"
        );
        Categorical {
            items: weighted.iter().map(|(t, _)| *t).collect(),
            cumulative: cumulative.into_iter().map(|c| c / total).collect(),
        }
    }

    pub fn sample(&self, rng: &mut SynthRng) -> T {
        let u: f64 = rng.random::<f64>();
        let i = self.cumulative.partition_point(|c| *c <= u);
        self.items[i.min(self.items.len() - 1)]
    }
}
