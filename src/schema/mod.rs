//! The extract standard in code: tables, columns, types, nullability and code lists.
//! This is the one source of truth; `soteria schema` and `docs/data-standard.md` are
//! rendered from it.
pub mod codes;
pub use codes::{OffenceGroup, group_rank};
mod render;

pub use render::{render_markdown, render_table};

/// The logical type of a column in the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Str,
    Int,
    Date,
    Bool,
}

impl ColumnType {
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Str => "str",
            ColumnType::Int => "int",
            ColumnType::Date => "date",
            ColumnType::Bool => "bool",
        }
    }
}

/// A value rule beyond type and nullability.
#[derive(Debug, Clone, Copy)]
pub enum Domain {
    Any,
    /// The value must be one of a code list.
    Codes(CodeList),
    /// An integer in an inclusive range.
    Range(i64, i64),
}

/// Names of the code lists, so that rules and documentation can refer to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeList {
    OffenceCode,
    OutcomeType,
    EventType,
    Sex,
    Ethnicity,
    Relationship,
    LocationType,
    StaffRole,
}

impl CodeList {
    pub fn name(self) -> &'static str {
        match self {
            CodeList::OffenceCode => "offence codes",
            CodeList::OutcomeType => "outcome types",
            CodeList::EventType => "event types",
            CodeList::Sex => "sex",
            CodeList::Ethnicity => "ethnicity",
            CodeList::Relationship => "relationship",
            CodeList::LocationType => "location type",
            CodeList::StaffRole => "staff role",
        }
    }

    pub fn codes(self) -> Vec<&'static str> {
        use codes::*;
        match self {
            CodeList::OffenceCode => OFFENCE_CODES.iter().map(|c| c.code).collect(),
            CodeList::OutcomeType => OUTCOME_TYPES.iter().map(|c| c.code).collect(),
            CodeList::EventType => EVENT_TYPES.iter().map(|c| c.code).collect(),
            CodeList::Sex => SEX.iter().map(|c| c.code).collect(),
            CodeList::Ethnicity => ETHNICITY.iter().map(|c| c.code).collect(),
            CodeList::Relationship => RELATIONSHIP.iter().map(|c| c.code).collect(),
            CodeList::LocationType => LOCATION_TYPE.iter().map(|c| c.code).collect(),
            CodeList::StaffRole => STAFF_ROLE.iter().map(|c| c.code).collect(),
        }
    }
}

#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    pub nullable: bool,
    pub domain: Domain,
    pub meaning: &'static str,
}

/// The tables of the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableName {
    Offences,
    Suspects,
    Outcomes,
    Events,
    Staff,
    Feedback,
    Population,
}

impl TableName {
    pub const ALL: [TableName; 7] = [
        TableName::Offences,
        TableName::Suspects,
        TableName::Outcomes,
        TableName::Events,
        TableName::Staff,
        TableName::Feedback,
        TableName::Population,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Offences => "offences",
            TableName::Suspects => "suspects",
            TableName::Outcomes => "outcomes",
            TableName::Events => "events",
            TableName::Staff => "staff",
            TableName::Feedback => "feedback",
            TableName::Population => "population",
        }
    }

    pub fn spec(self) -> &'static TableSpec {
        TABLES
            .iter()
            .find(|t| t.name == self)
            .expect("every table has a spec")
    }

    /// Whether rows hang off an offence by `crime_id` (and so are orphans without one).
    pub fn is_child_of_offences(self) -> bool {
        matches!(
            self,
            TableName::Suspects | TableName::Outcomes | TableName::Events | TableName::Feedback
        )
    }
}

impl std::fmt::Display for TableName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug)]
pub struct TableSpec {
    pub name: TableName,
    pub required: bool,
    pub grain: &'static str,
    pub columns: &'static [Column],
}

