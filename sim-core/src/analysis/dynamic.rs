//! Dynamic parts solved exactly: the pieces of a design whose state depends on order
//! and time, which independent per-component probabilities cannot express. Each is
//! solved here as a small continuous-time Markov chain (or its closed form), and the
//! fault-tree builder feeds the result to the BDD as one variable when the part is an
//! independent module (Dutuit & Rauzy, "A linear-time algorithm to find modules of
//! fault trees", IEEE Trans. Reliability 45(3), 1996; the same decomposition as
//! Galileo/DIFTree: Dugan, Sullivan & Coppit, IEEE Trans. Reliability 48(2), 1999).
//!
//! - RAID slots are unprotected from a disk's failure until its rebuild ends; a hot
//!   spare starts the rebuild at once, a replacement disk only after the repair; a
//!   disk being rebuilt onto can fail too, and its slot starts over.
//! - A cold standby does not age while it waits; limited repair crews serve failures
//!   first come, first served.
//! - A UPS carries its load through the part of an input outage its battery covers.
//!
//! All times are exponential with the given means (the simulator samples the same).
//! Chains have at most a few hundred states; solving one is O(states³).

/// Stationary distribution π of a CTMC with generator rows `rates[i][j]` (i ≠ j; the
/// diagonal is ignored): π Q = 0, Σπ = 1, by Gaussian elimination with partial
/// pivoting. `None` when the chain is not irreducible (singular system).
pub fn stationary(rates: &[Vec<f64>]) -> Option<Vec<f64>> {
    let n = rates.len();
    // Rows of the transposed generator; the last equation becomes Σπ = 1.
    let mut a = vec![vec![0.0; n + 1]; n];
    for (i, row) in rates.iter().enumerate() {
        let out: f64 = row.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, r)| r).sum();
        for (j, &r) in row.iter().enumerate() {
            if j != i {
                a[j][i] += r;
            }
        }
        a[i][i] -= out;
    }
    for x in a[n - 1].iter_mut() {
        *x = 1.0;
    }
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        for r in 0..n {
            if r != col && a[r][col] != 0.0 {
                let f = a[r][col] / a[col][col];
                let pivot_row = a[col].clone();
                for (x, p) in a[r][col..].iter_mut().zip(&pivot_row[col..]) {
                    *x -= f * p;
                }
            }
        }
    }
    Some((0..n).map(|i| a[i][n] / a[i][i]).collect())
}

/// A RAID group's unavailability: the steady-state probability that more than
/// `tolerates` of its `slots` slots are unprotected.
///
/// A slot's disk fails at rate `1 / mtbf_secs`. With a hot spare free, the rebuild onto
/// it starts at once (mean `rebuild_secs`) and the failed disk goes for replacement
/// (mean `mttr_secs`); without one, the slot waits for the replacement and then
/// rebuilds. A replaced disk fills a waiting slot, else becomes a spare. At most
/// `crews` replacements run at once (`None`: no limit); rebuilds need no crew. A disk
/// being rebuilt onto fails at the same rate and its slot starts over (onto the next
/// free spare, else waiting for a replacement); an idle spare fails at the same rate
/// too and is replaced. States: (slots waiting for a disk, slots rebuilding, free
/// spares).
///
/// Without spares the slots are independent and the result is
/// `((mttr + rebuild) / (mtbf + mttr + rebuild))^(tolerates+1)`-like k-of-n: the chain
/// reproduces it (tested).
pub fn raid_unavailability(
    slots: usize,
    tolerates: usize,
    hot_spares: usize,
    mtbf_secs: f64,
    mttr_secs: f64,
    rebuild_secs: f64,
    crews: Option<u32>,
) -> Option<f64> {
    let by_count =
        SolvedRaidChain::new(slots, hot_spares, mtbf_secs, mttr_secs, rebuild_secs, crews)?.unprotected_by_count();
    Some(by_count.iter().skip(tolerates + 1).sum())
}

