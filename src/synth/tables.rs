//! Column buffers for the seven tables, filled row by row by the simulation and turned
//! into polars frames per force.
use polars::prelude::*;

#[derive(Default)]
pub struct Offences {
    pub crime_id: Vec<String>,
    pub force: Vec<&'static str>,
    pub area: Vec<Option<String>>,
    pub team: Vec<Option<String>>,
    pub officer_id: Vec<Option<String>>,
    pub offence_code: Vec<&'static str>,
    pub reported_date: Vec<i32>,
    pub recorded_date: Vec<i32>,
    pub offence_date: Vec<Option<i32>>,
    pub offence_hour: Vec<Option<i32>>,
    pub victim_id: Vec<Option<String>>,
    pub victim_sex: Vec<&'static str>,
    pub victim_age: Vec<Option<i32>>,
    pub victim_ethnicity: Vec<Option<&'static str>>,
    pub relationship: Vec<&'static str>,
    pub location_type: Vec<&'static str>,
    pub domestic_abuse: Vec<bool>,
    pub online_facilitated: Vec<bool>,
    pub alcohol_involved: Vec<bool>,
    pub drugs_involved: Vec<bool>,
    pub victim_vulnerable: Vec<bool>,
    pub word_on_word: Vec<bool>,
    pub lsoa_code: Vec<Option<String>>,
}

#[derive(Default)]
pub struct Suspects {
    pub crime_id: Vec<String>,
    pub suspect_id: Vec<String>,
    pub suspect_sex: Vec<&'static str>,
    pub suspect_age: Vec<Option<i32>>,
    pub linked_date: Vec<i32>,
}

#[derive(Default)]
pub struct Outcomes {
    pub crime_id: Vec<String>,
    pub outcome_type: Vec<&'static str>,
    pub outcome_date: Vec<i32>,
}

#[derive(Default)]
pub struct Events {
    pub crime_id: Vec<String>,
    pub suspect_id: Vec<Option<String>>,
    pub event_type: Vec<&'static str>,
    pub event_date: Vec<i32>,
    pub detail: Vec<Option<&'static str>>,
}

#[derive(Default)]
pub struct Staff {
    pub officer_id: Vec<String>,
    pub force: Vec<&'static str>,
    pub team: Vec<Option<String>>,
    pub role: Vec<&'static str>,
    pub start_date: Vec<i32>,
    pub end_date: Vec<Option<i32>>,
    pub rasso_training_date: Vec<Option<i32>>,
    pub wow_training_date: Vec<Option<i32>>,
    pub orders_training_date: Vec<Option<i32>>,
    pub last_wellbeing_review: Vec<Option<i32>>,
}

#[derive(Default)]
pub struct Feedback {
    pub response_id: Vec<String>,
    pub crime_id: Vec<Option<String>>,
    pub force: Vec<&'static str>,
    pub survey_date: Vec<i32>,
    pub treated_fairly: Vec<Option<i32>>,
    pub kept_informed: Vec<Option<i32>>,
    pub confidence_to_report: Vec<Option<i32>>,
    pub overall_satisfaction: Vec<Option<i32>>,
}

#[derive(Default)]
pub struct Population {
    pub force: Vec<&'static str>,
    pub area: Vec<Option<String>>,
    pub year: Vec<i32>,
    pub population: Vec<i64>,
}

#[derive(Default)]
pub struct ForceTables {
    pub offences: Offences,
    pub suspects: Suspects,
    pub outcomes: Outcomes,
    pub events: Events,
    pub staff: Staff,
    pub feedback: Feedback,
    pub population: Population,
}

fn s<T>(name: &str, v: Vec<T>) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Series::new(name.into(), v).into()
}

fn date(name: &str, v: Vec<i32>) -> PolarsResult<Column> {
    Ok(Series::new(name.into(), v).cast(&DataType::Date)?.into())
}

fn opt_date(name: &str, v: Vec<Option<i32>>) -> PolarsResult<Column> {
    Ok(Series::new(name.into(), v).cast(&DataType::Date)?.into())
}

impl ForceTables {
    /// The frames in the order of `TableName::ALL`.
    pub fn into_frames(self) -> PolarsResult<[DataFrame; 7]> {
        let o = self.offences;
        let offences = DataFrame::new_infer_height(vec![
            s("crime_id", o.crime_id),
            s("force", o.force),
            s("area", o.area),
            s("team", o.team),
            s("officer_id", o.officer_id),
            s("offence_code", o.offence_code),
            date("reported_date", o.reported_date)?,
            date("recorded_date", o.recorded_date)?,
            opt_date("offence_date", o.offence_date)?,
            s("offence_hour", o.offence_hour),
            s("victim_id", o.victim_id),
            s("victim_sex", o.victim_sex),
            s("victim_age", o.victim_age),
            s("victim_ethnicity", o.victim_ethnicity),
            s("relationship", o.relationship),
            s("location_type", o.location_type),
            s("domestic_abuse", o.domestic_abuse),
            s("online_facilitated", o.online_facilitated),
            s("alcohol_involved", o.alcohol_involved),
            s("drugs_involved", o.drugs_involved),
            s("victim_vulnerable", o.victim_vulnerable),
            s("word_on_word", o.word_on_word),
            s("lsoa_code", o.lsoa_code),
        ])?;
        let su = self.suspects;
        let suspects = DataFrame::new_infer_height(vec![
            s("crime_id", su.crime_id),
            s("suspect_id", su.suspect_id),
            s("suspect_sex", su.suspect_sex),
            s("suspect_age", su.suspect_age),
            date("linked_date", su.linked_date)?,
        ])?;
        let ou = self.outcomes;
        let outcomes = DataFrame::new_infer_height(vec![
            s("crime_id", ou.crime_id),
            s("outcome_type", ou.outcome_type),
            date("outcome_date", ou.outcome_date)?,
        ])?;
        let e = self.events;
        let events = DataFrame::new_infer_height(vec![
            s("crime_id", e.crime_id),
            s("suspect_id", e.suspect_id),
            s("event_type", e.event_type),
            date("event_date", e.event_date)?,
            s("detail", e.detail),
        ])?;
        let st = self.staff;
        let staff = DataFrame::new_infer_height(vec![
            s("officer_id", st.officer_id),
            s("force", st.force),
            s("team", st.team),
            s("role", st.role),
            date("start_date", st.start_date)?,
            opt_date("end_date", st.end_date)?,
            opt_date("rasso_training_date", st.rasso_training_date)?,
            opt_date("wow_training_date", st.wow_training_date)?,
            opt_date("orders_training_date", st.orders_training_date)?,
            opt_date("last_wellbeing_review", st.last_wellbeing_review)?,
        ])?;
        let f = self.feedback;
        let feedback = DataFrame::new_infer_height(vec![
            s("response_id", f.response_id),
            s("crime_id", f.crime_id),
            s("force", f.force),
            date("survey_date", f.survey_date)?,
            s("treated_fairly", f.treated_fairly),
            s("kept_informed", f.kept_informed),
            s("confidence_to_report", f.confidence_to_report),
            s("overall_satisfaction", f.overall_satisfaction),
        ])?;
        let p = self.population;
        let population = DataFrame::new_infer_height(vec![
            s("force", p.force),
            s("area", p.area),
            s("year", p.year),
            s("population", p.population),
        ])?;
        Ok([
            offences, suspects, outcomes, events, staff, feedback, population,
        ])
    }
}
