// The shortest path between two entities of one user (up to 6 hops).
//   :param user_id => 'alice'
//   :param from => 'Sarah Chen'
//   :param to => 'Zurich'
MATCH (a:Entity {user_id: $user_id, key: toLower(trim($from))})
MATCH (b:Entity {user_id: $user_id, key: toLower(trim($to))})
MATCH p = shortestPath((a)-[*..6]-(b))
WHERE all(n IN nodes(p) WHERE n.user_id = $user_id)
RETURN p
