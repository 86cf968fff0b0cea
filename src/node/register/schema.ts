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
  // 2: constant-time allocation at any fill level, one file per credential, learner labels, list/find indexes.
  `
  -- How many indexes each list has handed out, kept by a trigger: COUNT(*) over allocations grew with the register.
  ALTER TABLE status_lists ADD COLUMN allocated INTEGER NOT NULL DEFAULT 0;
  UPDATE status_lists SET allocated = (SELECT COUNT(*) FROM allocations a WHERE a.list_id = status_lists.id);
  CREATE TRIGGER allocations_counted AFTER INSERT ON allocations
  BEGIN UPDATE status_lists SET allocated = allocated + 1 WHERE id = NEW.list_id; END;

  -- A sparse Fisher-Yates shuffle of each list's indexes: positions [0, allocated) are handed out; position p >= allocated
  -- holds index free_order(p), or p itself when there is no row. Allocating swaps a uniformly chosen free position
  -- into place, so a pick is uniform over the free indexes and costs a few B-tree lookups at any fill level.
  CREATE TABLE free_order (
    list_id TEXT NOT NULL REFERENCES status_lists(id),
    pos INTEGER NOT NULL CHECK (pos >= 0),
    idx INTEGER NOT NULL CHECK (idx >= 0),
    PRIMARY KEY (list_id, pos)
  ) STRICT, WITHOUT ROWID;

  -- A masked, human-readable hint of who the learner is (e.g. "m***@example.ee"); the learner_ref is a keyed hash.
  ALTER TABLE issuances ADD COLUMN learner_label TEXT;
  CREATE INDEX issuances_by_learner ON issuances(learner_ref);
  CREATE INDEX issuances_by_file ON issuances(file);
  CREATE INDEX issuances_by_issued_at ON issuances(issued_at);
  -- One file holds one credential: a second credential recorded against a path already in the register is refused.
  -- (A trigger, not a unique index, so that a register written before this rule still opens.)
  CREATE TRIGGER issuances_one_file_one_credential BEFORE UPDATE OF file ON issuances
  WHEN NEW.file IS NOT NULL AND EXISTS (SELECT 1 FROM issuances WHERE file = NEW.file AND key <> NEW.key)
  BEGIN SELECT RAISE(ABORT, 'another credential is already recorded at this file'); END;
  `,
  // 3: one salt per learner (docs/stacks.md), kept under the keyed learner reference: every credential the register
  // awards to the learner hashes their identifiers with it, so a verifier can link the learner's stack.
  `
  CREATE TABLE learner_salts (
    learner_ref TEXT PRIMARY KEY,
    salt TEXT NOT NULL CHECK (length(salt) >= 8),
    created_at TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;
  -- A changed salt would give the learner's next credential a hash that no longer links to the earlier ones.
  CREATE TRIGGER learner_salts_fixed BEFORE UPDATE ON learner_salts
  BEGIN SELECT RAISE(ABORT, 'a learner keeps their salt'); END;
  CREATE TRIGGER learner_salts_never_deleted BEFORE DELETE ON learner_salts
  BEGIN SELECT RAISE(ABORT, 'a learner keeps their salt'); END;
  `,
  // 4: the workspace the register belongs to, so that a register file from another workspace (or an empty one taken
  // for new) is refused at open; and each status list publication, so that a publish that would clear a revocation
  // bit (a register restored from an old backup, another office's register) is noticed.
  `
  CREATE TABLE workspace_binding (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    workspace_id TEXT NOT NULL CHECK (length(workspace_id) > 0),
    issuer TEXT NOT NULL CHECK (length(issuer) > 0),
    bound_at TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER workspace_binding_fixed BEFORE UPDATE ON workspace_binding
  BEGIN SELECT RAISE(ABORT, 'a register belongs to one workspace'); END;
  CREATE TRIGGER workspace_binding_never_deleted BEFORE DELETE ON workspace_binding
  BEGIN SELECT RAISE(ABORT, 'a register belongs to one workspace'); END;

  CREATE TABLE publications (
    seq INTEGER PRIMARY KEY,
    list_id TEXT NOT NULL REFERENCES status_lists(id),
    published_at TEXT NOT NULL,
    valid_until TEXT,
    set_count INTEGER NOT NULL CHECK (set_count >= 0),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64)
  ) STRICT;
  CREATE INDEX publications_by_list ON publications(list_id, seq);
  CREATE TRIGGER publications_never_changed BEFORE UPDATE ON publications
  BEGIN SELECT RAISE(ABORT, 'the publication history is append-only'); END;
  CREATE TRIGGER publications_never_deleted BEFORE DELETE ON publications
  BEGIN SELECT RAISE(ABORT, 'the publication history is append-only'); END;
  `,
  // 5: every identifier of a learner (e-mail, student number, national id, DID) linked to one learner reference, so
  // a later row with any of them, or a subset, is the same learner. A learner's own reference links to itself, and
  // a link may only point to such a reference (one level, no chains).
  `
  CREATE TABLE learner_links (
    ref TEXT PRIMARY KEY,
    learner_ref TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE TRIGGER learner_links_to_a_learner BEFORE INSERT ON learner_links
  WHEN NEW.learner_ref <> NEW.ref AND NOT EXISTS (SELECT 1 FROM learner_links WHERE ref = NEW.learner_ref AND learner_ref = NEW.learner_ref)
  BEGIN SELECT RAISE(ABORT, 'an identifier links only to a learner'); END;
  CREATE TRIGGER learner_links_fixed BEFORE UPDATE ON learner_links
  BEGIN SELECT RAISE(ABORT, 'a learner''s identifiers stay linked'); END;
  CREATE TRIGGER learner_links_never_deleted BEFORE DELETE ON learner_links
  BEGIN SELECT RAISE(ABORT, 'a learner''s identifiers stay linked'); END;
  `,
  // 6: the issuing service's credential offers, the access tokens given for them and its bearer tokens, so that every
  // server using the register agrees: an offer is redeemed once on any of them, a revoked token is refused by all.
  // Hashes only. An offer is never deleted and never redeemed twice; wrong transaction codes only add up; a burnt
  // offer stays burnt; a revoked token stays revoked.
  `
  CREATE TABLE offers (
    code_sha256 TEXT PRIMARY KEY CHECK (length(code_sha256) = 64),
    body TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    wrong_tx_codes INTEGER NOT NULL DEFAULT 0 CHECK (wrong_tx_codes >= 0),
    burnt INTEGER NOT NULL DEFAULT 0 CHECK (burnt IN (0, 1)),
    redeemed_at TEXT
  ) STRICT, WITHOUT ROWID;
  CREATE TRIGGER offers_kept BEFORE UPDATE ON offers
  WHEN NEW.code_sha256 IS NOT OLD.code_sha256 OR NEW.body IS NOT OLD.body OR NEW.expires_at IS NOT OLD.expires_at
    OR NEW.created_at IS NOT OLD.created_at OR NEW.wrong_tx_codes < OLD.wrong_tx_codes OR NEW.burnt < OLD.burnt
    OR (OLD.redeemed_at IS NOT NULL AND NEW.redeemed_at IS NOT OLD.redeemed_at)
    OR (OLD.redeemed_at IS NULL AND NEW.redeemed_at IS NOT NULL AND OLD.burnt = 1)
  BEGIN SELECT RAISE(ABORT, 'an offer is redeemed once and its history only grows'); END;
  CREATE TRIGGER offers_never_deleted BEFORE DELETE ON offers
  BEGIN SELECT RAISE(ABORT, 'an offer is redeemed once and its history only grows'); END;

  CREATE TABLE offer_access_tokens (
    token_sha256 TEXT PRIMARY KEY CHECK (length(token_sha256) = 64),
    code_sha256 TEXT NOT NULL UNIQUE REFERENCES offers(code_sha256),
    expires_at TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE TRIGGER offer_access_tokens_fixed BEFORE UPDATE ON offer_access_tokens
  BEGIN SELECT RAISE(ABORT, 'an offer is redeemed once and its history only grows'); END;
  CREATE TRIGGER offer_access_tokens_never_deleted BEFORE DELETE ON offer_access_tokens
  BEGIN SELECT RAISE(ABORT, 'an offer is redeemed once and its history only grows'); END;

  CREATE TABLE service_tokens (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    label TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  ) STRICT, WITHOUT ROWID;
  CREATE TRIGGER service_tokens_revoked_once BEFORE UPDATE ON service_tokens
  WHEN NEW.id IS NOT OLD.id OR NEW.sha256 IS NOT OLD.sha256 OR NEW.label IS NOT OLD.label
    OR NEW.created_at IS NOT OLD.created_at OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS NOT OLD.revoked_at)
  BEGIN SELECT RAISE(ABORT, 'a service token is only ever revoked'); END;
  CREATE TRIGGER service_tokens_never_deleted BEFORE DELETE ON service_tokens
  BEGIN SELECT RAISE(ABORT, 'a service token is only ever revoked'); END;
  `,
  // 7: INSERT OR REPLACE deletes the row in its way without firing its delete trigger (SQLite fires it only with
  // recursive_triggers on, a setting of the connection that any other program leaves off), so it would un-revoke a
  // credential, rewrite its status history, un-redeem an offer, un-burn it or un-revoke a token. A row of these
  // tables is inserted only where none has its key. (Tables written with ON CONFLICT DO NOTHING keep their
  // update and delete triggers only.)
  `
  CREATE TRIGGER issuances_not_replaced BEFORE INSERT ON issuances
  WHEN EXISTS (SELECT 1 FROM issuances WHERE key = NEW.key OR credential_id = NEW.credential_id
    OR (NEW.list_id IS NOT NULL AND list_id = NEW.list_id AND status_index = NEW.status_index))
  BEGIN SELECT RAISE(ABORT, 'a credential is never deleted'); END;
  CREATE TRIGGER status_changes_not_replaced BEFORE INSERT ON status_changes
  WHEN EXISTS (SELECT 1 FROM status_changes WHERE seq = NEW.seq)
  BEGIN SELECT RAISE(ABORT, 'the status history is append-only'); END;
  CREATE TRIGGER publications_not_replaced BEFORE INSERT ON publications
  WHEN EXISTS (SELECT 1 FROM publications WHERE seq = NEW.seq)
  BEGIN SELECT RAISE(ABORT, 'the publication history is append-only'); END;

  CREATE TRIGGER offers_not_replaced BEFORE INSERT ON offers
  WHEN EXISTS (SELECT 1 FROM offers WHERE code_sha256 = NEW.code_sha256)
  BEGIN SELECT RAISE(ABORT, 'an offer is redeemed once and its history only grows'); END;
  CREATE TRIGGER offer_access_tokens_not_replaced BEFORE INSERT ON offer_access_tokens
  WHEN EXISTS (SELECT 1 FROM offer_access_tokens WHERE token_sha256 = NEW.token_sha256 OR code_sha256 = NEW.code_sha256)
  BEGIN SELECT RAISE(ABORT, 'an offer is redeemed once and its history only grows'); END;
  CREATE TRIGGER service_tokens_not_replaced BEFORE INSERT ON service_tokens
  WHEN EXISTS (SELECT 1 FROM service_tokens WHERE id = NEW.id OR sha256 = NEW.sha256)
  BEGIN SELECT RAISE(ABORT, 'a service token is only ever revoked'); END;
  `,
  // 8: the same for the tables written with ON CONFLICT DO NOTHING, where an insert meeting its own row must stay
  // harmless: an insert is refused only when a row with its key holds other values (REPLACE would change a learner's
  // salt, re-link an identifier to another learner, or rebind the register to another workspace).
  `
  CREATE TRIGGER learner_salts_not_replaced BEFORE INSERT ON learner_salts
  WHEN EXISTS (SELECT 1 FROM learner_salts WHERE learner_ref = NEW.learner_ref AND salt IS NOT NEW.salt)
  BEGIN SELECT RAISE(ABORT, 'a learner keeps their salt'); END;
  CREATE TRIGGER learner_links_not_replaced BEFORE INSERT ON learner_links
  WHEN EXISTS (SELECT 1 FROM learner_links WHERE ref = NEW.ref AND learner_ref IS NOT NEW.learner_ref)
  BEGIN SELECT RAISE(ABORT, 'a learner''s identifiers stay linked'); END;
  CREATE TRIGGER workspace_binding_not_replaced BEFORE INSERT ON workspace_binding
  WHEN EXISTS (SELECT 1 FROM workspace_binding WHERE one = NEW.one
    AND (workspace_id IS NOT NEW.workspace_id OR issuer IS NOT NEW.issuer))
  BEGIN SELECT RAISE(ABORT, 'a register belongs to one workspace'); END;
  `,
  // 9: the bytes handed out for each issued credential, so that a retried issue is answered with them by any server,
  // whether or not its issued/ folder holds the file (docs/service.md, "Several servers"). Written in the same
  // transaction as the completion, only for an issued credential, never changed or removed. Their SHA-256 is checked
  // against the issuance's credential_hash by the code that writes and reads them (SQLite has no SHA-256 of its own).
  // Rows completed before this version have none: their file stays the only copy.
  `
  CREATE TABLE issued_credentials (
    credential_id TEXT PRIMARY KEY REFERENCES issuances(credential_id),
    bytes BLOB NOT NULL
  ) STRICT;
  CREATE TRIGGER issued_credentials_of_issued BEFORE INSERT ON issued_credentials
  WHEN NOT EXISTS (SELECT 1 FROM issuances WHERE credential_id = NEW.credential_id AND state = 'issued')
  BEGIN SELECT RAISE(ABORT, 'only an issued credential has its bytes kept'); END;
  CREATE TRIGGER issued_credentials_not_replaced BEFORE INSERT ON issued_credentials
  WHEN EXISTS (SELECT 1 FROM issued_credentials WHERE credential_id = NEW.credential_id)
  BEGIN SELECT RAISE(ABORT, 'an issued credential keeps the bytes it was issued with'); END;
  CREATE TRIGGER issued_credentials_fixed BEFORE UPDATE ON issued_credentials
  BEGIN SELECT RAISE(ABORT, 'an issued credential keeps the bytes it was issued with'); END;
  CREATE TRIGGER issued_credentials_never_deleted BEFORE DELETE ON issued_credentials
  BEGIN SELECT RAISE(ABORT, 'an issued credential keeps the bytes it was issued with'); END;
  `,
];

/** Schema versions after which {@link migrate} runs a step in code (data that SQL alone cannot rebuild). */
export const FREE_ORDER_VERSION = 2;

export const SCHEMA_VERSION = MIGRATIONS.length;