/// The RAID chain of [`raid_unavailability`] with its stationary distribution.
/// States: (slots waiting for a disk, slots rebuilding, free spares).
pub struct SolvedRaidChain {
    states: Vec<(usize, usize, usize)>,
    pi: Vec<f64>,
    slots: usize,
    hot_spares: usize,
    mtbf_secs: f64,
    mttr_secs: f64,
    crews: Option<u32>,
}

impl SolvedRaidChain {
    /// `None` when the chain has too many states or is not irreducible.
    pub fn new(
        slots: usize,
        hot_spares: usize,
        mtbf_secs: f64,
        mttr_secs: f64,
        rebuild_secs: f64,
        crews: Option<u32>,
    ) -> Option<SolvedRaidChain> {
        let (lambda, repair, rebuild) = (1.0 / mtbf_secs, 1.0 / mttr_secs, 1.0 / rebuild_secs.max(1e-9));
        let mut states: Vec<(usize, usize, usize)> = Vec::new();
        for w in 0..=slots {
            for b in 0..=slots - w {
                for sp in 0..=hot_spares {
                    // Disks away for replacement: h + w − sp ≥ 0.
                    if hot_spares + w >= sp {
                        states.push((w, b, sp));
                    }
                }
            }
        }
        if states.len() > 2000 {
            return None;
        }
        let index = |s: (usize, usize, usize)| states.iter().position(|&x| x == s);
        let mut rates = vec![vec![0.0; states.len()]; states.len()];
        for (i, &(w, b, sp)) in states.iter().enumerate() {
            let healthy = slots - w - b;
            let away = hot_spares + w - sp;
            let mut add = |to: (usize, usize, usize), r: f64| {
                if r > 0.0 {
                    if let Some(j) = index(to) {
                        rates[i][j] += r;
                    }
                }
            };
            if healthy > 0 {
                let to = if sp > 0 { (w, b + 1, sp - 1) } else { (w + 1, b, sp) };
                add(to, healthy as f64 * lambda);
            }
            let replacing = crews.map_or(away, |c| away.min(c as usize));
            if replacing > 0 {
                let to = if w > 0 { (w - 1, b + 1, sp) } else { (w, b, sp + 1) };
                add(to, replacing as f64 * repair);
            }
            if sp > 0 {
                // An idle spare fails too and goes for replacement.
                add((w, b, sp - 1), sp as f64 * lambda);
            }
            if b > 0 {
                add((w, b - 1, sp), b as f64 * rebuild);
                // A disk being rebuilt onto fails too: the slot starts over onto the
                // next free spare, else waits for a replacement.
                let to = if sp > 0 { (w, b, sp - 1) } else { (w + 1, b - 1, sp) };
                add(to, b as f64 * lambda);
            }
        }
        let pi = stationary(&rates)?;
        Some(SolvedRaidChain { states, pi, slots, hot_spares, mtbf_secs, mttr_secs, crews })
    }

    /// P(k slots unprotected), index k.
    pub fn unprotected_by_count(&self) -> Vec<f64> {
        let mut by_count = vec![0.0; self.slots + 1];
        for (&(w, b, _), p) in self.states.iter().zip(&self.pi) {
            by_count[w + b] += p;
        }
        by_count
    }

