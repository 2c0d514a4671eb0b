// Delete every graphmem entity and relation, in batches.
MATCH (e:Entity)
CALL (e) { DETACH DELETE e } IN TRANSACTIONS OF 10000 ROWS
