create index on matters(received_at, id);
create index on matters(county_code, received_at, id);
create index on matters(township_code, received_at, id);
create index on matters(community_code, received_at, id);
create index on matters(status, received_at, id);
create index on matters(category_code, received_at, id);
create index on matters(lead_unit_code, status);
vacuum analyze matters;
