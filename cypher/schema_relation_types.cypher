// Relation types a scope uses, with counts.
MATCH (e:Entity)-[r]->(:Entity)
WHERE ($user_id IS NULL OR e.user_id = $user_id)
  AND ($agent_id IS NULL OR e.agent_id = $agent_id)
  AND ($app_id IS NULL OR e.app_id = $app_id)
RETURN type(r) AS type, count(*) AS count
