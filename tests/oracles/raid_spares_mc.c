/* Discrete-event MC: RAID1 (2 slots) + 1 hot spare, idle spare fails at lam.
   Rebuild: det (exactly R) or exp (mean R).  Regenerative estimator: cycle boundary on
   entering {both slots protected, spare free} (then nothing pending, all clocks memoryless).
   usage: mc R det|exp ncycles seed [MTBF MTTR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <stdint.h>
#define INF 1e300
static uint64_t s[4];
static inline uint64_t rotl(uint64_t x, int k){return (x<<k)|(x>>(64-k));}
static uint64_t nxt(void){uint64_t r=rotl(s[1]*5,7)*9,t=s[1]<<17;s[2]^=s[0];s[3]^=s[1];s[1]^=s[2];s[0]^=s[3];s[2]^=t;s[3]=rotl(s[3],45);return r;}
static double U01(void){return ((nxt()>>11)+0.5)*(1.0/9007199254740992.0);}
static double ex(double rate){return -log(U01())/rate;}
static uint64_t sm(uint64_t *x){uint64_t z=(*x+=0x9e3779b97f4a7c15ULL);z=(z^(z>>30))*0xbf58476d1ce4e5b9ULL;z=(z^(z>>27))*0x94d049bb133111ebULL;return z^(z>>31);}
int main(int argc,char**argv){
  double R=atof(argv[1]); int det=strcmp(argv[2],"det")==0; long long NC=atoll(argv[3]); uint64_t seed=strtoull(argv[4],0,10);
  double MTBF=argc>5?atof(argv[5]):100, MTTR=argc>6?atof(argv[6]):30;
  double lam=1/MTBF, mu=1/MTTR;
  for(int i=0;i<4;i++) s[i]=sm(&seed);
  /* slot status 0=H protected,1=R rebuilding,2=W waiting */
  int st[2]={0,0}; double ft[2], rb[2]={INF,INF};
  ft[0]=ex(lam); ft[1]=ex(lam);
  int spare=1; double sft=ex(lam);  /* idle spare failure time */
  double rep[8]; int nrep=0;
  double t=0,cs=0,cd=0; double ST=0,SD=0,STT=0,SDD=0,STD=0; long long n=0, nev=0;
  while(n<NC){
    double te=INF; int kind=-1, w=-1;
    for(int i=0;i<2;i++){
      if(st[i]!=2 && ft[i]<te){te=ft[i];kind=0;w=i;}
      if(st[i]==1 && rb[i]<te){te=rb[i];kind=1;w=i;}
    }
    if(spare && sft<te){te=sft;kind=2;}
    for(int j=0;j<nrep;j++) if(rep[j]<te){te=rep[j];kind=3;w=j;}
    if(st[0]!=0 && st[1]!=0) cd+=te-t;
    t=te; nev++;
    if(kind==0){ /* slot disk fails (protected or being rebuilt onto) */
      rep[nrep++]=t+ex(mu);
      if(spare){ spare=0; st[w]=1; rb[w]=t+(det?R:ex(1/R)); ft[w]=t+ex(lam); }
      else { st[w]=2; rb[w]=INF; ft[w]=INF; }
    } else if(kind==1){ st[w]=0; rb[w]=INF; }
    else if(kind==2){ spare=0; rep[nrep++]=t+ex(mu); }
    else { rep[w]=rep[--nrep];
      int i=-1; if(st[0]==2) i=0; else if(st[1]==2) i=1;
      if(i>=0){ st[i]=1; rb[i]=t+(det?R:ex(1/R)); ft[i]=t+ex(lam); }
      else { spare=1; sft=t+ex(lam); }
    }
    if((st[0]!=2)+(st[1]!=2)+spare+nrep!=3){fprintf(stderr,"conservation\n");return 1;}
    if(st[0]==0 && st[1]==0 && spare){
      double T=t-cs,D=cd; ST+=T;SD+=D;STT+=T*T;SDD+=D*D;STD+=T*D; n++; cs=t; cd=0;
    }
  }
  printf("%lld %.17g %.17g %.17g %.17g %.17g %lld\n",n,ST,SD,STT,SDD,STD,nev);
  return 0;
}
