import sqlite3, random, datetime, sys, time
n=int(sys.argv[1]); path=sys.argv[2]
random.seed(8)
comm=[l.strip().split(',') for l in open('/tmp/fig10m-pg/comm.csv')]
cats=[l.strip().split(',')[1] for l in open('/tmp/fig10m-pg/cats.csv')]
units=[l.strip().split(',')[1] for l in open('/tmp/fig10m-pg/units.csv')]
db=sqlite3.connect(path)
db.executescript('''pragma journal_mode=wal; pragma synchronous=off;
create table matters(id integer primary key, status text not null, description text not null, category_code text, lat real, lon real,
 county_code text, township_code text, community_code text, received_at text not null, accept_due_at text, accepted_at text, reply_due_at text,
 replied_at text, verdict text, items int not null, lead_unit_code text);''')
t0=datetime.datetime(2023,11,26); span=1096*86400
def ts(d): return d.strftime('%Y-%m-%d %H:%M:%S.%f')  # EF Core's SQLite DateTime text
end=datetime.datetime(2026,11,26)-datetime.timedelta(days=14)
rows=[]
for g in range(1,n+1):
    at=t0+datetime.timedelta(seconds=span*g/n)
    c=comm[random.randrange(len(comm))]; rs=random.random()
    if at>end: st=random.choice(['received','dispatched','accepted','in_progress','replied','closed'])
    else: st='closed' if rs<0.9 else 'merged' if rs<0.95 else 'rejected' if rs<0.97 else 'in_progress'
    r6=random.random(); r7=random.random()
    rows.append((g,st,'某小区楼下路灯不亮已经一周了请尽快处理'*6,cats[int(193*random.random()**2.5)],35.5+random.random()*0.6,106.4+random.random(),
      c[3],c[2],c[1],ts(at),ts(at+datetime.timedelta(hours=4)),None if st in('received','dispatched') else ts(at+datetime.timedelta(hours=r6*6)),
      ts(at+datetime.timedelta(days=7)), ts(at+datetime.timedelta(hours=r6*200)) if st in ('replied','closed') else None,
      ['satisfied','basically_satisfied','dissatisfied'][int(r7*3.7)%3] if st=='closed' and r7<0.8 else None, 1+int(r7*1.2), random.choice(units)))
    if len(rows)==50000:
        db.executemany('insert into matters values(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',rows); rows=[]
if rows: db.executemany('insert into matters values(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',rows)
db.commit()
db.executescript('''create index ix_ra on matters(received_at, id); create index ix_cty on matters(county_code, received_at, id);
create index ix_tw on matters(township_code, received_at, id); create index ix_cm on matters(community_code, received_at, id);
create index ix_st on matters(status, received_at, id); create index ix_cat on matters(category_code, received_at, id); create index ix_lu on matters(lead_unit_code, status); analyze;''')
db.close()
