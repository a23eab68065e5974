//! The simulator against independent oracles: closed forms (series, parallel, k-of-n),
//! the analyzer's exact figure on random designs, and itself (determinism).

use super::*;
use crate::analysis::{analyze_tree, structure, Options};

fn model(text: &str) -> Model {
    let loaded = crate::load(text);
    assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
    loaded.model.expect("model")
}

/// Servers w1..wn (MTBF 10 days, MTTR 1 day) behind a perfect LB, and a service `s`
/// through `through` (a JSON list).
fn servers(n: usize, groups: &str, through: &str) -> String {
    let comps: Vec<String> =
        (1..=n).map(|i| format!(r#""w{i}": {{ "kind": "server", "mtbf": "10d", "mttr": "1d" }}"#)).collect();
    let links: Vec<String> = (1..=n).map(|i| format!(r#"{{ "between": ["lb", "w{i}"] }}"#)).collect();
    format!(
        r#"{{ "name": "closed-form",
             "defaults": {{ "link": {{ "availability": "100%" }} }},
             "components": {{ "internet": {{ "kind": "entry" }},
                              "lb": {{ "kind": "load-balancer", "availability": "100%" }}, {} }},
             "links": [ {{ "between": ["internet", "lb"] }}, {} ],
             "groups": {{ {groups} }},
             "services": {{ "s": {{ "from": "internet", "through": {through} }} }} }}"#,
        comps.join(", "),
        links.join(", ")
    )
}

fn ideal(years: u32, replications: u64) -> SimOptions {
    SimOptions { years, replications, seed: 11, random_failures: true, ideal: true }
}

fn assert_close(what: &str, stats: &ServiceStats, exact: f64, ci_widths: f64) {
    let [lo, hi] = stats.full_service_ci95;
    let half = (hi - lo) / 2.0;
    let err = (stats.full_service - exact).abs();
    assert!(
        err <= ci_widths * half.max(1e-12),
        "{what}: simulated {} (95% CI {lo}..{hi}), exact {exact}, off by {:.2} half-widths",
        stats.full_service,
        err / half
    );
}

const A: f64 = 10.0 / 11.0;

#[test]
fn series_is_the_product() {
    let m = model(&servers(2, "", r#"["w1", "w2"]"#));
    let r = simulate(&m, &ideal(2000, 8));
    assert_close("series", &r.services[0], A * A, 4.0);
}

#[test]
fn parallel_fails_only_when_all_fail() {
    let pool =
        r#""pool": { "kind": "lb-pool", "balancer": "lb", "members": ["w1", "w2"], "check": { "type": "http" } }"#;
    let m = model(&servers(2, pool, r#"["pool"]"#));
    let r = simulate(&m, &ideal(2000, 8));
    assert_close("parallel", &r.services[0], 1.0 - (1.0 - A) * (1.0 - A), 4.0);
}

#[test]
fn two_of_three_is_binomial() {
    let pool = r#""pool": { "kind": "lb-pool", "balancer": "lb", "members": ["w1", "w2", "w3"], "need": 2,
                            "check": { "type": "http" } }"#;
    let m = model(&servers(3, pool, r#"["pool"]"#));
    let r = simulate(&m, &ideal(2000, 8));
    let exact = A * A * A + 3.0 * A * A * (1.0 - A);
    assert_close("2-of-3", &r.services[0], exact, 4.0);
    // Capacity short is degraded, not down: one member still serves.
    let s = &r.services[0];
    assert!(s.availability > s.full_service, "{} vs {}", s.availability, s.full_service);
    assert_close("any of 3", &ServiceStats { full_service: s.availability, ..s.clone() }, 1.0 - (1.0 - A).powi(3), 6.0);
}

/// The property the analyzer and the simulator must share: with no delays, perfect
/// detection and exponential failures, the simulated full-service fraction agrees with
/// the exact availability. All designs within 4 half-widths; most within one (95%).
#[test]
fn ideal_simulation_agrees_with_the_exact_analysis_on_random_designs() {
    let mut within_95 = 0;
    let mut total = 0;
    for seed in 0..24u64 {
        let text = crate::generate::random(10 + (seed as usize % 10), seed);
        let m = model(&text);
        let trees = structure::service_trees(&m);
        let r = simulate(&m, &ideal(1000, 4));
        for (s, tree) in trees.iter().enumerate() {
            let Ok(tree) = tree else { continue };
            let exact = 1.0 - analyze_tree(tree, &Options::default()).expect("tree").probability;
            let stats = &r.services[s];
            let [lo, hi] = stats.full_service_ci95;
            total += 1;
            if (lo..=hi).contains(&exact) {
                within_95 += 1;
            }
            assert_close(&format!("random design {seed}"), stats, exact, 4.0);
        }
    }
    assert!(total >= 20, "only {total} services compared");
    assert!(within_95 * 100 >= total * 80, "only {within_95} of {total} inside the 95% interval");
}

/// The multi-tier designs of the property tests (middle tiers with half-cabled members,
/// clusters with quorum devices on the network, three nodes voting): the exact
/// availability lies inside the ideal simulation's 95% interval, as reported. Sixty
/// designs, at most seven misses: for a correct simulator the number of misses is
/// Binomial(60, 0.05), and P(≥ 8) ≈ 1.0%, so the test rarely fails by chance when the
/// random streams change, while a biased simulator (the old one missed 11 of 20)
/// fails it at once. Each design runs under its own fixed
/// seed: one seed for all would give similar designs the same failure times (elements
/// are numbered by name) and their misses would come together.
///
/// The interval is the normal one over years, which needs many outages: each design
/// runs long enough for about 50 outages of its longest repair, and designs that would
/// need more than `MAX_YEARS` (chosen from the exact figure, before simulating) are
/// left out.
#[test]
fn ideal_simulation_agrees_with_the_exact_analysis_on_multi_tier_designs() {
    const DESIGNS: usize = 60;
    const OUTAGES: f64 = 50.0;
    const MAX_YEARS: f64 = 400_000.0;
    const REPLICATIONS: u64 = 4;
    let mut compared = 0;
    let mut misses = Vec::new();
    let mut left_out = Vec::new();
    let (mut half_cabled, mut cabled_device, mut three_nodes) = (0, 0, 0);
    let mut design = 0u64;
    while compared < DESIGNS {
        let text = crate::generate::multi_tier(design);
        let m = model(&text);
        design += 1;
        if m.groups.iter().any(|g| g.dynamics.is_some()) || m.repair_crews.is_some() {
            left_out.push(design - 1);
            continue;
        }
        let tree = structure::service_trees(&m).remove(0).expect("small designs have exact trees");
        let exact = 1.0 - analyze_tree(&tree, &Options::default()).expect("tree").probability;
        let longest_repair = m.elements.iter().filter_map(|e| e.failure).map(|f| f.mttr_secs).fold(0.0, f64::max);
        let years = (OUTAGES * longest_repair / ((1.0 - exact) * YEAR_SECS)).max(4000.0);
        if years > MAX_YEARS {
            left_out.push(design - 1);
            continue;
        }
        let options = SimOptions {
            years: (years / REPLICATIONS as f64).ceil() as u32,
            replications: REPLICATIONS,
            seed: DEFAULT_SEED + design - 1,
            random_failures: true,
            ideal: true,
        };
        let stats = &simulate(&m, &options).services[0];
        let votes: Vec<_> = (0..m.groups.len() as u32).filter_map(|g| m.votes(crate::model::GroupId(g))).collect();
        half_cabled += usize::from(!crate::generate::half_cabled_members(&text).is_empty());
        cabled_device +=
            usize::from(votes.iter().any(|v| v.device.is_some_and(|d| m.links.iter().any(|l| l.a == d || l.b == d))));
        three_nodes += usize::from(votes.iter().any(|v| v.nodes.len() == 3));
        let [lo, hi] = stats.full_service_ci95;
        compared += 1;
        if !(lo..=hi).contains(&exact) {
            misses.push(format!(
                "design {}: exact {exact}, simulated {} (95% CI {lo}..{hi}) over {} years",
                design - 1,
                stats.full_service,
                options.years as u64 * REPLICATIONS
            ));
        }
    }
    eprintln!(
        "{compared} multi-tier designs simulated ({half_cabled} with a half-cabled member, {cabled_device} with a \
         cabled quorum device, {three_nodes} with a three-node cluster), {} left out {left_out:?}, misses: {misses:#?}",
        left_out.len()
    );
    assert!(misses.len() <= 7, "{} of {compared} designs outside the 95% interval: {misses:#?}", misses.len());
}

/// docs/SEMANTICS.md §4, a tier that needs k ≥ 2 members, in the ideal simulator:
/// only members on a chain serve (tests/oracles/DERIVATIONS.md cases 25 and 26, figures
/// from independent enumerations and a closed form, not from the analyzer). Before, a
/// pool member cut off from its balancer or from the database counted, and so did one
/// reached through the other holder of a VRRP pair.
#[test]
fn the_ideal_run_counts_only_members_on_a_chain() {
    let cases = [
        (include_str!("../../../tests/cases/exact/pool-reached-forward.jsonc"), 1.0 - 514_751.0 / 50_000_000.0),
        (include_str!("../../../tests/cases/exact/pool-reached-onward.jsonc"), 1.0 - 24_701.0 / 50_000_000.0),
        (include_str!("../../../tests/cases/exact/shared-nothing-reached.jsonc"), 0.99f64.powi(3)),
        // One holder of the balancers' VRRP pair carries every counted member (case
        // 26): counting members through either holder was 28% low in unavailability.
        (include_str!("../../../tests/cases/exact/pool-behind-vrrp.jsonc"), 1.0 - 2.000321075798e-3),
    ];
    for (text, exact) in cases {
        let m = model(text);
        let r = simulate(&m, &ideal(1500, 8));
        assert_close(&m.name, &r.services[0], exact, 4.0);
    }
}

/// docs/SEMANTICS.md §4 "Only the holder forwards", in the ideal simulator, on the
/// exact case of tests/oracles/DERIVATIONS.md case 14: with internet~lb-2 and
/// lb-1~sw-b failed together for an hour, no holder carries the chain (lb-1 cannot
/// reach sw-b, lb-2 cannot be reached), a minimal cut set of the enumeration. Were
/// the standby to forward, the request would enter through lb-1 and cross lb-2.
#[test]
fn the_ideal_chain_crosses_no_standby() {
    let text = include_str!("../../../tests/cases/exact/standby-forwards-nothing.jsonc");
    let drilled = text.replacen(
        r#""expect": ["#,
        r#""drills": [ { "fail": "internet~lb-2", "at": "1h", "for": "1h" }, { "fail": "lb-1~sw-b", "at": "1h", "for": "1h" } ],
  "expect": ["#,
        1,
    );
    assert_ne!(drilled, text);
    let options = SimOptions { years: 1, replications: 1, seed: 14, random_failures: false, ideal: true };
    let down_secs = (1.0 - simulate(&model(&drilled), &options).services[0].availability) * YEAR_SECS;
    assert!((down_secs - 3600.0).abs() < 1e-6, "down {down_secs} s, not the drill's hour");
    // Either failure alone leaves a holder that carries it.
    let one = drilled.replace(r#", { "fail": "lb-1~sw-b", "at": "1h", "for": "1h" }"#, "");
    assert_ne!(one, drilled);
    assert_eq!(simulate(&model(&one), &options).services[0].availability, 1.0);
}

#[test]
fn replications_do_not_depend_on_how_they_are_run() {
    let m = model(&crate::generate::random(30, 5));
    let options = SimOptions { years: 50, replications: 6, ..SimOptions::default() };
    let all = simulate(&m, &options);
    let compiled = Compiled::new(&m, options.clone());
    let mut records = run_replications(&compiled, 3..6);
    records.extend(run_replications(&compiled, 0..3));
    assert_eq!(aggregate(&m.name, &service_names(&m), &options, &records), all);
    let mut chunked = Chunked::new(&m, options.clone());
    while !chunked.finished() {
        chunked.step(4);
    }
    assert_eq!(chunked.report(), all);
    assert_eq!(run_folded(&compiled, 0..6, &|| {}).report(&m.name, &service_names(&m), &options), all);
    // Shards through JSON, bit for bit.
    let json = serde_json::to_string(&records).expect("json");
    let back: Vec<ReplicationRecord> = serde_json::from_str(&json).expect("parse");
    assert_eq!(back, records);
}

/// One server (MTBF 30 days, MTTR 1 hour) watched by `monitors`; the mean outage.
fn mean_outage_with(monitors: &str, noticed: &str) -> f64 {
    let text = format!(
        r#"{{ "name": "monitoring", "noticed_by_users_after": "{noticed}",
             "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }} }},
             "components": {{ "internet": {{ "kind": "entry" }},
                              "web-1": {{ "kind": "server", "mtbf": "30d", "mttr": "1h" }} }},
             "links": [ {{ "between": ["internet", "web-1"] }} ],
             "monitors": {{ {monitors} }},
             "services": {{ "s": {{ "from": "internet", "through": ["web-1"] }} }} }}"#
    );
    let m = model(&text);
    let r = simulate(&m, &SimOptions { years: 400, replications: 4, seed: 3, random_failures: true, ideal: false });
    r.services[0].mean_outage_secs
}

#[test]
fn repair_starts_when_the_failure_is_detected() {
    let close = |got: f64, want: f64| assert!((got - want).abs() < 0.04 * want, "mean outage {got}, expected {want}");
    // Unmonitored: users notice after the configured delay.
    close(mean_outage_with("", "1h"), 3600.0 + 3600.0);
    // Ping every 30s, alert after 3 misses: 90s.
    close(
        mean_outage_with(
            r#""ping": { "method": "ping", "targets": ["web-1"], "interval": "30s", "threshold": 3 }"#,
            "1h",
        ),
        3690.0,
    );
    // Every trap lost: the next poll (5m) finds it.
    let traps = r#""traps": { "method": "snmp-trap", "targets": ["web-1"], "trap_loss": "100%" },
                   "poll": { "method": "snmp-poll", "targets": ["web-1"], "interval": "5m" }"#;
    close(mean_outage_with(traps, "1h"), 3900.0);
    // Traps that arrive are immediate.
    close(mean_outage_with(r#""traps": { "method": "snmp-trap", "targets": ["web-1"] }"#, "1h"), 3600.0);
}

/// Two servers in an active-standby cluster with one repair crew. With a cold standby
/// (it cannot fail while it waits) the Markov chain on "units down" (0 ⇄ 1 ⇄ 2, failure
/// rate λ of the running unit only, repair rate μ one at a time) gives
/// P(both down) = ρ² / (1 + ρ + ρ²), ρ = λ/μ. A hot standby with one crew: both units
/// fail (2λ from state 0), P(both down) = 2ρ² / (1 + 2ρ + 2ρ²).
#[test]
fn standby_with_one_repair_crew_matches_its_markov_chain() {
    let scenario = |standby: &str| {
        format!(
            r#"{{ "name": "standby", "repair_crews": 1,
                 "defaults": {{ "link": {{ "availability": "100%" }} }},
                 "components": {{ "internet": {{ "kind": "entry" }},
                                  "s1": {{ "kind": "server", "mtbf": "10d", "mttr": "1d" }},
                                  "s2": {{ "kind": "server", "mtbf": "10d", "mttr": "1d" }} }},
                 "links": [ {{ "between": ["internet", "s1"] }}, {{ "between": ["internet", "s2"] }} ],
                 "groups": {{ "pair": {{ "kind": "cluster", "mode": "active-standby", "members": ["s1", "s2"],
                                         "standby": "{standby}" }} }},
                 "services": {{ "s": {{ "from": "internet", "through": ["pair"] }} }} }}"#
        )
    };
    let rho: f64 = 0.1;
    let cold = model(&scenario("cold"));
    let r = simulate(&cold, &ideal(4000, 8));
    assert_close("cold standby, one crew", &r.services[0], 1.0 - rho * rho / (1.0 + rho + rho * rho), 4.0);
    let hot = model(&scenario("hot"));
    let r = simulate(&hot, &ideal(4000, 8));
    let two = 2.0 * rho * rho;
    assert_close("hot standby, one crew", &r.services[0], 1.0 - two / (1.0 + 2.0 * rho + two), 4.0);
    // Issue 15 §5: the documented way, processes as members, on servers with NICs.
    // The standby's host runs nothing else, so it is powered off with it and does not
    // age either: servers of 1000 h / 100 h give the same chain with ρ = 0.1,
    // U = ρ²/(1+ρ+ρ²) = 9.009e-3 (it used to give the hot-standby 1.64e-2).
    let processes = r#"{ "name": "cold", "repair_crews": 1,
      "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
                    "switch": { "availability": "100%" }, "process": { "availability": "100%" } },
      "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch" },
        "db-1": { "kind": "server", "mtbf": "1000h", "mttr": "100h", "nics": ["sw"], "runs": ["db"] },
        "db-2": { "kind": "server", "mtbf": "1000h", "mttr": "100h", "nics": ["sw"], "runs": ["db"] } },
      "links": [ { "between": ["internet", "sw"] } ],
      "groups": { "db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1/db", "db-2/db"],
                          "standby": "cold" } },
      "services": { "orders": { "from": "internet", "through": ["db"] } } }"#;
    let r = simulate(&model(processes), &ideal(40_000, 8));
    assert_close("cold standby of processes, one crew", &r.services[0], 1.0 - rho * rho / (1.0 + rho + rho * rho), 4.0);
}

/// A restore that starts while another slot is still rebuilding must not orphan that
/// rebuild (found by the backups scenario: a slot stuck "rebuilding" lost the array on
/// every later disk failure). RAID 5 over 4 disks: disks 1 and 2 lose the data; disk 1
/// is rebuilt at 13h, which starts the restore while disk 2 rebuilds until 14h. A third
/// disk lost at 100h is then a plain degraded array, not a second data loss.
#[test]
fn a_restore_does_not_orphan_running_rebuilds() {
    let m = model(
        r#"{ "name": "raid-restore",
             "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" } },
             "components": { "internet": { "kind": "entry" }, "db": { "kind": "server", "runs": ["db"] } },
             "links": [ { "between": ["internet", "db"] } ],
             "groups": { "lun": { "kind": "raid", "level": 5, "in": "db", "disk_count": 4, "rebuild": "10h" } },
             "backups": { "nightly": { "type": "data", "of": ["db/db"], "interval": "1d", "restore": "2h" } },
             "services": { "s": { "from": "internet", "through": ["db/db"] } },
             "drills": [ { "fail": "lun/disk-1", "at": "1h", "for": "2h" },
                         { "fail": "lun/disk-2", "at": "2h", "for": "2h" },
                         { "fail": "lun/disk-3", "at": "100h", "for": "1h" } ] }"#,
    );
    let r = simulate(&m, &SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false });
    let s = &r.services[0];
    assert_eq!((s.rpo_events, s.max_data_lost_secs), (1, 2.0 * 3600.0));
    // Down from the loss at 2h until the restore ends at 13h + 2h.
    assert_eq!((s.outages, s.max_outage_secs), (1, 13.0 * 3600.0));
}

