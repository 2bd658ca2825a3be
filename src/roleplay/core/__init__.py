"""Pure domain code: scenarios, rubric and scorer, session engine, records.

Nothing in this package imports Textual or prints; the UI and the CLI call into it.
"""
