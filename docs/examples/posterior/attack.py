# A posterior attacker against the DP release, written as an independent check of the lab (the
# lab's own Bayes attacker uses the coarser public density map). Inputs: release.json (from
# harvest.py), household positions and sizes from city.csv with the listed column ignored (an
# address register, finer than the map the app publishes), and a start point within 400 m of each
# target. The listed column only scores. Needs `pip install h3`.
#   within500 generate --seed 7 --people 100000 --format csv > city.csv
#   python3 attack.py [eps] [release.json] [targets]
import json, math, random, sys, collections, h3
EPS=float(sys.argv[1]) if len(sys.argv)>1 else 1.0
relfile=sys.argv[2] if len(sys.argv)>2 else 'release.json'
rel=json.load(open(relfile))
rows=[l.strip().split(',') for l in open('city.csv') if not l.startswith('#')][1:]
LAT0=38.04; KX=111320*math.cos(math.radians(LAT0)); KY=111320
def xy(lat,lng): return ((lng-114.51)*KX,(lat-LAT0)*KY)
def ll(x,y): return (LAT0+y/KY,114.51+x/KX)
pos=collections.Counter((float(r[2]),float(r[3])) for r in rows)          # public density
H=[(xy(la,ln),n,h3.latlng_to_cell(la,ln,9)) for (la,ln),n in pos.items()]
cellpop=collections.Counter(); 
for _,n,c in H: cellpop[c]+=n
truec=collections.Counter(h3.latlng_to_cell(float(r[2]),float(r[3]),9) for r in rows if r[4]=='1')  # scoring/reference only
rate=sum(r[4]=='1' for r in rows)/len(rows)   # ~0.01, the published listed rate
# grid for neighbour lookup
G=collections.defaultdict(list)
for i,(p,n,c) in enumerate(H): G[(int(p[0]//100),int(p[1]//100))].append(i)
def near(x,y,r):
    out=[]
    for gx in range(int((x-r)//100),int((x+r)//100)+1):
        for gy in range(int((y-r)//100),int((y+r)//100)+1):
            for i in G.get((gx,gy),()):
                p=H[i][0]
                if (p[0]-x)**2+(p[1]-y)**2<=r*r: out.append(i)
    return out
def post_mean(N,lam):  # E[L | noisy N], L~Poisson(lam), N=L+DLap(eps)
    num=den=0.0
    pk=math.exp(-lam)
    for L in range(0,60):
        w=pk*math.exp(-EPS*abs(N-L)); num+=L*w; den+=w
        pk*=lam/(L+1)
    return num/den
pm={}
def factor(c,mode):
    if mode=='density': return rate
    if mode=='noiseless': return truec[c]/max(cellpop[c],1)
    key=(rel[c],cellpop[c])
    if key not in pm: pm[key]=post_mean(rel[c],rate*cellpop[c])
    return pm[key]/max(cellpop[c],1)
def estimate(s,mode):
    cand=near(s[0],s[1],450)
    w={i:H[i][1]*factor(H[i][2],mode) for i in cand if math.dist(H[i][0],s)<=400}
    best=None;bv=-1
    for i in w:
        v=sum(w.get(j,0) for j in near(*H[i][0],50))
        if v>bv: bv=v;best=H[i][0]
    return best
def cell_centre_baseline(s):
    disk=set(H[i][2] for i in near(s[0],s[1],400))
    c=max(disk,key=lambda c:cellpop[c]); la,ln=h3.cell_to_latlng(c); return xy(la,ln)
rng=random.Random(2024)
listed=[r for r in rows if r[4]=='1']
NT=int(sys.argv[3]) if len(sys.argv)>3 else 100
targets=rng.sample(listed,NT)
hits=collections.Counter()
for t in targets:
    home=xy(float(t[2]),float(t[3]))
    a=rng.uniform(0,2*math.pi); d=400*math.sqrt(rng.random()); s=(home[0]+d*math.cos(a),home[1]+d*math.sin(a))
    guesses={'start':s,'most_populous_cell_centre':cell_centre_baseline(s),'density_only(no questions)':estimate(s,'density'),
             'dp_release_posterior':estimate(s,'dp'),'noiseless_reference(true counts)':estimate(s,'noiseless')}
    for k,g in guesses.items(): hits[k]+=math.dist(g,home)<=50
print(json.dumps({'eps':EPS,'release':relfile,'targets':NT,'within50_count_of_targets':dict(hits)},indent=1))
