"""N mirrored pairs in series, hand-written in SimPy 4.1.2: the peer of
`spofsim simulate --ideal` on `bench/simulate/pairs.py N` designs.

2N servers, each failing after an exponential time (mean MTBF = 50,000 h) and repaired
after an exponential time (mean MTTR = 8 h; unlimited crews, independent). A pair is up
while at least one of its servers is up; the service is up while every pair is up.
One SimPy process per server; bookkeeping is incremental (servers up per pair, pairs
down overall), so each event costs O(1) whatever N is. Time unit: seconds.
Prints one JSON line: events, wall seconds of env.run, events per second, availability,
and the closed form (1 - q^2)^N, q = MTTR / (MTBF + MTTR), as a sanity check.

usage: python3 pairs_simpy.py N YEARS SEED
"""

import json
import random
import sys
import time

import simpy

HOUR = 3600.0
YEAR = 8760 * HOUR
MTBF = 50_000 * HOUR
MTTR = 8 * HOUR


class Pairs:
    def __init__(self, env, n, seed):
        self.env = env
        self.rng = random.Random(seed)
        self.up = [2] * n  # servers up, per pair
        self.pairs_down = 0
        self.down_since = None
        self.downtime = 0.0
        self.events = 0

    def server(self, pair):
        rng, env = self.rng, self.env
        while True:
            yield env.timeout(rng.expovariate(1.0 / MTBF))
            self.events += 1
            self.up[pair] -= 1
            if self.up[pair] == 0:
                self.pairs_down += 1
                if self.pairs_down == 1:
                    self.down_since = env.now
            yield env.timeout(rng.expovariate(1.0 / MTTR))
            self.events += 1
            self.up[pair] += 1
            if self.up[pair] == 1:
                self.pairs_down -= 1
                if self.pairs_down == 0:
                    self.downtime += env.now - self.down_since
                    self.down_since = None


def main():
    n, years, seed = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    env = simpy.Environment()
    model = Pairs(env, n, seed)
    for pair in range(n):
        for _ in range(2):
            env.process(model.server(pair))
    horizon = years * YEAR
    start = time.perf_counter()
    env.run(until=horizon)
    wall = time.perf_counter() - start
    down = model.downtime + (horizon - model.down_since if model.down_since is not None else 0.0)
    q = MTTR / (MTBF + MTTR)
    print(json.dumps({"pairs": n, "years": years, "events": model.events, "wall_secs": wall,
                      "events_per_sec": model.events / wall, "availability": 1.0 - down / horizon,
                      "closed_form": (1.0 - q * q) ** n}))


if __name__ == "__main__":
    main()
