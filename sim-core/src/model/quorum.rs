//! Votes of a cluster with vote quorum (docs/SEMANTICS.md §3): one vote per node (the
//! server hosting a member; members on one server share it) plus the quorum device.
//! Each engine decides from these facts who holds a majority; this file only says who
//! votes.

use super::{EdgeKind, ElementId, GroupId, Model, NetworkIndex, NodeRef};

/// Who votes in a cluster with vote quorum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Votes {
    /// Distinct nodes, in member order of first appearance.
    pub nodes: Vec<ElementId>,
    /// Per member (group member order): index into `nodes`.
    pub node_of_member: Vec<usize>,
    /// The quorum device, with one vote.
    pub device: Option<ElementId>,
}

impl Votes {
    /// All votes: nodes plus the device.
    pub fn total(&self) -> usize {
        self.nodes.len() + usize::from(self.device.is_some())
    }

    /// Votes a partition needs: more than half of [`Votes::total`].
    pub fn majority(&self) -> usize {
        self.total() / 2 + 1
    }
}

impl Model {
    /// The server a member runs on (itself when it is not hosted).
    pub fn host_node(&self, member: ElementId) -> ElementId {
        match super::edge_targets(self, NodeRef::Element(member), EdgeKind::Hosting).first() {
            Some(&NodeRef::Element(host)) => host,
            _ => member,
        }
    }

    /// The votes of group `g`, when it decides by vote quorum.
    pub fn votes(&self, g: GroupId) -> Option<Votes> {
        let group = self.group(g);
        if !group.vote_quorum {
            return None;
        }
        let mut nodes: Vec<ElementId> = Vec::new();
        let node_of_member = group
            .members
            .iter()
            .map(|&m| {
                let node = self.host_node(m);
                nodes.iter().position(|&n| n == node).unwrap_or_else(|| {
                    nodes.push(node);
                    nodes.len() - 1
                })
            })
            .collect();
        Some(Votes { nodes, node_of_member, device: self.quorum_device(g) })
    }
}

impl NetworkIndex {
    /// Whether `e` takes part in the network: something in its closure has a link. An
    /// element that does not is taken to communicate with everyone.
    pub fn on_network(&self, e: ElementId) -> bool {
        self.closure(e).iter().any(|v| !self.adjacency[v.0 as usize].is_empty())
    }
}
