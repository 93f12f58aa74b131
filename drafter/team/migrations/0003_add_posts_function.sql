-- drafter team store, schema version 3: posts and their band keys go in through one function.
--
-- Up to version 2 a client inserted a batch of posts and then one row per band (32 per post) itself;
-- row-level security checked each band row's author and a foreign key each row's post, one lookup per
-- row (32,000 for a sync of 1,000 posts; much of a small store's time, little of a large one's, where
-- adding to the key index dominates). Now
-- drafter.add_posts() inserts the posts in the caller's name (session_user, as the policy demanded) and
-- the band rows of the posts that were new, in one statement; members may no longer write band rows
-- themselves, so the rows need neither the author column nor the foreign key. A post's band rows are
-- removed with it by a trigger (the foreign key's ON DELETE CASCADE before), and a post's id is no
-- longer changeable by members (its band rows name it).

ALTER TABLE drafter.post_bands DROP CONSTRAINT post_bands_post_id_author_fkey;
DROP POLICY bands_add ON drafter.post_bands;
DROP POLICY bands_remove ON drafter.post_bands;
REVOKE INSERT, DELETE ON drafter.post_bands FROM drafter_ambassador;
ALTER TABLE drafter.post_bands DROP COLUMN author;

REVOKE UPDATE ON drafter.posts FROM drafter_ambassador;
GRANT UPDATE (published_at, channel, brief_id, text, signature, guideline_version) ON drafter.posts
    TO drafter_ambassador;

-- ids, published_at, channels, brief_ids, texts, signatures, versions: one element per post; band_keys:
-- the posts' band keys one after the other (the same number per post). Returns the ids that were new;
-- an id the store has already is left as it is (a resent post, or someone else's: never overwritten).
CREATE FUNCTION drafter.add_posts(
    ids uuid[], published timestamptz[], channels text[], brief_ids text[], texts text[],
    signatures bytea[], versions text[], band_keys bigint[]
) RETURNS SETOF uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n integer := coalesce(cardinality(ids), 0);
    bands integer;
BEGIN
    IF NOT pg_has_role(session_user, 'drafter_ambassador', 'MEMBER') THEN
        RAISE EXCEPTION 'only members add posts' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF n = 0 THEN
        RETURN;
    END IF;
    IF coalesce(cardinality(band_keys), 0) % n <> 0 OR cardinality(band_keys) = 0 THEN
        RAISE EXCEPTION 'band_keys must hold the same number of keys for each of the % posts', n
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    bands := cardinality(band_keys) / n;
    RETURN QUERY
    WITH given AS (
        SELECT * FROM unnest(ids, published, channels, brief_ids, texts, signatures, versions)
            WITH ORDINALITY AS g(id, published_at, channel, brief_id, text, signature, guideline_version, pos)
    ), added AS (
        INSERT INTO drafter.posts(id, author, published_at, channel, brief_id, text, signature, guideline_version)
        SELECT id, session_user, published_at, channel, brief_id, text, signature, guideline_version FROM given
        ON CONFLICT DO NOTHING
        RETURNING id
    ), banded AS (
        INSERT INTO drafter.post_bands(post_id, band, key)
        SELECT a.id, b - 1, band_keys[(g.pos - 1) * bands + b]
        FROM added a JOIN given g ON g.id = a.id, generate_series(1, bands) b
        ORDER BY 3  -- in key order: the index pages are visited once each, in order
    )
    SELECT id FROM added;
END
$$;
REVOKE ALL ON FUNCTION drafter.add_posts FROM PUBLIC;
GRANT EXECUTE ON FUNCTION drafter.add_posts TO drafter_ambassador;

CREATE FUNCTION drafter.remove_post_bands() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM drafter.post_bands WHERE post_id IN (SELECT id FROM gone);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION drafter.remove_post_bands FROM PUBLIC;
CREATE TRIGGER posts_remove_bands AFTER DELETE ON drafter.posts
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION drafter.remove_post_bands();

-- Removing members (drafter team remove-member, schema version 3 on): ALTER ROLE … NOLOGIN needs the
-- ADMIN option on the member's role, which only its creator had. New members are granted to the core
-- group WITH ADMIN OPTION (no INHERIT, no SET: the core team gains none of their rights); the members
-- already there get the same where this migration's runner may grant it. Core members are in the core
-- group themselves (the grant would be circular): whoever added them, or a superuser, removes them.
DO $$
DECLARE
    member name;
BEGIN
    FOR member IN SELECT m.login FROM drafter.members m JOIN pg_roles r ON r.rolname = m.login WHERE m.role <> 'core' LOOP
        BEGIN
            EXECUTE format('GRANT %I TO drafter_core WITH ADMIN OPTION, INHERIT FALSE, SET FALSE', member);
        EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
            RAISE NOTICE 'core members cannot remove %: its creator or a superuser can', member;
        END;
    END LOOP;
END
$$;
