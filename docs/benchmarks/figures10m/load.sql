-- N rows, received_at spread uniformly over 3 years ending 2026-11-26, inserted in time order (as intake would).
insert into matters(code,kind,status,title,description,category_code,lat,lon,province_code,city_code,county_code,township_code,community_code,grid_code,
  received_at,accept_due_at,accepted_at,reply_due_at,replied_at,verdict,items,lead_unit_code)
select 'M'||g, case when r1<0.7 then 'complaint' else 'request' end,
  st, '标题', repeat('某小区楼下路灯不亮已经一周了请尽快处理', 6),
  (select code from cats where i = floor(193*power(r2,2.5))::int),
  35.5+r3*0.6, 106.4+r4*1.0, '620000','620800', c.county, c.township, c.community, c.community||lpad((1+floor(r5*4))::text,2,'0'),
  at, at+interval '4 hours', case when st in ('received','dispatched') then null else at+interval '1 hour'*(r6*6) end,
  at+interval '7 days', case when st in ('replied','closed') then at+interval '1 hour'*(r6*200) else null end,
  case when st='closed' and r7<0.8 then (array['satisfied','basically_satisfied','dissatisfied'])[1+floor(r7*3.7)::int % 3 + 0] else null end,
  1+(r7*1.2)::int, (select code from units where i = floor(58*r8)::int)
from (
  select g, timestamptz '2023-11-26' + (interval '1096 days') * (g::float8/:n) as at,
    random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7, random() r8, floor(random()*1559)::int ci,
    random() rs
  from generate_series(1,:n) g) s
join comm c on c.i = s.ci
cross join lateral (select case when s.at > timestamptz '2026-11-26' - interval '14 days' then
    (array['received','dispatched','accepted','in_progress','replied','closed'])[1+floor(s.rs*6)::int]
  else case when s.rs<0.9 then 'closed' when s.rs<0.95 then 'merged' when s.rs<0.97 then 'rejected' else 'in_progress' end end as st) x
order by g;
