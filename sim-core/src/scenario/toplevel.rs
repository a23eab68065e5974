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
    /// Most single points of failure allowed (0: no SPOF).
    pub max_spofs: Option<u32>,
    /// Longest acceptable data-loss window, e.g. "5s".
    pub max_rpo: Option<Duration>,
    /// Longest acceptable recovery time, e.g. "1m".
    pub max_rto: Option<Duration>,
    /// Most downtime per year, e.g. "52m".
    pub max_downtime_per_year: Option<Duration>,
}

impl ExpectSpec {
    fn is_empty(&self) -> bool {
        self.min_availability.is_none()
            && self.max_spofs.is_none()
            && self.max_rpo.is_none()
            && self.max_rto.is_none()
            && self.max_downtime_per_year.is_none()
    }

    /// A problem that makes the block meaningless, if any.
    pub fn check(&self) -> Option<Diagnostic> {
        if self.is_empty() {
            let span = self.service.as_ref().map(|s| s.span).unwrap_or_default();
            return Some(
                Diagnostic::error(Code::MissingField, span, "expectation states no target")
                    .with_help("add a target: min_availability, max_spofs, max_rpo, max_rto or max_downtime_per_year"),
            );
        }
        None
    }

    pub fn lower(&self, service: Option<usize>) -> Option<Expectation> {
        if self.is_empty() || (self.service.is_some() && service.is_none()) {
            return None;
        }
        Some(Expectation {
            service,
            min_availability: self.min_availability.map(|f| f.0),
            max_spofs: self.max_spofs,
            max_rpo_secs: self.max_rpo.map(|d| d.secs),
            max_rto_secs: self.max_rto.map(|d| d.secs),
            max_downtime_per_year_secs: self.max_downtime_per_year.map(|d| d.secs),
            span: self.service.as_ref().map(|s| s.span).unwrap_or_default(),
        })
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
        let Some(e) = crate::explain::explain(&self.code.value) else {
            let known = crate::explain::codes();
            let help = crate::diagnostics::did_you_mean(&self.code.value, known.iter().map(|c| c.0))
                .unwrap_or_else(|| "see `spofsim explain` for every code".into());
            return Err(Diagnostic::error(
                Code::ImpossibleValue,
                self.code.span,
                format!("no finding or lint has the code \"{}\"", self.code.value),
            )
            .with_help(help));
        };
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
            code: e.code,
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
    /// The component, link or site to fail.
    pub fail: Spanned<String>,
    /// When, from the start of the simulation.
    pub at: Spanned<Duration>,
    /// For how long.
    #[serde(rename = "for")]
    pub duration: Spanned<Duration>,
}

impl DrillSpec {
    pub fn check(&self) -> Option<Diagnostic> {
        (self.duration.value.secs <= 0.0).then(|| {
            Diagnostic::error(Code::ImpossibleValue, self.duration.span, "a drill must last longer than zero")
                .with_help("write e.g. \"for\": \"10m\"")
        })
    }

    pub fn lower(&self, element: ElementId) -> Drill {
        Drill { element, at_secs: self.at.value.secs, for_secs: self.duration.value.secs, span: self.fail.span }
    }
}
