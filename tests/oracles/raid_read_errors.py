import numpy as np, math, itertools
Y=8760.0
def q(p,B): return -math.expm1(B*math.log1p(-p))
B2=2*2e12*8
print("qA 1e-14",q(1e-14,B2),"qA 1e-15",q(1e-15,B2))
M=Y;T=24.;R=12.
cyc=M+T+R; lam=1/cyc; u=(T+R)/cyc
qa=q(1e-14,B2)
starts=3*lam*(1-u)**2*Y
print("u",u,"starts-alone/yr",starts,"type ii",starts*qa)
print("type i",3*lam*2*u*(1-u)*Y)
print("P>=2",3*u*u*(1-u)+u**3)
def ctmc(spare):
    # state (nR,nW,s)
    states=[]
    for nR in range(4):
        for nW in range(4-nR):
            for s in ([0,1] if spare else [0]):
                k=(1+nW-s) if spare else nW
                if k<0: continue
                states.append((nR,nW,s))
    idx={st:i for i,st in enumerate(states)}
    n=len(states);Q=np.zeros((n,n));good=np.zeros((n,n))
    for st in states:
        nR,nW,s=st;k=(1+nW-s) if spare else nW;i=idx[st]
        P=3-nR-nW
        if P>0:
            if s==1: ns=(nR+1,nW,0); start=True
            else: ns=(nR,nW+1,0); start=False
            Q[i,idx[ns]]+=P/M
            if start and nR+1+nW==1: good[i,idx[ns]]+=P/M
        if nR>0: Q[i,idx[(nR-1,nW,s)]]+=nR/R
        if k>0:
            if nW>0:
                ns=(nR+1,nW-1,s); Q[i,idx[ns]]+=k/T
                if ns[0]+ns[1]==1: good[i,idx[ns]]+=k/T
            else:
                assert s==0
                Q[i,idx[(nR,nW,1)]]+=k/T
    np.fill_diagonal(Q,-Q.sum(1))
    A=np.vstack([Q.T,np.ones(n)]);b=np.zeros(n+1);b[-1]=1
    pi=np.linalg.lstsq(A,b,rcond=None)[0]
    a=(pi[:,None]*good).sum()*Y
    pdown=sum(pi[idx[st]] for st in states if st[0]+st[1]>=2)
    # type(i)-like: 1->2 transitions
    r12=sum(pi[idx[a_]]*Q[idx[a_],idx[b_]] for a_ in states for b_ in states if a_[0]+a_[1]==1 and b_[0]+b_[1]==2)*Y
    return a,a*qa,pdown,r12,dict(zip(states,pi))
for sp in (1,0):
    a,b,c,r12,pi=ctmc(sp)
    print("spare" if sp else "nospare","a",a,"b",b,"c",c,"1->2 rate",r12)
print("C raid1",q(1e-14,2e12*8),"raid6",q(1e-15,4*12e12*8),"raid10",q(1e-14,4e12*8))
