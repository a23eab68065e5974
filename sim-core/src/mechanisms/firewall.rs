//! Firewalls and DB connection pools (DOMAIN.md §4).
//!
//! A connection pool keeps `min`..`max` connections from an AP process to a database
//! (min = max pays the set-up cost once). A firewall between them silently drops
//! connections idle longer than its `idle_timeout`; a pool that keeps connections idle
//! longer than that without a keepalive hands out dead connections.

use schemars::JsonSchema;
use serde::Deserialize;

use super::power::{lower_power, PowerSpec};
use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Attr, EdgeKind, Layer, LowerCx, ModelBuilder, NodeRef, Req, Target};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<FirewallSpec>::NEW, &KindOf::<PoolSpec>::NEW];

/// A stateful firewall.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirewallSpec {
    pub power: Option<PowerSpec>,
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
        if let Some(owner) = cx.resolve_element(&self.on, &["process", "server"], "a pool's owner") {
            cx.need(me, Req::Element(owner), EdgeKind::Hosting);
            cx.attach(me, owner);
            cx.attr("owner", Attr::Text(self.on.value.clone()));
        }
        match cx.resolve(&self.to, &["process", "server", "cluster"], "a pool's database") {
            Some(Target::Element(db)) => cx.need(me, Req::Element(db), EdgeKind::Serves),
            Some(Target::Group(db)) => cx.need(me, Req::Group(db), EdgeKind::Serves),
            _ => {}
        }
        cx.attr("database", Attr::Text(self.to.value.clone()));
        for fw in super::resolve_elements(cx, &self.through, &["firewall"], "a firewall on the pool's path") {
            cx.need(me, Req::Element(fw), EdgeKind::Network);
        }
    }
}

/// After all kinds lowered: a service whose tiers go from a pool's owner straight to
/// its database reaches the database through the pool (and its firewalls): the pool
/// becomes a tier between them. (Owners inside a pool group are not rewritten.)
pub fn finish(b: &mut ModelBuilder) {
    let target = |b: &ModelBuilder, e: &crate::model::Element, key: &str| match e.attrs.get(key) {
        Some(Attr::Text(name)) => match b.lookup(name) {
            Some((Target::Element(x), _)) => Some(NodeRef::Element(x)),
            Some((Target::Group(x), _)) => Some(NodeRef::Group(x)),
            _ => None,
        },
        _ => None,
    };
    let pools: Vec<(NodeRef, NodeRef, NodeRef)> = b
        .model
        .elements
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == "connection-pool")
        .filter_map(|(i, e)| {
            Some((
                NodeRef::Element(crate::model::ElementId(i as u32)),
                target(b, e, "owner")?,
                target(b, e, "database")?,
            ))
        })
        .collect();
    for s in 0..b.model.services.len() {
        let old = b.model.services[s].through.clone();
        let mut through = Vec::with_capacity(old.len());
        for (i, &tier) in old.iter().enumerate() {
            through.push(tier);
            let Some(&next) = old.get(i + 1) else { continue };
            if let Some(&(pool, _, _)) = pools.iter().find(|(_, owner, db)| *owner == tier && *db == next) {
                through.push(pool);
                b.edge(NodeRef::Service(s as u32), pool, EdgeKind::Serves);
            }
        }
        b.model.services[s].through = through;
    }
}
