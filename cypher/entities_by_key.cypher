// Entities of one partition whose key or an alias key is one of $keys.
MATCH (e:Entity)
WHERE e.partition_key = $partition_key AND (e.key IN $keys OR any(k IN e.alias_keys WHERE k IN $keys))
RETURN e
