//! Reduced ordered binary decision diagrams (Bryant 1986), hash-consed, with an
//! if-then-else operator and a computed table. Variables are levels: smaller is
//! nearer the root. Complexity: each ITE is O(|f|·|g|·|h|) in the worst case and
//! memoised; probability and restriction are O(|f|).

use rustc_hash::FxHashMap as HashMap;

/// A BDD node handle. 0 is false, 1 is true.
pub type NodeId = u32;
pub const FALSE: NodeId = 0;
pub const TRUE: NodeId = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Node {
    var: u32,
    lo: NodeId,
    hi: NodeId,
}

/// A BDD manager owning every node.
pub struct Bdd {
    nodes: Vec<Node>,
    unique: HashMap<Node, NodeId>,
    ite_cache: HashMap<(NodeId, NodeId, NodeId), NodeId>,
    /// Node budget; past it `mk` stops allocating and the results are garbage, so
    /// callers check [`Bdd::exceeded`] and give up.
    limit: usize,
    exceeded: bool,
    /// The work budget charged per node request: once spent, the manager stops as at
    /// its node limit.
    budget: super::budget::Budget,
    /// Node requests not yet charged to the budget.
    since_check: u32,
    /// Stopped by the budget rather than the node limit.
    spent: Option<super::budget::Spent>,
}

impl Default for Bdd {
    fn default() -> Self {
        Self::new()
    }
}

const TERMINAL_VAR: u32 = u32::MAX;

/// Entries kept in the ite cache before it is cleared (about 300 MB).
const ITE_CACHE_MAX: usize = 1 << 23;

impl Bdd {
    pub fn new() -> Bdd {
        Bdd::with_limit(usize::MAX)
    }

    /// A manager that stops growing at `limit` nodes (see [`Bdd::exceeded`]).
    pub fn with_limit(limit: usize) -> Bdd {
        let t = Node { var: TERMINAL_VAR, lo: 0, hi: 0 };
        Bdd {
            nodes: vec![t, Node { hi: 1, lo: 1, ..t }],
            unique: HashMap::default(),
            ite_cache: HashMap::default(),
            limit,
            exceeded: false,
            budget: super::budget::Budget::UNLIMITED,
            since_check: 0,
            spent: None,
        }
    }

    /// Stops the manager (as [`Bdd::exceeded`]) once `budget` is spent; charged in
    /// steps of 64k node requests (one unit each), so a budget costs nothing measurable
    /// and runs out at the same request on every machine.
    pub fn charge_to(&mut self, budget: super::budget::Budget) {
        self.budget = budget;
        // A budget spent already (by an earlier step) stops the manager at once.
        if let Some(why) = budget.spent() {
            self.exceeded = true;
            self.spent = Some(why);
        }
    }

    /// Charges `units` of work done beside node requests (frontier search's states, one
    /// unit each) to the budget; once it is spent the manager stops as at its node
    /// limit ([`Bdd::exceeded`]).
    pub fn charge_work(&mut self, units: u64) {
        if let Some(why) = self.budget.charge(units) {
            self.exceeded = true;
            self.spent = Some(why);
        }
    }

    /// Whether the budget (rather than the node limit) stopped the manager, and which
    /// of its limits.
    pub fn spent(&self) -> Option<super::budget::Spent> {
        self.spent
    }

