"""The peer for `bench/simulate.sh`: the same model in SimPy 4.1.2, the way a careful
hand-written model would do it.

Reads `spofsim export FILE --to model-json`, runs one SimPy process per failing element
(exponential failures and repairs, as `spofsim simulate --ideal`), and propagates every
change incrementally: a worklist re-evaluates only the dependents of what changed;
network paths (breadth-first search over working links, crossing only forwarding
devices, as spofsim's evaluator) are re-evaluated when a networked element changes.
Prints one JSON line: events, wall seconds, events per second, availability per service.

usage: python3 simpy_model.py MODEL.json YEARS SEED
"""

import json
import random
import sys
import time
from collections import deque

import simpy

YEAR = 8760 * 3600.0


class Model:
    def __init__(self, m):
        self.m = m
        self.els = m["elements"]
        self.grs = m["groups"]
        n = len(self.els)
        self.adj = [[] for _ in range(n)]
        for a, b, link in m["links"]:
            self.adj[a].append((b, link))
            self.adj[b].append((a, link))
        self.attached = [[] for _ in range(n)]
        for a, b in m["attachments"]:
            self.attached[a].append(b)
            self.attached[b].append(a)
        self.networked = [bool(self.adj[i] or self.attached[i]) for i in range(n)]
        for _, _, link in m["links"]:
            self.networked[link] = True
        self.forwarding = [e["forwarding"] for e in self.els]
        self.closures = [self.closure(i) for i in range(n)]
        # Nodes: ("e", i), ("g", j), ("p", k), ("s", s); paths deduplicated.
        self.paths = []
        self.path_index = {}
        self.deps = {}
        for i, e in enumerate(self.els):
            self.deps[("e", i)] = self.refs(e["needs"])
        for j, g in enumerate(self.grs):
            refs = self.refs(g["needs"]) + [("e", x) for x in g["members"]]
            if g["quorum"] is not None:
                refs.append(("e", g["quorum"]))
            self.deps[("g", j)] = refs
        self.services = []
        for s, svc in enumerate(m["services"]):
            hops = [self.path((tuple(a), tuple(b))) for a, b in svc["hops"]]
            tiers = [("e", t["e"]) if "e" in t else ("g", t["g"]) for t in svc["tiers"]]
            self.services.append((("e", svc["from"]), tiers, hops))
            self.deps[("s", s)] = [("e", svc["from"])] + tiers + hops
        self.dependents = {}
        for node, refs in self.deps.items():
            for r in refs:
                self.dependents.setdefault(r, []).append(node)
        self.path_nodes = [("p", k) for k in range(len(self.paths))]

    def closure(self, e):
        seen = [e]
        i = 0
        while i < len(seen):
            for w in self.attached[seen[i]]:
                if w not in seen:
                    seen.append(w)
            i += 1
        return seen

    def path(self, key):
        if key not in self.path_index:
            self.path_index[key] = len(self.paths)
            self.paths.append(key)
        return ("p", self.path_index[key])

    def refs(self, r):
        if r is True:
            return []
        if "e" in r:
            return [("e", r["e"])]
        if "g" in r:
            return [("g", r["g"])]
        if "all" in r:
            return [x for c in r["all"] for x in self.refs(c)]
        if "atleast" in r:
            return [x for c in r["atleast"][1] for x in self.refs(c)]
        return [self.path(((r["path"][0],), (r["path"][1],)))]


