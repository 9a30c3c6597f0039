DROP TABLE IF EXISTS matters;
CREATE TABLE matters (
  "Id" bigserial PRIMARY KEY, "Code" varchar(32) NOT NULL, "Kind" varchar(16) NOT NULL, "Channel" varchar(16) NOT NULL,
  "Status" varchar(16) NOT NULL, "Title" varchar(200) NOT NULL, "Description" text NOT NULL, "CategoryCode" varchar(32),
  "TerritoryCode" varchar(32) NOT NULL, "CountyCode" varchar(32), "TownshipCode" varchar(32), "GridCode" varchar(32),
  "LocationUnmatched" boolean NOT NULL, "ReceivedAt" timestamptz NOT NULL, "UpdatedAt" timestamptz NOT NULL,
  "LeadUnitCode" varchar(64), "AssistingUnitCodes" varchar(1000) NOT NULL DEFAULT '',
  "DispatchedAt" timestamptz, "AcceptDueAt" timestamptz, "ReplyDueAt" timestamptz, "ExtensionRequestedUntil" timestamptz,
  "QueueDueAt" timestamptz, "QueueYellowAt" timestamptz, "WaitingForCenter" boolean NOT NULL DEFAULT false, "Version" int NOT NULL DEFAULT 0
);
INSERT INTO matters ("Code","Kind","Channel","Status","Title","Description","CategoryCode","TerritoryCode","CountyCode","TownshipCode","GridCode",
  "LocationUnmatched","ReceivedAt","UpdatedAt","LeadUnitCode","DispatchedAt","AcceptDueAt","ReplyDueAt","ExtensionRequestedUntil")
SELECT 'M' || i, 'appeal', 'hotline',
  CASE WHEN r < 0.006 THEN 'dispatched' WHEN r < 0.019 THEN 'accepted' WHEN r < 0.032 THEN 'in_progress'
       WHEN r < 0.037 THEN 'received' WHEN r < 0.038 THEN 'returned' WHEN r < 0.039 THEN 'in_review' ELSE 'closed' END,
  '小区楼道堆放杂物影响通行 ' || i, repeat('居民反映小区楼道长期堆放杂物，存在消防隐患。', 4), '0' || (i % 9 + 1),
  '620802' || lpad((i % 12)::text, 3, '0'), '620802', '620802' || lpad((i % 12)::text, 3, '0'), 'g' || (i % 900),
  (i % 50 = 0), now() - (i || ' seconds')::interval * 31, now() - (i || ' seconds')::interval * 31,
  CASE WHEN r < 0.032 AND i % 20 = 0 THEN 'u-hot' ELSE 'u-' || (i % 199) END,
  now() - (i || ' seconds')::interval * 31 + interval '20 minutes', NULL, NULL, NULL
FROM (SELECT i, ((i * 2654435761::bigint) % 1000003) / 1000003.0 AS r FROM generate_series(1, :n) i) s;
-- Open matters are recent: their start within the last 12 days, deadlines around now.
UPDATE matters SET "DispatchedAt" = now() - (("Id" * 7919) % 1036800 || ' seconds')::interval
 WHERE "Status" IN ('dispatched','accepted','in_progress');
UPDATE matters SET "AcceptDueAt" = "DispatchedAt" + interval '4 hours', "ReplyDueAt" = "DispatchedAt" + ((("Id" % 9) + 1) || ' days')::interval
 WHERE "Status" IN ('dispatched','accepted','in_progress');
UPDATE matters SET "ExtensionRequestedUntil" = "ReplyDueAt" + interval '5 days' WHERE "Status" = 'accepted' AND "Id" % 40 = 0;
-- A hot unit's open matters: moved to the last half year as far as received is concerned is irrelevant; the queue columns:
UPDATE matters SET "QueueDueAt" = CASE WHEN "Status" = 'dispatched' THEN "AcceptDueAt" ELSE "ReplyDueAt" END
 WHERE "Status" IN ('dispatched','accepted','in_progress');
UPDATE matters SET "QueueYellowAt" = "DispatchedAt" + ("QueueDueAt" - "DispatchedAt") * 0.8 WHERE "QueueDueAt" IS NOT NULL;
UPDATE matters SET "WaitingForCenter" = true WHERE "Status" IN ('received','returned','in_review') OR "ExtensionRequestedUntil" IS NOT NULL;
-- The indexes before this change (Data/ConcordDb.cs): the ones the queues could use.
CREATE INDEX "IX_matters_ReceivedAt_Id" ON matters ("ReceivedAt", "Id");
CREATE INDEX "IX_matters_Status_ReceivedAt_Id" ON matters ("Status", "ReceivedAt", "Id");
CREATE INDEX "IX_matters_LeadUnitCode_Status" ON matters ("LeadUnitCode", "Status");
CREATE INDEX "IX_matters_TownshipCode_ReceivedAt_Id" ON matters ("TownshipCode", "ReceivedAt", "Id");
VACUUM ANALYZE matters;
SELECT "Status", count(*) FROM matters GROUP BY 1 ORDER BY 2 DESC;
SELECT count(*) AS hot_unit_open FROM matters WHERE "LeadUnitCode" = 'u-hot' AND "Status" IN ('dispatched','accepted','in_progress');
SELECT count(*) AS waiting FROM matters WHERE "WaitingForCenter";