    /// Whether an operation needed more nodes than the limit (its result is wrong).
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 2
    }

    pub fn var_of(&self, f: NodeId) -> Option<u32> {
        let v = self.nodes[f as usize].var;
        (v != TERMINAL_VAR).then_some(v)
    }

    /// The levels `f` depends on. In a reduced BDD of a monotone function each of them
    /// occurs in some minimal cut set. O(|f|).
    pub fn support(&self, f: NodeId) -> rustc_hash::FxHashSet<u32> {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut vars = rustc_hash::FxHashSet::default();
        let mut stack = vec![f];
        while let Some(g) = stack.pop() {
            if let Some(v) = self.var_of(g) {
                if seen.insert(g) {
                    vars.insert(v);
                    let (lo, hi) = self.children(g);
                    stack.extend([lo, hi]);
                }
            }
        }
        vars
    }

    /// (low, high) children of an inner node.
    pub fn children(&self, f: NodeId) -> (NodeId, NodeId) {
        let n = self.nodes[f as usize];
        (n.lo, n.hi)
    }

    pub(crate) fn mk(&mut self, var: u32, lo: NodeId, hi: NodeId) -> NodeId {
        if lo == hi {
            return lo;
        }
        self.since_check += 1;
        if self.since_check >= 1 << 16 {
            self.since_check = 0;
            if let Some(why) = self.budget.charge(1 << 16) {
                self.exceeded = true;
                self.spent = Some(why);
            }
        }
        if self.exceeded {
            return FALSE;
        }
        let node = Node { var, lo, hi };
        if let Some(&id) = self.unique.get(&node) {
            return id;
        }
        if self.nodes.len() >= self.limit {
            self.exceeded = true;
            return FALSE;
        }
        let id = self.nodes.len() as NodeId;
        self.nodes.push(node);
        self.unique.insert(node, id);
        id
    }

    /// Garbage collection: keeps only the nodes reachable from `roots`, renumbers them
    /// (rewriting `roots` in place) and clears the computed table; every other handle
    /// becomes invalid. Children always precede parents, so one pass in id order
    /// renumbers. O(nodes).
    pub fn collect(&mut self, roots: &mut [NodeId]) {
        let mut live = vec![false; self.nodes.len()];
        live[FALSE as usize] = true;
        live[TRUE as usize] = true;
        let mut stack: Vec<NodeId> = roots.to_vec();
        while let Some(f) = stack.pop() {
            if !std::mem::replace(&mut live[f as usize], true) {
                let n = self.nodes[f as usize];
                stack.extend([n.lo, n.hi]);
            }
        }
        let mut new_id = vec![FALSE; self.nodes.len()];
        let mut kept: Vec<Node> = Vec::with_capacity(live.iter().filter(|&&l| l).count());
        for (old, node) in self.nodes.iter().enumerate() {
            if live[old] {
                new_id[old] = kept.len() as NodeId;
                let mut n = *node;
                if n.var != TERMINAL_VAR {
                    n.lo = new_id[n.lo as usize];
                    n.hi = new_id[n.hi as usize];
                }
                kept.push(n);
            }
        }
        self.unique.clear();
        for (id, n) in kept.iter().enumerate().skip(2) {
            self.unique.insert(*n, id as NodeId);
        }
        self.nodes = kept;
        self.ite_cache.clear();
        for r in roots.iter_mut() {
            *r = new_id[*r as usize];
        }
    }

    /// The function "variable `level` is true".
    pub fn var(&mut self, level: u32) -> NodeId {
        self.mk(level, FALSE, TRUE)
    }

    fn top_var(&self, f: NodeId) -> u32 {
        self.nodes[f as usize].var
    }

    fn cofactors(&self, f: NodeId, var: u32) -> (NodeId, NodeId) {
        let n = self.nodes[f as usize];
        if n.var == var {
            (n.lo, n.hi)
        } else {
            (f, f)
        }
    }

    /// if f then g else h.
    pub fn ite(&mut self, f: NodeId, g: NodeId, h: NodeId) -> NodeId {
        // Stopped (budget or deadline): unwind at once; the result is discarded.
        if self.exceeded {
            return FALSE;
        }
        if f == TRUE {
            return g;
        }
        if f == FALSE {
            return h;
        }
        if g == h {
            return g;
        }
        if g == TRUE && h == FALSE {
            return f;
        }
        if let Some(&r) = self.ite_cache.get(&(f, g, h)) {
            return r;
        }
        let v = self.top_var(f).min(self.top_var(g)).min(self.top_var(h));
        let (f0, f1) = self.cofactors(f, v);
        let (g0, g1) = self.cofactors(g, v);
        let (h0, h1) = self.cofactors(h, v);
        let lo = self.ite(f0, g0, h0);
        let hi = self.ite(f1, g1, h1);
        let r = self.mk(v, lo, hi);
        if self.ite_cache.len() >= ITE_CACHE_MAX {
            // A cache, not a table: dropping it only costs recomputation, and keeps
            // memory bounded on designs whose BDD explodes.
            self.ite_cache.clear();
        }
        self.ite_cache.insert((f, g, h), r);
        r
    }

    pub fn not(&mut self, f: NodeId) -> NodeId {
        self.ite(f, FALSE, TRUE)
    }

    pub fn and(&mut self, f: NodeId, g: NodeId) -> NodeId {
        self.ite(f, g, FALSE)
    }

    pub fn or(&mut self, f: NodeId, g: NodeId) -> NodeId {
        self.ite(f, TRUE, g)
    }

    pub fn xor(&mut self, f: NodeId, g: NodeId) -> NodeId {
        let ng = self.not(g);
        self.ite(f, ng, g)
    }

    /// At least `k` of `fs` are true. O(n·k) ITE calls.
    pub fn at_least(&mut self, k: usize, fs: &[NodeId]) -> NodeId {
        // row[j] = "at least j of fs[i..] are true", built from the end.
        let n = fs.len();
        if k == 0 {
            return TRUE;
        }
        if k > n {
            return FALSE;
        }
        let mut row = vec![FALSE; k + 1];
        row[0] = TRUE;
        for &f in fs.iter().rev() {
            for j in (1..=k).rev() {
                row[j] = self.ite(f, row[j - 1], row[j]);
            }
        }
        row[k]
    }

    /// The function with variable `var` fixed to `value`.
    pub fn restrict(&mut self, f: NodeId, var: u32, value: bool) -> NodeId {
        let mut memo = HashMap::default();
        self.restrict_rec(f, var, value, &mut memo)
    }

    fn restrict_rec(&mut self, f: NodeId, var: u32, value: bool, memo: &mut HashMap<NodeId, NodeId>) -> NodeId {
        let n = self.nodes[f as usize];
        if n.var == TERMINAL_VAR || n.var > var {
            return f;
        }
        if n.var == var {
            return if value { n.hi } else { n.lo };
        }
        if let Some(&r) = memo.get(&f) {
            return r;
        }
        let lo = self.restrict_rec(n.lo, var, value, memo);
        let hi = self.restrict_rec(n.hi, var, value, memo);
        let r = self.mk(n.var, lo, hi);
        memo.insert(f, r);
        r
    }

    /// P(f) when variable `level` is true with probability `p[level]`, independently.
    pub fn probability(&self, f: NodeId, p: &[f64]) -> f64 {
        let mut memo: HashMap<NodeId, f64> = HashMap::default();
        self.prob_rec(f, p, &mut memo)
    }

    fn prob_rec(&self, f: NodeId, p: &[f64], memo: &mut HashMap<NodeId, f64>) -> f64 {
        match f {
            FALSE => 0.0,
            TRUE => 1.0,
            _ => {
                if let Some(&r) = memo.get(&f) {
                    return r;
                }
                let n = self.nodes[f as usize];
                let pv = p.get(n.var as usize).copied().unwrap_or(0.0);
                let r = pv * self.prob_rec(n.hi, p, memo) + (1.0 - pv) * self.prob_rec(n.lo, p, memo);
                memo.insert(f, r);
                r
            }
        }
    }

    /// P(f) when the variables of each block are jointly distributed (`joint[mask]`,
    /// bit i = `levels[i]` true) and all others independent with `p`. Each block's
    /// levels must be adjacent. A node testing a block variable sums, over the block's
    /// states, the probability of where that state leads out of the block: O(|f| · 2^k · k)
    /// for blocks of k variables.
    pub fn probability_with_blocks(&self, f: NodeId, p: &[f64], blocks: &[Block]) -> f64 {
        let mut block_of: HashMap<u32, (usize, usize)> = HashMap::default();
        for (b, block) in blocks.iter().enumerate() {
            for (i, &l) in block.levels.iter().enumerate() {
                block_of.insert(l, (b, i));
            }
        }
        let mut memo: HashMap<NodeId, f64> = HashMap::default();
        self.block_prob(f, p, blocks, &block_of, &mut memo)
    }

    fn block_prob(
        &self,
        f: NodeId,
        p: &[f64],
        blocks: &[Block],
        block_of: &HashMap<u32, (usize, usize)>,
        memo: &mut HashMap<NodeId, f64>,
    ) -> f64 {
        match f {
            FALSE => return 0.0,
            TRUE => return 1.0,
            _ => {}
        }
        if let Some(&r) = memo.get(&f) {
            return r;
        }
        let n = self.nodes[f as usize];
        let r = match block_of.get(&n.var) {
            None => {
                let pv = p.get(n.var as usize).copied().unwrap_or(0.0);
                pv * self.block_prob(n.hi, p, blocks, block_of, memo)
                    + (1.0 - pv) * self.block_prob(n.lo, p, blocks, block_of, memo)
            }
            Some(&(b, _)) if blocks[b].by_count.is_some() => {
                let mut sym = HashMap::default();
                self.symmetric_block_prob(f, 0, 0, p, blocks, b, block_of, memo, &mut sym)
            }
            Some(&(b, _)) => {
                let block = &blocks[b];
                let mut total = 0.0;
                for (mask, &pm) in block.joint.iter().enumerate() {
                    if pm == 0.0 {
                        continue;
                    }
                    let mut cur = f;
                    while cur != FALSE && cur != TRUE {
                        let node = self.nodes[cur as usize];
                        match block_of.get(&node.var) {
                            Some(&(bb, i)) if bb == b => cur = if mask >> i & 1 == 1 { node.hi } else { node.lo },
                            _ => break,
                        }
                    }
                    total += pm * self.block_prob(cur, p, blocks, block_of, memo);
                }
                total
            }
        };
        memo.insert(f, r);
        r
    }

    /// [`Bdd::block_prob`] inside a block whose joint depends only on how many of its
    /// variables are true (`by_count`, exchangeable variables such as a RAID group's
    /// identical slots): the sum, over the block's combinations from position `pos` on
    /// (`ones` true before it), of their probability times that of where they lead out
    /// of the block. Positions skipped by `f` are free and counted by binomials, so the
    /// work is O(block nodes × k²) rather than O(2^k · k) per node entering the block.
    #[allow(clippy::too_many_arguments)]
    fn symmetric_block_prob(
        &self,
        f: NodeId,
        pos: usize,
        ones: usize,
        p: &[f64],
        blocks: &[Block],
        b: usize,
        block_of: &HashMap<u32, (usize, usize)>,
        memo: &mut HashMap<NodeId, f64>,
        sym: &mut HashMap<(NodeId, usize, usize), f64>,
    ) -> f64 {
        if let Some(&r) = sym.get(&(f, pos, ones)) {
            return r;
        }
        let block = &blocks[b];
        let by_count = block.by_count.as_deref().expect("a symmetric block");
        let k = block.levels.len();
        // Σ over the free positions from..k of C(free, r) · by_count[ones + r].
        let free_mass = |from: usize, ones: usize| -> f64 {
            let free = k - from;
            (0..=free).map(|r| binomial(free, r) * by_count[ones + r]).sum()
        };
        let inside = match f {
            FALSE | TRUE => None,
            _ => block_of.get(&self.nodes[f as usize].var).filter(|&&(bb, _)| bb == b).map(|&(_, i)| i),
        };
        let r = match inside {
            None => free_mass(pos, ones) * self.block_prob(f, p, blocks, block_of, memo),
            Some(j) => {
                let node = self.nodes[f as usize];
                let skipped = j - pos;
                (0..=skipped)
                    .map(|s| {
                        let c = binomial(skipped, s);
                        c * (self.symmetric_block_prob(node.hi, j + 1, ones + s + 1, p, blocks, b, block_of, memo, sym)
                            + self.symmetric_block_prob(node.lo, j + 1, ones + s, p, blocks, b, block_of, memo, sym))
                    })
                    .sum()
            }
        };
        sym.insert((f, pos, ones), r);
        r
    }

    /// Birnbaum importance ∂P(f)/∂p_v of every level at once (indexed by level): the sum,
    /// over the nodes testing v, of the probability of reaching the node times
    /// P(high) − P(low). One pass each way over `f`: O(|f| log |f|) instead of a
    /// BDD operation per level.
    pub fn birnbaum_all(&self, f: NodeId, p: &[f64]) -> Vec<f64> {
        let mut nodes: Vec<NodeId> = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack = vec![f];
        while let Some(g) = stack.pop() {
            if g > TRUE && seen.insert(g) {
                nodes.push(g);
                let n = self.nodes[g as usize];
                stack.extend([n.lo, n.hi]);
            }
        }
        // Children test later levels than their parents.
        nodes.sort_by_key(|&g| (self.nodes[g as usize].var, g));
        let mut prob: HashMap<NodeId, f64> = HashMap::default();
        prob.insert(FALSE, 0.0);
        prob.insert(TRUE, 1.0);
        for &g in nodes.iter().rev() {
            let n = self.nodes[g as usize];
            let pv = p.get(n.var as usize).copied().unwrap_or(0.0);
            prob.insert(g, pv * prob[&n.hi] + (1.0 - pv) * prob[&n.lo]);
        }
        let mut reach: HashMap<NodeId, f64> = HashMap::default();
        reach.insert(f, 1.0);
        let mut out = vec![0.0; p.len()];
        for &g in &nodes {
            let n = self.nodes[g as usize];
            let r = reach.get(&g).copied().unwrap_or(0.0);
            let pv = p.get(n.var as usize).copied().unwrap_or(0.0);
            if let Some(b) = out.get_mut(n.var as usize) {
                *b += r * (prob[&n.hi] - prob[&n.lo]);
            }
            *reach.entry(n.hi).or_default() += r * pv;
            *reach.entry(n.lo).or_default() += r * (1.0 - pv);
        }
        out
    }

    /// Number of inner nodes reachable from `f`.
    pub fn size(&self, f: NodeId) -> usize {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack = vec![f];
        while let Some(n) = stack.pop() {
            if n > TRUE && seen.insert(n) {
                let (lo, hi) = self.children(n);
                stack.push(lo);
                stack.push(hi);
            }
        }
        seen.len()
    }
}