/// A cold DR standby with nothing replicated to it starts from the last backup: taking
/// over at 30h loses the 6 hours since the daily backup at 24h. With async replication
/// to it, only the replication lag is lost.
#[test]
fn a_cold_takeover_without_replication_restores_the_last_backup() {
    let text = |replication: &str| {
        format!(
            r#"{{ "name": "cold-restore",
             "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }} }},
             "sites": {{ "main": {{}}, "dr": {{ "dr": {{ "of": "main", "tier": "cold", "rto": "10m" }} }} }},
             "components": {{ "internet": {{ "kind": "entry" }}, "sw": {{ "kind": "switch" }},
                              "db-1": {{ "kind": "server", "site": "main", "nics": ["sw"], "runs": ["db"] }},
                              "db-2": {{ "kind": "server", "site": "dr", "nics": ["sw"], "runs": ["db"] }} }},
             "links": [ {{ "between": ["internet", "sw"] }} ],
             "groups": {{ "db": {{ "kind": "cluster", "mode": "active-standby", "standby": "cold",
                                  "members": ["db-1/db", "db-2/db"], "takeover": "10m" }} {replication} }},
             "backups": {{ "nightly": {{ "type": "data", "of": ["db-1/db", "db-2/db"], "interval": "1d", "restore": "1h" }} }},
             "services": {{ "s": {{ "from": "internet", "through": ["db"] }} }},
             "drills": [ {{ "fail": "db-1", "at": "30h", "for": "1h" }} ] }}"#
        )
    };
    let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
    let plain = simulate(&model(&text("")), &options);
    let lost = plain.services[0].max_data_lost_secs;
    assert_eq!(plain.services[0].rpo_events, 1);
    // Detected after the heartbeat deadtime, up after the takeover: just over 6 hours.
    assert!((6.0 * 3600.0..6.0 * 3600.0 + 900.0).contains(&lost), "{lost}");
    let replicated = simulate(
        &model(&text(
            r#", "repl": { "kind": "replication", "from": "db-1/db", "to": ["db-2/db"], "mode": "async", "lag": "2s" }"#,
        )),
        &options,
    );
    assert_eq!((replicated.services[0].rpo_events, replicated.services[0].max_data_lost_secs), (1, 2.0));
}