    /// The long-run rate (per second) at which rebuilds become exposed: `exposed(ok_others)`
    /// holds, with `ok_others` the slots other than the rebuilding one that still hold
    /// data, either when the rebuild starts (a slot's disk fails while a spare is free,
    /// or a replacement fills a waiting slot) or midway, when another slot fails. These
    /// are the rebuilds an unrecoverable read error can fail (`mechanisms::raid`); with
    /// exponential rebuilds the reads left after a midway exposure are a whole rebuild's,
    /// on average.
    pub fn exposed_rebuilds(&self, exposed: impl Fn(usize) -> bool) -> f64 {
        let slots = self.slots;
        let mut rate = 0.0;
        for (&(w, b, sp), p) in self.states.iter().zip(&self.pi) {
            let healthy = slots - w - b;
            let away = self.hot_spares + w - sp;
            if healthy > 0 {
                let after = slots - (w + b + 1);
                // A failure onto a free spare starts a rebuild with w + b + 1 unprotected.
                if sp > 0 && exposed(after) {
                    rate += p * healthy as f64 / self.mtbf_secs;
                }
                // Any failure leaves the b running rebuilds with one slot fewer to lean on.
                if b > 0 && exposed(after) && !exposed(after + 1) {
                    rate += p * healthy as f64 / self.mtbf_secs * b as f64;
                }
            }
            // A disk being rebuilt onto fails and the slot starts over onto a free
            // spare: a new rebuild, the count staying w + b.
            if b > 0 && sp > 0 && exposed(slots - (w + b)) {
                rate += p * b as f64 / self.mtbf_secs;
            }
            // A replacement filling a waiting slot: the count stays w + b.
            let replacing = self.crews.map_or(away, |c| away.min(c as usize));
            if replacing > 0 && w > 0 && exposed(slots - (w + b)) {
                rate += p * replacing as f64 / self.mttr_secs;
            }
        }
        rate
    }
}

/// One member of an active-standby group: failure and repair rates (per second).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unit {
    pub mtbf_secs: f64,
    pub mttr_secs: f64,
}

impl Unit {
    /// An element's own failure and repair means.
    pub fn of(f: &crate::model::FailureModel) -> Unit {
        Unit { mtbf_secs: f.mtbf_secs, mttr_secs: f.mttr_secs }
    }
}

/// An active-standby group's unavailability: the probability that every member is
/// failed. Members serve in priority order; with `cold`, only the serving member can
/// fail (a standby is off while it waits) and a repaired member does not take the role
/// back (a cluster does not fail back, docs/SEMANTICS.md §5); otherwise all working
/// members can fail. Failed members are repaired first come, first served by `crews`
/// crews (`None`: one per member). Switchover is instant and perfect. States: the
/// ordered queue of failed members and, when cold, the serving member (up to 6 members).
///
/// Closed form for two identical cold units and one crew: ρ² / (1 + ρ + ρ²) with
/// ρ = MTTR / MTBF (Trivedi, *Probability and Statistics with Reliability, Queuing and
/// Computer Science Applications*, 2nd ed., §8.4 on standby redundancy).
pub fn standby_unavailability(units: &[Unit], cold: bool, crews: Option<u32>) -> Option<f64> {
    let joint = standby_failed_sets(units, cold, crews)?;
    joint.last().copied()
}

/// The steady-state probability of each set of failed members (index: bit i = member
/// i failed) of the chain described at [`standby_unavailability`].
pub fn standby_failed_sets(units: &[Unit], cold: bool, crews: Option<u32>) -> Option<Vec<f64>> {
    shared_crew_failed_sets(units, &vec![0; units.len()], &[cold], crews)
}

/// A state of [`shared_crew_failed_sets`]'s chain: the failed members in the order they
/// queue for a crew, and per group the member serving it (kept for cold groups only,
/// whose serving member is the only one that ages; `None` while all are failed).
type QueueState = (Vec<usize>, Vec<Option<usize>>);

/// Most states [`shared_crew_failed_sets`] solves (dense elimination, O(states³)).
const MAX_CHAIN_STATES: usize = 4000;

