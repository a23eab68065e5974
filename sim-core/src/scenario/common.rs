//! Fields every element kind accepts (site, failure behaviour, description), and the
//! resolution of failure models: entry → scenario `defaults` → built-in kind default.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::de::Spanned;
use crate::model::{Distribution, FailureModel};
use crate::syntax::Span;
use crate::units::{parse_duration, Duration, Fraction};

/// Failure behaviour as written: MTBF and MTTR, or an availability.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FailureSpec {
    /// Mean time between failures, e.g. "5y".
    pub mtbf: Option<Spanned<Duration>>,
    /// Mean time to repair once the failure is known, e.g. "4h".
    pub mttr: Option<Spanned<Duration>>,
    /// Steady-state availability instead of an MTBF, e.g. "99.95%" (uses the MTTR).
    pub availability: Option<Spanned<Fraction>>,
    /// Time-to-failure distribution; exponential unless stated.
    pub distribution: Option<Spanned<DistributionSpec>>,
    /// Time to return to service once its power is back, for kinds that boot,
    /// e.g. "5m" (`mechanisms::restart` gives each kind's default and its source).
    pub restart: Option<Spanned<Duration>>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DistributionSpec {
    Exponential,
    /// Weibull with this shape (> 1: wear-out, < 1: infant mortality); mean = the MTBF.
    Weibull {
        /// Shape k, above zero (1 is exponential), e.g.
        /// `"distribution": {"weibull": {"shape": 1.5}}`.
        shape: f64,
    },
    /// Lognormal with this sigma; mean = the MTBF.
    Lognormal {
        /// Sigma, the spread of ln(time to failure), above zero, e.g.
        /// `"distribution": {"lognormal": {"sigma": 0.8}}`.
        sigma: f64,
    },
}

/// Fields shared by every element kind.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommonSpec {
    /// The site this element stands in; it goes down with the site.
    pub site: Option<Spanned<String>>,
    /// Free text for people; ignored by the analysis.
    pub description: Option<String>,
    /// Mean time between failures, e.g. "5y" (overrides the kind's default).
    pub mtbf: Option<Spanned<Duration>>,
    /// Mean time to repair once the failure is known, e.g. "4h".
    pub mttr: Option<Spanned<Duration>>,
    /// Steady-state availability instead of an MTBF, e.g. "99.95%".
    pub availability: Option<Spanned<Fraction>>,
    /// Time-to-failure distribution: "exponential" (default), {"weibull": {"shape": k}}
    /// or {"lognormal": {"sigma": s}}.
    pub distribution: Option<Spanned<DistributionSpec>>,
    /// Time to return to service once its power is back: self test, boot,
    /// services started, e.g. "8m" (overrides the kind's default; devices that boot
    /// only).
    pub restart: Option<Spanned<Duration>>,
}

/// Keys of [`CommonSpec`] (split off an entry before its kind's spec decodes it).
pub const COMMON_FIELDS: &[&str] = &["site", "description", "mtbf", "mttr", "availability", "distribution", "restart"];
/// Keys accepted by group-like entries besides their spec.
pub const GROUP_COMMON_FIELDS: &[&str] = &["description"];

impl CommonSpec {
    pub fn failure(&self) -> FailureSpec {
        FailureSpec {
            mtbf: self.mtbf.clone(),
            mttr: self.mttr.clone(),
            availability: self.availability.clone(),
            distribution: self.distribution.clone(),
            restart: self.restart.clone(),
        }
    }
}

/// An error in a failure spec, with the span to blame.
pub struct FailureError {
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// Applies `spec` on top of `base`; `base` is the kind's (possibly overridden) default.
pub fn resolve_failure(spec: &FailureSpec, base: Option<FailureModel>) -> Result<Option<FailureModel>, FailureError> {
    let distribution = match &spec.distribution {
        None => base.map_or(Distribution::Exponential, |b| b.distribution),
        Some(d) => match d.value {
            DistributionSpec::Exponential => Distribution::Exponential,
            DistributionSpec::Weibull { shape } if shape > 0.0 && shape.is_finite() => Distribution::Weibull { shape },
            DistributionSpec::Lognormal { sigma } if sigma > 0.0 && sigma.is_finite() => {
                Distribution::Lognormal { sigma }
            }
            _ => {
                return Err(FailureError {
                    span: d.span,
                    message: "distribution parameter must be positive".into(),
                    help: "e.g. {\"weibull\": {\"shape\": 1.5}} or {\"lognormal\": {\"sigma\": 0.8}}".into(),
                })
            }
        },
    };
    if let (Some(m), Some(a)) = (&spec.mtbf, &spec.availability) {
        let span = if a.span.start > m.span.start { a.span } else { m.span };
        return Err(FailureError {
            span,
            message: "both mtbf and availability are given".into(),
            help: "give either mtbf (with mttr) or availability (with mttr), not both".into(),
        });
    }
    if let Some(m) = &spec.mtbf {
        if m.value.secs <= 0.0 {
            return Err(FailureError {
                span: m.span,
                message: "mtbf must be longer than zero".into(),
                help: "a component that never fails needs no mtbf; use \"availability\": \"100%\"".into(),
            });
        }
    }
    let mttr_secs = spec.mttr.as_ref().map(|m| m.value.secs).or(base.map(|b| b.mttr_secs)).unwrap_or(4.0 * 3600.0);
    if let Some(a) = &spec.availability {
        let av = a.value.0;
        if av >= 1.0 {
            return Ok(None);
        }
        if av <= 0.0 {
            return Err(FailureError {
                span: a.span,
                message: "availability 0% means always down".into(),
                help: "give the fraction of time the component works, e.g. \"99.9%\"".into(),
            });
        }
        if mttr_secs <= 0.0 {
            return Err(FailureError {
                span: a.span,
                message: "an availability below 100% needs an mttr longer than zero".into(),
                help: "add \"mttr\": \"4h\" (or similar)".into(),
            });
        }
        return Ok(Some(FailureModel { mtbf_secs: mttr_secs * av / (1.0 - av), mttr_secs, distribution }));
    }
    let mtbf_secs = match (&spec.mtbf, base) {
        (Some(m), _) => m.value.secs,
        (None, Some(b)) => b.mtbf_secs,
        (None, None) if spec.mttr.is_some() || spec.distribution.is_some() => {
            let span =
                spec.mttr.as_ref().map(|m| m.span).or(spec.distribution.as_ref().map(|d| d.span)).unwrap_or_default();
            return Err(FailureError {
                span,
                message: "this kind does not fail by default, so it needs an mtbf".into(),
                help: "add \"mtbf\": \"10y\" (or an \"availability\")".into(),
            });
        }
        (None, None) => return Ok(None),
    };
    Ok(Some(FailureModel { mtbf_secs, mttr_secs, distribution }))
}

/// A kind's built-in failure model from its [`crate::scenario::KindInfo`].
pub fn builtin_failure(failure: Option<(&str, &str)>) -> Option<FailureModel> {
    let (mtbf, mttr) = failure?;
    let mtbf_secs = parse_duration(mtbf).ok()?.secs;
    let mttr_secs = parse_duration(mttr).ok()?.secs;
    Some(FailureModel { mtbf_secs, mttr_secs, distribution: Distribution::Exponential })
}
