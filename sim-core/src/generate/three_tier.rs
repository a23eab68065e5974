//! A classic three-tier design at scale (every layer doubled), over
//! `sites` sites of `racks` racks with `servers_per_rack` servers each. Per site: two
//! power sides (feed → UPS → PDU), a VRRP gateway pair, an RSTP core pair with two
//! top-of-rack switches per rack (each cabled to both cores), and an LB pair with a
//! VIP. Every server has two PSUs (one per side) and a bond to its rack's two ToRs,
//! and runs web, ap or db in turn. One service `shop` passes through the web pool, the
//! AP pool and an active-standby DB cluster; with two or more sites, GSLB is in front,
//! the pools span the sites, and the primary DB replicates asynchronously to one DB
//! node in every other site.

use serde_json::{json, Map, Value};

/// The scenario text; `sites`, `racks` and `servers_per_rack` are at least 1, each
/// site needs at least three servers (one per tier), and every third server of a site
/// runs the database, whose cluster needs two nodes in all (the CLI checks both).
pub fn three_tier(sites: usize, racks: usize, servers_per_rack: usize) -> String {
    let (sites, racks, per_rack) = (sites.max(1), racks.max(1), servers_per_rack.max(1));
    let mut site_map = Map::new();
    let mut comps = Map::new();
    let mut links: Vec<Value> = Vec::new();
    let mut groups = Map::new();
    let mut pings: Vec<String> = Vec::new();
    let (mut web, mut ap, mut db, mut lbs, mut first_dbs) = (vec![], vec![], vec![], vec![], vec![]);
    comps.insert("internet".into(), json!({ "kind": "entry" }));
    for s in 0..sites {
        let p = format!("s{s}");
        site_map.insert(p.clone(), json!({ "mtbf": "50y", "mttr": "7d" }));
        for side in ["a", "b"] {
            comps.insert(format!("{p}-feed-{side}"), json!({ "kind": "power-feed", "site": p }));
            comps.insert(
                format!("{p}-ups-{side}"),
                json!({ "kind": "ups", "site": p, "feed": format!("{p}-feed-{side}"), "battery_runtime": "15m" }),
            );
            comps.insert(
                format!("{p}-pdu-{side}"),
                json!({ "kind": "pdu", "site": p, "from": format!("{p}-ups-{side}") }),
            );
        }
        let dual = json!([format!("{p}-pdu-a"), format!("{p}-pdu-b")]);
        let mut switches = Vec::new();
        for i in 1..=2 {
            let (gw, core, lb) = (format!("{p}-gw-{i}"), format!("{p}-core-{i}"), format!("{p}-lb-{i}"));
            comps.insert(gw.clone(), json!({ "kind": "router", "site": p, "power": dual }));
            comps.insert(core.clone(), json!({ "kind": "switch", "site": p, "power": dual }));
            comps.insert(lb.clone(), json!({ "kind": "load-balancer", "site": p, "power": dual, "layer": 7 }));
            links.push(json!({ "between": ["internet", gw] }));
            links.push(json!({ "between": [gw, core] }));
            links.push(json!({ "between": [lb, core] }));
            pings.extend([gw, core.clone(), lb.clone()]);
            switches.push(core);
            lbs.push(lb);
        }
        links.push(json!({ "between": [format!("{p}-core-1"), format!("{p}-core-2")] }));
        for r in 0..racks {
            let tors = [format!("{p}-r{r}-tor-a"), format!("{p}-r{r}-tor-b")];
            for tor in &tors {
                comps.insert(tor.clone(), json!({ "kind": "switch", "site": p, "power": dual }));
                for core in 1..=2 {
                    links.push(json!({ "between": [tor, format!("{p}-core-{core}")] }));
                }
                pings.push(tor.clone());
                switches.push(tor.clone());
            }
            for h in 0..per_rack {
                let n = r * per_rack + h;
                let role = ["web", "ap", "db"][n % 3];
                let host = format!("{p}-r{r}-{role}-{h}");
                comps.insert(
                    host.clone(),
                    json!({ "kind": "server", "site": p, "power": dual, "bond": { "to": tors }, "runs": [role] }),
                );
                pings.push(host.clone());
                let process = format!("{host}/{role}");
                match role {
                    "web" => web.push(process),
                    "ap" => ap.push(process),
                    _ => {
                        if !first_dbs.iter().any(|d: &String| d.starts_with(&format!("{p}-"))) {
                            first_dbs.push(process.clone());
                        }
                        db.push(process)
                    }
                }
            }
        }
        groups.insert(
            format!("{p}-l2"),
            json!({ "kind": "stp", "mode": "rstp", "switches": switches, "root": format!("{p}-core-1") }),
        );
        groups.insert(
            format!("{p}-gw"),
            // Each gateway tracks its internet link, or a master that loses it keeps the VIP.
            json!({ "kind": "vrrp", "members": [format!("{p}-gw-1"), format!("{p}-gw-2")], "priorities": [200, 100],
                    "track": { format!("{p}-gw-1"): [format!("internet~{p}-gw-1")], format!("{p}-gw-2"): [format!("internet~{p}-gw-2")] } }),
        );
        groups.insert(
            format!("{p}-lb"),
            json!({ "kind": "vrrp", "members": [format!("{p}-lb-1"), format!("{p}-lb-2")] }),
        );
    }
    let balancer = if sites == 1 {
        "s0-lb".to_string()
    } else {
        groups.insert(
            "gslb".into(),
            json!({ "kind": "gslb", "members": lbs, "answers": "all", "ttl": "60s",
                    "check": { "type": "http", "interval": "10s", "fall": 3 } }),
        );
        "gslb".to_string()
    };
    let check = json!({ "type": "http", "url": "/health" });
    groups.insert("web".into(), json!({ "kind": "lb-pool", "balancer": balancer, "members": web, "check": check }));
    groups.insert("ap".into(), json!({ "kind": "lb-pool", "balancer": balancer, "members": ap, "check": check }));
    // An even number of DB nodes splits into halves with no majority (two sites: losing
    // one stops the cluster), so a witness breaks the tie: in a third location reached
    // over the internet with several sites, on the core switches with one.
    let mut cluster = json!({ "kind": "cluster", "mode": "active-standby", "members": db,
                              "heartbeat": { "interval": "1s", "deadtime": "10s" }, "takeover": "30s" });
    if db.len() % 2 == 0 {
        comps.insert("db-witness".into(), json!({ "kind": "quorum-device" }));
        if sites > 1 {
            links.push(json!({ "between": ["internet", "db-witness"] }));
        } else {
            links.push(json!({ "between": ["s0-core-1", "db-witness"] }));
            links.push(json!({ "between": ["s0-core-2", "db-witness"] }));
        }
        cluster["quorum"] = json!("db-witness");
    }
    groups.insert("db".into(), cluster);
    if sites > 1 {
        groups.insert(
            "db-repl".into(),
            json!({ "kind": "replication", "from": first_dbs[0], "to": first_dbs[1..], "mode": "async", "lag": "1s" }),
        );
    }
    let doc = json!({
        "version": 1,
        "name": format!("three-tier-{sites}x{racks}x{per_rack}"),
        "description": format!(
            "generated by `spofsim generate three-tier --sites {sites} --racks {racks} --servers-per-rack {per_rack}`"
        ),
        "sites": site_map,
        "components": comps,
        "links": links,
        "groups": groups,
        "monitors": { "ping": { "method": "ping", "targets": pings, "interval": "30s", "threshold": 3 } },
        "services": { "shop": { "from": "internet", "through": [balancer, "web", "ap", "db"] } },
    });
    super::to_text(&doc)
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_site_has_the_expected_counts_and_no_spof_but_the_site() {
        let model = crate::load(&super::three_tier(1, 2, 3)).model.expect("loads");
        let count = |kind: &str| model.elements.iter().filter(|e| e.kind == kind && !e.name.contains('/')).count();
        // 2 racks × 3 servers; 2 cores + 2 ToRs per rack; gateways and LBs in pairs.
        assert_eq!((count("server"), count("switch"), count("router"), count("load-balancer")), (6, 6, 2, 2));
        let singles = crate::analysis::single_failures::single_failures(&model);
        let names: Vec<&str> = singles[0].as_ref().unwrap().iter().map(|e| model.element(*e).name.as_str()).collect();
        assert_eq!(names, ["s0"], "only the site itself");
    }

    #[test]
    fn two_sites_have_no_spof() {
        let model = crate::load(&super::three_tier(2, 1, 3)).model.expect("loads");
        let singles = crate::analysis::single_failures::single_failures(&model);
        assert_eq!(singles[0].as_deref(), Some(&[][..]));
    }
}
