//! Sites: a disaster takes down everything in the site at once (common cause).
//! A site may be the disaster-recovery (DR) site of another, at a hot, warm or cold
//! tier (NIST SP 800-34 Rev. 1 §3.4.3, §5.1.5); the tier sets the default RTO.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::model::{Attr, EdgeKind, Layer, LowerCx, NodeRef};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<SiteSpec>::NEW];

/// A site (data centre or cloud region). Its `mtbf` is the mean time between disasters.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteSpec {
    /// This site is the disaster-recovery site of another.
    pub dr: Option<DrSpec>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrSpec {
    /// The primary site this one takes over from.
    pub of: Ref,
    /// "hot", "warm", "cold" or "cloud" (NIST SP 800-34 Rev. 1 §3.4.3); sets the default
    /// RTO, e.g. `"tier": "warm"`.
    pub tier: DrTier,
    /// Time to bring service up here; defaults by tier (hot 5m, warm 4h, cold 3d, cloud 1h).
    pub rto: Option<Duration>,
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DrTier {
    /// Running and synchronised.
    Hot,
    /// Partly running, synchronised periodically.
    Warm,
    /// Space and minimal gear; days to recover.
    Cold,
    /// Capacity started in a cloud on demand.
    Cloud,
}

impl DrTier {
    pub fn default_rto_secs(self) -> f64 {
        match self {
            DrTier::Hot => 300.0,
            DrTier::Warm => 4.0 * 3600.0,
            DrTier::Cold => 3.0 * 86_400.0,
            DrTier::Cloud => 3600.0,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            DrTier::Hot => "hot",
            DrTier::Warm => "warm",
            DrTier::Cold => "cold",
            DrTier::Cloud => "cloud",
        }
    }
}

impl Spec for SiteSpec {
    const INFO: KindInfo = KindInfo {
        name: "site",
        section: Section::Sites,
        layer: Layer::Site,
        doc: "A site; a disaster there fails everything in it at once.",
        // Published regional-disaster frequencies are of the order of one per century.
        failure: Some(("100y", "30d")),
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(dr) = &self.dr else { return };
        let Some(me) = cx.me_element() else { return };
        if dr.of.value == cx.me_name() {
            cx.error(
                crate::diagnostics::Code::ImpossibleValue,
                dr.of.span,
                "a site cannot be its own DR site",
                "name the primary site this one recovers",
            );
            return;
        }
        if let Some(primary) = cx.resolve_element(&dr.of, &["site"], "a DR site's primary") {
            cx.attr("dr_tier", Attr::Text(dr.tier.as_str().into()));
            let rto_secs = dr.rto.map_or(dr.tier.default_rto_secs(), |d| d.secs);
            cx.attr("dr_rto", Attr::Secs(rto_secs));
            cx.builder.model.elements[me.0 as usize].dr_rto_secs = Some(rto_secs);
            cx.builder.edge(NodeRef::Element(me), NodeRef::Element(primary), EdgeKind::Replication);
        }
    }
}
