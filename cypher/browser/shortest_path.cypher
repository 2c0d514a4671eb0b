// The shortest path between two entities ($from, $to) of one scope, up to 6 hops.
//   :params {user_id: 'alice', agent_id: null, app_id: null, from: 'Sarah Chen', to: 'Zurich'}
MATCH (a:Entity {key: toLower(trim($from))})
WHERE ($user_id IS NULL OR a.user_id = $user_id)
  AND ($agent_id IS NULL OR a.agent_id = $agent_id)
  AND ($app_id IS NULL OR a.app_id = $app_id)
MATCH (b:Entity {partition_key: a.partition_key, key: toLower(trim($to))})
MATCH p = shortestPath((a)-[*..6]-(b))
WHERE all(n IN nodes(p) WHERE n.partition_key = a.partition_key)
RETURN p
