//! Certified bounds on a service's unavailability when the exact BDD is out of reach.
//!
//! The failure states are split by how many elements have failed. Every state in which
//! a single point of failure has failed is down. Among the others (no SPOF failed):
//! no failure or one failure is up; a state with exactly two failures is down exactly
//! when the pair is an order-2 cut set, found for each element i by one run of the
//! single-failure dataflow with i already failed
//! ([`super::single_failures::single_failures_given`]); states with three or more
//! failures are left undecided. So, with r = q / (1 − q) and R = Π(1 − q) over the
//! non-SPOF elements,
//!
//! - lower = P(some SPOF fails) + P(no SPOF) · R · Σ_{down pairs} r_i r_j,
//! - upper = lower + P(no SPOF) · (P(≥ 3 non-SPOF failures) + R · Σ_{undecided pairs} r_i r_j).
//!
//! Both hold for the static model (independent elements, each unavailable for its
//! repair, plus a RAID slot's rebuild); the solved dynamic parts (hot spares, cold
//! standby, crews, UPS batteries) are not credited. Elements are processed most
//! probable first; a deadline stops the loop and the pairs not yet decided widen the
//! gap, so the bounds stay valid at any point. Cost: O(n) dataflow runs, each near
//! linear in the design (Esary–Proschan-style state enumeration; see Li & Silvester,
//! "Performance analysis of networks with unreliable components", IEEE Trans. Comm.
//! 32(10), 1984, for most-probable-state bounds).

use std::sync::atomic::{AtomicBool, Ordering};

use super::single_failures::single_failures_given;
use crate::model::Model;

/// Certified bounds on one service's unavailability.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub lower: f64,
    pub upper: f64,
    /// Every pair was decided (false: the deadline stopped the enumeration).
    pub complete: bool,
}

impl Bounds {
    /// (upper − lower) / upper; 0 when both are 0.
    pub fn relative_gap(&self) -> f64 {
        if self.upper > 0.0 {
            (self.upper - self.lower) / self.upper
        } else {
            0.0
        }
    }
}

/// Bounds for every service (by index). `cancel` stops the pair enumeration early.
pub fn certified_bounds(model: &Model, cancel: Option<&AtomicBool>) -> Vec<Bounds> {
    certified_bounds_within(model, cancel, usize::MAX)
}

