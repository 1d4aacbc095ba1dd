-- Dashboard roll-ups for given messages: one statement, counters locked in key order.
CREATE FUNCTION message_daily_add_ids(ids INTEGER[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "MessageDaily" (day, metric, key, count)
  SELECT (n."createdAt" + interval '7 hours')::date, k.metric, message_daily_key(k.metric, n), count(*)::int
  FROM "Message" n CROSS JOIN unnest(ARRAY['messages', 'intent', 'procedure', 'model']) AS k(metric)
  WHERE n.id = ANY(ids) AND message_daily_key(k.metric, n) IS NOT NULL
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (day, metric, key) DO UPDATE SET count = "MessageDaily".count + EXCLUDED.count;
$$;

-- A transaction that inserts messages in several statements (a batch of decisions) sets cchc.rollup_deferred and
-- adds them with message_daily_add_ids() in its last statement: counters updated statement by statement were
-- locked in a different order by two such transactions (a deadlock between two instances).
CREATE OR REPLACE FUNCTION message_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cchc.rollup_deferred', true) = 'on' THEN RETURN NULL; END IF;
  PERFORM message_daily_add_ids(ARRAY(SELECT id FROM new_rows));
  RETURN NULL;
END
$$;