/// Random functions for property tests (here and in `zbdd`).
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A small deterministic generator for property tests.
    pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }
    }

    /// A random OR of ANDs over `vars` levels; with `negations`, some literals are negated
    /// (a non-monotone function).
    pub(crate) fn random_function(bdd: &mut Bdd, next: &mut impl FnMut() -> u64, vars: u32, negations: bool) -> NodeId {
        let mut f = FALSE;
        for _ in 0..(next() % 6 + 1) {
            let mut term = TRUE;
            for v in 0..vars {
                let literal = match next() % 4 {
                    0 => Some(bdd.var(v)),
                    1 if negations && next().is_multiple_of(3) => {
                        let x = bdd.var(v);
                        Some(bdd.not(x))
                    }
                    _ => None,
                };
                if let Some(l) = literal {
                    term = bdd.and(term, l);
                }
            }
            f = bdd.or(f, term);
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_identities_and_probability() {
        let mut b = Bdd::new();
        let (x, y, z) = (b.var(0), b.var(1), b.var(2));
        let xy = b.and(x, y);
        let yx = b.and(y, x);
        assert_eq!(xy, yx, "canonical");
        let nx = b.not(x);
        let taut = b.or(x, nx);
        assert_eq!(taut, TRUE);
        let two = b.at_least(2, &[x, y, z]);
        let p = [0.1, 0.2, 0.3];
        // P(at least 2 of 3) = xy + xz + yz - 2xyz
        let expect = 0.1 * 0.2 + 0.1 * 0.3 + 0.2 * 0.3 - 2.0 * 0.1 * 0.2 * 0.3;
        assert!((b.probability(two, &p) - expect).abs() < 1e-15);
        let r = b.restrict(two, 0, true);
        let y_or_z = b.or(y, z);
        assert_eq!(r, y_or_z);
        let xo = b.xor(x, y);
        assert!((b.probability(xo, &p) - (0.1 * 0.8 + 0.9 * 0.2)).abs() < 1e-15);
    }

    /// A block whose joint depends only on the count of true variables gives, through
    /// the counting walk, what enumerating its combinations gives (the general walk),
    /// on functions that enter the block above, inside and below its first level and
    /// mix it with free variables; and brute force over all 2^7 assignments agrees.
    #[test]
    fn exchangeable_blocks_count_instead_of_enumerating() {
        let mut b = Bdd::new();
        let x: Vec<NodeId> = (0..7).map(|l| b.var(l)).collect();
        // Levels 1..=5 form the block; 0 and 6 are free.
        let by_count = [0.5, 0.06, 0.02, 0.004, 0.001, 0.0005];
        let binom = |n: usize, k: usize| (0..k).fold(1.0, |a, i| a * (n - i) as f64 / (i + 1) as f64);
        let mass: f64 = (0..=5).map(|c| binom(5, c) * by_count[c]).sum();
        let by_count: Vec<f64> = by_count.iter().map(|w| w / mass).collect();
        let joint: Vec<f64> = (0..32usize).map(|m| by_count[m.count_ones() as usize]).collect();
        let levels = vec![1, 2, 3, 4, 5];
        let general = [Block { levels: levels.clone(), joint: joint.clone(), by_count: None }];
        let counted = [Block { levels, joint: joint.clone(), by_count: Some(by_count.clone()) }];
        let two_of_block = b.at_least(2, &x[1..6]);
        let a = b.and(x[0], x[3]);
        let c = b.and(x[4], x[6]);
        let ac = b.or(a, c);
        let mixed = b.or(ac, two_of_block);
        let nx2 = b.not(x[2]);
        let skip = b.and(nx2, x[5]);
        let f = b.xor(mixed, skip);
        let p = [0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.7];
        for g in [two_of_block, ac, mixed, f, x[3]] {
            let (want, got) = (b.probability_with_blocks(g, &p, &general), b.probability_with_blocks(g, &p, &counted));
            assert!((want - got).abs() < 1e-14, "{want} vs {got}");
            // Brute force: every assignment of the 7 variables.
            let brute: f64 = (0..128usize)
                .map(|m| {
                    let bit = |l: usize| m >> l & 1 == 1;
                    let pf = |l: usize| if bit(l) { p[l] } else { 1.0 - p[l] };
                    let weight = pf(0) * pf(6) * joint[(m >> 1) & 31];
                    let mut node = g;
                    while node > TRUE {
                        let n = b.nodes[node as usize];
                        node = if bit(n.var as usize) { n.hi } else { n.lo };
                    }
                    if node == TRUE {
                        weight
                    } else {
                        0.0
                    }
                })
                .sum();
            assert!((brute - got).abs() < 1e-14, "{brute} vs {got}");
        }
    }

    /// Collection keeps the roots' functions (by closed-form probability and by
    /// rebuilding them after), drops the garbage, and leaves the manager usable.
    #[test]
    fn collection_keeps_the_roots_and_drops_the_rest() {
        let mut b = Bdd::new();
        let x: Vec<NodeId> = (0..8).map(|l| b.var(l)).collect();
        let p = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
        // Garbage: a function nobody keeps.
        let _ = b.at_least(4, &x);
        let two = b.at_least(2, &x[..3]);
        let pair = b.and(x[6], x[7]);
        let before = b.len();
        let mut roots = [two, pair];
        b.collect(&mut roots);
        assert!(b.len() < before, "{} nodes before, {} after", before, b.len());
        let expect_two = 0.1 * 0.2 + 0.1 * 0.3 + 0.2 * 0.3 - 2.0 * 0.1 * 0.2 * 0.3;
        assert!((b.probability(roots[0], &p) - expect_two).abs() < 1e-15);
        assert!((b.probability(roots[1], &p) - 0.7 * 0.8).abs() < 1e-15);
        // Hash-consing still holds: building them again gives the same handles.
        let x: Vec<NodeId> = (0..8).map(|l| b.var(l)).collect();
        assert_eq!(b.at_least(2, &x[..3]), roots[0]);
        assert_eq!(b.and(x[6], x[7]), roots[1]);
    }

    /// The one-pass derivative equals P(f | v = 1) − P(f | v = 0) for every level, on
    /// random functions (monotone and not) with random probabilities.
    #[test]
    fn birnbaum_all_matches_restriction_per_level() {
        let mut next = testing::xorshift(99);
        for _ in 0..50 {
            let mut bdd = Bdd::new();
            let f = testing::random_function(&mut bdd, &mut next, 8, true);
            let p: Vec<f64> = (0..8).map(|_| (next() % 1000) as f64 / 1000.0).collect();
            let fast = bdd.birnbaum_all(f, &p);
            for v in 0..8 {
                let f1 = bdd.restrict(f, v, true);
                let f0 = bdd.restrict(f, v, false);
                let exact = bdd.probability(f1, &p) - bdd.probability(f0, &p);
                assert!((fast[v as usize] - exact).abs() < 1e-12, "level {v}: {} vs {exact}", fast[v as usize]);
            }
        }
    }
}

/// Variables with a joint distribution, for [`Bdd::probability_with_blocks`].
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// BDD levels, adjacent.
    pub levels: Vec<u32>,
    /// Probability of each combination: bit i set = `levels[i]` true. Sums to 1.
    pub joint: Vec<f64>,
    /// When `joint` depends only on how many variables are true: the probability of
    /// one combination with c true, index c (`levels` then ascending).
    pub by_count: Option<Vec<f64>>,
}

/// n choose k, as a float.
pub(super) fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}
