"""`roleplay serve`: safe by default. No port opens on another machine's reach without an access code;
bad options and a missing extra are explained in words; it starts quickly."""

from __future__ import annotations

import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from roleplay.cli import main
from roleplay.cli.serve import SESSION_MB, default_max_sessions, needs_code


def test_only_a_lab_on_this_computer_goes_without_a_code():
    assert not needs_code("127.0.0.1", None) and not needs_code("localhost", None)
    assert needs_code("0.0.0.0", None) and needs_code("::", None) and needs_code("192.168.1.20", None)
    assert needs_code("127.0.0.1", "https://lab.example.edu")  # behind a proxy, reachable from the network
    assert not needs_code("127.0.0.1", "http://localhost:8000")


def test_the_default_cap_is_sized_to_the_machine():
    roomy = default_max_sessions(cpus=2, free_mb=24_000)
    assert roomy >= 30  # this 2-core machine holds a class of 30 (bench/bench_serve.py)
    assert default_max_sessions(cpus=4, free_mb=24_000) == 2 * roomy
    tight = default_max_sessions(cpus=8, free_mb=2_000)  # memory runs out before the cores
    assert tight * SESSION_MB <= 2_000 < (tight + 1) * SESSION_MB * 2
    assert default_max_sessions(cpus=1, free_mb=100) == 2
    assert default_max_sessions() >= 2


def test_without_the_extra_it_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.delitem(sys.modules, "roleplay.serve.server", raising=False)
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.setitem(sys.modules, "textual_serve.app_service", None)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert 'pip install "roleplay[serve]"' in err and "Traceback" not in err


@pytest.mark.parametrize("args, message", [
    (["--host", "0.0.0.0", "--code", ""], "at least 6"),
    (["--host", "0.0.0.0", "--code", "abc"], "at least 6"),
    (["--code", "abc def!"], "only letters"),
    (["--scenarios", "/no/such/folder"], "no such folder"),
    (["--public-url", "ftp://x"], "--public-url"),
    (["--max-sessions", "0"], "--max-sessions"),
    (["--idle-minutes", "-1"], "--idle-minutes"),
])
def test_bad_options_are_refused_before_anything_listens(args, message, capsys):
    pytest.importorskip("textual_serve", reason="the serve extra is not installed")
    assert main(["serve", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_port_in_use_is_a_message(capsys):
    pytest.importorskip("textual_serve", reason="the serve extra is not installed")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert f"port {port} is in use" in capsys.readouterr().err


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux), or None."""
    try:
        fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
        import os

        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def test_on_the_network_a_code_is_made_up_printed_and_required(tmp_path):
    """--host 0.0.0.0 with no --code: the lab still never opens without one. Also: it starts fast."""
    lab = pytest.importorskip("tests.serve.lab", reason="the serve extra is not installed")
    started = time.monotonic()
    with lab.serve_process(tmp_path / "home", "--host", "0.0.0.0") as (proc, url, output):
        wall = time.monotonic() - started
        cpu = _cpu_seconds(proc.pid)
        text = "\n".join(output)
        code = re.search(r"Access code:\s+([A-Z0-9]{4}-[A-Z0-9]{4})", text)
        assert code, text
        assert "Class report:   roleplay report " + str(tmp_path / "home" / "students") in text

        def join(**form) -> tuple[int, str]:
            browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
            request = urllib.request.Request(url + "/join", data=urllib.parse.urlencode(form).encode())
            try:
                with browser.open(request, timeout=10) as r:
                    return r.status, r.read().decode()
            except urllib.error.HTTPError as e:
                return e.code, e.read().decode()

        assert join(name="Mallory")[0] == 403
        status, page = join(name="Mallory", code="AAAA-BBBB")
        assert status == 403 and "not right" in page
        with pytest.raises(urllib.error.HTTPError) as no:
            urllib.request.urlopen(url + "/static/js/textual.js", timeout=10)
        assert no.value.code == 403
        status, page = join(name="Alice", code=code.group(1).lower())  # redirected to the trainer's page
        assert status == 200 and "data-session-websocket-url" in page
    # The bench times start-up on an idle machine (under 3 s); here the machine may be busy with
    # other tests, so the bound is on the process's own CPU time, with a generous wall-clock guard.
    assert cpu is None or cpu < 3.0
    assert wall < 20
