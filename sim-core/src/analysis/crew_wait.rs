//! What queueing for `repair_crews` adds to a static figure that does not charge it: a
//! first-order estimate over the minimal cut sets. Within a cut set C of more than c
//! events (c crews), the events' repairs wait for each other; solving C's own crew
//! queue (the chain of [`super::dynamic::shared_crew_failed_sets`] over C's elements
//! alone) gives the factor by which queueing lengthens the time they are all down,
//! P_queue(C) / Π q_i, and the estimate adds P(C) × (factor − 1) over the cut sets
//! listed (a rare-event sum). Waits behind repairs outside a cut set are left out
//! (another crew-busy term, first order in the other elements' unavailability), so the
//! estimate errs low; it is a size for the note, not a bound.
//!
//! O(cut sets × s³) with s ≤ 65 chain states (16 at order 3, 65 at order 4, the largest
//! solved).

use super::dynamic::{self, Unit};
use super::fault_tree::FaultTree;
use super::CutSet;

/// The estimate: the unavailability queueing adds, and how many cut sets it covered
/// (`used`) or left out for want of an element's own rates (`skipped`) or for their
/// size (`too_large`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CrewWait {
    pub added: f64,
    pub used: usize,
    pub skipped: usize,
    /// Cut sets of more than [`MAX_ORDER`] events, left out.
    pub too_large: usize,
}

/// The largest cut set solved as its own queue (65 ordered queues at 4 events).
pub const MAX_ORDER: usize = 4;

/// Queueing's estimated addition over `cut_sets` of `tree`, whose events' element rates
/// are `rates` (indexed by event; `None` for an event with none, such as a derived one),
/// with `crews` crews. Cut sets of at most `crews` events never wait within themselves.
/// Cut sets with two events of one solved module whose chain already queues for the
/// crews are left to that chain.
pub fn estimate(tree: &FaultTree, cut_sets: &[CutSet], rates: &[Option<Unit>], crews: u32) -> CrewWait {
    let mut out = CrewWait { added: 0.0, used: 0, skipped: 0, too_large: 0 };
    for cut in cut_sets.iter().filter(|c| c.events.len() > crews as usize) {
        let queued_in_a_chain = tree
            .modules
            .iter()
            .filter(|m| m.crews.is_some())
            .any(|m| cut.events.iter().filter(|e| m.events.contains(e)).count() >= 2);
        if queued_in_a_chain {
            continue;
        }
        let units: Option<Vec<Unit>> = cut.events.iter().map(|&e| rates.get(e as usize).copied().flatten()).collect();
        let Some(units) = units else {
            out.skipped += 1;
            continue;
        };
        // Order 5 and beyond: their queues are large (326 states at 5) and their share
        // small; counted apart, so the note can say so.
        if units.len() > MAX_ORDER {
            out.too_large += 1;
            continue;
        }
        let group_of: Vec<usize> = (0..units.len()).collect();
        let cold = vec![false; units.len()];
        let Some(joint) = dynamic::shared_crew_failed_sets(&units, &group_of, &cold, Some(crews)) else {
            out.too_large += 1;
            continue;
        };
        let independent: f64 = units.iter().map(|u| u.mttr_secs / (u.mtbf_secs + u.mttr_secs)).product();
        let queued = joint[(1usize << units.len()) - 1];
        if independent > 0.0 {
            out.added += cut.probability * (queued / independent - 1.0).max(0.0);
            out.used += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two feeds, each MTBF 1000 h and MTTR 100 h, one crew: both down with the crew
    /// shared is the one-repairman closed form 2ρ²/(1 + 2ρ + 2ρ²) (ρ = 0.1; Trivedi,
    /// §8.4), against ρ²/(1 + ρ)² with a crew each. A cut set that is the whole queue
    /// gets exactly the difference.
    #[test]
    fn a_pair_that_is_the_whole_queue_gets_the_closed_form() {
        let u = Unit { mtbf_secs: 1000.0 * 3600.0, mttr_secs: 100.0 * 3600.0 };
        let q = 100.0 / 1100.0;
        let tree = FaultTree::default();
        let cut = CutSet { events: vec![0, 1], probability: q * q };
        let w = estimate(&tree, std::slice::from_ref(&cut), &[Some(u), Some(u)], 1);
        let rho: f64 = 0.1;
        let exact = 2.0 * rho * rho / (1.0 + 2.0 * rho + 2.0 * rho * rho);
        assert!(((q * q + w.added) / exact - 1.0).abs() < 1e-12, "{w:?}");
        assert_eq!((w.used, w.skipped), (1, 0));
        // Two crews: no wait within a pair.
        assert_eq!(estimate(&tree, std::slice::from_ref(&cut), &[Some(u), Some(u)], 2).added, 0.0);
        // An event without rates is counted as skipped, not guessed.
        let w = estimate(&tree, &[cut], &[Some(u), None], 1);
        assert_eq!((w.added, w.used, w.skipped), (0.0, 0, 1));
        // Past order 4: counted apart.
        let five = CutSet { events: vec![0, 1, 2, 3, 4], probability: q.powi(5) };
        let w = estimate(&tree, &[five], &[Some(u); 5], 1);
        assert_eq!((w.added, w.used, w.skipped, w.too_large), (0.0, 0, 0, 1));
    }

    /// The same pair in a design: two routers in parallel, the only parts that fail,
    /// one crew. They are the whole queue, so the static figure plus the estimate is
    /// the closed form, and every output carries it as a note.
    #[test]
    fn the_note_gives_the_closed_form_where_a_cut_set_is_the_whole_queue() {
        let text = r#"{ "repair_crews": 1,
          "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
                        "process": { "availability": "100%" }, "server": { "availability": "100%" },
                        "switch": { "availability": "100%" } },
          "components": { "internet": { "kind": "entry" },
            "r1": { "kind": "router", "mtbf": "1000h", "mttr": "100h" },
            "r2": { "kind": "router", "mtbf": "1000h", "mttr": "100h" },
            "sw": { "kind": "switch" }, "web": { "kind": "server", "nics": ["sw"], "runs": ["web"] } },
          "links": [ { "between": ["internet", "r1"] }, { "between": ["internet", "r2"] },
                     { "between": ["r1", "sw"] }, { "between": ["r2", "sw"] } ],
          "services": { "s": { "from": "internet", "through": ["web/web"] } } }"#;
        let model = crate::load(text).model.expect("loads");
        let tree = crate::analysis::structure::service_trees(&model).remove(0).unwrap();
        let r = crate::analysis::analyze_tree(&tree, &crate::analysis::Options::default()).unwrap();
        let q: f64 = 100.0 / 1100.0;
        assert!((r.probability / (q * q) - 1.0).abs() < 1e-12, "{}", r.probability);
        let rho: f64 = 0.1;
        let exact = 2.0 * rho * rho / (1.0 + 2.0 * rho + 2.0 * rho * rho);
        let added = exact - q * q;
        let note = r.notes.iter().find(|n| n.contains("queueing within each cut set")).expect("a crews estimate");
        assert!(note.contains(&format!("adds about {added:.3e}")), "{note} (expected {added:.3e})");
    }
}
