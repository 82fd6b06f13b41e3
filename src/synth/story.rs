//! The simulation of one force: offences month by month, each crime's story of
//! suspects, events and outcomes up to the as-at date, the investigators, victims'
//! feedback and the population. Every rate below is an assumption documented, with its
//! source where there is one, in `datasets/README.md`.
use super::random::*;
use super::reference;
use super::tables::ForceTables;
use crate::schema::codes::{CodeGroup, NFA_OUTCOMES, offence_group};
use crate::util::Month;
use crate::util::chrono_lite::Date;

/// National recorded offences a year at scale 1.0 (issue 2: about 70,000 rapes and
/// 130,000 other sexual offences, the level of the early 2020s).
const NATIONAL_RAPE_PER_YEAR: f64 = 70_000.0;
const NATIONAL_OTHER_PER_YEAR: f64 = 130_000.0;

pub struct ForcePlan {
    pub name: &'static str,
    pub abbr: &'static str,
    pub start: Month,
    pub months: u32,
    pub scale: f64,
    pub seed: u64,
}

struct Area {
    name: String,
    team: String,
    weight: f64,
    lsoas: Categorical<u32>,
}

#[derive(Clone, Copy)]
struct Officer {
    index: u32,
    team: usize,
    start: i32,
    end: Option<i32>,
}

#[derive(Clone, Copy)]
struct KnownPerson {
    id: u32,
    sex: &'static str,
    /// Age on day `at`.
    age: Option<i32>,
    at: i32,
}

struct Sim<'a> {
    plan: &'a ForcePlan,
    rng: SynthRng,
    /// Version 1.1's suspect-management events draw from their own stream, so that a
    /// version 1 extract comes out exactly as before for the same seed.
    management_rng: SynthRng,
    as_at: i32,
    areas: Vec<Area>,
    area_pick: Categorical<usize>,
    officers: Vec<Officer>,
    t: ForceTables,
    crimes: u32,
    victims: Vec<KnownPerson>,
    victim_count: u32,
    suspects: Vec<KnownPerson>,
    suspect_count: u32,
    feedback_count: u32,
}

const AREA_SUFFIXES: &[&str] = &[
    "North", "South", "East", "West", "Central", "City", "Coast", "Valley",
];

pub fn simulate(plan: &ForcePlan) -> ForceTables {
    use rand::SeedableRng;
    let end = plan.start.plus(plan.months as i32 - 1);
    let as_at = end.last_day().days();
    let rng = SynthRng::seed_from_u64(plan.seed);
    let population = reference::population();
    let pop_2019 = population
        .get(&(plan.name.to_string(), 2019))
        .copied()
        .unwrap_or(1_000_000) as f64;
    let n_areas = ((pop_2019 / 350_000.0).round() as usize).clamp(2, AREA_SUFFIXES.len());
    let mut areas = Vec::new();
    for (i, suffix) in AREA_SUFFIXES.iter().take(n_areas).enumerate() {
        let weight = 0.6 + 0.8 * ((i * 37 % 11) as f64 / 10.0);
        // LSOA offence counts are very uneven: a Zipf-like weight over 60 synthetic LSOAs.
        let lsoas: Vec<(u32, f64)> = (0..60u32)
            .map(|k| (k, 1.0 / (1.0 + k as f64).powf(0.8)))
            .collect();
        areas.push(Area {
            name: format!("{} {suffix}", plan.name),
            team: format!("{} {suffix} RASSO", plan.name),
            weight,
            lsoas: Categorical::new(&lsoas),
        });
    }
    let area_pick = Categorical::new(
        &areas
            .iter()
            .enumerate()
            .map(|(i, a)| (i, a.weight))
            .collect::<Vec<_>>(),
    );
    let mut sim = Sim {
        plan,
        rng,
        management_rng: SynthRng::seed_from_u64(plan.seed ^ 0x09d9_3a7c),
        as_at,
        areas,
        area_pick,
        officers: Vec::new(),
        t: ForceTables::default(),
        crimes: 0,
        victims: Vec::new(),
        victim_count: 0,
        suspects: Vec::new(),
        suspect_count: 0,
        feedback_count: 0,
    };
    sim.population(&population);
    let codes = CodeMix::for_force(plan.name);
    let annual = codes.annual(plan.scale);
    sim.staff(annual);
    for m in 0..plan.months as i32 {
        let month = plan.start.plus(m);
        // Mild seasonality: a summer peak about 8% above the winter trough.
        let season =
            1.0 + 0.04 * (2.0 * std::f64::consts::PI * (month.month as f64 - 7.0) / 12.0).cos();
        for (group, per_year) in [
            (CodeGroup::Rape, annual.0),
            (CodeGroup::OtherSexual, annual.1),
        ] {
            let n = poisson(&mut sim.rng, per_year / 12.0 * season);
            let mut days: Vec<i32> = (0..n)
                .map(|_| {
                    let d = uniform(
                        &mut sim.rng,
                        0,
                        Date::days_in_month(month.year, month.month) as i32 - 1,
                    );
                    month.first_day().days() + d
                })
                .collect();
            days.sort_unstable();
            for day in days {
                let code = codes.sample(group, &mut sim.rng);
                sim.crime(code, day);
            }
        }
    }
    sim.t
}

