//! SPOF-L023 stp-diameter: a spanning tree wider than its timers were made for.
//!
//! The bridge diameter is the most bridges a frame crosses between two stations on the
//! active tree. It is computed on the tree the domain settles on, as the simulator
//! builds it: breadth first from the root bridge over the links between the domain's
//! switches, lower link ids first (standing in for port cost, IEEE 802.1D-2004 §17.6).
//! Cost: one breadth-first search from the root and two over the tree, O(V + E).

use std::collections::{BTreeMap, VecDeque};

use super::{hit, Hit, Lint, Severity};
use crate::model::{secs_attr, text_attr, ElementId, Model};

pub static LINT: Lint = Lint {
    code: "SPOF-L023",
    name: "stp-diameter",
    severity: Severity::Warning,
    summary: "A spanning tree spans more bridges than its timers assume.",
    rationale: "IEEE 802.1D-1998 §8.10.2 and Annex (and IEEE 802.1D-2004 §17.14, Table 17-1): the recommended timers (hello 2 s, forward delay 15 s, max age 20 s) are computed for a maximum bridge diameter of 7. Wider, a topology change can outrun the timers: BPDUs age out before they reach the far bridges, and ports go forwarding before the loop is known blocked, a temporary loop that storms the network (as at Beth Israel Deaconess Medical Center, Boston, in November 2002, where a spanning tree grown far past its design left the hospital's network down for days: CIO Magazine, \"All Systems Down\", 2003). In RSTP, max age bounds the hops a BPDU travels from the root (message age +1 per bridge).",
    fix: "Split the L2 domain with routing (an L3 boundary), or use RSTP (802.1w), or set timers computed for the real diameter (e.g. Cisco's `spanning-tree vlan N root primary diameter D`).",
    example: r#""l2": { "kind": "stp", "mode": "rstp", "switches": ["core-1", "core-2", "acc-1", "acc-2"], "root": "core-1" }"#,
    check,
};

/// The diameter IEEE 802.1D's default timers are computed for.
const DEFAULT_TIMERS_DIAMETER: usize = 7;

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for g in model.groups.iter().filter(|g| g.kind == "stp") {
        let mode = text_attr(&g.attrs, "mode").unwrap_or("rstp");
        let timer = |k: &str, default: f64| secs_attr(&g.attrs, k).unwrap_or(default);
        let (hello, fwd, max_age) = (timer("hello", 2.0), timer("forward_delay", 15.0), timer("max_age", 20.0));
        let root = text_attr(&g.attrs, "root").and_then(|r| model.element_by_name(r)).map(|e| e.id);
        let Some(root) = root.or(g.members.first().copied()) else { continue };
        let Some((diameter, depth)) = tree_diameter(model, &g.members, root) else { continue };
        let defaults = hello == 2.0 && fwd == 15.0 && max_age == 20.0;
        if mode == "stp" && defaults && diameter > DEFAULT_TIMERS_DIAMETER {
            out.push(hit(
                g.span,
                &g.name,
                format!(
                    "{}: the active tree spans {diameter} bridges end to end, but 802.1D's default timers assume at most {DEFAULT_TIMERS_DIAMETER}",
                    g.name
                ),
            ));
        } else if mode == "rstp" && (depth as f64) >= max_age {
            out.push(hit(
                g.span,
                &g.name,
                format!(
                    "{}: bridges {depth} hops from the root are past max age ({} s): their BPDUs age out on the way",
                    g.name, max_age
                ),
            ));
        }
    }
    out
}

