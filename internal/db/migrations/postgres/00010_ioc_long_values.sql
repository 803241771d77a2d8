-- +goose Up
-- A PostgreSQL btree entry holds at most about 2.7 KB, but an indicator's
-- value may be up to 4096 bytes (long "other" values, STIX patterns): the
-- unique constraint and the correlation index on the value itself refused
-- such rows with an error. Both now index md5(value), which is short. The
-- queries still compare the value itself, so two values crafted to share
-- an MD5 are never merged: adding the second fails instead. Same number as
-- sqlite/00010_ioc_long_values.sql.
ALTER TABLE iocs DROP CONSTRAINT IF EXISTS iocs_incident_id_type_value_key;
CREATE UNIQUE INDEX iocs_incident_type_value ON iocs (incident_id, type, md5(value));
DROP INDEX IF EXISTS iocs_org_type_value;
CREATE INDEX iocs_org_type_value ON iocs (org_id, type, md5(value));

-- +goose Down
-- Forward only.
