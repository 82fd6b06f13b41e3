//! Code lists of the extract standard (`../shared/spec/data-standard.md`, version 1.1).

/// The group an offence code belongs to in the code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeGroup {
    Rape,
    OtherSexual,
}

impl CodeGroup {
    pub fn as_str(self) -> &'static str {
        self.offence_group().id()
    }

    pub fn offence_group(self) -> OffenceGroup {
        match self {
            CodeGroup::Rape => OffenceGroup::Rape,
            CodeGroup::OtherSexual => OffenceGroup::OtherSexual,
        }
    }
}

/// An offence group of the flight deck: every offence, or one group of the code list.
/// The one place that knows the groups' identifiers, names and order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum OffenceGroup {
    #[value(name = "all")]
    All,
    #[value(name = "rape")]
    Rape,
    #[value(name = "other_sexual")]
    OtherSexual,
}

impl OffenceGroup {
    /// Output order: every offence, then each group of the code list.
    pub const ORDER: [OffenceGroup; 3] = [
        OffenceGroup::All,
        OffenceGroup::Rape,
        OffenceGroup::OtherSexual,
    ];

    /// The group's place in [`OffenceGroup::ORDER`].
    pub fn rank(self) -> usize {
        match self {
            OffenceGroup::All => 0,
            OffenceGroup::Rape => 1,
            OffenceGroup::OtherSexual => 2,
        }
    }

    /// The identifier in tables, flags and files.
    pub fn id(self) -> &'static str {
        match self {
            OffenceGroup::All => "all",
            OffenceGroup::Rape => "rape",
            OffenceGroup::OtherSexual => "other_sexual",
        }
    }

    /// A heading or table label.
    pub fn label(self) -> &'static str {
        match self {
            OffenceGroup::All => "All RASSO",
            OffenceGroup::Rape => "Rape",
            OffenceGroup::OtherSexual => "Other sexual offences",
        }
    }

    /// The group inside a sentence ("charge rate for ...").
    pub fn words(self) -> &'static str {
        match self {
            OffenceGroup::All => "all rape and other sexual offences",
            OffenceGroup::Rape => "rape",
            OffenceGroup::OtherSexual => "other sexual offences",
        }
    }

    /// The groups a flight deck row of "all" is the sum of.
    pub fn parts() -> [OffenceGroup; 2] {
        [OffenceGroup::Rape, OffenceGroup::OtherSexual]
    }

    pub fn ids() -> [&'static str; 3] {
        Self::ORDER.map(Self::id)
    }

    /// The group with this identifier, or the one message every command gives.
    pub fn parse(id: &str) -> Result<OffenceGroup, String> {
        Self::ORDER
            .into_iter()
            .find(|g| g.id() == id)
            .ok_or_else(|| {
                format!(
                    "--group {id}: the offence groups are {}",
                    Self::ids().join(", ")
                )
            })
    }
}

impl std::fmt::Display for OffenceGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl std::str::FromStr for OffenceGroup {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

/// An offence group identifier's place in output order (anything else last).
pub fn group_rank(id: &str) -> usize {
    OffenceGroup::ORDER
        .iter()
        .position(|g| g.id() == id)
        .unwrap_or(OffenceGroup::ORDER.len())
}

pub struct OffenceCode {
    pub code: &'static str,
    pub description: &'static str,
    pub group: CodeGroup,
}

use CodeGroup::{OtherSexual, Rape};

pub const OFFENCE_CODES: &[OffenceCode] = &[
    oc("19C", "Rape of a female aged 16 and over", Rape),
    oc("19D", "Rape of a female child under 16", Rape),
    oc("19E", "Rape of a female child under 13", Rape),
    oc("19F", "Rape of a male aged 16 and over", Rape),
    oc("19G", "Rape of a male child under 16", Rape),
    oc("19H", "Rape of a male child under 13", Rape),
    oc(
        "17A",
        "Sexual assault on a male aged 13 and over",
        OtherSexual,
    ),
    oc(
        "17B",
        "Sexual assault on a male child under 13",
        OtherSexual,
    ),
    oc(
        "20A",
        "Sexual assault on a female aged 13 and over",
        OtherSexual,
    ),
    oc(
        "20B",
        "Sexual assault on a female child under 13",
        OtherSexual,
    ),
    oc(
        "21",
        "Sexual activity involving a child under 13",
        OtherSexual,
    ),
    oc(
        "22A",
        "Causing sexual activity without consent",
        OtherSexual,
    ),
    oc(
        "22B",
        "Sexual activity involving a child under 16",
        OtherSexual,
    ),
    oc("23", "Incest or familial sexual offences", OtherSexual),
    oc(
        "70",
        "Sexual activity etc. with a person with a mental disorder",
        OtherSexual,
    ),
    oc(
        "71",
        "Abuse of children through sexual exploitation",
        OtherSexual,
    ),
    oc("72", "Trafficking for sexual exploitation", OtherSexual),
    oc(
        "73",
        "Abuse of position of trust of a sexual nature",
        OtherSexual,
    ),
    oc("88A", "Sexual grooming", OtherSexual),
    oc("88C", "Other miscellaneous sexual offences", OtherSexual),
    oc("88D", "Unnatural sexual offences", OtherSexual),
    oc("88E", "Exposure and voyeurism", OtherSexual),
];

const fn oc(code: &'static str, description: &'static str, group: CodeGroup) -> OffenceCode {
    OffenceCode {
        code,
        description,
        group,
    }
}

/// The offence codes of a group, in code-list order.
pub fn codes_of(group: CodeGroup) -> Vec<&'static str> {
    OFFENCE_CODES
        .iter()
        .filter(|c| c.group == group)
        .map(|c| c.code)
        .collect()
}

