//! Network tables shared by every analysis: who is linked to whom (and through which
//! link element), what is attached without a link, and which devices forward traffic.

use petgraph::visit::EdgeRef;

use super::{EdgeKind, ElementId, GroupId, Model, NodeRef};

/// Kinds that forward traffic between other devices; servers are endpoints.
/// Kinds that forward frames within one L2 segment.
pub const SWITCHING: &[&str] = &["switch"];

pub const FORWARDING: &[&str] = &["switch", "router", "firewall", "load-balancer", "san-switch", "entry"];

/// Kinds with no IP address of their own, so no probe (ARP, ICMP) can be answered by
/// them: a cable, a site, the outside world.
const WITHOUT_ADDRESS: &[&str] = &["link", "site", "entry"];

/// Whether `kind` names a device with an address that a probe can get an answer from.
pub fn has_address(kind: &str) -> bool {
    !WITHOUT_ADDRESS.contains(&kind)
}

pub struct NetworkIndex {
    /// Per element: (neighbour, link element) over network links.
    pub adjacency: Vec<Vec<(ElementId, ElementId)>>,
    /// Per element: elements attached to it (a NIC in its server, a process on its host).
    pub attached: Vec<Vec<ElementId>>,
    pub forwarding: Vec<bool>,
    /// Per element: forwards inside one L2 segment only (a switch), so link-local
    /// multicast such as VRRP adverts crosses it while it stops at a router.
    pub switching: Vec<bool>,
    /// Per element: for a switch, its L2 domain (the switches it reaches over links
    /// between switches, all working); `u32::MAX` for anything else.
    pub switch_domain: Vec<u32>,
}

impl NetworkIndex {
    /// O(V + E).
    pub fn new(model: &Model) -> NetworkIndex {
        let n = model.elements.len();
        let mut adjacency = vec![Vec::new(); n];
        for l in &model.links {
            adjacency[l.a.0 as usize].push((l.b, l.element));
            adjacency[l.b.0 as usize].push((l.a, l.element));
        }
        let mut attached = vec![Vec::new(); n];
        for &(a, b) in &model.attachments {
            attached[a.0 as usize].push(b);
            attached[b.0 as usize].push(a);
        }
        let forwarding = model.elements.iter().map(|e| FORWARDING.contains(&e.kind)).collect();
        let switching: Vec<bool> = model.elements.iter().map(|e| SWITCHING.contains(&e.kind)).collect();
        let mut switch_domain = vec![u32::MAX; n];
        for start in 0..n {
            if !switching[start] || switch_domain[start] != u32::MAX {
                continue;
            }
            switch_domain[start] = start as u32;
            let mut stack = vec![start];
            while let Some(v) = stack.pop() {
                for &(w, _) in &adjacency[v] {
                    let wi = w.0 as usize;
                    if switching[wi] && switch_domain[wi] == u32::MAX {
                        switch_domain[wi] = start as u32;
                        stack.push(wi);
                    }
                }
            }
        }
        NetworkIndex { adjacency, attached, forwarding, switching, switch_domain }
    }

    /// Per element: whether a path crosses it, a forwarding device, or with
    /// `switches_only` a switch (an ARP probe stays in one L2 segment,
    /// docs/SEMANTICS.md §2 `Probe`).
    pub fn forwarders(&self, switches_only: bool) -> &[bool] {
        if switches_only {
            &self.switching
        } else {
            &self.forwarding
        }
    }

    /// [`Self::forwarders`] with every element marked in `blocked` (which may be
    /// shorter, or empty) taken out: standby members that forward nothing.
    pub fn forwarders_except(&self, switches_only: bool, blocked: &[bool]) -> Vec<bool> {
        let forwarding = self.forwarders(switches_only);
        forwarding.iter().enumerate().map(|(i, &f)| f && !blocked.get(i).copied().unwrap_or(false)).collect()
    }

    /// Whether member `m`'s interface on an advert segment is up: a link that `works` to
    /// a switch of `segment` that `works` (any switch when `segment` is empty). True
    /// when `m` is cabled to no such switch (the segment is not modelled). A VRRP/HSRP
    /// router whose interface is down is in FAULT (keepalived) or Init (Cisco HSRP) and
    /// holds no virtual IP. O(degree of `m`).
    ///
    /// With no `segment` given, the segment is the L2 domains that join `m` to another
    /// member of `g`: a switch cabled to `m` alone (a leg into another VLAN) is another
    /// interface, and losing the member's cable to the shared domain still puts it in
    /// FAULT rather than making it a second master.
    pub fn segment_link_up(&self, g: &super::Group, m: ElementId, works: impl Fn(ElementId) -> bool) -> bool {
        let segment = &g.advert_segment;
        let joins_another_member = |w: ElementId| {
            let domain = self.switch_domain[w.0 as usize];
            g.members
                .iter()
                .filter(|&&x| x != m)
                .any(|&x| self.adjacency[x.0 as usize].iter().any(|&(y, _)| self.switch_domain[y.0 as usize] == domain))
        };
        let on_segment = |w: ElementId| {
            if segment.is_empty() {
                self.switching[w.0 as usize] && joins_another_member(w)
            } else {
                segment.contains(&w)
            }
        };
        let mut links = self.adjacency[m.0 as usize].iter().filter(|&&(w, _)| on_segment(w)).peekable();
        links.peek().is_none() || links.any(|&(w, link)| works(link) && works(w))
    }

