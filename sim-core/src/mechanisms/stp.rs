//! Spanning Tree (IEEE 802.1D) and Rapid STP (802.1w) domains (timers: IEEE 802.1D-1998 §8;
//! RSTP: IEEE 802.1D-2004 §17).
//!
//! Redundant L2 links form loops that STP blocks. When a link on the active tree fails,
//! traffic across it stops until STP reconverges: under 802.1D a blocked port listens
//! and learns for 2 × forward delay (≈30 s) before it forwards, after stale information
//! ages out (max age, ≈20 s) where the failure was not seen directly; RSTP takes under
//! 2 s (counted as 1 s per port). The simulator's port model is in
//! `simulate::behaviours::reconverge`. A loop with no STP is a broadcast storm.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Arrangement, Attr, Layer, LowerCx, Switchover, Visibility};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<StpSpec>::NEW];

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum StpMode {
    /// IEEE 802.1D.
    Stp,
    /// IEEE 802.1w Rapid STP.
    #[default]
    Rstp,
    /// No spanning tree: loops become broadcast storms.
    None,
}

/// An STP/RSTP domain over a set of switches.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StpSpec {
    /// "rstp" (default, IEEE 802.1w), "stp" (IEEE 802.1D) or "none" (no spanning tree:
    /// loops become broadcast storms).
    #[serde(default)]
    pub mode: StpMode,
    /// The switches (or routers) in the domain.
    pub switches: Vec<Ref>,
    /// The root bridge (lowest bridge priority); one of `switches`.
    pub root: Option<Ref>,
    /// Hello time (default 2s, IEEE 802.1D); checked against max age (§8.10.2).
    pub hello: Option<Duration>,
    /// Forward delay (default 15s, IEEE 802.1D); STP reconverges in 2 × forward delay.
    pub forward_delay: Option<Duration>,
    /// Max age (default 20s, IEEE 802.1D): how long a bridge keeps information its
    /// designated bridge no longer sends, so an indirect failure costs max age + 2 ×
    /// forward delay.
    pub max_age: Option<Duration>,
}

impl Spec for StpSpec {
    const INFO: KindInfo = KindInfo {
        name: "stp",
        section: Section::Groups,
        layer: Layer::Network,
        doc: "A spanning-tree domain (STP or RSTP) with its timers.",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        super::check_distinct(cx, &self.switches, "an STP domain");
        let switches = super::resolve_elements(cx, &self.switches, &["switch", "router"], "an STP member");
        if let Some(root) = &self.root {
            if !self.switches.iter().any(|s| s.value == root.value) {
                cx.error(
                    Code::ImpossibleValue,
                    root.span,
                    format!("root bridge \"{}\" is not in this domain's switches", root.value),
                    "add it to \"switches\" or pick one of them",
                );
            }
        }
        let hello = self.hello.map_or(2.0, |d| d.secs);
        let fwd = self.forward_delay.map_or(15.0, |d| d.secs);
        let max_age = self.max_age.map_or(20.0, |d| d.secs);
        if hello <= 0.0 || fwd <= 0.0 || max_age <= 0.0 {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "STP timers must be longer than zero",
                "802.1D defaults: hello 2s, forward_delay 15s, max_age 20s",
            );
            return;
        }
        // 802.1D §8.10.2: 2 × (forward_delay − 1 s) ≥ max_age ≥ 2 × (hello + 1 s).
        if 2.0 * (fwd - 1.0) < max_age || max_age < 2.0 * (hello + 1.0) {
            cx.warn(
                cx.span,
                "STP timers break the 802.1D rule 2 × (forward_delay − 1s) ≥ max_age ≥ 2 × (hello + 1s)",
                "bridges may reject these timers; keep the defaults (2s, 15s, 20s) unless you must",
            );
        }
        let (direct, indirect) = match self.mode {
            StpMode::Stp => (2.0 * fwd, max_age + 2.0 * fwd),
            StpMode::Rstp => (1.0, 3.0 * hello),
            StpMode::None => (0.0, 0.0),
        };
        let mode = match self.mode {
            StpMode::Stp => "stp",
            StpMode::Rstp => "rstp",
            StpMode::None => "none",
        };
        cx.set_members(switches);
        if let Some(g) = cx.group_mut() {
            g.arrangement = Arrangement::ActiveActive { need: 1 };
            g.switchover = (self.mode != StpMode::None).then_some(Switchover {
                detect_secs: indirect - direct,
                takeover_secs: direct,
                sees: Visibility::Peers,
            });
        }
        cx.attr("mode", Attr::Text(mode.into()));
        cx.attr("hello", Attr::Secs(hello));
        cx.attr("forward_delay", Attr::Secs(fwd));
        cx.attr("max_age", Attr::Secs(max_age));
        cx.attr("reconverge_direct", Attr::Secs(direct));
        cx.attr("reconverge_indirect", Attr::Secs(indirect));
        if let Some(root) = &self.root {
            cx.attr("root", Attr::Text(root.value.clone()));
        }
    }
}

/// Simulated timing: how long stale information lives and how long a blocked port
/// takes to forward (see `simulate::behaviours::reconverge`).
pub fn profile(model: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::model::{secs_attr, text_attr};
    use crate::simulate::{Behaviour, SimProfile, StpTimers};
    let mode = match text_attr(&g.attrs, "mode") {
        Some("rstp") => "rstp",
        Some("none") => "none",
        _ => "stp",
    };
    let stp = StpTimers {
        mode,
        stale_info_secs: if mode == "stp" { secs_attr(&g.attrs, "max_age").unwrap_or(0.0) } else { 0.0 },
        to_forwarding_secs: secs_attr(&g.attrs, "reconverge_direct").unwrap_or(0.0),
        root: text_attr(&g.attrs, "root").and_then(|r| model.element_by_name(r)).map(|e| e.id),
    };
    SimProfile { stp: Some(stp), ..SimProfile::plain(Behaviour::Reconverge) }
}
