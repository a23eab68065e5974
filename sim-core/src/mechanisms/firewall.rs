//! Firewalls and DB connection pools (HikariCP documentation: `minimumIdle`, `keepaliveTime`).
//!
//! A connection pool keeps `min`..`max` connections from an AP process to a database
//! (min = max pays the set-up cost once). A firewall between them silently drops
//! connections idle longer than its `idle_timeout`; a pool that keeps connections idle
//! longer than that without a keepalive hands out dead connections.
//!
//! Lowers to: the pool's owner needs the pool, and the pool needs the database and
//! every firewall on its way, so a firewall failure stops the AP processes whose pools
//! cross it (in a pool of AP servers, each member with its own pool). `through` is a
//! list in series; a redundant firewall pair is one entry, its VRRP or HSRP group,
//! which the pool needs as a group (up while a member holds the address).
//!
//! Idle drops. A pool whose owner sends no query for a stretch (`quiet`: a night, a
//! weekend) leaves its connections idle; a firewall on the path whose idle timeout is
//! shorter than the stretch, and shorter than the pool's own idle timeout and keepalive
//! interval, has dropped them from its table by the time the traffic comes back
//! ([`idle_droppers`]), silently: the next segment on each is dropped. How long the
//! pool then serves nothing ([`after_quiet_hang_secs`]) depends on its check on borrow:
//! with HikariCP's (a connection idle for more than 500 ms is checked, each check
//! giving up after `validationTimeout`, 5 s, and a request after `connectionTimeout`,
//! 30 s: HikariCP README, "Frequently used"), a request walks the dead connections one
//! check at a time until it gets a new one or times out: min(min × 5 s, 30 s), the
//! wait of a request arriving alone (requests arriving together clear the dead
//! connections sooner, so this is the longest such wait). With no check, the query
//! waits for the socket timeout, else the TCP give-up. The simulator plays every quiet
//! stretch's end (`simulate/behaviours/pool.rs`) and the figure with timings adds the
//! hangs (`timed.rs`); drills and single-failure drills leave them out.

use schemars::JsonSchema;
use serde::Deserialize;

use super::power::{lower_power, PowerSpec};
use super::Ref;
use crate::de::Spanned;
use crate::diagnostics::Code;
use crate::model::{Attr, ConnectionPool, EdgeKind, Firewall, Layer, LowerCx, PoolValidation, Quiet, Req, Target};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

/// Seconds Linux TCP retransmits unacknowledged data before it declares an established
/// connection dead, with the default `net.ipv4.tcp_retries2` = 15: "a hypothetical
/// timeout of 924.6 seconds" (Linux Documentation/networking/ip-sysctl.rst). A query on
/// a connection whose firewall state is gone waits this long without a socket timeout.
pub const TCP_GIVE_UP_SECS: f64 = 924.6;

/// A firewall's idle timeout when the scenario gives none: Cisco ASA's `timeout conn`,
/// "the default is 1:00:00" (Cisco Secure Firewall ASA command reference, `timeout`).
pub const DEFAULT_IDLE_TIMEOUT_SECS: f64 = 3600.0;

/// Seconds a pool's check on borrow waits for a connection's answer: HikariCP's
/// `validationTimeout`, "Default: 5000" ms (HikariCP README).
pub const VALIDATION_TIMEOUT_SECS: f64 = 5.0;

/// Seconds a request waits for a connection from the pool before it fails: HikariCP's
/// `connectionTimeout`, "Default: 30000 (30 seconds)" (HikariCP README).
pub const CONNECTION_TIMEOUT_SECS: f64 = 30.0;

/// The firewalls on `pool`'s path (each member of a firewall pair on it) that drop its
/// idle connections before the pool itself closes or refreshes them: idle timeout not
/// above the pool's keepalive interval, and below its idle timeout (none: kept
/// forever), as (firewall, idle timeout in seconds), in element order. Read by SPOF-L011
/// and the simulator.
pub fn idle_droppers(model: &crate::model::Model, pool: &ConnectionPool) -> Vec<(crate::model::ElementId, f64)> {
    let idle = pool.idle_timeout_secs.unwrap_or(f64::INFINITY);
    let keepalive = pool.keepalive_secs.unwrap_or(f64::INFINITY);
    let mut crossed: Vec<crate::model::ElementId> = Vec::new();
    for r in &pool.through {
        match r {
            Req::Element(fw) => crossed.push(*fw),
            Req::Group(pair) => crossed.extend(&model.group(*pair).members),
            _ => {}
        }
    }
    crossed.sort();
    crossed.dedup();
    crossed
        .into_iter()
        .filter_map(|fw| Some((fw, model.element(fw).firewall?.idle_timeout_secs)))
        .filter(|&(_, fw_idle)| idle > fw_idle && keepalive >= fw_idle)
        .collect()
}

