-- Queues paged in the database: EXPLAIN ANALYZE of each queue's reads, before and after (docs/benchmarks.md,
-- "Queues paged in the database"). Run against queues-synthetic.sql's table; :phase is before or after.
\set unit '''u-hot'''
\if :{?phase}
\else
\set phase after
\endif
SELECT :'phase' = 'before' AS before \gset
\if :before
-- The unit queue as read before: up to 1,000 rows, no order (sorted, lit and counted in memory).
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT m.* FROM matters m WHERE m."LeadUnitCode" = :unit AND m."Status" = ANY('{dispatched,accepted,in_progress}'::text[]) LIMIT 1000;
-- The dispatcher's queue as read before: the OR filter, 500 rows by ReceivedAt.
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT m.* FROM matters m WHERE m."Status" = ANY('{received,returned,in_review}'::text[]) OR m."ExtensionRequestedUntil" IS NOT NULL OR (m."LocationUnmatched" AND m."Status" = 'received') ORDER BY m."ReceivedAt" LIMIT 500;
\else
-- Unit queue, first page of 100: the keys of each light in turn (index only), then the rows by id.
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT m."Id", m."QueueDueAt" FROM matters m WHERE m."LeadUnitCode" = :unit AND m."QueueDueAt" IS NOT NULL AND m."QueueDueAt" <= now() ORDER BY m."QueueDueAt", m."Id" LIMIT 101;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT m."Id", m."QueueDueAt" FROM matters m WHERE m."LeadUnitCode" = :unit AND m."QueueDueAt" IS NOT NULL AND m."QueueDueAt" > now() AND m."QueueYellowAt" <= now() ORDER BY m."QueueDueAt", m."Id" LIMIT 101;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT m."Id", m."QueueDueAt" FROM matters m WHERE m."LeadUnitCode" = :unit AND m."QueueDueAt" IS NOT NULL AND m."QueueDueAt" > now() AND m."QueueYellowAt" > now() AND m."QueueDueAt" >= now() + interval '3 days' AND (m."QueueDueAt" > now() + interval '3 days' OR m."Id" > 1000) ORDER BY m."QueueDueAt", m."Id" LIMIT 101;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT m.* FROM matters m WHERE m."Id" = ANY(ARRAY(SELECT "Id" FROM matters WHERE "LeadUnitCode" = :unit AND "QueueDueAt" IS NOT NULL ORDER BY "QueueDueAt", "Id" LIMIT 100));
-- Unit queue counts (the whole queue): by light from the queue index, by status from (unit, status).
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*), count(*) FILTER (WHERE m."QueueDueAt" <= now()), count(*) FILTER (WHERE m."QueueDueAt" > now() AND m."QueueYellowAt" <= now()) FROM matters m WHERE m."LeadUnitCode" = :unit AND m."QueueDueAt" IS NOT NULL;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT m."Status", count(*) FROM matters m WHERE m."LeadUnitCode" = :unit AND m."Status" = ANY('{dispatched,accepted,in_progress}'::text[]) GROUP BY m."Status";
-- Dispatcher's queue: first page, a later page (keyset), the total; a township dispatcher's first page.
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT m.* FROM matters m WHERE m."WaitingForCenter" ORDER BY m."ReceivedAt", m."Id" LIMIT 101;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT m.* FROM matters m WHERE m."WaitingForCenter" AND m."ReceivedAt" >= now() - interval '400 days' AND (m."ReceivedAt" > now() - interval '400 days' OR m."Id" > 5) ORDER BY m."ReceivedAt", m."Id" LIMIT 101;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM matters m WHERE m."WaitingForCenter";
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT m.* FROM matters m WHERE m."TownshipCode" = '620802003' AND m."WaitingForCenter" ORDER BY m."ReceivedAt", m."Id" LIMIT 101;
\endif
