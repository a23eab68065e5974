//! Pooled DB connections across stateful firewalls (`mechanisms::firewall`): a firewall
//! forwards a TCP segment only for a connection in its table. When the table a pool's
//! connections were opened through is gone (the firewall failed or rebooted, or its
//! pair's address moved to the other member without session sync: a failover, or a
//! fail-back where the pair preempts), every pooled connection is dead, silently: the
//! new firewall drops the segments (Cisco ASA: "all active connections are dropped"
//! without stateful failover; FortiGate: session pickup is off by default). A request
//! on such a connection waits for the driver's socket timeout, else the kernel's TCP
//! give-up (924.6 s on Linux), before it fails and the pool drops the connection. A
//! pool kept busy reuses its connections within HikariCP's 500 ms validation bypass,
//! so a check on borrow does not catch them: the pool serves nothing until they time
//! out. The pool is down from the loss until its connections' hang is over, counted
//! from the loss (a firewall back sooner does not bring dead connections back).
//!
//! Idle drops: a pool whose quiet stretches outlast a firewall's idle timeout
//! (`mechanisms::firewall::idle_droppers`) finds its connections dead at the end of each
//! stretch and serves nothing for its after-quiet hang
//! (`mechanisms::firewall::after_quiet_hang_secs`). Stretches end at every, 2 × every,
//! … from the start of a run, in random runs only (a drill's outcome is the drilled
//! failure's; [`crate::simulate::quiet_outages`] plays one without failures).

use crate::model::{ElementId, Model, Req};
use crate::simulate::engine::{Event, Sim};

/// One stretch of a pool's path, as the simulator plays it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::simulate) enum Crossing {
    /// One firewall (element index).
    Firewall(u32),
    /// A VRRP or HSRP pair of firewalls (group index): `synced` when every member
    /// copies its table to the others, so only losing all of them loses the
    /// connections.
    Pair { group: u32, synced: bool },
}

/// A pool's firewalls and the hang after losing their state.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::simulate) struct PoolParams {
    pub crossings: Vec<Crossing>,
    /// Seconds a request on a dead connection waits (the socket timeout, else the TCP
    /// give-up); 0 in `ideal` runs.
    pub hang_secs: f64,
    /// Its quiet stretches that leave the connections dead, if any (none in `ideal` runs).
    pub after_quiet: Option<AfterQuiet>,
}

/// A pool's recurring loss of its idle connections.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::simulate) struct AfterQuiet {
    /// Seconds between the ends of two quiet stretches.
    pub every_secs: f64,
    /// Seconds the pool serves nothing from each end.
    pub hang_secs: f64,
    /// The firewalls (element indices, sorted) that drop the connections over a
    /// stretch: the pool's connections die if one of them forwards them at its end.
    pub droppers: Vec<u32>,
}

/// Per element: its pool parameters, if it is a pool crossing firewalls; per group:
/// the pools crossing it (marked when its holder moves, which may leave the group's
/// own state unchanged).
pub(in crate::simulate) fn compile(model: &Model, ideal: bool) -> (Vec<Option<PoolParams>>, Vec<Vec<u32>>) {
    let mut through_group = vec![Vec::new(); model.groups.len()];
    let pools = model
        .elements
        .iter()
        .map(|e| {
            let pool = e.connection_pool.as_ref()?;
            let crossings = pool
                .through
                .iter()
                .filter_map(|r| match r {
                    Req::Element(fw) => Some(Crossing::Firewall(fw.0)),
                    Req::Group(g) => {
                        through_group[g.0 as usize].push(e.id.0);
                        let synced = crate::mechanisms::firewall::unsynced_members(model, *g).is_empty();
                        Some(Crossing::Pair { group: g.0, synced })
                    }
                    _ => None,
                })
                .collect();
            // The firewalls that would drop the connections over a stretch; which of
            // them forwards the connections at its end decides.
            let after_quiet = pool.quiet.filter(|_| !ideal).and_then(|quiet| {
                let droppers: Vec<u32> = crate::mechanisms::firewall::idle_droppers(model, pool)
                    .into_iter()
                    .filter(|&(_, idle_secs)| quiet.lasts_secs > idle_secs)
                    .map(|(fw, _)| fw.0)
                    .collect();
                (!droppers.is_empty()).then(|| AfterQuiet {
                    every_secs: quiet.every_secs,
                    hang_secs: pool.after_quiet_hang_secs(),
                    droppers,
                })
            });
            Some(PoolParams { crossings, hang_secs: if ideal { 0.0 } else { pool.hang_secs() }, after_quiet })
        })
        .collect();
    (pools, through_group)
}