/// Seconds `pool` serves nothing once a quiet stretch has left its idle connections
/// dead: with a check on borrow, min(max(min, 1) × [`VALIDATION_TIMEOUT_SECS`],
/// [`CONNECTION_TIMEOUT_SECS`]), the wait of a request arriving alone; without, the
/// query's hang ([`ConnectionPool::hang_secs`]).
pub fn after_quiet_hang_secs(pool: &ConnectionPool) -> f64 {
    match pool.validation {
        PoolValidation::OnBorrow => {
            (f64::from(pool.min_connections.max(1)) * VALIDATION_TIMEOUT_SECS).min(CONNECTION_TIMEOUT_SECS)
        }
        PoolValidation::None => pool.hang_secs(),
    }
}

/// The members of pair `pair` that do not copy their connection table to the others
/// (no `session_sync`), in member order: empty when established connections survive a
/// move of the pair's address. Read by the simulator, `blast` and SPOF-L037.
pub fn unsynced_members(model: &crate::model::Model, pair: crate::model::GroupId) -> Vec<crate::model::ElementId> {
    model
        .group(pair)
        .members
        .iter()
        .copied()
        .filter(|&m| !model.element(m).firewall.is_some_and(|f| f.session_sync))
        .collect()
}

/// What a pool's `through` may name: a firewall, or a virtual-IP pair of firewalls.
const FIREWALL_ON_PATH: &[&str] = &["firewall", "vrrp", "hsrp"];

/// The groups that make firewalls a pair on a pool's path.
const PAIRS: &[&str] = &["vrrp", "hsrp"];

pub static KINDS: &[&dyn Kind] = &[&KindOf::<FirewallSpec>::NEW, &KindOf::<PoolSpec>::NEW];

/// A stateful firewall.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirewallSpec {
    /// Power sources (PDUs, UPSes or feeds), one PSU on each: `"power": ["pdu-a", "pdu-b"]`;
    /// omitted, power is not modelled.
    pub power: Option<PowerSpec>,
    /// Power draw in watts (positive); with PSU capacities, decides how many PSUs it
    /// needs, e.g. `"draw_watts": 350`.
    pub draw_watts: Option<f64>,
    /// Idle connections are dropped (silently) after this long (default 1h: Cisco ASA's
    /// `timeout conn`).
    pub idle_timeout: Option<Duration>,
    /// Its connection table is copied to the other member of its pair, so established
    /// connections survive a move between them (default false: FortiGate's
    /// `session-pickup` is disabled by default; Cisco ASA keeps connections across a
    /// failover only with stateful failover configured). Without it, a pooled
    /// connection that crossed the member that gave the address up is dead.
    pub session_sync: Option<bool>,
}

impl Spec for FirewallSpec {
    const INFO: KindInfo = KindInfo {
        name: "firewall",
        section: Section::Components,
        layer: Layer::Network,
        doc: "A stateful firewall that drops idle connections.",
        failure: Some(("15y", "4h")),
        // Restart: no vendor figure found; a spofsim default, as for switches (NVIDIA: up to
        // five minutes).
        restart: Some("5m"),
    };
    fn lower(&self, cx: &mut LowerCx) {
        lower_power(cx, &self.power, self.draw_watts);
        let idle = self.idle_timeout.map_or(DEFAULT_IDLE_TIMEOUT_SECS, |d| d.secs);
        if idle <= 0.0 {
            cx.error(Code::ImpossibleValue, cx.span, "idle_timeout must be longer than zero", "typical firewalls: 1h");
        }
        cx.attr("idle_timeout", Attr::Secs(idle));
        if let Some(me) = cx.me_element() {
            cx.builder.model.elements[me.0 as usize].firewall =
                Some(Firewall { session_sync: self.session_sync.unwrap_or(false), idle_timeout_secs: idle });
        }
    }
}

