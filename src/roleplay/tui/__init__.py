"""The Textual trainer app. Import `create_app` from `roleplay.tui.app`."""
