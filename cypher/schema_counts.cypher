// Entity and relation types a scope uses, with counts.
MATCH (e:Entity)
WHERE ($user_id IS NULL OR e.user_id = $user_id)
  AND ($agent_id IS NULL OR e.agent_id = $agent_id)
  AND ($app_id IS NULL OR e.app_id = $app_id)
OPTIONAL MATCH (e)-[r]->(:Entity)
RETURN collect(DISTINCT [e.id, e.type]) AS entities, collect([type(r), r.id]) AS relations
