#!/usr/bin/env python3
# Independent oracle for Aralia trees: crude Monte Carlo of the top event, evaluating
# every gate straight from the Open-PSA XML (no BDD). Needs numpy.
# Usage: python3 tests/oracles/aralia_mc.py TREE.xml SAMPLES SEED

import sys, xml.etree.ElementTree as ET, numpy as np
path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
root = ET.parse(path).getroot()
gates, probs = {}, {}
for g in root.iter('define-gate'):
    gates[g.get('name')] = list(g)[0]
for e in root.iter('define-basic-event'):
    probs[e.get('name')] = float(e.find('float').get('value'))
rng = np.random.default_rng(seed)
state = {name: rng.random(n) < p for name, p in probs.items()}
memo = {}
sys.setrecursionlimit(100000)
def val(node):
    tag = node.tag
    if tag == 'basic-event': return state[node.get('name')]
    if tag == 'gate': return gate(node.get('name'))
    args = [val(c) for c in node]
    if tag == 'and': return np.logical_and.reduce(args)
    if tag == 'or': return np.logical_or.reduce(args)
    if tag == 'not': return ~args[0]
    if tag == 'atleast': return np.sum(args, axis=0) >= int(node.get('min'))
    raise SystemExit('unsupported ' + tag)
def gate(name):
    if name not in memo: memo[name] = val(gates[name])
    return memo[name]
top = list(root.iter('define-fault-tree'))[0].find('define-gate').get('name')
x = gate(top); p = x.mean(); se = (p*(1-p)/n)**0.5
print(f"{path}: P(top) = {p:.6f} +- {1.96*se:.6f} (95%, {n} samples, seed {seed})")
