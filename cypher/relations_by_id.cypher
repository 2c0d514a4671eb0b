// Relations by id: relationship properties have no index across types, so this scans;
// graphmem uses it only when deleting memories.
MATCH (source:Entity)-[r]->(target:Entity)
WHERE r.id IN $ids
RETURN r, type(r) AS type, source.id AS source_id, target.id AS target_id
