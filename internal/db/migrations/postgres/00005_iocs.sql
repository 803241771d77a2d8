-- +goose Up
-- Indicators: what analysts find in an incident (addresses, domains, URLs,
-- hashes, registry keys, ...), validated and normalised so each value is
-- stored once per incident and the same value in another incident of the
-- organisation can be found (correlation). Same number and columns as
-- sqlite/00005_iocs.sql.

CREATE TABLE iocs (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    type        TEXT NOT NULL,
    -- The normalised value (ioc.Normalize): lower-case domains and hashes,
    -- canonical IP addresses, punycode hosts, ...
    value       TEXT NOT NULL,
    tlp         TEXT NOT NULL,
    confidence  INTEGER NOT NULL,
    source      TEXT NOT NULL,
    first_seen  TIMESTAMPTZ NOT NULL,
    last_seen   TIMESTAMPTZ NOT NULL,
    tags        TEXT NOT NULL, -- JSON array of strings
    note        TEXT NOT NULL,
    -- true: an indicator of compromise; false: an artifact observed in the
    -- investigation that is not (yet) known to be malicious.
    is_ioc      BOOLEAN NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL,
    -- Adding a value the incident already has merges into the existing row.
    UNIQUE (incident_id, type, value)
);
-- Correlation: the same value in the organisation's other incidents.
CREATE INDEX iocs_org_type_value ON iocs(org_id, type, value);

-- +goose Down
-- Forward only.
