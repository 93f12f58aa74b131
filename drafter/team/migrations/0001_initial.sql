-- drafter team store, schema version 1: members, published briefs, published posts and their LSH band keys.
-- Three group roles; every login role is a member of one. Policies name session_user (not current_user),
-- so SET ROLE to a group role cannot borrow anyone else's identity.

CREATE SCHEMA IF NOT EXISTS drafter;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'drafter_ambassador') THEN
        CREATE ROLE drafter_ambassador NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'drafter_unit') THEN
        CREATE ROLE drafter_unit NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'drafter_core') THEN
        CREATE ROLE drafter_core NOLOGIN;
    END IF;
END
$$;

-- a unit member is also an ambassador, a core member also a unit member
GRANT drafter_ambassador TO drafter_unit;
GRANT drafter_unit TO drafter_core;

REVOKE ALL ON SCHEMA drafter FROM PUBLIC;
GRANT USAGE ON SCHEMA drafter TO drafter_ambassador;

CREATE TABLE drafter.schema_version (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by name NOT NULL DEFAULT session_user
);
GRANT SELECT ON drafter.schema_version TO drafter_ambassador;

CREATE TABLE drafter.members (
    login name PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('ambassador', 'unit', 'core')),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    added_by name NOT NULL DEFAULT session_user,
    added_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON drafter.members TO drafter_ambassador;
GRANT INSERT, UPDATE, DELETE ON drafter.members TO drafter_core;

CREATE TABLE drafter.briefs (
    id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
    business_unit text NOT NULL,
    data jsonb NOT NULL,
    content_hash text NOT NULL,
    version integer NOT NULL DEFAULT 1,
    published_by name NOT NULL DEFAULT session_user,
    published_at timestamptz NOT NULL DEFAULT now(),
    -- the writing transaction: clients pull rows from the oldest transaction still open at their last sync
    txid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX briefs_txid ON drafter.briefs (txid);
GRANT SELECT ON drafter.briefs TO drafter_ambassador;
GRANT INSERT, UPDATE ON drafter.briefs TO drafter_unit;
GRANT DELETE ON drafter.briefs TO drafter_core;
ALTER TABLE drafter.briefs ENABLE ROW LEVEL SECURITY;
CREATE POLICY briefs_read ON drafter.briefs FOR SELECT TO drafter_ambassador USING (true);
CREATE POLICY briefs_publish ON drafter.briefs FOR INSERT TO drafter_unit
    WITH CHECK (published_by = session_user);
CREATE POLICY briefs_update ON drafter.briefs FOR UPDATE TO drafter_unit
    USING (published_by = session_user OR pg_has_role(session_user, 'drafter_core', 'MEMBER'))
    WITH CHECK (published_by = session_user);
CREATE POLICY briefs_delete ON drafter.briefs FOR DELETE TO drafter_core USING (true);

CREATE TABLE drafter.posts (
    id uuid PRIMARY KEY,
    author name NOT NULL DEFAULT session_user,
    published_at timestamptz NOT NULL,
    channel text,
    brief_id text,
    text text NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
    signature bytea NOT NULL CHECK (length(signature) = 512),
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX posts_brief ON drafter.posts (brief_id);
CREATE INDEX posts_author ON drafter.posts (author);
GRANT SELECT, INSERT, UPDATE, DELETE ON drafter.posts TO drafter_ambassador;
ALTER TABLE drafter.posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY posts_read ON drafter.posts FOR SELECT TO drafter_ambassador USING (true);
CREATE POLICY posts_add ON drafter.posts FOR INSERT TO drafter_ambassador WITH CHECK (author = session_user);
CREATE POLICY posts_change ON drafter.posts FOR UPDATE TO drafter_ambassador
    USING (author = session_user) WITH CHECK (author = session_user);
CREATE POLICY posts_remove ON drafter.posts FOR DELETE TO drafter_ambassador
    USING (author = session_user OR pg_has_role(session_user, 'drafter_core', 'MEMBER'));

-- one row per LSH band of a post's MinHash signature (drafter.lsh_bands: one signed 64-bit key per band).
-- The author is repeated so the policy is a plain comparison; the foreign key on (post_id, author) makes
-- sure it is the post's author.
ALTER TABLE drafter.posts ADD CONSTRAINT posts_id_author UNIQUE (id, author);
CREATE TABLE drafter.post_bands (
    post_id uuid NOT NULL,
    author name NOT NULL DEFAULT session_user,
    band smallint NOT NULL,
    key bigint NOT NULL,
    PRIMARY KEY (post_id, band),
    FOREIGN KEY (post_id, author) REFERENCES drafter.posts (id, author) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX post_bands_key ON drafter.post_bands (key) INCLUDE (post_id);
GRANT SELECT, INSERT, DELETE ON drafter.post_bands TO drafter_ambassador;
ALTER TABLE drafter.post_bands ENABLE ROW LEVEL SECURITY;
CREATE POLICY bands_read ON drafter.post_bands FOR SELECT TO drafter_ambassador USING (true);
CREATE POLICY bands_add ON drafter.post_bands FOR INSERT TO drafter_ambassador WITH CHECK (author = session_user);
CREATE POLICY bands_remove ON drafter.post_bands FOR DELETE TO drafter_ambassador
    USING (author = session_user OR pg_has_role(session_user, 'drafter_core', 'MEMBER'));
