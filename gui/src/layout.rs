//! The topology picture as an architect draws it: a deterministic layered layout.
//!
//! - **Rows** follow the tiers: entry → L3 gateways and firewalls → L2 switches → load
//!   balancers → one row per service tier (web, AP, DB, in the order services pass
//!   through them) → other servers → storage → operations → power.
//! - **Parts fold into their host**: NICs, PSUs, HBAs, disks, processes and pools are
//!   listed inside the server that holds them; cables are edges, sites are frames.
//! - **Columns** are per site, sites side by side (elements without a site first),
//!   nodes sorted by name with numbers in numeric order.
//! - **Large designs** collapse: above [`COLLAPSE_ABOVE`] nodes, servers fold into one
//!   rack node per access switch, then switches and racks into one pod node per name
//!   prefix ("p3-e1" → pod "p3"); a click expands one.
//!
//! Pure function of the model and the view options: O((V + E) log V).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use egui::{pos2, vec2, Pos2, Rect, Vec2};
use sim_core::model::{EdgeKind, ElementId, Layer, Medium, Model, NodeRef};

/// Above this many nodes the layout collapses racks, then pods.
pub const COLLAPSE_ABOVE: usize = 160;

pub const NODE_SIZE: Vec2 = vec2(128.0, 46.0);
const COLUMN_GAP: f32 = 34.0;
const ROW_GAP: f32 = 84.0;
const SITE_GAP: f32 = 60.0;
const SITE_PADDING: f32 = 22.0;
/// Width kept left of the frames for the row titles.
pub const ROW_TITLE_WIDTH: f32 = 150.0;

/// View options that change the layout.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Show power feeds, UPSes and PDUs as their own row, with power edges.
    pub show_power: bool,
    /// Collapsed nodes ("rack:sw-1", "pod:p3") the user expanded.
    pub expanded: BTreeSet<String>,
}

/// A drawn node: one top-level element with its folded parts, or a collapsed group.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Stable key: the element name, or "rack:SWITCH" / "pod:PREFIX".
    pub key: String,
    pub label: String,
    /// Element kind, or "rack" / "pod".
    pub kind: String,
    /// Every element shown by this node (the main one first for element nodes).
    pub elements: Vec<ElementId>,
    /// The element this node is, unless it is a collapsed group.
    pub main: Option<ElementId>,
    pub row: usize,
    pub rect: Rect,
}

impl Node {
    pub fn collapsed(&self) -> bool {
        self.main.is_none()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeStyle {
    Access,
    InterSwitch,
    Uplink,
    FibreChannel,
    Power,
    Storage,
}

/// An edge between two drawn nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    pub style: EdgeStyle,
    /// The cables (link elements) this edge stands for; empty for dependency edges.
    pub links: Vec<ElementId>,
}

/// A site's framed region.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteFrame {
    pub site: Option<ElementId>,
    pub label: String,
    pub rect: Rect,
}

/// A redundancy group drawn as an outline around its members' nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    pub group: sim_core::model::GroupId,
    pub label: String,
    pub rect: Rect,
}

#[derive(Clone, Debug)]
pub struct Scene {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub frames: Vec<SiteFrame>,
    pub outlines: Vec<Outline>,
    /// Row titles with their y (world coordinates).
    pub rows: Vec<(String, f32)>,
    /// Element → the node that shows it.
    pub node_of: BTreeMap<ElementId, usize>,
    pub bounds: Rect,
    /// How many nodes are collapsed groups.
    pub collapsed: usize,
}

impl Default for Scene {
    fn default() -> Scene {
        Scene {
            nodes: Vec::new(),
            edges: Vec::new(),
            frames: Vec::new(),
            outlines: Vec::new(),
            rows: Vec::new(),
            node_of: BTreeMap::new(),
            bounds: Rect::from_min_size(Pos2::ZERO, NODE_SIZE),
            collapsed: 0,
        }
    }
}

impl Scene {
    pub fn node_by_key(&self, key: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.key == key)
    }
}

