"""`roleplay play --script` and the app keep the same record for the same replies: both drive
the one practice controller (core/session/practice.py) with the real scorer."""

from __future__ import annotations

import json

from roleplay.cli import main

from .helpers import make, send, settle
from .test_real_scorer import open_builtin

REPLIES = [
    "tea four times and u still feel like ur not doing enough, thats a lot",
    "honestly you should have pushed the GP harder back then",
    "what goes through your mind when you picture tomorrow at two?",
]


def _essence(record: dict) -> dict:
    """What the client said, what the student replied and what it led to; clocks left out."""
    turns = [{k: t[k] for k in ("index", "node", "client_line", "reply", "label", "kind", "state", "changes")}
             | {"evidence": [e["text"] for e in t["assessment"]["evidence"]],
                "feedback": t["assessment"]["feedback"]} for t in record["turns"]]
    return {"scenario": record["scenario"], "turns": turns, "state": record.get("state"),
            "ending": record.get("ending")}


async def test_the_cli_and_the_app_keep_the_same_record(tmp_path, capsys, roleplay_home, monkeypatch):
    from roleplay.core.session import records

    # One session id for both, so both pick the same wording of each client line (it is seeded).
    monkeypatch.setattr(records, "new_session_id", lambda when, scenario_id: f"app-{scenario_id}")
    script = tmp_path / "replies.txt"
    script.write_text("\n".join(REPLIES) + "\n", encoding="utf-8")
    assert main(["play", "grieving_patient", "--script", str(script), "--json", "--no-save"]) == 0
    cli_record = json.loads(capsys.readouterr().out)

    app = make((), scorer=None, include_builtin=True, session_id=lambda s: f"app-{s.id}")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_builtin(pilot, "grieving_patient")
        session = app.screen.session
        for reply in REPLIES:
            await send(pilot, reply)
        app_record = session.to_dict()
    saved = json.loads(next(roleplay_home.rglob("app-grieving_patient*.json")).read_text(encoding="utf-8"))

    assert len(cli_record["turns"]) == len(REPLIES)
    assert cli_record["seed"] == app_record["seed"]
    assert _essence(cli_record) == _essence(app_record) == _essence(saved)
