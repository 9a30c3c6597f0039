# Writes comm.csv (community, township, county), cats.csv (leaf categories) and units.csv from the demo's
# reference data, for schema.sql / gen.py. Run from the repository root; output in /tmp/fig10m-pg.
import csv, json, os
os.makedirs('/tmp/fig10m-pg', exist_ok=True)
rows = list(csv.DictReader(open('src/Concord.Server/ReferenceData/pingliang-divisions.csv')))
parent = {r['code']: r['parent_code'] for r in rows}
with open('/tmp/fig10m-pg/comm.csv', 'w') as f:
    communities = [r for r in rows if r['level'] == 'community']
    for i, r in enumerate(communities):
        f.write(f"{i},{r['code']},{r['parent_code']},{parent[r['parent_code']]}\n")
leaves = []
def walk(n):
    children = n.get('children') or []
    if not children:
        leaves.append(n['code'])
    for c in children:
        walk(c)
for n in json.load(open('src/Concord.Server/ReferenceData/categories.json')):
    walk(n)
with open('/tmp/fig10m-pg/cats.csv', 'w') as f:
    for i, c in enumerate(leaves):
        f.write(f"{i},{c}\n")
units = json.load(open('src/Concord.Server/ReferenceData/demo-units.json'))
with open('/tmp/fig10m-pg/units.csv', 'w') as f:
    for i, u in enumerate(units):
        f.write(f"{i},{u['code']}\n")