/// A DB connection pool (data source) in an AP process.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolSpec {
    /// The AP process (or server) that owns the pool.
    pub on: Ref,
    /// The database: a DB process or server, or a cluster.
    pub to: Ref,
    /// Firewalls the connections cross, in series (each one on the way): a firewall, or
    /// a VRRP or HSRP pair of firewalls, crossed through whichever member holds the
    /// pair's address, e.g. `"through": ["fw-vip"]`.
    #[serde(default)]
    pub through: Vec<Ref>,
    /// Connections kept open at least.
    pub min: u32,
    /// Connections opened at most.
    pub max: u32,
    /// The pool closes every connection idle this long (none: kept forever). HikariCP's
    /// `idleTimeout` retires only connections above `minimumIdle`, so with min = max it
    /// closes none: give it only for a pool that closes every idle connection.
    pub idle_timeout: Option<Duration>,
    /// A validation query this often keeps idle connections alive.
    pub keepalive: Option<Duration>,
    /// The JDBC driver's socket (read) timeout: how long a query on a connection whose
    /// packets go nowhere waits before it fails (default none, as in PgJDBC's and
    /// Connector/J's `socketTimeout` 0: the kernel's TCP give-up, 924.6 s on Linux).
    pub socket_timeout: Option<Spanned<Duration>>,
    /// Recurring stretches with no query from the owner (a night, a weekend), e.g.
    /// `"quiet": { "lasts": "8h", "every": "1d" }`; omitted, its connections are never
    /// idle for long. A firewall on the path that drops idle connections sooner than the
    /// stretch lasts leaves them dead when traffic comes back.
    pub quiet: Option<Spanned<QuietSpec>>,
    /// How the pool checks a connection that sat idle before handing it out: `on-borrow`
    /// (the default, as HikariCP does for a connection idle over 500 ms, giving up after
    /// `validationTimeout`, 5 s) or `none` (Apache Tomcat JDBC pool's `testOnBorrow`
    /// default, false: the query finds the connection dead).
    pub validation: Option<ValidationSpec>,
}

/// A recurring quiet stretch of a pool's owner.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietSpec {
    /// How long each stretch lasts, e.g. `"8h"`.
    pub lasts: Duration,
    /// How often it comes, end to end, e.g. `"1d"`; longer than `lasts`.
    pub every: Duration,
}

/// A pool's check of an idle connection before it hands it out.
#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ValidationSpec {
    /// Checked, with HikariCP's 5 s `validationTimeout` (the default).
    #[default]
    OnBorrow,
    /// Not checked (Tomcat JDBC pool's `testOnBorrow` false).
    None,
}

