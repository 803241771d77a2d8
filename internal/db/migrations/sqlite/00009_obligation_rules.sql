-- +goose Up
-- An organisation's own notification rules (contracts, insurers) for
-- internal/obligation, in the format of the built-in catalogue. One
-- document per organisation, replaced whole by an admin; kept as uploaded
-- so a download gives back the same text, comments included. Changes are
-- in the audit log (obligation_rules.replace).
-- Same number and columns as postgres/00009_obligation_rules.sql.
CREATE TABLE obligation_rules (
    org_id     TEXT PRIMARY KEY REFERENCES organizations(id),
    source     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL
);

-- The recipient a notification status was recorded for, so the status
-- still reads sensibly once its rule is gone (an organisation removed it).
ALTER TABLE obligation_status ADD COLUMN recipient TEXT NOT NULL DEFAULT '';

-- +goose Down
-- Forward only.