/// Compares names with digit runs as numbers: web-2 < web-10.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let nb = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (da, db) = (&a[..na], &b[..nb]);
                let strip = |d: &[u8]| d.iter().skip_while(|&&c| c == b'0').count();
                let ord = strip(da).cmp(&strip(db)).then_with(|| {
                    let (ta, tb) = (&da[na - strip(da)..], &db[nb - strip(db)..]);
                    ta.cmp(tb)
                });
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[na..];
                b = &b[nb..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

/// Kinds shown inside their host rather than as nodes.
const FOLDED_KINDS: &[&str] = &["nic", "psu", "hba", "disk", "process", "connection-pool"];

/// The element a part folds into, if any.
fn host_of(model: &Model, id: ElementId) -> Option<ElementId> {
    let e = model.element(id);
    if let Some((host, _)) = e.name.split_once('/') {
        if let Some(h) = model.element_by_name(host) {
            return Some(h.id);
        }
    }
    if !FOLDED_KINDS.contains(&e.kind) {
        return None;
    }
    let hosted = sim_core::model::edge_targets(model, NodeRef::Element(id), EdgeKind::Hosting);
    let attached = model.attachments.iter().filter_map(|&(a, b)| {
        if a == id {
            Some(b)
        } else if b == id {
            Some(a)
        } else {
            None
        }
    });
    let mut candidates: Vec<ElementId> = hosted
        .into_iter()
        .filter_map(|n| match n {
            NodeRef::Element(h) => Some(h),
            _ => None,
        })
        .chain(attached)
        .collect();
    if e.kind == "disk" {
        // A RAID member belongs to what stores on its group (the array).
        for g in model.groups.iter().filter(|g| g.members.contains(&id)) {
            let idx = model.node_of.get(&NodeRef::Group(g.id));
            let users = idx.into_iter().flat_map(|&i| model.graph.neighbors_directed(i, petgraph::Direction::Incoming));
            candidates.extend(users.filter_map(|n| match model.graph[n] {
                NodeRef::Element(o) => Some(o),
                _ => None,
            }));
        }
    }
    if e.kind == "connection-pool" {
        // A pool belongs to the process that needs it.
        let idx = model.node_of.get(&NodeRef::Element(id));
        let owners = idx.into_iter().flat_map(|&i| model.graph.neighbors_directed(i, petgraph::Direction::Incoming));
        candidates.extend(owners.filter_map(|n| match model.graph[n] {
            NodeRef::Element(o) if model.element(o).kind == "process" => Some(o),
            _ => None,
        }));
    }
    candidates.sort();
    let outside = candidates.iter().copied().find(|&h| h != id && !FOLDED_KINDS.contains(&model.element(h).kind));
    outside.or_else(|| candidates.into_iter().find(|&h| h != id))
}

/// The top-level element shown for `id` (following folds).
fn top_of(model: &Model, id: ElementId) -> ElementId {
    let mut cur = id;
    for _ in 0..8 {
        match host_of(model, cur) {
            Some(h) if h != cur => cur = h,
            _ => break,
        }
    }
    cur
}

/// Rows: fixed titles around one row per service tier.
struct Rows {
    titles: Vec<String>,
    tier_row: BTreeMap<ElementId, usize>,
}

const ENTRY: usize = 0;
const L3: usize = 1;
const L2: usize = 2;
const LB: usize = 3;

impl Rows {
    fn new(model: &Model) -> Rows {
        let mut titles: Vec<String> =
            ["Entry", "L3 gateways / firewalls", "L2 switches", "Load balancers"].map(String::from).to_vec();
        // Tiers in the order services pass through them (services sorted by name).
        let mut services: Vec<&sim_core::model::Service> = model.services.iter().collect();
        services.sort_by(|a, b| a.name.cmp(&b.name));
        let mut tier_row = BTreeMap::new();
        for s in services {
            for &tier in &s.through {
                let members: Vec<ElementId> = match tier {
                    NodeRef::Element(e) => vec![e],
                    NodeRef::Group(g) => model.group(g).members.clone(),
                    NodeRef::Service(_) => Vec::new(),
                };
                let hosts: Vec<ElementId> = members
                    .iter()
                    .map(|&m| top_of(model, m))
                    .filter(|&h| model.element(h).layer == Layer::Compute && model.element(h).kind != "load-balancer")
                    .collect();
                if hosts.is_empty() || hosts.iter().all(|h| tier_row.contains_key(h)) {
                    continue;
                }
                let row = titles.len();
                titles.push(format!("Tier: {}", model.name_of(tier)));
                for h in hosts {
                    tier_row.entry(h).or_insert(row);
                }
            }
        }
        for t in ["Other servers", "Storage", "Operations", "Power"] {
            titles.push(t.to_string());
        }
        Rows { titles, tier_row }
    }

    fn index(&self, title: &str) -> usize {
        self.titles.iter().position(|t| t == title).unwrap_or(0)
    }

    fn of(&self, model: &Model, id: ElementId) -> usize {
        let e = model.element(id);
        match e.kind {
            "entry" | "dns-server" | "gslb" => ENTRY,
            "router" | "firewall" => L3,
            "switch" => L2,
            "load-balancer" => LB,
            "power-feed" | "ups" | "pdu" | "psu" => self.index("Power"),
            "monitor" | "backup" => self.index("Operations"),
            _ => match self.tier_row.get(&id) {
                Some(&r) => r,
                None => match e.layer {
                    Layer::Entry => ENTRY,
                    Layer::Network => L2,
                    Layer::Compute | Layer::Software => self.index("Other servers"),
                    Layer::Storage => self.index("Storage"),
                    Layer::Power => self.index("Power"),
                    Layer::Operations | Layer::Site => self.index("Operations"),
                },
            },
        }
    }
}

/// Lays out `model`.
pub fn layout(model: &Model, options: &LayoutOptions) -> Scene {
    // Top-level elements and what folds into them.
    let mut parts: BTreeMap<ElementId, Vec<ElementId>> = BTreeMap::new();
    let link_elements: BTreeSet<ElementId> = model.links.iter().map(|l| l.element).collect();
    for e in &model.elements {
        if e.layer == Layer::Site || link_elements.contains(&e.id) {
            continue;
        }
        parts.entry(top_of(model, e.id)).or_default().push(e.id);
    }
    let power_row_kinds = ["power-feed", "ups", "pdu"];
    let mut top: Vec<ElementId> = parts
        .keys()
        .copied()
        .filter(|&t| options.show_power || !power_row_kinds.contains(&model.element(t).kind))
        .collect();
    top.sort_by(|&a, &b| natural_cmp(&model.element(a).name, &model.element(b).name));
    let rows = Rows::new(model);

    // Collapse: key of the node each top-level element is drawn in.
    let mut key_of: BTreeMap<ElementId, String> = top.iter().map(|&t| (t, model.element(t).name.clone())).collect();
    let neighbours = link_neighbours(model);
    if top.len() > COLLAPSE_ABOVE {
        for &t in &top {
            let e = model.element(t);
            if e.layer != Layer::Compute || e.kind == "load-balancer" {
                continue;
            }
            let switch = neighbours
                .get(&t)
                .and_then(|ns| ns.iter().map(|&n| model.element(n)).find(|n| is_switching(n.kind)))
                .map(|s| s.name.clone());
            if let Some(sw) = switch {
                let key = format!("rack:{sw}");
                if !options.expanded.contains(&key) {
                    key_of.insert(t, key);
                }
            }
        }
        let distinct: BTreeSet<&String> = key_of.values().collect();
        if distinct.len() > COLLAPSE_ABOVE {
            let pod_of = |name: &str| name.split_once('-').map(|(p, _)| p.to_string());
            for &t in &top {
                let e = model.element(t);
                let name = key_of[&t].strip_prefix("rack:").unwrap_or(&e.name).to_string();
                if !(is_switching(e.kind) || key_of[&t].starts_with("rack:")) {
                    continue;
                }
                if let Some(p) = pod_of(&name) {
                    let key = format!("pod:{p}");
                    if !options.expanded.contains(&key) {
                        key_of.insert(t, key);
                    }
                }
            }
        }
    }

    // Nodes, grouped by key.
    let mut by_key: BTreeMap<String, Vec<ElementId>> = BTreeMap::new();
    for &t in &top {
        by_key.entry(key_of[&t].clone()).or_default().push(t);
    }
    let mut nodes: Vec<Node> = by_key
        .into_iter()
        .map(|(key, tops)| {
            let first = tops[0];
            let row = tops.iter().map(|&t| rows.of(model, t)).min().unwrap_or(0);
            let elements: Vec<ElementId> = tops.iter().flat_map(|t| parts[t].iter().copied()).collect();
            let collapsed = key.contains(':');
            let label = if collapsed {
                let servers = tops.iter().filter(|&&t| model.element(t).layer == Layer::Compute).count();
                let switches = tops.len() - servers;
                let (what, name) = key.split_once(':').unwrap_or(("", &key));
                match (switches, servers) {
                    (0, n) => format!("{what} {name}: {n} servers"),
                    (s, 0) => format!("{what} {name}: {s} switches"),
                    (s, n) => format!("{what} {name}: {s} sw, {n} srv"),
                }
            } else {
                model.element(first).name.clone()
            };
            let mut elements = elements;
            if !collapsed {
                // The main element first, its parts after in name order.
                elements.sort_by(|&a, &b| {
                    (a != first)
                        .cmp(&(b != first))
                        .then_with(|| natural_cmp(&model.element(a).name, &model.element(b).name))
                });
            }
            Node {
                kind: if collapsed {
                    key.split(':').next().unwrap_or("").to_string()
                } else {
                    model.element(first).kind.to_string()
                },
                label,
                main: (!collapsed).then_some(first),
                elements,
                row,
                rect: Rect::NOTHING,
                key,
            }
        })
        .collect();
    let collapsed = nodes.iter().filter(|n| n.collapsed()).count();

    // Site of a node: its main (or first) element's site.
    let site_of = |n: &Node| n.elements.first().and_then(|&e| model.element(e).site);
    let mut sites: Vec<Option<ElementId>> = nodes.iter().map(site_of).collect::<BTreeSet<_>>().into_iter().collect();
    sites.sort_by(|a, b| match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(x), Some(y)) => natural_cmp(&model.element(*x).name, &model.element(*y).name),
    });
    // At most this many columns per frame: the "(no site)" frame beside site frames holds
    // the few shared parts (the entry, monitors, backups), so its long rows wrap into
    // lines instead of widening it past the sites that hold the design.
    let column_cap = |site: &Option<ElementId>| if site.is_none() && sites.len() > 1 { 2 } else { usize::MAX };
    let used_rows: BTreeSet<usize> = nodes.iter().map(|n| n.row).collect();
    let per_frame_row =
        |site: &Option<ElementId>, r: usize| nodes.iter().filter(|n| n.row == r && site_of(n) == *site).count();
    // Lines per row: the most any frame needs for it.
    let lines_of: BTreeMap<usize, usize> = used_rows
        .iter()
        .map(|&r| {
            (r, sites.iter().map(|site| per_frame_row(site, r).div_ceil(column_cap(site))).max().unwrap_or(1).max(1))
        })
        .collect();
    // Rows that have nodes, in order, get y positions.
    let mut row_y: BTreeMap<usize, f32> = BTreeMap::new();
    let mut y = 0.0f32;
    for &r in &used_rows {
        row_y.insert(r, y);
        y += lines_of[&r] as f32 * (NODE_SIZE.y + ROW_GAP);
    }
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| natural_cmp(&nodes[a].label, &nodes[b].label));
    let mut frames = Vec::new();
    let mut x = 0.0f32;
    let height = (y - ROW_GAP).max(NODE_SIZE.y);
    for site in &sites {
        let cap = column_cap(site);
        let mut columns_used = 0usize;
        for &r in &used_rows {
            let in_row: Vec<usize> =
                order.iter().copied().filter(|&i| nodes[i].row == r && site_of(&nodes[i]) == *site).collect();
            for (c, &i) in in_row.iter().enumerate() {
                let (column, line) = (c % cap, c / cap);
                let min = pos2(
                    x + SITE_PADDING + column as f32 * (NODE_SIZE.x + COLUMN_GAP),
                    row_y[&r] + line as f32 * (NODE_SIZE.y + ROW_GAP),
                );
                nodes[i].rect = Rect::from_min_size(min, NODE_SIZE);
            }
            columns_used = columns_used.max(in_row.len().min(cap));
        }
        let width = columns_used as f32 * (NODE_SIZE.x + COLUMN_GAP) - COLUMN_GAP + 2.0 * SITE_PADDING;
        let rect = Rect::from_min_size(pos2(x, -SITE_PADDING - 16.0), vec2(width, height + 2.0 * SITE_PADDING + 16.0));
        frames.push(SiteFrame {
            site: *site,
            label: site.map_or("(no site)".to_string(), |s| format!("site {}", model.element(s).name)),
            rect,
        });
        x += width + SITE_GAP;
    }

    // Node index per element.
    let mut node_of = BTreeMap::new();
    for (i, n) in nodes.iter().enumerate() {
        for &e in &n.elements {
            node_of.insert(e, i);
        }
    }
    let edges = edges(model, &node_of, options.show_power);
    let outlines = outlines(model, &nodes, &node_of);
    let mut bounds = Rect::NOTHING;
    for f in &frames {
        bounds = bounds.union(f.rect);
    }
    if !bounds.is_positive() {
        bounds = Rect::from_min_size(Pos2::ZERO, NODE_SIZE);
    }
    // Room for the row titles left of the first frame.
    bounds.min.x -= ROW_TITLE_WIDTH;
    let rows = used_rows.iter().map(|&r| (rows.titles[r].clone(), row_y[&r])).collect();
    Scene { nodes, edges, frames, outlines, rows, node_of, bounds, collapsed }
}

