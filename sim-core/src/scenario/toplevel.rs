//! Top-level entries that are not mechanisms: expectations and drills.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::de::Spanned;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Drill, ElementId, Expectation};
use crate::units::{Duration, Fraction};

/// Every top-level key of a scenario document.
pub const TOP_LEVEL_FIELDS: &[&str] = &[
    "$schema",
    "extends",
    "version",
    "name",
    "description",
    "defaults",
    "noticed_by_users_after",
    "repair_crews",
    "suppress",
    "sites",
    "components",
    "links",
    "groups",
    "monitors",
    "backups",
    "services",
    "expect",
    "drills",
];

/// Targets CI checks, read aloud: "expect shop: min availability 99.99%, max spofs 0".
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    /// The service the targets apply to; without it, they apply to the whole design.
    pub service: Option<Spanned<String>>,
    /// Lowest acceptable availability, e.g. "99.99%".
    pub min_availability: Option<Fraction>,
    /// Two-sided target: the exact availability must lie in [low, high], e.g.
    /// ["99.99759%", "99.99760%"]: pins a figure derived by hand.
    pub availability_between: Option<Spanned<Vec<Fraction>>>,
    /// Most single points of failure allowed (0: no SPOF).
    pub max_spofs: Option<u32>,
    /// Longest acceptable data-loss window, e.g. "5s".
    pub max_rpo: Option<Duration>,
    /// Longest acceptable recovery time, e.g. "1m".
    pub max_rto: Option<Duration>,
    /// Most downtime per year, e.g. "52m" (exact analysis: failover is instant).
    pub max_downtime_per_year: Option<Duration>,
    /// Most mean downtime per year in the simulation, which counts detection,
    /// failover and reconvergence delays and waits for repair.
    pub max_simulated_downtime_per_year: Option<Duration>,
    /// Most downtime in a bad year: the 99th percentile of simulated yearly downtime.
    pub max_p99_downtime_per_year: Option<Duration>,
    /// Exactly these single points of failure (component, link or site ids): the
    /// design's known weak points, proven on every run. `[]` means none.
    pub spofs: Option<Vec<Spanned<String>>>,
    /// Findings the design must produce (codes such as "SPOF-L002" or rule names such
    /// as "bond-one-switch"): an anti-pattern's lesson. An expected finding is reported
    /// but fails nothing; a missing one fails the expectation.
    pub findings: Option<Vec<Spanned<String>>>,
    /// The named drill whose outcome `max_outage`, `max_data_loss`, `max_degraded` and
    /// `no_split_brain` judge: `check` runs that drill alone, with no random failures
    /// (as `simulate --drills-only`), e.g. "primary-db-dies".
    pub drill: Option<Spanned<String>>,
    /// Longest single outage the drill may cause (of `service`, or of any service), e.g. "5s".
    pub max_outage: Option<Duration>,
    /// Most data the drill may lose (the longest window of writes lost), e.g. "0s".
    pub max_data_loss: Option<Duration>,
    /// Most time, in all, the drill may leave the service partly serving (some requests
    /// failing: a DNS answer pointing at a dead server, a pool short of a member), e.g. "10s".
    pub max_degraded: Option<Duration>,
    /// `true`: the drill must not leave two primaries (split brain) at any moment.
    pub no_split_brain: Option<bool>,
    /// `true`: the drill must not leave two VRRP/HSRP masters answering for one virtual
    /// IP at any moment (their adverts cut off from each other).
    pub no_two_masters: Option<bool>,
}

impl ExpectSpec {
    /// Whether it states a drill target.
    fn has_drill_target(&self) -> bool {
        self.max_outage.is_some()
            || self.max_data_loss.is_some()
            || self.max_degraded.is_some()
            || self.no_split_brain.is_some()
            || self.no_two_masters.is_some()
    }

    fn is_empty(&self) -> bool {
        !self.has_drill_target()
            && self.min_availability.is_none()
            && self.availability_between.is_none()
            && self.max_spofs.is_none()
            && self.max_rpo.is_none()
            && self.max_rto.is_none()
            && self.max_downtime_per_year.is_none()
            && self.max_simulated_downtime_per_year.is_none()
            && self.max_p99_downtime_per_year.is_none()
            && self.spofs.is_none()
            && self.findings.as_ref().is_none_or(Vec::is_empty)
    }

