//! Shared risk link groups (RFC 4202 §2.3, "Shared Risk Link Group"): a conduit, fibre
//! trunk, patch-panel splice or carrier circuit that several links are routed through.
//!
//! Lowers to: every link that lists the group in its `via` needs it, so the group's
//! failure takes all those links down at once. Two links that look redundant but share
//! one trench are one point of failure; this is how a design (or the NetBox importer,
//! which finds the shared cables and circuits by tracing each path) says so.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::model::{EdgeKind, Layer, LowerCx, Req};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};

pub static KINDS: &[&dyn Kind] = &[&KindOf::<SrlgSpec>::NEW];

/// A shared risk: the links listing it in `via` fail with it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SrlgSpec {}

impl Spec for SrlgSpec {
    const INFO: KindInfo = KindInfo {
        name: "srlg",
        section: Section::Components,
        layer: Layer::Network,
        doc: "A shared risk link group (RFC 4202): a conduit, fibre trunk or circuit several links run through.",
        // As a cable (the link kind's default); a carrier circuit should carry its SLA.
        failure: Some(("50y", "1h")),
        restart: None,
    };
    fn lower(&self, _: &mut LowerCx) {}
}

/// Whether an element is a shared risk link group (links fail with it).
pub fn is_shared_risk(e: &crate::model::Element) -> bool {
    e.kind == "srlg"
}

/// The link being lowered runs through each of `via` (shared risk link groups).
pub fn lower_via(cx: &mut LowerCx, via: &[Ref]) {
    let Some(me) = cx.me_element() else { return };
    for group in via {
        if let Some(g) = cx.resolve_element(group, &["srlg"], "a link's shared risk (via)") {
            cx.need(me, Req::Element(g), EdgeKind::Network);
        }
    }
}

#[cfg(test)]
mod tests {

    /// Two links between the same switches look redundant; through one trench they are not.
    #[test]
    fn links_through_one_srlg_fail_together() {
        let text = |via: &str| {
            format!(
                r#"{{ "components": {{ "internet": {{"kind":"entry"}}, "r": {{"kind":"router"}},
                  "trench": {{"kind":"srlg"}} }},
                  "links": [ {{"between":["internet","r"], "via": [{via}]}}, {{"between":["internet","r"], "via": [{via}]}} ],
                  "services": {{ "s": {{"from":"internet","through":["r"]}} }} }}"#
            )
        };
        for (via, trench_is_spof) in [("\"trench\"", true), ("", false)] {
            let loaded = crate::load(&text(via));
            assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
            let model = loaded.model.unwrap();
            let singles = crate::analysis::single_failures::single_failures(&model);
            let spofs: Vec<String> =
                singles[0].as_ref().unwrap().iter().map(|&e| model.element(e).name.clone()).collect();
            assert_eq!(spofs.contains(&"trench".to_string()), trench_is_spof, "{spofs:?}");
            assert!(!spofs.iter().any(|s| s.starts_with("internet~r")), "{spofs:?}");
        }
    }
}
