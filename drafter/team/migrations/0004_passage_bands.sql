-- drafter team store, schema version 4: paragraph entries of posts in post_bands.
--
-- A colleague's paragraph pasted into a longer draft shares too little with the colleague's whole post
-- to be found by the post's 32 band keys. A post's paragraphs (drafter.originality.indexed_passages, at
-- most 20 per post) get entries of their own in the same table: paragraph p (0-based) has the bands
-- 32 + 32 * p + b (b = 0 … 31; at most 671, a smallint). Their keys are mixed with the band number
-- (drafter.lsh_bands.band_keys, first_band 32), so they never equal a whole post's key: a lookup with a
-- draft's whole-post keys finds whole-post bands only, as before.
--
-- Members write the rows through drafter.add_passage_bands(), for their own posts only. Posts sent
-- before this version have none: drafter.add_posts() now marks a post whose text has line breaks as
-- passages_pending, add_passage_bands() clears the mark, and a client's sync computes the rows of its
-- member's marked posts from the stored text (a partial index finds them; none left: one cheap lookup).
-- The marked posts of a member who never syncs with a newer client keep only their whole-post entries.

ALTER TABLE drafter.posts ADD COLUMN passages_pending boolean NOT NULL DEFAULT false;
-- two line breaks at least: every text with a blank line (a paragraph break) is among them
UPDATE drafter.posts SET passages_pending = true WHERE text LIKE E'%\n%\n%';
CREATE INDEX posts_passages_pending ON drafter.posts (author) WHERE passages_pending;

-- as in version 3, and a post that may have paragraphs is marked until its paragraph rows are added; a
-- post has exactly 32 whole-post bands (0 … 31), and a call at most 2,000 posts (a sync sends 1,000): a
-- member could otherwise give one post hundreds of rows of a colleague's keys (hostile probe)
CREATE OR REPLACE FUNCTION drafter.add_posts(
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
    IF n > 2000 THEN
        RAISE EXCEPTION 'at most 2000 posts per call' USING ERRCODE = 'program_limit_exceeded';
    END IF;
    IF coalesce(cardinality(band_keys), 0) <> 32 * n OR array_position(band_keys, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'band_keys must hold 32 keys for each of the % posts', n
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    bands := 32;
    RETURN QUERY
    WITH given AS (
        SELECT * FROM unnest(ids, published, channels, brief_ids, texts, signatures, versions)
            WITH ORDINALITY AS g(id, published_at, channel, brief_id, text, signature, guideline_version, pos)
    ), added AS (
        INSERT INTO drafter.posts(id, author, published_at, channel, brief_id, text, signature, guideline_version,
                                  passages_pending)
        SELECT id, session_user, published_at, channel, brief_id, text, signature, guideline_version,
               text LIKE E'%\n%\n%'
        FROM given
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

-- ids: posts of the caller; counts: how many paragraph entries each has (0 … 20; 0 for none); keys: the
-- entries' 32 band keys each, post after post, paragraph after paragraph. Adds the band rows (rows a post
-- has already stay as they are) and clears the posts' passages_pending mark; returns the rows added. An
-- id the store does not have is skipped (a post deleted meanwhile); another member's post is refused.
CREATE FUNCTION drafter.add_passage_bands(ids uuid[], counts integer[], keys bigint[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n integer := coalesce(cardinality(ids), 0);
    added bigint;
BEGIN
    IF NOT pg_has_role(session_user, 'drafter_ambassador', 'MEMBER') THEN
        RAISE EXCEPTION 'only members add paragraph bands' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF n = 0 THEN
        RETURN 0;
    END IF;
    IF n > 2000 THEN
        RAISE EXCEPTION 'at most 2000 posts per call' USING ERRCODE = 'program_limit_exceeded';
    END IF;
    IF coalesce(cardinality(counts), 0) <> n OR array_position(counts, NULL) IS NOT NULL
        OR EXISTS (SELECT FROM unnest(counts) c WHERE c < 0 OR c > 20)
        OR coalesce(cardinality(keys), 0) <> 32 * (SELECT sum(c) FROM unnest(counts) c)
        OR array_position(keys, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'counts must give 0 to 20 paragraphs for each of the % posts, keys 32 per paragraph', n
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT FROM drafter.posts WHERE id = ANY(ids) AND author <> session_user) THEN
        RAISE EXCEPTION 'paragraph bands are added by a post''s author only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    WITH given AS (
        SELECT id, entries, sum(entries) OVER (ORDER BY pos) - entries AS before
        FROM unnest(ids, counts) WITH ORDINALITY AS g(id, entries, pos)
    ), written AS (
        INSERT INTO drafter.post_bands(post_id, band, key)
        SELECT g.id, 32 + e.b - 1, keys[32 * g.before + e.b]
        FROM given g JOIN drafter.posts p ON p.id = g.id AND p.author = session_user,
             generate_series(1, 32 * g.entries) e(b)
        ORDER BY 3  -- in key order, as add_posts
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT count(*) INTO added FROM written;
    UPDATE drafter.posts SET passages_pending = false WHERE id = ANY(ids) AND author = session_user
        AND passages_pending;
    RETURN added;
END
$$;
REVOKE ALL ON FUNCTION drafter.add_passage_bands FROM PUBLIC;
GRANT EXECUTE ON FUNCTION drafter.add_passage_bands TO drafter_ambassador;
