// Relations touching the given entities, in the directions asked, optionally of some types.
UNWIND $ids AS id
MATCH (e:Entity {id: id})
WHERE ($user_id IS NULL OR e.user_id = $user_id)
  AND ($agent_id IS NULL OR e.agent_id = $agent_id)
  AND ($app_id IS NULL OR e.app_id = $app_id)
CALL (e) {
  MATCH (e)-[r]->(other:Entity)
  WHERE $outgoing AND ($types IS NULL OR type(r) IN $types)
  RETURN r, e.id AS source_id, other.id AS target_id
  UNION
  MATCH (e)<-[r]-(other:Entity)
  WHERE $incoming AND ($types IS NULL OR type(r) IN $types)
  RETURN r, other.id AS source_id, e.id AS target_id
}
RETURN DISTINCT r, type(r) AS type, source_id, target_id
