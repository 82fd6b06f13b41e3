//! XmR charts in the NHS "Making Data Count" style, with the rules and precedence of
//! NHS-R `NHSRplotthedots` 0.2.2 as written in `flight-deck.md`.
use serde::Serialize;

/// Process limits are mean +/- 2.66 x AMR: 3 / d2 with d2 = 1.128 for moving ranges of
/// two points (Wheeler, "Understanding Variation"; NHSRplotthedots `ptd_calculate_limits`).
pub const LIMIT_FACTOR: f64 = 2.66;
/// Moving ranges at or above 3.267 x AMR (D4 for n = 2) are screened out of the AMR
/// (Nelson 1982; NHS Improvement "Making Data Count" Excel tool).
pub const SCREEN_FACTOR: f64 = 3.267;
/// Runs and trends of this many points are special cause.
pub const RUN_LENGTH: usize = 7;
/// Fewer points than this give limits with a warning.
pub const MIN_RELIABLE_POINTS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Higher is better.
    Up,
    /// Lower is better.
    Down,
    /// Neither direction is better.
    Neutral,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Up => "up",
            Polarity::Down => "down",
            Polarity::Neutral => "neutral",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Outside,
    Trend,
    TwoInThree,
    Shift,
    None,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Outside => "outside",
            Rule::Trend => "trend",
            Rule::TwoInThree => "two_in_three",
            Rule::Shift => "shift",
            Rule::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PointType {
    Improvement,
    Concern,
    NeutralHigh,
    NeutralLow,
    CommonCause,
}

impl PointType {
    pub fn as_str(self) -> &'static str {
        match self {
            PointType::Improvement => "improvement",
            PointType::Concern => "concern",
            PointType::NeutralHigh => "neutral_high",
            PointType::NeutralLow => "neutral_low",
            PointType::CommonCause => "common_cause",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    High,
    Low,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpcPoint {
    pub value: f64,
    pub mean: f64,
    pub lpl: Option<f64>,
    pub upl: Option<f64>,
    pub nlpl: Option<f64>,
    pub nupl: Option<f64>,
    pub rule: Rule,
    pub direction: Option<Direction>,
    pub point_type: PointType,
}

/// The Making Data Count variation icon: the type of the last point and its side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VariationIcon {
    CommonCause,
    ImprovementHigh,
    ImprovementLow,
    ConcernHigh,
    ConcernLow,
    NeutralHigh,
    NeutralLow,
}

impl VariationIcon {
    pub fn as_str(self) -> &'static str {
        match self {
            VariationIcon::CommonCause => "common_cause",
            VariationIcon::ImprovementHigh => "improvement_high",
            VariationIcon::ImprovementLow => "improvement_low",
            VariationIcon::ConcernHigh => "concern_high",
            VariationIcon::ConcernLow => "concern_low",
            VariationIcon::NeutralHigh => "neutral_high",
            VariationIcon::NeutralLow => "neutral_low",
        }
    }
}

/// The Making Data Count assurance icon: where a target sits against the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    ConsistentlyPassing,
    ConsistentlyFailing,
    HitAndMiss,
}

