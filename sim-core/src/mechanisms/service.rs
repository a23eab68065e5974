//! Services: what users care about. A service starts at an entry point and passes
//! through tiers in order (a VIP or balancer, a web pool, an AP pool, a DB cluster);
//! it is up when every tier works and each tier reaches the next.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::diagnostics::Code;
use crate::model::{EdgeKind, Layer, LowerCx, NodeRef, Req, Target};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};

pub static KINDS: &[&dyn Kind] = &[&KindOf::<ServiceSpec>::NEW];

/// A service users reach from an entry point through tiers.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Where users come from (an `entry`).
    pub from: Ref,
    /// The tiers a request passes, in order: components or groups.
    pub through: Vec<Ref>,
}

impl Spec for ServiceSpec {
    const INFO: KindInfo = KindInfo {
        name: "service",
        section: Section::Services,
        layer: Layer::Entry,
        doc: "A service: an entry point and the tiers a request passes through.",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Target::Service(s) = cx.me else { return };
        if self.through.is_empty() {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "a service passes through no tier",
                "list the tiers in order, e.g. \"through\": [\"lb-vip\", \"web-pool\", \"db-cluster\"]",
            );
            return;
        }
        let from = cx.resolve_element(&self.from, &["entry"], "a service's entry point");
        let mut tiers = Vec::new();
        let mut needs = Req::Always;
        for t in &self.through {
            let kinds: Vec<&str> = crate::mechanisms::all()
                .map(|k| k.info().name)
                .filter(|&k| k != "service" && k != "site" && k != "entry")
                .collect();
            match cx.resolve(t, &kinds, "a service tier") {
                Some(Target::Element(e)) => {
                    tiers.push(NodeRef::Element(e));
                    needs = needs.and(Req::Element(e));
                }
                Some(Target::Group(g)) => {
                    tiers.push(NodeRef::Group(g));
                    needs = needs.and(Req::Group(g));
                }
                _ => {}
            }
        }
        let Some(from) = from else { return };
        if tiers.len() != self.through.len() {
            return;
        }
        for &t in &tiers {
            cx.builder.edge(NodeRef::Service(s), t, EdgeKind::Serves);
        }
        let svc = &mut cx.builder.model.services[s as usize];
        svc.from = from;
        svc.through = tiers;
        svc.needs = needs;
    }
}
