-- CreateTable
CREATE TABLE "MessageDaily" (
    "day" DATE NOT NULL,
    "metric" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MessageDaily_pkey" PRIMARY KEY ("day","metric","key")
);

-- CreateIndex
CREATE INDEX "AuditLog_entityType_entityId_createdAt_idx" ON "AuditLog"("entityType", "entityId", "createdAt");

-- CreateIndex
CREATE INDEX "Conversation_handoffStatus_handoffAt_idx" ON "Conversation"("handoffStatus", "handoffAt");

-- CreateIndex
CREATE INDEX "Message_conversationId_id_idx" ON "Message"("conversationId", "id");

-- Dashboard roll-ups: what a message adds to its Viet Nam calendar day (NULL: nothing for that metric).
CREATE FUNCTION message_daily_key(metric TEXT, m "Message") RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE metric
    WHEN 'messages' THEN m.channel || ':' || m.direction
    WHEN 'intent' THEN CASE WHEN m.direction = 'in' THEN m.intent END
    WHEN 'procedure' THEN CASE WHEN m.direction = 'in' THEN NULLIF(m.entities->>'procedure', '') END
    WHEN 'model' THEN CASE WHEN m.direction = 'in' THEN NULLIF(m.entities->>'model', '') END
  END
$$;

-- Rows sorted by key, so concurrent transactions lock the counters in one order (no deadlock between them).
CREATE FUNCTION message_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "MessageDaily" (day, metric, key, count)
  SELECT (n."createdAt" + interval '7 hours')::date, k.metric, message_daily_key(k.metric, n), count(*)::int
  FROM new_rows n CROSS JOIN unnest(ARRAY['messages', 'intent', 'procedure', 'model']) AS k(metric)
  WHERE message_daily_key(k.metric, n) IS NOT NULL
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (day, metric, key) DO UPDATE SET count = "MessageDaily".count + EXCLUDED.count;
  RETURN NULL;
END
$$;

CREATE TRIGGER message_daily_add AFTER INSERT ON "Message" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION message_daily_add();

-- The messages already stored.
INSERT INTO "MessageDaily" (day, metric, key, count)
SELECT (n."createdAt" + interval '7 hours')::date, k.metric, message_daily_key(k.metric, n), count(*)::int
FROM "Message" n CROSS JOIN unnest(ARRAY['messages', 'intent', 'procedure', 'model']) AS k(metric)
WHERE message_daily_key(k.metric, n) IS NOT NULL
GROUP BY 1, 2, 3;
