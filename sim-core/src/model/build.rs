//! Building a [`Model`]: the context mechanisms lower into, reference resolution with
//! precise diagnostics, cycle detection and the final renumbering by name.

use std::collections::BTreeMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use super::*;
use crate::de::Spanned;
use crate::diagnostics::{did_you_mean, Code, Diagnostic};

/// What a scenario id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Element(ElementId),
    Group(GroupId),
    Service(u32),
}

impl Target {
    pub fn node(self) -> NodeRef {
        match self {
            Target::Element(e) => NodeRef::Element(e),
            Target::Group(g) => NodeRef::Group(g),
            Target::Service(s) => NodeRef::Service(s),
        }
    }
}

#[derive(Clone, Debug)]
struct NameEntry {
    target: Target,
    kind: &'static str,
    span: Span,
}

/// Accumulates the model while mechanisms lower their declarations into it.
#[derive(Default)]
pub struct ModelBuilder {
    pub model: Model,
    names: BTreeMap<String, NameEntry>,
    edges: Vec<(NodeRef, NodeRef, EdgeKind)>,
    pub diagnostics: Vec<Diagnostic>,
    /// Failure model per kind after the scenario's `defaults`.
    pub kind_failure: BTreeMap<&'static str, Option<FailureModel>>,
    /// Restart seconds per kind after the scenario's `defaults` (`mechanisms::restart`).
    pub kind_restart_secs: BTreeMap<&'static str, f64>,
    /// PSUs of each powered device, with their capacity (power mechanism, finished last).
    pub power_inputs: BTreeMap<ElementId, Vec<(ElementId, Option<f64>)>>,
    pub power_draw: BTreeMap<ElementId, f64>,
    /// Switches that drop multicast (`"multicast": false`; `mechanisms::network`), read
    /// by VRRP/HSRP lowering: multicast adverts cannot cross them.
    pub drops_multicast: std::collections::BTreeSet<ElementId>,
    /// Devices given a `restart` of their own, with its span (`mechanisms::restart`
    /// warns when their power is not modelled).
    pub explicit_restarts: Vec<(ElementId, crate::syntax::Span)>,
    /// Groups named where only members of some kinds may stand (a VRRP pair on a
    /// connection pool's path must be firewalls), with the reference's span, the kinds
    /// and the role: checked in [`ModelBuilder::finish`], once every group has its
    /// members (groups are lowered after the components that name them).
    pub member_kind_checks: Vec<(GroupId, Span, &'static [&'static str], &'static str)>,
    /// Elements named alone where a group of theirs could stand (one firewall of a pair
    /// on a pool's path), with the reference's span, the kinds of group meant and the
    /// role: a warning in [`ModelBuilder::finish`], once the groups have their members.
    pub named_member_checks: Vec<(ElementId, Span, &'static [&'static str], &'static str)>,
    broken: std::collections::BTreeSet<String>,
}

/// The lowering context handed to a mechanism for one declaration.
pub struct LowerCx<'a> {
    pub builder: &'a mut ModelBuilder,
    /// The target the current declaration created.
    pub me: Target,
    pub span: Span,
    pub site: Option<ElementId>,
}

impl ModelBuilder {
    /// Registers a declared id; reports duplicates (across all sections: one namespace).
    pub fn declare(&mut self, name: &Spanned<String>, kind: &'static str, target: Target) -> bool {
        if let Some(first) = self.names.get(&name.value) {
            self.diagnostics.push(
                Diagnostic::error(Code::DuplicateId, name.span, format!("duplicate id \"{}\"", name.value))
                    .with_related(first.span, "first declared here")
                    .with_help("ids are shared by every section; give each component, group and service its own id"),
            );
            return false;
        }
        self.names.insert(name.value.clone(), NameEntry { target, kind, span: name.span });
        true
    }

    pub fn new_element(&mut self, name: String, kind: &'static str, layer: Layer, span: Span) -> ElementId {
        let id = ElementId(self.model.elements.len() as u32);
        self.model.elements.push(Element {
            id,
            name,
            kind,
            layer,
            site: None,
            failure: None,
            needs: Req::Always,
            battery_runtime_secs: None,
            restart_secs: 0.0,
            psus: Vec::new(),
            psus_needed: 0,
            generator: None,
            transfer_switch: None,
            firewall: None,
            connection_pool: None,
            dr_rto_secs: None,
            attrs: Attrs::new(),
            span,
        });
        id
    }

