"""Team store URLs: a password never stays in a printed URL, in whichever form libpq accepts it."""

import pytest

from drafter.team.db import check_url, redact


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://anna:geheim@db.example:5432/drafter", "postgresql://anna@db.example:5432/drafter"),
        (
            "postgresql://anna@db.example/drafter?password=geheim&sslmode=require",
            "postgresql://anna@db.example/drafter?sslmode=require",
        ),
        ("postgresql://anna@db.example/drafter?PASSWORD=geheim", "postgresql://anna@db.example/drafter"),
        (
            "postgresql://anna@db.example/drafter?sslmode=require",
            "postgresql://anna@db.example/drafter?sslmode=require",
        ),
    ],
)
def test_redact_drops_the_password_in_every_form(url: str, shown: str) -> None:
    assert redact(url) == shown and "geheim" not in redact(url)


@pytest.mark.parametrize(
    "url", ["postgresql://anna:geheim@h/db", "postgresql://anna@h/db?password=geheim", "postgres://a@h/db?Password=x"]
)
def test_a_settings_url_with_a_password_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="holds a password"):
        check_url(url)
    assert check_url(url, allow_password=True) == url  # a one-off --url may carry one; it is never printed


@pytest.mark.parametrize("url", ["postgresql://a@[::1/db", "postgresql://a@h:abc/db", "http://a@h/db"])
def test_a_malformed_url_is_a_clear_error(url: str) -> None:
    with pytest.raises(ValueError, match="PostgreSQL URL"):
        check_url(url)
