// Who works where, now.
//   :params {user_id: 'alice', agent_id: null, app_id: null}
MATCH (person:Entity)-[r:WORKS_AT]->(organization:Entity)
WHERE ($user_id IS NULL OR person.user_id = $user_id)
  AND ($agent_id IS NULL OR person.agent_id = $agent_id)
  AND ($app_id IS NULL OR person.app_id = $app_id)
  AND organization.partition_key = person.partition_key
  AND r.invalidated_at IS NULL
RETURN person.name AS person, organization.name AS organization, r.valid_from AS since
ORDER BY person, organization