/// [`standby_failed_sets`] for several groups whose failed members queue for the same
/// `crews` (first come, first served across the groups): member i belongs to group
/// `group_of[i]` (members of a group listed in priority order), and in a group with
/// `cold[group]` only its serving member can fail. When that member fails, the first
/// working member of the group serves at once; a repaired member waits as a standby
/// unless none serves (no failback). The index of the result is over all members (bit i
/// = member i failed), so a reader asks its own question of it (both of one pair down,
/// or either pair). At most 6 members in all; only the states reachable from all-up
/// are built (Σ n!/(n−k)! ordered queues: 1,957 at 6 hot members).
pub fn shared_crew_failed_sets(
    units: &[Unit],
    group_of: &[usize],
    cold: &[bool],
    crews: Option<u32>,
) -> Option<Vec<f64>> {
    let n = units.len();
    if n == 0 || n > 6 || group_of.len() != n || group_of.iter().any(|&g| g >= cold.len()) {
        return None;
    }
    let crews = crews.map_or(n, |c| (c as usize).clamp(1, n));
    let first_working = |g: usize, queue: &[usize]| (0..n).find(|&m| group_of[m] == g && !queue.contains(&m));
    let start: QueueState =
        (Vec::new(), (0..cold.len()).map(|g| if cold[g] { first_working(g, &[]) } else { None }).collect());
    let mut states: Vec<QueueState> = vec![start.clone()];
    let mut index: std::collections::BTreeMap<QueueState, usize> = [(start, 0)].into_iter().collect();
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    let mut k = 0;
    while k < states.len() {
        let (queue, serving) = states[k].clone();
        let mut next: Vec<(QueueState, f64)> = Vec::new();
        for m in (0..n).filter(|m| !queue.contains(m)) {
            let g = group_of[m];
            if cold[g] && serving[g] != Some(m) {
                continue; // a cold standby is off while it waits
            }
            let mut t = queue.clone();
            t.push(m);
            let mut s = serving.clone();
            if cold[g] {
                s[g] = first_working(g, &t);
            }
            next.push(((t, s), 1.0 / units[m].mtbf_secs));
        }
        for (pos, &m) in queue.iter().enumerate().take(crews) {
            let mut t = queue.clone();
            t.remove(pos);
            let mut s = serving.clone();
            let g = group_of[m];
            if cold[g] && s[g].is_none() {
                s[g] = Some(m);
            }
            next.push(((t, s), 1.0 / units[m].mttr_secs));
        }
        for (state, rate) in next {
            let j = match index.get(&state) {
                Some(&j) => j,
                None => {
                    if states.len() >= MAX_CHAIN_STATES {
                        return None;
                    }
                    index.insert(state.clone(), states.len());
                    states.push(state);
                    states.len() - 1
                }
            };
            edges.push((k, j, rate));
        }
        k += 1;
    }
    let mut rates = vec![vec![0.0; states.len()]; states.len()];
    for (i, j, r) in edges {
        rates[i][j] += r;
    }
    let pi = stationary(&rates)?;
    let mut joint = vec![0.0; 1 << n];
    for ((queue, _), p) in states.iter().zip(&pi) {
        joint[queue.iter().fold(0usize, |mask, &m| mask | 1 << m)] += p;
    }
    Some(joint)
}

/// The unavailability a UPS's load sees from its input: the part of each input outage
/// that outlasts the battery. For an exponential outage D with mean `mttr_secs` and a
/// battery of `battery_secs`, renewal-reward gives E[(D − T)⁺] / (MTBF + MTTR) =
/// q · e^(−T / MTTR), with q the input's unavailability. The battery is taken to be
/// recharged between outages (outages are rare: years apart, recharge takes hours).
pub fn beyond_battery(q: f64, mttr_secs: f64, battery_secs: f64) -> f64 {
    q * libm::exp(-battery_secs / mttr_secs)
}

/// An outage W = D + X: a delay D before the repair starts (the detection delay, a
/// discrete distribution of (probability, seconds) whose probabilities sum to 1; empty
/// for none) and then an exponential repair X of mean `repair_secs`. This is how the
/// simulator plays a failure (docs/MECHANISMS.md, monitoring: "the detection delay D,
/// then an exponential repair of mean MTTR").
#[derive(Clone, Copy, Debug)]
pub struct DelayedRepair<'a> {
    pub delays: &'a [(f64, f64)],
    pub repair_secs: f64,
}

