-- +goose Up
-- Core schema: tenants, people, incidents, roster, tasks and the record.
-- Same number and same tables/columns as postgres/00001_core.sql.

CREATE TABLE organizations (
    id           TEXT PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    timeline_seq INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    disabled_at   TIMESTAMP
);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES organizations(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    role       TEXT NOT NULL CHECK (role IN ('admin', 'responder', 'viewer')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
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
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id           TEXT PRIMARY KEY,
    scope_key    TEXT NOT NULL,
    attempted_at TIMESTAMP NOT NULL
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
    at          TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_org ON audit_log(org_id, at);

CREATE TABLE roles (
    org_id      TEXT NOT NULL REFERENCES organizations(id),
    key         TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    builtin     BOOLEAN NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, key)
);

CREATE TABLE incident_counters (
    org_id TEXT NOT NULL REFERENCES organizations(id),
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
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
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL,
    last_task_number INTEGER NOT NULL DEFAULT 0,
    last_seq         INTEGER NOT NULL DEFAULT 0,
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
    at          TIMESTAMP NOT NULL,
    set_by      TEXT NOT NULL REFERENCES users(id),
    set_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (incident_id, kind)
);

CREATE TABLE roster_assignments (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents(id),
    role_key     TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users(id),
    assigned_by  TEXT NOT NULL REFERENCES users(id),
    assigned_at  TIMESTAMP NOT NULL,
    released_by  TEXT REFERENCES users(id),
    released_at  TIMESTAMP,
    note         TEXT NOT NULL
);
CREATE INDEX roster_incident ON roster_assignments(incident_id, released_at);
CREATE INDEX roster_user ON roster_assignments(user_id, released_at);
-- One current hold per person and role; history rows are released.
CREATE UNIQUE INDEX roster_current ON roster_assignments(incident_id, role_key, user_id) WHERE released_at IS NULL;

CREATE TABLE tasks (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    number      INTEGER NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    phase       TEXT NOT NULL,
    owner_id    TEXT REFERENCES users(id),
    role_key    TEXT,
    due_at      TIMESTAMP,
    status      TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL,
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
    seq         INTEGER NOT NULL,
    org_seq     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    event_time  TIMESTAMP NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
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
