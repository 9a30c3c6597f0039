\set c '''620826'''
\set f '''2026-09-30 16:00+00'''
\set t '''2026-10-31 16:00+00'''
explain (analyze, buffers, costs off, timing off, summary on) select status, received_at, accept_due_at, accepted_at, reply_due_at, replied_at, verdict, items, category_code, lead_unit_code, lat, lon, township_code
 from matters where county_code=:c and received_at >= :f and received_at < :t;