/// Issue 15 §1: a group's standby members are its own business. The same design, with a
/// copy of one group under another name that no service uses, must simulate to the
/// same figures. Copies of kinds whose standby only leaves their own tier (GSLB, DNS,
/// clusters, pools) get much slower timings, so a leak between groups would show. A
/// copy of a gateway group is verbatim: with other timers its master, during its own
/// elections, is a router the original holds as backup, and a router that is master
/// of any virtual router forwards (RFC 5798 §4.2), so the figures may rightly change
/// (`a_second_vrrp_group_over_the_balancers_leaves_the_pool_alone` covers its timers).
#[test]
fn an_unused_copy_of_a_group_changes_nothing() {
    let mut compared = 0;
    for design in 0..40u64 {
        let text = crate::generate::multi_tier(design);
        let base: serde_json::Value = serde_json::from_str(&text).expect("generated JSON");
        let groups = base["groups"].as_object().expect("groups").clone();
        let options = SimOptions { years: 300, replications: 2, seed: 5 + design, ..SimOptions::default() };
        let original = simulate(&model(&text), &options);
        for (name, spec) in &groups {
            let mut copy = spec.clone();
            match spec["kind"].as_str().expect("kind") {
                "gslb" | "dns-rr" => copy["ttl"] = "600s".into(),
                "cluster" => copy["takeover"] = "20m".into(),
                "lb-pool" => copy["check"] = serde_json::json!({ "type": "tcp", "interval": "60s", "fall": 5 }),
                _ => {}
            }
            let mut doubled = base.clone();
            doubled["groups"][format!("{name}-copy")] = copy;
            let doubled = simulate(&model(&doubled.to_string()), &options);
            assert_eq!(
                doubled.services, original.services,
                "design {design}: an unused copy of {name} changed the figures"
            );
            compared += 1;
        }
    }
    assert!(compared >= 80, "only {compared} groups copied");
}

/// Issue 15 §1, found by an independent trial: a pool checked by a VRRP pair of
/// balancers, beside a second VRRP group over the same two balancers that no service
/// uses. With opposite priorities (RFC 5798 §4.2, "Sample Configuration 2") the
/// service was down all year, because the master of the pool's group was a backup in
/// the other and its checks reached nothing; with a slower advert interval in the
/// other group, the failover took that group's 10.8 s instead of 3.6 s. Each variant
/// must give the drill exactly the pool group's Master_Down_Interval, 3 × 1 s +
/// (256 − 100) / 256 s (RFC 5798 §6.1).
#[test]
fn a_second_vrrp_group_over_the_balancers_leaves_the_pool_alone() {
    let text = |other: &str| {
        format!(
            r#"{{ "name": "two-vrids",
             "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }} }},
             "components": {{ "internet": {{ "kind": "entry" }}, "sw": {{ "kind": "switch" }},
               "lb-1": {{ "kind": "load-balancer" }}, "lb-2": {{ "kind": "load-balancer" }},
               "web-1": {{ "kind": "server", "nics": ["sw"], "runs": ["web"] }},
               "web-2": {{ "kind": "server", "nics": ["sw"], "runs": ["web"] }} }},
             "links": [ {{ "between": ["internet", "lb-1"] }}, {{ "between": ["internet", "lb-2"] }},
                        {{ "between": ["lb-1", "sw"] }}, {{ "between": ["lb-2", "sw"] }} ],
             "groups": {{ "vip-a": {{ "kind": "vrrp", "members": ["lb-1", "lb-2"] }},
               "pool": {{ "kind": "lb-pool", "balancer": "vip-a", "members": ["web-1/web", "web-2/web"], "check": {{ "type": "tcp" }} }}
               {other} }},
             "services": {{ "shop": {{ "from": "internet", "through": ["vip-a", "pool"] }} }},
             "drills": [ {{ "fail": "lb-1", "at": "10d", "for": "1h" }} ] }}"#
        )
    };
    let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
    let master_down = 3.0 + (256.0 - 100.0) / 256.0;
    for other in [
        "",
        r#", "vip-b": { "kind": "vrrp", "members": ["lb-2", "lb-1"] }"#,
        r#", "vip-b": { "kind": "vrrp", "members": ["lb-1", "lb-2"], "advert_interval": "3s" }"#,
    ] {
        let s = &simulate(&model(&text(other)), &options).services[0];
        assert_eq!((s.outages, s.max_outage_secs), (1, master_down), "with {other:?}");
    }
}

