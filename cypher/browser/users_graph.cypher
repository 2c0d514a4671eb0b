// A scope's current graph: each entity's outgoing relations, up to 300.
// Saved queries bind every node to the scope ($user_id, $agent_id, $app_id; null = any,
// graphmem sets them from the caller's scope). In Neo4j Browser first run:
//   :params {user_id: 'alice', agent_id: null, app_id: null}
MATCH (e:Entity)-[r]->(other:Entity)
WHERE ($user_id IS NULL OR e.user_id = $user_id)
  AND ($agent_id IS NULL OR e.agent_id = $agent_id)
  AND ($app_id IS NULL OR e.app_id = $app_id)
  AND other.partition_key = e.partition_key
  AND r.invalidated_at IS NULL
RETURN e, r, other
LIMIT 300