impl TableSpec {
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

use ColumnType::{Bool, Date, Int, Str};
use Domain::{Any, Codes, Range};

const fn col(
    name: &'static str,
    ty: ColumnType,
    nullable: bool,
    domain: Domain,
    meaning: &'static str,
) -> Column {
    Column {
        name,
        ty,
        nullable,
        domain,
        meaning,
    }
}

const SCORE: Domain = Range(1, 5);
const AGE: Domain = Range(0, 120);

pub static TABLES: &[TableSpec] = &[
    TableSpec {
        name: TableName::Offences,
        required: true,
        grain: "one row per recorded crime",
        columns: &[
            col("crime_id", Str, false, Any, "unique crime reference"),
            col(
                "force",
                Str,
                false,
                Any,
                "force name as in `datasets/reference` (e.g. `Cleveland`)",
            ),
            col(
                "area",
                Str,
                true,
                Any,
                "local policing area / BCU / district",
            ),
            col("team", Str, true, Any, "investigating team"),
            col(
                "officer_id",
                Str,
                true,
                Any,
                "officer in charge; joins `staff.officer_id`",
            ),
            col(
                "offence_code",
                Str,
                false,
                Codes(CodeList::OffenceCode),
                "Home Office offence code",
            ),
            col(
                "reported_date",
                Date,
                false,
                Any,
                "date the crime was reported to the police",
            ),
            col(
                "recorded_date",
                Date,
                false,
                Any,
                "date it was recorded as a crime (>= reported_date)",
            ),
            col(
                "offence_date",
                Date,
                true,
                Any,
                "date of the offence, or start of the offence period",
            ),
            col(
                "offence_hour",
                Int,
                true,
                Range(0, 23),
                "hour of the offence, 0-23",
            ),
            col(
                "victim_id",
                Str,
                true,
                Any,
                "victim person reference, stable across crimes",
            ),
            col(
                "victim_sex",
                Str,
                false,
                Codes(CodeList::Sex),
                "`F`, `M`, `X` (other), `U` (unknown)",
            ),
            col("victim_age", Int, true, AGE, "age at offence, 0-120"),
            col(
                "victim_ethnicity",
                Str,
                true,
                Codes(CodeList::Ethnicity),
                "ethnicity code",
            ),
            col(
                "relationship",
                Str,
                false,
                Codes(CodeList::Relationship),
                "victim-suspect relationship",
            ),
            col(
                "location_type",
                Str,
                false,
                Codes(CodeList::LocationType),
                "location type",
            ),
            col("domestic_abuse", Bool, false, Any, "domestic-abuse related"),
            col(
                "online_facilitated",
                Bool,
                false,
                Any,
                "first contact or offence online",
            ),
            col("alcohol_involved", Bool, false, Any, "alcohol involved"),
            col("drugs_involved", Bool, false, Any, "drugs involved"),
            col(
                "victim_vulnerable",
                Bool,
                false,
                Any,
                "mental health, learning disability or other vulnerability marker",
            ),
            col(
                "word_on_word",
                Bool,
                false,
                Any,
                "case rests on the accounts of victim and suspect without corroboration",
            ),
            col(
                "lsoa_code",
                Str,
                true,
                Any,
                "Lower Super Output Area (or synthetic equivalent) of the offence",
            ),
        ],
    },
    TableSpec {
        name: TableName::Suspects,
        required: false,
        grain: "one row per suspect linked to a crime (0..n per crime)",
        columns: &[
            col("crime_id", Str, false, Any, "joins `offences`"),
            col(
                "suspect_id",
                Str,
                false,
                Any,
                "person reference, stable across crimes",
            ),
            col(
                "suspect_sex",
                Str,
                false,
                Codes(CodeList::Sex),
                "`F`, `M`, `X`, `U`",
            ),
            col("suspect_age", Int, true, AGE, "age at offence"),
            col(
                "linked_date",
                Date,
                false,
                Any,
                "date the suspect was identified for this crime",
            ),
        ],
    },
    TableSpec {
        name: TableName::Outcomes,
        required: false,
        grain: "one row per Home Office outcome assigned",
        columns: &[
            col("crime_id", Str, false, Any, "joins `offences`"),
            col(
                "outcome_type",
                Str,
                false,
                Codes(CodeList::OutcomeType),
                "Home Office outcome type",
            ),
            col(
                "outcome_date",
                Date,
                false,
                Any,
                "date the outcome was assigned (>= recorded_date)",
            ),
        ],
    },
    TableSpec {
        name: TableName::Events,
        required: false,
        grain: "investigation milestones, one row per event",
        columns: &[
            col("crime_id", Str, false, Any, "joins `offences`"),
            col(
                "suspect_id",
                Str,
                true,
                Any,
                "the suspect it concerns, where there is one",
            ),
            col(
                "event_type",
                Str,
                false,
                Codes(CodeList::EventType),
                "event type",
            ),
            col("event_date", Date, false, Any, "date of the event"),
            col(
                "detail",
                Str,
                true,
                Any,
                "free code: order type, device owner, CPS decision",
            ),
        ],
    },
    TableSpec {
        name: TableName::Staff,
        required: false,
        grain: "investigators, one row per officer",
        columns: &[
            col("officer_id", Str, false, Any, "officer reference"),
            col("force", Str, false, Any, "force name"),
            col("team", Str, true, Any, "team"),
            col("role", Str, false, Codes(CodeList::StaffRole), "role"),
            col("start_date", Date, false, Any, "joined the RASSO unit"),
            col("end_date", Date, true, Any, "left the unit"),
            col(
                "rasso_training_date",
                Date,
                true,
                Any,
                "completed the specialist RASSO investigation course",
            ),
            col(
                "wow_training_date",
                Date,
                true,
                Any,
                "completed word-on-word case training",
            ),
            col(
                "orders_training_date",
                Date,
                true,
                Any,
                "completed NOM training on criminal and civil orders (1.1)",
            ),
            col(
                "last_wellbeing_review",
                Date,
                true,
                Any,
                "latest structured well-being review",
            ),
        ],
    },
    TableSpec {
        name: TableName::Feedback,
        required: false,
        grain: "victim survey responses",
        columns: &[
            col("response_id", Str, false, Any, "response reference"),
            col("crime_id", Str, true, Any, "joins `offences` where given"),
            col("force", Str, false, Any, "force name"),
            col(
                "survey_date",
                Date,
                false,
                Any,
                "date of the survey response",
            ),
            col("treated_fairly", Int, true, SCORE, "1-5 agreement scale"),
            col("kept_informed", Int, true, SCORE, "1-5"),
            col(
                "confidence_to_report",
                Int,
                true,
                SCORE,
                "1-5, would report to the police again",
            ),
            col("overall_satisfaction", Int, true, SCORE, "1-5"),
        ],
    },
    TableSpec {
        name: TableName::Population,
        required: false,
        grain: "resident population by force and area (reference)",
        columns: &[
            col("force", Str, false, Any, "force name"),
            col("area", Str, true, Any, "null for the whole force"),
            col(
                "year",
                Int,
                false,
                Range(1900, 2200),
                "mid-year estimate year",
            ),
            col(
                "population",
                Int,
                false,
                Range(0, 100_000_000),
                "resident population",
            ),
        ],
    },
];