impl<'c, 'm> Sim<'c, 'm> {
    /// Whether pool `i`'s connections hang now. Notes which firewall each stretch
    /// of its path crosses; a stretch whose firewall changed or went away (to another
    /// member, or none) since the last look killed the connections: the hang starts.
    /// O(crossings × members); false for every element that is not such a pool.
    pub(in crate::simulate) fn pool_hung(&mut self, i: usize) -> bool {
        let Some(pool) = self.cx.pools[i].as_ref() else { return false };
        let mut lost = false;
        for (k, crossing) in pool.crossings.iter().enumerate() {
            let carrier = match *crossing {
                Crossing::Firewall(fw) => self.works(ElementId(fw)).then_some(fw),
                Crossing::Pair { group, synced } => {
                    let members = &self.cx.model.groups[group as usize].members;
                    if synced {
                        // Any member holds every connection's state.
                        members.iter().any(|&m| self.works(m)).then_some(group)
                    } else {
                        self.serving(group as usize).map(|a| members[a]).filter(|&m| self.works(m)).map(|m| m.0)
                    }
                }
            };
            let before = std::mem::replace(&mut self.pool_carriers[i][k], carrier);
            lost |= before.is_some() && before != carrier;
        }
        if lost && pool.hang_secs > 0.0 {
            self.start_hang(i, pool.hang_secs);
        }
        match self.pool_until[i] {
            Some(until) if self.now < until => true,
            _ => {
                self.pool_until[i] = None;
                false
            }
        }
    }

    /// Pool `i`'s connections are dead: it serves nothing for `secs` from now (or longer,
    /// if an earlier loss's hang lasts longer).
    fn start_hang(&mut self, i: usize, secs: f64) {
        let until = self.now + secs;
        if self.pool_until[i].is_some_and(|t| t >= until) {
            return;
        }
        self.pool_token[i] += 1;
        self.pool_until[i] = Some(until);
        let token = self.pool_token[i];
        self.schedule(until, Event::PoolReconnected { element: i as u32, token });
    }

    /// The first end of each pool's quiet stretches that may leave its connections dead.
    pub(in crate::simulate) fn schedule_quiet_ends(&mut self) {
        for i in 0..self.cx.pools.len() {
            if let Some(q) = self.cx.pools[i].as_ref().and_then(|p| p.after_quiet.as_ref()) {
                // An end at the horizon would open an outage of no length.
                if q.every_secs < self.horizon {
                    self.schedule(q.every_secs, Event::QuietEnded { element: i as u32 });
                }
            }
        }
    }

    /// A quiet stretch of pool `element` ended: its connections are dead; the next ends
    /// one period on.
    pub(in crate::simulate) fn on_quiet_ended(&mut self, element: u32) {
        let i = element as usize;
        let Some(pool) = self.cx.pools[i].as_ref() else { return };
        let Some(q) = pool.after_quiet.as_ref() else { return };
        // This is the k-th end (at k × every).
        let k = (self.now / q.every_secs).round();
        if k < f64::from(self.cx.quiet_ends) && self.now + q.every_secs < self.horizon {
            self.schedule(self.now + q.every_secs, Event::QuietEnded { element });
        }
        // The connections die if a firewall forwarding them now dropped them: a pair's
        // member holding the address, or any member of a synced pair (they share one
        // table, each member's timer running on it).
        let members = |g: u32| &self.cx.model.groups[g as usize].members;
        let dropped = pool.crossings.iter().any(|c| match *c {
            Crossing::Firewall(fw) => q.droppers.binary_search(&fw).is_ok(),
            Crossing::Pair { group, synced: true } => {
                members(group).iter().any(|m| q.droppers.binary_search(&m.0).is_ok())
            }
            Crossing::Pair { group, synced: false } => {
                self.serving(group as usize).is_some_and(|a| q.droppers.binary_search(&members(group)[a].0).is_ok())
            }
        });
        if !dropped {
            return;
        }
        let hang_secs = q.hang_secs;
        self.cause(element);
        self.start_hang(i, hang_secs);
        self.mark(element);
    }

    /// A pool's dead connections have all timed out: it opens new ones.
    pub(in crate::simulate) fn on_pool_reconnected(&mut self, element: u32, token: u32) {
        if self.pool_token[element as usize] == token {
            self.mark(element);
        }
    }

    /// Group `j`'s holder may have moved: the pools crossing it look again.
    pub(in crate::simulate) fn mark_pools_through(&mut self, j: usize) {
        for k in 0..self.cx.pools_through_group[j].len() {
            self.mark(self.cx.pools_through_group[j][k]);
        }
    }

