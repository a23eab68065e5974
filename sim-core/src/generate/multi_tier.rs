//! Small multi-tier designs for property tests, built around the shapes the engines
//! have got wrong: an entry, one to three redundant middle tiers (VRRP or HSRP pairs and
//! triples of load balancers, routers or firewalls, or DNS round robin or GSLB over
//! them) wired through one to three switches each, every member fully cabled or cabled
//! on one side only (toward the entry, or toward the next tier); then a web tier
//! (processes on servers with NICs or bonds, behind an LB pool, DNS round robin or
//! alone), and sometimes an active-standby DB cluster of two or three members, with or
//! without a quorum device that may itself be cabled to the network, whose members
//! sometimes replicate synchronously to each other (a loop of needs).
//!
//! At most [`MAX_FAILABLE`] elements can fail (the rest are written with availability
//! 100%), so a property test can enumerate every failure set up to order 3, and every
//! state when there are 14 or fewer. A design always serves with nothing failed: a draft
//! that does not (a member cut off by its cabling, a cluster without a majority) is
//! drawn again from the same random stream.
//!
//! Names follow one convention, which [`half_cabled_members`] reads back: switches of
//! segment `s` are `sw<s><letter>` (segment 0 is outside tier 1 and also holds the
//! entry `internet`; segment `t` is between tier `t` and tier `t + 1`), and the members
//! of tier `t` are `<lb|rt|fw><t><letter>`.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

/// The most elements a design lets fail.
pub const MAX_FAILABLE: usize = 16;

const ENTRY: &str = "internet";
const LETTERS: &[u8] = b"abcdefgh";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cabling {
    Full,
    Outside,
    Inside,
}

/// Where an element that may fail is written.
enum Slot {
    Comp(String),
    Link(usize),
}

#[derive(Default)]
struct Draft {
    comps: Map<String, Value>,
    links: Vec<Value>,
    groups: Map<String, Value>,
    /// Elements that may fail, and whether they are dull (made perfect first when the
    /// design has too many: inter-switch cabling and processes, rather than tier
    /// members, their cables, switches, servers and the quorum device).
    failable: Vec<(Slot, bool)>,
}

impl Draft {
    fn comp(&mut self, name: &str, spec: Value, dull: bool) {
        self.comps.insert(name.into(), spec);
        self.failable.push((Slot::Comp(name.into()), dull));
    }

    fn link(&mut self, a: &str, b: &str, dull: bool) {
        self.links.push(json!({ "between": [a, b] }));
        self.failable.push((Slot::Link(self.links.len() - 1), dull));
    }
}

fn failure(rng: &mut ChaCha8Rng) -> Value {
    let mtbf_days = rng.random_range(30..3000);
    let mttr_hours = rng.random_range(1..48);
    json!({ "mtbf": format!("{mtbf_days}d"), "mttr": format!("{mttr_hours}h") })
}

fn perfect() -> Value {
    json!({ "availability": "100%" })
}

fn merge(target: &mut Value, extra: Value) {
    if let (Some(t), Value::Object(e)) = (target.as_object_mut(), extra) {
        t.extend(e);
    }
}

/// `n` distinct picks from `from`, always including `forced` when given.
fn pick(rng: &mut ChaCha8Rng, from: &[String], n: usize, forced: Option<&String>) -> Vec<String> {
    let n = n.min(from.len()).max(1);
    let mut chosen: Vec<String> = forced.into_iter().cloned().collect();
    while chosen.len() < n {
        let c = &from[rng.random_range(0..from.len())];
        if !chosen.contains(c) {
            chosen.push(c.clone());
        }
    }
    chosen
}

/// A random multi-tier scenario (see the module documentation).
pub fn multi_tier(seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for _ in 0..100 {
        let text = draft(&mut rng, seed, false);
        if serves(&text) {
            return text;
        }
    }
    // Not reached in practice: every member fully cabled, connected segments, no cluster.
    draft(&mut rng, seed, true)
}

/// Whether the design loads and its service is up with nothing failed.
fn serves(text: &str) -> bool {
    let loaded = crate::load(text);
    if loaded.has_errors() {
        return false;
    }
    let Some(model) = loaded.model else { return false };
    let nothing = vec![false; model.elements.len()];
    crate::model::eval::evaluate(&model, &nothing).service_up.iter().all(|&up| up)
}

