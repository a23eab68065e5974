//! MEF export: a fault tree as an Open-PSA MEF document SCRAM can read. Names are
//! made valid MEF identifiers (letters, digits, '-', '_'; a letter first) and unique.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::analysis::{FaultTree, Gate, Ref};

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Valid, unique MEF identifiers for `names`, in order.
fn identifiers<'a>(names: impl Iterator<Item = &'a str>, taken: &mut BTreeSet<String>) -> Vec<String> {
    names
        .map(|n| {
            let mut id: String =
                n.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
            if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
                id.insert_str(0, "x_");
            }
            let base = id.clone();
            let mut i = 2;
            while !taken.insert(id.clone()) {
                id = format!("{base}_{i}");
                i += 1;
            }
            id
        })
        .collect()
}

/// The tree as MEF XML text, its [`Gate::Reach`] gates unrolled into AND/OR gates
/// ([`crate::analysis::unroll`]); an error when that would be too large.
pub fn to_mef(tree: &FaultTree) -> Result<String, String> {
    let Some(unrolled) = crate::analysis::unroll::unrolled(tree) else {
        return Err(format!(
            "the tree's network reachability, unrolled into standard gates, would exceed {} gates; spofsim analyses it by frontier search, but MEF has no gate for it",
            crate::analysis::unroll::MAX_UNROLLED_GATES
        ));
    };
    Ok(standard_to_mef(&unrolled))
}

/// A tree of standard gates only as MEF XML text.
fn standard_to_mef(tree: &FaultTree) -> String {
    let used = tree.used_gates();
    let mut taken = BTreeSet::new();
    let gate_ids = identifiers(tree.gates.iter().map(|g| g.name.as_str()), &mut taken);
    let event_ids = identifiers(tree.events.iter().map(|e| e.name.as_str()), &mut taken);
    let arg = |r: Ref| match r {
        Ref::Event(e) => format!("<basic-event name=\"{}\"/>", event_ids[e as usize]),
        Ref::Gate(g) => format!("<gate name=\"{}\"/>", gate_ids[g as usize]),
        Ref::Const(b) => format!("<constant value=\"{b}\"/>"),
    };
    let mut out = String::from("<?xml version=\"1.0\"?>\n<opsa-mef>\n");
    let tree_name = identifiers(
        std::iter::once(if tree.name.is_empty() { "tree" } else { tree.name.as_str() }),
        &mut BTreeSet::new(),
    );
    let _ = writeln!(out, "<define-fault-tree name=\"{}\">", tree_name[0]);
    // A top that is not a gate is wrapped so SCRAM has a top gate.
    let top_gate = match tree.top {
        Some(Ref::Gate(g)) => Some(g as usize),
        Some(r) => {
            let _ = writeln!(out, "<define-gate name=\"top\">\n<or>{}</or>\n</define-gate>", arg(r));
            None
        }
        None => None,
    };
    for (i, g) in tree.gates.iter().enumerate().filter(|(i, _)| used[*i]) {
        let (open, args): (String, Vec<Ref>) = match &g.gate {
            Gate::And(a) => ("and".into(), a.clone()),
            Gate::Or(a) => ("or".into(), a.clone()),
            Gate::Xor(a) => ("xor".into(), a.clone()),
            Gate::Not(a) => ("not".into(), vec![*a]),
            Gate::AtLeast(k, a) => (format!("atleast min=\"{k}\""), a.clone()),
            Gate::Reach(_) => unreachable!("unrolled by to_mef"),
        };
        let close = open.split(' ').next().unwrap_or("and").to_string();
        let body: Vec<String> = args.into_iter().map(arg).collect();
        let label = if Some(i) == top_gate { "\n<label>top event</label>" } else { "" };
        let _ = writeln!(
            out,
            "<define-gate name=\"{}\">{label}\n<{open}>{}</{close}>\n</define-gate>",
            gate_ids[i],
            body.join("")
        );
    }
    out.push_str("</define-fault-tree>\n<model-data>\n");
    for (i, e) in tree.events.iter().enumerate() {
        let _ = writeln!(
            out,
            "<define-basic-event name=\"{}\">\n<label>{}</label>\n<float value=\"{:e}\"/>\n</define-basic-event>",
            event_ids[i],
            xml_escape(&e.name),
            e.probability
        );
    }
    out.push_str("</model-data>\n</opsa-mef>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{BasicEvent, GateDef};

    #[test]
    fn round_trips_through_import() {
        let mut t = FaultTree { name: "svc/a".into(), ..FaultTree::default() };
        for (n, p) in [("web-1/psu-1", 0.01), ("sw~1", 0.02), ("3rd", 0.5)] {
            t.events.push(BasicEvent { name: n.into(), probability: p, element: None });
        }
        t.gates.push(GateDef {
            name: "inner".into(),
            gate: Gate::AtLeast(2, vec![Ref::Event(0), Ref::Event(1), Ref::Event(2)]),
        });
        t.gates.push(GateDef { name: "down:svc".into(), gate: Gate::Or(vec![Ref::Gate(0), Ref::Const(false)]) });
        t.top = Some(Ref::Gate(1));
        let text = to_mef(&t).expect("no reach gates");
        let back = crate::mef::import(&text);
        assert!(back.diagnostics.is_empty(), "{:?}\n{text}", back.diagnostics);
        assert_eq!(back.trees.len(), 1);
        let opts = crate::analysis::Options::default();
        let a = crate::analysis::analyze_tree(&t, &opts).unwrap();
        let b = crate::analysis::analyze_tree(&back.trees[0], &opts).unwrap();
        assert!((a.probability - b.probability).abs() < 1e-15);
        assert_eq!(a.counts_by_order, b.counts_by_order);
    }
}