struct CodeMix {
    rape: Option<Categorical<&'static str>>,
    other: Option<Categorical<&'static str>>,
    share: (f64, f64),
}

impl CodeMix {
    fn for_force(force: &str) -> CodeMix {
        let counts = reference::recorded_by_code(force);
        let part = |g: CodeGroup| -> Vec<(&'static str, f64)> {
            counts
                .iter()
                .copied()
                .filter(|(c, _)| offence_group(c) == Some(g))
                .collect()
        };
        let (rape, other) = (part(CodeGroup::Rape), part(CodeGroup::OtherSexual));
        let total = |v: &[(&str, f64)]| v.iter().map(|(_, n)| n).sum::<f64>();
        CodeMix {
            share: (
                total(&rape) / reference::national_recorded(CodeGroup::Rape),
                total(&other) / reference::national_recorded(CodeGroup::OtherSexual),
            ),
            rape: (total(&rape) > 0.0).then(|| Categorical::new(&rape)),
            other: (total(&other) > 0.0).then(|| Categorical::new(&other)),
        }
    }

    fn annual(&self, scale: f64) -> (f64, f64) {
        (
            NATIONAL_RAPE_PER_YEAR * self.share.0 * scale,
            NATIONAL_OTHER_PER_YEAR * self.share.1 * scale,
        )
    }

    fn sample(&self, group: CodeGroup, rng: &mut SynthRng) -> &'static str {
        let dist = match group {
            CodeGroup::Rape => &self.rape,
            CodeGroup::OtherSexual => &self.other,
        };
        dist.as_ref().map(|d| d.sample(rng)).unwrap_or(match group {
            CodeGroup::Rape => "19C",
            CodeGroup::OtherSexual => "20A",
        })
    }
}

/// Victim age range at the offence implied by the offence code.
fn age_range(code: &str) -> (i32, i32) {
    match code {
        "19E" | "19H" | "17B" | "20B" | "21" => (0, 12),
        "19D" | "19G" | "22B" => (13, 15),
        "71" => (11, 17),
        "73" => (14, 17),
        "88A" => (10, 15),
        "19C" | "19F" | "22A" | "72" => (16, 85),
        "70" => (18, 75),
        "20A" | "17A" => (13, 85),
        "23" => (5, 60),
        _ => (10, 80),
    }
}

fn sample_age(rng: &mut SynthRng, lo: i32, hi: i32) -> i32 {
    if hi - lo <= 6 {
        return uniform(rng, lo, hi);
    }
    // Adults: most victims are young adults; a long tail of older victims.
    let base = lo.max(16) as f64;
    let age = if lo < 16 && chance(rng, 0.35) {
        uniform(rng, lo, 15)
    } else {
        (base + exp_days(rng, 11.0) as f64) as i32
    };
    age.clamp(lo, hi)
}

