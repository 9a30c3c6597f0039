# Queues paged in the database, on SQLite: a synthetic matters table (the queue columns and indexes only),
# then each queue's read before and after, 5 runs each (docs/benchmarks.md, "Queues paged in the database").
# python3 docs/benchmarks/queues-sqlite.py 1000000   (the file is made in /tmp and removed at the end)
import sqlite3, random, time, datetime, os, sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
path = '/tmp/queues-sqlite.db'
if os.path.exists(path): os.remove(path)
db = sqlite3.connect(path)
db.execute('''CREATE TABLE matters ("Id" INTEGER PRIMARY KEY, "Code" TEXT, "Status" TEXT, "Title" TEXT, "Description" TEXT, "TownshipCode" TEXT,
 "ReceivedAt" TEXT, "LeadUnitCode" TEXT, "DispatchedAt" TEXT, "AcceptDueAt" TEXT, "ReplyDueAt" TEXT, "ExtensionRequestedUntil" TEXT,
 "QueueDueAt" TEXT, "QueueYellowAt" TEXT, "WaitingForCenter" INTEGER NOT NULL DEFAULT 0)''')
now = datetime.datetime(2026, 11, 26, 2, 0, 0)
fmt = lambda d: d.strftime('%Y-%m-%d %H:%M:%S.%f')
insert = 'INSERT INTO matters ("Id","Code","Status","Title","Description","TownshipCode","ReceivedAt","LeadUnitCode","QueueDueAt","QueueYellowAt","WaitingForCenter") VALUES (?,?,?,?,?,?,?,?,?,?,?)'
rows = []
random.seed(8)
for i in range(1, n + 1):
    r = random.random()
    st = 'dispatched' if r < 0.006 else 'accepted' if r < 0.019 else 'in_progress' if r < 0.032 else 'received' if r < 0.037 else 'returned' if r < 0.038 else 'in_review' if r < 0.039 else 'closed'
    unit = 'u-hot' if (r < 0.032 and i % 20 == 0) else 'u-%d' % (i % 199)
    waiting = st in ('received', 'returned', 'in_review')
    # Waiting matters are recent (the last 3 days); the others spread back in time.
    rec = now - datetime.timedelta(seconds=random.randint(0, 259200)) if waiting else now - datetime.timedelta(seconds=i * 31)
    qd = qy = None
    if st in ('dispatched', 'accepted', 'in_progress'):
        start = now - datetime.timedelta(seconds=random.randint(0, 1036800))
        due = start + (datetime.timedelta(hours=4) if st == 'dispatched' else datetime.timedelta(days=random.randint(1, 9)))
        qd, qy = fmt(due), fmt(start + (due - start) * 0.8)
    rows.append((i, 'M%d' % i, st, '小区楼道堆放杂物 %d' % i, '居民反映小区楼道长期堆放杂物，存在消防隐患。' * 4, '620802%03d' % (i % 12), fmt(rec), unit, qd, qy, 1 if waiting else 0))
    if len(rows) == 50000:
        db.executemany(insert, rows); rows = []
db.executemany(insert, rows)
db.execute('CREATE INDEX "IX_matters_ReceivedAt_Id" ON matters ("ReceivedAt","Id")')
db.execute('CREATE INDEX "IX_matters_LeadUnitCode_Status" ON matters ("LeadUnitCode","Status")')
db.execute('CREATE INDEX "IX_matters_unit_queue" ON matters ("LeadUnitCode","QueueDueAt","Id","QueueYellowAt") WHERE "QueueDueAt" IS NOT NULL')
db.execute('CREATE INDEX "IX_matters_dispatch_queue" ON matters ("ReceivedAt","Id") WHERE "WaitingForCenter"')
db.commit(); db.execute('ANALYZE')
N = fmt(now)
queries = {
    'before unit (1000 rows, no order)': ('SELECT * FROM matters m WHERE m."LeadUnitCode"=? AND m."Status" IN (\'dispatched\',\'accepted\',\'in_progress\') LIMIT 1000', ('u-hot',)),
    'before dispatch (OR, 500)': ('SELECT * FROM matters m WHERE m."Status" IN (\'received\',\'returned\',\'in_review\') OR m."ExtensionRequestedUntil" IS NOT NULL ORDER BY m."ReceivedAt" LIMIT 500', ()),
    'after unit red keys': ('SELECT m."Id", m."QueueDueAt" FROM matters m WHERE m."LeadUnitCode"=? AND m."QueueDueAt" IS NOT NULL AND m."QueueDueAt" <= ? ORDER BY m."QueueDueAt", m."Id" LIMIT 101', ('u-hot', N)),
    'after unit green keys': ('SELECT m."Id", m."QueueDueAt" FROM matters m WHERE m."LeadUnitCode"=? AND m."QueueDueAt" IS NOT NULL AND m."QueueDueAt" > ? AND m."QueueYellowAt" > ? ORDER BY m."QueueDueAt", m."Id" LIMIT 101', ('u-hot', N, N)),
    'after unit counts': ('SELECT COUNT(*), COUNT(CASE WHEN m."QueueDueAt" <= ? THEN 1 END), COUNT(CASE WHEN m."QueueDueAt" > ? AND m."QueueYellowAt" <= ? THEN 1 END) FROM matters m WHERE m."LeadUnitCode"=? AND m."QueueDueAt" IS NOT NULL', (N, N, N, 'u-hot')),
    'after dispatch first page': ('SELECT * FROM matters m WHERE m."WaitingForCenter" ORDER BY m."ReceivedAt", m."Id" LIMIT 101', ()),
    'after dispatch total': ('SELECT COUNT(*) FROM matters m WHERE m."WaitingForCenter"', ()),
}
for name, (q, a) in queries.items():
    plan = ' | '.join(r[3] for r in db.execute('EXPLAIN QUERY PLAN ' + q, a))
    ts = []
    for k in range(5):
        t = time.perf_counter(); db.execute(q, a).fetchall(); ts.append((time.perf_counter() - t) * 1000)
    print(f'{name}: median {sorted(ts)[2]:.2f} ms, max {max(ts):.2f} ms; plan: {plan}')
db.close(); os.remove(path)
