// Who works where, now.  :param user_id => 'alice'
MATCH (person:Entity {user_id: $user_id})-[r:WORKS_AT]->(organization:Entity)
WHERE r.invalidated_at IS NULL
RETURN person.name AS person, organization.name AS organization, r.valid_from AS since
ORDER BY person, organization
