/**
 * The SQLite register's schema, as an append-only list of migrations: migration n takes the schema from version
 * n to n + 1. Never edit a released migration; add one.
 *
 * The invariants that protect learners are enforced by the database itself, not only by the code that writes it,
 * so that a bug, a second program or a hand-written SQL session cannot break them either:
 * - an index is allocated once per list (primary key), never deleted or moved (triggers), and held by at most one
 *   credential (unique + foreign key);
 * - a credential's id, key and index never change once reserved;
 * - the status history is append-only and revocation is final (triggers).
 */

/** `PRAGMA application_id`: marks the file as a register, so that another SQLite file is not mistaken for one. */
export const APPLICATION_ID = 0x4d435247; // 'MCRG'

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE status_lists (
    id TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
    size INTEGER NOT NULL CHECK (size >= 1),
    created_at TEXT NOT NULL
  ) STRICT;

  -- One row per process that opened the register: lets a later run tell a crashed batch from a running one.
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT
  ) STRICT;

  CREATE TABLE allocations (
    list_id TEXT NOT NULL REFERENCES status_lists(id),
    idx INTEGER NOT NULL CHECK (idx >= 0),
    allocated_at TEXT NOT NULL,
    session_id TEXT REFERENCES sessions(id),
    PRIMARY KEY (list_id, idx)
  ) STRICT, WITHOUT ROWID;

  CREATE TRIGGER allocations_within_list BEFORE INSERT ON allocations
  WHEN NEW.idx >= (SELECT size FROM status_lists WHERE id = NEW.list_id)
  BEGIN SELECT RAISE(ABORT, 'status index outside the list'); END;
  CREATE TRIGGER allocations_never_freed BEFORE DELETE ON allocations
  BEGIN SELECT RAISE(ABORT, 'status indexes are never freed'); END;
  CREATE TRIGGER allocations_never_moved BEFORE UPDATE OF list_id, idx ON allocations
  BEGIN SELECT RAISE(ABORT, 'status indexes are never moved'); END;

  CREATE TABLE issuances (
    key TEXT PRIMARY KEY,
    roster_key TEXT NOT NULL,
    learner_ref TEXT NOT NULL,
    achievement_id TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('reserved', 'issued')),
    list_id TEXT,
    status_index INTEGER,
    format TEXT,
    credential_hash TEXT CHECK (credential_hash IS NULL OR (length(credential_hash) = 64 AND credential_hash NOT GLOB '*[^0-9a-f]*')),
    file TEXT,
    reserved_at TEXT NOT NULL,
    issued_at TEXT,
    claimed_by TEXT REFERENCES sessions(id),
    claimed_at TEXT,
    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    UNIQUE (list_id, status_index),
    FOREIGN KEY (list_id, status_index) REFERENCES allocations(list_id, idx),
    CHECK ((list_id IS NULL) = (status_index IS NULL)),
    CHECK (state = 'reserved' OR (format IS NOT NULL AND credential_hash IS NOT NULL AND issued_at IS NOT NULL))
  ) STRICT;
  CREATE INDEX issuances_by_achievement ON issuances(achievement_id, state);
  CREATE INDEX issuances_by_state ON issuances(state);

  CREATE TRIGGER issuances_never_deleted BEFORE DELETE ON issuances
  BEGIN SELECT RAISE(ABORT, 'issuances are never deleted'); END;
  CREATE TRIGGER issuances_identity_fixed BEFORE UPDATE OF key, roster_key, learner_ref, achievement_id, credential_id, list_id, status_index ON issuances
  WHEN NEW.key IS NOT OLD.key OR NEW.roster_key IS NOT OLD.roster_key OR NEW.learner_ref IS NOT OLD.learner_ref
    OR NEW.achievement_id IS NOT OLD.achievement_id OR NEW.credential_id IS NOT OLD.credential_id
    OR NEW.list_id IS NOT OLD.list_id OR NEW.status_index IS NOT OLD.status_index
  BEGIN SELECT RAISE(ABORT, 'a reserved credential keeps its key, id and status index'); END;
  CREATE TRIGGER issuances_issued_is_final BEFORE UPDATE OF state ON issuances
  WHEN OLD.state = 'issued' AND NEW.state <> 'issued'
  BEGIN SELECT RAISE(ABORT, 'an issued credential stays issued'); END;
  CREATE TRIGGER issuances_revocation_is_final BEFORE UPDATE OF revoked ON issuances
  WHEN OLD.revoked = 1 AND NEW.revoked = 0
  BEGIN SELECT RAISE(ABORT, 'revocation is final'); END;

  CREATE TABLE status_changes (
    seq INTEGER PRIMARY KEY,
    credential_id TEXT NOT NULL REFERENCES issuances(credential_id),
    purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
    value INTEGER NOT NULL CHECK (value IN (0, 1)),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    actor TEXT,
    at TEXT NOT NULL,
    session_id TEXT REFERENCES sessions(id)
  ) STRICT;
  CREATE INDEX status_changes_by_credential ON status_changes(credential_id, seq);

  -- The current status columns on issuances are derived from the history here, in the same transaction.
  CREATE TRIGGER status_changes_apply AFTER INSERT ON status_changes
  BEGIN
    UPDATE issuances SET
      revoked = CASE WHEN NEW.purpose = 'revocation' THEN NEW.value ELSE revoked END,
      suspended = CASE WHEN NEW.purpose = 'suspension' THEN NEW.value ELSE suspended END
    WHERE credential_id = NEW.credential_id;
  END;
  CREATE TRIGGER status_changes_never_updated BEFORE UPDATE ON status_changes
  BEGIN SELECT RAISE(ABORT, 'the status history is append-only'); END;
  CREATE TRIGGER status_changes_never_deleted BEFORE DELETE ON status_changes
  BEGIN SELECT RAISE(ABORT, 'the status history is append-only'); END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