pub fn offence_group(code: &str) -> Option<CodeGroup> {
    OFFENCE_CODES
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.group)
}

/// A code with its meaning, for the simpler lists.
pub struct Code {
    pub code: &'static str,
    pub meaning: &'static str,
}

const fn c(code: &'static str, meaning: &'static str) -> Code {
    Code { code, meaning }
}

pub const OUTCOME_TYPES: &[Code] = &[
    c("1", "charged/summonsed"),
    c("1A", "charged/summonsed for an alternate offence"),
    c("2", "youth caution"),
    c("3", "adult caution"),
    c("4", "taken into consideration"),
    c("5", "offender died"),
    c("6", "penalty notice for disorder"),
    c("7", "cannabis/khat warning"),
    c("8", "community resolution"),
    c("9", "not in the public interest (CPS)"),
    c("10", "not in the public interest (police)"),
    c("11", "prosecution prevented, suspect under age"),
    c("12", "suspect too ill"),
    c("13", "victim or key witness dead or too ill"),
    c(
        "14",
        "evidential difficulties, suspect not identified, victim does not support action",
    ),
    c(
        "15",
        "evidential difficulties, suspect identified, victim supports action",
    ),
    c(
        "16",
        "evidential difficulties, victim does not support further action",
    ),
    c("17", "prosecution time limit expired"),
    c("18", "investigation complete, no suspect identified"),
    c("20", "responsibility transferred to another body"),
    c(
        "21",
        "further investigation not in the public interest (police)",
    ),
    c("22", "diversionary, educational or intervention activity"),
];

/// Event types with the pillar each one serves.
pub struct EventType {
    pub code: &'static str,
    pub pillar: u8,
    pub meaning: &'static str,
}

const fn ev(code: &'static str, pillar: u8, meaning: &'static str) -> EventType {
    EventType {
        code,
        pillar,
        meaning,
    }
}