/// [`certified_bounds`] with at most `max_runs` dataflow runs (for a page with no
/// threads to time it out): the pairs left undecided widen the gap.
pub fn certified_bounds_within(model: &Model, cancel: Option<&AtomicBool>, max_runs: usize) -> Vec<Bounds> {
    let n = model.elements.len();
    let extra = super::structure::rebuild_windows(model);
    let q: Vec<f64> = model
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| {
            e.failure.map_or(0.0, |f| {
                let down = f.mttr_secs + extra[i];
                down / (f.mtbf_secs + down)
            })
        })
        .collect();
    let services = model.services.len();
    let singles = single_failures_given(model, &vec![false; n]);
    // Per service: SPOF flags.
    let spof: Vec<Vec<bool>> = singles
        .iter()
        .map(|set| match set {
            None => vec![true; n],
            Some(ids) => {
                let mut v = vec![false; n];
                for &i in ids {
                    v[i as usize] = true;
                }
                v
            }
        })
        .collect();
    // Most probable first.
    let mut order: Vec<usize> = (0..n).filter(|&i| q[i] > 0.0).collect();
    order.sort_by(|&a, &b| q[b].total_cmp(&q[a]).then(a.cmp(&b)));
    let mut rank = vec![usize::MAX; n];
    for (k, &i) in order.iter().enumerate() {
        rank[i] = k;
    }
    let r = |i: usize| q[i] / (1.0 - q[i]);
    let mut pair_sum = vec![0.0; services];
    let mut processed = 0;
    for (k, &i) in order.iter().enumerate() {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) || k >= max_runs {
            break;
        }
        if (0..services).all(|s| spof[s][i]) {
            processed = k + 1;
            continue;
        }
        let mut pre = vec![false; n];
        pre[i] = true;
        let sets = single_failures_given(model, &pre);
        for s in 0..services {
            if spof[s][i] {
                continue;
            }
            match &sets[s] {
                // Down with i alone: cannot happen for a non-SPOF; treat every pair as down.
                None => {
                    for &j in &order[k + 1..] {
                        if !spof[s][j] {
                            pair_sum[s] += r(i) * r(j);
                        }
                    }
                }
                Some(js) => {
                    for &j in js {
                        let j = j as usize;
                        if j != i && q[j] > 0.0 && !spof[s][j] && rank[j] > k {
                            pair_sum[s] += r(i) * r(j);
                        }
                    }
                }
            }
        }
        processed = k + 1;
    }
    (0..services)
        .map(|s| {
            if singles[s].is_none() {
                return Bounds { lower: 1.0, upper: 1.0, complete: true };
            }
            // P(no SPOF fails), and 1 − that without cancellation.
            let log_no_spof: f64 = order.iter().filter(|&&i| spof[s][i]).map(|&i| libm::log1p(-q[i])).sum();
            let no_spof = libm::exp(log_no_spof);
            let some_spof = -libm::expm1(log_no_spof);
            let others: Vec<usize> = order.iter().copied().filter(|&i| !spof[s][i]).collect();
            let big_r = libm::exp(others.iter().map(|&i| libm::log1p(-q[i])).sum::<f64>());
            // P(≥ 3 failures among the others), by a count DP with no subtraction.
            let (mut p0, mut p1, mut p2, mut tail) = (1.0, 0.0, 0.0, 0.0);
            for &i in &others {
                let (qi, pi) = (q[i], 1.0 - q[i]);
                tail += p2 * qi;
                p2 = p2 * pi + p1 * qi;
                p1 = p1 * pi + p0 * qi;
                p0 *= pi;
            }
            // Pairs of the others both left unprocessed.
            let (mut seen, mut undecided) = (0.0, 0.0);
            for &i in others.iter().filter(|&&i| rank[i] >= processed) {
                undecided += r(i) * seen;
                seen += r(i);
            }
            let lower = some_spof + no_spof * big_r * pair_sum[s];
            let upper = (lower + no_spof * (tail + big_r * undecided)).min(1.0);
            Bounds { lower, upper, complete: processed == order.len() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze_tree, structure, Options};

    /// On designs small enough for the exact BDD, the exact figure lies within the
    /// bounds; the bounds are tight when triple failures are rare.
    #[test]
    fn bounds_contain_the_exact_figure() {
        let mut checked = 0;
        for seed in 0..40 {
            let text = crate::generate::multi_tier(seed);
            let model = crate::load(&text).model.expect("model");
            if model.groups.iter().any(|g| g.dynamics.is_some()) {
                continue;
            }
            let bounds = certified_bounds(&model, None);
            for st in structure::service_structures(&model).into_iter().flatten() {
                let exact = analyze_tree(&st.tree, &Options::default()).unwrap().probability;
                let b = bounds[st.service];
                assert!(b.complete);
                assert!(
                    b.lower <= exact * (1.0 + 1e-9) && exact <= b.upper * (1.0 + 1e-9),
                    "seed {seed}: {exact:e} not in [{:e}, {:e}]",
                    b.lower,
                    b.upper
                );
                checked += 1;
            }
        }
        assert!(checked >= 20, "{checked}");
    }

    /// A cancelled run still gives valid (wider) bounds.
    #[test]
    fn a_deadline_widens_but_keeps_the_bounds() {
        static STOP: AtomicBool = AtomicBool::new(true);
        let model = crate::load(&crate::generate::multi_tier(3)).model.unwrap();
        let full = certified_bounds(&model, None)[0];
        let cut = certified_bounds(&model, Some(&STOP))[0];
        assert!(!cut.complete);
        assert!(cut.lower <= full.lower && cut.upper >= full.upper, "{cut:?} vs {full:?}");
    }
}
