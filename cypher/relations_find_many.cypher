// The relations (not invalidated) for many (source id, type, target id) triples at once.
UNWIND $triples AS triple
MATCH (source:Entity {id: triple.source_id})-[r]->(target:Entity {id: triple.target_id})
WHERE type(r) = triple.type AND r.invalidated_at IS NULL AND source.partition_key = $partition_key
RETURN r, type(r) AS type, source.id AS source_id, target.id AS target_id
