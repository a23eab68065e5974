//! The one definition of "the service is up" in the simulator (docs/SEMANTICS.md §4):
//! a chain of eligible members through the service's tiers.

use crate::model::ElementId;
use crate::simulate::engine::Sim;

impl<'c, 'm> Sim<'c, 'm> {
    /// docs/SEMANTICS.md §4: a chain of eligible members through the service's tiers,
    /// each reached from the previous one's member (the entry first).
    pub(in crate::simulate) fn chain(&mut self, s: usize) -> bool {
        let cx = self.cx;
        let sn = &cx.circuit.services[s];
        let entry = ElementId(sn.entry);
        if !self.carries(entry) {
            return false;
        }
        let mut ends = vec![entry];
        for (members, group) in &sn.chain {
            let eligible: Vec<ElementId> = members
                .iter()
                .enumerate()
                .filter(|&(i, &m)| match group {
                    Some(g) => self.eligible(g.0 as usize, i),
                    None => self.carries(m) && self.standby_in[m.0 as usize] == 0,
                })
                .map(|(_, &m)| m)
                .collect();
            let reached = self.reach_each(&ends, &eligible);
            ends = eligible.into_iter().zip(reached).filter(|x| x.1).map(|x| x.0).collect();
            if ends.is_empty() {
                return false;
            }
        }
        true
    }

    /// Member `i` of group `j` may carry the tier now: it works, this group does not hold
    /// it as standby (other groups' roles do not matter: a router backup for one VLAN
    /// is master for another), it is not reconverging and, under vote quorum, its
    /// partition holds a majority.
    pub(in crate::simulate) fn eligible(&mut self, j: usize, i: usize) -> bool {
        let m = self.cx.model.groups[j].members[i];
        self.works(m) && !self.groups[j].excluding[i] && self.reconverging[m.0 as usize] == 0 && self.has_majority(j, i)
    }

    /// docs/SEMANTICS.md §3: the votes member `i`'s node can count in its partition (its
    /// own node, the voting nodes it reaches, the device if reached) exceed half.
    pub(in crate::simulate) fn has_majority(&mut self, j: usize, i: usize) -> bool {
        let Some(votes) = &self.cx.groups[j].votes else { return true };
        let mine = votes.nodes[votes.node_of_member[i]];
        let mut count = 0;
        for &node in votes.nodes.iter().chain(&votes.device) {
            if self.works(node) && (node == mine || self.communicates(mine, node)) {
                count += 1;
            }
        }
        count >= votes.majority()
    }
}