pub const EVENT_TYPES: &[EventType] = &[
    ev(
        "victim_first_contact",
        3,
        "first contact of the investigator with the victim",
    ),
    ev(
        "victim_update",
        3,
        "the victim was updated on the investigation",
    ),
    ev(
        "isva_referral",
        3,
        "referral to an Independent Sexual Violence Adviser",
    ),
    ev(
        "victim_withdrawal",
        3,
        "the victim withdrew support for the investigation",
    ),
    ev(
        "nfa_explained",
        3,
        "a no-further-action decision was explained to the victim",
    ),
    ev("suspect_arrested", 1, "suspect arrested"),
    ev(
        "suspect_interviewed",
        1,
        "interview under caution, voluntary or after arrest",
    ),
    ev("bail_start", 2, "pre-charge bail started"),
    ev("bail_end", 2, "pre-charge bail ended"),
    ev("rui_start", 2, "released under investigation"),
    ev("bail_breach", 2, "breach of bail conditions"),
    ev("bail_breach_actioned", 2, "police action on a bail breach"),
    ev(
        "order_applied",
        2,
        "civil or criminal protection order applied for (detail = order type)",
    ),
    ev(
        "order_granted",
        2,
        "protection order granted (detail = order type)",
    ),
    ev("order_breach", 2, "breach of a protection order"),
    ev(
        "order_breach_actioned",
        2,
        "police action on an order breach",
    ),
    ev(
        "dna_retention_application",
        2,
        "PACE s63G application to retain DNA and fingerprints",
    ),
    ev("dna_retention_granted", 2, "PACE s63G retention granted"),
    ev(
        "cps_early_advice_requested",
        1,
        "CPS early investigative advice requested",
    ),
    ev(
        "cps_early_advice_received",
        1,
        "CPS early investigative advice received",
    ),
    ev(
        "cps_file_submitted",
        1,
        "file sent to CPS for a charging decision",
    ),
    ev(
        "cps_decision",
        1,
        "CPS charging decision (detail = charge or nfa)",
    ),
    ev(
        "device_seized",
        6,
        "digital device seized (detail = victim or suspect)",
    ),
    ev(
        "device_examined",
        6,
        "digital device examined (detail = victim or suspect)",
    ),
    ev(
        "device_returned",
        6,
        "digital device returned (detail = victim or suspect)",
    ),
    ev(
        "scrutiny_panel_review",
        5,
        "case reviewed by the rape scrutiny panel",
    ),
    ev(
        "pdp_nominal_registered",
        2,
        "the suspect was registered as a potentially dangerous person (PDP) nominal (suspect_id set; 1.1)",
    ),
    ev(
        "matac_referral",
        2,
        "the suspect was referred to multi-agency tasking and co-ordination (MATAC) (suspect_id set; 1.1)",
    ),
];

pub const SEX: &[Code] = &[
    c("F", "female"),
    c("M", "male"),
    c("X", "other"),
    c("U", "unknown"),
];

pub const ETHNICITY: &[Code] = &[
    c("white", "White"),
    c("mixed", "Mixed or multiple ethnic groups"),
    c("asian", "Asian or Asian British"),
    c("black", "Black, Black British, Caribbean or African"),
    c("other", "Other ethnic group"),
    c("not_stated", "Not stated"),
];

pub const RELATIONSHIP: &[Code] = &[
    c("partner", "current partner"),
    c("ex_partner", "former partner"),
    c("family", "family member"),
    c("acquaintance", "acquaintance or friend"),
    c("stranger", "stranger"),
    c("online_contact", "met online"),
    c("position_of_trust", "person in a position of trust"),
    c("other", "other"),
    c("unknown", "not known"),
];

pub const LOCATION_TYPE: &[Code] = &[
    c("dwelling", "dwelling"),
    c("public_place", "public place"),
    c("licensed_premises", "licensed premises"),
    c("education", "school, college or university"),
    c("institution", "care home, hospital or other institution"),
    c("vehicle", "vehicle"),
    c("online", "online"),
    c("other", "other"),
    c("unknown", "not known"),
];

pub const STAFF_ROLE: &[Code] = &[
    c("detective", "accredited detective"),
    c("trainee", "trainee investigator"),
    c("supervisor", "supervisor"),
    c("staff_investigator", "police staff investigator"),
    c("other", "other"),
];

/// Outcome types that count as a charge in the flight deck.
pub const CHARGE_OUTCOMES: &[&str] = &["1", "1A"];

/// Outcome types that count as "no further action" in the flight deck (22, diversionary
/// activity with no further action, among them).
pub const NFA_OUTCOMES: &[&str] = &[
    "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "21", "22",
];

/// The victim does not support (14) or withdraws support for (16) action.
pub const VICTIM_WITHDRAWAL_OUTCOMES: &[&str] = &["14", "16"];

/// Out-of-court resolutions: cautions (2, 3), offences taken into consideration (4),
/// penalty notices (6), cannabis or khat warnings (7) and community resolutions (8).
pub const OUT_OF_COURT_OUTCOMES: &[&str] = &["2", "3", "4", "6", "7", "8"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_groups_rank_is_its_place_in_the_order() {
        for (i, group) in OffenceGroup::ORDER.into_iter().enumerate() {
            assert_eq!(group.rank(), i);
            assert_eq!(group_rank(group.id()), i);
        }
    }
}
