"""The session's feedback modes: what is revealed when, and ending a session (F8, after asking).

Immediate mode shows each label and the client's reaction at once. Reveal mode (and discussion,
F6 on the projector) holds the latest reply's label until F4, then its reaction until F4 again.
End mode keeps labels for the debrief.
"""

from __future__ import annotations

from ..widgets.exchange import View


class RevealModes:
    """Mixed into SessionScreen: it sets mode, revealed, reacted, discussion, and has rebuild()."""

    def view(self) -> View:
        node = self.session.node
        hint = None
        if node is not None and self.hint_for == (node.id, len(self.session.turns)):
            hint = self.practice.hint()
        return View(self.mode, self.revealed, self.reacted, set(self.model_shown), hint)

    def visible(self, index: int) -> bool:
        """Whether turn `index` (1-based) shows its label and feedback now."""
        return self.view().label_shown(index)

    def visible_turns(self) -> int:
        """How many turns' effects (trust, mood) are shown: those whose reaction is."""
        return min(self.reacted, len(self.session.turns))

    async def action_reveal(self) -> None:
        """The latest label first, then (pressed again) the client's reaction to it."""
        n = len(self.session.turns)
        if self.mode == "end":
            return
        if self.revealed < n:
            self.revealed = n
        elif self.reacted < n:
            self.reacted = n
        else:
            self.notify("Nothing hidden to reveal.", timeout=3)
            return
        await self.rebuild()

    async def action_discuss(self) -> None:
        """One key between discussion (the latest label and reaction hidden) and reveal."""
        if self.mode == "end":
            return
        n = len(self.session.turns)
        hiding = self.revealed < n or self.reacted < n or (n == 0 and self.discussion)
        self.discussion = not hiding
        if self.discussion:
            self.revealed, self.reacted = min(self.revealed, max(n - 1, 0)), max(n - 1, 0)
        else:
            self.revealed = self.reacted = n
        self.notify("Discussion: labels wait for the reveal (F4 or F6)." if self.discussion
                    else "Reveal: labels are shown after every reply.", timeout=3)
        await self.rebuild()

    def action_end(self) -> None:
        """F8: asks first (Enter or y ends, Esc goes on); an ended session can be resumed from History."""
        if self.session.finished:
            self._end()
            return
        if not self.session.turns:
            self.notify("Reply at least once before the debrief, or press Esc to leave.", timeout=4)
            return
        from .ask import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self._end()
        self.app.push_screen(ConfirmScreen(
            "End this session now?", f"The debrief covers your {len(self.session.turns)} "
            f"repl{'y' if len(self.session.turns) == 1 else 'ies'} so far. You can resume it later from History (h).",
            yes="end and debrief", no="keep practising"), answer)

    def _end(self) -> None:
        if not self.practice.end_early():
            return
        if self.session.finished and self.session.turns:
            self.practice.save()
        self._told()
        self.app.show_debrief(self.session)

