// A user's current graph. In Neo4j Browser first run:  :param user_id => 'alice'
MATCH (e:Entity {user_id: $user_id})-[r]->(other:Entity)
WHERE r.invalidated_at IS NULL
RETURN e, r, other
LIMIT 300
