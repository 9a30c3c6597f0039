\set c '''620826'''
\set f '''2026-09-30 16:00+00'''
\set t '''2026-10-31 16:00+00'''
\set now '''2026-11-26 02:00+00'''
explain (analyze, buffers, costs off, timing off, summary on) select count(*),
 count(*) filter (where status not in ('closed','merged','rejected')),
 count(*) filter (where status not in ('closed','merged','rejected') and ((accepted_at is null and accept_due_at < :now) or (replied_at is null and reply_due_at < :now))),
 count(*) filter (where status not in ('merged','rejected') and accept_due_at is not null and (accepted_at is not null or accept_due_at <= :now)),
 count(*) filter (where status not in ('merged','rejected') and accepted_at <= accept_due_at),
 count(*) filter (where status not in ('merged','rejected') and (status='closed' or reply_due_at <= :now)),
 count(*) filter (where status='closed'), count(*) filter (where status not in ('merged','rejected') and verdict is not null),
 count(*) filter (where status not in ('merged','rejected') and verdict in ('satisfied','basically_satisfied')), sum(items)
 from matters where county_code=:c and received_at >= :f and received_at < :t;
explain (analyze, buffers, costs off, timing off, summary on) select received_at, replied_at from matters where county_code=:c and received_at >= :f and received_at < :t and status not in ('merged','rejected') and replied_at is not null;
explain (analyze, buffers, costs off, timing off, summary on) select received_at from matters where county_code=:c and received_at >= :f and received_at < :t;
explain (analyze, buffers, costs off, timing off, summary on) select category_code, count(*) from matters where county_code=:c and received_at >= :f and received_at < :t and category_code is not null group by 1 order by 2 desc, 1 limit 10;
explain (analyze, buffers, costs off, timing off, summary on) select township_code, count(*),
 count(*) filter (where status not in ('closed','merged','rejected')),
 count(*) filter (where status not in ('closed','merged','rejected') and ((accepted_at is null and accept_due_at < :now) or (replied_at is null and reply_due_at < :now))),
 count(*) filter (where status not in ('merged','rejected') and accept_due_at is not null and (accepted_at is not null or accept_due_at <= :now)),
 count(*) filter (where status not in ('merged','rejected') and accepted_at <= accept_due_at),
 count(*) filter (where status not in ('merged','rejected') and (status='closed' or reply_due_at <= :now)),
 count(*) filter (where status='closed'), count(*) filter (where status not in ('merged','rejected') and verdict is not null),
 count(*) filter (where status not in ('merged','rejected') and verdict in ('satisfied','basically_satisfied')), sum(items)
 from matters where county_code=:c and received_at >= :f and received_at < :t group by 1;
explain (analyze, buffers, costs off, timing off, summary on) select lead_unit_code, count(*),
 count(*) filter (where status not in ('closed','merged','rejected')),
 count(*) filter (where status not in ('closed','merged','rejected') and ((accepted_at is null and accept_due_at < :now) or (replied_at is null and reply_due_at < :now))),
 count(*) filter (where status not in ('merged','rejected') and accept_due_at is not null and (accepted_at is not null or accept_due_at <= :now)),
 count(*) filter (where status not in ('merged','rejected') and accepted_at <= accept_due_at),
 count(*) filter (where status not in ('merged','rejected') and (status='closed' or reply_due_at <= :now)),
 count(*) filter (where status='closed'), count(*) filter (where status not in ('merged','rejected') and verdict is not null),
 count(*) filter (where status not in ('merged','rejected') and verdict in ('satisfied','basically_satisfied')), sum(items)
 from matters where county_code=:c and received_at >= :f and received_at < :t and lead_unit_code is not null group by 1;
explain (analyze, buffers, costs off, timing off, summary on) select round(lat/0.01), round(lon/0.01), count(*) from matters where county_code=:c and received_at >= :f and received_at < :t and lat is not null and lon is not null group by 1,2;
