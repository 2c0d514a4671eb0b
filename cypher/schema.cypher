// Constraints and indexes graphmem creates at start-up (idempotent). Statements end in ";".
CREATE CONSTRAINT graphmem_entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;
CREATE INDEX graphmem_entity_key IF NOT EXISTS FOR (e:Entity) ON (e.partition_key, e.key);
CREATE INDEX graphmem_entity_partition IF NOT EXISTS FOR (e:Entity) ON (e.partition_key);
CREATE INDEX graphmem_entity_user IF NOT EXISTS FOR (e:Entity) ON (e.user_id);
CREATE INDEX graphmem_entity_agent IF NOT EXISTS FOR (e:Entity) ON (e.agent_id);
CREATE INDEX graphmem_entity_app IF NOT EXISTS FOR (e:Entity) ON (e.app_id);
CREATE INDEX graphmem_entity_name_key IF NOT EXISTS FOR (e:Entity) ON (e.key);
CREATE INDEX graphmem_entity_has_aliases IF NOT EXISTS FOR (e:Entity) ON (e.has_aliases);