/// The drill behind SPOF-L027's two-group test: gw-1 keeps gw-vip when its uplink fails
/// (untracked; its adverts still reach gw-2). With a second group whose master is gw-2,
/// gw-2 forwards the request to gw-1 and nothing is lost; with the same priorities in
/// both groups gw-2 is backup of both and the held VIP black-holes the hour.
#[test]
fn a_master_of_another_group_carries_the_held_vips_traffic() {
    let text = |members: &str| {
        format!(
            r#"{{ "components": {{ "internet": {{ "kind": "entry" }},
               "gw-1": {{ "kind": "router" }}, "gw-2": {{ "kind": "router" }}, "sw": {{ "kind": "switch" }},
               "web": {{ "kind": "server", "nics": ["sw"], "runs": ["web"] }} }},
             "links": [ {{ "between": ["internet", "gw-1"] }}, {{ "between": ["internet", "gw-2"] }},
                        {{ "between": ["gw-1", "sw"] }}, {{ "between": ["gw-2", "sw"] }} ],
             "groups": {{ "gw-vip": {{ "kind": "vrrp", "members": ["gw-1", "gw-2"] }},
                          "gw-other": {{ "kind": "vrrp", "members": {members} }} }},
             "services": {{ "site": {{ "from": "internet", "through": ["gw-vip", "web/web"] }} }},
             "drills": [ {{ "fail": "internet~gw-1", "at": "10d", "for": "1h" }} ] }}"#
        )
    };
    let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
    let opposite = &simulate(&model(&text(r#"["gw-2", "gw-1"]"#)), &options).services[0];
    assert_eq!((opposite.outages, opposite.max_outage_secs), (0, 0.0));
    let same = &simulate(&model(&text(r#"["gw-1", "gw-2"]"#)), &options).services[0];
    assert_eq!((same.outages, same.max_outage_secs), (1, 3600.0));
}

/// Issue 15 §8: on random multi-tier designs with every timing on (default failover
/// delays, detection by users after an hour), the simulated availability's 95%
/// interval, widened by the agreement tolerance, contains the static figure with
/// timings for at least 95% of them. Designs with parts the static figure solves
/// differently (RAID, cold standby, crews) are left out, as are those needing more
/// than `MAX_YEARS` simulated years to see `OUTAGES` repair-length outages.
#[test]
fn the_static_figure_with_timings_agrees_with_the_simulation_on_random_designs() {
    const DESIGNS: usize = 100;
    const OUTAGES: f64 = 60.0;
    const MAX_YEARS: f64 = 200_000.0;
    let mut compared = 0;
    let mut misses = Vec::new();
    let mut design = 1000u64;
    while compared < DESIGNS {
        let text = crate::generate::multi_tier(design);
        design += 1;
        let m = model(&text);
        if m.groups.iter().any(|g| g.dynamics.is_some()) || m.repair_crews.is_some() {
            continue;
        }
        let singles = crate::analysis::single_failures::single_failures(&m);
        let Ok(t) =
            crate::timed::timed_figures(&m, &singles, &[true], &Options::default(), &crate::timed::Drills::run(&m))
                .remove(0)
        else {
            continue;
        };
        let u = t.unavailability();
        let longest = m.elements.iter().filter_map(|e| e.failure).map(|f| f.mttr_secs).fold(0.0, f64::max) + 3600.0;
        let years = (OUTAGES * longest / (u * YEAR_SECS)).max(2000.0);
        // A service down as elected has a bound (0 %), not a first-order figure.
        if years > MAX_YEARS || !t.first_order_holds() || t.down_as_elected {
            continue;
        }
        let options = SimOptions {
            years: (years / 4.0).ceil() as u32,
            replications: 4,
            seed: design,
            random_failures: true,
            ideal: false,
        };
        let stats = &simulate(&m, &options).services[0];
        let full = crate::timed::capacity_counts(&m, 0);
        let ([lo, hi], simulated) = if full {
            (stats.full_service_ci95, stats.full_service)
        } else {
            (stats.availability_ci95, stats.availability)
        };
        let slack = crate::check::AGREEMENT_TOLERANCE * u;
        compared += 1;
        if u < 1.0 - hi - slack || u > 1.0 - lo + slack {
            misses.push(format!(
                "design {}: static with timings {u:e} (failover {:e}), simulated {:e} (95% CI {:e}..{:e})",
                design - 1,
                t.failover,
                1.0 - simulated,
                1.0 - hi,
                1.0 - lo
            ));
        }
    }
    eprintln!("{compared} designs compared, misses: {misses:#?}");
    assert!(misses.len() * 20 <= compared, "{} of {compared} designs disagree: {misses:#?}", misses.len());
}

/// The incremental engine (labels, endpoint dependencies, chains kept as products of
/// hops, only touched services observed) gives the same records, bit for bit, as the
/// same engine answering every query again and waking every group at every instant.
#[test]
fn incremental_updates_miss_nothing() {
    let mut designs: Vec<String> = (0..40).map(crate::generate::multi_tier).collect();
    designs.extend((0..20).map(|seed| crate::generate::random(12 + seed as usize, seed)));
    for (k, text) in designs.iter().enumerate() {
        let m = model(text);
        let options = SimOptions { years: 300, replications: 1, seed: k as u64, random_failures: true, ideal: false };
        let compiled = Compiled::new(&m, options);
        let incremental = serde_json::to_string(&super::engine::run(&compiled, 0)).expect("json");
        let reference = serde_json::to_string(&super::engine::run_exhaustive(&compiled, 0)).expect("json");
        assert!(incremental == reference, "design {k} differs:\n{text}");
    }
}

/// A pool without a health check never takes a dead member out of rotation: its share
/// of the requests fails (the service degraded) until the member is repaired. With
/// HAProxy's default check (every 2 s, 3 misses) the share fails for 6 s.
#[test]
fn a_pool_without_a_check_keeps_sending_to_a_dead_member() {
    let text = |check: &str| {
        format!(
            r#"{{ "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }} }},
             "components": {{ "internet": {{ "kind": "entry" }}, "sw": {{ "kind": "switch" }},
                              "lb": {{ "kind": "load-balancer" }},
                              "web-1": {{ "kind": "server", "nics": ["sw"], "runs": ["web"] }},
                              "web-2": {{ "kind": "server", "nics": ["sw"], "runs": ["web"] }} }},
             "links": [ {{ "between": ["internet", "lb"] }}, {{ "between": ["lb", "sw"] }} ],
             "groups": {{ "pool": {{ "kind": "lb-pool", "balancer": "lb", "members": ["web-1/web", "web-2/web"] {check} }} }},
             "services": {{ "s": {{ "from": "internet", "through": ["pool"] }} }},
             "drills": [ {{ "fail": "web-1", "at": "1h", "for": "2h" }} ] }}"#
        )
    };
    let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
    let unchecked = simulate(&model(&text("")), &options);
    let checked = simulate(&model(&text(r#", "check": { "type": "tcp" }"#)), &options);
    for r in [&unchecked, &checked] {
        assert_eq!(r.services[0].availability, 1.0, "a pool with a working member serves");
    }
    assert!((unchecked.services[0].degraded_secs_per_year - 7200.0).abs() < 1e-6, "{:?}", unchecked.services[0]);
    assert!((checked.services[0].degraded_secs_per_year - 6.0).abs() < 1e-6, "{:?}", checked.services[0]);
}

/// The worst simulated year is replayed exactly: its down intervals add up to the
/// downtime the run counted for that year, and no year has more. The oracle replays
/// every year of every replication apart and adds up its down intervals.
#[test]
fn the_worst_year_timeline_is_the_year_the_records_counted() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios/sites/active-active-gslb.jsonc"))
            .expect("bundled scenario");
    let model = model(&text);
    let options = SimOptions { years: 20, replications: 6, ..SimOptions::default() };
    let compiled = Compiled::new(&model, options.clone());
    let fold = run_folded(&compiled, 0..options.replications, &|| {});
    let worst = worst_year_timelines(&compiled, &fold.worst_years());
    assert_eq!(worst.len(), model.services.len());
    // Every year's downtime from its own replayed timeline: (replication, year) → per service.
    let mut by_year: Vec<((u64, u32), Vec<f64>)> = Vec::new();
    for rep in 0..options.replications {
        for year in 0..options.years {
            let replay = engine::run_for_year(&compiled, rep, year);
            let start = f64::from(year) * YEAR_SECS;
            let down = replay
                .services
                .iter()
                .map(|sr| {
                    sr.timeline
                        .iter()
                        .filter(|iv| iv.state == IntervalState::Down)
                        .map(|iv| iv.end_secs.min(start + YEAR_SECS) - iv.start_secs.max(start))
                        .filter(|d| *d > 0.0)
                        .sum::<f64>()
                })
                .collect();
            by_year.push(((rep, year), down));
        }
    }
    for (s, w) in worst.iter().enumerate() {
        let most = by_year.iter().map(|(_, d)| d[s]).fold(0.0, f64::max);
        assert!((w.down_secs - most).abs() < 1e-6 * most.max(1.0), "worst {} s, replays {most} s", w.down_secs);
        let first = by_year.iter().find(|(_, d)| (d[s] - most).abs() < 1e-6 * most.max(1.0)).map(|(at, _)| *at);
        assert_eq!(Some((w.replication, w.year)), first, "the earliest year with the most downtime");
        let down: f64 =
            w.intervals.iter().filter(|iv| iv.state == IntervalState::Down).map(|iv| iv.end_secs - iv.start_secs).sum();
        assert!(
            (down - w.down_secs).abs() < 1e-6 * w.down_secs.max(1.0),
            "replayed {down} s, counted {} s",
            w.down_secs
        );
    }
}

/// Oracle: tests/oracles/DERIVATIONS.md case 10 (renewal closed forms by an independent
/// helper): RAID 5 of three 2 TB disks at 1e-14 errors per bit, MTBF 1 y (8760 h),
/// replacement 1 d, rebuild 12 h, no spare. Data losses a year: 0.811507 from rebuilds
/// that meet a read error plus 0.0243560 from a second failure in a window. The count
/// over 10,000 simulated years is Poisson; the 95% interval must hold the sum.
#[test]
fn raid5_read_error_losses_match_the_closed_form() {
    let text = r#"{ "name": "raid5-read-errors",
        "defaults": { "disk": { "mtbf": "1y", "mttr": "1d" }, "link": { "availability": "100%" }, "nic": { "availability": "100%" } },
        "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch", "availability": "100%" },
                        "db": { "kind": "server", "nics": ["sw"], "runs": ["db"], "availability": "100%" } },
        "links": [{ "between": ["internet", "sw"] }],
        "groups": { "data": { "kind": "raid", "level": 5, "in": "db", "disk_count": 3, "rebuild": "12h", "disk_size_tb": 2 } },
        "backups": { "nightly": { "type": "data", "of": ["db"], "interval": "1d", "restore": "4h" } },
        "services": { "app": { "from": "internet", "through": ["db/db"] } } }"#;
    let m = model(text);
    let (years, replications) = (100, 100);
    let report = simulate(&m, &ideal(years, replications));
    let simulated_years = f64::from(years) * replications as f64;
    let losses = report.services[0].rpo_events as f64;
    let expected = (0.811507 + 0.0243560) * simulated_years;
    let half_width = 1.96 * expected.sqrt();
    assert!((losses - expected).abs() < half_width, "{losses} losses, expected {expected} ± {half_width}");
    // Without the disk size, only second failures lose data.
    let clean = model(&text.replace(r#", "disk_size_tb": 2"#, ""));
    let losses = simulate(&clean, &ideal(years, replications)).services[0].rpo_events as f64;
    let expected = 0.0243560 * simulated_years;
    assert!((losses - expected).abs() < 1.96 * expected.sqrt(), "{losses} losses, expected {expected}");
}

/// Restart after a power loss against its renewal closed form: one server (perfect
/// itself) on one unmonitored feed (MTBF 30 d, MTTR 4 h, exponential; users notice
/// after d = 1 h, the default), booting for r = 2 h once power returns; a feed failure
/// during the boot starts it over after the next repair. With λ = 1/MTBF, μ = 1/MTTR:
/// a down period lasts D = d + repair + boot, again if the feed fails within the boot,
/// so E[D] = (d + 1/μ + (1 − e^(−λr))/λ) / e^(−λr), and U = E[D] / (E[D] + 1/λ).
/// Without the boot U would be (d + MTTR) / (MTBF + d + MTTR), which the interval must
/// exclude; `--ideal` (no detection delay, no boot) gives MTTR / (MTBF + MTTR).
#[test]
fn restart_after_power_loss_matches_the_renewal_closed_form() {
    let m = model(
        r#"{ "name": "restart-closed-form",
             "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
                           "psu": { "availability": "100%" }, "pdu": { "availability": "100%" },
                           "switch": { "availability": "100%" }, "process": { "availability": "100%" } },
             "components": { "internet": { "kind": "entry" },
                             "feed": { "kind": "power-feed", "mtbf": "30d", "mttr": "4h" },
                             "pdu": { "kind": "pdu", "from": "feed" },
                             "sw": { "kind": "switch", "restart": "0s" },
                             "web": { "kind": "server", "availability": "100%", "power": ["pdu"],
                                      "nics": ["sw"], "runs": ["web"], "restart": "2h" } },
             "links": [ { "between": ["internet", "sw"] } ],
             "services": { "s": { "from": "internet", "through": ["web/web"] } } }"#,
    );
    let (lambda, mu, r): (f64, f64, f64) = (1.0 / (30.0 * 86400.0), 1.0 / (4.0 * 3600.0), 2.0 * 3600.0);
    let detect = 3600.0;
    let survive = (-lambda * r).exp();
    let down = (detect + 1.0 / mu + (1.0 - survive) / lambda) / survive;
    let exact = 1.0 - down / (down + 1.0 / lambda);
    let options = SimOptions { years: 400, replications: 20, seed: 5, random_failures: true, ideal: false };
    let r = simulate(&m, &options);
    assert_close("restart", &r.services[0], exact, 4.0);
    let without_boot = 30.0 * 24.0 / (30.0 * 24.0 + 5.0);
    let [lo, hi] = r.services[0].full_service_ci95;
    assert!(!(lo..=hi).contains(&without_boot), "the boot must show: {lo}..{hi} holds {without_boot}");
    // `--ideal` notices and boots at once.
    let ideal_run = simulate(&m, &SimOptions { ideal: true, ..options });
    assert_close("ideal", &ideal_run.services[0], 30.0 * 24.0 / (30.0 * 24.0 + 4.0), 4.0);
}

// ---------------------------------------------------------------------------------
// The rare-event estimator (rare.rs) against closed forms where crude simulation
// sees nothing.

/// Asserts the rare-event interval of service 0's full-service unavailability holds
/// `exact` and is tighter than `max_relative` of it.
fn assert_rare(what: &str, r: &rare::RareReport, exact: f64, max_relative: f64) {
    let s = &r.services[0];
    let u = &s.full_service_unavailability;
    assert!(
        u.ci95[0] <= exact && exact <= u.ci95[1],
        "{what}: estimate {:e} (95% CI {:e}..{:e}), exact {exact:e}; {:?}",
        u.value,
        u.ci95[0],
        u.ci95[1],
        s.warnings
    );
    assert!(u.relative_half_width < max_relative, "{what}: relative half-width {}", u.relative_half_width);
    assert!(s.reliable, "{what}: {:?}", s.warnings);
}

/// Three servers (MTBF 999 days, MTTR 1 day) in a pool that needs `need`.
fn reliable_pool(need: usize) -> Model {
    let pool = format!(
        r#""pool": {{ "kind": "lb-pool", "balancer": "lb", "members": ["w1", "w2", "w3"], "need": {need},
                     "check": {{ "type": "http" }} }}"#
    );
    model(&servers(3, &pool, r#"["pool"]"#).replace(r#""mtbf": "10d""#, r#""mtbf": "999d""#))
}

/// One of three needed: U = q³ = 1e-9, q = 1/1000.
#[test]
fn rare_event_estimate_holds_the_parallel_closed_form() {
    let q: f64 = 1.0 / 1000.0;
    let r = rare::estimate(&reliable_pool(1), 3, 200_000, true);
    assert_rare("1-of-3", &r, q.powi(3), 0.1);
}

/// Two of three needed: U = 1 − (1−q)³ − 3q(1−q)².
#[test]
fn rare_event_estimate_holds_the_two_of_three_closed_form() {
    let q: f64 = 1.0 / 1000.0;
    let exact = 1.0 - (1.0 - q).powi(3) - 3.0 * q * (1.0 - q).powi(2);
    let r = rare::estimate(&reliable_pool(2), 4, 200_000, true);
    assert_rare("2-of-3", &r, exact, 0.1);
}

/// A single point of failure: one server (MTBF 999 d, MTTR 1 d), U = q = 1/1000.
#[test]
fn rare_event_estimate_handles_a_spof() {
    let m = model(&servers(1, "", r#"["w1"]"#).replace(r#""mtbf": "10d""#, r#""mtbf": "999d""#));
    let r = rare::estimate(&m, 5, 20_000, true);
    assert_rare("SPOF", &r, 1.0 / 1000.0, 0.05);
}

/// Two VRRP routers (MTBF 999 d, MTTR 1 d) with no segment between them: the backup
/// hears no advertisement and is master too from Master_Down_Interval on (RFC 5798
/// §6.4.2). The regeneration state is where the design settles, so every cycle ends
/// (none cut short). Two masters serve either way, so the service is down only while
/// both routers are: U = q², q = 1/1000, without timings; with them each router is
/// down 1 h longer, until users notice (nothing is monitored): q = 25 h / 24,001 h.
#[test]
fn rare_event_cycles_regenerate_when_vrrp_peers_start_as_two_masters() {
    let text = r#"{ "name": "two-masters",
        "defaults": { "link": { "availability": "100%" }, "router": { "mtbf": "999d", "mttr": "1d" } },
        "components": { "internet": { "kind": "entry" }, "gw-1": { "kind": "router" }, "gw-2": { "kind": "router" },
                        "web": { "kind": "server", "availability": "100%" } },
        "links": [ { "between": ["internet", "gw-1"] }, { "between": ["internet", "gw-2"] },
                   { "between": ["gw-1", "web"] }, { "between": ["gw-2", "web"] } ],
        "groups": { "vip": { "kind": "vrrp", "members": ["gw-1", "gw-2"] } },
        "services": { "s": { "from": "internet", "through": ["vip", "web"] } } }"#;
    let ideal = rare::estimate(&model(text), 6, 100_000, true);
    assert_eq!(ideal.truncated_cycles, 0, "{:?}", ideal.services[0].warnings);
    let q: f64 = 1.0 / 1000.0;
    assert_rare("two masters, ideal", &ideal, q * q, 0.1);
    let timed = rare::estimate(&model(text), 6, 100_000, false);
    assert_eq!(timed.truncated_cycles, 0, "{:?}", timed.services[0].warnings);
    let q: f64 = 25.0 / 24_001.0;
    assert_rare("two masters, timed", &timed, q * q, 0.1);
}

/// Nothing fails: zero, with no interval to give and a plain warning (no division by
/// zero, no NaN).
#[test]
fn rare_event_estimate_of_a_design_that_never_fails_is_zero_and_says_so() {
    let m = model(&servers(1, "", r#"["w1"]"#).replace(r#""mtbf": "10d", "mttr": "1d""#, r#""availability": "100%""#));
    let r = rare::estimate(&m, 5, 2_000, true);
    let s = &r.services[0];
    assert_eq!(s.full_service_unavailability.value, 0.0);
    assert_eq!(s.unavailability.ci95, [0.0, 0.0]);
    assert!(!s.reliable);
    assert!(s.warnings.iter().any(|w| w.contains("no cycle")), "{:?}", s.warnings);
    assert!(serde_json::to_string(&r).is_ok());
}

/// With timings on (health-check detection and rise checks of the pool), the estimator
/// and crude simulation agree within their intervals where crude simulation still
/// works (q = 1/11, U ≈ 2.5e-2).
#[test]
fn rare_event_estimate_agrees_with_crude_simulation_with_timings() {
    let pool = r#""pool": { "kind": "lb-pool", "balancer": "lb", "members": ["w1", "w2", "w3"], "need": 2,
                            "check": { "type": "http", "interval": "1h", "fall": 3, "rise": 2 } }"#;
    let m = model(&servers(3, pool, r#"["pool"]"#));
    let options = SimOptions { years: 500, replications: 8, seed: 9, random_failures: true, ideal: false };
    let crude = &simulate(&m, &options).services[0];
    let r = rare::estimate(&m, 9, 40_000, false);
    let u = &r.services[0].full_service_unavailability;
    let crude_u = 1.0 - crude.full_service;
    let crude_half = (crude.full_service_ci95[1] - crude.full_service_ci95[0]) / 2.0;
    let rare_half = (u.ci95[1] - u.ci95[0]) / 2.0;
    // Against the static figure, the timings add detection time: both must see it.
    let ideal = 1.0 - (A * A * A + 3.0 * A * A * (1.0 - A));
    assert!(crude_u > ideal * 1.05 && u.value > ideal * 1.05, "crude {crude_u}, rare {}, ideal {ideal}", u.value);
    assert!(
        (u.value - crude_u).abs() <= 1.5 * (crude_half + rare_half),
        "rare {} ± {rare_half}, crude {crude_u} ± {crude_half}",
        u.value
    );
}

/// Issue 17's gate: on 100 multi-tier designs made reliable (every MTBF scaled by the
/// smallest power of ten from 10 to 10⁴ that puts the exact unavailability between
/// 1e-12 and 1e-6), the exact figure from the analyzer (BDD, no simulation) lies
/// inside the estimator's 95% interval. For intervals that truly cover 95%, the
/// misses are Binomial(100, 0.05), and 11 or more happen with probability 1.1%: the
/// test fails then. With the seeds below 6 of 100 miss (3 above, 3 below; 6 again at
/// 20,000 cycles), so the 95% is met within chance but not to the letter. Each design
/// runs under its own fixed seed, so the outcome is fixed.
#[test]
fn rare_event_estimate_agrees_with_the_exact_analysis_on_reliable_designs() {
    const DESIGNS: usize = 100;
    const CYCLES: u64 = 10_000;
    let (mut compared, mut design) = (0, 0u64);
    let mut misses = Vec::new();
    let mut left_out = Vec::new();
    let mut smallest = f64::INFINITY;
    while compared < DESIGNS {
        let m = model(&crate::generate::multi_tier(design));
        design += 1;
        if m.groups.iter().any(|g| g.dynamics.is_some()) || m.repair_crews.is_some() {
            left_out.push(design - 1);
            continue;
        }
        // One tree; each scaling sets its events' probabilities from the scaled parts
        // (designs whose events are not plain part unavailabilities are left out).
        let Ok(tree) = structure::service_trees(&m).remove(0) else {
            left_out.push(design - 1);
            continue;
        };
        let plain =
            tree.events.iter().all(|ev| ev.element.is_some_and(|e| ev.probability == m.element(e).unavailability(0.0)));
        let reliable = [10.0, 100.0, 1000.0, 10_000.0].into_iter().filter(|_| plain).find_map(|k| {
            let mut scaled = m.clone();
            for f in scaled.elements.iter_mut().filter_map(|e| e.failure.as_mut()) {
                f.mtbf_secs *= k;
            }
            let mut tree = tree.clone();
            for ev in &mut tree.events {
                ev.probability = scaled.element(ev.element.expect("plain")).unavailability(0.0);
            }
            let exact = analyze_tree(&tree, &Options::default()).ok()?.probability;
            (1e-12..=1e-6).contains(&exact).then_some((scaled, exact))
        });
        let Some((scaled, exact)) = reliable else {
            left_out.push(design - 1);
            continue;
        };
        smallest = smallest.min(exact);
        let r = rare::estimate(&scaled, DEFAULT_SEED + design - 1, CYCLES, true);
        let u = &r.services[0].full_service_unavailability;
        compared += 1;
        if !(u.ci95[0]..=u.ci95[1]).contains(&exact) {
            misses.push(format!(
                "design {}: exact {exact:e}, estimate {:e} (95% CI {:e}..{:e})",
                design - 1,
                u.value,
                u.ci95[0],
                u.ci95[1]
            ));
        }
    }
    eprintln!("{compared} designs (smallest exact {smallest:e}), left out {left_out:?}, misses: {misses:#?}");
    assert!(misses.len() <= 10, "{} of {compared} outside the 95% interval: {misses:#?}", misses.len());
}

/// A service addressed to a VRRP backup's own address (its tier names lb-2 itself, which
/// users reach only through lb-1): a backup refuses only the virtual router's MAC and
/// addresses (RFC 5798 §6.4.2), so it answers and sends the request on, as the exact
/// analysis says (U = 0, everything at 100%). It was counted down throughout.
#[test]
fn a_tier_naming_a_vrrp_backup_reaches_its_own_address() {
    let text = r#"{ "defaults": { "server": { "availability": "100%" }, "nic": { "availability": "100%" },
        "process": { "availability": "100%" }, "switch": { "availability": "100%" },
        "load-balancer": { "availability": "100%" }, "link": { "availability": "100%" } },
      "components": { "internet": { "kind": "entry" }, "lb-1": { "kind": "load-balancer" },
        "lb-2": { "kind": "load-balancer" }, "sw": { "kind": "switch" },
        "web-1": { "kind": "server", "runs": ["web"], "nics": ["sw"] } },
      "links": [ { "between": ["internet", "lb-1"] }, { "between": ["lb-1", "sw"] }, { "between": ["lb-2", "sw"] } ],
      "groups": { "vip": { "kind": "vrrp", "members": ["lb-1", "lb-2"] } },
      "services": { "s": { "from": "internet", "through": ["lb-2", "web-1/web"] } } }"#;
    let model = crate::load(text).model.expect("valid");
    for ideal in [false, true] {
        let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal };
        let mut compiled = Compiled::new(&model, options);
        assert_eq!(crate::simulate::failure_set_downtime(&mut compiled, &[], 3600.0), [0.0], "ideal {ideal}");
    }
}

/// Found by an independent trial: an active-standby cluster with a failover
/// precondition (`require`) or a fencing device, whose active node is cut off by a
/// partition while it runs. db-b and the witness hold 2 of 3 votes and the
/// precondition works, so the takeover happens: instantly in an `--ideal` run (no
/// outage), after deadtime + takeover (10 s + 30 s) in a normal one. The ideal run was
/// down for the whole 4 h partition.
#[test]
fn a_partitioned_active_is_replaced_when_the_takeover_may_run() {
    let text = |extra: &str| {
        format!(
            r#"{{ "name": "part",
             "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }} }},
             "components": {{ "internet": {{ "kind": "entry" }}, "edge-a": {{ "kind": "router" }}, "edge-b": {{ "kind": "router" }},
               "db-a": {{ "kind": "server", "nics": ["edge-a"], "runs": ["db"] }},
               "db-b": {{ "kind": "server", "nics": ["edge-b"], "runs": ["db"] }},
               "witness": {{ "kind": "quorum-device" }}, "cp": {{ "kind": "server" }} }},
             "links": [ {{ "between": ["internet", "edge-a"] }}, {{ "between": ["internet", "edge-b"] }},
                        {{ "between": ["edge-a", "edge-b"] }}, {{ "between": ["witness", "edge-a"] }},
                        {{ "between": ["witness", "edge-b"] }} ],
             "groups": {{ "orders-db": {{ "kind": "cluster", "mode": "active-standby", "members": ["db-a/db", "db-b/db"],
                                        "quorum": "witness" {extra} }} }},
             "services": {{ "orders": {{ "from": "internet", "through": ["orders-db"] }} }},
             "drills": [ {{ "fail": "edge-a", "at": "1h", "for": "4h" }} ] }}"#
        )
    };
    for extra in ["", r#", "require": ["cp"]"#, r#", "fencing": {}"#, r#", "fencing": { "device": "cp" }"#] {
        let m = model(&text(extra));
        for (ideal, expected) in [(true, (0, 0.0)), (false, (1, 40.0))] {
            let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal };
            let s = &simulate(&m, &options).services[0];
            assert_eq!((s.outages, s.max_outage_secs), expected, "ideal {ideal} with {extra:?}");
        }
    }
}

