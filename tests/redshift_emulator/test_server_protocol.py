"""The relay's own parsing: statement splitting and message framing (pure units)."""

import random

import pytest

from dwsim_redshift.protocol import Framer, message
from dwsim_redshift.sql.statements import split_statements
from dwsim_redshift.statements import is_transaction_control


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        pytest.param("select 1", ["select 1"], id="single"),
        pytest.param("select 1; select 2;", ["select 1", "select 2"], id="two"),
        pytest.param("select ';'; select 2", ["select ';'", "select 2"], id="quoted"),
        pytest.param("select 'it''s;'", ["select 'it''s;'"], id="doubled-quote"),
        pytest.param("select E'\\';'; x", ["select E'\\';'", "x"], id="backslash-escape"),
        # Redshift reads backslash escapes in every literal, not only E'...'
        pytest.param("select 'a\\';b'; x", ["select 'a\\';b'", "x"], id="backslash-plain"),
        pytest.param('select 1 as "a;b"', ['select 1 as "a;b"'], id="identifier"),
        pytest.param("select $$a;b$$; x", ["select $$a;b$$", "x"], id="dollar"),
        pytest.param("select $f$ ; $$ ; $f$", ["select $f$ ; $$ ; $f$"], id="tagged-dollar"),
        pytest.param("select 1 -- c;\n; x", ["select 1 -- c;", "x"], id="line-comment"),
        pytest.param("select /* a /* b; */ ; */ 1", ["select /* a /* b; */ ; */ 1"], id="nested"),
        pytest.param(" ; ;\n", [], id="empty"),
        pytest.param("-- only a comment", [], id="comment-only"),
        pytest.param(
            "copy t from 's3://b/k;1' iam_role 'r'; commit",
            ["copy t from 's3://b/k;1' iam_role 'r'", "commit"],
            id="copy",
        ),
    ],
)
def test_split_statements(sql, expected):
    assert split_statements(sql) == expected


def test_transaction_control_is_recognised():
    assert is_transaction_control("  /* x */ BEGIN")
    assert is_transaction_control("end transaction")
    assert not is_transaction_control("select begin_date from t")


def test_framer_finds_every_ready_for_query_however_the_stream_is_cut():
    rng = random.Random(7)
    messages = []
    for _ in range(3000):
        if rng.random() < 0.1:
            messages.append(message(b"Z", rng.choice([b"I", b"T", b"E"])))
        else:
            messages.append(message(b"D", bytes(rng.randrange(0, 60))))
    stream = b"".join(messages)
    expected = [m[-1] for m in messages if m[:1] == b"Z"]
    for _ in range(50):
        framer = Framer(b"Z")
        seen = []
        pos = 0
        while pos < len(stream):
            size = rng.choice([1, 2, 3, 5, 6, 7, 64, 4096])
            chunk = stream[pos : pos + size]
            pos += size
            seen += [chunk[end - 1] for _, end in framer.feed(chunk)]
        assert seen == expected


def test_scram_client_matches_rfc_7677():
    from dwsim_redshift.backend import _Scram

    scram = _Scram("pencil", user="user", nonce="rOprNGfwEbeRWgbNEkqO")
    assert scram.client_first() == b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    server_first = (
        b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    )
    assert scram.client_final(server_first) == (
        b"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
        b"p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    )
