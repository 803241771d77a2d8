-- +goose Up
-- The MITRE ATT&CK technique catalogue, filled by `warroom attack import`
-- from the official Enterprise STIX bundle. It is instance-wide on
-- purpose: ATT&CK is public reference data, the same for every
-- organisation, and the operator loads one version for the whole server.
-- It holds no organisation's data, so it has no org_id. Same number and
-- columns as postgres/00007_attack.sql.
--
-- The tactics are built into the code (internal/attack/tactic.go); a
-- technique names the tactics it serves by their short names.

CREATE TABLE attack_techniques (
    -- The ATT&CK ID: T1059 or, for a sub-technique, T1059.001.
    id              TEXT PRIMARY KEY,
    stix_id         TEXT NOT NULL,
    name            TEXT NOT NULL,
    -- The parent technique of a sub-technique; '' for a technique.
    parent_id       TEXT NOT NULL,
    -- JSON array of tactic short names ("execution", …), kill-chain order.
    tactics         TEXT NOT NULL,
    is_subtechnique BOOLEAN NOT NULL,
    revoked         BOOLEAN NOT NULL,
    -- The technique that replaced a revoked one, when the bundle says.
    revoked_by      TEXT NOT NULL,
    deprecated      BOOLEAN NOT NULL,
    url             TEXT NOT NULL,
    -- The STIX object's modified time: an older bundle never overwrites a newer one.
    modified        TIMESTAMP NOT NULL,
    imported_at     TIMESTAMP NOT NULL
);

-- One row per import, so an operator can tell which ATT&CK version is loaded.
CREATE TABLE attack_imports (
    id             TEXT PRIMARY KEY,
    imported_at    TIMESTAMP NOT NULL,
    attack_version TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    techniques     INTEGER NOT NULL,
    added          INTEGER NOT NULL,
    updated        INTEGER NOT NULL,
    revoked        INTEGER NOT NULL,
    deprecated     INTEGER NOT NULL
);

-- +goose Down
-- Forward only.