fn draft(rng: &mut ChaCha8Rng, seed: u64, safe: bool) -> String {
    let mut d = Draft::default();
    d.comps.insert(ENTRY.into(), json!({ "kind": "entry" }));
    let tiers = rng.random_range(1..=3usize);
    // Segments: 0 is outside tier 1 (the entry, or switches uplinked to it), t between
    // tiers t and t + 1, the last one holds the servers.
    let mut segments: Vec<Vec<String>> = Vec::new();
    let mut connected: Vec<bool> = Vec::new();
    let outside = if safe { 0 } else { [0, 0, 0, 1, 1, 2][rng.random_range(0..6usize)] };
    if outside == 0 {
        segments.push(vec![ENTRY.into()]);
    } else {
        let names: Vec<String> = (0..outside).map(|j| format!("sw0{}", LETTERS[j] as char)).collect();
        for name in &names {
            d.comp(name, json!({ "kind": "switch" }), false);
            d.link(ENTRY, name, true);
        }
        segments.push(names);
    }
    connected.push(true);
    let mut switches = outside;
    for s in 1..=tiers {
        let mut n = [1, 1, 1, 1, 2, 2, 2, 3][rng.random_range(0..8usize)];
        if switches + n > 5 {
            n = 1;
        }
        switches += n;
        let names: Vec<String> = (0..n).map(|j| format!("sw{s}{}", LETTERS[j] as char)).collect();
        for name in &names {
            d.comp(name, json!({ "kind": "switch" }), false);
        }
        let mut whole = true;
        for j in 1..n {
            if safe || rng.random_bool(0.65) {
                d.link(&names[j - 1], &names[j], true);
            } else {
                whole = false;
            }
        }
        if n == 3 && whole && rng.random_bool(0.2) {
            d.link(&names[0], &names[2], true);
        }
        segments.push(names);
        connected.push(whole);
    }
    // The switch every anchor uses in a segment that is not one connected piece.
    let anchor_switch = |s: usize| (!connected[s]).then(|| segments[s][0].clone());
    // Middle tiers.
    let mut through: Vec<String> = Vec::new();
    let mut last_tier: (&str, &str, String) = ("", "", String::new());
    for t in 1..=tiers {
        let (kind, prefix) =
            [("load-balancer", "lb"), ("router", "rt"), ("firewall", "fw")][rng.random_range(0..3usize)];
        let size = if rng.random_bool(0.3) { 3 } else { 2 };
        let anchor = rng.random_range(0..size);
        let mut members = Vec::new();
        for (j, &letter) in LETTERS.iter().take(size).enumerate() {
            let name = format!("{prefix}{t}{}", letter as char);
            d.comp(&name, json!({ "kind": kind }), false);
            let cabling = if safe || j == anchor {
                Cabling::Full
            } else {
                [Cabling::Full, Cabling::Full, Cabling::Outside, Cabling::Inside][rng.random_range(0..4usize)]
            };
            let forced = |s: usize| if j == anchor { anchor_switch(s) } else { None };
            if cabling != Cabling::Inside {
                let n = if rng.random_bool(0.25) { 2 } else { 1 };
                for end in pick(rng, &segments[t - 1], n, forced(t - 1).as_ref()) {
                    d.link(&end, &name, false);
                }
            }
            if cabling != Cabling::Outside {
                let n = if rng.random_bool(0.25) { 2 } else { 1 };
                for end in pick(rng, &segments[t], n, forced(t).as_ref()) {
                    d.link(&name, &end, false);
                }
            }
            members.push(name);
        }
        // Now and then a cable that skips the tier.
        if !safe && rng.random_bool(0.08) {
            let a = pick(rng, &segments[t - 1], 1, None).remove(0);
            let b = pick(rng, &segments[t], 1, None).remove(0);
            d.link(&a, &b, true);
        }
        let group_kind =
            ["vrrp", "vrrp", "vrrp", "hsrp", "hsrp", "dns-rr", "dns-rr", "gslb"][rng.random_range(0..8usize)];
        let group = format!("tier{t}");
        let spec = match group_kind {
            "gslb" => {
                let answers = if rng.random_bool(0.5) { "single" } else { "all" };
                json!({ "kind": "gslb", "members": members, "answers": answers, "check": { "type": "http" } })
            }
            k => json!({ "kind": k, "members": members }),
        };
        d.groups.insert(group.clone(), spec);
        through.push(group.clone());
        last_tier = (kind, group_kind, group);
    }
    // Servers hang off the last segment.
    let last = segments.len() - 1;
    let server = |d: &mut Draft, rng: &mut ChaCha8Rng, name: &str, anchor: bool, two: f64| {
        let n = if rng.random_bool(two) { 2 } else { 1 };
        let forced = if anchor { anchor_switch(last) } else { None };
        let to = pick(rng, &segments[last], n, forced.as_ref());
        let spec = if to.len() == 2 && rng.random_bool(0.5) {
            json!({ "kind": "server", "bond": { "to": to } })
        } else {
            json!({ "kind": "server", "nics": to })
        };
        d.comp(name, spec, false);
        to.len()
    };
    let mut nics = 0;
    let webs = [1, 2, 2, 3][rng.random_range(0..4usize)];
    let mut web_members = Vec::new();
    for w in 1..=webs {
        let host = format!("web-{w}");
        nics += server(&mut d, rng, &host, w == 1, 0.35);
        let process = format!("{host}.web");
        d.comp(&process, json!({ "kind": "process", "on": host, "role": "web" }), true);
        web_members.push(process);
    }
    let pool_ok = last_tier.0 == "load-balancer" && matches!(last_tier.1, "vrrp" | "gslb");
    if pool_ok && rng.random_bool(0.7) {
        let need = rng.random_range(1..=webs);
        let pool = json!({ "kind": "lb-pool", "balancer": last_tier.2, "members": web_members, "need": need,
                           "check": { "type": "http" } });
        d.groups.insert("web".into(), pool);
        // Now and then leave the balancer for the pool to bring in.
        if rng.random_bool(0.3) {
            through.pop();
        }
        through.push("web".into());
    } else if webs >= 2 {
        d.groups.insert("web".into(), json!({ "kind": "dns-rr", "members": web_members }));
        through.push("web".into());
    } else {
        through.push(web_members[0].clone());
    }
    // A DB cluster, sometimes.
    if !safe && rng.random_bool(0.55) {
        let members_count = if rng.random_bool(0.45) { 3 } else { 2 };
        // Now and then two of three members share a server (and its vote).
        let hosts = if members_count == 3 && rng.random_bool(0.15) { 2 } else { members_count };
        let mut members = Vec::new();
        for i in 1..=hosts {
            let host = format!("db-{i}");
            nics += server(&mut d, rng, &host, i == 1, 0.2);
            let process = format!("{host}.db");
            d.comp(&process, json!({ "kind": "process", "on": host, "role": "db" }), true);
            members.push(process);
        }
        if hosts < members_count {
            d.comp("db-1.db2", json!({ "kind": "process", "on": "db-1", "role": "db" }), true);
            members.push("db-1.db2".into());
        }
        let mut cluster = json!({ "kind": "cluster", "mode": "active-standby", "members": members });
        if rng.random_bool(if members_count == 2 { 0.6 } else { 0.45 }) {
            d.comp("qdev", json!({ "kind": "quorum-device" }), false);
            cluster["quorum"] = json!("qdev");
            if rng.random_bool(0.5) {
                let segment = if rng.random_bool(0.6) { last } else { rng.random_range(0..segments.len()) };
                let n = if rng.random_bool(0.2) { 2 } else { 1 };
                for end in pick(rng, &segments[segment], n, None) {
                    d.link("qdev", &end, false);
                }
            }
        }
        // Now and then every member replicates synchronously to the others: needs that
        // loop (each primary waits for a replica that waits for it).
        if rng.random_bool(0.3) {
            for (i, from) in members.iter().enumerate() {
                let to: Vec<&String> = members.iter().filter(|m| *m != from).collect();
                d.groups.insert(
                    format!("sync-{}", i + 1),
                    json!({ "kind": "replication", "from": from, "to": to, "mode": "sync" }),
                );
            }
        }
        d.groups.insert("db".into(), cluster);
        through.push("db".into());
    }
    // At most MAX_FAILABLE elements fail: NICs and their cables (all or none of each,
    // through `defaults`), then each element on its own, dull ones made perfect first.
    let budget =
        if rng.random_bool(0.75) { rng.random_range(8..=14usize) } else { rng.random_range(15..=MAX_FAILABLE) };
    let mut left = budget;
    let mut defaults = Map::new();
    for kind in ["nic", "link"] {
        let spec = if nics <= left / 3 && rng.random_bool(0.3) {
            left -= nics;
            failure(rng)
        } else {
            perfect()
        };
        defaults.insert(kind.into(), spec);
    }
    let mut order: Vec<(f64, usize)> = d
        .failable
        .iter()
        .enumerate()
        .map(|(i, (_, dull))| (rng.random_range(0.0..1.0) + if *dull { 0.6 } else { 0.0 }, i))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let excess = d.failable.len().saturating_sub(left);
    let mut fails = vec![true; d.failable.len()];
    for &(_, i) in &order[..excess] {
        fails[i] = false;
    }
    for (i, (slot, _)) in d.failable.iter().enumerate() {
        let spec = if fails[i] { failure(rng) } else { perfect() };
        let target = match slot {
            Slot::Comp(name) => &mut d.comps[name],
            Slot::Link(l) => &mut d.links[*l],
        };
        merge(target, spec);
    }
    let doc = json!({
        "version": 1,
        "name": format!("multi-tier-{seed}"),
        "description": format!("generated by sim_core::generate::multi_tier({seed})"),
        "defaults": defaults,
        "components": d.comps,
        "links": d.links,
        "groups": d.groups,
        "services": { "app": { "from": ENTRY, "through": through } },
    });
    super::to_text(&doc)
}

