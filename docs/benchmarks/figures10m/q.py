import sqlite3, time, sys
db=sqlite3.connect('/tmp/fig10m-sqlite/m.db')
def t(name, sql, args=(), reps=3):
    best=[]
    for _ in range(reps):
        s=time.perf_counter(); rows=db.execute(sql,args).fetchall(); best.append((time.perf_counter()-s)*1000)
    plan=' | '.join(r[3] for r in db.execute('explain query plan '+sql,args))
    print(f"{name}: rows={len(rows)} median={sorted(best)[len(best)//2]:.1f} ms  plan: {plan}")
F,T='2026-09-30 16:00:00','2026-10-31 16:00:00'; YF,YT='2025-11-25 16:00:00','2026-11-25 16:00:00'
tw='620802106'; cm='620802106001'
L="select * from matters where {lvl}=? and category_code is not null and category_code>=? and category_code<? and received_at>=? and received_at<? {extra} order by received_at desc, id desc limit 26"
t('township, category 01, month', L.format(lvl='township_code',extra=''), (tw,'01','01\uffff',F,T))
t('township, category 2405, month', L.format(lvl='township_code',extra=''), (tw,'2405','2405\uffff',F,T))
t('township, category 2405, year', L.format(lvl='township_code',extra=''), (tw,'2405','2405\uffff',YF,YT))
t('township, category 2405, closed, year', L.format(lvl='township_code',extra="and status='closed'"), (tw,'2405','2405\uffff',YF,YT))
t('county, category 2405, merged, year', L.format(lvl='county_code',extra="and status='merged'"), ('620802','2405','2405\uffff',YF,YT))
t('community, category 2405, 3 years', L.format(lvl='community_code',extra=''), (cm,'2405','2405\uffff','2023-01-01','2027-01-01'))
W="where county_code='620826' and received_at>=? and received_at<?"
tally="count(*), sum(status not in ('closed','merged','rejected')), sum(status not in ('merged','rejected') and verdict is not null), sum(accepted_at<=accept_due_at), sum(items)"
old=[f"select {tally} from matters {W}", f"select received_at, replied_at from matters {W} and status not in ('merged','rejected') and replied_at is not null",
 f"select received_at from matters {W}", f"select category_code, count(*) from matters {W} and category_code is not null group by 1 order by 2 desc, 1 limit 10",
 f"select township_code, {tally} from matters {W} group by 1", f"select lead_unit_code, {tally} from matters {W} and lead_unit_code is not null group by 1",
 f"select round(lat/0.01), round(lon/0.01), count(*) from matters {W} and lat is not null group by 1,2"]
if sys.argv[1]=='before':
    s=time.perf_counter()
    for q in old: db.execute(q,(F,T)).fetchall()
    print(f"figures, 7 queries: {(time.perf_counter()-s)*1000:.1f} ms")
s=time.perf_counter()
n=len(db.execute(f"select status, received_at, accept_due_at, accepted_at, reply_due_at, replied_at, verdict, items, category_code, lead_unit_code, lat, lon, township_code from matters {W}",(F,T)).fetchall())
print(f"figures, one pass: {n} rows {(time.perf_counter()-s)*1000:.1f} ms")
