"""The lab's own pages: the join page (name, and the access code when one is needed) and the
friendly refusals. Self-contained HTML (no scripts, no outside fonts); every value is escaped."""

from __future__ import annotations

from html import escape

from .names import MAX_NAME

_STYLE = """
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
background:#0c181f;color:#f2f2f2;font:18px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{background:#12232d;padding:2rem 2.5rem;border-radius:10px;max-width:34rem;width:90%}
h1{font-size:1.5rem;margin:0 0 .5rem}
p{margin:.5rem 0 1rem;color:#cfd8dc}
label{display:block;margin:1rem 0 .25rem;font-weight:600}
input{width:100%;box-sizing:border-box;font-size:1.1rem;padding:.55rem;border-radius:6px;border:1px solid #4f6a78;
background:#0c181f;color:#fff}
button,a.button{display:inline-block;margin-top:1.5rem;font-size:1.1rem;padding:.6rem 1.6rem;border:none;
border-radius:6px;background:#5e0ba7;color:#fff;cursor:pointer;text-decoration:none}
button:hover,a.button:hover{background:#ac5af4}
.error{background:#5c1a1a;color:#fff;padding:.6rem .8rem;border-radius:6px}
.small{font-size:.9rem;color:#9fb1ba}
"""

TITLE = "Empathy roleplay trainer"


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>")


def join_page(*, code_required: bool, name: str = "", error: str = "", error_field: str = "") -> str:
    """The first page a student sees. The code field is there only when the lab needs one."""
    focus_code = code_required and error_field == "code"
    parts = [f"<h1>{escape(TITLE)}</h1>",
             "<p>Type your name to start. Your practice sessions are kept under this name on the "
             "instructor's computer: use the same name next time to see your history.</p>"]
    if error:
        parts.append(f'<p class="error" id="error" role="alert">{escape(error)}</p>')
    parts.append('<form method="post" action="/join">')
    parts.append('<label for="name">Your name</label>'
                 f'<input id="name" name="name" maxlength="{MAX_NAME}" required autocomplete="off" '
                 f'value="{escape(name)}"{"" if focus_code else " autofocus"}>')
    if code_required:
        parts.append('<label for="code">Access code (from your instructor)</label>'
                     '<input id="code" name="code" required autocomplete="off" autocapitalize="characters" '
                     f'spellcheck="false"{" autofocus" if focus_code else ""}>')
    parts.append('<button type="submit" id="start">Start</button></form>')
    parts.append('<p class="small">Each browser tab is its own session. Ctrl+Q in the trainer saves and '
                 "ends it; closing the tab does too. Every reply is saved as you go.</p>")
    return _page(TITLE, "".join(parts))


def full_page(in_use: int, cap: int) -> str:
    return _page(f"{TITLE}: the lab is full", (
        "<h1>The lab is full right now</h1>"
        f"<p>All {cap} places are in use ({in_use} sessions open). A place frees up as soon as someone "
        "finishes or closes their tab.</p><p>Please wait a minute and try again, or ask your instructor.</p>"
        '<a class="button" href="/" id="again">Try again</a>'))


def refused_page(message: str) -> str:
    return _page(f"{TITLE}: not here", f"<h1>Not available</h1><p>{escape(message)}</p>")