class Sim:
    def __init__(self, model, seed):
        self.mo = model
        self.rng = random.Random(seed)
        n = len(model.els)
        self.up = [True] * n
        self.value = {node: True for node in model.deps}
        for p in model.path_nodes:
            self.value[p] = True
        self.events = 0
        self.down_since = [None] * len(model.services)
        self.down_secs = [0.0] * len(model.services)

    def holds(self, r):
        if r is True:
            return True
        if "e" in r:
            return self.value[("e", r["e"])]
        if "g" in r:
            return self.value[("g", r["g"])]
        if "all" in r:
            return all(self.holds(c) for c in r["all"])
        if "atleast" in r:
            k, cs = r["atleast"]
            return sum(1 for c in cs if self.holds(c)) >= k
        return self.value[self.mo.path(((r["path"][0],), (r["path"][1],)))]

    def works(self, e):
        return self.value[("e", e)]

    def reach(self, sources, targets):
        mo = self.mo
        target_side = set()
        for b in targets:
            if self.works(b):
                target_side.update(mo.closures[b])
        source_side = set()
        reached = set()
        queue = deque()
        for a in sources:
            if self.works(a):
                for v in mo.closures[a]:
                    source_side.add(v)
                    if self.works(v) and v not in reached:
                        reached.add(v)
                        queue.append(v)
        if reached & target_side:
            return True
        while queue:
            u = queue.popleft()
            if not (mo.forwarding[u] or u in source_side):
                continue
            for w, link in mo.adj[u]:
                if w not in reached and self.works(w) and self.works(link) and (mo.forwarding[w] or w in target_side):
                    if w in target_side:
                        return True
                    reached.add(w)
                    queue.append(w)
        return False

    def eval(self, node):
        mo = self.mo
        kind, i = node
        if kind == "e":
            return self.up[i] and self.holds(mo.els[i]["needs"])
        if kind == "g":
            g = mo.grs[i]
            working = sum(1 for x in g["members"] if self.works(x))
            ok = working >= g["need"] and self.holds(g["needs"])
            if g["quorum"] is not None:
                votes = len(g["members"]) + 1
                ok = ok and working + (1 if self.works(g["quorum"]) else 0) > votes // 2
            return ok
        if kind == "p":
            sources, targets = mo.paths[i]
            return self.reach(sources, targets)
        entry, tiers, hops = mo.services[i]
        return self.value[entry] and all(self.value[t] for t in tiers) and all(self.value[h] for h in hops)

    def propagate(self, element):
        mo = self.mo
        work = deque([("e", element)])
        queued = {("e", element)}
        while work:
            node = work.popleft()
            queued.discard(node)
            v = self.eval(node)
            if v == self.value[node]:
                continue
            self.value[node] = v
            nexts = list(mo.dependents.get(node, []))
            if node[0] == "e" and mo.networked[node[1]]:
                nexts += [p for p in mo.path_nodes] + [d for p in mo.path_nodes for d in mo.dependents.get(p, [])]
            for d in nexts:
                if d not in queued:
                    queued.add(d)
                    work.append(d)

    def account(self, now):
        for s in range(len(self.mo.services)):
            up = self.value[("s", s)]
            if not up and self.down_since[s] is None:
                self.down_since[s] = now
            elif up and self.down_since[s] is not None:
                self.down_secs[s] += now - self.down_since[s]
                self.down_since[s] = None

    def life(self, env, i, mtbf, mttr):
        while True:
            yield env.timeout(self.rng.expovariate(1.0 / mtbf))
            self.up[i] = False
            self.events += 1
            self.propagate(i)
            self.account(env.now)
            yield env.timeout(self.rng.expovariate(1.0 / mttr))
            self.up[i] = True
            self.events += 1
            self.propagate(i)
            self.account(env.now)


def main():
    path, years, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    model = Model(json.load(open(path)))
    sim = Sim(model, seed)
    env = simpy.Environment()
    for i, e in enumerate(model.els):
        if e["mtbf_secs"] is not None:
            env.process(sim.life(env, i, e["mtbf_secs"], e["mttr_secs"]))
    horizon = years * YEAR
    start = time.perf_counter()
    env.run(until=horizon)
    wall = time.perf_counter() - start
    sim.account(horizon)
    availability = {}
    for s, svc in enumerate(model.m["services"]):
        down = sim.down_secs[s] + (horizon - sim.down_since[s] if sim.down_since[s] is not None else 0.0)
        availability[svc["name"]] = 1.0 - down / horizon
    print(json.dumps({"simpy": simpy.__version__, "events": sim.events, "wall_secs": wall,
                      "events_per_sec": sim.events / wall, "availability": availability}))


if __name__ == "__main__":
    main()
