//! The model compiled once for simulation: every element, group, network path and
//! service becomes a node with a small boolean expression over other nodes, ranked so
//! a node's inputs come before it. A state change re-evaluates only the nodes that
//! depend on what changed (a worklist ordered by rank), so one failure costs its
//! dependency cone, not the whole model.
//!
//! A network query (a path, a service's chain, a cluster's votes) depends on two kinds
//! of input. Its *endpoints*: the closures of its anchors (a process, its server, its
//! NICs) and the cables on them, which are direct inputs of the query's node. And the
//! *topology*: forwarding devices and the links between them, which reach queries
//! through one hub node, `NET`. So a server's failure re-evaluates only the queries
//! anchored on it; a switch's failure re-evaluates every query. Cycles (only possible
//! through paths) are strongly connected components solved as a greatest fixpoint, as
//! the direct evaluator does.
//! Compile: O(V + E) plus Tarjan's SCC; per change: O(cone).

use petgraph::graph::DiGraph;

use super::Behaviour;
use crate::model::{ElementId, GroupId, Model, NetworkIndex, NodeRef, Req};

/// A requirement in compiled form: node indices instead of ids.
#[derive(Clone, Debug)]
pub enum Expr {
    True,
    Node(u32),
    All(Vec<Expr>),
    AtLeast(u32, Vec<Expr>),
}

/// The conjuncts of UPS `ups`'s needs that are not its power inputs (the targets of
/// its power edges, a generator included): its site.
fn battery_own_needs(model: &Model, ups: &crate::model::Element) -> Req {
    let inputs = crate::model::edge_targets(model, NodeRef::Element(ups.id), crate::model::EdgeKind::Power);
    let conjuncts = match &ups.needs {
        Req::All(of) => of.clone(),
        other => vec![other.clone()],
    };
    let own: Vec<Req> = conjuncts
        .into_iter()
        .filter(|r| matches!(r, Req::Element(x) if !inputs.contains(&NodeRef::Element(*x))))
        .collect();
    if own.is_empty() {
        Req::Always
    } else {
        Req::All(own)
    }
}

/// "Some carrying source reaches some carrying target."
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathQuery {
    pub sources: Vec<ElementId>,
    pub targets: Vec<ElementId>,
    /// Standby members of transit-blocking groups block the path (traffic); `false`
    /// for probes ([`Req::Path`]'s `probe`).
    pub honour_exclusion: bool,
    /// Through switches only: an ARP probe stays in its L2 segment.
    pub segment: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Element(u32),
    Group(u32),
    Path(u32),
    Service(u32),
    Net,
}

pub struct ServiceNodes {
    pub entry: u32,
    pub tiers: Vec<u32>,
    /// Per tier: its members and, for a group tier, the group (docs/SEMANTICS.md §4:
    /// the service needs a chain of eligible members through the tiers).
    pub chain: Vec<(Vec<ElementId>, Option<GroupId>)>,
}