    /// Whether pool `e` is waiting for its dead connections with every firewall on its
    /// path forwarding again (for attribution: while one is still down, the outage
    /// waits for that firewall first).
    pub(in crate::simulate) fn pool_hanging(&self, e: usize) -> bool {
        self.pool_until[e].is_some_and(|until| self.now < until) && self.pool_carriers[e].iter().all(Option::is_some)
    }
}

#[cfg(test)]
mod tests {
    use crate::simulate::{engine, Compiled, SimOptions};

    /// Two pools crossing a firewall that drops connections idle for 1 h, each in the
    /// only AP of its service, quiet 8 h a day: `plain` never checks a connection on
    /// borrow, `checked` does (HikariCP), with 10 connections each; everything else
    /// perfect.
    const DESIGN: &str = r#"{ "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
            "process": { "availability": "100%" }, "server": { "availability": "100%" },
            "switch": { "availability": "100%" }, "firewall": { "availability": "100%" } },
          "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch" },
            "fw": { "kind": "firewall", "idle_timeout": "1h" },
            "ap-1": { "kind": "server", "nics": ["sw"], "runs": ["ap"] },
            "ap-2": { "kind": "server", "nics": ["sw"], "runs": ["ap"] },
            "db": { "kind": "server", "nics": ["sw"], "runs": ["db"] },
            "plain-ds": { "kind": "connection-pool", "on": "ap-1/ap", "to": "db/db", "through": ["fw"], "min": 10, "max": 10,
                          "quiet": { "lasts": "8h", "every": "1d" }, "validation": "none" },
            "checked-ds": { "kind": "connection-pool", "on": "ap-2/ap", "to": "db/db", "through": ["fw"], "min": 10, "max": 10,
                            "quiet": { "lasts": "8h", "every": "1d" } } },
          "links": [ { "between": ["internet", "sw"] }, { "between": ["fw", "sw"] } ],
          "services": { "plain": { "from": "internet", "through": ["ap-1/ap", "db/db"] },
                        "checked": { "from": "internet", "through": ["ap-2/ap", "db/db"] } } }"#;

    /// Three quiet nights played without failures: each end leaves the connections
    /// dead. `plain` waits Linux TCP's give-up (924.6 s, ip-sysctl.rst `tcp_retries2`),
    /// `checked` walks its 10 dead connections at HikariCP's 5 s `validationTimeout`
    /// until the 30 s `connectionTimeout`: three outages of exactly that length, at 1 d,
    /// 2 d and 3 d.
    #[test]
    fn each_quiet_end_costs_the_pools_hang_exactly() {
        let model = crate::load(DESIGN).model.expect("loads");
        let mut compiled = Compiled::new(
            &model,
            SimOptions { years: 1, replications: 1, random_failures: false, ..Default::default() },
        );
        assert_eq!(compiled.quiet_ends, 0, "drills play no quiet stretch");
        compiled.quiet_ends = 3;
        let record = engine::run(&compiled, 0);
        let by_name = |name: &str| &record.services[model.services.iter().position(|s| s.name == name).unwrap()];
        for (service, hang) in [("plain", 924.6), ("checked", 30.0)] {
            let r = by_name(service);
            assert_eq!(r.outages, 3, "{service}");
            assert!((r.outage_secs - 3.0 * hang).abs() < 1e-6, "{service}: {}", r.outage_secs);
            assert!((r.max_outage_secs - hang).abs() < 1e-6, "{service}: {}", r.max_outage_secs);
        }
    }

    /// A firewall that keeps idle connections longer than the quiet stretch lasts, or a
    /// pool whose keepalive runs within the firewall's timeout: nothing dies.
    #[test]
    fn no_hang_when_the_connections_outlive_the_stretch() {
        for design in [
            DESIGN.replace(r#""idle_timeout": "1h""#, r#""idle_timeout": "9h""#),
            DESIGN.replace(r#""validation": "none""#, r#""validation": "none", "keepalive": "30m""#),
        ] {
            let model = crate::load(&design).model.expect("loads");
            let mut compiled = Compiled::new(
                &model,
                SimOptions { years: 1, replications: 1, random_failures: false, ..Default::default() },
            );
            compiled.quiet_ends = 3;
            let record = engine::run(&compiled, 0);
            let plain = model.services.iter().position(|s| s.name == "plain").unwrap();
            assert_eq!(record.services[plain].outages, 0);
        }
    }
}
