"""Who may use the lab: the access code, names in use, the session cap."""

from __future__ import annotations

import pytest

from roleplay.serve.access import (CLAIM_SECONDS, WRONG_CODES, JoinRefused, Lab, code_problem, is_loopback,
                                   new_code, normalise_code)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def lab(tmp_path, clock, code=None, cap=3) -> Lab:
    return Lab(tmp_path / "students", code, cap, clock=clock)


@pytest.mark.parametrize("host, local", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.5", True),
    ("0.0.0.0", False), ("::", False), ("", False), ("192.168.1.20", False), ("lab.example.edu", False),
])
def test_only_this_machine_counts_as_loopback(host, local):
    assert is_loopback(host) is local


def test_codes_are_easy_to_type_and_checked_loosely(tmp_path, clock):
    code = new_code()
    assert len(code) == 9 and code[4] == "-" and not set(code) & set("01OIL")
    assert code_problem(code) is None
    assert code_problem("abc") and code_problem("abc!def") and code_problem("")
    assert normalise_code(" abcd-efgh ") == "ABCDEFGH"
    the_lab = lab(tmp_path, clock, code="ABCD-EFGH")
    assert the_lab.join("Alice", "abcd efgh").name == "Alice"


def test_a_wrong_code_is_refused_and_repeated_guesses_must_wait(tmp_path, clock):
    the_lab = lab(tmp_path, clock, code="ABCD-EFGH")
    with pytest.raises(JoinRefused) as no:
        the_lab.join("Alice", "ABCD-EFGX", remote="10.0.0.7")
    assert no.value.field == "code" and no.value.status == 403 and "not right" in no.value.message
    for _ in range(WRONG_CODES - 1):
        with pytest.raises(JoinRefused):
            the_lab.join("Alice", "nope", remote="10.0.0.7")
    with pytest.raises(JoinRefused) as no:  # even the right code, for now
        the_lab.join("Alice", "ABCD-EFGH", remote="10.0.0.7")
    assert no.value.status == 429
    assert the_lab.join("Bob", "ABCD-EFGH", remote="10.0.0.8").name == "Bob"  # another computer is not held up
    clock.now += 301
    assert the_lab.join("Alice", "ABCD-EFGH", remote="10.0.0.7").name == "Alice"
    assert the_lab.passes and all(p.name in ("Alice", "Bob") for p in the_lab.passes.values())


def test_no_code_is_needed_when_none_was_set(tmp_path, clock):
    assert lab(tmp_path, clock).join("Alice", "").folder == tmp_path / "students" / "Alice"


def test_two_students_choosing_one_name_are_kept_apart(tmp_path, clock):
    the_lab = lab(tmp_path, clock)
    sam = the_lab.join("Sam")
    with pytest.raises(JoinRefused) as no:
        the_lab.join("sam")
    assert no.value.status == 409 and no.value.suggestion == "sam 2" and "already using" in no.value.message
    other = the_lab.join(no.value.suggestion)
    assert other.folder != sam.folder
    # The same browser joining again under its own name is not kept out by itself.
    again = the_lab.join("Sam", current=sam.token)
    assert again.folder == sam.folder


def test_a_name_is_free_again_once_its_browser_has_gone(tmp_path, clock):
    the_lab = lab(tmp_path, clock)
    sam = the_lab.join("Sam")
    assert the_lab.open_session(sam)
    clock.now += CLAIM_SECONDS * 10
    with pytest.raises(JoinRefused):  # a session is open: still taken, however long ago it joined
        the_lab.join("Sam")
    the_lab.close_session(sam)
    clock.now += CLAIM_SECONDS + 1
    back = the_lab.join("Sam")  # the same student, another day: the same folder, their history
    assert back.folder == sam.folder
    assert the_lab.pass_for(sam.token) is None  # the old browser's pass no longer opens it


def test_sessions_are_capped(tmp_path, clock):
    the_lab = lab(tmp_path, clock, cap=2)
    a, b = the_lab.join("A1"), the_lab.join("B1")
    assert the_lab.open_session(a) and the_lab.open_session(b)
    assert the_lab.full and not the_lab.open_session(a)
    assert the_lab.sessions == 2
    the_lab.close_session(b)
    assert not the_lab.full and the_lab.open_session(a)
    assert a.live == 2 and b.live == 0
