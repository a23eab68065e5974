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

#[cfg(test)]
mod tests {
    /// Found by a NetBox trial: a branch's outage, waiting for its own router's repair,
    /// was labelled "<other branch> disaster" while that branch's site was down, because
    /// the other branch sits on an alternative path. Here `web` hangs on two switches in
    /// sites s1 and s2; `web` fails for 2 h and s2 is lost for 1 h in the middle: the
    /// outage waits for `web`'s repair throughout. When the sites themselves start the
    /// outage (both switches' sites lost at once), the label is a disaster.
    #[test]
    fn a_site_elsewhere_on_the_path_is_not_what_an_outage_waits_for() {
        let text = r#"{ "defaults": { "server": { "availability": "100%" }, "nic": { "availability": "100%" },
              "switch": { "availability": "100%" }, "link": { "availability": "100%" },
              "process": { "availability": "100%" } },
            "sites": { "s1": { "availability": "100%" }, "s2": { "availability": "100%" } },
            "components": { "internet": { "kind": "entry" },
              "sw-1": { "kind": "switch", "site": "s1" }, "sw-2": { "kind": "switch", "site": "s2" },
              "web": { "kind": "server", "nics": ["sw-1", "sw-2"], "runs": ["web"], "restart": "0s" } },
            "links": [ { "between": ["internet", "sw-1"] }, { "between": ["internet", "sw-2"] } ],
            "services": { "s": { "from": "internet", "through": ["web/web"] } },
            "drills": [ { "fail": "web", "at": "1h", "for": "2h" }, { "fail": "s2", "at": "90m", "for": "1h" },
                        { "fail": "s1", "at": "10h", "for": "2h" }, { "fail": "s2", "at": "10h", "for": "1h" } ] }"#;
        let loaded = crate::load(text);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        let options =
            crate::simulate::SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
        let s = &crate::simulate::simulate(&m, &options).services[0];
        let lines: Vec<(f64, f64, &str)> =
            s.timeline.iter().map(|i| (i.start_secs / 60.0, i.end_secs / 60.0, i.mechanism.as_str())).collect();
        assert_eq!(lines[0], (60.0, 180.0, "repair"), "{lines:?}");
        // Down while both sites are (s2 back at 11 h brings sw-2 back), and waiting for them.
        assert_eq!((lines[1].0, lines[1].1), (600.0, 660.0), "{lines:?}");
        assert!(lines[1].2 == "s1 disaster" || lines[1].2 == "s2 disaster", "{lines:?}");
        assert_eq!(lines.len(), 2, "{lines:?}");
    }
}