    /// A problem that makes the block meaningless, if any. `drills` are the names the
    /// scenario's drills have.
    pub fn check(&self, drills: &[&str]) -> Option<Diagnostic> {
        let span = self.drill.as_ref().or(self.service.as_ref()).map(|s| s.span).unwrap_or_default();
        if let Some(drill) = &self.drill {
            if !self.has_drill_target() {
                return Some(
                    Diagnostic::error(Code::MissingField, drill.span, "a drill expectation states no drill target")
                        .with_help(
                        "add max_outage, max_data_loss, max_degraded, no_split_brain or no_two_masters, e.g. \"max_outage\": \"30s\"",
                    ),
                );
            }
            if !self.is_empty_apart_from_drill_targets() {
                return Some(
                    Diagnostic::error(
                        Code::ImpossibleValue,
                        drill.span,
                        "a drill expectation judges the drill alone: only max_outage, max_data_loss, max_degraded, no_split_brain and no_two_masters go with \"drill\"",
                    )
                    .with_help("put availability, SPOF, RPO and RTO targets in an expectation of their own"),
                );
            }
            if !drills.contains(&drill.value.as_str()) {
                let help = crate::diagnostics::did_you_mean(&drill.value, drills.iter().copied()).unwrap_or_else(|| {
                    if drills.is_empty() {
                        "no drill has a name: give the drill one, e.g. { \"name\": \"core-dies\", \"fail\": \"sw-1\", \"at\": \"1h\", \"for\": \"10m\" }".into()
                    } else {
                        format!("named drills: {}", drills.join(", "))
                    }
                });
                return Some(
                    Diagnostic::error(Code::UnknownId, drill.span, format!("no drill is named \"{}\"", drill.value))
                        .with_help(help),
                );
            }
            for (key, value) in [("no_split_brain", self.no_split_brain), ("no_two_masters", self.no_two_masters)] {
                if value == Some(false) {
                    return Some(
                        Diagnostic::error(
                            Code::ImpossibleValue,
                            drill.span,
                            format!("\"{key}\": false asserts nothing"),
                        )
                        .with_help(format!("write \"{key}\": true, or leave it out")),
                    );
                }
            }
        } else if self.has_drill_target() {
            return Some(
                Diagnostic::error(
                    Code::MissingField,
                    span,
                    "max_outage, max_data_loss, max_degraded, no_split_brain and no_two_masters judge a drill, and this expectation names none",
                )
                .with_help("name the drill: \"drill\": \"<its name>\" (drills take a \"name\")"),
            );
        }
        if self.findings.as_ref().is_some_and(Vec::is_empty) {
            return Some(
                Diagnostic::error(Code::MissingField, span, "\"findings\": [] names no finding")
                    .with_help("list the findings the design must produce, e.g. [\"SPOF-L002\"], or remove the key"),
            );
        }
        if self.is_empty() {
            return Some(Diagnostic::error(Code::MissingField, span, "expectation states no target").with_help(
                "add a target: min_availability, availability_between, max_spofs, spofs, findings, max_rpo, max_rto, max_downtime_per_year, max_simulated_downtime_per_year or max_p99_downtime_per_year; or, for a named drill, max_outage, max_data_loss, max_degraded, no_split_brain or no_two_masters",
            ));
        }
        if let Some(between) = &self.availability_between {
            match between.value.as_slice() {
                [low, high] if low.0 > high.0 => {
                    return Some(
                        Diagnostic::error(
                            Code::ImpossibleValue,
                            between.span,
                            format!(
                                "availability_between's low end ({}%) is above its high end ({}%): no figure can pass",
                                low.0 * 100.0,
                                high.0 * 100.0
                            ),
                        )
                        .with_help("write the range low first, e.g. [\"99.99%\", \"99.999%\"]"),
                    )
                }
                [_, _] => {}
                other => {
                    return Some(
                        Diagnostic::error(
                            Code::ImpossibleValue,
                            between.span,
                            format!("availability_between takes two values, [low, high], found {}", other.len()),
                        )
                        .with_help("write e.g. \"availability_between\": [\"99.99%\", \"99.999%\"]"),
                    )
                }
            }
        }
        None
    }

    /// No target other than the drill targets.
    fn is_empty_apart_from_drill_targets(&self) -> bool {
        let mut other = self.clone();
        (other.max_outage, other.max_data_loss, other.max_degraded, other.no_split_brain, other.no_two_masters) =
            (None, None, None, None, None);
        other.is_empty()
    }

