-- +goose Up
-- SQLite has no index entry size limit, so its table keeps the unique
-- constraint on the value; this names the same index PostgreSQL's
-- 00010_ioc_long_values.sql creates (there on md5(value), which PostgreSQL
-- needs for values over about 2.7 KB), so both schemas have the same
-- named indexes.
CREATE UNIQUE INDEX iocs_incident_type_value ON iocs (incident_id, type, value);

-- +goose Down
-- Forward only.
