//! SPOF-L004 l2-loop-without-stp: switches wired in a loop that no spanning tree blocks.

use std::collections::BTreeSet;

use super::{groups_of_kind, hit, text_attr, Hit, Lint, Severity};
use crate::model::{ElementId, Model};

pub static LINT: Lint = Lint {
    code: "SPOF-L004",
    name: "l2-loop-without-stp",
    severity: Severity::Error,
    summary: "Switches form a loop with no STP/RSTP domain covering it.",
    rationale: "IEEE 802.1D-2004 §17 (RSTP): the active topology of a bridged LAN must be loop-free, one active path between two points; redundant links form loops that Spanning Tree blocks. A loop without STP is a broadcast storm.",
    fix: "Declare an \"stp\" group (mode \"rstp\") over the looped switches, or remove the redundant link.",
    example: r#""l2": { "kind": "stp", "mode": "rstp", "switches": ["sw-1", "sw-2"], "root": "sw-1" }"#,
    check,
};

/// "a, b, c and 12 more".
fn short_list(names: &[&str]) -> String {
    const SHOWN: usize = 5;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..SHOWN].join(", "), names.len() - SHOWN)
    }
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn check(model: &Model) -> Vec<Hit> {
    let n = model.elements.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut looped_roots = BTreeSet::new();
    let is_switch = |e: ElementId| model.element(e).kind == "switch";
    let switch_links: Vec<_> = model.links.iter().filter(|l| is_switch(l.a) && is_switch(l.b)).collect();
    // Members of one aggregate (IEEE 802.1AX) between the same two switches are one link.
    let mut aggregates: BTreeSet<(ElementId, ElementId, &str)> = BTreeSet::new();
    for l in &switch_links {
        if let Some(lag) = crate::mechanisms::network::lag_of(model, l.element) {
            if !aggregates.insert((l.a.min(l.b), l.a.max(l.b), lag)) {
                continue;
            }
        }
        let (ra, rb) = (find(&mut parent, l.a.0 as usize), find(&mut parent, l.b.0 as usize));
        if ra == rb {
            looped_roots.insert(ra);
        } else {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let protected: BTreeSet<ElementId> = groups_of_kind(model, "stp")
        .filter(|g| text_attr(&g.attrs, "mode") != Some("none"))
        .flat_map(|g| g.members.iter().copied())
        .collect();
    let mut out = Vec::new();
    let roots: BTreeSet<usize> = looped_roots.iter().map(|&r| find(&mut parent, r)).collect();
    for root in roots {
        let members: Vec<ElementId> = (0..n)
            .filter(|&i| is_switch(ElementId(i as u32)) && find(&mut parent, i) == root)
            .map(|i| ElementId(i as u32))
            .collect();
        let bare: Vec<&str> =
            members.iter().filter(|m| !protected.contains(m)).map(|m| model.element(*m).name.as_str()).collect();
        if !bare.is_empty() {
            let first = model.element(members[0]);
            let names: Vec<&str> = members.iter().map(|m| model.element(*m).name.as_str()).collect();
            let message =
                format!("switches {} form a loop, and {} run no spanning tree", short_list(&names), short_list(&bare));
            out.push(hit(first.span, &first.name, message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::{codes_for, only};

    const BAD: &str = r#"{ "components": { "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" }, "sw-3": { "kind": "switch" } },
      "links": [ { "between": ["sw-1", "sw-2"] }, { "between": ["sw-2", "sw-3"] }, { "between": ["sw-3", "sw-1"] } ] }"#;

    #[test]
    fn fires_on_a_loop_without_stp() {
        assert_eq!(only("SPOF-L004", BAD), ["SPOF-L004 sw-1"]);
    }

    #[test]
    fn quiet_when_rstp_covers_the_loop() {
        let good = format!(
            "{}, \"groups\": {{ \"l2\": {{ \"kind\": \"stp\", \"switches\": [\"sw-1\", \"sw-2\", \"sw-3\"] }} }} }}",
            BAD.trim_end().trim_end_matches('}')
        );
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L004")), "{:?}", codes_for(&good));
    }

    /// Two cables between two switches loop, unless they are one LACP aggregate; two
    /// aggregates between the same pair loop again.
    #[test]
    fn an_aggregate_is_one_link() {
        let pair = |lags: [&str; 2]| {
            format!(
                r#"{{ "components": {{ "sw-1": {{ "kind": "switch" }}, "sw-2": {{ "kind": "switch" }} }},
                  "links": [ {{ "between": ["sw-1", "sw-2"]{} }}, {{ "between": ["sw-1", "sw-2"]{} }} ] }}"#,
                lags[0], lags[1]
            )
        };
        let lag = |name: &str| format!(r#", "lag": "{name}""#);
        assert_eq!(only("SPOF-L004", &pair(["", ""])), ["SPOF-L004 sw-1"]);
        assert!(only("SPOF-L004", &pair([&lag("po1"), &lag("po1")])).is_empty());
        assert_eq!(only("SPOF-L004", &pair([&lag("po1"), &lag("po2")])), ["SPOF-L004 sw-1"]);
    }
}
