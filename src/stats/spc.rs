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
    /// `None` for a gap: a period with no value, drawn as a break and never a zero.
    pub value: Option<f64>,
    /// The point entered its segment's calculation: it has a value and is `final` (a
    /// provisional or truncated point is shown, never used and never flagged).
    pub counted: bool,
    /// The rebase group: the number of rebase points at or before this point, as the
    /// `rebase_group` of NHSRplotthedots (`cumsum(rebase)`).
    pub segment: usize,
    pub mean: Option<f64>,
    pub lpl: Option<f64>,
    pub upl: Option<f64>,
    pub nlpl: Option<f64>,
    pub nupl: Option<f64>,
    pub rule: Rule,
    pub direction: Option<Direction>,
    pub point_type: PointType,
}

/// One stretch of a series between rebase points, with its own limits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// The rebase group of its points.
    pub group: usize,
    /// Index of its first point and one past its last.
    pub start: usize,
    pub end: usize,
    /// Points that entered the calculation.
    pub counted_points: usize,
    pub baseline_points: usize,
    pub mean: Option<f64>,
    /// Average moving range after screening; `None` with no moving range in the baseline.
    pub amr: Option<f64>,
    pub screened_moving_ranges: usize,
    pub lpl: Option<f64>,
    pub upl: Option<f64>,
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
    /// One per input period, gaps and uncounted points included.
    pub points: Vec<SpcPoint>,
    /// The segments that hold at least one point, in order.
    pub segments: Vec<Segment>,
    /// The mean of the segment of the latest counted point (the current process).
    pub mean: f64,
    pub amr: Option<f64>,
    pub baseline_points: usize,
    pub screened_moving_ranges: usize,
    /// The variation icon of the latest counted point.
    pub icon: Option<VariationIcon>,
    pub assurance: Option<Assurance>,
    pub warnings: Vec<String>,
}

impl SpcResult {
    /// Index of the latest point that entered the calculation.
    pub fn latest(&self) -> Option<usize> {
        self.points.iter().rposition(|p| p.counted)
    }

    /// The latest point that entered the calculation.
    pub fn latest_point(&self) -> Option<&SpcPoint> {
        self.latest().map(|i| &self.points[i])
    }

    /// The segment of the latest counted point.
    pub fn current_segment(&self) -> Option<&Segment> {
        let i = self.latest()?;
        self.segments.iter().find(|s| s.start <= i && i < s.end)
    }
}

/// The XmR chart of a complete series: every value present and counted, one segment.
/// Returns `None` for an empty series.
pub fn xmr(values: &[f64], options: &SpcOptions) -> Option<SpcResult> {
    let present: Vec<Option<f64>> = values.iter().map(|v| Some(*v)).collect();
    xmr_series(&present, None, &[], options)
}

