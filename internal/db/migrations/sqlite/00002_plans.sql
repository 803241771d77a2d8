-- +goose Up
-- IR plans: immutable versions per organisation, and what an incident and
-- its tasks were made from. Same number and columns as postgres/00002_plans.sql.

CREATE TABLE plans (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    plan_id     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    types       TEXT NOT NULL,
    severities  TEXT NOT NULL,
    source      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    imported_by TEXT REFERENCES users(id),
    imported_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, plan_id, version)
);

ALTER TABLE incidents ADD COLUMN plan_id TEXT;
ALTER TABLE incidents ADD COLUMN plan_version INTEGER;
ALTER TABLE tasks ADD COLUMN plan_step TEXT;
-- A plan step becomes at most one task per incident, however often the
-- plan is re-applied.
CREATE UNIQUE INDEX tasks_plan_step ON tasks(incident_id, plan_step) WHERE plan_step IS NOT NULL;

-- +goose Down
-- Forward only.
