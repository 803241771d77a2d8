-- +goose Up
-- The stakeholder directory: the people an incident response has to reach,
-- inside and outside the organisation, with out-of-band channels for when
-- corporate systems are compromised. Same number and columns as
-- postgres/00003_contacts.sql.

CREATE TABLE contacts (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organizations(id),
    key               TEXT NOT NULL,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    role              TEXT NOT NULL,
    organization      TEXT NOT NULL,
    user_id           TEXT REFERENCES users(id),
    work_email        TEXT NOT NULL,
    phone             TEXT NOT NULL,
    personal_email    TEXT NOT NULL,
    signal            TEXT NOT NULL,
    out_of_band_notes TEXT NOT NULL,
    notes             TEXT NOT NULL,
    verified_at       TIMESTAMP,
    verified_by       TEXT REFERENCES users(id),
    created_by        TEXT NOT NULL REFERENCES users(id),
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL,
    -- Plans name contacts by key in their escalation levels.
    UNIQUE (org_id, key)
);
-- The directory lists by kind; the stale filter reads verified_at.
CREATE INDEX contacts_org_kind ON contacts(org_id, kind, name);
CREATE INDEX contacts_org_verified ON contacts(org_id, verified_at);

-- +goose Down
-- Forward only.
