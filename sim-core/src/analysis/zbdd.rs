//! Zero-suppressed BDDs (Minato 1993) for families of cut sets, and Rauzy's
//! minimal-solutions algorithm (1993) turning a monotone BDD into the ZBDD of its
//! minimal cut sets. Each operation is memoised: O(|P|·|Q|) nodes in the worst case.

use rustc_hash::FxHashMap as HashMap;

use super::bdd::{Bdd, NodeId as BddNode, FALSE as BDD_FALSE, TRUE as BDD_TRUE};

pub type ZNode = u32;
/// The empty family.
pub const EMPTY: ZNode = 0;
/// The family holding only the empty set.
pub const BASE: ZNode = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Node {
    var: u32,
    lo: ZNode,
    hi: ZNode,
}

const TERMINAL_VAR: u32 = u32::MAX;

pub struct Zbdd {
    nodes: Vec<Node>,
    unique: HashMap<Node, ZNode>,
    without_cache: HashMap<(ZNode, ZNode), ZNode>,
}

impl Default for Zbdd {
    fn default() -> Self {
        Self::new()
    }
}

impl Zbdd {
    pub fn new() -> Zbdd {
        let t = Node { var: TERMINAL_VAR, lo: 0, hi: 0 };
        Zbdd { nodes: vec![t, t], unique: HashMap::default(), without_cache: HashMap::default() }
    }

    fn mk(&mut self, var: u32, lo: ZNode, hi: ZNode) -> ZNode {
        if hi == EMPTY {
            return lo;
        }
        let node = Node { var, lo, hi };
        if let Some(&id) = self.unique.get(&node) {
            return id;
        }
        let id = self.nodes.len() as ZNode;
        self.nodes.push(node);
        self.unique.insert(node, id);
        id
    }

    fn var(&self, p: ZNode) -> u32 {
        self.nodes[p as usize].var
    }

    fn contains_empty_set(&self, mut p: ZNode) -> bool {
        while p > BASE {
            p = self.nodes[p as usize].lo;
        }
        p == BASE
    }

    /// Sets of `p` that contain no set of `q` (Rauzy's "without").
    pub fn without(&mut self, p: ZNode, q: ZNode) -> ZNode {
        if q == EMPTY || p == EMPTY {
            return p;
        }
        if q == BASE {
            return EMPTY;
        }
        if p == BASE {
            return if self.contains_empty_set(q) { EMPTY } else { BASE };
        }
        if let Some(&r) = self.without_cache.get(&(p, q)) {
            return r;
        }
        let (vp, vq) = (self.var(p), self.var(q));
        let pn = self.nodes[p as usize];
        let qn = self.nodes[q as usize];
        let r = if vp < vq {
            let lo = self.without(pn.lo, q);
            let hi = self.without(pn.hi, q);
            self.mk(vp, lo, hi)
        } else if vq < vp {
            self.without(p, qn.lo)
        } else {
            let lo = self.without(pn.lo, qn.lo);
            let hi1 = self.without(pn.hi, qn.hi);
            let hi = self.without(hi1, qn.lo);
            self.mk(vp, lo, hi)
        };
        self.without_cache.insert((p, q), r);
        r
    }

    /// Minimal solutions of a monotone BDD: its minimal cut sets.
    pub fn minimal_solutions(&mut self, bdd: &Bdd, f: BddNode) -> ZNode {
        let mut memo = HashMap::default();
        self.minsol(bdd, f, &mut memo)
    }

    /// The minimal solutions with at most `max_order` elements, pruned while they are
    /// built (as SCRAM's cut-off does): a set with `x` needs a solution of the high
    /// branch one smaller. Exact for every order up to `max_order`, and far cheaper
    /// than the whole family when that is huge. O(|BDD| × max_order) recursive calls.
    pub fn minimal_solutions_up_to(&mut self, bdd: &Bdd, f: BddNode, max_order: usize) -> ZNode {
        let mut memo = HashMap::default();
        self.minsol_up_to(bdd, f, max_order, &mut memo)
    }

    fn minsol_up_to(&mut self, bdd: &Bdd, f: BddNode, k: usize, memo: &mut HashMap<(BddNode, usize), ZNode>) -> ZNode {
        match f {
            BDD_FALSE => return EMPTY,
            BDD_TRUE => return BASE,
            _ => {}
        }
        if k == 0 {
            // Only the empty set is small enough: a solution when all variables are off.
            let mut g = f;
            while g != BDD_TRUE && g != BDD_FALSE {
                g = bdd.children(g).0;
            }
            return if g == BDD_TRUE { BASE } else { EMPTY };
        }
        if let Some(&r) = memo.get(&(f, k)) {
            return r;
        }
        let var = bdd.var_of(f).unwrap_or(0);
        let (lo, hi) = bdd.children(f);
        let low = self.minsol_up_to(bdd, lo, k, memo);
        let high = self.minsol_up_to(bdd, hi, k - 1, memo);
        let l = self.without(high, low);
        let r = self.mk(var, low, l);
        memo.insert((f, k), r);
        r
    }

