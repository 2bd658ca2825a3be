"""What the app, its screens and its widgets share: feedback modes, service types, resuming.

Screens and widgets import from here, never from app.py, so the TUI's imports flow one way:
services <- widgets <- screens <- app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.core.labels import FEEDBACK_MODES  # noqa: F401  (kept light: the picker needs it at start-up)

if TYPE_CHECKING:
    from roleplay.core.session.records import RecordInfo

FEEDBACK_HELP = {
    "immediate": "labels and feedback after every reply",
    "end": "labels only at the debrief, for self-assessment",
    "reveal": "labels hidden until revealed (F4), for class discussion",
}
ZOOM_HINT = "Zoom: Ctrl/Cmd + '+' in your terminal (Ctrl/Cmd + '-' to zoom out) · F5 leaves projector mode"


class ScorerUnavailable(Exception):
    """The scorer could not be loaded; the message says why, in words for a student."""


class PendingScorer:
    """Stands in until the real scorer is loaded; the session screen swaps it out."""

    def assess(self, reply, context):  # pragma: no cover - never reached through the UI
        raise ScorerUnavailable("The scorer is still loading.")


def remembered_student() -> str | None:
    """The student's name or number from their preferences (None when unset or unreadable)."""
    from roleplay.core.session import preferences

    return preferences.load()[0].student or None


def resume_record(app, info: "RecordInfo", *, replace: bool = False, reopen: bool = False) -> bool:
    """Open a saved unfinished session in its scenario; say why when that is not possible.
    `reopen` takes up a session that was ended early (F8) where it stopped."""
    from roleplay.core.session.practice import Practice

    head = info.header
    scenario = app.find_scenario(head.scenario, head.scenario_path)
    if scenario is None:
        app.notify(f"Cannot resume: the scenario {head.scenario!r} is not available (is its folder passed with "
                   "--scenarios?).", severity="error", timeout=8)
        return False
    got = Practice.resume([info], lambda record: app.restore_session(record, scenario), saver=app.write_session)
    if got.refused:
        app.notify(got.refused, severity="warning", timeout=10)
        return False
    if got.practice is None:
        why = got.skipped[0].refusal if got.skipped else "Cannot resume this session."
        app.notify(why, severity="error", timeout=10)
        return False
    session = got.practice.session
    app.hold(session.id, got.lock)
    if reopen and session.ended_early and not session.finished:
        session.ended_early = False  # saved with its next reply; until then History offers both ways
    app.open_session(session, replace=replace, practice=got.practice)
    return True


def reply_refused(screen, text: str) -> bool:
    """The checks a reply passes before it is scored, shared by the session and drill screens:
    True (and the student told why) when it cannot be sent now. A reply sent while the scorer
    still loads is kept in `screen._pending` and sent when it is ready."""
    from roleplay.core.session.engine import MAX_REPLY_CHARS, ReplyTooLong

    if not text.strip():
        screen.notify("Nothing to send yet — type your reply first.", timeout=3)
        return True
    if len(text) > MAX_REPLY_CHARS:  # before the scorer is even asked; the text stays in the box
        screen.notify(str(ReplyTooLong(len(text))), severity="warning", timeout=8)
        return True
    if screen.scorer_error:
        screen.notify(screen.scorer_error, severity="error", timeout=10)
        return True
    if not screen.scorer_ready:
        screen._pending = text
        screen.notify("One moment — the scorer is still loading; your reply will be sent.", timeout=3)
        return True
    return False


def load_scorer(app, scenario) -> tuple[object | None, str | None]:
    """(scorer, None), or (None, why in words for a student): what a screen's scorer worker asks
    for, off the UI thread. Never raises: a traceback must not reach a student."""
    try:
        return app.scorer_for(scenario), None
    except ScorerUnavailable as exc:
        return None, str(exc)
    except Exception as exc:
        return None, f"The reply scorer could not start ({type(exc).__name__}: {exc})."

