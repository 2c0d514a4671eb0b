// Entities a scope sees whose key or an alias key is one of $keys (entity linking).
MATCH (e:Entity)
WHERE e.key IN $keys
  AND ($user_id IS NULL OR e.user_id = $user_id)
  AND ($agent_id IS NULL OR e.agent_id = $agent_id)
  AND ($app_id IS NULL OR e.app_id = $app_id)
RETURN e
UNION
MATCH (e:Entity)
WHERE e.has_aliases = true
  AND ($user_id IS NULL OR e.user_id = $user_id)
  AND ($agent_id IS NULL OR e.agent_id = $agent_id)
  AND ($app_id IS NULL OR e.app_id = $app_id)
  AND any(k IN e.alias_keys WHERE k IN $keys)
RETURN e
