// Delete entities by id, with every relation that touches them.
UNWIND $ids AS id
MATCH (e:Entity {id: id})
DETACH DELETE e
