// Create or replace entities; the type label is dynamic (Cypher 5.26), validated before.
UNWIND $entities AS entity
MERGE (e:Entity {id: entity.id})
WITH e, entity, [label IN labels(e) WHERE label <> 'Entity'] AS old_labels
REMOVE e:$(old_labels)
SET e = entity.properties, e:$(entity.type)
