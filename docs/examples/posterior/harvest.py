# Harvest the whole public DP release (every cell's noisy count) with 5 km circles through
# `within500 ask`: the attacker's only input from the design. Writes release.json.
#   python3 harvest.py [--design dp --epsilon-total 1]      (WITHIN500 names the binary)
import json, os, subprocess, sys, math
B=os.environ.get('WITHIN500', 'target/release/within500')
design=sys.argv[1:] or ['--design','dp','--epsilon-total','1']
qs=[]
for i in range(-10,11):
    for j in range(-10,11):
        lat=38.04+i*0.02; lng=114.51+j*0.025
        if math.hypot((lat-38.04)*111320,(lng-114.51)*111320*0.788)<19500: qs.append({'lat':lat,'lng':lng,'radius':5000})
p=subprocess.run([B,'ask','--seed','7','--people','100000']+design,input='\n'.join(map(json.dumps,qs))+'\n',capture_output=True,text=True)
rel={}
for l in p.stdout.splitlines():
    d=json.loads(l)
    if 'answer' not in d: print(d); continue
    for c in d['answer']['cells']: rel[c['cell']]=c['noisy_count']
json.dump(rel,open('release.json','w'))
print(len(qs),'questions; cells',len(rel))
