#!/usr/bin/env python3
"""Writes saved NetBox responses for a large site (standard library only):
N servers (default 50,000), each with two NICs cabled to a pair of ToR switches (80
servers per pair), as `spofsim import netbox --from DIR` reads them.

    python3 bench/netbox_large.py DIR [N]
"""
import json
import os
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
tors = (n + 79) // 80 * 2 // 2 + 1
os.makedirs(out, exist_ok=True)


def dump(name, results):
    with open(os.path.join(out, name), "w") as f:
        json.dump({"count": len(results), "next": None, "results": results}, f)


def device(i, name, role):
    return {"id": i, "name": name, "role": {"slug": role}, "site": {"slug": "s"}, "status": {"value": "active"}}


devices = [device(i, f"srv-{i}", "server") for i in range(1, n + 1)]
devices += [device(n + j, f"tor-{j}", "tor-switch") for j in range(1, tors + 1)]
interfaces, cables = [], []
iface, cable = 1, 1
for i in range(1, n + 1):
    first = (i - 1) // 80 * 2 + 1
    for k in range(2):
        tor = n + min(first + k, tors)
        a, b = iface, iface + 1
        iface += 2
        interfaces.append({"id": a, "name": f"eth{k}", "device": {"id": i}, "cable": {"id": cable},
                           "connected_endpoints_type": "dcim.interface", "connected_endpoints": [{"id": b}]})
        interfaces.append({"id": b, "name": f"p{i}", "device": {"id": tor}, "cable": {"id": cable},
                           "connected_endpoints_type": "dcim.interface", "connected_endpoints": [{"id": a}]})
        cables.append({"id": cable, "a_terminations": [{"object_type": "dcim.interface", "object_id": a}],
                       "b_terminations": [{"object_type": "dcim.interface", "object_id": b}]})
        cable += 1
dump("dcim__sites.json", [{"id": 1, "slug": "s", "name": "S"}])
dump("dcim__devices.json", devices)
dump("dcim__interfaces.json", interfaces)
dump("dcim__cables.json", cables)
dump("dcim__front-ports.json", [])
dump("dcim__rear-ports.json", [])