impl DelayedRepair<'_> {
    /// The delay's parts, (probability, seconds); a certain 0 s when there is none.
    fn parts(&self) -> Vec<(f64, f64)> {
        if self.delays.is_empty() {
            vec![(1.0, 0.0)]
        } else {
            self.delays.to_vec()
        }
    }

    /// E[W], seconds.
    pub fn mean_secs(&self) -> f64 {
        self.parts().iter().map(|&(p, d)| p * d).sum::<f64>() + self.repair_secs
    }

    /// P(W > t).
    pub fn outlasts(&self, t: f64) -> f64 {
        let m = self.repair_secs.max(1e-9);
        self.parts().iter().map(|&(p, d)| p * if d >= t { 1.0 } else { libm::exp(-(t - d) / m) }).sum()
    }

    /// E[(W − t)⁺], seconds: for each delay d, d − t + M when d ≥ t (the repair has not
    /// begun when t is reached), else M · e^(−(t − d)/M) (memoryless repair).
    pub fn mean_excess_secs(&self, t: f64) -> f64 {
        let m = self.repair_secs.max(1e-9);
        self.parts().iter().map(|&(p, d)| p * if d >= t { d - t + m } else { m * libm::exp(-(t - d) / m) }).sum()
    }

    /// P(a ≤ W < b) and E[W · 1{a ≤ W < b}] (seconds), for 0 ≤ a < b ≤ ∞.
    pub fn within(&self, a: f64, b: f64) -> (f64, f64) {
        let m = self.repair_secs.max(1e-9);
        let (mut p_in, mut w_in) = (0.0, 0.0);
        for (p, d) in self.parts() {
            // X = W − d, exponential, within [lo, hi).
            let lo = (a - d).max(0.0);
            let hi = b - d;
            if hi <= lo {
                continue;
            }
            // P(lo ≤ X < hi) and E[X; lo ≤ X < hi] = (lo + M) e^(−lo/M) − (hi + M) e^(−hi/M).
            let (e_lo, e_hi) = (libm::exp(-lo / m), if hi.is_finite() { libm::exp(-hi / m) } else { 0.0 });
            let prob = e_lo - e_hi;
            let x_part = (lo + m) * e_lo - if hi.is_finite() { (hi + m) * e_hi } else { 0.0 };
            p_in += p * prob;
            w_in += p * (x_part + d * prob);
        }
        (p_in, w_in)
    }
}

/// The outage window of element `e` ([`DelayedRepair`]): its repair delays from
/// `Model::repair_delays` (none unless set), the rest of its MTTR exponential; `None`
/// when it does not fail.
pub fn outage_window(model: &crate::model::Model, e: crate::model::ElementId) -> Option<DelayedRepair<'_>> {
    let f = model.element(e).failure?;
    let delays = model.repair_delays.get(e.0 as usize).map_or(&[][..], Vec::as_slice);
    let mean_delay = crate::mechanisms::monitor::mean_delay_secs(delays);
    Some(DelayedRepair { delays, repair_secs: (f.mttr_secs - mean_delay).max(0.0) })
}