impl Sim<'_> {
    fn crime(&mut self, code: &'static str, recorded: i32) {
        let plan = self.plan;
        let rng = &mut self.rng;
        let group = offence_group(code).unwrap_or(CodeGroup::OtherSexual);
        let crime_id = {
            self.crimes += 1;
            format!("{}-{:07}", plan.abbr, self.crimes)
        };
        let reported = recorded
            - if chance(rng, 0.7) {
                0
            } else if chance(rng, 0.66) {
                uniform(rng, 1, 3)
            } else {
                uniform(rng, 4, 14)
            };
        let (lo, hi) = age_range(code);
        let child = hi < 18;
        let historic = if child { 0.35 } else { 0.22 };
        let delay_band = Categorical::new(&[
            (0u8, 0.24),
            (1, 0.18),
            (2, 0.13),
            (3, 0.19 - historic * 0.2),
            (4, historic * 0.6),
            (5, historic * 0.45),
            (6, 0.04),
        ])
        .sample(rng);
        let report_delay = match delay_band {
            0 => Some(0),
            1 => Some(uniform(rng, 1, 6)),
            2 => Some(uniform(rng, 7, 30)),
            3 => Some(uniform(rng, 31, 365)),
            4 => Some(uniform(rng, 366, 5 * 365)),
            5 => Some(uniform(rng, 5 * 365 + 1, 30 * 365)),
            _ => None,
        };
        let offence_date = report_delay.map(|d| reported - d);
        let offence_hour = (offence_date.is_some() && chance(rng, 0.85)).then(|| {
            Categorical::new(&[
                (0, 6.0),
                (1, 6.0),
                (2, 5.0),
                (3, 4.0),
                (4, 3.0),
                (5, 2.0),
                (6, 1.5),
                (7, 1.5),
                (8, 1.5),
                (9, 2.0),
                (10, 2.0),
                (11, 2.5),
                (12, 3.0),
                (13, 3.0),
                (14, 3.5),
                (15, 4.0),
                (16, 4.0),
                (17, 4.0),
                (18, 4.0),
                (19, 4.5),
                (20, 5.0),
                (21, 5.5),
                (22, 6.5),
                (23, 7.0),
            ])
            .sample(rng)
        });
        let sex: &'static str = match code {
            "19C" | "19D" | "19E" | "20A" | "20B" => "F",
            "19F" | "19G" | "19H" | "17A" | "17B" => "M",
            _ => Categorical::new(&[("F", 0.85), ("M", 0.135), ("U", 0.01), ("X", 0.005)])
                .sample(rng),
        };
        // Repeat victims: an adult victim of an earlier crime in the force reports again.
        let mut victim = None;
        if lo >= 13 && !self.victims.is_empty() && chance(rng, 0.07) {
            let pool = self.victims.len();
            let v = self.victims
                [uniform(rng, pool.saturating_sub(400) as i32, pool as i32 - 1) as usize];
            if v.sex == sex {
                let age = v.age.map(|a| a + (recorded - v.at) / 365);
                if age.is_none_or(|a| (lo..=hi).contains(&a)) {
                    victim = Some((v.id, age));
                }
            }
        }
        let (victim_id, victim_age) = match victim {
            Some(v) => v,
            None => {
                self.victim_count += 1;
                let age = (!chance(rng, 0.03)).then(|| sample_age(rng, lo, hi));
                self.victims.push(KnownPerson {
                    id: self.victim_count,
                    sex,
                    age,
                    at: recorded,
                });
                (self.victim_count, age)
            }
        };
        let ethnicity = Categorical::new(&[
            (Some("white"), 0.80),
            (Some("asian"), 0.06),
            (Some("black"), 0.035),
            (Some("mixed"), 0.03),
            (Some("other"), 0.015),
            (Some("not_stated"), 0.04),
            (None, 0.02),
        ])
        .sample(rng);
        let relationship: &'static str = if child {
            Categorical::new(&[
                ("partner", 0.02),
                ("ex_partner", 0.02),
                ("family", 0.30),
                ("acquaintance", 0.30),
                ("stranger", 0.05),
                ("online_contact", 0.10),
                ("position_of_trust", 0.08),
                ("other", 0.06),
                ("unknown", 0.07),
            ])
            .sample(rng)
        } else {
            Categorical::new(&[
                ("partner", 0.22),
                ("ex_partner", 0.16),
                ("family", 0.04),
                ("acquaintance", 0.27),
                ("stranger", 0.08),
                ("online_contact", 0.07),
                ("position_of_trust", 0.02),
                ("other", 0.06),
                ("unknown", 0.08),
            ])
            .sample(rng)
        };
        let domestic_abuse = match relationship {
            "partner" | "ex_partner" => chance(rng, 0.95),
            "family" => chance(rng, if child { 0.3 } else { 0.7 }),
            _ => chance(rng, 0.02),
        };
        let online_facilitated = relationship == "online_contact" && chance(rng, 0.95)
            || chance(rng, if child { 0.12 } else { 0.05 });
        let location_type = if online_facilitated && chance(rng, 0.5) {
            "online"
        } else {
            Categorical::new(&[
                ("dwelling", 0.62),
                ("public_place", 0.12),
                ("licensed_premises", if child { 0.0 } else { 0.04 }),
                ("education", if child { 0.08 } else { 0.02 }),
                ("institution", 0.03),
                ("vehicle", 0.04),
                ("other", 0.06),
                ("unknown", 0.05),
            ])
            .sample(rng)
        };
        let alcohol_involved = chance(rng, if child { 0.03 } else { 0.25 });
        let drugs_involved = chance(rng, if child { 0.02 } else { 0.08 });
        let victim_vulnerable = chance(rng, 0.22);
        let word_on_word = chance(rng, if child { 0.25 } else { 0.40 });
        let area_ix = self.area_pick.sample(rng);
        let area = &self.areas[area_ix];
        let lsoa = (!chance(rng, 0.05)).then(|| {
            format!(
                "{}{:02}{:03}",
                plan.abbr,
                area_ix + 1,
                area.lsoas.sample(rng) + 1
            )
        });
        // The officer in charge: someone in the area's team in post on the recorded date.
        let candidates: Vec<u32> = self
            .officers
            .iter()
            .filter(|o| {
                o.team == area_ix && o.start <= recorded && o.end.is_none_or(|e| e > recorded)
            })
            .map(|o| o.index)
            .collect();
        let officer = (!candidates.is_empty() && !chance(rng, 0.03))
            .then(|| candidates[uniform(rng, 0, candidates.len() as i32 - 1) as usize]);

        let o = &mut self.t.offences;
        o.crime_id.push(crime_id.clone());
        o.force.push(plan.name);
        o.area.push(Some(area.name.clone()));
        o.team.push(Some(area.team.clone()));
        o.officer_id
            .push(officer.map(|i| format!("{}-O{:05}", plan.abbr, i)));
        o.offence_code.push(code);
        o.reported_date.push(reported);
        o.recorded_date.push(recorded);
        o.offence_date.push(offence_date);
        o.offence_hour.push(offence_hour);
        o.victim_id
            .push((!chance(rng, 0.01)).then(|| format!("{}-V{:07}", plan.abbr, victim_id)));
        o.victim_sex.push(sex);
        o.victim_age.push(victim_age);
        o.victim_ethnicity.push(ethnicity);
        o.relationship.push(relationship);
        o.location_type.push(location_type);
        o.domestic_abuse.push(domestic_abuse);
        o.online_facilitated.push(online_facilitated);
        o.alcohol_involved.push(alcohol_involved);
        o.drugs_involved.push(drugs_involved);
        o.victim_vulnerable.push(victim_vulnerable);
        o.word_on_word.push(word_on_word);
        o.lsoa_code.push(lsoa);

        self.investigation(&crime_id, group, child, reported, recorded, victim_age);
    }

    /// Suspects, outcome and events of one crime, consistent with one another.
    fn investigation(
        &mut self,
        crime_id: &str,
        group: CodeGroup,
        child: bool,
        reported: i32,
        recorded: i32,
        victim_age: Option<i32>,
    ) {
        let as_at = self.as_at;
        let plan = self.plan;
        let rng = &mut self.rng;
        let mix = outcome_mix(group);
        let outcome: &'static str = mix.sample(rng);
        let charged = outcome == "1" || outcome == "1A";
        // Days from recording to the final outcome (log-normal per outcome type; tuned so
        // the median to charge is about 400 days and to any outcome about 100).
        let (median, sigma) = match outcome {
            "1" | "1A" => (400.0, 0.55),
            "14" => (35.0, 1.0),
            "18" => (55.0, 0.9),
            "16" => (75.0, 1.0),
            "15" => (210.0, 0.8),
            _ => (150.0, 0.9),
        };
        let outcome_day = recorded + lognormal_days(rng, median, sigma).max(1);
        let closed = outcome_day <= as_at;
        let end = outcome_day.min(as_at);

        let mut events: Vec<(i32, &'static str, Option<u32>, Option<&'static str>)> = Vec::new();
        let mut ev =
            |day: i32, kind: &'static str, suspect: Option<u32>, detail: Option<&'static str>| {
                if day <= as_at {
                    events.push((day, kind, suspect, detail));
                }
            };

        // Suspects: none for outcomes 14 and 18 (suspect not identified).
        let mut linked: Vec<(u32, i32)> = Vec::new();
        // Suspects linked to an earlier crime too: the ones recommendation 5 asks forces
        // to manage.
        let mut repeats: Vec<(u32, i32)> = Vec::new();
        if outcome != "14" && outcome != "18" {
            let n = Categorical::new(&[(1, 0.88), (2, 0.09), (3, 0.03)]).sample(rng);
            for _ in 0..n {
                let day = (reported + exp_days(rng, 6.0)).min(outcome_day.max(reported));
                if day > as_at {
                    continue;
                }
                let mut known = None;
                if !self.suspects.is_empty() && chance(rng, 0.14) {
                    let pool = self.suspects.len();
                    known = Some(
                        self.suspects[uniform(
                            rng,
                            pool.saturating_sub(3000) as i32,
                            pool as i32 - 1,
                        ) as usize],
                    );
                }
                let person = match known {
                    Some(k) => KnownPerson {
                        age: k.age.map(|a| a + (day - k.at) / 365),
                        at: day,
                        ..k
                    },
                    None => {
                        self.suspect_count += 1;
                        let juvenile = child && chance(rng, 0.3);
                        let age = (!chance(rng, 0.06)).then(|| {
                            if juvenile {
                                uniform(rng, 10, 17)
                            } else {
                                (18 + exp_days(rng, 14.0)).min(90)
                            }
                        });
                        let sex =
                            Categorical::new(&[("M", 0.94), ("F", 0.05), ("U", 0.01)]).sample(rng);
                        let p = KnownPerson {
                            id: self.suspect_count,
                            sex,
                            age,
                            at: day,
                        };
                        self.suspects.push(p);
                        p
                    }
                };
                if linked.iter().any(|(id, _)| *id == person.id) {
                    continue;
                }
                linked.push((person.id, day));
                if known.is_some() {
                    repeats.push((person.id, day));
                }
                let s = &mut self.t.suspects;
                s.crime_id.push(crime_id.to_string());
                s.suspect_id
                    .push(format!("{}-S{:07}", plan.abbr, person.id));
                s.suspect_sex.push(person.sex);
                s.suspect_age.push(person.age);
                s.linked_date.push(day);
            }
        }

        // Victim care (pillar 3).
        let first_contact = reported + exp_days(rng, 2.5);
        if chance(rng, 0.96) {
            ev(first_contact, "victim_first_contact", None, None);
        }
        if chance(rng, 0.55) {
            ev(reported + exp_days(rng, 7.0), "isva_referral", None, None);
        }
        if (outcome == "14" || outcome == "16") && chance(rng, 0.85) {
            let day = if chance(rng, 0.7) {
                reported + uniform(rng, 0, 30)
            } else {
                reported + uniform(rng, 31, (outcome_day - reported).max(31))
            };
            ev(day.min(outcome_day), "victim_withdrawal", None, None);
        }
        let mut update = first_contact;
        loop {
            update += uniform(rng, 18, 50);
            if update >= end {
                break;
            }
            if chance(rng, 0.8) {
                ev(update, "victim_update", None, None);
            }
        }
        if chance(rng, 0.3) {
            let seized = reported + exp_days(rng, 3.0);
            ev(seized, "device_seized", None, Some("victim"));
            let examined = seized + lognormal_days(rng, 45.0, 0.8).max(1);
            if chance(rng, 0.8) {
                ev(examined, "device_examined", None, Some("victim"));
            }
            if chance(rng, 0.85) {
                ev(
                    examined.max(seized + lognormal_days(rng, 60.0, 0.7)),
                    "device_returned",
                    None,
                    Some("victim"),
                );
            }
        }

        // The suspect-focused investigation (pillars 1 and 2).
        let nfa = NFA_OUTCOMES.contains(&outcome);
        let mut any_arrest = false;
        for &(sid, day) in &linked {
            let s = Some(sid);
            let mut custody = day;
            if chance(rng, 0.55) {
                let arrest = day + exp_days(rng, 5.0);
                ev(arrest, "suspect_arrested", s, None);
                any_arrest = true;
                custody = arrest;
                if chance(rng, 0.45) {
                    let seized = arrest;
                    ev(seized, "device_seized", s, Some("suspect"));
                    if chance(rng, 0.75) {
                        ev(
                            seized + lognormal_days(rng, 90.0, 0.7).max(1),
                            "device_examined",
                            s,
                            Some("suspect"),
                        );
                    }
                }
                let release = Categorical::new(&[(0u8, 0.40), (1, 0.40), (2, 0.20)]).sample(rng);
                if release == 0 {
                    ev(arrest, "bail_start", s, None);
                    let bail_end = (arrest + uniform(rng, 28, 120)).min(outcome_day);
                    ev(bail_end, "bail_end", s, None);
                    if chance(rng, 0.07) {
                        let breach = arrest + uniform(rng, 1, (bail_end - arrest).max(1));
                        ev(breach, "bail_breach", s, None);
                        if chance(rng, 0.72) {
                            ev(breach + uniform(rng, 0, 6), "bail_breach_actioned", s, None);
                        } else if chance(rng, 0.3) {
                            ev(
                                breach + uniform(rng, 8, 20),
                                "bail_breach_actioned",
                                s,
                                None,
                            );
                        }
                    }
                } else if release == 1 {
                    ev(arrest, "rui_start", s, None);
                }
            }
            if chance(rng, 0.85) {
                ev(
                    custody + exp_days(rng, 10.0),
                    "suspect_interviewed",
                    s,
                    None,
                );
            }
            if chance(rng, 0.07) {
                let order = Categorical::new(&[
                    ("SHPO", 0.35),
                    ("SRO", 0.25),
                    ("DAPO", 0.2),
                    ("NMO", 0.1),
                    ("SPO", 0.1),
                ])
                .sample(rng);
                let applied = day + exp_days(rng, 20.0);
                ev(applied, "order_applied", s, Some(order));
                if chance(rng, 0.75) {
                    let granted = applied + uniform(rng, 7, 40);
                    ev(granted, "order_granted", s, Some(order));
                    if chance(rng, 0.18) {
                        let breach = granted + uniform(rng, 10, 200);
                        ev(breach, "order_breach", s, Some(order));
                        if chance(rng, 0.65) {
                            ev(
                                breach + uniform(rng, 0, 6),
                                "order_breach_actioned",
                                s,
                                Some(order),
                            );
                        } else if chance(rng, 0.3) {
                            ev(
                                breach + uniform(rng, 8, 30),
                                "order_breach_actioned",
                                s,
                                Some(order),
                            );
                        }
                    }
                }
            }
            if nfa && any_arrest && chance(rng, 0.12) {
                let app = outcome_day + uniform(rng, 5, 60);
                ev(app, "dna_retention_application", s, None);
                if chance(rng, 0.8) {
                    ev(app + uniform(rng, 14, 60), "dna_retention_granted", s, None);
                }
            }
        }
        // PDP registration and MATAC referral (extract 1.1), mostly for repeat suspects and
        // more often after recommendation 5's deadline (31 July 2025), as forces adopted the
        // repeat-suspect definition.
        let management_from = Date::new(2025, 7, 31).days();
        let mrng = &mut self.management_rng;
        for &(sid, day) in &linked {
            let repeat = repeats.iter().any(|(r, _)| *r == sid);
            let after = day > management_from;
            let (pdp, matac) = match (repeat, after) {
                (true, true) => (0.30, 0.20),
                (true, false) => (0.12, 0.08),
                (false, _) => (0.02, 0.01),
            };
            if chance(mrng, pdp) {
                ev(
                    day + uniform(mrng, 3, 45),
                    "pdp_nominal_registered",
                    Some(sid),
                    None,
                );
            }
            if chance(mrng, matac) {
                ev(
                    day + uniform(mrng, 2, 35),
                    "matac_referral",
                    Some(sid),
                    None,
                );
            }
        }
        if let Some(&(_, first_link)) = linked.first() {
            if chance(rng, 0.12) {
                let req = first_link + uniform(rng, 10, 90);
                ev(req, "cps_early_advice_requested", None, None);
                if chance(rng, 0.9) {
                    ev(
                        req + exp_days(rng, 28.0).max(1),
                        "cps_early_advice_received",
                        None,
                        None,
                    );
                }
            }
            let to_cps = charged || (chance(rng, 0.10) && outcome != "20");
            if to_cps {
                let decision = (outcome_day - uniform(rng, 0, 7)).max(first_link);
                let submitted = (decision - uniform(rng, 20, 120)).max(first_link);
                ev(submitted, "cps_file_submitted", None, None);
                if closed {
                    ev(
                        decision,
                        "cps_decision",
                        None,
                        Some(if charged { "charge" } else { "nfa" }),
                    );
                }
            }
        }

        // Closure (pillars 3 and 5).
        if closed && nfa {
            if chance(rng, 0.78) {
                ev(
                    outcome_day + uniform(rng, 0, 10),
                    "nfa_explained",
                    None,
                    None,
                );
            }
            if chance(rng, if group == CodeGroup::Rape { 0.04 } else { 0.01 }) {
                ev(
                    outcome_day + uniform(rng, 20, 150),
                    "scrutiny_panel_review",
                    None,
                    None,
                );
            }
        }
        let _ = victim_age;

        // Events of a crime in date order, as a records system lists them; stable, so
        // same-day events keep the order of the story.
        events.sort_by_key(|e| e.0);
        let e = &mut self.t.events;
        for (day, kind, suspect, detail) in events {
            e.crime_id.push(crime_id.to_string());
            e.suspect_id
                .push(suspect.map(|id| format!("{}-S{:07}", plan.abbr, id)));
            e.event_type.push(kind);
            e.event_date.push(day);
            e.detail.push(detail);
        }

        if closed {
            let ou = &mut self.t.outcomes;
            // A few crimes were closed once and reopened: an earlier outcome row.
            if chance(rng, 0.03) {
                let interim = recorded + ((outcome_day - recorded) as f64 * 0.4) as i32;
                ou.crime_id.push(crime_id.to_string());
                ou.outcome_type
                    .push(if linked.is_empty() { "18" } else { "15" });
                ou.outcome_date.push(interim.max(recorded));
            } else if chance(rng, 0.005) {
                // A correction entered the same day: a tie the file order settles.
                ou.crime_id.push(crime_id.to_string());
                ou.outcome_type.push("21");
                ou.outcome_date.push(outcome_day);
            }
            ou.crime_id.push(crime_id.to_string());
            ou.outcome_type.push(outcome);
            ou.outcome_date.push(outcome_day);

            if chance(rng, 0.12) {
                let survey = outcome_day + uniform(rng, 20, 90);
                if survey <= as_at {
                    self.feedback_count += 1;
                    // Victims whose case was charged report better experiences.
                    let base = if charged {
                        3.8
                    } else if outcome == "16" || outcome == "14" {
                        2.8
                    } else {
                        3.0
                    };
                    let f = &mut self.t.feedback;
                    let score = |rng: &mut SynthRng| {
                        (!chance(rng, 0.05)).then(|| {
                            ((base + 1.1 * standard_normal(rng)).round() as i32).clamp(1, 5)
                        })
                    };
                    f.treated_fairly.push(score(rng));
                    f.kept_informed.push(score(rng));
                    f.confidence_to_report.push(score(rng));
                    f.overall_satisfaction.push(score(rng));
                    f.response_id
                        .push(format!("{}-R{:06}", plan.abbr, self.feedback_count));
                    f.crime_id.push(Some(crime_id.to_string()));
                    f.force.push(plan.name);
                    f.survey_date.push(survey);
                }
            }
        }
    }

    /// Investigators: a headcount that keeps open cases per investigator plausible,
    /// with turnover, training and well-being reviews.
    fn staff(&mut self, annual: (f64, f64)) {
        let plan = self.plan;
        let rng = &mut self.rng;
        // Version 1.1's orders training draws from its own stream, so that every table
        // of a version 1 extract comes out exactly as before for the same seed.
        let mut orders_rng =
            <SynthRng as rand::SeedableRng>::seed_from_u64(plan.seed ^ 0x0_1d3e_55a7);
        // NOM training on criminal and civil orders began in 2024 (the inspection's
        // recommendation 7 asked for it by 31 January 2025).
        let orders_from = Date::new(2024, 1, 15).days();
        let start = plan.start.first_day().days();
        let per_team = (((annual.0 + annual.1) / 22.0) / self.areas.len() as f64)
            .ceil()
            .max(3.0) as usize;
        let mut index = 0u32;
        for team in 0..self.areas.len() {
            let mut slots: Vec<i32> = (0..per_team)
                .map(|_| start - uniform(rng, 0, 6 * 365))
                .collect();
            while let Some(joined) = slots.pop() {
                index += 1;
                let tenure = lognormal_days(rng, 4.0 * 365.0, 0.6).max(90);
                let left = joined + tenure;
                let end = (left <= self.as_at).then_some(left);
                if let Some(e) = end {
                    // The vacancy is filled a few weeks later, if that is before the as-at date.
                    let refill = e + uniform(rng, 14, 90);
                    if refill <= self.as_at {
                        slots.push(refill);
                    }
                }
                let role = Categorical::new(&[
                    ("detective", 0.52),
                    ("trainee", 0.30),
                    ("staff_investigator", 0.10),
                    ("supervisor", 0.06),
                    ("other", 0.02),
                ])
                .sample(rng);
                let on_or_before =
                    |d: i32| (d <= self.as_at && end.is_none_or(|e| d < e)).then_some(d);
                let rasso = chance(rng, if role == "trainee" { 0.4 } else { 0.8 })
                    .then(|| on_or_before(joined + uniform(rng, 30, 500)))
                    .flatten();
                let wow = chance(rng, 0.55)
                    .then(|| on_or_before(joined + uniform(rng, 60, 700)))
                    .flatten();
                let orders = chance(&mut orders_rng, 0.6)
                    .then(|| {
                        on_or_before(joined.max(orders_from) + uniform(&mut orders_rng, 0, 400))
                    })
                    .flatten();
                let last_day = end.unwrap_or(self.as_at);
                let review = if chance(rng, 0.65) {
                    Some(last_day - uniform(rng, 0, 364))
                } else if chance(rng, 0.55) {
                    Some(last_day - uniform(rng, 365, 900))
                } else {
                    None
                }
                .filter(|d| *d >= joined);
                self.officers.push(Officer {
                    index,
                    team,
                    start: joined,
                    end,
                });
                let s = &mut self.t.staff;
                s.officer_id.push(format!("{}-O{:05}", plan.abbr, index));
                s.force.push(plan.name);
                s.team.push(Some(self.areas[team].team.clone()));
                s.role.push(role);
                s.start_date.push(joined);
                s.end_date.push(end);
                s.rasso_training_date.push(rasso);
                s.wow_training_date.push(wow);
                s.orders_training_date.push(orders);
                s.last_wellbeing_review.push(review);
            }
        }
    }

    /// The force's and its areas' population for every year of the extract (ONS
    /// mid-year estimates 2011-2020; later years carry 2020 forward, earlier carry 2011).
    fn population(&mut self, population: &std::collections::BTreeMap<(String, i32), i64>) {
        let plan = self.plan;
        let first = plan.start.year;
        let last = plan.start.plus(plan.months as i32 - 1).year;
        let total_weight: f64 = self.areas.iter().map(|a| a.weight).sum();
        for year in first..=last {
            let known = year.clamp(2011, 2020);
            let Some(&total) = population.get(&(plan.name.to_string(), known)) else {
                continue;
            };
            let p = &mut self.t.population;
            p.force.push(plan.name);
            p.area.push(None);
            p.year.push(year);
            p.population.push(total);
            let mut assigned = 0i64;
            for (i, area) in self.areas.iter().enumerate() {
                let share = if i + 1 == self.areas.len() {
                    total - assigned
                } else {
                    (total as f64 * area.weight / total_weight).round() as i64
                };
                assigned += share;
                p.force.push(plan.name);
                p.area.push(Some(area.name.clone()));
                p.year.push(year);
                p.population.push(share);
            }
        }
    }
}

fn outcome_mix(group: CodeGroup) -> &'static Categorical<&'static str> {
    use std::sync::OnceLock;
    static RAPE: OnceLock<Categorical<&'static str>> = OnceLock::new();
    static OTHER: OnceLock<Categorical<&'static str>> = OnceLock::new();
    let cell = match group {
        CodeGroup::Rape => &RAPE,
        CodeGroup::OtherSexual => &OTHER,
    };
    cell.get_or_init(|| Categorical::new(&reference::closed_outcome_mix(group)))
}