/// Found by a new-user trial: a two-node cluster without quorum, with a fencing device
/// that is down (from 10 min before) when db-1's only link is cut for an hour. db-2
/// stops hearing db-1 at once and would promote itself after deadtime + takeover, but
/// must fence db-1 first, which needs the device: the promotion waits for it (back at
/// 20 min) and then takes the takeover time only, 30 s (docs/MECHANISMS.md, failover
/// preconditions: "the takeover starts only once every precondition works again, and
/// then takes its usual time"). One outage of 20 min 30 s, all of it the failover; it
/// was 20 min 40 s (detection counted again) in three pieces. With a quorum device the
/// same drill was already 20 min 30 s.
#[test]
fn a_promotion_waiting_for_its_fencing_device_takes_the_takeover_time_once_it_returns() {
    let text = |quorum: &str| {
        format!(
            r#"{{ "components": {{ "internet": {{ "kind": "entry" }}, "gw": {{ "kind": "router" }}, "sw": {{ "kind": "switch" }},
               "db-1": {{ "kind": "server", "runs": ["db"] }}, "db-2": {{ "kind": "server", "runs": ["db"] }},
               "qdev": {{ "kind": "quorum-device" }}, "ipmi": {{ "kind": "switch" }} }},
             "links": [ {{ "between": ["internet", "gw"] }}, {{ "between": ["gw", "sw"] }},
                        {{ "id": "db1-eth", "between": ["sw", "db-1"] }}, {{ "between": ["sw", "db-2"] }}, {{ "between": ["sw", "qdev"] }} ],
             "groups": {{ "db": {{ "kind": "cluster", "mode": "active-standby", "members": ["db-1/db", "db-2/db"],
                                  "fencing": {{ "device": "ipmi" }} {quorum} }} }},
             "services": {{ "s": {{ "from": "internet", "through": ["gw", "db"] }} }},
             "drills": [ {{ "name": "cut", "fail": "ipmi", "at": "9d 23h 50m", "for": "30m" }},
                         {{ "name": "cut", "fail": "db1-eth", "at": "10d", "for": "1h" }} ] }}"#
        )
    };
    let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
    for quorum in ["", r#", "quorum": "qdev""#] {
        let s = &simulate(&model(&text(quorum)), &options).services[0];
        assert_eq!((s.outages, s.max_outage_secs), (1, 20.0 * 60.0 + 30.0), "with {quorum:?}");
        let causes: Vec<&str> = s.attribution.iter().map(|c| c.mechanism.as_str()).collect();
        assert_eq!(causes, ["cluster failover"], "with {quorum:?}");
    }
}