impl Spec for PoolSpec {
    const INFO: KindInfo = KindInfo {
        name: "connection-pool",
        section: Section::Components,
        layer: Layer::Software,
        doc: "A DB connection pool (data source) with size and idle timeout.",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        if self.min > self.max {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("pool min ({}) exceeds max ({})", self.min, self.max),
                "min ≤ max; min = max pays connection set-up once",
            );
        }
        if self.max == 0 {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "a pool with max 0 opens no connection",
                "set max to the connections the AP needs",
            );
        }
        cx.attr("min", Attr::Count(self.min.into()));
        cx.attr("max", Attr::Count(self.max.into()));
        if let Some(t) = self.idle_timeout {
            cx.attr("idle_timeout", Attr::Secs(t.secs));
        }
        if let Some(k) = self.keepalive {
            cx.attr("keepalive", Attr::Secs(k.secs));
        }
        let socket_timeout_secs = self.socket_timeout.as_ref().map(|t| t.value.secs);
        if let Some(t) = self.socket_timeout.as_ref().filter(|t| t.value.secs <= 0.0) {
            cx.error(
                Code::ImpossibleValue,
                t.span,
                "socket_timeout must be longer than zero",
                "omit it for the kernel's TCP give-up, or give the driver's timeout, e.g. \"30s\"",
            );
        }
        // The owner reaches its database only through its pool: the owner needs the
        // pool (not the other way round, which would be a loop), and the pool needs the
        // database and every firewall on the way.
        if let Some(owner) = cx.resolve_element(&self.on, &["process", "server"], "a pool's owner") {
            cx.need(owner, Req::Element(me), EdgeKind::Serves);
            cx.attach(me, owner);
        }
        match cx.resolve(&self.to, &["process", "server", "cluster"], "a pool's database") {
            Some(Target::Element(db)) => cx.need(me, Req::Element(db), EdgeKind::Serves),
            Some(Target::Group(db)) => cx.need(me, Req::Group(db), EdgeKind::Serves),
            _ => {}
        }

        // In series: the connection crosses every entry. An entry that is a VRRP or HSRP
        // pair of firewalls is crossed through whichever member holds the pair's address.
        super::check_distinct(cx, &self.through, "the pool's path");
        let listed: Vec<&str> = self.through.iter().map(|r| r.value.as_str()).collect();
        let mut through = Vec::new();
        for r in &self.through {
            match cx.builder.resolve_in_list(r, FIREWALL_ON_PATH, "a firewall on the pool's path", &listed) {
                Some(Target::Element(fw)) => {
                    cx.builder.named_member_checks.push((fw, r.span, PAIRS, "the pool's path"));
                    through.push(Req::Element(fw));
                }
                Some(Target::Group(pair)) => {
                    cx.builder.member_kind_checks.push((
                        pair,
                        r.span,
                        &["firewall"],
                        "a firewall pair on a pool's path",
                    ));
                    through.push(Req::Group(pair));
                }
                _ => {}
            }
        }
        for req in &through {
            cx.need(me, req.clone(), EdgeKind::Network);
        }
        let quiet = self.quiet.as_ref().and_then(|spanned| {
            let q = &spanned.value;
            if q.lasts.secs <= 0.0 || q.every.secs <= q.lasts.secs {
                cx.error(
                    Code::ImpossibleValue,
                    spanned.span,
                    format!(
                        "a quiet stretch of {} every {} is impossible: it must last longer than zero and less than its period",
                        q.lasts, q.every
                    ),
                    "e.g. \"quiet\": { \"lasts\": \"8h\", \"every\": \"1d\" }",
                );
                return None;
            }
            Some(Quiet { lasts_secs: q.lasts.secs, every_secs: q.every.secs })
        });
        if !through.is_empty() {
            cx.builder.model.elements[me.0 as usize].connection_pool = Some(ConnectionPool {
                through,
                socket_timeout_secs,
                min_connections: self.min,
                idle_timeout_secs: self.idle_timeout.map(|t| t.secs),
                keepalive_secs: self.keepalive.map(|t| t.secs),
                quiet,
                validation: match self.validation.unwrap_or_default() {
                    ValidationSpec::OnBorrow => PoolValidation::OnBorrow,
                    ValidationSpec::None => PoolValidation::None,
                },
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze_tree, structure, Options};

    /// A pool across a VRRP pair of firewalls (1 y / 4 h each), everything else perfect;
    /// `extra` goes into both firewalls.
    fn design(extra: &str) -> String {
        format!(
            r#"{{ "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }},
                    "process": {{ "availability": "100%" }}, "server": {{ "availability": "100%" }},
                    "switch": {{ "availability": "100%" }} }},
              "components": {{ "internet": {{ "kind": "entry" }}, "sw": {{ "kind": "switch" }},
                "fw-1": {{ "kind": "firewall", "mtbf": "1y", "mttr": "4h"{extra} }},
                "fw-2": {{ "kind": "firewall", "mtbf": "1y", "mttr": "4h"{extra} }},
                "ap": {{ "kind": "server", "nics": ["sw"], "runs": ["ap"] }},
                "db": {{ "kind": "server", "nics": ["sw"], "runs": ["db"] }},
                "ds": {{ "kind": "connection-pool", "on": "ap/ap", "to": "db/db", "through": ["fw-vip"], "min": 5, "max": 5 }} }},
              "links": [ {{ "between": ["internet", "sw"] }}, {{ "between": ["fw-1", "sw"] }}, {{ "between": ["fw-2", "sw"] }} ],
              "groups": {{ "fw-vip": {{ "kind": "vrrp", "members": ["fw-1", "fw-2"] }} }},
              "services": {{ "orders": {{ "from": "internet", "through": ["ap/ap", "db/db"] }} }} }}"#
        )
    }

    /// A firewall pair on the pool's path is one entry in series: the pool needs one
    /// member, so neither firewall is a single point of failure and U = q², q = 4 h /
    /// (1 y + 4 h).
    #[test]
    fn a_firewall_pair_on_the_path_needs_one_member() {
        let m = crate::load(&design("")).model.expect("loads");
        let singles = crate::analysis::single_failures::single_failures(&m);
        assert_eq!(singles[0].as_deref(), Some(&[][..]));
        let q = 4.0 / (8760.0 + 4.0);
        let tree = structure::service_trees(&m).remove(0).expect("a tree");
        let u = analyze_tree(&tree, &Options::default()).expect("exact").probability;
        assert!((u - q * q).abs() < 1e-9 * q * q, "{u:e} against {:e}", q * q);
    }

    /// A pair whose members are not all firewalls is refused where it is named.
    #[test]
    fn a_pair_with_a_member_that_is_no_firewall_is_an_error() {
        let text = design("").replace(
            r#""fw-2": { "kind": "firewall", "mtbf": "1y", "mttr": "4h" }"#,
            r#""fw-2": { "kind": "router" }"#,
        );
        let loaded = crate::load(&text);
        let errors: Vec<String> =
            loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
        assert_eq!(
            errors,
            [
                r#""fw-vip" has member "fw-2", a router, but a firewall pair on a pool's path must have only firewall members"#
            ]
        );
    }

    /// `blast` of the master says what the failover costs the pool; of the backup, or
    /// with the tables shared, nothing.
    #[test]
    fn blast_names_the_pools_whose_connections_the_failover_kills() {
        let lost = |text: &str, failed: &str| {
            let m = crate::load(text).model.expect("loads");
            let e = m.element_by_name(failed).expect("declared").id;
            crate::analysis::findings::blast(&m, &[e]).connections_lost
        };
        let plain = design("");
        let master = lost(&plain, "fw-1");
        assert_eq!(master.len(), 1, "{master:?}");
        assert!(master[0].starts_with("ds: fw-vip moves off fw-1 without session sync"), "{}", master[0]);
        assert!(master[0].contains("hang 15m 25s"), "{}", master[0]);
        assert!(lost(&plain, "fw-2").is_empty());
        assert!(lost(&design(r#", "session_sync": true"#), "fw-1").is_empty());
    }

    /// One member of a pair named alone: the pool needs that member (a SPOF, as
    /// written), and a warning says the pair could stand in.
    #[test]
    fn one_member_of_a_pair_named_alone_is_warned_about() {
        let loaded = crate::load(&design("").replace(r#""through": ["fw-vip"]"#, r#""through": ["fw-1"]"#));
        let warnings: Vec<String> = loaded.diagnostics.iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            warnings,
            [
                r#""fw-1" is a member of vrrp "fw-vip", but the pool's path names it alone: only fw-1 counts there, and the other members cannot stand in for it"#
            ]
        );
        let m = loaded.model.expect("a warning only");
        let singles = crate::analysis::single_failures::single_failures(&m);
        let names: Vec<&str> = singles[0].iter().flatten().map(|e| m.element(*e).name.as_str()).collect();
        assert_eq!(names, ["fw-1"]);
    }

    /// Without session sync, each failure of the master costs the pool two hangs of
    /// TCP's give-up (924.6 s): from the loss, and from the fail-back (the repair starts
    /// after the users' hour, so every outage outlasts the first hang). The simulation
    /// against the closed form 2 × 924.6 s / (1 y + 1 h + 4 h) + q_d², q_d = 5 h /
    /// (1 y + 5 h) the pair both down; second-order terms (the backup down when the
    /// master fails) are below 1e-7. With the tables shared, only the takeover is left.
    #[test]
    fn the_simulation_hangs_the_pool_for_each_move_of_an_unsynced_pair() {
        let run = |text: &str| {
            let m = crate::load(text).model.expect("loads");
            let options = crate::simulate::SimOptions {
                years: 1000,
                replications: 200,
                seed: 1,
                random_failures: true,
                ideal: false,
            };
            crate::simulate::simulate(&m, &options).services[0].availability_ci95
        };
        let hour = 3600.0;
        let cycle = 8760.0 * hour + 5.0 * hour;
        let q_d = 5.0 * hour / cycle;
        let expected = 2.0 * super::TCP_GIVE_UP_SECS / cycle + q_d * q_d;
        let [lo, hi] = run(&design(""));
        assert!(
            lo <= 1.0 - expected && 1.0 - expected <= hi,
            "{:e} outside [{:e}, {:e}]",
            expected,
            1.0 - hi,
            1.0 - lo
        );
        let [lo, _] = run(&design(r#", "session_sync": true"#));
        assert!(1.0 - lo < 1e-5, "synced: {:e}", 1.0 - lo);
    }
}

#[cfg(test)]
mod idle_drop_tests {
    /// An LB pool of two AP servers, each with a pool of 4 connections (HikariCP's check
    /// on borrow) across a firewall dropping connections idle 1 h, both quiet 8 h a day:
    /// everything else perfect.
    const TIER: &str = r#"{ "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
            "process": { "availability": "100%" }, "server": { "availability": "100%" },
            "switch": { "availability": "100%" }, "firewall": { "availability": "100%" },
            "load-balancer": { "availability": "100%" } },
          "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch" }, "lb": { "kind": "load-balancer" },
            "fw": { "kind": "firewall", "idle_timeout": "1h" },
            "ap-1": { "kind": "server", "nics": ["sw"], "runs": ["ap"] },
            "ap-2": { "kind": "server", "nics": ["sw"], "runs": ["ap"] },
            "db": { "kind": "server", "nics": ["sw"], "runs": ["db"] },
            "ap-1-ds": { "kind": "connection-pool", "on": "ap-1/ap", "to": "db/db", "through": ["fw"], "min": 4, "max": 4,
                         "quiet": { "lasts": "8h", "every": "1d" } },
            "ap-2-ds": { "kind": "connection-pool", "on": "ap-2/ap", "to": "db/db", "through": ["fw"], "min": 4, "max": 4,
                         "quiet": { "lasts": "8h", "every": "1d" } } },
          "links": [ { "between": ["internet", "lb"] }, { "between": ["lb", "sw"] }, { "between": ["fw", "sw"] } ],
          "groups": { "ap": { "kind": "lb-pool", "balancer": "lb", "members": ["ap-1/ap", "ap-2/ap"] } },
          "services": { "shop": { "from": "internet", "through": ["ap", "db/db"] } } }"#;

    /// The same night for both AP servers: both pools hang together, so the redundant
    /// tier is down for the hang, 4 × 5 s (HikariCP's `validationTimeout`) = 20 s a day.
    /// The figure with timings adds 20 / 86400; the simulation over 20 years measures
    /// the same; the static figure (instant everything) stays 0.
    #[test]
    fn a_tier_whose_pools_go_quiet_together_is_down_for_the_hang() {
        let model = crate::load(TIER).model.expect("loads");
        let singles = crate::analysis::single_failures::single_failures(&model);
        let drills = crate::timed::Drills::run(&model);
        let t = crate::timed::timed_figures(&model, &singles, &[true], &crate::analysis::Options::default(), &drills)
            .remove(0)
            .expect("figure");
        let expected = 20.0 / 86400.0;
        assert!((t.idle_drops - expected).abs() < 1e-12, "{:e}", t.idle_drops);
        assert_eq!(t.quiet.len(), 1);
        assert_eq!(t.quiet[0].pools, ["ap-1-ds", "ap-2-ds"]);
        assert_eq!(t.detected, 0.0);
        let options = crate::simulate::SimOptions { years: 20, replications: 2, ..Default::default() };
        let report = crate::simulate::simulate(&model, &options);
        let simulated = 1.0 - report.services[0].availability;
        // 365 ends a simulated year of 365 d, less the one at each run's horizon.
        let ends = 20.0 * 365.0 - 1.0;
        let exact = ends * 20.0 / (20.0 * crate::simulate::YEAR_SECS);
        assert!((simulated - exact).abs() < 1e-9, "{simulated:e} against {exact:e}");
        assert!((simulated - expected).abs() < 0.01 * expected);
    }

    /// On a firewall pair, the member forwarding the connections at the stretch's end
    /// decides: with everything up the first member (VRRP priority 200) holds the
    /// address, so a short idle timeout on the backup alone costs nothing, and one on the
    /// first member costs the hang. A pair sharing its table (session sync) shares the
    /// timers too: either member's short timeout drops them.
    #[test]
    fn on_a_pair_the_member_forwarding_at_the_end_decides() {
        let pair = |fw1: &str, fw2: &str, sync: &str| {
            format!(
                r#"{{ "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }},
                    "process": {{ "availability": "100%" }}, "server": {{ "availability": "100%" }},
                    "switch": {{ "availability": "100%" }}, "firewall": {{ "availability": "100%" }} }},
                  "components": {{ "internet": {{ "kind": "entry" }}, "sw": {{ "kind": "switch" }},
                    "fw-1": {{ "kind": "firewall", "idle_timeout": "{fw1}"{sync} }},
                    "fw-2": {{ "kind": "firewall", "idle_timeout": "{fw2}"{sync} }},
                    "ap": {{ "kind": "server", "nics": ["sw"], "runs": ["ap"] }},
                    "db": {{ "kind": "server", "nics": ["sw"], "runs": ["db"] }},
                    "ds": {{ "kind": "connection-pool", "on": "ap/ap", "to": "db/db", "through": ["fw-vip"], "min": 2, "max": 2,
                            "quiet": {{ "lasts": "8h", "every": "1d" }} }} }},
                  "links": [ {{ "between": ["internet", "sw"] }}, {{ "between": ["fw-1", "sw"] }}, {{ "between": ["fw-2", "sw"] }} ],
                  "groups": {{ "fw-vip": {{ "kind": "vrrp", "members": ["fw-1", "fw-2"] }} }},
                  "services": {{ "s": {{ "from": "internet", "through": ["ap/ap", "db/db"] }} }} }}"#
            )
        };
        // 2 connections × 5 s a day when it drops them, else nothing.
        let hang = 10.0 / 86400.0;
        let sync = r#", "session_sync": true"#;
        for (text, expected) in
            [(pair("10h", "1h", ""), 0.0), (pair("1h", "10h", ""), hang), (pair("10h", "1h", sync), hang)]
        {
            let model = crate::load(&text).model.expect("loads");
            let singles = crate::analysis::single_failures::single_failures(&model);
            let drills = crate::timed::Drills::run(&model);
            let t =
                crate::timed::timed_figures(&model, &singles, &[true], &crate::analysis::Options::default(), &drills)
                    .remove(0)
                    .expect("figure");
            assert!((t.idle_drops - expected).abs() < 1e-12, "{:e} against {expected:e}", t.idle_drops);
            let options = crate::simulate::SimOptions { years: 3, replications: 1, ..Default::default() };
            let simulated = 1.0 - crate::simulate::simulate(&model, &options).services[0].availability;
            let ends = 3.0 * 365.0 - 1.0;
            let exact = if expected > 0.0 { ends * 10.0 / (3.0 * crate::simulate::YEAR_SECS) } else { 0.0 };
            assert!((simulated - exact).abs() < 1e-9, "{simulated:e} against {exact:e}");
        }
    }

    /// A socket timeout longer than TCP's give-up waits only until the kernel ends the
    /// connection (924.6 s).
    #[test]
    fn a_socket_timeout_beyond_tcps_give_up_waits_for_the_give_up() {
        let long = TIER
            .replace(r#""min": 4, "max": 4,"#, r#""min": 4, "max": 4, "validation": "none", "socket_timeout": "20m","#);
        let model = crate::load(&long).model.expect("loads");
        let pool = model.element_by_name("ap-1-ds").and_then(|e| e.connection_pool.as_ref()).expect("a pool");
        assert_eq!(pool.after_quiet_hang_secs(), super::TCP_GIVE_UP_SECS);
        assert_eq!(pool.hang_secs(), super::TCP_GIVE_UP_SECS);
    }

    /// Unknown keys inside `quiet` are each reported, with the keys `quiet` takes (not
    /// the component's own, such as `mtbf`).
    #[test]
    fn unknown_keys_inside_quiet_are_reported_with_quiets_keys() {
        let bad = TIER.replacen(r#""every": "1d" }"#, r#""every": "1d", "mtbf": "1y", "starts": "22h" }"#, 1);
        let loaded = crate::load(&bad);
        let errors: Vec<(String, Option<String>)> =
            loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| (d.message.clone(), d.help.clone())).collect();
        let help = Some("expected one of: every, lasts".to_string());
        assert_eq!(
            errors,
            [("unknown field \"mtbf\"".to_string(), help.clone()), ("unknown field \"starts\"".to_string(), help)]
        );
    }

    /// A quiet stretch that is no shorter than its period is refused, with the fix.
    #[test]
    fn an_impossible_quiet_stretch_is_an_error() {
        let bad = TIER.replacen(r#""lasts": "8h", "every": "1d""#, r#""lasts": "1d", "every": "1d""#, 1);
        let loaded = crate::load(&bad);
        let errors: Vec<String> =
            loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("quiet stretch of 1d every 1d is impossible"), "{}", errors[0]);
    }
}
