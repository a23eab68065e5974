"""N mirrored pairs in series, the design of issue 15 §9, as a spofsim scenario.

2N servers (MTBF 50,000 h, MTTR 8 h, exponential); pair i is an active-standby cluster
of the `db` processes on s{i}-1 and s{i}-2; nothing else fails (switch, NICs, cables
and processes at 100%). The service layout is chosen by TIERS and SERVICES:

    pairs.py N                one service through all N pairs (the default)
    pairs.py N T              one service through the first T pairs
    pairs.py N 1 N            N services, service i through pair i

Prints the scenario (JSON) on stdout. The SimPy peer is pairs_simpy.py.
"""

import json
import sys

n = int(sys.argv[1])
tiers = int(sys.argv[2]) if len(sys.argv) > 2 else n
services_count = int(sys.argv[3]) if len(sys.argv) > 3 else 1
components = {"internet": {"kind": "entry"}, "sw": {"kind": "switch", "availability": "100%"}}
groups = {}
for i in range(n):
    for k in (1, 2):
        components[f"s{i}-{k}"] = {"kind": "server", "mtbf": "50000h", "mttr": "8h", "nics": ["sw"], "runs": ["db"]}
    groups[f"c{i}"] = {"kind": "cluster", "mode": "active-standby", "members": [f"s{i}-1/db", f"s{i}-2/db"]}
if services_count == 1:
    services = {"s": {"from": "internet", "through": [f"c{i}" for i in range(tiers)]}}
else:
    services = {f"s{i}": {"from": "internet", "through": [f"c{i}"]} for i in range(services_count)}
scenario = {
    "defaults": {"nic": {"availability": "100%"}, "link": {"availability": "100%"}, "process": {"availability": "100%"}},
    "components": components,
    "links": [{"between": ["internet", "sw"]}],
    "groups": groups,
    "services": services,
}
print(json.dumps(scenario, indent=1))