/// The bridge diameter of the domain's active tree (bridges on the longest path between
/// two bridges) and the tree's depth (hops from the root to the farthest bridge); `None`
/// when the root is not in the domain.
fn tree_diameter(model: &Model, members: &[ElementId], root: ElementId) -> Option<(usize, usize)> {
    let mut adjacency: BTreeMap<ElementId, Vec<ElementId>> = members.iter().map(|&m| (m, Vec::new())).collect();
    for l in &model.links {
        if adjacency.contains_key(&l.a) && adjacency.contains_key(&l.b) && l.a != l.b {
            adjacency.get_mut(&l.a)?.push(l.b);
            adjacency.get_mut(&l.b)?.push(l.a);
        }
    }
    if !adjacency.contains_key(&root) {
        return None;
    }
    // The active tree, as the simulator builds it (docs/MECHANISMS.md, "Spanning
    // tree"): breadth first from the root, lower link ids first.
    let mut depth: BTreeMap<ElementId, usize> = BTreeMap::from([(root, 0)]);
    let mut queue = VecDeque::from([root]);
    let mut tree: BTreeMap<ElementId, Vec<ElementId>> = BTreeMap::new();
    while let Some(b) = queue.pop_front() {
        for &n in &adjacency[&b] {
            if !depth.contains_key(&n) {
                depth.insert(n, depth[&b] + 1);
                tree.entry(b).or_default().push(n);
                tree.entry(n).or_default().push(b);
                queue.push_back(n);
            }
        }
    }
    let farthest = |from: ElementId| -> (ElementId, usize) {
        let mut dist = BTreeMap::from([(from, 0usize)]);
        let mut queue = VecDeque::from([from]);
        let mut best = (from, 0);
        while let Some(b) = queue.pop_front() {
            for &n in tree.get(&b).map(Vec::as_slice).unwrap_or(&[]) {
                if !dist.contains_key(&n) {
                    let d = dist[&b] + 1;
                    dist.insert(n, d);
                    if d > best.1 {
                        best = (n, d);
                    }
                    queue.push_back(n);
                }
            }
        }
        best
    };
    let (end, _) = farthest(root);
    let (_, hops) = farthest(end);
    Some((hops + 1, depth.values().copied().max().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    /// A daisy chain of `n` switches, root at one end: the diameter is n bridges.
    fn chain(n: usize, mode: &str, root: usize) -> String {
        let switches: Vec<String> = (1..=n).map(|i| format!("\"sw-{i:02}\"")).collect();
        let components: Vec<String> = (1..=n).map(|i| format!("\"sw-{i:02}\": {{ \"kind\": \"switch\" }}")).collect();
        let links: Vec<String> =
            (1..n).map(|i| format!("{{ \"between\": [\"sw-{i:02}\", \"sw-{:02}\"] }}", i + 1)).collect();
        format!(
            r#"{{ "components": {{ {} }}, "links": [ {} ],
              "groups": {{ "l2": {{ "kind": "stp", "mode": "{mode}", "switches": [{}], "root": "sw-{root:02}" }} }} }}"#,
            components.join(", "),
            links.join(", "),
            switches.join(", ")
        )
    }

    #[test]
    fn fires_past_seven_bridges_with_default_timers() {
        assert!(only("SPOF-L023", &chain(7, "stp", 1)).is_empty());
        assert_eq!(only("SPOF-L023", &chain(8, "stp", 1)), ["SPOF-L023 l2"]);
        // The diameter is end to end, wherever the root is: 9 bridges from the middle.
        assert_eq!(only("SPOF-L023", &chain(9, "stp", 5)), ["SPOF-L023 l2"]);
    }

    #[test]
    fn quiet_with_timers_tuned_or_rstp_within_max_age() {
        let tuned = chain(9, "stp", 1)
            .replace(r#""root": "sw-01""#, r#""root": "sw-01", "max_age": "30s", "forward_delay": "21s""#);
        assert!(only("SPOF-L023", &tuned).is_empty());
        assert!(only("SPOF-L023", &chain(9, "rstp", 1)).is_empty());
        // RSTP: 20 hops from the root reach max age (20 s) by default.
        assert_eq!(only("SPOF-L023", &chain(21, "rstp", 1)), ["SPOF-L023 l2"]);
        assert!(only("SPOF-L023", &chain(20, "rstp", 1)).is_empty());
    }

    /// A ring of 10 switches: the active tree opens it at the point farthest from the
    /// root, so the diameter is 10 bridges (the whole ring), not the graph's 6.
    #[test]
    fn a_ring_counts_its_active_tree_not_its_shortcuts() {
        let ring = chain(10, "stp", 1).replace(
            r#"{ "between": ["sw-09", "sw-10"] } ]"#,
            r#"{ "between": ["sw-09", "sw-10"] }, { "between": ["sw-10", "sw-01"] } ]"#,
        );
        assert_eq!(only("SPOF-L023", &ring), ["SPOF-L023 l2"]);
    }
}
