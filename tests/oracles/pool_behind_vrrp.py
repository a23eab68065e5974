# DERIVATIONS case 26: a VRRP pair of balancers before a pool that needs 2 of 3 (tests/cases/exact/pool-behind-vrrp.jsonc).
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chain_engine import *
def build():
    m=Model(); m.el('internet',fwd=True)
    for x in ['lb-1','lb-2']: m.el(x,F(1,100),fwd=True)
    for x in ['sw-a','sw-b']: m.el(x,0,fwd=True)
    m.link('internet','lb-1'); m.link('internet','lb-2')
    m.link('lb-1','sw-a',F(5,1000)); m.link('lb-2','sw-b',F(5,1000)); m.link('sw-a','sw-b',F(3,100))
    m.server('web-1',F(2,100),['sw-a'],runs=['web']); m.server('web-2',F(2,100),['sw-b'],runs=['web']); m.server('web-3',F(2,100),['sw-a','sw-b'],runs=['web'])
    return m
m=build()
pool=['web-1/web','web-2/web','web-3/web']
ch=[('vip',[{'holder':'lb-1','nonfwd':['lb-2']},{'holder':'lb-2','nonfwd':['lb-1']}])]
up=lambda W: service_up(m,W,'internet',[{'members':['lb-1','lb-2'],'holder_dim':'vip'},{'members':pool,'need':2}],ch)
report('a1',m,up)
