#!/usr/bin/env python3
"""Oracle for DERIVATIONS.md case 19: two databases replicating synchronously to each
other (greatest fixpoint), by enumeration of all 2^4 process states in exact rationals.
Written by an independent helper from the prose in DERIVATIONS.md alone."""
from fractions import Fraction as F
from itertools import product, combinations
q=F(99,100); P=['p1','p2','p3','p4']
def gfp(u):
    w={'db1','db2','db3','db4'}
    while True:
        n=set()
        if u['p1'] and 'db2' in w: n.add('db1')
        if u['p2'] and ('db1' in w or 'db3' in w): n.add('db2')
        if u['p3']: n.add('db3')
        if u['p4']: n.add('db4')
        if n==w: return w
        w=n
def lfp_check(u):  # least fixpoint for comparison
    w=set()
    while True:
        n=set()
        if u['p1'] and 'db2' in w: n.add('db1')
        if u['p2'] and ('db1' in w or 'db3' in w): n.add('db2')
        if u['p3']: n.add('db3')
        if u['p4']: n.add('db4')
        if n==w: return w
        w=n
S=lambda w:('db2' in w or 'db4' in w) and 'db1' in w
S2=lambda w:'db2' in w
def wrong(u):
    db1=u['p1']; db2=u['p2'] and (db1 or u['p3'])
    return (db2 or u['p4']) and db1
svc={'s':lambda u:S(gfp(u)),'s2':lambda u:S2(gfp(u)),'s_WRONG':wrong,
     's_lfp':lambda u:S(lfp_check(u)),'s2_lfp':lambda u:S2(lfp_check(u))}
states=[dict(zip(P,b)) for b in product([True,False],repeat=4)]
pr=lambda u:eval('*'.join('1')) if False else __import__('math').prod([q if u[p] else 1-q for p in P],start=F(1))
assert sum(pr(u) for u in states)==1
for name,f in svc.items():
    A=sum(pr(u) for u in states if f(u))
    cuts=[]
    for k in range(1,5):
        for c in combinations(P,k):
            u={p:(p not in c) for p in P}
            if not f(u) and not any(set(x)<=set(c) for x in cuts): cuts.append(c)
    print(f"{name}: A={A} = {float(A):.12g}  U={1-A} = {float(1-A):.12g}  mincuts={[set(c) for c in cuts]}  SPOF={[c[0] for c in cuts if len(c)==1]}")