/// Switches and routers: what racks hang off and pods are made of.
fn is_switching(kind: &str) -> bool {
    kind == "switch" || kind == "router"
}

/// Top-level element → the top-level elements its cables reach.
fn link_neighbours(model: &Model) -> BTreeMap<ElementId, Vec<ElementId>> {
    let mut out: BTreeMap<ElementId, Vec<ElementId>> = BTreeMap::new();
    for l in &model.links {
        let (a, b) = (top_of(model, l.a), top_of(model, l.b));
        if a != b {
            out.entry(a).or_default().push(b);
            out.entry(b).or_default().push(a);
        }
    }
    for v in out.values_mut() {
        v.sort_by(|&x, &y| natural_cmp(&model.element(x).name, &model.element(y).name));
        v.dedup();
    }
    out
}

fn edges(model: &Model, node_of: &BTreeMap<ElementId, usize>, show_power: bool) -> Vec<Edge> {
    let mut by_pair: BTreeMap<(usize, usize, EdgeStyle), Vec<ElementId>> = BTreeMap::new();
    for l in &model.links {
        let (Some(&a), Some(&b)) = (node_of.get(&l.a), node_of.get(&l.b)) else { continue };
        if a == b {
            continue;
        }
        let style = match l.medium {
            Medium::Access => EdgeStyle::Access,
            Medium::Cascade | Medium::Trunk { .. } => EdgeStyle::InterSwitch,
            Medium::Uplink => EdgeStyle::Uplink,
            Medium::FibreChannel => EdgeStyle::FibreChannel,
        };
        by_pair.entry((a.min(b), a.max(b), style)).or_default().push(l.element);
    }
    // Dependencies that are not cables: power and storage.
    let mut kinds = vec![EdgeKind::Storage];
    if show_power {
        kinds.push(EdgeKind::Power);
    }
    for e in &model.elements {
        let Some(&a) = node_of.get(&e.id) else { continue };
        for &kind in &kinds {
            for t in sim_core::model::edge_targets(model, NodeRef::Element(e.id), kind) {
                let NodeRef::Element(t) = t else { continue };
                let Some(&b) = node_of.get(&t) else { continue };
                if a != b {
                    let style = if kind == EdgeKind::Power { EdgeStyle::Power } else { EdgeStyle::Storage };
                    by_pair.entry((a.min(b), a.max(b), style)).or_default();
                }
            }
        }
    }
    by_pair.into_iter().map(|((a, b, style), links)| Edge { a, b, style, links }).collect()
}

