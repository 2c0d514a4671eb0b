// Create or replace relations; the relationship type is dynamic (Cypher 5.26), validated before.
UNWIND $relations AS relation
MATCH (source:Entity {id: relation.source_id})
MATCH (target:Entity {id: relation.target_id})
MERGE (source)-[r:$(relation.type) {id: relation.id}]->(target)
SET r = relation.properties
