-- +goose Up
-- Regulatory notification clocks (internal/obligation): the facts an
-- incident's obligations are evaluated from, and what the team has done
-- about each obligation. The rules themselves are data in the binary.
-- Same number and columns as sqlite/00008_obligations.sql.

-- One facts document per incident, as JSON in the shape of docs/obligations.md.
CREATE TABLE obligation_facts (
    incident_id TEXT PRIMARY KEY REFERENCES incidents(id),
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    facts       TEXT NOT NULL,
    updated_by  TEXT NOT NULL REFERENCES users(id),
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL
);

-- The notification status of one obligation (rule) of an incident. A rule
-- without a row has not been started.
CREATE TABLE obligation_status (
    incident_id    TEXT NOT NULL REFERENCES incidents(id),
    rule           TEXT NOT NULL,
    org_id         TEXT NOT NULL REFERENCES organizations(id),
    -- not_started, drafting, submitted, not_required
    status         TEXT NOT NULL,
    -- submitted: when, by whom (a person's name as given), the recipient's
    -- reference number and the evidence item (EV-n) holding the proof.
    submitted_at   TIMESTAMPTZ,
    submitted_by   TEXT NOT NULL,
    reference      TEXT NOT NULL,
    proof_evidence TEXT NOT NULL,
    -- not_required: why (mandatory); otherwise an optional note.
    rationale      TEXT NOT NULL,
    updated_by     TEXT NOT NULL REFERENCES users(id),
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT NOT NULL,
    PRIMARY KEY (incident_id, rule)
);

-- Reminders sent through the notification outbox at 50, 75, 90 and 100 per
-- cent of the time between the clock start and the deadline, once each per
-- deadline (a change of facts that moves the deadline starts again).
CREATE TABLE obligation_reminders (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    rule        TEXT NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL,
    threshold   INTEGER NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    sent_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (incident_id, rule, due_at, threshold)
);

-- +goose Down
-- Forward only.