/// [`beyond_battery`] for an outage with a delay before its repair ([`DelayedRepair`]):
/// renewal-reward gives E[(W − T)⁺] / (MTBF + E[W]) = q · E[(W − T)⁺] / E[W], with q the
/// unavailability E[W] / (MTBF + E[W]). Without a delay it is q · e^(−T / MTTR).
pub fn beyond_battery_delayed(q: f64, outage: DelayedRepair, battery_secs: f64) -> f64 {
    q * outage.mean_excess_secs(battery_secs) / outage.mean_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: f64 = 86_400.0;
    const YEAR: f64 = 365.0 * DAY;
    const HOUR: f64 = 3600.0;

    fn close(a: f64, b: f64, rel: f64) {
        assert!((a - b).abs() <= rel * b.abs(), "{a:e} vs {b:e}");
    }

    /// One slot without spares, unprotected for MTTR (1 + R / MTBF) + R per failure
    /// (a replacement that fails during its rebuild starts the slot over).
    fn slot_closed_form(mtbf: f64, mttr: f64, rebuild: f64) -> f64 {
        (mtbf * rebuild + mtbf * mttr + rebuild * mttr) / ((mtbf + rebuild) * (mtbf + mttr))
    }

    /// Oracle: tests/oracles/DERIVATIONS.md case 27 — independent slots, each down for
    /// MTTR (1 + R / MTBF) + R per failure: u² = 2.41225245771e-5.
    #[test]
    fn raid1_without_spare_is_the_slot_closed_form() {
        let u = raid_unavailability(2, 1, 0, 5.0 * YEAR, 7.0 * DAY, 2.0 * DAY, None).unwrap();
        let slot = slot_closed_form(5.0 * YEAR, 7.0 * DAY, 2.0 * DAY);
        close(u, slot * slot, 1e-9);
        close(u, 2.41225245771427e-5, 1e-9);
    }

    /// Oracle: DERIVATIONS.md case 27 (an independent helper's chain in exact
    /// rationals, disks being rebuilt onto and idle spares failing too), which matches
    /// case 2's own "both" variant: 1.88597269386e-6 (1.84530543378e-6 with neither
    /// failing); and the audit's RAID 1 of MTBF 100 d, MTTR 30 d, one spare, at four
    /// rebuild times.
    #[test]
    fn raid1_with_a_hot_spare_matches_the_independent_chain() {
        let u = raid_unavailability(2, 1, 1, 5.0 * YEAR, 7.0 * DAY, 2.0 * DAY, None).unwrap();
        close(u, 1.88597269386e-6, 1e-10);
        for (rebuild_days, exact) in
            [(1.0, 1.362967057971e-2), (10.0, 3.185641522470e-2), (30.0, 8.909560364590e-2), (60.0, 1.822309260527e-1)]
        {
            let u = raid_unavailability(2, 1, 1, 100.0 * DAY, 30.0 * DAY, rebuild_days * DAY, None).unwrap();
            close(u, exact, 1e-11);
        }
    }

    /// Oracle: DERIVATIONS.md case 27 (independent CTMCs in exact rationals; case 10
    /// gave 2.96332 and 2.99033 without restarts and idle-spare failures): RAID 5 of 3,
    /// MTBF 1 y (8760 h), replacement 24 h, rebuild 12 h; rebuild starts (restarts
    /// included) with both other slots protected, per 8760-h year: 2.96734168957
    /// without a spare, 2.99436492423 with one.
    #[test]
    fn exposed_rebuild_starts_match_the_independent_chain() {
        let year = 8760.0 * HOUR;
        let starts = |spares| {
            SolvedRaidChain::new(3, spares, year, 24.0 * HOUR, 12.0 * HOUR, None)
                .unwrap()
                .exposed_rebuilds(|ok_others| ok_others == 2)
                * year
        };
        close(starts(0), 2.96734168956719, 1e-9);
        close(starts(1), 2.994364924232, 1e-11);
    }

    /// RAID 5 of 4 without spares: 2-of-4 slots down, slots independent, each as in
    /// [`slot_closed_form`].
    #[test]
    fn raid5_without_spare_is_binomial() {
        let u = raid_unavailability(4, 1, 0, 2.0 * YEAR, 3.0 * DAY, 1.0 * DAY, None).unwrap();
        let q: f64 = slot_closed_form(2.0 * YEAR, 3.0 * DAY, DAY);
        let p = 1.0 - q;
        let exact = 6.0 * q * q * p * p + 4.0 * q * q * q * p + q.powi(4);
        close(u, exact, 1e-9);
    }

    /// Oracle: DERIVATIONS.md case 3: ρ²/(1+ρ+ρ²) = 9.00900900901e-3 (cold, one crew);
    /// 2ρ²/(1+2ρ+2ρ²) (hot, one crew); q² (hot, two crews).
    #[test]
    fn standby_closed_forms() {
        let unit = Unit { mtbf_secs: 1000.0 * HOUR, mttr_secs: 100.0 * HOUR };
        let rho: f64 = 0.1;
        close(standby_unavailability(&[unit, unit], true, Some(1)).unwrap(), rho * rho / (1.0 + rho + rho * rho), 1e-9);
        close(standby_unavailability(&[unit, unit], true, Some(1)).unwrap(), 9.00900900901e-3, 1e-9);
        close(
            standby_unavailability(&[unit, unit], false, Some(1)).unwrap(),
            2.0 * rho * rho / (1.0 + 2.0 * rho + 2.0 * rho * rho),
            1e-9,
        );
        let q = 100.0 / 1100.0;
        close(standby_unavailability(&[unit, unit], false, None).unwrap(), q * q, 1e-9);
        // Three hot units, unlimited crews: independent, q³.
        close(standby_unavailability(&[unit, unit, unit], false, None).unwrap(), q * q * q, 1e-9);
    }

    /// Oracle: DERIVATIONS.md case 24 (tests/oracles/cold_no_failback.py, an
    /// independent helper's chain of (failed queue, serving member) in exact rationals,
    /// checked by its own hand-built generator and simulation): cold standby of unequal
    /// members, no failback. m1 MTBF 30 d, MTTR 1 d; m2 5 d, 3 d; m3 10 d, 2 d.
    #[test]
    fn cold_standby_of_unequal_members_does_not_fail_back() {
        let m1 = Unit { mtbf_secs: 30.0 * DAY, mttr_secs: DAY };
        let m2 = Unit { mtbf_secs: 5.0 * DAY, mttr_secs: 3.0 * DAY };
        let m3 = Unit { mtbf_secs: 10.0 * DAY, mttr_secs: 2.0 * DAY };
        let cases: [(&[Unit], Option<u32>, f64); 4] = [
            (&[m1, m2], None, 4.0 / 739.0),
            (&[m1, m2], Some(1), 29.0 / 2339.0),
            (&[m1, m2, m3], Some(1), 524857819.0 / 211758314624.0),
            (&[m1, m2, m3], Some(2), 159779767.0 / 365736294702.0),
        ];
        for (units, crews, exact) in cases {
            close(standby_unavailability(units, true, crews).unwrap(), exact, 1e-9);
        }
        // Failing back would give 33/7378 for the first: the better member serving more.
        assert!(standby_unavailability(&[m1, m2], true, None).unwrap() > 1.2 * 33.0 / 7378.0);
        // Identical members: no difference, and the closed form holds.
        let u = Unit { mtbf_secs: 7.0, mttr_secs: 2.0 };
        close(standby_unavailability(&[u, u, u], true, Some(1)).unwrap(), 8.0 / 477.0, 1e-9);
    }

    /// Oracle: DERIVATIONS.md case 4 (numerical integration of E[(D − T)⁺]).
    #[test]
    fn ups_battery() {
        let q = 3.0 / (8760.0 + 3.0);
        close(beyond_battery(q, 3.0 * HOUR, 900.0), 3.14975835203e-4, 1e-9);
    }

    /// The window with a detection delay, against the oracle's figures for a feed of
    /// MTBF 1 y, a fixed 1 h delay and MTTR 20 min behind a 1 h battery: every outage
    /// outlasts it (the repair starts only at 1 h), by the repair's 20 min on average;
    /// with MTTR 3 h behind 15 min, by 45 min + 3 h. Derived by a helper from the docs,
    /// not the code, and matched by `spofsim simulate` (tests in timed.rs).
    #[test]
    fn a_delay_before_the_repair_shifts_the_window_past_the_battery() {
        let delays = [(1.0, HOUR)];
        let c = DelayedRepair { delays: &delays, repair_secs: 20.0 * 60.0 };
        close(c.outlasts(HOUR), 1.0, 1e-12);
        close(c.mean_excess_secs(HOUR), 1200.0, 1e-12);
        let year = 365.0 * DAY;
        let q = c.mean_secs() / (year + c.mean_secs());
        close(beyond_battery_delayed(q, c, HOUR), 1200.0 / (year + 4800.0), 1e-12);
        let a = DelayedRepair { delays: &delays, repair_secs: 3.0 * HOUR };
        close(a.mean_excess_secs(900.0), 2700.0 + 3.0 * HOUR, 1e-12);
        // No delay: the plain closed form.
        let none = DelayedRepair { delays: &[], repair_secs: 3.0 * HOUR };
        let q = 3.0 / (8760.0 + 3.0);
        close(beyond_battery_delayed(q, none, 900.0), beyond_battery(q, 3.0 * HOUR, 900.0), 1e-12);
        // A mixed delay (an alert lost one time in four): a weighted sum, and P(W < T)
        // with W's mean over [0, T) agrees with the tail.
        let mixed = [(0.75, 60.0), (0.25, HOUR)];
        let w = DelayedRepair { delays: &mixed, repair_secs: 1800.0 };
        let expect = 0.75 * 1800.0 * libm::exp(-(900.0 - 60.0) / 1800.0) + 0.25 * (HOUR - 900.0 + 1800.0);
        close(w.mean_excess_secs(900.0), expect, 1e-12);
        let (p_below, w_below) = w.within(0.0, 900.0);
        let (p_above, w_above) = w.within(900.0, f64::INFINITY);
        close(p_below + p_above, 1.0, 1e-12);
        close(p_above, w.outlasts(900.0), 1e-12);
        close(w_below + w_above, w.mean_secs(), 1e-12);
        close(w_above - 900.0 * p_above, w.mean_excess_secs(900.0), 1e-12);
    }

    /// Two hot pairs sharing one repair crew (MTBF 10 d, MTTR 2 d each): the chain of
    /// ordered queues over the four members, solved in exact rationals by an
    /// independent script (tests/oracles/crews_shared.py), gives P(a pair both down)
    /// = 134/1569 and P(either pair both down) = 244/1569. With a crew per pair it
    /// would be 2ρ²/(1+2ρ+2ρ²) per pair (ρ = 0.2).
    #[test]
    fn two_pairs_sharing_one_crew_match_the_exact_chain() {
        let u = Unit { mtbf_secs: 10.0 * DAY, mttr_secs: 2.0 * DAY };
        let joint = shared_crew_failed_sets(&[u; 4], &[0, 0, 1, 1], &[false, false], Some(1)).unwrap();
        let pair_a: f64 = joint.iter().enumerate().filter(|&(m, _)| m & 0b0011 == 0b0011).map(|(_, p)| p).sum();
        let either: f64 = joint
            .iter()
            .enumerate()
            .filter(|&(m, _)| m & 0b0011 == 0b0011 || m & 0b1100 == 0b1100)
            .map(|(_, p)| p)
            .sum();
        assert!((pair_a / (134.0 / 1569.0) - 1.0).abs() < 1e-9, "{pair_a}");
        assert!((either / (244.0 / 1569.0) - 1.0).abs() < 1e-9, "{either}");
        // One group of four is the same chain as before.
        assert_eq!(
            standby_failed_sets(&[u; 4], false, Some(1)).unwrap(),
            shared_crew_failed_sets(&[u; 4], &[0; 4], &[false], Some(1)).unwrap()
        );
        // Cold in one group only: its standby does not fail while the other pair's both can.
        let cold = shared_crew_failed_sets(&[u; 4], &[0, 0, 1, 1], &[true, false], None).unwrap();
        let q = 2.0 / 12.0;
        let hot_pair: f64 = cold.iter().enumerate().filter(|&(m, _)| m & 0b1100 == 0b1100).map(|(_, p)| p).sum();
        assert!((hot_pair / (q * q) - 1.0).abs() < 1e-9, "{hot_pair}");
    }
}