    pub fn new_group(&mut self, name: String, kind: &'static str, span: Span) -> GroupId {
        let id = GroupId(self.model.groups.len() as u32);
        self.model.groups.push(Group {
            id,
            name,
            kind,
            members: Vec::new(),
            arrangement: Arrangement::ActiveStandby,
            switchover: None,
            member_detect_secs: Vec::new(),
            member_preempt_secs: Vec::new(),
            needs: Req::Always,
            vote_quorum: false,
            dynamics: None,
            takeover_requires: None,
            track: None,
            advert_segment: Vec::new(),
            advert_blockers: Vec::new(),
            attrs: Attrs::new(),
            span,
        });
        id
    }

    /// Marks an id whose declaration had errors: references to it stay silent.
    pub fn broken(&mut self, name: String) {
        self.broken.insert(name);
    }

    pub fn lookup(&self, name: &str) -> Option<(Target, &'static str)> {
        self.names.get(name).map(|e| (e.target, e.kind))
    }

    /// Resolves a reference that must name one of `kinds`; reports unknown ids and
    /// wrong kinds with a suggestion. `role` completes "expected ..." ("a pdu").
    pub fn resolve(&mut self, r: &Spanned<String>, kinds: &[&str], role: &str) -> Option<Target> {
        self.resolve_in_list(r, kinds, role, &[])
    }

