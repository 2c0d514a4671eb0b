// Every relation of one entity, current and ended, oldest first.
//   :param user_id => 'alice'
//   :param name => 'Sarah Chen'
MATCH (e:Entity {user_id: $user_id})-[r]-(other:Entity)
WHERE e.key = toLower(trim($name)) OR toLower(trim($name)) IN e.alias_keys
RETURN startNode(r).name AS source, type(r) AS relationship, endNode(r).name AS target,
       r.valid_from AS valid_from, r.valid_to AS valid_to,
       r.created_at AS learned_at, r.invalidated_at AS invalidated_at, r.fact AS fact
ORDER BY r.created_at