/// Found by a new-user trial: a two-node cluster with a quorum device and a fencing
/// device that is down from 1 h to 3 h; db-1 (the primary) dies at 1 h 30 for 10 min.
/// db-2 may not take over without fencing db-1, so nothing is promoted; db-1 comes back
/// after its peers declared it gone and restarts in the takeover time (30 s): one
/// outage of 10 min 30 s, and no data lost, since the primary never moved. It was
/// 10 min (resumed at once) with "2 changes of primary, 2 s lost": the data followed
/// db-2 the moment db-1 stopped, though the cluster never promoted it.
#[test]
fn a_primary_back_while_its_takeover_waited_for_fencing_loses_no_data() {
    let text = r#"{ "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch" },
         "db-1": { "kind": "server", "runs": ["db"] }, "db-2": { "kind": "server", "runs": ["db"] },
         "qdev": { "kind": "quorum-device" }, "mgmt-sw": { "kind": "switch" } },
       "links": [ { "between": ["internet", "sw"] }, { "between": ["sw", "db-1"] }, { "between": ["sw", "db-2"] },
                  { "between": ["sw", "qdev"] } ],
       "groups": { "db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1/db", "db-2/db"],
                           "quorum": "qdev", "fencing": { "device": "mgmt-sw" } },
                   "repl": { "kind": "replication", "from": "db-1/db", "to": ["db-2/db"], "mode": "async", "lag": "1s" } },
       "services": { "s": { "from": "internet", "through": ["db"] } },
       "drills": [ { "name": "mg", "fail": "mgmt-sw", "at": "1h", "for": "2h" },
                   { "name": "mg", "fail": "db-1", "at": "1h 30m", "for": "10m" } ] }"#;
    let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
    let s = &simulate(&model(text), &options).services[0];
    assert_eq!((s.outages, s.max_outage_secs), (1, 630.0));
    assert_eq!((s.rpo_events, s.data_lost_secs), (0, 0.0));
    // With the fencing device up, db-2 takes over after deadtime + takeover, losing the lag.
    let fenced_up = text.replace(r#"{ "name": "mg", "fail": "mgmt-sw", "at": "1h", "for": "2h" },"#, "");
    assert_ne!(fenced_up, text);
    let s = &simulate(&model(&fenced_up), &options).services[0];
    assert_eq!((s.outages, s.max_outage_secs), (1, 40.0));
    assert_eq!((s.rpo_events, s.data_lost_secs), (1, 1.0));
}

