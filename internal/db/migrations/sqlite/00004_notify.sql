-- +goose Up
-- Notifications and escalation: webhook endpoints, the durable outbox that
-- delivers after commit, and pages (escalations in progress) with their
-- acknowledgement tokens. Same number, tables, columns and named indexes as
-- postgres/00004_notify.sql.

CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    name       TEXT NOT NULL,
    url        TEXT NOT NULL,
    format     TEXT NOT NULL CHECK (format IN ('generic', 'slack', 'teams', 'mattermost')),
    -- Kept in clear because every delivery is signed with it (HMAC needs
    -- the key itself); the admin sees it once, when the webhook is created.
    secret     TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE pages (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations(id),
    incident_id      TEXT NOT NULL REFERENCES incidents(id),
    source           TEXT NOT NULL,
    spec             TEXT NOT NULL,
    started_at       TIMESTAMP NOT NULL,
    -- -1 until the first level is paged.
    level            INTEGER NOT NULL,
    next_renotify_at TIMESTAMP,
    -- When the escalator must look at this page again; NULL once nothing
    -- more will be sent (acknowledged, stopped, or no schedule left).
    next_at          TIMESTAMP,
    acknowledged_at  TIMESTAMP,
    acknowledged_by  TEXT,
    ack_token_hash   TEXT NOT NULL UNIQUE,
    stopped_at       TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    -- One page per escalation source per incident, however often a plan
    -- is re-applied.
    UNIQUE (incident_id, source)
);
CREATE INDEX pages_due ON pages(next_at) WHERE next_at IS NOT NULL;
CREATE INDEX pages_incident ON pages(incident_id, started_at);

CREATE TABLE outbox (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organizations(id),
    incident_id       TEXT REFERENCES incidents(id),
    page_id           TEXT REFERENCES pages(id),
    event             TEXT NOT NULL,
    channel           TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    format            TEXT NOT NULL,
    target            TEXT NOT NULL,
    recipient         TEXT NOT NULL,
    incident_ref      TEXT NOT NULL,
    incident_title    TEXT NOT NULL,
    incident_severity TEXT NOT NULL,
    subject           TEXT NOT NULL,
    body              TEXT NOT NULL,
    link              TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts          INTEGER NOT NULL,
    max_attempts      INTEGER NOT NULL,
    next_attempt_at   TIMESTAMP NOT NULL,
    -- A worker's lease on the message while it delivers it outside any
    -- transaction; another replica may take it over only once it expires.
    locked_until      TIMESTAMP,
    locked_by         TEXT,
    last_error        TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    delivered_at      TIMESTAMP
);
-- The worker's "what is due" query reads only pending rows.
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_org ON outbox(org_id, created_at);
CREATE INDEX outbox_page ON outbox(page_id) WHERE page_id IS NOT NULL;

-- Acknowledgement tokens minted per delivery, so a token exists in clear
-- only in the message that carried it, never in the database.
CREATE TABLE ack_tokens (
    token_hash TEXT PRIMARY KEY,
    page_id    TEXT NOT NULL REFERENCES pages(id),
    outbox_id  TEXT REFERENCES outbox(id),
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
-- Forward only.