impl Assurance {
    pub fn as_str(self) -> &'static str {
        match self {
            Assurance::ConsistentlyPassing => "consistently_passing",
            Assurance::ConsistentlyFailing => "consistently_failing",
            Assurance::HitAndMiss => "hit_and_miss",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SpcOptions {
    /// Use the first N points for the mean and limits; all points when `None`.
    pub baseline: Option<usize>,
    /// Screen large moving ranges out of the AMR (on by default).
    pub screen: bool,
    pub polarity: Polarity,
    pub target: Option<f64>,
}

impl Default for SpcOptions {
    fn default() -> Self {
        SpcOptions {
            baseline: None,
            screen: true,
            polarity: Polarity::Neutral,
            target: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SpcResult {
    pub points: Vec<SpcPoint>,
    pub mean: f64,
    /// Average moving range after screening; `None` with fewer than two baseline points.
    pub amr: Option<f64>,
    pub baseline_points: usize,
    pub screened_moving_ranges: usize,
    pub icon: Option<VariationIcon>,
    pub assurance: Option<Assurance>,
    pub warnings: Vec<String>,
}

/// The XmR chart of a series. Returns `None` for an empty series.
pub fn xmr(values: &[f64], options: &SpcOptions) -> Option<SpcResult> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mut warnings = Vec::new();
    let baseline_points = options.baseline.unwrap_or(n).clamp(1, n);
    if let Some(b) = options.baseline
        && b > n
    {
        warnings.push(format!(
            "baseline of {b} points is longer than the series; all {n} points used"
        ));
    }
    let baseline = &values[..baseline_points];
    let mean = baseline.iter().sum::<f64>() / baseline_points as f64;
    let moving_ranges: Vec<f64> = baseline.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let (amr, screened) = average_moving_range(&moving_ranges, options.screen);
    if n < MIN_RELIABLE_POINTS {
        warnings.push(format!(
            "only {n} points: limits are unreliable with fewer than {MIN_RELIABLE_POINTS}"
        ));
    }
    let limits = amr.map(|amr| {
        let half = LIMIT_FACTOR * amr;
        // Evaluated in the spec's order, (2/3) x 2.66 x AMR, so that a value exactly on a
        // near limit is judged the same way as by a literal implementation.
        let near = 2.0 / 3.0 * LIMIT_FACTOR * amr;
        (mean - half, mean + half, mean - near, mean + near)
    });

    let side: Vec<i8> = values
        .iter()
        .map(|x| {
            if *x > mean {
                1
            } else if *x < mean {
                -1
            } else {
                0
            }
        })
        .collect();
    let outside: Vec<bool> = values
        .iter()
        .map(|x| limits.is_some_and(|(lpl, upl, _, _)| *x > upl || *x < lpl))
        .collect();
    let close: Vec<bool> = values
        .iter()
        .zip(&outside)
        .map(|(x, out)| !out && limits.is_some_and(|(_, _, nlpl, nupl)| *x > nupl || *x < nlpl))
        .collect();
    let shift = shift_flags(&side);
    let trend = trend_flags(values);
    let two_in_three = two_in_three_flags(&side, &close);

    let points: Vec<SpcPoint> = (0..n)
        .map(|i| {
            let side_direction = match side[i] {
                1 => Some(Direction::High),
                -1 => Some(Direction::Low),
                _ => None,
            };
            let (rule, direction) = if outside[i] {
                (Rule::Outside, side_direction)
            } else if let Some(d) = trend[i] {
                (Rule::Trend, Some(d))
            } else if two_in_three[i] {
                (Rule::TwoInThree, side_direction)
            } else if shift[i] {
                (Rule::Shift, side_direction)
            } else {
                (Rule::None, None)
            };
            let point_type = match (rule, direction) {
                (Rule::None, _) | (_, None) => PointType::CommonCause,
                (_, Some(d)) => point_type(options.polarity, d),
            };
            SpcPoint {
                value: values[i],
                mean,
                lpl: limits.map(|l| l.0),
                upl: limits.map(|l| l.1),
                nlpl: limits.map(|l| l.2),
                nupl: limits.map(|l| l.3),
                rule,
                direction: if rule == Rule::None { None } else { direction },
                point_type,
            }
        })
        .collect();
    let icon = points.last().map(variation_icon);
    let assurance = match (options.target, limits) {
        (Some(t), Some((lpl, upl, _, _))) => assurance(options.polarity, t, lpl, upl),
        _ => None,
    };
    Some(SpcResult {
        points,
        mean,
        amr,
        baseline_points,
        screened_moving_ranges: screened,
        icon,
        assurance,
        warnings,
    })
}

/// AMR, screened once: moving ranges >= 3.267 x AMR are dropped and the AMR is
/// recomputed from the rest. A series with no variation has an AMR of 0 (screening
/// would otherwise drop every zero range and leave no limits at all).
fn average_moving_range(moving_ranges: &[f64], screen: bool) -> (Option<f64>, usize) {
    if moving_ranges.is_empty() {
        return (None, 0);
    }
    let amr = moving_ranges.iter().sum::<f64>() / moving_ranges.len() as f64;
    if !screen || amr == 0.0 {
        return (Some(amr), 0);
    }
    let kept: Vec<f64> = moving_ranges
        .iter()
        .copied()
        .filter(|mr| *mr < SCREEN_FACTOR * amr)
        .collect();
    let screened = moving_ranges.len() - kept.len();
    (Some(kept.iter().sum::<f64>() / kept.len() as f64), screened)
}

fn point_type(polarity: Polarity, direction: Direction) -> PointType {
    match (polarity, direction) {
        (Polarity::Up, Direction::High) | (Polarity::Down, Direction::Low) => {
            PointType::Improvement
        }
        (Polarity::Up, Direction::Low) | (Polarity::Down, Direction::High) => PointType::Concern,
        (Polarity::Neutral, Direction::High) => PointType::NeutralHigh,
        (Polarity::Neutral, Direction::Low) => PointType::NeutralLow,
    }
}

pub fn variation_icon(point: &SpcPoint) -> VariationIcon {
    match (point.point_type, point.direction) {
        (PointType::Improvement, Some(Direction::High)) => VariationIcon::ImprovementHigh,
        (PointType::Improvement, _) => VariationIcon::ImprovementLow,
        (PointType::Concern, Some(Direction::High)) => VariationIcon::ConcernHigh,
        (PointType::Concern, _) => VariationIcon::ConcernLow,
        (PointType::NeutralHigh, _) => VariationIcon::NeutralHigh,
        (PointType::NeutralLow, _) => VariationIcon::NeutralLow,
        (PointType::CommonCause, _) => VariationIcon::CommonCause,
    }
}

/// Target outside the limits on the good side: consistently passing; on the bad side:
/// consistently failing; within (or on) the limits: hit and miss. No assurance for a
/// neutral indicator, which has no good side.
pub fn assurance(polarity: Polarity, target: f64, lpl: f64, upl: f64) -> Option<Assurance> {
    let (passing, failing) = match polarity {
        Polarity::Up => (target < lpl, target > upl),
        Polarity::Down => (target > upl, target < lpl),
        Polarity::Neutral => return None,
    };
    Some(if passing {
        Assurance::ConsistentlyPassing
    } else if failing {
        Assurance::ConsistentlyFailing
    } else {
        Assurance::HitAndMiss
    })
}

/// Every point of a run of 7 or more consecutive points on the same side of the mean.
fn shift_flags(side: &[i8]) -> Vec<bool> {
    let mut flags = vec![false; side.len()];
    let mut start = 0;
    for i in 1..=side.len() {
        if i == side.len() || side[i] != side[start] {
            if side[start] != 0 && i - start >= RUN_LENGTH {
                flags[start..i].iter_mut().for_each(|f| *f = true);
            }
            start = i;
        }
    }
    flags
}

/// Every point of a run of 7 or more points each strictly above (or below) the one
/// before it. A point at the turn of a rising and a falling trend (in both runs) takes
/// the direction of the run that started first.
fn trend_flags(values: &[f64]) -> Vec<Option<Direction>> {
    let mut runs: Vec<(usize, usize, Direction)> = Vec::new();
    for direction in [Direction::High, Direction::Low] {
        let step = |a: f64, b: f64| match direction {
            Direction::High => b > a,
            Direction::Low => b < a,
        };
        let mut start = 0;
        for i in 1..=values.len() {
            if i == values.len() || !step(values[i - 1], values[i]) {
                if i - start >= RUN_LENGTH {
                    runs.push((start, i, direction));
                }
                start = i;
            }
        }
    }
    runs.sort_by_key(|r| r.0);
    let mut flags: Vec<Option<Direction>> = vec![None; values.len()];
    for (start, end, direction) in runs {
        for f in &mut flags[start..end] {
            f.get_or_insert(direction);
        }
    }
    flags
}

/// Close points in any window of 3 consecutive points all on the same side of the mean
/// with at least 2 of them close.
fn two_in_three_flags(side: &[i8], close: &[bool]) -> Vec<bool> {
    let mut flags = vec![false; side.len()];
    for w in 0..side.len().saturating_sub(2) {
        let s = side[w];
        if s != 0
            && side[w + 1] == s
            && side[w + 2] == s
            && close[w..w + 3].iter().filter(|c| **c).count() >= 2
        {
            for i in w..w + 3 {
                if close[i] {
                    flags[i] = true;
                }
            }
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(values: &[f64], baseline: Option<usize>, polarity: Polarity) -> SpcResult {
        let options = SpcOptions {
            baseline,
            polarity,
            ..SpcOptions::default()
        };
        xmr(values, &options).unwrap()
    }

    fn rules(r: &SpcResult) -> Vec<&'static str> {
        r.points.iter().map(|p| p.rule.as_str()).collect()
    }

    /// Baseline [11, 9, 11, 9]: mean 10, moving ranges 2, 2, 2, AMR 2, so the limits
    /// are 10 +/- 5.32 and the near limits 10 +/- 3.5467.
    const BASE: [f64; 4] = [11.0, 9.0, 11.0, 9.0];

    #[test]
    fn limits_from_a_baseline_shorter_than_the_series() {
        let mut v = BASE.to_vec();
        v.extend([10.0, 10.5, 9.5]);
        let r = run(&v, Some(4), Polarity::Up);
        assert_eq!(r.mean, 10.0);
        assert_eq!(r.amr, Some(2.0));
        for p in &r.points {
            assert!(
                (p.upl.unwrap() - 15.32).abs() < 1e-12 && (p.lpl.unwrap() - 4.68).abs() < 1e-12
            );
            assert!((p.nupl.unwrap() - (10.0 + 2.0 / 3.0 * 5.32)).abs() < 1e-12);
            // limits are symmetric about the mean
            assert!((p.upl.unwrap() + p.lpl.unwrap() - 2.0 * p.mean).abs() < 1e-12);
        }
        assert!(r.warnings.iter().any(|w| w.contains("only 7 points")));
    }

    #[test]
    fn a_point_on_the_mean_breaks_a_run() {
        let mut v = BASE.to_vec();
        v.extend([10.5; 6]);
        v.push(10.0);
        v.extend([10.5; 6]);
        let r = run(&v, Some(4), Polarity::Up);
        assert!(rules(&r).iter().all(|r| *r == "none"), "{:?}", rules(&r));
        v.push(10.5);
        let r = run(&v, Some(4), Polarity::Up);
        let got = rules(&r);
        assert!(
            got[11..].iter().all(|r| *r == "shift") && got[..11].iter().all(|r| *r == "none"),
            "{got:?}"
        );
        assert_eq!(r.points[12].point_type, PointType::Improvement);
        assert_eq!(r.icon, Some(VariationIcon::ImprovementHigh));
    }

    #[test]
    fn equal_consecutive_values_break_a_trend_and_turns_take_the_earlier_run() {
        let flags = trend_flags(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
        assert!(flags.iter().all(|f| *f == Some(Direction::High)));
        assert!(
            trend_flags(&[1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0, 7.0])
                .iter()
                .all(Option::is_none)
        );
        assert!(
            trend_flags(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
                .iter()
                .all(Option::is_none)
        );
        let peak = trend_flags(&[
            1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0,
        ]);
        assert_eq!(peak[6], Some(Direction::High));
        assert!(peak[7..].iter().all(|f| *f == Some(Direction::Low)));
        let trough = trend_flags(&[
            7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0,
        ]);
        assert_eq!(trough[6], Some(Direction::Low));
    }

    #[test]
    fn trend_direction_and_precedence() {
        // A falling trend entirely above the mean of its baseline: trend beats shift,
        // and its direction is the trend's (low), so with polarity up it is a concern.
        let mut v = BASE.to_vec();
        v.extend([13.0, 12.9, 12.8, 12.7, 12.6, 12.5, 12.4]);
        let r = run(&v, Some(4), Polarity::Up);
        let got = rules(&r);
        assert!(got[4..].iter().all(|r| *r == "trend"), "{got:?}");
        assert!(
            r.points[4..]
                .iter()
                .all(|p| p.point_type == PointType::Concern)
        );
        // The same with an outside point: outside wins for that point.
        v[7] = 16.0;
        let r = run(&v, Some(4), Polarity::Up);
        assert_eq!(r.points[7].rule, Rule::Outside);
        assert_eq!(r.points[7].point_type, PointType::Improvement);
    }

    #[test]
    fn two_in_three_counts_close_points_not_outside_ones() {
        let mut v = BASE.to_vec();
        v.extend([10.0, 14.0, 16.0, 14.0, 10.0, 14.0, 16.0, 12.0, 10.0]);
        let r = run(&v, Some(4), Polarity::Down);
        let got = rules(&r);
        assert_eq!(got[5], "two_in_three");
        assert_eq!(got[6], "outside");
        assert_eq!(got[7], "two_in_three");
        assert_eq!(got[9], "none", "one close point in its window: {got:?}");
        assert_eq!(got[10], "outside");
        assert_eq!(got[11], "none");
        assert_eq!(r.points[5].point_type, PointType::Concern);
        // Two close points on opposite sides are not a signal.
        let mut w = BASE.to_vec();
        w.extend([14.0, 6.0, 14.0]);
        assert!(
            rules(&run(&w, Some(4), Polarity::Up))[4..]
                .iter()
                .all(|r| *r == "none")
        );
    }

    #[test]
    fn screening_drops_large_moving_ranges_once() {
        let v = [10.0, 11.0, 10.0, 11.0, 10.0, 30.0, 10.0, 11.0, 10.0, 11.0];
        // Moving ranges 1,1,1,1,20,20,1,1,1: AMR 47/9; 3.267 x 47/9 = 17.06 drops both 20s.
        let r = run(&v, None, Polarity::Neutral);
        assert_eq!(r.screened_moving_ranges, 2);
        assert_eq!(r.amr, Some(1.0));
        let unscreened = xmr(
            &v,
            &SpcOptions {
                screen: false,
                ..SpcOptions::default()
            },
        )
        .unwrap();
        assert!((unscreened.amr.unwrap() - 47.0 / 9.0).abs() < 1e-12);
        assert_eq!(r.points[5].rule, Rule::Outside);
        assert_eq!(r.points[5].point_type, PointType::NeutralHigh);
    }

    #[test]
    fn constant_series_and_single_points() {
        let r = run(&[5.0; 14], None, Polarity::Up);
        assert_eq!(r.amr, Some(0.0));
        assert!(rules(&r).iter().all(|r| *r == "none"));
        let one = run(&[5.0], None, Polarity::Up);
        assert_eq!(one.amr, None);
        assert_eq!(one.points[0].upl, None);
        assert!(xmr(&[], &SpcOptions::default()).is_none());
    }

    #[test]
    fn assurance_against_a_target() {
        assert_eq!(
            assurance(Polarity::Up, 3.0, 4.0, 8.0),
            Some(Assurance::ConsistentlyPassing)
        );
        assert_eq!(
            assurance(Polarity::Up, 9.0, 4.0, 8.0),
            Some(Assurance::ConsistentlyFailing)
        );
        assert_eq!(
            assurance(Polarity::Up, 4.0, 4.0, 8.0),
            Some(Assurance::HitAndMiss)
        );
        assert_eq!(
            assurance(Polarity::Down, 9.0, 4.0, 8.0),
            Some(Assurance::ConsistentlyPassing)
        );
        assert_eq!(assurance(Polarity::Neutral, 9.0, 4.0, 8.0), None);
    }
}