pub struct Circuit {
    pub kinds: Vec<NodeKind>,
    pub element_needs: Vec<Expr>,
    /// Per element: what a UPS needs besides its power inputs (its site). Its battery
    /// bridges the loss of an input only; without these it is down at once, as the
    /// exact analysis takes it (`analysis::structure`, `needs_down_on_battery`).
    pub battery_own_needs: Vec<Expr>,
    pub group_needs: Vec<Expr>,
    pub behaviours: Vec<Behaviour>,
    pub paths: Vec<PathQuery>,
    pub services: Vec<ServiceNodes>,
    pub dependents: Vec<Vec<u32>>,
    /// Topological rank of the node's strongly connected component.
    pub rank: Vec<u32>,
    /// Members of each component, and each node's component.
    pub components: Vec<Vec<u32>>,
    pub component_of: Vec<u32>,
    pub net: NetworkIndex,
    /// Per element: the attached closure (a process, its server, its NICs).
    pub closures: Vec<Vec<ElementId>>,
    /// Per element: groups it is a member of.
    pub member_of: Vec<Vec<GroupId>>,
    /// Per service: groups and elements its result depends on (not through the network hub).
    pub service_groups: Vec<Vec<GroupId>>,
    pub service_elements: Vec<Vec<bool>>,
    /// Per service, per group: a member is in the service's cone or at the far end of a
    /// cable in it (the switches a bond hangs on). Whose failover explains an outage.
    pub service_near_groups: Vec<Vec<bool>>,
    /// Per group: some service needs it (not only through the network).
    pub needed: Vec<bool>,
    /// Per group: the service nodes that pass through it as a tier.
    pub tier_services: Vec<Vec<u32>>,
    /// Per element: some service enters here (the internet): checks and heartbeats
    /// inside the data centre never cross it.
    pub entry: Vec<bool>,
    /// Per element: its change can alter paths between other elements (a forwarding
    /// device, or a link between two); it reaches queries through `NET`.
    pub topological: Vec<bool>,
    /// The forwarding devices, ascending.
    pub forwarders: Vec<u32>,
    /// Per element: its links to forwarding devices `(device, link)` (only filled for
    /// forwarding devices: what labelling walks).
    pub forwarder_links: Vec<Vec<(u32, u32)>>,
    /// Per element: for a link between two forwarding devices, its ends.
    pub link_ends: Vec<Option<(u32, u32)>>,
    /// Per element: the query nodes (paths, services, vote-counting groups) it is an
    /// endpoint of: in the closure of one of their anchors, or a cable on that closure.
    pub endpoint_nodes: Vec<Vec<u32>>,
    /// Per element: the hops `(service, hop)` of service chains it is an endpoint of.
    /// Hop `h` leads from tier `h - 1` (the entry for `h = 0`) to tier `h`.
    pub hops_of: Vec<Vec<(u32, u32)>>,
    /// Per node: the services it is a tier of, once per occurrence (not `NET`).
    pub tier_of_node: Vec<Vec<u32>>,
    /// Per group: the `(service, tier)` positions it holds in service chains.
    pub group_tiers: Vec<Vec<(u32, u32)>>,
    /// Per group: the services whose figures depend on it (its cone).
    pub group_services: Vec<Vec<u32>>,
    /// Per service: its load-sharing groups (the served fraction depends on them).
    pub share_groups: Vec<Vec<GroupId>>,
}

/// The hops whose matrix reads tier `tier`'s members: the one into it and the one out
/// of it (hop `h` leads from tier `h - 1` to tier `h`), within a chain of `hops`.
pub fn hops_fed_by_tier(tier: u32, hops: u32) -> std::ops::Range<u32> {
    tier..(tier + 2).min(hops)
}

