/**
 * The PostgreSQL register's schema, as an append-only list of migrations: migration n takes the schema from version
 * n to n + 1. Never edit a released migration; add one. Each runs in one transaction with the schema_version row
 * that records it, under an advisory lock, so two servers starting at once migrate once.
 *
 * The same guarantees as the SQLite schema (./schema.ts), enforced by PostgreSQL itself so that a bug, a second
 * program or a hand-written psql session cannot break them either:
 * - an index is allocated once per list (primary key), never deleted or moved (triggers), and held by at most one
 *   credential (unique + foreign key);
 * - a credential's id, key and index never change once reserved, and an issued credential stays issued;
 * - the status history is append-only and revocation is final (triggers);
 * - a learner's salt never changes;
 * - TRUNCATE, which skips row triggers, is refused on every table that carries these rules (statement triggers).
 * A role that owns the tables can still disable triggers or drop the schema: run the service as a role that does not
 * own them (docs/register.md, "PostgreSQL").
 *
 * Times are ISO 8601 text (`Date.toISOString()`), as in the SQLite register, so both hand back identical records.
 * Functions are created with `SET search_path FROM CURRENT`, so they always act on their own schema's tables.
 */

/** Marks a schema as an issuance register (COMMENT ON SCHEMA), so that another schema is not mistaken for one. */
export const PG_SCHEMA_MARK = 'microcredentials issuance register';

