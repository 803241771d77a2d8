-- +goose Up
-- The evidence locker: files stored content-addressed under the data
-- directory, and items held elsewhere (a disk image at a location, a
-- seized laptop). Same number and columns as postgres/00006_evidence.sql.
--
-- There is no custody table on purpose: every custody event (collected,
-- transferred, accessed, exported, returned, destroyed) is a timeline entry
-- of the incident, so the hash chain covers it, and the history is read
-- back from the record. This row holds only the item's current state.

CREATE TABLE evidence (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations(id),
    incident_id   TEXT NOT NULL REFERENCES incidents(id),
    number        INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    source_host   TEXT NOT NULL,
    source_person TEXT NOT NULL,
    collected_by  TEXT NOT NULL,
    collected_at  TIMESTAMP NOT NULL,
    method        TEXT NOT NULL,
    location      TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    size          INTEGER NOT NULL,
    md5           TEXT NOT NULL,
    sha1          TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    -- The SHA-256 of the stored content; NULL for items held elsewhere.
    blob          TEXT,
    custodian     TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL,
    -- EV-1, EV-2 … within an incident.
    UNIQUE (incident_id, number)
);
-- Verify and destroy look items up by stored content; indicators will
-- look evidence up by hash within an organisation.
CREATE INDEX evidence_blob ON evidence(blob);
CREATE INDEX evidence_org_sha256 ON evidence(org_id, sha256);

ALTER TABLE incidents ADD COLUMN last_evidence_number INTEGER NOT NULL DEFAULT 0;

-- +goose Down
-- Forward only.