/// The XmR chart of a series with gaps (`None`), points that are shown but not counted
/// (`counted[i] == false`: provisional or truncated months) and rebase points (indices
/// of the points that start a new segment). Each segment has its own baseline, mean,
/// moving ranges, screening, limits and rules, as `ptd_spc(rebase = ...)` of
/// NHSRplotthedots 0.2.2. A moving range is never taken across a gap or an uncounted
/// point, and no run, trend or two-in-three window spans one. Returns `None` when no
/// point can be counted.
pub fn xmr_series(
    values: &[Option<f64>],
    counted: Option<&[bool]>,
    rebase: &[usize],
    options: &SpcOptions,
) -> Option<SpcResult> {
    let n = values.len();
    let usable = |i: usize| {
        values[i].is_some_and(f64::is_finite) && counted.is_none_or(|c| c.get(i) != Some(&false))
    };
    if !(0..n).any(usable) {
        return None;
    }
    let group_of: Vec<usize> = (0..n)
        .map(|i| rebase.iter().filter(|r| **r <= i).count())
        .collect();
    let mut warnings = Vec::new();
    let mut points: Vec<SpcPoint> = (0..n)
        .map(|i| SpcPoint {
            value: values[i],
            counted: usable(i),
            segment: group_of[i],
            mean: None,
            lpl: None,
            upl: None,
            nlpl: None,
            nupl: None,
            rule: Rule::None,
            direction: None,
            point_type: PointType::CommonCause,
        })
        .collect();
    let mut segments = Vec::new();
    let several = group_of.last() != group_of.first();
    let mut start = 0;
    while start < n {
        let end = (start..n)
            .find(|i| group_of[*i] != group_of[start])
            .unwrap_or(n);
        let segment = segment(
            values,
            &mut points[start..end],
            start,
            group_of[start],
            options,
        );
        if segment.counted_points > 0 && segment.counted_points < MIN_RELIABLE_POINTS {
            let which = if several {
                format!("rebase group {}: ", segment.group)
            } else {
                String::new()
            };
            warnings.push(format!(
                "{which}only {} points: limits are unreliable with fewer than {MIN_RELIABLE_POINTS}",
                segment.counted_points
            ));
        }
        if let Some(b) = options.baseline
            && b > segment.counted_points
            && segment.counted_points > 0
        {
            warnings.push(format!(
                "baseline of {b} points is longer than the {}series ({} points); all used",
                if several { "segment of the " } else { "" },
                segment.counted_points
            ));
        }
        segments.push(segment);
        start = end;
    }
    let latest = points.iter().rposition(|p| p.counted)?;
    let current = segments
        .iter()
        .find(|s| s.start <= latest && latest < s.end)?
        .clone();
    let icon = Some(variation_icon(&points[latest]));
    // NHSRplotthedots reads the assurance from the last point's limits; a segment
    // without limits compares the target with NA and falls through to "inconsistent".
    let assurance = match (options.target, options.polarity) {
        (Some(_), Polarity::Neutral) | (None, _) => None,
        (Some(t), polarity) => match (current.lpl, current.upl) {
            (Some(lpl), Some(upl)) => assurance(polarity, t, lpl, upl),
            _ => Some(Assurance::HitAndMiss),
        },
    };
    Some(SpcResult {
        points,
        mean: current.mean.unwrap_or(f64::NAN),
        amr: current.amr,
        baseline_points: current.baseline_points,
        screened_moving_ranges: current.screened_moving_ranges,
        segments,
        icon,
        assurance,
        warnings,
    })
}

/// Limits and rules of one segment; fills in its points.
fn segment(
    values: &[Option<f64>],
    points: &mut [SpcPoint],
    offset: usize,
    group: usize,
    options: &SpcOptions,
) -> Segment {
    let counted: Vec<usize> = (0..points.len()).filter(|i| points[*i].counted).collect();
    let value = |i: usize| values[offset + i].unwrap_or(f64::NAN);
    let baseline_points = options
        .baseline
        .map_or(counted.len(), |b| b.min(counted.len()));
    let baseline = &counted[..baseline_points];
    let mean = (!baseline.is_empty())
        .then(|| baseline.iter().map(|i| value(*i)).sum::<f64>() / baseline.len() as f64);
    let moving_ranges: Vec<f64> = baseline
        .windows(2)
        .filter(|w| w[1] == w[0] + 1)
        .map(|w| (value(w[1]) - value(w[0])).abs())
        .collect();
    let (amr, screened) = average_moving_range(&moving_ranges, options.screen);
    let limits = mean.zip(amr).map(|(mean, amr)| {
        let half = LIMIT_FACTOR * amr;
        // Evaluated in the spec's order, (2/3) x 2.66 x AMR, so that a value exactly on a
        // near limit is judged the same way as by a literal implementation.
        let near = 2.0 / 3.0 * LIMIT_FACTOR * amr;
        (mean - half, mean + half, mean - near, mean + near)
    });
    for p in points.iter_mut() {
        p.mean = mean;
        p.lpl = limits.map(|l| l.0);
        p.upl = limits.map(|l| l.1);
        p.nlpl = limits.map(|l| l.2);
        p.nupl = limits.map(|l| l.3);
    }
    // Rules are read over stretches of consecutive counted points.
    let mut stretch_start = 0;
    while stretch_start < counted.len() {
        let mut stretch_end = stretch_start + 1;
        while stretch_end < counted.len() && counted[stretch_end] == counted[stretch_end - 1] + 1 {
            stretch_end += 1;
        }
        let at = counted[stretch_start];
        let ys: Vec<f64> = counted[stretch_start..stretch_end]
            .iter()
            .map(|i| value(*i))
            .collect();
        let m = mean.unwrap_or(f64::NAN);
        for (k, rule) in read_rules(&ys, m, limits).into_iter().enumerate() {
            let p = &mut points[at + k];
            if let Some((rule, direction)) = rule {
                p.rule = rule;
                p.direction = Some(direction);
                p.point_type = point_type(options.polarity, direction);
            }
        }
        stretch_start = stretch_end;
    }
    Segment {
        group,
        start: offset,
        end: offset + points.len(),
        counted_points: counted.len(),
        baseline_points,
        mean,
        amr,
        screened_moving_ranges: screened,
        lpl: limits.map(|l| l.0),
        upl: limits.map(|l| l.1),
    }
}

