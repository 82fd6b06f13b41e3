//! Plain-English sentences from the SPC reading of each series: one per indicator whose
//! latest month shows special cause variation, saying which rule fired. Common cause
//! variation is never described as a rise or a fall.
use crate::format::{ValueFormat, month_long};
use crate::indicators::registry::{Indicator, Unit};
use crate::schema::OffenceGroup;
use crate::stats::spc::{Direction, PointType, Rule, SpcResult};
use crate::util::{capitalise, lower_first, ordinal};

/// "For rape, the charge rate (closed basis)" and the like: titles name the measure
/// ("Charges", "Arrest or interview"), so counts become "the number of", medians "the
/// median" and proportions without "rate" or "share" in their title "... rate".
pub fn subject(ind: &Indicator, group: OffenceGroup) -> String {
    let lower = lower_first(ind.title);
    let title = match ind.unit {
        Unit::Count => format!("number of {lower}"),
        Unit::MedianDays => format!("median {lower}"),
        Unit::Proportion if !(lower.contains("rate") || lower.contains("share")) => {
            match lower.split_once(" (") {
                Some((head, tail)) => format!("{head} rate ({tail}"),
                None => format!("{lower} rate"),
            }
        }
        _ => lower,
    };
    match group {
        OffenceGroup::All => format!("the {title}"),
        g => format!("for {}, the {title}", g.words()),
    }
}

/// The counted values of the latest point's stretch, oldest first: the run a rule read.
fn latest_stretch(r: &SpcResult) -> Vec<f64> {
    let Some(latest) = r.latest() else {
        return Vec::new();
    };
    let mut v: Vec<f64> = r.points[..=latest]
        .iter()
        .rev()
        .take_while(|p| p.counted && p.segment == r.points[latest].segment)
        .filter_map(|p| p.value)
        .collect();
    v.reverse();
    v
}

/// Points at the end of the series on the same side of the mean as the last.
fn run_on_side(r: &SpcResult) -> usize {
    let v = latest_stretch(r);
    let Some(last) = v.last() else {
        return 0;
    };
    let high = *last > r.mean;
    v.iter()
        .rev()
        .take_while(|x| if high { **x > r.mean } else { **x < r.mean })
        .count()
}

/// Points at the end of the series in one direction (each above, or each below, the one
/// before), counting the first point of the run.
fn run_of_trend(r: &SpcResult) -> usize {
    let v = latest_stretch(r);
    if v.len() < 2 {
        return v.len();
    }
    let rising = v[v.len() - 1] > v[v.len() - 2];
    let mut n = 1;
    for w in v.windows(2).rev() {
        if (rising && w[1] > w[0]) || (!rising && w[1] < w[0]) {
            n += 1;
        } else {
            break;
        }
    }
    n
}

/// The sentence for the latest counted point of a series (in `month`), if it shows
/// special cause variation. `earlier` says that month is the latest final month rather
/// than the report's; `value_shown` is false when disclosure control withholds the value.
pub fn sentence(
    ind: &Indicator,
    group: OffenceGroup,
    month: &str,
    earlier: bool,
    r: &SpcResult,
    format: ValueFormat,
    value_shown: bool,
) -> Option<String> {
    let last = r.latest_point()?;
    if last.point_type == PointType::CommonCause {
        return None;
    }
    let high = last.direction == Some(Direction::High);
    let f = |v: f64| format.label(v);
    let what = match last.rule {
        Rule::Outside => {
            let (side, limit) = if high {
                ("above its upper process limit", last.upl)
            } else {
                ("below its lower process limit", last.lpl)
            };
            match limit {
                Some(l) => format!("{side} of {}", f(l)),
                None => side.to_string(),
            }
        }
        Rule::Shift => format!(
            "the {} month in a row {} its average of {}",
            ordinal(run_on_side(r)),
            if high { "above" } else { "below" },
            f(r.mean)
        ),
        Rule::Trend => format!(
            "the {} month in a row that was {} than the month before",
            ordinal(run_of_trend(r) - 1),
            if high { "higher" } else { "lower" }
        ),
        Rule::TwoInThree => format!(
            "two of the last three months near or beyond its {} process limit",
            if high { "upper" } else { "lower" }
        ),
        Rule::None => return None,
    };
    let verdict = match last.point_type {
        PointType::Improvement => "special cause improvement",
        PointType::Concern => "special cause concern",
        _ => "special cause variation that is neither good nor bad",
    };
    let subject = capitalise(&subject(ind, group));
    let when = if earlier {
        format!("{} (the latest final month)", month_long(month))
    } else {
        month_long(month)
    };
    Some(match (value_shown, last.value) {
        (true, Some(v)) => format!("{subject} was {} in {when}, {what}: {verdict}.", f(v)),
        _ => format!("{subject} in {when} was {what} (the value itself is withheld): {verdict}."),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::registry::find;
    use crate::stats::spc::{Polarity, SpcOptions, xmr};

    #[test]
    fn a_shift_is_told_with_its_length_and_average() {
        // 12 months around 4%, then seven above.
        let mut v = vec![
            0.02, 0.06, 0.03, 0.055, 0.035, 0.05, 0.025, 0.06, 0.045, 0.06, 0.054, 0.01,
        ];
        v.extend([0.045, 0.05, 0.048, 0.052, 0.047, 0.055, 0.061]);
        let r = xmr(
            &v,
            &SpcOptions {
                polarity: Polarity::Up,
                baseline: Some(12),
                ..SpcOptions::default()
            },
        )
        .unwrap();
        let ind = find("charge_rate_closed").unwrap();
        let said = |shown| {
            sentence(
                ind,
                OffenceGroup::Rape,
                "2024-09",
                false,
                &r,
                ValueFormat::Percent,
                shown,
            )
            .unwrap()
        };
        let s = said(true);
        assert!(
            s.starts_with("For rape, the charge rate (closed basis) was 6.1% in September 2024, "),
            "{s}"
        );
        assert!(
            s.contains("the seventh month in a row above its average of 4.2%"),
            "{s}"
        );
        assert!(s.ends_with(": special cause improvement."), "{s}");
        let withheld = said(false);
        assert!(!withheld.contains("6.1%"), "{withheld}");
    }

    #[test]
    fn common_cause_gets_no_sentence() {
        let v = [5.0, 6.0, 5.5, 6.5, 5.0, 6.0, 5.5, 6.2, 5.8, 6.1, 5.4, 6.0];
        let r = xmr(
            &v,
            &SpcOptions {
                polarity: Polarity::Up,
                ..SpcOptions::default()
            },
        )
        .unwrap();
        let ind = find("charge_rate_closed").unwrap();
        assert_eq!(
            sentence(
                ind,
                OffenceGroup::All,
                "2024-01",
                false,
                &r,
                ValueFormat::Percent,
                true
            ),
            None
        );
    }
}
