// Up to $per_type current relations of each type the scope sees.
MATCH (e:Entity)-[r]->(target:Entity)
WHERE ($user_id IS NULL OR e.user_id = $user_id)
  AND ($agent_id IS NULL OR e.agent_id = $agent_id)
  AND ($app_id IS NULL OR e.app_id = $app_id)
  AND r.invalidated_at IS NULL
WITH type(r) AS type, collect([r, e.id, target.id])[..$per_type] AS sample
UNWIND sample AS item
RETURN item[0] AS r, type, item[1] AS source_id, item[2] AS target_id
