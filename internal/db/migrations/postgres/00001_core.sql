-- +goose Up
-- Core schema: tenants, people, incidents, roster, tasks and the record.
-- Same number and same tables/columns as sqlite/00001_core.sql.

CREATE TABLE organizations (
    id           TEXT PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    timeline_seq BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    disabled_at   TIMESTAMPTZ
);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    role       TEXT NOT NULL CHECK (role IN ('admin', 'responder', 'viewer')),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    csrf_token   TEXT NOT NULL,
    user_agent   TEXT NOT NULL,
    remote_addr  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id           TEXT PRIMARY KEY,
    scope_key    TEXT NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_scope ON login_failures(scope_key, attempted_at);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    org_id      TEXT,
    actor_id    TEXT,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    detail      TEXT NOT NULL,
    remote_addr TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_org ON audit_log(org_id, at);

CREATE TABLE roles (
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    key         TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    builtin     BOOLEAN NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, key)
);

CREATE TABLE incident_counters (
    org_id TEXT NOT NULL REFERENCES organizations(id),
    year   BIGINT NOT NULL,
    last   BIGINT NOT NULL,
    PRIMARY KEY (org_id, year)
);

CREATE TABLE incidents (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations(id),
    ref              TEXT NOT NULL,
    title            TEXT NOT NULL,
    summary          TEXT NOT NULL,
    type             TEXT NOT NULL,
    severity         TEXT NOT NULL,
    phase            TEXT NOT NULL,
    status           TEXT NOT NULL,
    tlp              TEXT NOT NULL,
    restricted       BOOLEAN NOT NULL,
    tags             TEXT NOT NULL,
    created_by       TEXT NOT NULL REFERENCES users(id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL,
    last_task_number BIGINT NOT NULL DEFAULT 0,
    last_seq         BIGINT NOT NULL DEFAULT 0,
    head_hash        TEXT NOT NULL DEFAULT '',
    UNIQUE (org_id, ref)
);
-- One index per list order (see incident.Sorts).
CREATE INDEX incidents_org_created ON incidents(org_id, created_at DESC, id DESC);
CREATE INDEX incidents_org_severity ON incidents(org_id, severity, id DESC);
CREATE INDEX incidents_org_updated ON incidents(org_id, updated_at DESC, id DESC);

CREATE TABLE incident_milestones (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    kind        TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    set_by      TEXT NOT NULL REFERENCES users(id),
    set_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (incident_id, kind)
);

CREATE TABLE roster_assignments (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents(id),
    role_key     TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users(id),
    assigned_by  TEXT NOT NULL REFERENCES users(id),
    assigned_at  TIMESTAMPTZ NOT NULL,
    released_by  TEXT REFERENCES users(id),
    released_at  TIMESTAMPTZ,
    note         TEXT NOT NULL
);
CREATE INDEX roster_incident ON roster_assignments(incident_id, released_at);
CREATE INDEX roster_user ON roster_assignments(user_id, released_at);
-- One current hold per person and role; history rows are released.
CREATE UNIQUE INDEX roster_current ON roster_assignments(incident_id, role_key, user_id) WHERE released_at IS NULL;

CREATE TABLE tasks (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    number      BIGINT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    phase       TEXT NOT NULL,
    owner_id    TEXT REFERENCES users(id),
    role_key    TEXT,
    due_at      TIMESTAMPTZ,
    status      TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL,
    UNIQUE (incident_id, number)
);

CREATE TABLE task_dependencies (
    task_id       TEXT NOT NULL REFERENCES tasks(id),
    depends_on_id TEXT NOT NULL REFERENCES tasks(id),
    PRIMARY KEY (task_id, depends_on_id)
);

CREATE TABLE timeline_entries (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    seq         BIGINT NOT NULL,
    org_seq     BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    event_time  TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    text        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    corrects_id TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (incident_id, seq)
);
CREATE INDEX timeline_org_seq ON timeline_entries(org_id, org_seq);

-- +goose Down
-- Forward only: Warroom never rolls a released migration back.