/// A query's endpoint: the anchor's closure plus the cables on it.
pub fn endpoint_elements(net: &NetworkIndex, anchor: ElementId) -> Vec<ElementId> {
    let mut out = net.closure(anchor);
    for k in 0..out.len() {
        for &(_, link) in &net.adjacency[out[k].0 as usize] {
            out.push(link);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Circuit {
    pub fn element_node(&self, e: ElementId) -> u32 {
        e.0
    }
    pub fn group_node(&self, g: GroupId) -> u32 {
        self.element_count() + g.0
    }
    pub fn element_count(&self) -> u32 {
        self.element_needs.len() as u32
    }
    pub fn service_node(&self, s: usize) -> usize {
        self.kinds.len() - 1 - self.services.len() + s
    }
    pub fn net_node(&self) -> u32 {
        (self.kinds.len() - 1) as u32
    }

    pub fn new(model: &Model) -> Circuit {
        let n = model.elements.len() as u32;
        let g = model.groups.len() as u32;
        let mut paths: Vec<PathQuery> = Vec::new();
        let mut path_index = |q: PathQuery| -> u32 {
            match paths.iter().position(|p| *p == q) {
                Some(i) => i as u32,
                None => {
                    paths.push(q);
                    (paths.len() - 1) as u32
                }
            }
        };
        // Paths get node numbers after groups; collect them first, number them later.
        let mut compile_req = |req: &Req| compile(req, n, &mut path_index);
        let element_needs: Vec<Expr> = model.elements.iter().map(|e| compile_req(&e.needs)).collect();
        let battery_own_needs: Vec<Expr> = model
            .elements
            .iter()
            .map(|e| match e.battery_runtime_secs {
                Some(secs) if secs > 0.0 => compile_req(&battery_own_needs(model, e)),
                _ => Expr::True,
            })
            .collect();
        // A RAID group's needs on its own disks (RAID 10's mirror pairs) are the slots'
        // business (`behaviours::rebuild`): a slot on a spare holds data while its disk
        // is away, and a rebuilt one does not until the rebuild ends.
        let group_needs: Vec<Expr> = model
            .groups
            .iter()
            .map(|grp| match grp.dynamics {
                Some(crate::model::Dynamics::Rebuild { .. }) => compile_req(&without_members(&grp.needs, &grp.members)),
                _ => compile_req(&grp.needs),
            })
            .collect();
        let p = paths.len() as u32;
        let path_base = n + g;
        let service_base = path_base + p;
        let net_node = service_base + model.services.len() as u32;
        let element_needs = element_needs.into_iter().map(|e| renumber_paths(e, path_base)).collect::<Vec<_>>();
        let battery_own_needs = battery_own_needs.into_iter().map(|e| renumber_paths(e, path_base)).collect::<Vec<_>>();
        let group_needs = group_needs.into_iter().map(|e| renumber_paths(e, path_base)).collect::<Vec<_>>();
        let tier_node = |t: NodeRef| match t {
            NodeRef::Element(e) => e.0,
            NodeRef::Group(gr) => n + gr.0,
            NodeRef::Service(_) => net_node,
        };
        let services: Vec<ServiceNodes> = model
            .services
            .iter()
            .map(|svc| ServiceNodes {
                entry: svc.from.0,
                tiers: svc.through.iter().map(|&t| tier_node(t)).collect(),
                chain: svc
                    .through
                    .iter()
                    .map(|&t| {
                        let group = match t {
                            NodeRef::Group(gr) => Some(gr),
                            _ => None,
                        };
                        (model.anchors(t), group)
                    })
                    .collect(),
            })
            .collect();

        let mut kinds = Vec::new();
        kinds.extend((0..n).map(NodeKind::Element));
        kinds.extend((0..g).map(NodeKind::Group));
        kinds.extend((0..p).map(NodeKind::Path));
        kinds.extend((0..model.services.len() as u32).map(NodeKind::Service));
        kinds.push(NodeKind::Net);

        let net = NetworkIndex::new(model);
        let networked: Vec<bool> =
            (0..n as usize).map(|i| !net.adjacency[i].is_empty() || !net.attached[i].is_empty()).collect();
        let mut link_element = vec![false; n as usize];
        for l in &model.links {
            link_element[l.element.0 as usize] = true;
        }
        let networked: Vec<bool> = networked.iter().zip(&link_element).map(|(a, b)| *a || *b).collect();

        // Dependencies: node → its inputs.
        let mut inputs: Vec<Vec<u32>> = vec![Vec::new(); kinds.len()];
        for (i, e) in element_needs.iter().enumerate() {
            refs(e, &mut inputs[i]);
        }
        let mut member_of = vec![Vec::new(); n as usize];
        for (j, grp) in model.groups.iter().enumerate() {
            let node = (n as usize) + j;
            refs(&group_needs[j], &mut inputs[node]);
            for m in &grp.members {
                inputs[node].push(m.0);
                member_of[m.0 as usize].push(grp.id);
            }
            if let Some(votes) = model.votes(grp.id) {
                // Who holds a majority depends on the nodes, the device and the network.
                for &v in votes.nodes.iter().chain(&votes.device) {
                    inputs[node].extend(endpoint_elements(&net, v).iter().map(|x| x.0));
                }
                inputs[node].push(net_node);
            }
        }
        for (i, q) in paths.iter().enumerate() {
            let node = (path_base as usize) + i;
            for &a in q.sources.iter().chain(&q.targets) {
                inputs[node].extend(endpoint_elements(&net, a).iter().map(|x| x.0));
            }
            inputs[node].push(net_node);
        }
        let mut hops_of: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n as usize];
        for (s, sn) in services.iter().enumerate() {
            let node = (service_base as usize) + s;
            inputs[node].push(sn.entry);
            inputs[node].extend(&sn.tiers);
            // Tier t's endpoints feed hops t and t + 1; the entry feeds hop 0.
            let mut add = |anchor: ElementId, tier: Option<usize>, inputs: &mut Vec<Vec<u32>>| {
                for x in endpoint_elements(&net, anchor) {
                    inputs[node].push(x.0);
                    let hops = match tier {
                        Some(t) => hops_fed_by_tier(t as u32, sn.chain.len() as u32),
                        None => 0..1,
                    };
                    for h in hops {
                        hops_of[x.0 as usize].push((s as u32, h));
                    }
                }
            };
            add(ElementId(sn.entry), None, &mut inputs);
            for (t, (members, group)) in sn.chain.iter().enumerate() {
                let mut anchors = members.clone();
                if let Some(votes) = group.and_then(|g| model.votes(g)) {
                    anchors.extend(votes.nodes.iter().chain(&votes.device));
                }
                for a in anchors {
                    add(a, Some(t), &mut inputs);
                }
            }
            inputs[node].push(net_node);
        }
        for list in &mut hops_of {
            list.sort_unstable();
            list.dedup();
        }
        let forwarders: Vec<u32> = (0..n).filter(|&e| net.forwarding[e as usize]).collect();
        let mut topological = net.forwarding.clone();
        for l in &model.links {
            if net.forwarding[l.a.0 as usize] && net.forwarding[l.b.0 as usize] {
                topological[l.element.0 as usize] = true;
            }
        }
        for (i, &on) in topological.iter().enumerate() {
            if on && networked[i] {
                inputs[net_node as usize].push(i as u32);
            }
        }
        for list in &mut inputs {
            list.sort_unstable();
            list.dedup();
        }
        let mut dependents = vec![Vec::new(); kinds.len()];
        let mut graph: DiGraph<u32, ()> = DiGraph::with_capacity(kinds.len(), 0);
        let nodes: Vec<_> = (0..kinds.len() as u32).map(|i| graph.add_node(i)).collect();
        for (node, list) in inputs.iter().enumerate() {
            for &d in list {
                dependents[d as usize].push(node as u32);
                graph.add_edge(nodes[node], nodes[d as usize], ());
            }
        }
        // Tarjan lists components with a node's inputs first.
        let sccs = petgraph::algo::tarjan_scc(&graph);
        let mut rank = vec![0; kinds.len()];
        let mut component_of = vec![0; kinds.len()];
        let mut components = Vec::with_capacity(sccs.len());
        for (c, scc) in sccs.iter().enumerate() {
            let mut members: Vec<u32> = scc.iter().map(|&ix| graph[ix]).collect();
            members.sort_unstable();
            for &m in &members {
                rank[m as usize] = c as u32;
                component_of[m as usize] = c as u32;
            }
            components.push(members);
        }
        let closures = (0..n).map(|e| net.closure(ElementId(e))).collect();

        // Per service: the groups and elements in its dependency cone (not via NET).
        let mut service_groups = Vec::new();
        let mut service_elements = Vec::new();
        for s in 0..model.services.len() {
            let mut seen = vec![false; kinds.len()];
            let mut stack = vec![service_base + s as u32];
            while let Some(x) = stack.pop() {
                if std::mem::replace(&mut seen[x as usize], true) || x == net_node {
                    continue;
                }
                // A probe's target (a bond's ARP target, a gateway) is what the service
                // needs to reach, not part of its cone: its neighbours' groups (other
                // switches' spanning trees) would be taken for the service's own.
                if let NodeKind::Path(q) = kinds[x as usize] {
                    let q = &paths[q as usize];
                    if !q.honour_exclusion {
                        for &a in &q.sources {
                            stack.extend(endpoint_elements(&net, a).iter().map(|e| e.0));
                        }
                        continue;
                    }
                }
                stack.extend(inputs[x as usize].iter().copied().filter(|&d| d != net_node));
            }
            service_groups.push((0..g).filter(|&j| seen[(n + j) as usize]).map(GroupId).collect());
            // Plus what attaches the cone to the network: NICs and their cables.
            let mut elements = seen[..n as usize].to_vec();
            for (e, _) in seen[..n as usize].iter().enumerate().filter(|(_, s)| **s) {
                {
                    for v in net.closure(ElementId(e as u32)) {
                        elements[v.0 as usize] = true;
                        for &(_, link) in &net.adjacency[v.0 as usize] {
                            elements[link.0 as usize] = true;
                        }
                    }
                }
            }
            service_elements.push(elements);
        }
        let service_near_groups = service_elements
            .iter()
            .map(|cone| {
                let mut near = cone.clone();
                for l in model.links.iter().filter(|l| cone[l.element.0 as usize]) {
                    near[l.a.0 as usize] = true;
                    near[l.b.0 as usize] = true;
                }
                model.groups.iter().map(|grp| grp.members.iter().any(|m| near[m.0 as usize])).collect()
            })
            .collect();
        let behaviours: Vec<Behaviour> =
            model.groups.iter().map(|grp| crate::mechanisms::behaviour(model, grp)).collect();
        let needed =
            (0..g).map(|j| service_groups.iter().any(|list: &Vec<GroupId>| list.contains(&GroupId(j)))).collect();
        let mut tier_services = vec![Vec::new(); g as usize];
        for (s, svc) in model.services.iter().enumerate() {
            for t in &svc.through {
                if let NodeRef::Group(gr) = t {
                    tier_services[gr.0 as usize].push(service_base + s as u32);
                }
            }
        }
        let mut entry = vec![false; n as usize];
        for svc in &model.services {
            entry[svc.from.0 as usize] = true;
        }
        let mut endpoint_nodes: Vec<Vec<u32>> = vec![Vec::new(); n as usize];
        for (node, list) in inputs.iter().enumerate() {
            if matches!(kinds[node], NodeKind::Path(_) | NodeKind::Service(_) | NodeKind::Group(_)) {
                for &d in list.iter().filter(|&&d| d < n) {
                    endpoint_nodes[d as usize].push(node as u32);
                }
            }
        }
        let mut tier_of_node = vec![Vec::new(); kinds.len()];
        let mut group_tiers = vec![Vec::new(); g as usize];
        for (s, (sn, svc)) in services.iter().zip(&model.services).enumerate() {
            for &t in sn.tiers.iter().filter(|&&t| t != net_node) {
                tier_of_node[t as usize].push(s as u32);
            }
            for (k, t) in svc.through.iter().enumerate() {
                if let NodeRef::Group(gr) = t {
                    group_tiers[gr.0 as usize].push((s as u32, k as u32));
                }
            }
        }
        let mut group_services = vec![Vec::new(); g as usize];
        for (s, list) in service_groups.iter().enumerate() {
            for gr in list {
                group_services[gr.0 as usize].push(s as u32);
            }
        }
        let share_groups = service_groups
            .iter()
            .map(|list| list.iter().copied().filter(|gr| behaviours[gr.0 as usize] == Behaviour::Share).collect())
            .collect();
        let forwarder_links = (0..n as usize)
            .map(|u| {
                if !net.forwarding[u] {
                    return Vec::new();
                }
                net.adjacency[u].iter().filter(|(w, _)| net.forwarding[w.0 as usize]).map(|(w, l)| (w.0, l.0)).collect()
            })
            .collect();
        let mut link_ends = vec![None; n as usize];
        for l in &model.links {
            if net.forwarding[l.a.0 as usize] && net.forwarding[l.b.0 as usize] {
                link_ends[l.element.0 as usize] = Some((l.a.0, l.b.0));
            }
        }
        Circuit {
            link_ends,
            forwarder_links,
            topological,
            forwarders,
            endpoint_nodes,
            hops_of,
            tier_of_node,
            group_tiers,
            group_services,
            share_groups,
            entry,
            tier_services,
            kinds,
            element_needs,
            battery_own_needs,
            group_needs,
            behaviours,
            paths,
            services,
            dependents,
            rank,
            components,
            component_of,
            net,
            closures,
            member_of,
            service_groups,
            service_elements,
            service_near_groups,
            needed,
        }
    }
}

/// Compiles a requirement; path queries are numbered `u32::MAX - index` until the
/// final numbering is known.
fn compile(req: &Req, n: u32, path_index: &mut impl FnMut(PathQuery) -> u32) -> Expr {
    match req {
        Req::Always => Expr::True,
        Req::Element(e) => Expr::Node(e.0),
        Req::Group(g) => Expr::Node(n + g.0),
        Req::All(of) => Expr::All(of.iter().map(|r| compile(r, n, path_index)).collect()),
        Req::AtLeast { k, of } => Expr::AtLeast(*k, of.iter().map(|r| compile(r, n, path_index)).collect()),
        Req::Path { from, to, probe } => Expr::Node(
            u32::MAX
                - path_index(PathQuery {
                    sources: vec![*from],
                    targets: vec![*to],
                    honour_exclusion: !*probe,
                    segment: *probe,
                }),
        ),
    }
}

fn renumber_paths(e: Expr, path_base: u32) -> Expr {
    match e {
        Expr::Node(x) if x > u32::MAX / 2 => Expr::Node(path_base + (u32::MAX - x)),
        Expr::All(of) => Expr::All(of.into_iter().map(|x| renumber_paths(x, path_base)).collect()),
        Expr::AtLeast(k, of) => Expr::AtLeast(k, of.into_iter().map(|x| renumber_paths(x, path_base)).collect()),
        other => other,
    }
}

fn refs(e: &Expr, out: &mut Vec<u32>) {
    match e {
        Expr::True => {}
        Expr::Node(x) => out.push(*x),
        Expr::All(of) | Expr::AtLeast(_, of) => of.iter().for_each(|x| refs(x, out)),
    }
}

/// `req` with every requirement on one of `members` taken as met.
fn without_members(req: &Req, members: &[crate::model::ElementId]) -> Req {
    match req {
        Req::Element(e) if members.contains(e) => Req::Always,
        Req::All(of) => Req::All(of.iter().map(|r| without_members(r, members)).collect()),
        Req::AtLeast { k, of } => Req::AtLeast { k: *k, of: of.iter().map(|r| without_members(r, members)).collect() },
        other => other.clone(),
    }
}
