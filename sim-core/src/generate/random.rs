//! Random small designs for property tests: power, switches and routers wired as a
//! connected network with extra random links, servers with bonds or single NICs,
//! processes, an LB (or LB pair), a web pool (or DNS round robin), a DB cluster
//! (sometimes with a quorum device) or a single DB, sometimes RAID, replication and two
//! sites, and one service through them.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

/// A random valid scenario with about `components` components.
pub fn random(components: usize, seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let budget = components.max(6);
    let mut comps = Map::new();
    let mut links: Vec<Value> = Vec::new();
    let mut groups = Map::new();
    let failure = |rng: &mut ChaCha8Rng| {
        let mtbf_days = rng.random_range(30..3000);
        let mttr_hours = rng.random_range(1..48);
        json!({ "mtbf": format!("{mtbf_days}d"), "mttr": format!("{mttr_hours}h") })
    };
    let with = |mut base: Value, extra: Value| {
        if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        base
    };
    comps.insert("internet".into(), json!({ "kind": "entry" }));
    let feeds = rng.random_range(1..=2usize);
    for f in 0..feeds {
        comps.insert(format!("feed-{f}"), with(json!({ "kind": "power-feed" }), failure(&mut rng)));
    }
    let pdus = rng.random_range(1..=3usize);
    for p in 0..pdus {
        let feed = rng.random_range(0..feeds);
        comps.insert(
            format!("pdu-{p}"),
            with(json!({ "kind": "pdu", "from": format!("feed-{feed}") }), failure(&mut rng)),
        );
    }
    // Tiny designs (≤ 6 components) skip PSUs so exhaustive checks stay cheap.
    let tiny = budget <= 6;
    let power = |rng: &mut ChaCha8Rng| -> Value {
        let n = if tiny { 0 } else { rng.random_range(0..=2usize.min(pdus)) };
        let mut chosen: Vec<String> = Vec::new();
        while chosen.len() < n {
            let p = format!("pdu-{}", rng.random_range(0..pdus));
            if !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        json!(chosen)
    };
    // Network: a random tree from the entry, then extra links.
    let switches = rng.random_range(1..=3usize.max(budget / 6));
    let mut net: Vec<String> = vec!["internet".into()];
    if !tiny && rng.random_bool(0.5) {
        comps.insert("gw".into(), with(json!({ "kind": "router", "power": power(&mut rng) }), failure(&mut rng)));
        links.push(json!({ "between": ["internet", "gw"] }));
        net.push("gw".into());
    }
    for s in 0..switches {
        let name = format!("sw-{s}");
        comps.insert(name.clone(), with(json!({ "kind": "switch", "power": power(&mut rng) }), failure(&mut rng)));
        let peer = net[rng.random_range(0..net.len())].clone();
        links.push(json!({ "between": [peer, name.clone()] }));
        net.push(name);
    }
    for _ in 0..rng.random_range(0..=switches) {
        let a = net[rng.random_range(0..net.len())].clone();
        let b = net[rng.random_range(0..net.len())].clone();
        if a != b {
            links.push(json!({ "between": [a, b] }));
        }
    }
    let switch_names: Vec<String> = net.iter().filter(|n| n.starts_with("sw-")).cloned().collect();
    let pick_switch = |rng: &mut ChaCha8Rng| switch_names[rng.random_range(0..switch_names.len())].clone();
    // Load balancer(s).
    let lb_pair = !tiny && rng.random_bool(0.5);
    let lbs = if lb_pair { 2 } else { 1 };
    for l in 0..lbs {
        let name = format!("lb-{l}");
        comps.insert(
            name.clone(),
            with(json!({ "kind": "load-balancer", "power": power(&mut rng) }), failure(&mut rng)),
        );
        links.push(json!({ "between": [name, pick_switch(&mut rng)] }));
    }
    let balancer = if lb_pair {
        groups.insert("lb-vip".into(), json!({ "kind": "vrrp", "members": ["lb-0", "lb-1"] }));
        "lb-vip"
    } else {
        "lb-0"
    };
    // Servers.
    let server = |rng: &mut ChaCha8Rng, comps: &mut Map<String, Value>, name: &str, role: &str| {
        let mut spec = with(json!({ "kind": "server", "power": power(rng), "runs": [role] }), failure(rng));
        if !tiny && rng.random_bool(0.6) && !switch_names.is_empty() {
            let a = pick_switch(rng);
            let b = pick_switch(rng);
            spec["bond"] = json!({ "to": [a, b] });
        } else {
            spec["nics"] = json!([pick_switch(rng)]);
        }
        comps.insert(name.into(), spec);
    };
    let webs = rng.random_range(1..=if tiny { 2 } else { 3usize });
    for w in 0..webs {
        server(&mut rng, &mut comps, &format!("web-{w}"), "web");
    }
    let dbs = rng.random_range(1..=2usize);
    for d in 0..dbs {
        server(&mut rng, &mut comps, &format!("db-{d}"), "db");
    }
    let web_members: Vec<String> = (0..webs).map(|w| format!("web-{w}/web")).collect();
    // DNS round robin instead of the balancer now and then.
    let dns = !tiny && webs >= 2 && rng.random_bool(0.3);
    if dns {
        groups.insert("web-pool".into(), json!({ "kind": "dns-rr", "members": web_members }));
    } else {
        groups.insert(
            "web-pool".into(),
            json!({ "kind": "lb-pool", "balancer": balancer, "members": web_members, "need": rng.random_range(1..=webs) }),
        );
    }
    let db_tier = if dbs == 2 {
        let mut cluster = json!({ "kind": "cluster", "mode": "active-standby", "members": ["db-0/db", "db-1/db"] });
        if rng.random_bool(0.5) {
            comps.insert("qdev".into(), with(json!({ "kind": "quorum-device" }), failure(&mut rng)));
            cluster["quorum"] = json!("qdev");
        }
        groups.insert("db".into(), cluster);
        "db".to_string()
    } else {
        "db-0/db".to_string()
    };
    let mut sites = Map::new();
    if !tiny {
        // RAID on database servers, replication between them, and sites.
        for d in 0..dbs {
            if rng.random_bool(0.4) {
                groups.insert(
                    format!("db-{d}-raid"),
                    json!({ "kind": "raid", "level": 1, "in": format!("db-{d}"), "disk_count": 2 }),
                );
            }
        }
        if dbs == 2 && rng.random_bool(0.4) {
            let mode = if rng.random_bool(0.5) { "sync" } else { "async" };
            groups.insert(
                "repl".into(),
                json!({ "kind": "replication", "from": "db-0/db", "to": ["db-1/db"], "mode": mode }),
            );
        }
        if rng.random_bool(0.4) {
            for site in ["s0", "s1"] {
                sites.insert(site.into(), failure(&mut rng));
            }
            let names: Vec<String> = comps.keys().cloned().collect();
            for name in names {
                let kind = comps[&name]["kind"].as_str().unwrap_or("").to_string();
                if ["server", "switch", "router", "load-balancer"].contains(&kind.as_str()) && rng.random_bool(0.6) {
                    comps[&name]["site"] = json!(if rng.random_bool(0.5) { "s0" } else { "s1" });
                }
            }
        }
    }
    let through = if dns { json!(["web-pool", db_tier]) } else { json!([balancer, "web-pool", db_tier]) };
    let mut doc = json!({
        "name": format!("random-{seed}"),
        "description": format!("generated by `spofsim generate random --components {components} --seed {seed}`"),
        "components": comps,
        "links": links,
        "groups": groups,
        "services": { "app": { "from": "internet", "through": through } },
    });
    if !sites.is_empty() {
        doc["sites"] = Value::Object(sites);
    }
    if let Some(o) = doc.as_object_mut() {
        o.insert("version".into(), json!(1));
    }
    super::to_text(&doc)
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_scenarios_load_and_are_deterministic() {
        for seed in 0..200 {
            let text = super::random(12, seed);
            let loaded = crate::load(&text);
            assert!(!loaded.has_errors(), "seed {seed}: {:?}\n{text}", loaded.diagnostics);
            assert_eq!(text, super::random(12, seed));
        }
    }
}
