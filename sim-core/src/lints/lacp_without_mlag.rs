//! SPOF-L038 lacp-without-mlag: a server's LACP bond spans switches that are not one
//! MLAG pair, so only one switch carries its traffic and the bond fails over as an
//! active-backup bond that only sees its own links.

use super::{hit, Hit, Lint, Severity};
use crate::mechanisms::bond::{bond_switches, first_switch, lacp_without_mlag};
use crate::model::Model;

pub static LINT: Lint = Lint {
    code: "SPOF-L038",
    name: "lacp-without-mlag",
    severity: Severity::Warning,
    summary: "A LACP bond spans switches that are not one MLAG pair: only one switch carries its traffic, and the bond moves to the other only when every link to the first is down.",
    rationale: "IEEE 802.1AX (802.3ad) aggregates only links to one partner system: two independent switches answer LACP with two system ids, so the Linux bond forms one aggregator per switch and uses one (bonding.rst, 'ad_select': with the default `stable`, 'reselection of the active aggregator occurs only when all slaves of the active aggregator are down'). The bond then behaves as active-backup monitored by MII (802.3ad forces miimon to 100 ms when unset: drivers/net/bonding/bond_main.c, bond_check_params): a failure beyond the active switch's port, such as its uplink, is never seen and the server stays cut off until the repair, and the bond does not move back when the first switch returns. Multi-chassis link aggregation (Cisco vPC, Arista MLAG, Juniper MC-LAG; IEEE 802.1AX-2014's Distributed Resilient Network Interconnect) makes the pair one partner, and traffic arriving at the switch that lost its uplink crosses the peer link. spofsim plays the bond as active-backup with MII unless the switches are declared a pair; a declared pair is taken as aggregating whatever its peer link does (model the peer link as an ordinary link: a vPC secondary that suspends its ports when the peer link fails is not modelled).",
    fix: "If the two switches run vPC / MLAG / MC-LAG, say so (\"mlag_peer\": \"sw-2\" on sw-1); otherwise use an active-backup bond with ARP monitoring and validation (\"monitor\": { \"arp\": { \"targets\": [\"gw-1\", \"gw-2\"], \"validate\": \"all\" } }), which sees a failure beyond the switch.",
    example: r#""sw-1": { "kind": "switch", "mlag_peer": "sw-2" }"#,
    check,
};

/// O(groups × links).
fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for g in model.groups.iter().filter(|g| lacp_without_mlag(model, g)) {
        let names: Vec<&str> = bond_switches(model, g).into_iter().map(|s| model.element(s).name.as_str()).collect();
        // The bond starts on its first NIC: the switch that NIC is cabled to.
        let first = first_switch(model, g).map_or(names[0], |s| model.element(s).name.as_str());
        out.push(hit(
            g.span,
            &g.name,
            format!(
                "{}'s LACP bond spans {}, which are not one MLAG pair: it forms one aggregator per switch and carries traffic on {} alone, moving only when all its links there are down (a failure beyond the switch is never seen)",
                g.name,
                names.join(" and "),
                first
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    /// web's LACP bond to sw-1 and sw-2, each with its own uplink to the gateway (1% down
    /// each) and no link between them; the service runs on web.
    fn design(peer: &str) -> String {
        format!(
            r#"{{ "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }},
                              "server": {{ "availability": "100%" }}, "process": {{ "availability": "100%" }},
                              "router": {{ "availability": "100%" }}, "switch": {{ "availability": "100%" }} }},
                "components": {{ "internet": {{ "kind": "entry" }}, "gw": {{ "kind": "router" }},
                "sw-1": {{ "kind": "switch" {peer} }}, "sw-2": {{ "kind": "switch" }},
                "web": {{ "kind": "server", "bond": {{ "mode": "lacp", "to": ["sw-1", "sw-2"] }}, "runs": ["web"] }} }},
              "links": [ {{ "between": ["internet", "gw"] }}, {{ "between": ["gw", "sw-1"], "availability": "99%" }},
                         {{ "between": ["gw", "sw-2"], "availability": "99%" }} ],
              "services": {{ "s": {{ "from": "internet", "through": ["web/web"] }} }} }}"#
        )
    }

    #[test]
    fn fires_on_lacp_across_two_independent_switches() {
        let model = crate::load(&design("")).model.expect("loads");
        let hits: Vec<String> = super::check(&model).into_iter().map(|h| h.message).collect();
        assert_eq!(hits.len(), 1, "{hits:#?}");
        assert!(
            hits[0].contains("web/bond's LACP bond spans sw-1 and sw-2, which are not one MLAG pair"),
            "{}",
            hits[0]
        );
    }

    #[test]
    fn quiet_on_an_mlag_pair_or_one_switch() {
        assert!(only("SPOF-L038", &design(r#", "mlag_peer": "sw-2""#)).is_empty());
        let one = design("").replace(r#""to": ["sw-1", "sw-2"]"#, r#""to": ["sw-1", "sw-1"]"#);
        assert!(only("SPOF-L038", &one).is_empty());
    }

    /// The findings follow: across an MLAG pair either uplink may fail (no single point
    /// of failure); across independent switches the bond stays on sw-1, where its own
    /// links never fail, and MII never sees sw-1's uplink fail: that uplink takes the
    /// server down for all of its outage (a failure the failover does not see, which
    /// the SPOF list and the figure with timings count; the ideal figure, which assumes
    /// every failover is seen, is q² = 1e-4 both ways).
    #[test]
    fn an_mlag_pair_aggregates_and_independent_switches_do_not() {
        let unseen = |text: &str| {
            let model = crate::load(text).model.expect("loads");
            let tree = crate::analysis::structure::service_trees(&model).remove(0).expect("a tree");
            let u =
                crate::analysis::analyze_tree(&tree, &crate::analysis::Options::default()).expect("exact").probability;
            assert!((u - 1e-4).abs() < 1e-12, "{u}");
            let mut names = Vec::new();
            for uplink in ["gw~sw-1", "gw~sw-2"] {
                let e = model.element_by_name(uplink).expect("uplink").id;
                if !crate::timed::unseen_failures(&model, &[e]).is_empty() {
                    names.push(uplink);
                }
            }
            names
        };
        assert_eq!(unseen(&design(r#", "mlag_peer": "sw-2""#)), Vec::<&str>::new());
        assert_eq!(unseen(&design("")), vec!["gw~sw-1"]);
    }
}
