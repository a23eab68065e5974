//! The compiled model as plain JSON: elements with their failure rates and
//! requirements, groups, links, attachments and services. For peer tools (the SimPy
//! benchmark reads it) and for anyone who wants the semantic model without our parser.
//! Indices are the dense ids; output is in id order, so it is stable.

use serde_json::{json, Value};

use crate::model::{Arrangement, Model, NodeRef, Req};

fn req(r: &Req) -> Value {
    match r {
        Req::Always => Value::Bool(true),
        Req::Element(e) => json!({ "e": e.0 }),
        Req::Group(g) => json!({ "g": g.0 }),
        Req::All(of) => json!({ "all": of.iter().map(req).collect::<Vec<_>>() }),
        Req::AtLeast { k, of } => json!({ "atleast": [k, of.iter().map(req).collect::<Vec<_>>()] }),
        Req::Path { from, to, .. } => json!({ "path": [from.0, to.0] }),
    }
}

fn node(n: NodeRef) -> Value {
    match n {
        NodeRef::Element(e) => json!({ "e": e.0 }),
        NodeRef::Group(g) => json!({ "g": g.0 }),
        NodeRef::Service(s) => json!({ "s": s }),
    }
}

pub fn to_model_json(model: &Model) -> String {
    let elements: Vec<Value> = model
        .elements
        .iter()
        .map(|e| {
            json!({
                "name": e.name,
                "kind": e.kind,
                "mtbf_secs": e.failure.map(|f| f.mtbf_secs),
                "mttr_secs": e.failure.map(|f| f.mttr_secs),
                "needs": req(&e.needs),
                "forwarding": crate::model::FORWARDING.contains(&e.kind),
            })
        })
        .collect();
    let groups: Vec<Value> = model
        .groups
        .iter()
        .map(|g| {
            json!({
                "name": g.name,
                "kind": g.kind,
                "members": g.members.iter().map(|m| m.0).collect::<Vec<_>>(),
                "need": match g.arrangement { Arrangement::ActiveActive { need } => need, Arrangement::ActiveStandby => 1 },
                "quorum": model.quorum_device(g.id).map(|q| q.0),
                "needs": req(&g.needs),
            })
        })
        .collect();
    let services: Vec<Value> = model
        .services
        .iter()
        .map(|s| {
            let mut hops = Vec::new();
            let mut previous = NodeRef::Element(s.from);
            for &tier in &s.through {
                let ids = |n: NodeRef| model.anchors(n).iter().map(|e| e.0).collect::<Vec<_>>();
                hops.push(json!([ids(previous), ids(tier)]));
                previous = tier;
            }
            json!({ "name": s.name, "from": s.from.0, "tiers": s.through.iter().map(|&t| node(t)).collect::<Vec<_>>(), "hops": hops })
        })
        .collect();
    let out = json!({
        "format": "spofsim-model",
        "version": 1,
        "name": model.name,
        "elements": elements,
        "groups": groups,
        "links": model.links.iter().map(|l| json!([l.a.0, l.b.0, l.element.0])).collect::<Vec<_>>(),
        "attachments": model.attachments.iter().map(|(a, b)| json!([a.0, b.0])).collect::<Vec<_>>(),
        "services": services,
    });
    serde_json::to_string(&out).unwrap_or_default() + "\n"
}
