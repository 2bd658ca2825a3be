"""Live authoring for the session screen: reload the scenario file when it is saved, keep the
student's place, and show a broken save's errors without losing the session."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from roleplay.core.authoring.watch import ScenarioWatcher
from roleplay.core.session.practice import BEHIND, BROKEN

MAX_RELOAD_DIAGNOSTICS = 3  # shown in the notification of a broken save (the status line shows the first)


class LiveReload:
    """Mixed into SessionScreen, whose practice (Practice.follow, poll_scenario) and view it reads."""

    @property
    def watcher(self) -> ScenarioWatcher | None:
        return self.practice.watcher

    def _start_watching(self) -> None:
        path = self.session.scenario.path
        if not path or not self.WATCH_INTERVAL:
            return
        try:
            watcher = ScenarioWatcher(path)
            watcher.adopt(self.session.scenario)
        except Exception as exc:  # live reload is a convenience: never a traceback
            self.log.error("cannot watch the scenario file", exc)
            return
        self.practice.follow(watcher)
        # The check runs in the screen's own message queue, so it never overlaps a reply being sent.
        self.set_interval(self.WATCH_INTERVAL, lambda: self.call_later(self.poll_scenario), name="scenario-watch")

    async def poll_scenario(self) -> bool:
        """Reload the scenario if its file changed; True when something new was shown."""
        if self.watcher is None or self._busy or not self.is_attached:
            return False
        self._busy = True
        try:
            return await self._check_scenario()
        except Exception as exc:  # never a traceback in front of a student: stop watching, say so
            self.log.error("live reload failed", exc)
            self.practice.follow(None)
            self.notify(f"Live reload of the scenario file stopped ({type(exc).__name__}: {exc}). "
                        "The session goes on.", severity="warning", timeout=8, markup=False)
            return False
        finally:
            self._busy = False

    async def _check_scenario(self) -> bool:
        watcher = self.watcher
        assert watcher is not None
        before = self._view_key()
        news = self.practice.poll_scenario()
        if news is None:
            return False
        name = watcher.path.name
        if news.kind == BROKEN:
            errors = ([str(d) for d in news.diagnostics if d.is_error] or [str(d) for d in news.diagnostics]
                      or [f"{watcher.path}: cannot be read"])
            shown = "\n".join(errors[:MAX_RELOAD_DIAGNOSTICS])
            more = len(errors) - MAX_RELOAD_DIAGNOSTICS
            self.notify(f"{shown}" + (f"\n… {more} more" if more > 0 else ""),
                        title=f"{name} has errors — carrying on with the last good version",
                        severity="error", timeout=10, markup=False)
            self._show_problem(f"⚠ {name} has errors; the session goes on with the last good version. "
                               f"{errors[0]}" + (f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""))
            return True
        if news.kind == BEHIND:  # the student's place is not in the new version
            leave = ("F8 ends here with the debrief; Esc leaves (the session is saved)" if self.session.turns
                     else "Esc leaves; open the scenario again to play the new version")
            message = (f"Your current turn {news.place!r} is no longer in {name}: the conversation goes on with "
                       f"the previous version. {leave}.")
            self.notify(message, title="Scenario changed", severity="warning", timeout=10, markup=False)
            self._show_problem(f"⚠ {message}")
            return True
        self.scenario = self.session.scenario
        self._show_problem(None)
        self.query_one("#session-title", Static).update(self._title())
        self.query_one("#persona-who", Static).update(self._who())
        warnings = [str(d) for d in news.diagnostics][:MAX_RELOAD_DIAGNOSTICS]
        lead, note = "reloaded the scenario", news.note
        headline = ("Scenario reloaded" + note[len(lead):]) if note.startswith(lead) else f"Scenario reloaded: {note}"
        self.notify("\n".join([headline, *warnings]), timeout=5, markup=False)
        self._told()  # the move was saved: a save problem is told once
        if self._view_key() != before:
            await self.rebuild(keep_focus=True)
        return True

    def _view_key(self) -> tuple:
        """Everything on screen that depends on the scenario rather than on the turns played."""
        s = self.session
        sc = s.scenario
        p = sc.persona
        cur = s.current
        ending = s.ending
        node = s.node
        return (sc.title, p.name, p.age, p.pronouns, p.setting, p.briefing,
                tuple((n, v.display, v.min, v.max) for n, v in sc.variables.items()),
                s.mood, tuple(s.trust_history()), (cur.text, cur.cue) if cur else None,
                (s.ending_line, ending.cue) if ending else None,
                tuple(node.exemplars.get("empathic") or ()) if node else None)

    def _show_problem(self, text: str | None) -> None:
        if text == self.reload_problem:
            return
        self.reload_problem = text
        status = self.query_one("#reload-status", Static)
        status.update(Content.styled(text, "bold") if text else "")
        status.set_class(bool(text), "-shown")
