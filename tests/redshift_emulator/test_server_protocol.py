"""The relay's own parsing: statement splitting and message framing (pure units)."""

import random
import struct

import pytest

from dwsim_redshift.query_log.tracker import SessionInfo, Tracker
from dwsim_redshift.relay.replies import Replies
from dwsim_redshift.relay.statement_kind import is_transaction_control
from dwsim_redshift.sql.statements import split_statements
from dwsim_redshift.wire.messages import Framer, message


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
            seen += [chunk[end - 1] for _, _, end in framer.feed(chunk)]
        assert seen == expected


def _row_description(types: list[int]) -> bytes:
    fields = b"".join(
        f"c{i}".encode() + b"\0" + struct.pack("!ihihih", 0, 0, oid, -1, -1, 0)
        for i, oid in enumerate(types)
    )
    return message(b"T", struct.pack("!h", len(types)) + fields)


def _replies() -> Replies:
    return Replies(1, None, None, b"I", Tracker(None, SessionInfo(0, "u", "d")))  # type: ignore[arg-type]


def _random_stream(rng: random.Random) -> tuple[list[bytes], list[bytes]]:
    """Messages as the backend sends them, and as the client must get them."""
    sent, expected = [], []
    for _ in range(2000):
        pick = rng.random()
        if pick < 0.05:
            types = [rng.choice([23, 25, 1043, 1700]) for _ in range(rng.randrange(0, 6))]
            sent.append(_row_description(types))
            expected.append(_row_description([1043 if t == 25 else t for t in types]))
        elif pick < 0.1:
            sent.append(message(b"Z", b"I"))
            expected.append(sent[-1])
        else:
            sent.append(message(b"D", bytes(rng.randrange(0, 60))))
            expected.append(sent[-1])
    return sent, expected


def test_text_columns_are_described_as_varchar_however_the_stream_is_cut():
    rng = random.Random(11)
    sent, expected = _random_stream(rng)
    stream = b"".join(sent)
    for _ in range(30):
        replies = _replies()
        replies.pending = sum(1 for m in sent if m[:1] == b"Z")
        out, pos = [], 0
        while pos < len(stream):
            size = rng.choice([1, 2, 3, 5, 7, 19, 64, 4096])
            out.append(replies.process(stream[pos : pos + size]))
            pos += size
        assert b"".join(out) == b"".join(expected)
        assert replies.pending == 0


def test_ready_for_query_answers_to_the_relays_own_syncs_are_cut_out():
    rng = random.Random(5)
    first = message(b"C", b"SELECT 1\0") + message(b"Z", b"T")
    ours = message(b"Z", b"E")
    stream = first + ours
    for _ in range(50):
        replies = _replies()
        replies.pending, replies.swallow = 2, 1
        out, pos = [], 0
        while pos < len(stream):
            size = rng.choice([1, 2, 3, 6, 64])
            out.append(replies.process(stream[pos : pos + size]))
            pos += size
        assert b"".join(out) == first
        assert (replies.pending, replies.swallow, replies.status) == (0, 0, b"E")


def test_scram_client_matches_rfc_7677():
    from dwsim_redshift.backend.connect import _Scram

    scram = _Scram("pencil", user="user", nonce="rOprNGfwEbeRWgbNEkqO")
    assert scram.client_first() == b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    server_first = (
        b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    )
    assert scram.client_final(server_first) == (
        b"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
        b"p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    )
