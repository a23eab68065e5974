"""Two-terminal reliability of an n x n grid of switches whose links fail (switches do
not), by Graphillion's `GraphSet.reliability` (frontier-based; Inoue, Minato et al.), and
the same design as an spofsim scenario. Usage: python3 grid.py N Q  -> prints the
scenario path and the Graphillion unreliability with its wall time.

(An earlier version took `GraphSet.graphs(vertex_groups=[[s, t]])`, which holds only the
edge sets whose every component contains a terminal, so stray working edges elsewhere
were not counted: its 3x3 figure, 2.1194e-4, is not the two-terminal unreliability,
2.0799e-4 by enumerating all 4,096 states.)"""
import json, sys, time

n, q = int(sys.argv[1]), float(sys.argv[2])
edges = []
for i in range(n):
    for j in range(n):
        if j + 1 < n:
            edges.append(((i, j), (i, j + 1)))
        if i + 1 < n:
            edges.append(((i, j), (i + 1, j)))

# The spofsim scenario: the entry cabled to switch (0,0) and a server on (n-1,n-1), both
# perfect; every grid link unavailable with probability q.
name = lambda v: f"sw-{v[0]}-{v[1]}"
comps = {"internet": {"kind": "entry"}, "srv": {"kind": "server", "availability": "100%",
         "nics": [name((n - 1, n - 1))], "runs": ["web"]}}
for i in range(n):
    for j in range(n):
        comps[name((i, j))] = {"kind": "switch", "availability": "100%"}
links = [{"between": ["internet", name((0, 0))], "availability": "100%"}]
links += [{"between": [name(a), name(b)], "availability": f"{(1 - q) * 100:.12g}%"} for a, b in edges]
scenario = {"name": f"grid-{n}", "description": f"{n}x{n} grid, links fail with q={q}",
            "defaults": {"nic": {"availability": "100%"}, "link": {"availability": "100%"}, "process": {"availability": "100%"}},
            "components": comps, "links": links, "services": {"s": {"from": "internet", "through": ["srv/web"]}}}
path = f"/tmp/grid-{n}.json"
json.dump(scenario, open(path, "w"), indent=1)

if len(sys.argv) > 3 and sys.argv[3] == "--scenario-only":
    print(path)
    sys.exit(0)

from graphillion import GraphSet
t0 = time.perf_counter()
GraphSet.set_universe(edges)
r = GraphSet.reliability({e: 1 - q for e in edges}, [(0, 0), (n - 1, n - 1)])
t1 = time.perf_counter()
print(path)
print(f"graphillion unreliability {1 - r:.15e} wall {t1 - t0:.3f} s")