/// Found by an independent audit: a cluster whose takeover needs a control plane
/// (`require`), down from 1 h for 3 h, while the active db-a is out from 2 h for 30 min.
/// The takeover waits; db-a comes back first and takes the role back after its
/// takeover time in the timed run (30 min 30 s). With `--ideal` (no delays) the service
/// stayed down for the rest of the run (100 years); it is down exactly while db-a is.
#[test]
fn an_ideal_member_back_while_its_takeover_waited_serves_again() {
    let text = r#"{ "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
           "switch": { "availability": "100%" }, "process": { "availability": "100%" } },
         "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch" },
           "db-a": { "kind": "server", "nics": ["sw"], "runs": ["db"], "mtbf": "10d", "mttr": "1d" },
           "db-b": { "kind": "server", "nics": ["sw"], "runs": ["db"], "mtbf": "10d", "mttr": "1d" },
           "cp": { "kind": "server", "mtbf": "10d", "mttr": "10d" } },
         "links": [ { "between": ["internet", "sw"] } ],
         "groups": { "db": { "kind": "cluster", "mode": "active-standby", "members": ["db-a/db", "db-b/db"], "require": ["cp"] } },
         "services": { "s": { "from": "internet", "through": ["db"] } },
         "drills": [ { "fail": "cp", "at": "1h", "for": "3h" }, { "fail": "db-a", "at": "2h", "for": "30m" } ] }"#;
    for (ideal, outage) in [(true, 1800.0), (false, 1830.0)] {
        let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal };
        let s = &simulate(&model(text), &options).services[0];
        assert_eq!((s.outages, s.max_outage_secs), (1, outage), "ideal: {ideal}");
    }
}

