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
            Some(PoolParams { crossings, hang_secs: if ideal { 0.0 } else { pool.hang_secs() } })
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
            self.pool_token[i] += 1;
            self.pool_until[i] = Some(self.now + pool.hang_secs);
            let token = self.pool_token[i];
            self.schedule(self.now + pool.hang_secs, Event::PoolReconnected { element: i as u32, token });
        }
        match self.pool_until[i] {
            Some(until) if self.now < until => true,
            _ => {
                self.pool_until[i] = None;
                false
            }
        }
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

    /// Whether pool `e` is waiting for its dead connections (for attribution).
    pub(in crate::simulate) fn pool_hanging(&self, e: usize) -> bool {
        self.pool_until[e].is_some_and(|until| self.now < until)
    }
}