    /// [`ModelBuilder::resolve`] for one entry of a list whose other entries are
    /// `listed`: an unknown id is never told to be one of those (a pair `["gw-1",
    /// "gw-3"]` with gw-3 unknown suggests gw-2, not gw-1 again).
    pub fn resolve_in_list(
        &mut self,
        r: &Spanned<String>,
        kinds: &[&str],
        role: &str,
        listed: &[&str],
    ) -> Option<Target> {
        // A part (`web-1/web`) of an entry that failed to decode is as silent as the entry.
        let host = r.value.split_once('/').map(|(host, _)| host);
        match self.names.get(&r.value) {
            None if self.broken.contains(&r.value) || host.is_some_and(|h| self.broken.contains(h)) => None,
            None => {
                // Links too: `did_you_mean` offers a link id only for a link id.
                let others = self.names.keys().map(String::as_str).filter(|n| !listed.contains(n));
                let part_help = host.filter(|h| self.names.contains_key(*h)).map(|h| {
                    let part = r.value.split_once('/').map_or("", |(_, p)| p);
                    if part.starts_with("psu-") {
                        return format!(
                            "\"{}\" would be a PSU of {h}, which has none by that number: its PSUs come from its \"power\" list, one per source (psu-1, psu-2, ...)",
                            r.value
                        );
                    }
                    format!(
                        "\"{}\" would be a part of {h}, which has none by that name: declare it on {h} (e.g. \"runs\": [\"{}\"]), or name one of its parts",
                        r.value,
                        r.value.split_once('/').map_or("", |(_, p)| p)
                    )
                });
                // A part of a declared host: another part of it, else where parts come from.
                let sibling = host.filter(|h| self.names.contains_key(*h)).and_then(|h| {
                    // Compared by the part's own name: the shared "host/" would make
                    // every part look alike.
                    let prefix = format!("{h}/");
                    let part = &r.value[prefix.len()..];
                    let parts = self
                        .names
                        .keys()
                        .filter(|n| !listed.contains(&n.as_str()))
                        .filter_map(|n| n.strip_prefix(&prefix))
                        .filter(|p| !p.contains('~'));
                    let best = parts
                        .map(|p| (strsim::jaro_winkler(part, p), p))
                        .filter(|(score, _)| *score > 0.8)
                        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)));
                    best.map(|(_, p)| format!("did you mean `{prefix}{p}`?"))
                });
                let help = sibling
                    .or(part_help)
                    .or_else(|| did_you_mean(&r.value, self.names_of_kinds(kinds).filter(|n| !listed.contains(n))))
                    .or_else(|| did_you_mean(&r.value, others))
                    .unwrap_or_else(|| match kinds {
                        [] => format!("declare \"{}\", or name an existing id", r.value),
                        _ => format!("declare \"{}\", or name an existing {}", r.value, kinds_phrase(kinds)),
                    });
                self.diagnostics.push(
                    Diagnostic::error(Code::UnknownId, r.span, format!("unknown id \"{}\"", r.value)).with_help(help),
                );
                None
            }
            Some(entry) if !kinds.contains(&entry.kind) => {
                let entry = entry.clone();
                let help = match did_you_mean(&r.value, self.names_of_kinds(kinds)) {
                    Some(s) => s,
                    None => {
                        let candidates: Vec<&str> = self.names_of_kinds(kinds).take(5).collect();
                        if candidates.is_empty() {
                            format!("declare {} and refer to it here", with_article(&kinds_phrase(kinds)))
                        } else {
                            format!(
                                "refer to {}, such as: {}",
                                with_article(&kinds_phrase(kinds)),
                                candidates.join(", ")
                            )
                        }
                    }
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::WrongKind,
                        r.span,
                        format!(
                            "\"{}\" is {}, but {role} must be {}",
                            r.value,
                            with_article(entry.kind),
                            with_article(&kinds_phrase(kinds))
                        ),
                    )
                    .with_related(entry.span, format!("\"{}\" is declared here", r.value))
                    .with_help(help),
                );
                None
            }
            Some(entry) => Some(entry.target),
        }
    }

    fn names_of_kinds<'a>(&'a self, kinds: &'a [&str]) -> impl Iterator<Item = &'a str> + 'a {
        self.names.iter().filter(|(_, e)| kinds.contains(&e.kind)).map(|(n, _)| n.as_str())
    }

    pub fn edge(&mut self, from: NodeRef, to: NodeRef, kind: EdgeKind) {
        self.edges.push((from, to, kind));
    }

    /// The element hosting `e` (a process's server), or `e` itself when nothing hosts
    /// it; for finishers, before [`crate::model::Model::host_node`] can be asked.
    pub fn host_of(&self, e: ElementId) -> ElementId {
        self.edges
            .iter()
            .find_map(|&(from, to, kind)| match (from, to, kind) {
                (NodeRef::Element(f), NodeRef::Element(host), EdgeKind::Hosting) if f == e => Some(host),
                _ => None,
            })
            .unwrap_or(e)
    }

    pub fn error(&mut self, code: Code, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(code, span, message).with_help(help));
    }

    /// A warning at `span` (the scenario still loads), with its help line; for finishers.
    pub fn warn(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(span, message).with_help(help));
    }

    /// Checks for dependency cycles, renumbers ids by sorted name and builds the graph.
    /// `earlier_errors`: errors found before lowering (the model will be discarded).
    pub fn finish(mut self, earlier_errors: bool) -> (Model, Vec<Diagnostic>) {
        self.check_cycles();
        self.check_member_kinds();
        self.check_named_members();
        // With errors the model is discarded; placeholders (a service whose entry did
        // not resolve) must not reach the renumbering.
        if earlier_errors || self.diagnostics.iter().any(Diagnostic::is_error) {
            return (Model::default(), self.diagnostics);
        }
        let mut model = self.model;
        let (emap, gmap) = renumber(&mut model);
        let mut graph = DiGraph::new();
        let mut node_of = BTreeMap::new();
        let remap = |n: NodeRef| match n {
            NodeRef::Element(e) => NodeRef::Element(emap[e.0 as usize]),
            NodeRef::Group(g) => NodeRef::Group(gmap[g.0 as usize]),
            s => s,
        };
        let mut nodes: Vec<NodeRef> = (0..model.elements.len() as u32)
            .map(|i| NodeRef::Element(ElementId(i)))
            .chain((0..model.groups.len() as u32).map(|i| NodeRef::Group(GroupId(i))))
            .chain((0..model.services.len() as u32).map(NodeRef::Service))
            .collect();
        nodes.sort();
        for n in nodes {
            node_of.insert(n, graph.add_node(n));
        }
        let mut edges: Vec<_> = self.edges.into_iter().map(|(a, b, k)| (remap(a), remap(b), k)).collect();
        edges.sort();
        edges.dedup();
        for (a, b, k) in edges {
            graph.add_edge(node_of[&a], node_of[&b], k);
        }
        model.graph = graph;
        model.node_of = node_of;
        (model, self.diagnostics)
    }

    /// [`ModelBuilder::member_kind_checks`]: one error per member of a kind not allowed.
    fn check_member_kinds(&mut self) {
        let mut checks = std::mem::take(&mut self.member_kind_checks);
        // Once per group: the first place that names it.
        checks.sort_by_key(|c| (c.0, c.1.start));
        checks.dedup_by_key(|c| c.0);
        for (g, span, kinds, role) in checks {
            let group = &self.model.groups[g.0 as usize];
            for &m in &group.members {
                let member = &self.model.elements[m.0 as usize];
                if kinds.contains(&member.kind) {
                    continue;
                }
                let message = format!(
                    "\"{}\" has member \"{}\", {}, but {role} must have only {} members",
                    group.name,
                    member.name,
                    with_article(member.kind),
                    kinds_phrase(kinds)
                );
                let help = format!(
                    "every member must be {}: name another group, or list the devices themselves",
                    with_article(&kinds_phrase(kinds))
                );
                self.diagnostics.push(
                    Diagnostic::error(Code::WrongKind, span, message)
                        .with_related(group.span, format!("\"{}\" is declared here", group.name))
                        .with_help(help),
                );
            }
        }
    }

    /// [`ModelBuilder::named_member_checks`]: a warning for an element named alone that
    /// is a member of a group of the kinds meant.
    fn check_named_members(&mut self) {
        for (e, span, kinds, role) in std::mem::take(&mut self.named_member_checks) {
            let Some(group) = self.model.groups.iter().find(|g| kinds.contains(&g.kind) && g.members.contains(&e))
            else {
                continue;
            };
            let name = &self.model.elements[e.0 as usize].name;
            let message = format!(
                "\"{name}\" is a member of {} \"{}\", but {role} names it alone: only {name} counts there, and the other members cannot stand in for it",
                group.kind, group.name
            );
            let help = format!("if the traffic goes to the group's virtual address, name \"{}\" instead", group.name);
            self.warn(span, message, help);
        }
    }

    fn check_cycles(&mut self) {
        // Only "cannot work without" edges form cycles; network paths and monitoring may loop.
        let mut g: DiGraph<NodeRef, ()> = DiGraph::new();
        let mut idx = BTreeMap::new();
        for &(a, b, k) in &self.edges {
            if matches!(
                k,
                EdgeKind::Power
                    | EdgeKind::Hosting
                    | EdgeKind::Storage
                    | EdgeKind::Site
                    | EdgeKind::Quorum
                    | EdgeKind::Member
            ) {
                let ia = *idx.entry(a).or_insert_with(|| g.add_node(a));
                let ib = *idx.entry(b).or_insert_with(|| g.add_node(b));
                g.add_edge(ia, ib, ());
            }
        }
        let mut cycles: Vec<Vec<NodeRef>> = tarjan_scc(&g)
            .into_iter()
            .filter(|scc| scc.len() > 1 || g.contains_edge(scc[0], scc[0]))
            .map(|scc| scc.into_iter().map(|i| g[i]).collect())
            .collect();
        for cycle in &mut cycles {
            cycle.sort_by(|a, b| self.node_name(*a).cmp(self.node_name(*b)));
        }
        cycles.sort_by(|a, b| self.node_name(a[0]).cmp(self.node_name(b[0])));
        for cycle in cycles {
            let names: Vec<String> = cycle.iter().map(|n| self.node_name(*n).to_string()).collect();
            let span = self.node_span(cycle[0]);
            let mut d = Diagnostic::error(Code::DependencyCycle, span, format!("dependency cycle: {} -> {}", names.join(" -> "), names[0]))
                .with_help("a component cannot depend on itself, even through others; break the loop (e.g. feed a PDU from a UPS, not from another PDU of the same chain)");
            for n in &cycle[1..] {
                d = d.with_related(self.node_span(*n), format!("\"{}\" is part of the cycle", self.node_name(*n)));
            }
            self.diagnostics.push(d);
        }
    }

    fn node_name(&self, n: NodeRef) -> &str {
        match n {
            NodeRef::Element(e) => &self.model.elements[e.0 as usize].name,
            NodeRef::Group(g) => &self.model.groups[g.0 as usize].name,
            NodeRef::Service(s) => &self.model.services[s as usize].name,
        }
    }

    fn node_span(&self, n: NodeRef) -> Span {
        match n {
            NodeRef::Element(e) => self.model.elements[e.0 as usize].span,
            NodeRef::Group(g) => self.model.groups[g.0 as usize].span,
            NodeRef::Service(s) => self.model.services[s as usize].span,
        }
    }
}