/// Found by a code review: a single-answer GSLB whose failover needs its DNS provider's
/// API (`require`), down while web-1 is out for an hour. The answer cannot move, so
/// clients keep web-1's; when web-1 returns they reach it at once (the answer never
/// changed), not after another TTL: one outage of exactly the hour.
#[test]
fn a_gslb_member_back_while_its_failover_waited_serves_at_once() {
    let text = r#"{ "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" } },
         "components": { "internet": { "kind": "entry" }, "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
           "web-1": { "kind": "server", "nics": ["sw-1"], "runs": ["web"] },
           "web-2": { "kind": "server", "nics": ["sw-2"], "runs": ["web"] }, "api": { "kind": "server" } },
         "links": [ { "between": ["internet", "sw-1"] }, { "between": ["internet", "sw-2"] } ],
         "groups": { "name": { "kind": "gslb", "members": ["web-1/web", "web-2/web"], "ttl": "300s", "require": ["api"],
                               "check": { "type": "tcp", "interval": "5s", "fall": 2, "rise": 3 } } },
         "services": { "svc": { "from": "internet", "through": ["name"] } },
         "drills": [ { "name": "d", "fail": "api", "at": "29d 23h 50m", "for": "2h" },
                     { "name": "d", "fail": "web-1", "at": "30d", "for": "1h" } ] }"#;
    let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
    let s = &simulate(&model(text), &options).services[0];
    assert_eq!((s.outages, s.max_outage_secs), (1, 3600.0));
}

/// Found by an independent trial: a single-answer GSLB (TTL 300 s, checks every 5 s,
/// fall 2) whose first member is down for less than detection + TTL. Clients still
/// holding its answer reach it again once it works (RFC 1034 §3.6), and those that
/// re-resolved got the healthy second member: the outage ends when the member is back,
/// not when the TTL runs out. Down 30 s → out 30 s (it was 310 s); 200 s → 200 s; down
/// for an hour → 10 s + 300 s, the clients' caches moving them off first.
#[test]
fn a_gslb_member_back_within_the_ttl_ends_the_outage() {
    let text = |secs: u32| {
        format!(
            r#"{{ "name": "gslb-short",
             "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }} }},
             "components": {{ "internet": {{ "kind": "entry" }}, "sw-1": {{ "kind": "switch" }}, "sw-2": {{ "kind": "switch" }},
               "web-1": {{ "kind": "server", "nics": ["sw-1"], "runs": ["web"] }},
               "web-2": {{ "kind": "server", "nics": ["sw-2"], "runs": ["web"] }} }},
             "links": [ {{ "between": ["internet", "sw-1"] }}, {{ "between": ["internet", "sw-2"] }} ],
             "groups": {{ "name": {{ "kind": "gslb", "members": ["web-1/web", "web-2/web"], "ttl": "300s",
                                    "check": {{ "type": "tcp", "interval": "5s", "fall": 2, "rise": 3 }} }} }},
             "services": {{ "svc": {{ "from": "internet", "through": ["name"] }} }},
             "drills": [ {{ "fail": "web-1", "at": "30d", "for": "{secs}s" }} ] }}"#
        )
    };
    let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
    for (down, outage) in [(30, 30.0), (200, 200.0), (3600, 310.0)] {
        let s = &simulate(&model(&text(down)), &options).services[0];
        assert_eq!((s.outages, s.max_outage_secs), (1, outage), "web-1 down {down} s");
    }
}

/// Found by a new-user trial: a two-node cluster with a quorum device and fencing. db-1's
/// only link fails at 30 d (db-2 and the device fence it and take over), db-2 dies 30
/// min later, and db-1's link returns at 1 h. db-1 is heard again with the device's
/// vote (2 of 3) and takes over: down from 30 min to 1 h plus the takeover (30 s), not
/// until db-2's repair. Before, a fenced node was let back only by a working active.
#[test]
fn a_fenced_node_rejoins_with_quorum_when_the_survivor_dies() {
    let text = r#"{ "name": "fenced-rejoins",
      "defaults": { "link": { "availability": "100%" }, "process": { "availability": "100%" }, "nic": { "availability": "100%" } },
      "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch", "availability": "100%" },
        "db-1": { "kind": "server", "runs": ["db"], "availability": "99%", "mttr": "4h" },
        "db-2": { "kind": "server", "runs": ["db"], "availability": "99%", "mttr": "4h" },
        "qdev": { "kind": "quorum-device", "availability": "100%" } },
      "links": [ { "between": ["internet", "sw"] }, { "id": "db1-eth", "between": ["sw", "db-1"] },
                 { "between": ["sw", "db-2"] }, { "between": ["sw", "qdev"] } ],
      "groups": { "db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1/db", "db-2/db"],
                          "quorum": "qdev", "fencing": {} } },
      "services": { "s": { "from": "internet", "through": ["db"] } },
      "drills": [ { "fail": "db1-eth", "at": "30d", "for": "1h" }, { "fail": "db-2", "at": "30d 30m", "for": "2h" } ] }"#;
    let m = model(text);
    for (ideal, expected) in [(true, 30.0 * 60.0), (false, 30.0 * 60.0 + 30.0)] {
        let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal };
        let s = &simulate(&m, &options).services[0];
        assert_eq!(s.max_outage_secs, expected, "ideal {ideal}");
    }
}

/// A pool nobody checks sends to every member configured (HAProxy without `check`),
/// from the start as later: a member its balancer cannot reach fails its share all
/// along. With a check it is out of rotation from the start. Found by a drill in which
/// a VRRP split let the backup balancer put such a member back: before, the unchecked
/// pool served in full until then and lost half its requests only afterwards.
#[test]
fn an_unchecked_pool_sends_to_a_member_its_balancer_cannot_reach_from_the_start() {
    let text = |check: &str| {
        format!(
            r#"{{ "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }},
                              "switch": {{ "availability": "100%" }}, "server": {{ "availability": "100%" }},
                              "process": {{ "availability": "100%" }}, "load-balancer": {{ "availability": "100%" }} }},
             "components": {{ "internet": {{ "kind": "entry" }}, "lb": {{ "kind": "load-balancer" }},
                              "sw-1": {{ "kind": "switch" }}, "sw-2": {{ "kind": "switch" }},
                              "web-1": {{ "kind": "server", "nics": ["sw-1"], "runs": ["web"] }},
                              "web-2": {{ "kind": "server", "nics": ["sw-2"], "runs": ["web"] }} }},
             "links": [ {{ "between": ["internet", "lb"] }}, {{ "between": ["lb", "sw-1"] }} ],
             "groups": {{ "web": {{ "kind": "lb-pool", "members": ["web-1/web", "web-2/web"], "balancer": "lb" {check} }} }},
             "services": {{ "s": {{ "from": "internet", "through": ["web"] }} }} }}"#
        )
    };
    let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
    let unchecked = simulate(&model(&text("")), &options);
    let s = &unchecked.services[0];
    assert_eq!((s.availability, s.full_service, s.requests_served), (1.0, 0.0, 0.5));
    let checked = simulate(&model(&text(r#", "check": { "type": "http" }"#)), &options);
    let s = &checked.services[0];
    assert_eq!((s.availability, s.full_service, s.requests_served), (1.0, 1.0, 1.0));
}