/// The first rule that holds at each point of a run of consecutive values (outside,
/// trend, two in three, shift) and its direction.
fn read_rules(
    values: &[f64],
    mean: f64,
    limits: Option<(f64, f64, f64, f64)>,
) -> Vec<Option<(Rule, Direction)>> {
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
    // NHSRplotthedots calls a point above the mean "Above" and any other "Below".
    let side_direction = |i: usize| {
        if side[i] > 0 {
            Direction::High
        } else {
            Direction::Low
        }
    };
    (0..values.len())
        .map(|i| {
            if outside[i] {
                Some((Rule::Outside, side_direction(i)))
            } else if let Some(d) = trend[i] {
                Some((Rule::Trend, d))
            } else if two_in_three[i] {
                Some((Rule::TwoInThree, side_direction(i)))
            } else if shift[i] {
                Some((Rule::Shift, side_direction(i)))
            } else {
                None
            }
        })
        .collect()
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
/// before it, with the trend's direction as NHSRplotthedots 0.2.2 reads it
/// (`ptd_special_cause_type`): the step to the next point where that point is part of a
/// trend too, else the step from the point before. So the peak between a rising and a
/// falling trend is read as falling, and a step that is not a rise reads as a fall.
fn trend_flags(values: &[f64]) -> Vec<Option<Direction>> {
    let n = values.len();
    let mut part = vec![false; n];
    for rising in [true, false] {
        let step = |a: f64, b: f64| if rising { b > a } else { b < a };
        let mut start = 0;
        for i in 1..=n {
            if i == n || !step(values[i - 1], values[i]) {
                if i - start >= RUN_LENGTH {
                    part[start..i].iter_mut().for_each(|p| *p = true);
                }
                start = i;
            }
        }
    }
    (0..n)
        .map(|i| {
            part[i].then(|| {
                let rises = if i + 1 < n && part[i + 1] {
                    values[i + 1] > values[i]
                } else {
                    i > 0 && values[i] > values[i - 1]
                };
                if rises {
                    Direction::High
                } else {
                    Direction::Low
                }
            })
        })
        .collect()
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
            assert!((p.upl.unwrap() + p.lpl.unwrap() - 2.0 * p.mean.unwrap()).abs() < 1e-12);
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
    fn equal_consecutive_values_break_a_trend_and_turns_read_the_next_step() {
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
        // NHSRplotthedots 0.2.2 reads the peak by the step after it: falling.
        assert!(peak[..6].iter().all(|f| *f == Some(Direction::High)));
        assert!(peak[6..].iter().all(|f| *f == Some(Direction::Low)));
        let trough = trend_flags(&[
            7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0,
        ]);
        assert_eq!(trough[6], Some(Direction::High));
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
    fn each_rebase_segment_has_its_own_limits_and_runs_do_not_cross() {
        // Two segments: [11, 9, 11, 9] (mean 10, AMR 2) and [21, 19, 21, 19] (mean 20).
        let mut v: Vec<Option<f64>> = BASE.iter().map(|x| Some(*x)).collect();
        v.extend([21.0, 19.0, 21.0, 19.0].map(Some));
        let r = xmr_series(&v, None, &[4], &SpcOptions::default()).unwrap();
        assert_eq!(r.segments.len(), 2);
        assert_eq!(r.segments[0].mean, Some(10.0));
        assert_eq!(r.segments[1].mean, Some(20.0));
        assert_eq!(r.segments[1].amr, Some(2.0));
        assert_eq!(r.points[3].segment, 0);
        assert_eq!(r.points[4].segment, 1);
        assert!((r.points[5].upl.unwrap() - 25.32).abs() < 1e-12);
        // Without the rebase: one segment of all eight points.
        let one = xmr_series(&v, None, &[], &SpcOptions::default()).unwrap();
        assert_eq!(one.mean, 15.0);
        // Each segment read on its own: the same rules as the two halves apart.
        let w: Vec<f64> = vec![
            1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 9.0, 10.0, 9.0, 10.0,
        ];
        let present: Vec<Option<f64>> = w.iter().map(|x| Some(*x)).collect();
        let r = xmr_series(&present, None, &[12], &SpcOptions::default()).unwrap();
        let apart: Vec<Rule> = [&w[..12], &w[12..]]
            .iter()
            .flat_map(|half| xmr(half, &SpcOptions::default()).unwrap().points)
            .map(|p| p.rule)
            .collect();
        assert_eq!(r.points.iter().map(|p| p.rule).collect::<Vec<_>>(), apart);
        assert!(apart[12..].iter().all(|r| *r == Rule::None));
        let whole = xmr(&w, &SpcOptions::default()).unwrap();
        assert_eq!(whole.points[13].rule, Rule::Outside);
        assert_eq!(r.segments[0].counted_points, 12);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.starts_with("rebase group 1: only 4"))
        );
    }

    #[test]
    fn a_gap_is_not_a_zero_takes_no_moving_range_and_breaks_a_run() {
        // Moving ranges only within [10, 12] and [12, 10]: AMR 2, not |12 - 0|.
        let v = [Some(10.0), Some(12.0), None, Some(12.0), Some(10.0)];
        let r = xmr_series(&v, None, &[], &SpcOptions::default()).unwrap();
        assert_eq!(r.mean, 11.0);
        assert_eq!(r.amr, Some(2.0));
        assert_eq!(r.points[2].value, None);
        assert!(!r.points[2].counted);
        // Six points above the mean, a gap, six more: a shift in neither stretch.
        let mut w: Vec<Option<f64>> = [3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0].map(Some).to_vec();
        w.extend(vec![Some(2.5); 6]);
        w.push(None);
        w.extend(vec![Some(2.5); 6]);
        let r = xmr_series(&w, None, &[], &SpcOptions::default()).unwrap();
        assert!(r.points.iter().all(|p| p.rule == Rule::None), "{r:?}");
        w[14] = Some(2.5);
        let r = xmr_series(&w, None, &[], &SpcOptions::default()).unwrap();
        assert!(r.points[8..].iter().all(|p| p.rule == Rule::Shift), "{r:?}");
        assert!(r.points[..8].iter().all(|p| p.rule == Rule::None));
    }

    #[test]
    fn uncounted_points_are_shown_never_used_and_never_flagged() {
        let mut v: Vec<Option<f64>> = BASE.iter().map(|x| Some(*x)).collect();
        v.extend([Some(10.0), Some(100.0)]);
        let counted = [true, true, true, true, true, false];
        let options = SpcOptions {
            polarity: Polarity::Up,
            target: Some(30.0),
            ..SpcOptions::default()
        };
        let r = xmr_series(&v, Some(&counted), &[], &options).unwrap();
        assert_eq!(r.mean, 10.0);
        assert_eq!(r.points[5].rule, Rule::None);
        assert_eq!(r.points[5].point_type, PointType::CommonCause);
        assert_eq!(r.points[5].upl, r.points[0].upl, "the limits are drawn on");
        assert_eq!(r.latest(), Some(4));
        assert_eq!(r.icon, Some(VariationIcon::CommonCause));
        assert_eq!(r.assurance, Some(Assurance::ConsistentlyFailing));
        assert!(xmr_series(&v, Some(&[false; 6]), &[], &options).is_none());
    }

    #[test]
    fn a_segment_without_limits_is_hit_and_miss_against_a_target() {
        // The package compares the target with NA limits and falls through.
        let v: Vec<Option<f64>> = [1.0, 2.0, 3.0, 9.0].map(Some).to_vec();
        let options = SpcOptions {
            polarity: Polarity::Down,
            target: Some(5.0),
            ..SpcOptions::default()
        };
        let r = xmr_series(&v, None, &[3], &options).unwrap();
        assert_eq!(r.segments[1].upl, None);
        assert_eq!(r.assurance, Some(Assurance::HitAndMiss));
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