/// "pdu, ups or power-feed".
/// "a switch", "an entry", "an hba", "a ups" (said "you").
fn with_article(noun: &str) -> String {
    let vowel = (noun.starts_with(['a', 'e', 'i', 'o', 'u']) && !noun.starts_with("ups")) || noun.starts_with("hba");
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

fn kinds_phrase(kinds: &[&str]) -> String {
    match kinds {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Renumbers elements and groups in name order so ids do not depend on text order.
fn renumber(model: &mut Model) -> (Vec<ElementId>, Vec<GroupId>) {
    let mut order: Vec<usize> = (0..model.elements.len()).collect();
    order.sort_by(|&a, &b| model.elements[a].name.cmp(&model.elements[b].name));
    let mut emap = vec![ElementId(0); order.len()];
    for (new, &old) in order.iter().enumerate() {
        emap[old] = ElementId(new as u32);
    }
    let mut gorder: Vec<usize> = (0..model.groups.len()).collect();
    gorder.sort_by(|&a, &b| model.groups[a].name.cmp(&model.groups[b].name));
    let mut gmap = vec![GroupId(0); gorder.len()];
    for (new, &old) in gorder.iter().enumerate() {
        gmap[old] = GroupId(new as u32);
    }
    let e = |id: &mut ElementId| *id = emap[id.0 as usize];
    fn req(r: &mut Req, emap: &[ElementId], gmap: &[GroupId]) {
        match r {
            Req::Always => {}
            Req::Element(id) => *id = emap[id.0 as usize],
            Req::Group(id) => *id = gmap[id.0 as usize],
            Req::All(of) | Req::AtLeast { of, .. } => of.iter_mut().for_each(|r| req(r, emap, gmap)),
            Req::Path { from, to, .. } => {
                *from = emap[from.0 as usize];
                *to = emap[to.0 as usize];
            }
        }
    }
    let mut elements = std::mem::take(&mut model.elements);
    for el in &mut elements {
        e(&mut el.id);
        if let Some(s) = &mut el.site {
            e(s);
        }
        if let Some(g) = &mut el.generator {
            e(&mut g.feed);
        }
        if let Some(t) = &mut el.transfer_switch {
            e(&mut t.preferred);
            e(&mut t.alternate);
        }
        if let Some(pool) = &mut el.connection_pool {
            pool.through.iter_mut().for_each(|r| req(r, &emap, &gmap));
        }
        el.psus.iter_mut().for_each(e);
        req(&mut el.needs, &emap, &gmap);
    }
    elements.sort_by_key(|el| el.id);
    model.elements = elements;
    for l in &mut model.links {
        e(&mut l.element);
        e(&mut l.a);
        e(&mut l.b);
    }
    model.links.sort_by_key(|l| l.element);
    for (a, b) in &mut model.attachments {
        e(a);
        e(b);
        if b < a {
            std::mem::swap(a, b);
        }
    }
    model.attachments.sort();
    let mut groups = std::mem::take(&mut model.groups);
    for g in &mut groups {
        g.id = gmap[g.id.0 as usize];
        g.members.iter_mut().for_each(e);
        req(&mut g.needs, &emap, &gmap);
        if let Some(t) = &mut g.takeover_requires {
            req(&mut t.req, &emap, &gmap);
        }
        if let Some(t) = &mut g.track {
            t.objects.iter_mut().flatten().for_each(e);
        }
        g.advert_segment.iter_mut().for_each(e);
        g.advert_blockers.iter_mut().for_each(e);
        if let Some(Switchover { sees: Visibility::PathTo { targets, .. }, .. }) = &mut g.switchover {
            targets.iter_mut().for_each(e);
        }
    }
    groups.sort_by_key(|g| g.id);
    model.groups = groups;
    for s in &mut model.services {
        e(&mut s.from);
        for t in &mut s.through {
            match t {
                NodeRef::Element(id) => e(id),
                NodeRef::Group(id) => *id = gmap[id.0 as usize],
                NodeRef::Service(_) => {}
            }
        }
        req(&mut s.needs, &emap, &gmap);
    }
    for d in &mut model.drills {
        e(&mut d.element);
    }
    for x in &mut model.expectations {
        for id in x.spofs.iter_mut().flatten() {
            e(id);
        }
        if let Some(ids) = &mut x.spofs {
            ids.sort();
        }
    }
    (emap, gmap)
}

impl LowerCx<'_> {
    /// The element this declaration created; `None` for groups and services.
    pub fn me_element(&self) -> Option<ElementId> {
        match self.me {
            Target::Element(e) => Some(e),
            _ => None,
        }
    }

    /// The group this declaration created; `None` for elements and services.
    pub fn me_group(&self) -> Option<GroupId> {
        match self.me {
            Target::Group(g) => Some(g),
            _ => None,
        }
    }

    pub fn resolve(&mut self, r: &Spanned<String>, kinds: &[&str], role: &str) -> Option<Target> {
        self.builder.resolve(r, kinds, role)
    }

    /// Resolves a reference to any element (component, link or site).
    pub fn resolve_any_element(&mut self, r: &Spanned<String>, role: &str) -> Option<ElementId> {
        match self.builder.lookup(&r.value) {
            Some((Target::Element(e), _)) => Some(e),
            Some((_, kind)) => {
                self.error(
                    Code::WrongKind,
                    r.span,
                    format!("\"{}\" is {}, but {role} must be a component, link or site", r.value, with_article(kind)),
                    "name a member instead of the group",
                );
                None
            }
            None => {
                self.builder.resolve(r, &[], role);
                None
            }
        }
    }

    /// Creates a group written inline (a bond inside a server).
    pub fn part_group(&mut self, name: String, kind: &'static str, span: Span) -> GroupId {
        let id = self.builder.new_group(name.clone(), kind, span);
        self.builder.names.insert(name, NameEntry { target: Target::Group(id), kind, span });
        id
    }

    pub fn resolve_element(&mut self, r: &Spanned<String>, kinds: &[&str], role: &str) -> Option<ElementId> {
        self.resolve_listed_element(r, kinds, role, &[])
    }

    /// [`LowerCx::resolve_element`] for one entry of a list whose other entries are
    /// `listed` ([`ModelBuilder::resolve_in_list`]).
    pub fn resolve_listed_element(
        &mut self,
        r: &Spanned<String>,
        kinds: &[&str],
        role: &str,
        listed: &[&str],
    ) -> Option<ElementId> {
        match self.builder.resolve_in_list(r, kinds, role, listed)? {
            Target::Element(e) => Some(e),
            _ => None,
        }
    }

    /// Adds `req` to what `who` needs and records the dependency edges.
    pub fn need(&mut self, who: ElementId, req: Req, edge: EdgeKind) {
        self.record_edges(NodeRef::Element(who), &req, edge);
        let el = &mut self.builder.model.elements[who.0 as usize];
        el.needs = std::mem::replace(&mut el.needs, Req::Always).and(req);
    }

    pub fn group_need(&mut self, who: GroupId, req: Req, edge: EdgeKind) {
        self.record_edges(NodeRef::Group(who), &req, edge);
        let g = &mut self.builder.model.groups[who.0 as usize];
        g.needs = std::mem::replace(&mut g.needs, Req::Always).and(req);
    }

    fn record_edges(&mut self, from: NodeRef, req: &Req, edge: EdgeKind) {
        let mut targets = Vec::new();
        req.visit(&mut |r| match r {
            Req::Element(e) => targets.push(NodeRef::Element(*e)),
            Req::Group(g) => targets.push(NodeRef::Group(*g)),
            Req::Path { to, .. } => targets.push(NodeRef::Element(*to)),
            _ => {}
        });
        for t in targets {
            self.builder.edge(from, t, edge);
        }
    }

    /// Creates a part written inline (a PSU inside a server), in the declaration's site.
    pub fn part(&mut self, name: String, kind: &'static str, layer: Layer, span: Span) -> ElementId {
        let id = self.builder.new_element(name.clone(), kind, layer, span);
        self.builder.names.insert(name, NameEntry { target: Target::Element(id), kind, span });
        self.builder.model.elements[id.0 as usize].failure = self.builder.kind_failure.get(kind).copied().flatten();
        self.builder.model.elements[id.0 as usize].restart_secs =
            self.builder.kind_restart_secs.get(kind).copied().unwrap_or(0.0);
        if let Some(site) = self.site {
            self.builder.model.elements[id.0 as usize].site = Some(site);
            self.need(id, Req::Element(site), EdgeKind::Site);
        }
        id
    }

    /// Adds a network (or FC) link between two endpoints; the link is an element.
    pub fn link(&mut self, name: String, a: ElementId, b: ElementId, medium: Medium, span: Span) -> ElementId {
        let id = self.part(name, "link", Layer::Network, span);
        self.builder.edge(NodeRef::Element(id), NodeRef::Element(a), EdgeKind::Network);
        self.builder.edge(NodeRef::Element(id), NodeRef::Element(b), EdgeKind::Network);
        self.builder.model.links.push(Link { element: id, a, b, medium });
        id
    }

    /// Connects two elements for network paths without a failable link between them.
    pub fn attach(&mut self, a: ElementId, b: ElementId) {
        self.builder.model.attachments.push((a, b));
    }

    pub fn attr(&mut self, key: &'static str, value: Attr) {
        match self.me {
            Target::Element(e) => {
                self.builder.model.elements[e.0 as usize].attrs.insert(key, value);
            }
            Target::Group(g) => {
                self.builder.model.groups[g.0 as usize].attrs.insert(key, value);
            }
            Target::Service(_) => {}
        }
    }

    pub fn element_attr(&mut self, e: ElementId, key: &'static str, value: Attr) {
        self.builder.model.elements[e.0 as usize].attrs.insert(key, value);
    }

    pub fn group_mut(&mut self) -> Option<&mut Group> {
        let g = self.me_group()?;
        Some(&mut self.builder.model.groups[g.0 as usize])
    }

    /// Records what this group's takeover needs at that moment (a failover precondition).
    pub fn takeover_requires(&mut self, req: Req, preempts: bool) {
        let Some(g) = self.me_group() else { return };
        self.record_edges(NodeRef::Group(g), &req, EdgeKind::Precondition);
        self.builder.model.groups[g.0 as usize].takeover_requires =
            Some(crate::model::TakeoverRequires { req, preempts });
    }

    /// Sets the members of this group and records membership edges.
    pub fn set_members(&mut self, members: Vec<ElementId>) {
        if let Some(g) = self.me_group() {
            for &m in &members {
                self.builder.edge(NodeRef::Group(g), NodeRef::Element(m), EdgeKind::Member);
            }
            self.builder.model.groups[g.0 as usize].members = members;
        }
    }

    pub fn error(&mut self, code: Code, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.builder.error(code, span, message, help);
    }

    pub fn warn(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.builder.diagnostics.push(Diagnostic::warning(span, message).with_help(help));
    }

    pub fn element_kind(&self, e: ElementId) -> &'static str {
        self.builder.model.elements[e.0 as usize].kind
    }

    pub fn element_name(&self, e: ElementId) -> String {
        self.builder.model.elements[e.0 as usize].name.clone()
    }

    /// The kind declared under `name` (a component, part or group), if any.
    pub fn declared_kind(&self, name: &str) -> Option<&'static str> {
        self.builder.names.get(name).map(|n| n.kind)
    }

    pub fn me_name(&self) -> String {
        match self.me {
            Target::Element(e) => self.builder.model.elements[e.0 as usize].name.clone(),
            Target::Group(g) => self.builder.model.groups[g.0 as usize].name.clone(),
            Target::Service(s) => self.builder.model.services[s as usize].name.clone(),
        }
    }
}