/// The middle-tier members of a [`multi_tier`] design cabled on one side only, with
/// "outside" (cabled toward the entry only) or "inside" (toward the next tier only).
/// Read from the scenario text through the naming convention of the module.
pub fn half_cabled_members(text: &str) -> Vec<(String, &'static str)> {
    let Ok(doc) = serde_json::from_str::<Value>(text) else { return Vec::new() };
    let tier_of = |name: &str| -> Option<usize> {
        let b = name.as_bytes();
        let kind = matches!(&name[..name.len().min(2)], "lb" | "rt" | "fw");
        (kind && b.len() == 4 && b[2].is_ascii_digit() && b[3].is_ascii_lowercase()).then(|| usize::from(b[2] - b'0'))
    };
    let segment_of = |name: &str| -> Option<usize> {
        let b = name.as_bytes();
        if name == ENTRY {
            Some(0)
        } else if name.starts_with("sw") && b.len() == 4 && b[2].is_ascii_digit() {
            Some(usize::from(b[2] - b'0'))
        } else {
            None
        }
    };
    let mut sides: std::collections::BTreeMap<String, (bool, bool)> = std::collections::BTreeMap::new();
    if let Some(comps) = doc["components"].as_object() {
        for name in comps.keys().filter(|n| tier_of(n).is_some()) {
            sides.insert(name.clone(), (false, false));
        }
    }
    for link in doc["links"].as_array().into_iter().flatten() {
        let ends: Vec<&str> = link["between"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        if ends.len() != 2 {
            continue;
        }
        for (m, other) in [(ends[0], ends[1]), (ends[1], ends[0])] {
            if let (Some(t), Some(s)) = (tier_of(m), segment_of(other)) {
                let side = sides.entry(m.to_string()).or_default();
                side.0 |= s + 1 == t;
                side.1 |= s == t;
            }
        }
    }
    sides
        .into_iter()
        .filter_map(|(name, (out, inn))| match (out, inn) {
            (true, false) => Some((name, "outside")),
            (false, true) => Some((name, "inside")),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_scenarios_load_serve_and_are_deterministic() {
        for seed in 0..200 {
            let text = super::multi_tier(seed);
            let loaded = crate::load(&text);
            assert!(!loaded.has_errors(), "seed {seed}: {:?}\n{text}", loaded.diagnostics);
            let model = loaded.model.expect("model");
            let failable = model.elements.iter().filter(|e| e.failure.is_some()).count();
            assert!(failable <= super::MAX_FAILABLE, "seed {seed}: {failable} elements fail\n{text}");
            assert_eq!(text, super::multi_tier(seed));
        }
    }
}
