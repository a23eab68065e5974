//! Reconverge: spanning-tree domains stop forwarding while they reconverge, for the
//! IEEE 802.1D / 802.1w time the failure calls for.

use crate::model::ElementId;
use crate::simulate::engine::{Event, Sim};
use crate::simulate::spanning_tree::{root_ports, RootPort};

impl<'c, 'm> Sim<'c, 'm> {
    pub(in crate::simulate) fn elect_root(&self, j: usize) -> Option<usize> {
        let members = &self.cx.model.groups[j].members;
        let configured = self.cx.groups[j].stp.as_ref().map_or(0, |s| s.root);
        if self.works(members[configured]) {
            return Some(configured);
        }
        (0..members.len()).find(|&i| self.works(members[i]))
    }

    pub(in crate::simulate) fn ports_of(&self, j: usize, root: Option<usize>) -> Vec<RootPort> {
        let members = &self.cx.model.groups[j].members;
        let stp = self.cx.groups[j].stp.as_ref().expect("STP group");
        root_ports(members.len(), root, &stp.links, |i| self.works(members[i]), |l| self.works(l))
    }

    /// Member `i`'s path to the root in the tree before this change still works.
    pub(in crate::simulate) fn old_path_works(&self, j: usize, i: usize) -> bool {
        let members = &self.cx.model.groups[j].members;
        let Some(stp) = &self.cx.groups[j].stp else { return false };
        let ports = &self.groups[j].ports;
        let mut at = i;
        for _ in 0..members.len() {
            match ports[at] {
                RootPort::Root => return true,
                RootPort::Isolated => return false,
                RootPort::Via(l) => {
                    let Some(&(a, b, _)) = stp.links.iter().find(|x| x.2 == l) else { return false };
                    at = if a == at { b } else { a };
                    if !self.works(l) || !self.works(members[at]) {
                        return false;
                    }
                }
            }
        }
        false
    }

    pub(in crate::simulate) fn react_reconverge(&mut self, j: usize) {
        let cx = self.cx;
        let Some(stp) = &cx.groups[j].stp else { return };
        let members = &cx.model.groups[j].members;
        let root = self.elect_root(j);
        let ports = self.ports_of(j, root);
        let old_root = self.groups[j].root;
        let mut ends: Vec<f64> = Vec::new();
        for i in 0..members.len() {
            let (old, new) = (self.groups[j].ports[i], ports[i]);
            if old == new || new == RootPort::Isolated || !self.works(members[i]) {
                continue;
            }
            // IEEE 802.1D §8.6.2.2 (BackboneFast notes: "max_age plus two times forward
            // delay"). A switch moves after listening + learning (direct) when it gets
            // better information at once: its root port died and it has an alternate
            // (a blocked port of its own, towards the root), or its old path still works
            // and a better one appeared (a repair). It waits max_age first (indirect)
            // when it must age out stale information: the root died (beyond its own
            // root port), or its path broke and it has no alternate, or the break was
            // upstream. A root port lost directly (its link or the switch at its far
            // end died: loss of carrier) with an alternate moves at once, even when
            // the switch that died was the root: the alternate's stored information
            // ages out while it listens, and a port that stays root or designated
            // keeps counting its forward delays (IEEE 802.1D-1998 §8.6, §8.7).
            let root_died = old_root != root && old_root.is_some_and(|r| !self.works(members[r]));
            let old_ports = &self.groups[j].ports;
            let lost_directly = |l: ElementId| {
                !self.works(l)
                    || stp.links.iter().any(|&(a, b, x)| {
                        x == l && ((a != i && !self.works(members[a])) || (b != i && !self.works(members[b])))
                    })
            };
            // An alternate is a link that was no switch's root port (so its far end does
            // not hang below this switch).
            let to_alternate = matches!(new, RootPort::Via(nl) if !old_ports.contains(&RootPort::Via(nl)));
            let (direct, own_port_lost) = match old {
                RootPort::Via(l) if lost_directly(l) => (to_alternate, to_alternate),
                RootPort::Via(_) => (self.old_path_works(j, i), false),
                _ => (true, false),
            };
            let cost = if own_port_lost || direct && !root_died { stp.direct_secs } else { stp.indirect_secs };
            if cost <= 0.0 {
                continue;
            }
            let until = self.now + cost;
            // IEEE 802.1D §8.4: a port that becomes the root port listens and learns
            // (forward_delay each) before it forwards; the old root port, if its link
            // still works, becomes an alternate and blocks at once. The switch keeps
            // forwarding between its other ports (its own servers and gateways still
            // talk), so the links are held, not the switch.
            let mut held: Vec<ElementId> = Vec::new();
            if let RootPort::Via(l) = new {
                held.push(l);
            }
            if let RootPort::Via(l) = old {
                if !held.contains(&l) && self.works(l) {
                    held.push(l);
                }
            }
            for l in held {
                if !self.groups[j].reconverging_links[i].contains(&l) {
                    self.set_reconverging(l.0, true);
                    self.groups[j].reconverging_links[i].push(l);
                }
            }
            let st = &mut self.groups[j];
            st.reconverging_until[i] = st.reconverging_until[i].max(until);
            ends.push(st.reconverging_until[i]);
        }
        let st = &mut self.groups[j];
        st.ports = ports;
        st.root = root;
        // Each switch forwards again at its own time (a direct move ends before an
        // indirect one elsewhere in the domain).
        ends.sort_by(f64::total_cmp);
        ends.dedup();
        for end in ends {
            self.schedule(end, Event::Reconverged { group: j as u32 });
        }
    }

    /// Members whose reconvergence time is over forward again.
    pub(in crate::simulate) fn on_reconverged(&mut self, group: u32) {
        let cx = self.cx;
        let j = group as usize;
        let members = &cx.model.groups[j].members;
        for i in 0..members.len() {
            let until = self.groups[j].reconverging_until[i];
            if until > 0.0 && until <= self.now {
                self.groups[j].reconverging_until[i] = 0.0;
                for l in std::mem::take(&mut self.groups[j].reconverging_links[i]) {
                    self.set_reconverging(l.0, false);
                }
            }
        }
    }
}