    /// The expectation, given its resolved service, SPOF ids and finding codes.
    pub fn lower(
        &self,
        service: Option<usize>,
        spofs: Option<Vec<ElementId>>,
        findings: Vec<&'static str>,
    ) -> Option<Expectation> {
        if self.is_empty() || (self.service.is_some() && service.is_none()) {
            return None;
        }
        Some(Expectation {
            spofs,
            findings,
            service,
            min_availability: self.min_availability.map(|f| f.0),
            availability_between: self.availability_between.as_ref().and_then(|b| match b.value.as_slice() {
                [low, high] => Some((low.0, high.0)),
                _ => None,
            }),
            max_spofs: self.max_spofs,
            max_rpo_secs: self.max_rpo.map(|d| d.secs),
            max_rto_secs: self.max_rto.map(|d| d.secs),
            max_downtime_per_year_secs: self.max_downtime_per_year.map(|d| d.secs),
            max_simulated_downtime_secs: self.max_simulated_downtime_per_year.map(|d| d.secs),
            max_p99_downtime_secs: self.max_p99_downtime_per_year.map(|d| d.secs),
            drill: self.drill.as_ref().map(|d| crate::model::DrillTargets {
                name: d.value.clone(),
                max_outage_secs: self.max_outage.map(|d| d.secs),
                max_data_loss_secs: self.max_data_loss.map(|d| d.secs),
                max_degraded_secs: self.max_degraded.map(|d| d.secs),
                no_split_brain: self.no_split_brain == Some(true),
                no_two_masters: self.no_two_masters == Some(true),
            }),
            span: self.drill.as_ref().or(self.service.as_ref()).map(|s| s.span).unwrap_or_default(),
        })
    }
}

/// The canonical code of a finding named by code or rule name, or why there is none.
pub fn finding_code(name: &Spanned<String>) -> Result<&'static str, Diagnostic> {
    match crate::explain::explain(&name.value) {
        Some(e) => Ok(e.code),
        None => {
            let known = crate::explain::codes();
            let help = crate::diagnostics::did_you_mean(&name.value, known.iter().flat_map(|c| [c.0, c.1]))
                .unwrap_or_else(|| "see `spofsim explain` for every code".into());
            Err(Diagnostic::error(
                Code::ImpossibleValue,
                name.span,
                format!("no finding or lint has the code \"{}\"", name.value),
            )
            .with_help(help))
        }
    }
}

/// An accepted finding: reported with its reason, but it no longer fails the run.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuppressSpec {
    /// The finding or lint code ("SPOF-L010") or rule name ("cluster-no-quorum").
    pub code: Spanned<String>,
    /// The element, group or service it concerns; without it, every finding of the code.
    pub subject: Option<Spanned<String>>,
    /// Why it is accepted (required, shown in every report).
    pub reason: Spanned<String>,
}

impl SuppressSpec {
    /// The suppression, or what is wrong with it.
    pub fn lower(&self) -> Result<crate::model::Suppression, Diagnostic> {
        let code = finding_code(&self.code)?;
        if self.reason.value.trim().is_empty() {
            return Err(Diagnostic::error(
                Code::ImpossibleValue,
                self.reason.span,
                "a suppression needs a written reason",
            )
            .with_help(
                "say why the finding is accepted, e.g. \"reason\": \"the vendor's qdevice is outside this design\"",
            ));
        }
        Ok(crate::model::Suppression {
            code,
            subject: self.subject.as_ref().map(|s| s.value.clone()),
            reason: self.reason.value.trim().to_string(),
            span: self.code.span,
        })
    }
}

/// A scripted failure: "fail sw-1 at 30d for 1h".
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillSpec {
    /// A name, for expectations to judge its outcome (`"expect": [{ "drill": NAME, ... }]`).
    /// Drills that share a name are one rehearsal: they run together (a partition is
    /// several links failing at once).
    pub name: Option<Spanned<String>>,
    /// The component, link or site to fail.
    pub fail: Spanned<String>,
    /// When, from the start of the simulation.
    pub at: Spanned<Duration>,
    /// For how long.
    #[serde(rename = "for")]
    pub duration: Spanned<Duration>,
    /// The rebuild after this disk's failure meets an unrecoverable read error when it
    /// has no redundancy left, so the data is lost and restored from backup: the worst
    /// case of a rebuild, rehearsed. Only for a disk in a RAID group with
    /// `disk_size_tb`. Default false: the rebuild reads cleanly.
    #[serde(default)]
    pub read_error: Option<Spanned<bool>>,
}

impl DrillSpec {
    pub fn check(&self) -> Option<Diagnostic> {
        (self.duration.value.secs <= 0.0).then(|| {
            Diagnostic::error(Code::ImpossibleValue, self.duration.span, "a drill must last longer than zero")
                .with_help("write e.g. \"for\": \"10m\"")
        })
    }

    pub fn lower(&self, element: ElementId) -> Drill {
        Drill {
            name: self.name.as_ref().map(|n| n.value.clone()),
            element,
            at_secs: self.at.value.secs,
            for_secs: self.duration.value.secs,
            read_error: self.read_error.as_ref().is_some_and(|r| r.value),
            span: self.fail.span,
        }
    }
}
