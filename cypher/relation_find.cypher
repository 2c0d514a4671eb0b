// The relation source -[type]-> target that graphmem has not invalidated, if any.
MATCH (source:Entity {id: $source_id})-[r]->(target:Entity {id: $target_id})
WHERE type(r) = $type AND r.invalidated_at IS NULL AND source.partition_key = $partition_key
RETURN r, type(r) AS type, source.id AS source_id, target.id AS target_id
LIMIT 1
