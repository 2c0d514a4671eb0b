// Delete relations, found from their source entity (indexed) rather than by a scan.
UNWIND $relations AS relation
MATCH (:Entity {id: relation.source_id})-[r {id: relation.id}]->(:Entity {id: relation.target_id})
DELETE r