    fn minsol(&mut self, bdd: &Bdd, f: BddNode, memo: &mut HashMap<BddNode, ZNode>) -> ZNode {
        match f {
            BDD_FALSE => return EMPTY,
            BDD_TRUE => return BASE,
            _ => {}
        }
        if let Some(&r) = memo.get(&f) {
            return r;
        }
        let var = bdd.var_of(f).unwrap_or(0);
        let (lo, hi) = bdd.children(f);
        let k = self.minsol(bdd, lo, memo);
        let h = self.minsol(bdd, hi, memo);
        let l = self.without(h, k);
        let r = self.mk(var, k, l);
        memo.insert(f, r);
        r
    }

    /// Variables that occur in some set of the family.
    pub fn variables(&self, p: ZNode) -> rustc_hash::FxHashSet<u32> {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut vars = rustc_hash::FxHashSet::default();
        let mut stack = vec![p];
        while let Some(n) = stack.pop() {
            if n > BASE && seen.insert(n) {
                let node = self.nodes[n as usize];
                vars.insert(node.var);
                stack.push(node.lo);
                stack.push(node.hi);
            }
        }
        vars
    }

    /// Number of sets of each size (index = size), up to `max_order` (sizes above
    /// are not counted). Saturates at u128::MAX.
    pub fn count_by_order(&self, p: ZNode, max_order: usize) -> Vec<u128> {
        let mut memo: HashMap<ZNode, Vec<u128>> = HashMap::default();
        let mut counts = self.count_rec(p, max_order, &mut memo);
        while counts.len() > 1 && counts.last() == Some(&0) {
            counts.pop();
        }
        counts
    }

    fn count_rec(&self, p: ZNode, max_order: usize, memo: &mut HashMap<ZNode, Vec<u128>>) -> Vec<u128> {
        if p == EMPTY {
            return vec![0; max_order + 1];
        }
        if p == BASE {
            let mut v = vec![0; max_order + 1];
            v[0] = 1;
            return v;
        }
        if let Some(v) = memo.get(&p) {
            return v.clone();
        }
        let n = self.nodes[p as usize];
        let lo = self.count_rec(n.lo, max_order, memo);
        let hi = self.count_rec(n.hi, max_order, memo);
        let mut v = lo;
        for i in 0..max_order {
            v[i + 1] = v[i + 1].saturating_add(hi[i]);
        }
        memo.insert(p, v.clone());
        v
    }

    /// Every set of size ≤ `max_order`, as sorted variable lists, stopping after
    /// `limit` sets. Order: depth-first, lower variables first.
    pub fn sets(&self, p: ZNode, max_order: usize, limit: usize) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        let mut current = Vec::new();
        self.sets_rec(p, max_order, limit, &mut current, &mut out);
        out
    }

    fn sets_rec(&self, p: ZNode, max_order: usize, limit: usize, current: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
        if out.len() >= limit || p == EMPTY {
            return;
        }
        if p == BASE {
            out.push(current.clone());
            return;
        }
        let n = self.nodes[p as usize];
        if current.len() < max_order {
            current.push(n.var);
            self.sets_rec(n.hi, max_order, limit, current, out);
            current.pop();
        }
        self.sets_rec(n.lo, max_order, limit, current, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_cut_sets_of_a_small_tree() {
        // top = a·b + a·b·c + c  →  MCS {a,b}, {c}
        let mut b = Bdd::new();
        let (a, bb, c) = (b.var(0), b.var(1), b.var(2));
        let ab = b.and(a, bb);
        let abc = b.and(ab, c);
        let t1 = b.or(ab, abc);
        let top = b.or(t1, c);
        let mut z = Zbdd::new();
        let m = z.minimal_solutions(&b, top);
        assert_eq!(z.sets(m, 10, 100), vec![vec![0, 1], vec![2]]);
        assert_eq!(z.count_by_order(m, 10), vec![0, 1, 1]);
        assert_eq!(z.sets(m, 1, 100), vec![vec![2]], "order truncation");
    }

    #[test]
    fn two_of_three() {
        let mut b = Bdd::new();
        let vs: Vec<_> = (0..3).map(|i| b.var(i)).collect();
        let top = b.at_least(2, &vs);
        let mut z = Zbdd::new();
        let m = z.minimal_solutions(&b, top);
        assert_eq!(z.sets(m, 3, 10), vec![vec![0, 1], vec![0, 2], vec![1, 2]]);
    }

    /// The pruned family equals the full family cut at the same order, on random
    /// monotone functions.
    #[test]
    fn pruned_solutions_match_the_full_family_up_to_each_order() {
        let mut next = crate::analysis::bdd::testing::xorshift(7);
        for _ in 0..40 {
            let mut bdd = Bdd::new();
            let f = crate::analysis::bdd::testing::random_function(&mut bdd, &mut next, 7, false);
            let mut z = Zbdd::new();
            let full = z.minimal_solutions(&bdd, f);
            for k in 0..=7 {
                let pruned = z.minimal_solutions_up_to(&bdd, f, k);
                assert_eq!(z.sets(pruned, 7, usize::MAX), z.sets(full, k, usize::MAX), "order {k}");
            }
        }
    }
}
