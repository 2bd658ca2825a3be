"""The browser lab behind `roleplay serve`: names, access codes, the session cap, the web server.

Only server.py imports aiohttp and textual-serve (the `serve` extra); nothing here is imported
when the trainer starts.
"""
