"""The key footer, which keeps to the most important keys on a narrow terminal.

Below NARROW columns (or when the keys would not fit) a footer with every key is cut mid-word ("f1▏^p paletter"); there it shows
only the actions the screen names in FOOTER_KEYS (the others still work, and F1 and the palette
list them), and leaves out the palette key.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW = 100
PALETTE_WIDTH = 14  # the "^p palette" key on the right


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)
        self._narrow: bool | None = None
        self._shown: tuple | None = None  # what the keys on show were built from
        self._recompose_pending = False

    def is_narrow(self) -> bool:
        """Narrow: below NARROW columns, or too narrow for every key of this screen."""
        width = self.app.size.width
        if width < NARROW:
            return True
        try:
            bindings = self.screen.active_bindings.values()
        except Exception:  # not on a screen yet
            return False
        actions: dict[str, int] = {}
        for _node, binding, _enabled, _tip in bindings:
            if binding.show and binding.action not in actions:
                actions[binding.action] = len(self.app.get_key_display(binding)) + len(binding.description) + 3
        return sum(actions.values()) + PALETTE_WIDTH > width

    def _keys_now(self) -> tuple:
        """Everything compose builds the keys from: the width class and the screen's bindings."""
        return self.is_narrow(), tuple(
            (b.key, b.action, b.description, b.key_display, b.group, b.show, enabled, tooltip)
            for _node, b, enabled, tooltip in self.screen.active_bindings.values())

    def bindings_changed(self, screen) -> None:
        # Textual rebuilds the footer whenever focus moves; most moves leave the same keys on show,
        # and rebuilding them was a good part of each keypress's work.
        if self._bindings_ready and self._shown is not None and screen is self.screen:
            try:
                if self._keys_now() == self._shown:
                    return
            except Exception:  # not on a screen any more: let Textual decide
                pass
        # As Footer's, but a burst of changes (a screen mounting its widgets sends dozens) makes
        # one rebuild after the refresh, not one each.
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_once)

    async def _recompose_once(self) -> None:
        self._recompose_pending = False
        await self.recompose()

    def compose(self) -> ComposeResult:
        keep = getattr(self.screen, "FOOTER_KEYS", None)
        narrow = self.is_narrow()
        self._narrow = narrow
        self._shown = self._keys_now() if self._bindings_ready else None
        if not narrow or keep is None:
            self.show_command_palette = True
            yield from super().compose()
            return
        if not self._bindings_ready:
            return
        self.show_command_palette = False
        shown: dict[str, tuple] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action in keep and binding.action not in shown:
                shown[binding.action] = (binding, enabled, tooltip)
        self.styles.grid_size_columns = len(shown)
        for binding, enabled, tooltip in shown.values():
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                            disabled=not enabled, tooltip=tooltip).data_bind(compact=Footer.compact)

    def on_resize(self, event: events.Resize) -> None:
        if self._narrow is not None and self.is_narrow() != self._narrow:
            self.call_after_refresh(self.recompose)
