// Every relation of one entity ($name, or an alias), current and ended, oldest first.
//   :params {user_id: 'alice', agent_id: null, app_id: null, name: 'Sarah Chen'}
MATCH (e:Entity)-[r]-(other:Entity)
WHERE ($user_id IS NULL OR e.user_id = $user_id)
  AND ($agent_id IS NULL OR e.agent_id = $agent_id)
  AND ($app_id IS NULL OR e.app_id = $app_id)
  AND (e.key = toLower(trim($name)) OR toLower(trim($name)) IN e.alias_keys)
  AND other.partition_key = e.partition_key
RETURN startNode(r).name AS source, type(r) AS relationship, endNode(r).name AS target,
       r.valid_from AS valid_from, r.valid_to AS valid_to,
       r.created_at AS learned_at, r.invalidated_at AS invalidated_at, r.fact AS fact
ORDER BY r.created_at
