// Entities of one partition whose key or an alias key is one of $keys.
MATCH (e:Entity)
WHERE e.partition_key = $partition_key AND e.key IN $keys
RETURN e
UNION
MATCH (e:Entity)
WHERE e.has_aliases = true AND e.partition_key = $partition_key
  AND any(k IN e.alias_keys WHERE k IN $keys)
RETURN e