/// Group kinds drawn as outlines (the redundancy an architect wants to see).
const OUTLINED: &[&str] = &[
    "bond",
    "vrrp",
    "hsrp",
    "cluster",
    "lb-pool",
    "multipath",
    "replication",
    "session-replication",
    "dns-rr",
    "gslb",
];

fn outlines(model: &Model, nodes: &[Node], node_of: &BTreeMap<ElementId, usize>) -> Vec<Outline> {
    let mut out = Vec::new();
    for g in &model.groups {
        if !OUTLINED.contains(&g.kind) {
            continue;
        }
        let shown: BTreeSet<usize> = g.members.iter().filter_map(|m| node_of.get(m).copied()).collect();
        if shown.len() < 2 {
            continue;
        }
        let rect = shown.iter().fold(Rect::NOTHING, |r, &i| r.union(nodes[i].rect)).expand(8.0);
        out.push(Outline { group: g.id, label: format!("{} {}", g.kind, g.name), rect });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scene(file: &str, options: &LayoutOptions) -> (Model, Scene) {
        let model = sim_core::load(crate::examples::find(file).unwrap().text).model.unwrap();
        let scene = layout(&model, options);
        (model, scene)
    }

    #[test]
    fn natural_order_sorts_numbers_by_value() {
        let mut names = vec!["web-10", "web-2", "web-1", "db", "web-02"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["db", "web-1", "web-2", "web-02", "web-10"]);
    }

    #[test]
    fn full_site_rows_follow_the_tiers_and_parts_fold_into_hosts() {
        let (model, s) = scene("full-single-site.jsonc", &LayoutOptions::default());
        let row_of = |name: &str| {
            s.rows[s.rows.iter().position(|(_, y)| *y == s.nodes[s.node_by_key(name).unwrap()].rect.min.y).unwrap()]
                .0
                .clone()
        };
        assert_eq!(row_of("internet"), "Entry");
        assert_eq!(row_of("gw-1"), "L3 gateways / firewalls");
        assert_eq!(row_of("sw-2"), "L2 switches");
        assert_eq!(row_of("lb-1"), "Load balancers");
        assert!(row_of("web-1").starts_with("Tier: "), "{}", row_of("web-1"));
        let ys: Vec<f32> = ["internet", "gw-1", "sw-1", "lb-1", "web-1", "ap-1", "db-1"]
            .iter()
            .map(|n| s.nodes[s.node_by_key(n).unwrap()].rect.min.y)
            .collect();
        assert!(ys.windows(2).all(|w| w[0] < w[1]), "tiers top to bottom: {ys:?}");
        // PSUs and NICs are inside their server; power is hidden by default.
        let web1 = &s.nodes[s.node_by_key("web-1").unwrap()];
        let psu = model.element_by_name("web-1/psu-1").unwrap().id;
        assert!(web1.elements.contains(&psu));
        assert!(s.node_by_key("pdu-a").is_none());
        // Every node sits inside its site frame, and nodes never overlap.
        for n in &s.nodes {
            assert!(s.frames.iter().any(|f| f.rect.contains_rect(n.rect)), "{} outside frames", n.key);
        }
        for (i, a) in s.nodes.iter().enumerate() {
            for b in &s.nodes[i + 1..] {
                assert!(!a.rect.intersects(b.rect), "{} overlaps {}", a.key, b.key);
            }
        }
        assert!(s.outlines.iter().any(|o| o.label.starts_with("vrrp")));
        // The "(no site)" frame (the entry, six monitors and backups) wraps its rows
        // rather than out-widening the site that holds the design.
        let no_site = s.frames.iter().find(|f| f.site.is_none()).unwrap();
        let dc1 = s.frames.iter().find(|f| f.site.is_some()).unwrap();
        assert!(no_site.rect.width() < dc1.rect.width() / 1.5, "{no_site:?} against {dc1:?}");
        // The same input gives the same picture.
        assert_eq!(layout(&model, &LayoutOptions::default()).nodes, s.nodes);
    }

    #[test]
    fn power_is_a_row_when_asked() {
        let options = LayoutOptions { show_power: true, ..Default::default() };
        let (_, s) = scene("full-single-site.jsonc", &options);
        let pdu = &s.nodes[s.node_by_key("pdu-a").unwrap()];
        assert_eq!(s.rows.last().unwrap().0, "Power");
        assert_eq!(pdu.rect.min.y, s.rows.last().unwrap().1);
        assert!(s.edges.iter().any(|e| e.style == EdgeStyle::Power));
    }

    #[test]
    fn sites_are_separate_frames() {
        let (model, s) = scene("sites/dr-tiers.jsonc", &LayoutOptions::default());
        let sited: BTreeSet<ElementId> = model.elements.iter().filter_map(|e| e.site).collect();
        assert_eq!(s.frames.iter().filter(|f| f.site.is_some()).count(), sited.len());
        for w in s.frames.windows(2) {
            assert!(w[0].rect.max.x < w[1].rect.min.x);
        }
    }

    #[test]
    fn a_large_fat_tree_collapses_into_pods_that_expand() {
        let text = sim_core::generate::fat_tree(16, 2);
        let model = sim_core::load(&text).model.unwrap();
        let s = layout(&model, &LayoutOptions::default());
        assert!(s.nodes.len() <= COLLAPSE_ABOVE, "{} nodes", s.nodes.len());
        assert!(s.node_by_key("pod:p3").is_some());
        let mut expanded = LayoutOptions::default();
        expanded.expanded.insert("pod:p3".into());
        let s2 = layout(&model, &expanded);
        assert!(s2.node_by_key("pod:p3").is_none());
        assert!(s2.node_by_key("rack:p3-edge-0").is_some());
        // Every element is drawn somewhere.
        let links: BTreeSet<ElementId> = model.links.iter().map(|l| l.element).collect();
        for e in &model.elements {
            if e.layer != Layer::Site && !links.contains(&e.id) && !["power-feed", "ups", "pdu"].contains(&e.kind) {
                assert!(s2.node_of.contains_key(&e.id), "{} not drawn", e.name);
            }
        }
    }
}
