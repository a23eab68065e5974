# Independent oracle (DERIVATIONS.md case 25), written by a helper from the prose definition only.
import json, re, itertools
from fractions import Fraction as F

def load(path):
    txt = open(path).read()
    txt = re.sub(r'//[^\n]*', '', txt)
    return json.loads(txt)

def pct(s): return F(s.rstrip('%')) / 100

def build(sc):
    d = sc.get('defaults', {})
    def dflt(kind): return pct(d[kind]['availability']) if kind in d else F(1)
    el = {}      # element -> availability
    kind = {}
    nodes_of_el = {}  # graph node -> list of elements that must work for node to work
    adj = {}     # node -> list of (nbr, [elements required for edge])
    fwd = set()
    def addnode(n, req, forwards):
        nodes_of_el[n] = req; adj.setdefault(n, []); 
        if forwards: fwd.add(n)
    def edge(a, b, req):
        adj[a].append((b, req)); adj[b].append((a, req))
    comps = sc['components']
    for name, c in comps.items():
        k = c['kind']
        if k == 'server': continue
        el[name] = pct(c['availability']) if 'availability' in c else dflt(k)
        kind[name] = k
        addnode(name, [name], k in ('switch', 'load-balancer'))
    for name, c in comps.items():
        if c['kind'] != 'server': continue
        el[name] = pct(c['availability']) if 'availability' in c else dflt('server'); kind[name] = 'server'
        nics = []
        for i, sw in enumerate(c.get('nics', [])):
            nic = f"{name}.nic{i}->{sw}"
            el[nic] = dflt('nic'); kind[nic] = 'nic'
            # a NIC only connects its switch and its own server's processes -> may be intermediate
            addnode(nic, [nic, name], True)
            edge(nic, sw, [])
            nics.append(nic)
        for p in c.get('runs', []):
            pn = f"{name}/{p}"
            el[pn] = dflt('process'); kind[pn] = 'process'
            addnode(pn, [pn, name], False)   # endpoint; server does not forward NIC<->NIC
            for nic in nics: edge(pn, nic, [])
    for i, L in enumerate(sc.get('links', [])):
        a, b = L['between']
        ln = f"link:{a}--{b}"
        el[ln] = pct(L['availability']) if 'availability' in L else dflt('link'); kind[ln] = 'link'
        edge(a, b, [ln])
    return el, kind, nodes_of_el, adj, fwd

def make_eval(sc):
    el, kind, nodes_of_el, adj, fwd = build(sc)
    groups = sc.get('groups', {})
    svc = list(sc['services'].values())[0]
    entry = svc['from']
    tiers = []
    for t in svc['through']:
        if t in groups: tiers.append((groups[t]['members'], groups[t].get('need', 1)))
        else: tiers.append(([t], 1))
    def evaluate(down, rule='new'):
        up = lambda n: all(e not in down for e in nodes_of_el[n])
        def reach(a, b):
            if not up(a) or not up(b): return False
            seen = {a}; stack = [a]
            while stack:
                u = stack.pop()
                for v, req in adj[u]:
                    if v in seen or not up(v) or any(e in down for e in req): continue
                    if v == b: return True
                    seen.add(v)
                    if v in fwd: stack.append(v)
            return False
        if not up(entry): return False
        working = [[m for m in ms if up(m)] for ms, _ in tiers]
        on_chain = [set() for _ in tiers]
        for combo in itertools.product(*working):
            if reach(entry, combo[0]) and all(reach(combo[j], combo[j+1]) for j in range(len(combo)-1)):
                for i, m in enumerate(combo): on_chain[i].add(m)
        if rule == 'new':
            return all(len(on_chain[i]) >= need for i, (_, need) in enumerate(tiers))
        else:  # old: >= need members merely work, and some chain exists
            return any(on_chain[0]) and all(len(working[i]) >= need for i, (_, need) in enumerate(tiers))
    return el, kind, evaluate

def unavail(el, evaluate, rule):
    risky = [e for e, a in el.items() if a < 1]
    U = F(0)
    for bits in itertools.product([0, 1], repeat=len(risky)):
        down = {e for e, b in zip(risky, bits) if b}
        pr = F(1)
        for e, b in zip(risky, bits): pr *= (1 - el[e]) if b else el[e]
        if not evaluate(down, rule): U += pr
    return U

def cuts(el, evaluate):
    names = list(el)
    spof = [e for e in names if not evaluate({e})]
    c2 = [(a, b) for a, b in itertools.combinations([e for e in names if e not in spof], 2) if not evaluate({a, b})]
    return spof, c2

if __name__ == '__main__':
    q = F(1, 100); p = 1 - q; ql = F(1, 100); l = 1 - ql
    closed = {
        'pool-reached-forward.jsonc': (ql + l*(3*q**2 - 2*q**3), (3*q**2 - 2*q**3) + q*p*p*ql),
        'pool-reached-onward.jsonc':  (q**2 + 2*p*q*(1 - p*l), 3*q**2 - 2*q**3),
    }
    import os
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'cases', 'exact')
    for f in ['pool-reached-forward.jsonc', 'pool-reached-onward.jsonc']:
        sc = load(os.path.join(here, f))
        el, kind, ev = make_eval(sc)
        U = unavail(el, ev, 'new'); Uo = unavail(el, ev, 'old')
        print('==', f)
        print('  risky elements:', {e: str(1-a) for e, a in el.items() if a < 1})
        print('  U     =', U, '=', f"{float(U):.12g}", ' closed form match:', U == closed[f][0])
        print('  U_old =', Uo, '=', f"{float(Uo):.12g}", ' closed form match:', Uo == closed[f][1])
        spof, c2 = cuts(el, ev)
        print('  SPOFs (structural):', spof)
        print('  SPOFs with q>0:', [e for e in spof if el[e] < 1])
        print('  order-2 minimal cuts (structural): %d' % len(c2))
        for a, b in c2: print('     ', a, '+', b, '(q>0 both)' if el[a] < 1 and el[b] < 1 else '')