export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE status_lists (
    id text PRIMARY KEY,
    purpose text NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
    size integer NOT NULL CHECK (size >= 1),
    created_at text NOT NULL,
    created_seq bigint GENERATED ALWAYS AS IDENTITY,
    -- How many indexes the list has handed out, kept by a trigger.
    allocated integer NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= size)
  );

  -- One row per register opened by a process. lock_key names the session-level advisory lock the process holds on
  -- its own connection for as long as it runs: PostgreSQL releases it when the connection ends (a crash, SIGKILL, a
  -- machine that went away once TCP keepalive notices), so "is the holder alive" has one answer on every server.
  CREATE TABLE sessions (
    id text PRIMARY KEY,
    lock_key integer NOT NULL UNIQUE CHECK (lock_key > 0),
    pid integer NOT NULL,
    host text NOT NULL,
    opened_at text NOT NULL,
    closed_at text
  );
  CREATE SEQUENCE session_lock_keys AS integer MINVALUE 1;

  CREATE TABLE allocations (
    list_id text NOT NULL REFERENCES status_lists(id),
    idx integer NOT NULL CHECK (idx >= 0),
    allocated_at text NOT NULL,
    session_id text REFERENCES sessions(id),
    PRIMARY KEY (list_id, idx)
  );

  -- A sparse Fisher-Yates shuffle of each list's indexes: positions [0, allocated) are handed out; position p >= allocated
  -- holds index free_order(p), or p itself when there is no row (as in the SQLite register).
  CREATE TABLE free_order (
    list_id text NOT NULL REFERENCES status_lists(id),
    pos integer NOT NULL CHECK (pos >= 0),
    idx integer NOT NULL CHECK (idx >= 0),
    PRIMARY KEY (list_id, pos)
  );

  CREATE TABLE issuances (
    key text PRIMARY KEY,
    roster_key text NOT NULL,
    learner_ref text NOT NULL,
    achievement_id text NOT NULL,
    credential_id text NOT NULL UNIQUE,
    state text NOT NULL CHECK (state IN ('reserved', 'issued')),
    list_id text,
    status_index integer,
    format text,
    credential_hash text CHECK (credential_hash IS NULL OR credential_hash ~ '^[0-9a-f]{64}$'),
    -- One file holds one credential.
    file text UNIQUE,
    learner_label text,
    reserved_at text NOT NULL,
    issued_at text,
    claimed_by text REFERENCES sessions(id),
    claimed_at text,
    revoked boolean NOT NULL DEFAULT false,
    suspended boolean NOT NULL DEFAULT false,
    UNIQUE (list_id, status_index),
    FOREIGN KEY (list_id, status_index) REFERENCES allocations(list_id, idx),
    CHECK ((list_id IS NULL) = (status_index IS NULL)),
    CHECK (state = 'reserved' OR (format IS NOT NULL AND credential_hash IS NOT NULL AND issued_at IS NOT NULL))
  );
  CREATE INDEX issuances_by_achievement ON issuances (achievement_id, state);
  CREATE INDEX issuances_by_state ON issuances (state);
  CREATE INDEX issuances_by_learner ON issuances (learner_ref);
  CREATE INDEX issuances_by_issued_at ON issuances (issued_at);
  CREATE INDEX issuances_revoked ON issuances (list_id) WHERE revoked;
  CREATE INDEX issuances_suspended ON issuances (list_id) WHERE suspended;

  CREATE TABLE status_changes (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credential_id text NOT NULL REFERENCES issuances(credential_id),
    purpose text NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
    value boolean NOT NULL,
    reason text NOT NULL CHECK (length(btrim(reason)) > 0),
    actor text,
    at text NOT NULL,
    session_id text REFERENCES sessions(id)
  );
  CREATE INDEX status_changes_by_credential ON status_changes (credential_id, seq);

  CREATE TABLE learner_salts (
    learner_ref text PRIMARY KEY,
    salt text NOT NULL CHECK (length(salt) >= 8),
    created_at text NOT NULL
  );

  -- Refusals, one function per rule so that the message names the rule.
  CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation'; END $$;

  CREATE FUNCTION allocation_within_list() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF NEW.idx >= (SELECT size FROM status_lists WHERE id = NEW.list_id) THEN
      RAISE EXCEPTION 'status index outside the list' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER allocations_within_list BEFORE INSERT ON allocations FOR EACH ROW EXECUTE FUNCTION allocation_within_list();
  CREATE TRIGGER allocations_never_freed BEFORE DELETE ON allocations FOR EACH ROW EXECUTE FUNCTION refuse('status indexes are never freed');
  CREATE TRIGGER allocations_never_truncated BEFORE TRUNCATE ON allocations FOR EACH STATEMENT EXECUTE FUNCTION refuse('status indexes are never freed');
  CREATE TRIGGER allocations_never_moved BEFORE UPDATE OF list_id, idx ON allocations FOR EACH ROW
    WHEN (NEW.list_id IS DISTINCT FROM OLD.list_id OR NEW.idx IS DISTINCT FROM OLD.idx) EXECUTE FUNCTION refuse('status indexes are never moved');

  -- Once per statement over its inserted rows: a row trigger would update the list's row once per index, and many
  -- updates of one row in one transaction slow down with each other.
  CREATE FUNCTION allocations_counted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    UPDATE status_lists l SET allocated = l.allocated + added.n
    FROM (SELECT list_id, count(*) AS n FROM inserted GROUP BY list_id) added WHERE l.id = added.list_id;
    RETURN NULL;
  END $$;
  CREATE TRIGGER allocations_counted AFTER INSERT ON allocations REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION allocations_counted();
  -- The counter and the shuffle only move forwards with the allocations; a list's purpose and size never change.
  CREATE TRIGGER status_lists_fixed BEFORE UPDATE ON status_lists FOR EACH ROW
    WHEN (NEW.id IS DISTINCT FROM OLD.id OR NEW.purpose IS DISTINCT FROM OLD.purpose OR NEW.size IS DISTINCT FROM OLD.size
      OR NEW.allocated < OLD.allocated) EXECUTE FUNCTION refuse('a status list keeps its id, purpose and size, and its allocations');
  CREATE TRIGGER status_lists_never_deleted BEFORE DELETE ON status_lists FOR EACH ROW EXECUTE FUNCTION refuse('status lists are never deleted');
  CREATE TRIGGER status_lists_never_truncated BEFORE TRUNCATE ON status_lists FOR EACH STATEMENT EXECUTE FUNCTION refuse('status lists are never deleted');

  CREATE TRIGGER issuances_never_deleted BEFORE DELETE ON issuances FOR EACH ROW EXECUTE FUNCTION refuse('issuances are never deleted');
  CREATE TRIGGER issuances_never_truncated BEFORE TRUNCATE ON issuances FOR EACH STATEMENT EXECUTE FUNCTION refuse('issuances are never deleted');
  CREATE TRIGGER issuances_identity_fixed BEFORE UPDATE ON issuances FOR EACH ROW
    WHEN (NEW.key IS DISTINCT FROM OLD.key OR NEW.roster_key IS DISTINCT FROM OLD.roster_key OR NEW.learner_ref IS DISTINCT FROM OLD.learner_ref
      OR NEW.achievement_id IS DISTINCT FROM OLD.achievement_id OR NEW.credential_id IS DISTINCT FROM OLD.credential_id
      OR NEW.list_id IS DISTINCT FROM OLD.list_id OR NEW.status_index IS DISTINCT FROM OLD.status_index)
    EXECUTE FUNCTION refuse('a reserved credential keeps its key, id and status index');
  CREATE TRIGGER issuances_issued_is_final BEFORE UPDATE ON issuances FOR EACH ROW
    WHEN (OLD.state = 'issued' AND (NEW.state <> 'issued' OR NEW.credential_hash IS DISTINCT FROM OLD.credential_hash))
    EXECUTE FUNCTION refuse('an issued credential stays issued, with the hash it was issued with');
  CREATE TRIGGER issuances_revocation_is_final BEFORE UPDATE ON issuances FOR EACH ROW
    WHEN (OLD.revoked AND NOT NEW.revoked) EXECUTE FUNCTION refuse('revocation is final');

  -- The current status columns on issuances are derived from the history here, in the same transaction.
  CREATE FUNCTION status_change_apply() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    UPDATE issuances SET
      revoked = CASE WHEN NEW.purpose = 'revocation' THEN NEW.value ELSE revoked END,
      suspended = CASE WHEN NEW.purpose = 'suspension' THEN NEW.value ELSE suspended END
    WHERE credential_id = NEW.credential_id;
    RETURN NULL;
  END $$;
  CREATE TRIGGER status_changes_apply AFTER INSERT ON status_changes FOR EACH ROW EXECUTE FUNCTION status_change_apply();
  CREATE TRIGGER status_changes_never_updated BEFORE UPDATE ON status_changes FOR EACH ROW EXECUTE FUNCTION refuse('the status history is append-only');
  CREATE TRIGGER status_changes_never_deleted BEFORE DELETE ON status_changes FOR EACH ROW EXECUTE FUNCTION refuse('the status history is append-only');
  CREATE TRIGGER status_changes_never_truncated BEFORE TRUNCATE ON status_changes FOR EACH STATEMENT EXECUTE FUNCTION refuse('the status history is append-only');

  -- A changed salt would give the learner's next credential a hash that no longer links to the earlier ones.
  CREATE TRIGGER learner_salts_fixed BEFORE UPDATE ON learner_salts FOR EACH ROW EXECUTE FUNCTION refuse('a learner keeps their salt');
  CREATE TRIGGER learner_salts_never_deleted BEFORE DELETE ON learner_salts FOR EACH ROW EXECUTE FUNCTION refuse('a learner keeps their salt');
  CREATE TRIGGER learner_salts_never_truncated BEFORE TRUNCATE ON learner_salts FOR EACH STATEMENT EXECUTE FUNCTION refuse('a learner keeps their salt');

  -- One step of the shuffle, in one round trip: takes the list's row lock (so allocations of one list are serial
  -- across every server), picks position allocated + floor(draw * free) with the caller's uniform draw in [0, 1) from
  -- node:crypto (PostgreSQL's random() is not unpredictable), swaps it into place and records the allocation.
  CREATE FUNCTION allocate_index(p_list text, p_draw double precision, p_session text, p_at text) RETURNS integer
  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  DECLARE
    l status_lists%ROWTYPE;
    pick integer;
    picked integer;
    at_taken integer;
  BEGIN
    SELECT * INTO l FROM status_lists WHERE id = p_list FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION 'no status list %', p_list USING ERRCODE = 'no_data_found'; END IF;
    IF l.allocated >= l.size THEN RAISE EXCEPTION 'status list % is full', p_list USING ERRCODE = 'program_limit_exceeded'; END IF;
    IF p_draw IS NULL OR p_draw < 0 OR p_draw >= 1 THEN RAISE EXCEPTION 'draw outside [0, 1)' USING ERRCODE = 'invalid_parameter_value'; END IF;
    pick := l.allocated + floor(p_draw * (l.size - l.allocated))::integer;
    SELECT idx INTO picked FROM free_order WHERE list_id = p_list AND pos = pick;
    picked := COALESCE(picked, pick);
    IF pick <> l.allocated THEN
      SELECT idx INTO at_taken FROM free_order WHERE list_id = p_list AND pos = l.allocated;
      INSERT INTO free_order (list_id, pos, idx) VALUES (p_list, pick, COALESCE(at_taken, l.allocated))
        ON CONFLICT (list_id, pos) DO UPDATE SET idx = excluded.idx;
    END IF;
    DELETE FROM free_order WHERE list_id = p_list AND pos = l.allocated;
    -- The primary key stays the last word: an index inserted by hand outside the shuffle makes this fail, never reuse.
    INSERT INTO allocations (list_id, idx, allocated_at, session_id) VALUES (p_list, picked, p_at, p_session);
    RETURN picked;
  END $$;
  `,
  // 2: every identifier of a learner linked to one learner reference (see the SQLite schema's migration 4).
  `
  CREATE TABLE learner_links (
    ref text PRIMARY KEY,
    learner_ref text NOT NULL,
    created_at text NOT NULL
  );
  CREATE FUNCTION learner_link_to_a_learner() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF NEW.learner_ref <> NEW.ref AND NOT EXISTS (SELECT 1 FROM learner_links WHERE ref = NEW.learner_ref AND learner_ref = NEW.learner_ref) THEN
      RAISE EXCEPTION 'an identifier links only to a learner' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER learner_links_to_a_learner BEFORE INSERT ON learner_links FOR EACH ROW EXECUTE FUNCTION learner_link_to_a_learner();
  CREATE TRIGGER learner_links_fixed BEFORE UPDATE ON learner_links FOR EACH ROW EXECUTE FUNCTION refuse('a learner''s identifiers stay linked');
  CREATE TRIGGER learner_links_never_deleted BEFORE DELETE ON learner_links FOR EACH ROW EXECUTE FUNCTION refuse('a learner''s identifiers stay linked');
  CREATE TRIGGER learner_links_never_truncated BEFORE TRUNCATE ON learner_links FOR EACH STATEMENT EXECUTE FUNCTION refuse('a learner''s identifiers stay linked');
  `,
  // 3: the workspace the register belongs to, and each status list publication (see the SQLite schema's migration 4).
  `
  CREATE TABLE workspace_binding (
    one integer PRIMARY KEY CHECK (one = 1),
    workspace_id text NOT NULL CHECK (length(workspace_id) > 0),
    issuer text NOT NULL CHECK (length(issuer) > 0),
    bound_at text NOT NULL
  );
  CREATE TRIGGER workspace_binding_fixed BEFORE UPDATE ON workspace_binding FOR EACH ROW EXECUTE FUNCTION refuse('a register belongs to one workspace');
  CREATE TRIGGER workspace_binding_never_deleted BEFORE DELETE ON workspace_binding FOR EACH ROW EXECUTE FUNCTION refuse('a register belongs to one workspace');
  CREATE TRIGGER workspace_binding_never_truncated BEFORE TRUNCATE ON workspace_binding FOR EACH STATEMENT EXECUTE FUNCTION refuse('a register belongs to one workspace');

  CREATE TABLE publications (
    seq bigserial PRIMARY KEY,
    list_id text NOT NULL REFERENCES status_lists(id),
    published_at text NOT NULL,
    valid_until text,
    set_count integer NOT NULL CHECK (set_count >= 0),
    sha256 text NOT NULL CHECK (length(sha256) = 64)
  );
  CREATE INDEX publications_by_list ON publications (list_id, seq);
  CREATE TRIGGER publications_never_changed BEFORE UPDATE ON publications FOR EACH ROW EXECUTE FUNCTION refuse('the publication history is append-only');
  CREATE TRIGGER publications_never_deleted BEFORE DELETE ON publications FOR EACH ROW EXECUTE FUNCTION refuse('the publication history is append-only');
  CREATE TRIGGER publications_never_truncated BEFORE TRUNCATE ON publications FOR EACH STATEMENT EXECUTE FUNCTION refuse('the publication history is append-only');
  `,
  // 4: the issuing service's offers, access tokens and bearer tokens (see the SQLite schema's migration 6).
  `
  CREATE TABLE offers (
    code_sha256 text PRIMARY KEY CHECK (length(code_sha256) = 64),
    body text NOT NULL,
    expires_at text NOT NULL,
    created_at text NOT NULL,
    wrong_tx_codes integer NOT NULL DEFAULT 0 CHECK (wrong_tx_codes >= 0),
    burnt boolean NOT NULL DEFAULT false,
    redeemed_at text
  );
  CREATE FUNCTION offer_kept() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF NEW.code_sha256 IS DISTINCT FROM OLD.code_sha256 OR NEW.body IS DISTINCT FROM OLD.body
      OR NEW.expires_at IS DISTINCT FROM OLD.expires_at OR NEW.created_at IS DISTINCT FROM OLD.created_at
      OR NEW.wrong_tx_codes < OLD.wrong_tx_codes OR (OLD.burnt AND NOT NEW.burnt)
      OR (OLD.redeemed_at IS NOT NULL AND NEW.redeemed_at IS DISTINCT FROM OLD.redeemed_at)
      OR (OLD.redeemed_at IS NULL AND NEW.redeemed_at IS NOT NULL AND OLD.burnt) THEN
      RAISE EXCEPTION 'an offer is redeemed once and its history only grows' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER offers_kept BEFORE UPDATE ON offers FOR EACH ROW EXECUTE FUNCTION offer_kept();
  CREATE TRIGGER offers_never_deleted BEFORE DELETE ON offers FOR EACH ROW EXECUTE FUNCTION refuse('an offer is redeemed once and its history only grows');
  CREATE TRIGGER offers_never_truncated BEFORE TRUNCATE ON offers FOR EACH STATEMENT EXECUTE FUNCTION refuse('an offer is redeemed once and its history only grows');

  CREATE TABLE offer_access_tokens (
    token_sha256 text PRIMARY KEY CHECK (length(token_sha256) = 64),
    code_sha256 text NOT NULL UNIQUE REFERENCES offers(code_sha256),
    expires_at text NOT NULL
  );
  CREATE TRIGGER offer_access_tokens_fixed BEFORE UPDATE ON offer_access_tokens FOR EACH ROW EXECUTE FUNCTION refuse('an offer is redeemed once and its history only grows');
  CREATE TRIGGER offer_access_tokens_never_deleted BEFORE DELETE ON offer_access_tokens FOR EACH ROW EXECUTE FUNCTION refuse('an offer is redeemed once and its history only grows');
  CREATE TRIGGER offer_access_tokens_never_truncated BEFORE TRUNCATE ON offer_access_tokens FOR EACH STATEMENT EXECUTE FUNCTION refuse('an offer is redeemed once and its history only grows');

  CREATE TABLE service_tokens (
    id text PRIMARY KEY,
    sha256 text NOT NULL UNIQUE CHECK (length(sha256) = 64),
    label text,
    created_at text NOT NULL,
    revoked_at text
  );
  CREATE FUNCTION service_token_revoked_once() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.sha256 IS DISTINCT FROM OLD.sha256
      OR NEW.label IS DISTINCT FROM OLD.label OR NEW.created_at IS DISTINCT FROM OLD.created_at
      OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) THEN
      RAISE EXCEPTION 'a service token is only ever revoked' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER service_tokens_revoked_once BEFORE UPDATE ON service_tokens FOR EACH ROW EXECUTE FUNCTION service_token_revoked_once();
  CREATE TRIGGER service_tokens_never_deleted BEFORE DELETE ON service_tokens FOR EACH ROW EXECUTE FUNCTION refuse('a service token is only ever revoked');
  CREATE TRIGGER service_tokens_never_truncated BEFORE TRUNCATE ON service_tokens FOR EACH STATEMENT EXECUTE FUNCTION refuse('a service token is only ever revoked');
  `,
  // 5: the bytes handed out for each issued credential (see the SQLite schema's migration 9). Here the database
  // also checks them against the issuance's credential_hash as they are inserted; the code checks again on reading.
  `
  CREATE TABLE issued_credentials (
    credential_id text PRIMARY KEY REFERENCES issuances(credential_id),
    bytes bytea NOT NULL
  );
  CREATE FUNCTION issued_credential_matches() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM issuances WHERE credential_id = NEW.credential_id AND state = 'issued'
      AND credential_hash = encode(sha256(NEW.bytes), 'hex')) THEN
      RAISE EXCEPTION 'only an issued credential has its bytes kept, and they are the bytes whose SHA-256 was recorded'
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER issued_credentials_match BEFORE INSERT ON issued_credentials FOR EACH ROW EXECUTE FUNCTION issued_credential_matches();
  CREATE TRIGGER issued_credentials_fixed BEFORE UPDATE ON issued_credentials FOR EACH ROW EXECUTE FUNCTION refuse('an issued credential keeps the bytes it was issued with');
  CREATE TRIGGER issued_credentials_never_deleted BEFORE DELETE ON issued_credentials FOR EACH ROW EXECUTE FUNCTION refuse('an issued credential keeps the bytes it was issued with');
  CREATE TRIGGER issued_credentials_never_truncated BEFORE TRUNCATE ON issued_credentials FOR EACH STATEMENT EXECUTE FUNCTION refuse('an issued credential keeps the bytes it was issued with');
  `,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;
