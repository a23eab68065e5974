//! Firewalls and DB connection pools (HikariCP documentation: `minimumIdle`, `keepaliveTime`).
//!
//! A connection pool keeps `min`..`max` connections from an AP process to a database
//! (min = max pays the set-up cost once). A firewall between them silently drops
//! connections idle longer than its `idle_timeout`; a pool that keeps connections idle
//! longer than that without a keepalive hands out dead connections.
//!
//! Lowers to: the pool's owner needs the pool, and the pool needs the database and
//! every firewall on its way, so a firewall failure stops the AP processes whose pools
//! cross it (in a pool of AP servers, each member with its own pool).

use schemars::JsonSchema;
use serde::Deserialize;

use super::power::{lower_power, PowerSpec};
use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Attr, EdgeKind, Layer, LowerCx, Req, Target};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

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
    /// Idle connections are dropped (silently) after this long (default 1h).
    pub idle_timeout: Option<Duration>,
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
        let idle = self.idle_timeout.map_or(3600.0, |d| d.secs);
        if idle <= 0.0 {
            cx.error(Code::ImpossibleValue, cx.span, "idle_timeout must be longer than zero", "typical firewalls: 1h");
        }
        cx.attr("idle_timeout", Attr::Secs(idle));
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
    /// Firewalls the connections cross.
    #[serde(default)]
    pub through: Vec<Ref>,
    /// Connections kept open at least.
    pub min: u32,
    /// Connections opened at most.
    pub max: u32,
    /// The pool closes connections idle this long (none: kept forever).
    pub idle_timeout: Option<Duration>,
    /// A validation query this often keeps idle connections alive.
    pub keepalive: Option<Duration>,
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

        for fw in super::resolve_elements(cx, &self.through, &["firewall"], "a firewall on the pool's path") {
            cx.need(me, Req::Element(fw), EdgeKind::Network);
        }
    }
}
