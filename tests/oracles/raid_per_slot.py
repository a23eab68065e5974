"""Per-slot CTMC for RAID with hot spares (independent oracle).
State: (slot vector in {0=P,1=R,2=W}^n, idle spares s). away = n+h-#P-#R-s.
Returning disk fills a WAITING slot chosen uniformly at random among WAITING slots
(policy='uniform'), or lowest index (policy='lowest') as a sensitivity check.
"""
import sys, itertools, time
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

MTBF, MTTR, REBUILD = 200.0, 5.0, 1.0
lam, mu, rho = 1/MTBF, 1/MTTR, 1/REBUILD

def build(n, h, c=None, policy='uniform'):
    # enumerate reachable states via BFS
    start = (tuple([0]*n), h)
    index = {start: 0}
    states = [start]
    rows, cols, vals = [], [], []
    i = 0
    while i < len(states):
        v, s = states[i]
        nP = v.count(0); nR = v.count(1)
        a = n + h - nP - nR - s
        Ws = [j for j in range(n) if v[j] == 2]
        trans = []
        for j in range(n):
            if v[j] == 0:
                if s > 0:
                    trans.append(((v[:j]+(1,)+v[j+1:], s-1), lam))
                else:
                    trans.append(((v[:j]+(2,)+v[j+1:], s), lam))
            elif v[j] == 1:
                trans.append(((v[:j]+(0,)+v[j+1:], s), rho))
                if s > 0:
                    trans.append(((v, s-1), lam))
                else:
                    trans.append(((v[:j]+(2,)+v[j+1:], s), lam))
        if s > 0:
            trans.append(((v, s-1), s*lam))
        if a > 0:
            rr = (a if c is None else min(a, c)) * mu
            if Ws:
                if policy == 'uniform':
                    for j in Ws:
                        trans.append(((v[:j]+(1,)+v[j+1:], s), rr/len(Ws)))
                else:
                    j = Ws[0]
                    trans.append(((v[:j]+(1,)+v[j+1:], s), rr))
            else:
                trans.append(((v, s+1), rr))
        for t, r in trans:
            k = index.get(t)
            if k is None:
                k = len(states); index[t] = k; states.append(t)
            rows.append(i); cols.append(k); vals.append(r)
        i += 1
    N = len(states)
    Q = sp.csr_matrix((vals, (rows, cols)), shape=(N, N))
    Q = Q - sp.diags(np.asarray(Q.sum(axis=1)).ravel())
    return states, Q.tocsr()

def solve_direct(Q, replace=0):
    # fix pi[replace]=1, drop that balance equation, solve the rest sparsely, normalize
    N = Q.shape[0]
    A = Q.T.tocsc()
    keep = np.r_[0:replace, replace+1:N]
    Ak = A[keep][:, keep].tocsc()
    rhs = -np.asarray(A[keep][:, [replace]].todense()).ravel()
    x = spla.spsolve(Ak, rhs, permc_spec='COLAMD')
    pi = np.empty(N); pi[keep] = x; pi[replace] = 1.0
    return pi / pi.sum()

def solve_gmres(Q, x0=None):
    # solve (Q^T) pi = 0 with normalization via replacing a different row, ILU-preconditioned GMRES
    N = Q.shape[0]
    A = Q.T.tolil()
    A[N-1, :] = np.ones(N)
    A = A.tocsc()
    b = np.zeros(N); b[N-1] = 1.0
    ilu = spla.spilu(A, drop_tol=1e-6, fill_factor=20)
    M = spla.LinearOperator((N, N), ilu.solve)
    pi, info = spla.gmres(A, b, x0=x0, M=M, rtol=1e-15, atol=0, restart=50, maxiter=2000)
    return pi, info

def down(v, raid):
    nonP = [x != 0 for x in v]
    if raid == 6: return sum(nonP) >= 3
    if raid == 5: return sum(nonP) >= 2
    if raid == 10:
        return any(nonP[2*p] and nonP[2*p+1] for p in range(len(v)//2))

def analyse(raid, n, h, c=None, policy='uniform', method='direct', symcheck=False):
    t0 = time.time()
    states, Q = build(n, h, c, policy)
    t1 = time.time()
    if method == 'direct':
        pi = solve_direct(Q)
        pi2 = solve_direct(Q, replace=len(states)//2)
    else:
        pi, info = solve_gmres(Q)
        print('gmres info', info)
        pi2 = None
    res = np.abs(Q.T @ pi).max()
    dmask = np.array([down(v, raid) for v, s in states])
    Pdown = pi[dmask].sum()
    out = dict(N=len(states), Pdown=Pdown, res=res, sum=pi.sum(), tbuild=t1-t0, tsolve=time.time()-t1,
               Pup=pi[~dmask].sum())
    if pi2 is not None:
        out['Pdown_alt'] = pi2[dmask].sum()
        out['maxdiff'] = np.abs(pi-pi2).max()
    k = np.array([sum(x != 0 for x in v) for v, s in states])
    out['kdist'] = [pi[k == kk].sum() for kk in range(n+1)]
    if symcheck:
        # probability of each non-protected subset
        sub = {}
        for (v, s), p in zip(states, pi):
            key = tuple(j for j in range(n) if v[j] != 0)
            sub[key] = sub.get(key, 0.0) + p
        maxdev = 0.0
        for kk in range(n+1):
            ps = [sub.get(S, 0.0) for S in itertools.combinations(range(n), kk)]
            m = np.mean(ps)
            if m > 0:
                maxdev = max(maxdev, (max(ps)-min(ps))/m)
        out['sym_maxreldev'] = maxdev
    return out

if __name__ == '__main__':
    np.set_printoptions(precision=16)
    cases = {
        'a': (10, 8, 1, None), 'b': (6, 8, 2, None), 'c': (5, 12, 1, None),
        'd': (6, 8, 2, 1), 'e': (10, 8, 0, None), 'f': (10, 12, 1, None),
    }
    which = sys.argv[1:] or ['a', 'b', 'c', 'd', 'e']
    for w in which:
        raid, n, h, c = cases[w]
        pol = 'uniform'
        meth = 'direct'
        if w.endswith('L'):
            pass
        o = analyse(raid, n, h, c, policy=pol, method=meth, symcheck=(w in 'ab'))
        print(w, {k: (repr(v) if not isinstance(v, list) else [repr(x) for x in v]) for k, v in o.items()}, flush=True)