    /// Whether `from`'s VRRP/HSRP adverts reach an element `to` accepts over elements
    /// and links that `works`: link-local multicast crosses switches but no router (RFC
    /// 5798 §5.1.1.3), only the group's `segment` when it names one, and, with
    /// `honour_blockers`, never a switch that drops multicast. O(V + E).
    pub fn adverts_reach(
        &self,
        g: &super::Group,
        from: ElementId,
        to: impl Fn(ElementId) -> bool,
        works: impl Fn(ElementId) -> bool,
        honour_blockers: bool,
    ) -> bool {
        let mut seen = vec![false; self.adjacency.len()];
        seen[from.0 as usize] = true;
        let mut stack = vec![from];
        while let Some(v) = stack.pop() {
            for &(w, link) in &self.adjacency[v.0 as usize] {
                if seen[w.0 as usize] || !works(link) || !works(w) {
                    continue;
                }
                if to(w) {
                    return true;
                }
                seen[w.0 as usize] = true;
                if self.carries_adverts(g, w, honour_blockers) {
                    stack.push(w);
                }
            }
        }
        false
    }

    /// Whether element `w` passes group `g`'s adverts on: a switch (link-local multicast
    /// crosses no router, RFC 5798 §5.1.1.3), or only the group's `segment` when it
    /// names one, and, with `honour_blockers`, not a switch that drops multicast.
    pub fn carries_adverts(&self, g: &super::Group, w: ElementId, honour_blockers: bool) -> bool {
        !(honour_blockers && g.advert_blockers.contains(&w))
            && if g.advert_segment.is_empty() { self.switching[w.0 as usize] } else { g.advert_segment.contains(&w) }
    }

    /// The members of VRRP/HSRP group `g` that would each be master, in sets that hear
    /// each other, when only what `works` works: every working member whose interface
    /// on the segment is up ([`Self::segment_link_up`]) and that hears no other set.
    /// More than one set means more than one master answering for the virtual IP (RFC
    /// 5798 §6.4.2: a backup that hears no adverts for Master_Down_Interval becomes
    /// master). Sets in member order. O(members × (V + E)).
    pub fn master_sets(&self, g: &super::Group, works: impl Fn(ElementId) -> bool) -> Vec<Vec<ElementId>> {
        let mut sets: Vec<Vec<ElementId>> = Vec::new();
        for &m in &g.members {
            if !works(m) || !self.segment_link_up(g, m, &works) {
                continue;
            }
            match sets.iter_mut().find(|set| self.adverts_reach(g, m, |w| set.contains(&w), &works, true)) {
                Some(set) => set.push(m),
                None => sets.push(vec![m]),
            }
        }
        sets
    }

    /// Everything attached to `e`, transitively (a process, its server, its NICs), `e` first.
    pub fn closure(&self, e: ElementId) -> Vec<ElementId> {
        let mut seen = vec![e];
        let mut i = 0;
        while i < seen.len() {
            for &w in &self.attached[seen[i].0 as usize] {
                if !seen.contains(&w) {
                    seen.push(w);
                }
            }
            i += 1;
        }
        seen
    }

    /// [`Self::closure`] without the elements `blocked` marks that forward nothing: an
    /// active-backup bond's idle NIC carries no traffic at all under a choice of holders
    /// (docs/SEMANTICS.md §4, `model::roles`), while a blocked forwarding device (a
    /// VRRP backup) stays in its own closure and only stops forwarding.
    pub fn closure_except(&self, e: ElementId, blocked: &[bool]) -> Vec<ElementId> {
        let mut c = self.closure(e);
        c.retain(|v| !blocked.get(v.0 as usize).copied().unwrap_or(false) || self.forwarding[v.0 as usize]);
        c
    }

    /// [`Self::closure_except`] for one variant of a chain member: also without the
    /// NICs in `idle`, those the variant does not use (`model::roles::member_variants`;
    /// `None`: it uses every NIC).
    pub fn closure_of_variant(&self, e: ElementId, blocked: &[bool], idle: Option<&Vec<ElementId>>) -> Vec<ElementId> {
        let mut c = self.closure_except(e, blocked);
        if let Some(idle) = idle {
            c.retain(|v| !idle.contains(v));
        }
        c
    }
}

impl Model {
    /// The quorum device a cluster votes with, if any.
    pub fn quorum_device(&self, g: GroupId) -> Option<ElementId> {
        let node = *self.node_of.get(&NodeRef::Group(g))?;
        self.graph.edges(node).find_map(|e| match (*e.weight(), self.graph[e.target()]) {
            (EdgeKind::Quorum, NodeRef::Element(q)) => Some(q),
            _ => None,
        })
    }

    /// The elements standing for a tier: the element, or a group's members.
    pub fn anchors(&self, node: NodeRef) -> Vec<ElementId> {
        match node {
            NodeRef::Element(e) => vec![e],
            NodeRef::Group(g) => self.group(g).members.clone(),
            NodeRef::Service(_) => Vec::new(),
        }
    }
}
