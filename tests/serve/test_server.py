"""The lab's web server with real trainer processes: nothing beyond the join page without a pass,
the access code, the session cap and its friendly page, and a session whose process dies."""

from __future__ import annotations

import asyncio
import json
import os
import signal

import pytest

from .lab import lab_client, open_tab, records, settings, start_first_scenario, wait_for_turns

import aiohttp  # noqa: E402  (after lab's importorskip: the serve extra brings it)
from roleplay.serve.server import COOKIE, app_command  # noqa: E402

GUARDED = ["/", "/ws", "/static/js/textual.js", "/static/", "/download/abc"]


async def test_nothing_beyond_the_join_page_without_a_pass(tmp_path):
    async with lab_client(settings(tmp_path, host="0.0.0.0", code="ABCD-EFGH")) as client:
        page = await client.get("/join")
        text = await page.text()
        assert page.status == 200 and 'name="name"' in text and 'name="code"' in text
        for path in GUARDED:
            r = await client.get(path, allow_redirects=False)
            assert r.status in (303, 403), path
            assert "textual" not in (await r.text()).lower(), path
        assert (await client.get("/", allow_redirects=False)).headers["Location"] == "/join"


async def test_a_wrong_code_is_refused_and_the_right_one_lets_a_student_in(tmp_path):
    async with lab_client(settings(tmp_path, host="0.0.0.0", code="ABCD-EFGH")) as client:
        r = await client.post("/join", data={"name": "Alice", "code": "WXYZ-2345"}, allow_redirects=False)
        assert r.status == 403 and "not right" in await r.text()
        assert COOKIE not in r.cookies
        assert (await client.get("/static/js/textual.js")).status == 403
        r = await client.post("/join", data={"name": "Alice", "code": "abcd efgh"}, allow_redirects=False)
        assert r.status == 303 and r.headers["Location"] == "/"
        cookie = r.cookies[COOKIE]
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        page = await client.get("/")
        assert page.status == 200 and f'"ws://127.0.0.1:{client.port}/ws"' in await page.text()
        assert page.headers["X-Frame-Options"] == "DENY"
        assert (await client.get("/static/js/textual.js")).status == 200


async def test_on_loopback_no_code_is_asked_and_other_host_names_are_refused(tmp_path):
    async with lab_client(settings(tmp_path)) as client:
        page = await (await client.get("/join")).text()
        assert 'name="name"' in page and 'name="code"' not in page
        # A page elsewhere that points its own name at this machine (DNS rebinding) gets nothing.
        r = await client.get("/join", headers={"Host": f"attacker.example:{client.port}"})
        assert r.status == 421
        r = await client.post("/join", data={"name": "Alice"}, allow_redirects=False)
        assert r.status == 303


async def test_a_name_in_use_asks_for_a_number(tmp_path):
    lab_settings = settings(tmp_path)
    async with lab_client(lab_settings) as first:
        assert (await first.post("/join", data={"name": "Sam"}, allow_redirects=False)).status == 303
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:  # another browser
            r = await other.post(first.make_url("/join"), data={"name": "sam"}, allow_redirects=False)
            text = await r.text()
            assert r.status == 409 and "already using the name" in text and 'value="sam 2"' in text


def test_the_app_command_quotes_everything(tmp_path):
    odd = tmp_path / "my scenarios; rm -rf ~"
    odd.mkdir()
    command = app_command(settings(tmp_path, scenarios=(odd,), idle_seconds=60))
    assert "'" + str(odd.resolve()) + "'" in command and "--idle-exit 60" in command and "--lab" in command


async def test_the_session_cap_turns_the_next_tab_away_kindly(tmp_path):
    lab_settings = settings(tmp_path, max_sessions=1)
    async with lab_client(lab_settings) as alice:
        await alice.post("/join", data={"name": "Alice"})
        tab = await open_tab(alice)
        await tab.screen.wait_for("Choose a client to practise with")
        # Alice's trainer runs in her own folder.
        assert (lab_settings.students / "Alice" / "cache").is_dir()
        assert alice.lab.lab.sessions == 1
        page = await alice.get("/")
        assert page.status == 503 and "The lab is full" in await page.text() and page.headers["Retry-After"]
        with pytest.raises(Exception):
            await open_tab(alice)
        await tab.close()
        for _ in range(100):
            if alice.lab.lab.sessions == 0:
                break
            await asyncio.sleep(0.1)
        assert alice.lab.lab.sessions == 0 and not alice.lab.services
        assert (await alice.get("/")).status == 200


async def test_a_trainer_that_dies_loses_no_turn_and_frees_its_place(tmp_path):
    lab_settings = settings(tmp_path)
    async with lab_client(lab_settings) as bob:
        await bob.post("/join", data={"name": "Bob"})
        tab = await open_tab(bob)
        await start_first_scenario(tab)
        await tab.keys("That sounds really hard for you.\r")
        folder = lab_settings.students / "Bob"
        [saved] = await wait_for_turns(folder, 1)
        (service,) = bob.lab.services
        os.kill(service.process.pid, signal.SIGKILL)
        await asyncio.wait_for(tab.closed.wait(), 10)  # the page shows "Session ended", not a frozen screen
        for _ in range(100):
            if bob.lab.lab.sessions == 0:
                break
            await asyncio.sleep(0.1)
        assert bob.lab.lab.sessions == 0
        [after] = records(folder)
        assert after["turns"] == saved["turns"] and json.dumps(after)


async def test_wrong_codes_are_counted_per_student_even_behind_a_proxy(tmp_path):
    from roleplay.serve.access import WRONG_CODES

    async def join(client, code: str, address: str) -> int:
        r = await client.post("/join", data={"name": f"S {address}", "code": code}, allow_redirects=False,
                              headers={"X-Forwarded-For": f"203.0.113.9, {address}"})
        return r.status

    proxied = settings(tmp_path, code="ABCD-EFGH", public_url="https://lab.example.edu")
    async with lab_client(proxied) as client:
        for _ in range(WRONG_CODES):
            assert await join(client, "nope", "10.0.0.1") == 403
        assert await join(client, "ABCD-EFGH", "10.0.0.1") == 429
        assert await join(client, "ABCD-EFGH", "10.0.0.2") == 303  # the rest of the class is not locked out
    direct = settings(tmp_path / "direct", host="0.0.0.0", code="ABCD-EFGH")
    async with lab_client(direct) as client:  # not behind a proxy: the header is not believed
        for i in range(WRONG_CODES):
            assert await join(client, "nope", f"10.0.1.{i}") == 403
        assert await join(client, "ABCD-EFGH", "10.0.2.1") == 429
