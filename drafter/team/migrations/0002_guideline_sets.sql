-- drafter team store, schema version 2: published guideline sets (the newest applies), and the set
-- version each post was checked against.

CREATE TABLE drafter.guideline_sets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    version text NOT NULL UNIQUE CHECK (length(version) BETWEEN 1 AND 100),
    files jsonb NOT NULL,
    published_by name NOT NULL DEFAULT session_user,
    published_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON drafter.guideline_sets TO drafter_ambassador;
GRANT INSERT ON drafter.guideline_sets TO drafter_core;
ALTER TABLE drafter.guideline_sets ENABLE ROW LEVEL SECURITY;
CREATE POLICY guidelines_read ON drafter.guideline_sets FOR SELECT TO drafter_ambassador USING (true);
CREATE POLICY guidelines_publish ON drafter.guideline_sets FOR INSERT TO drafter_core
    WITH CHECK (published_by = session_user);

ALTER TABLE drafter.posts ADD COLUMN guideline_version text;
