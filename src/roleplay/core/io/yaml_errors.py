"""YAML parser failures, explained in plain words for instructors who are not programmers.

The parser says "while parsing a block mapping did not find expected key", often a line or more
after the real mistake. Here the common mistakes are recognised from the text and the parser's
tokens (an unclosed quote, an apostrophe inside single quotes, a tab, a bad indent, text starting
with `*`, a colon inside text) and told as a sentence with the fix, at the place to fix. The
parser's own words are kept, as the diagnostic's detail, for experts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.tokens import ScalarToken

from roleplay.core.io.terminal import terminal_safe

MAX_SCAN = 2_000_000  # re-reading tokens of larger files could take seconds; they get the plain fallback
CURLY = "“”‘’„«»"
_QUOTED_KEY = re.compile(r"(\"[^\"]*\"|'[^']*')\s*:(?: |$)")
_KEY = re.compile(r"(?:- +)*[^\s#'\"\[{][^#]*?:(?: |$)")  # a line's key ("name:"), after any "- "
_CANNOT_START = {"*": "a reference to another part of the file (an alias)",
                 "&": "a name for this part of the file (an anchor)",
                 "@": "a reserved character", "`": "a reserved character", "%": "a directive"}


@dataclass(frozen=True)
class Explained:
    line: int  # 1-based
    col: int
    message: str
    detail: str  # the parser's words


def _snip(text: str, width: int = 50) -> str:
    text = text.strip()
    return terminal_safe(text if len(text) <= width else text[: width - 1] + "…")


def _quoted(text: str) -> str:
    """`text` as a double-quoted YAML string."""
    return '"' + text.strip().replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _quote_tokens(text: str, stop: int) -> list[ScalarToken]:
    """The quoted scalars the scanner read before position `stop` (it may fail before)."""
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    out: list[ScalarToken] = []
    try:
        while loader.check_token():
            tok = loader.get_token()
            if tok.start_mark.index > stop:
                break
            if isinstance(tok, ScalarToken) and tok.style in ('"', "'"):
                out.append(tok)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return out


def _after(text: str, index: int) -> str:
    """What follows `index` on its line."""
    end = text.find("\n", index)
    return text[index: end if end >= 0 else len(text)]


def _junk(rest: str) -> bool:
    """Whether text after a closing quote cannot be YAML (a comma, bracket, colon or comment can)."""
    rest = rest.lstrip(" ")
    return bool(rest) and rest[0] not in ",]}:#\r"


def _quote_problem(text: str, stop: int) -> tuple[int, int, str] | None:
    """An unclosed quote, an apostrophe ending single quotes, or quotes around only part of a text."""
    for tok in _quote_tokens(text, stop):
        start, end = tok.start_mark, tok.end_mark
        rest = _after(text, end.index)
        if not _junk(rest):
            continue
        q = tok.style
        line_text = _lines(text)[start.line]
        if end.line > start.line:
            return (start.line + 1, start.column + 1,
                    f"the quote ({q}) that opens here is not closed on this line, so YAML reads on to the "
                    f"next {q} (line {end.line + 1}): add the closing {q} at the end of the text")
        if q == "'":
            word = re.search(r"\w*$", text[start.index: end.index - 1]).group(0) + "'" + re.match(r"\w*", rest).group(0)
            value = line_text[start.column + 1:].rstrip()
            value = value[:-1] if value.endswith("'") else value
            return (end.line + 1, end.column,
                    f"the apostrophe in {_snip(word)} ends the text that the ' before it opened: put the text "
                    f"in double quotes instead ({_snip(_quoted(value), 60)}), or write the apostrophe twice "
                    f"({_snip(word.replace(chr(39), chr(39) * 2))})")
        value = line_text[start.column:].strip()
        fix = (f"put the whole text in single quotes ('{_snip(value, 60)}')" if q == '"' and "'" not in value
               else f"write each {q} inside the text as " + ("\\\"" if q == '"' else "''"))
        return (start.line + 1, start.column + 1,
                f"the quotes close before the end of the text ({_snip(value)}): a text that starts with a quote "
                f"must end with it. To keep the inner quotes, {fix}")
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _columns(line: str) -> tuple[list[int], int | None]:
    """The columns (0-based) of a line's `- ` marks and of its key; text alone sets no column."""
    dashes = []
    i = _indent(line)
    while line.startswith("- ", i) or line[i:].rstrip() == "-":
        dashes.append(i)
        i += 1
        while i < len(line) and line[i] == " ":
            i += 1
    return dashes, (i if _KEY.match(line[i:]) or _QUOTED_KEY.match(line[i:]) else None)


def _meaningful(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith("#")


def _bad_indent(lines: list[str], row: int) -> tuple[int, int, str] | None:
    """If line `row` (0-based) is indented to a column no line above it opens, say where it belongs."""
    if row >= len(lines) or not _meaningful(lines[row]) or "\t" in lines[row][: _indent(lines[row])]:
        return None
    line = lines[row]
    n = _indent(line)
    is_item = line.lstrip(" ").startswith("-")
    above = [r for r in range(row - 1, -1, -1) if _meaningful(lines[r])]
    if not above:
        return None
    prev = lines[above[0]]
    if prev.rstrip().endswith(":") or prev.rstrip().endswith("-") or prev.rstrip().endswith(("|", ">", "|-", ">-")):
        if n > _indent(prev):
            return None  # a new block may start at any deeper indent
    # The columns still open at this line: from the line above outwards, each further left.
    allowed: list[tuple[int, int, bool]] = []  # (column, line index, whether a "- " stands there)
    limit = 10**9
    for r in above:
        dashes, key = _columns(lines[r])
        if not dashes and key is None:
            continue  # text (a folded paragraph, a continued line) says nothing about structure
        cols = [(c, True) for c in (dashes if is_item else [])] + ([(key, False)] if key is not None else [])
        for c, dash in sorted(set(cols), reverse=True):
            if c < limit and all(c != a[0] for a in allowed):
                allowed.append((c, r, dash))
        limit = min([limit, _indent(lines[r])] + [c for c, _ in cols])
        if limit == 0:
            break
    if any(a[0] == n for a in allowed) or not allowed:
        return None
    # The nearest column; on a tie, a list item lines up with other items, then the closest line wins.
    col, ref, _ = min(allowed, key=lambda a: (abs(a[0] - n), a[2] != is_item, above.index(a[1])))
    spaces = f"{n} space{'s' if n != 1 else ''}"
    return (row + 1, n + 1,
            f"this line is indented by {spaces}, but it belongs with line {ref + 1} "
            f"({_snip(lines[ref], 30)}), indented by {col}: indent it by {col} space{'s' if col != 1 else ''} "
            f"so the text starts in column {col + 1}")


def _tab(lines: list[str], rows: list[int]) -> tuple[int, int, str] | None:
    for r in rows:
        if 0 <= r < len(lines):
            lead = lines[r][: len(lines[r]) - len(lines[r].lstrip(" \t"))]
            if "\t" in lead:
                return (r + 1, lead.index("\t") + 1,
                        "this line is indented with a tab: YAML needs spaces. Replace the tab with spaces "
                        "(2 for each level)")
    return None


def _starts_badly(lines: list[str], mark) -> tuple[int, int, str] | None:
    """Text that begins with a character YAML reserves: `*sighs*`, `@name`, ..."""
    if mark is None or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    ch = line[mark.column: mark.column + 1]
    if ch not in _CANNOT_START:
        return None
    head = line[: mark.column]
    value = line[mark.column:]
    fixed = f"{head.strip()} {_quoted(value)}".strip()
    if ch == "*":
        return (mark.line + 1, mark.column + 1,
                f"text that starts with * is read by YAML as {_CANNOT_START[ch]}: put stage directions in "
                f"quotes, like this: {_snip(fixed, 70)}")
    return (mark.line + 1, mark.column + 1,
            f"text cannot start with {ch} (YAML reads it as {_CANNOT_START[ch]}): put the text in quotes, "
            f"like this: {_snip(fixed, 70)}")


def _colon(lines: list[str], mark) -> tuple[int, int, str] | None:
    """`cue: looks away: silent`: a second `: ` inside an unquoted text."""
    if mark is None or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    if line[mark.column: mark.column + 1] != ":":
        return None
    m = _KEY.match(line, _indent(line))
    if m is None or m.end() > mark.column:
        return None
    key, value = line[: m.end()].strip(), line[m.end():].strip()
    curly = (" (curly quotes “ ” are not quotes to YAML: use straight ones)"
             if any(c in value for c in CURLY) else "")
    value = value.strip(CURLY)
    return (mark.line + 1, mark.column + 1,
            f"this text has a colon followed by a space, which YAML reads as the start of a new key: put the "
            f"whole text in double quotes{curly}, like this: {_snip(key + ' ' + _quoted(value), 70)}")


def _bracket(lines: list[str], row: int) -> tuple[int, int, str] | None:
    """`cue: [sighs] fine`: text that starts with a bracket is read as a list or a mapping."""
    if not 0 <= row < len(lines):
        return None
    line = lines[row]
    m = re.match(r"\s*(?:- +)*(?:[^\s#'\"\[{][^#]*?:\s+)?", line)
    value = line[m.end():].rstrip()
    if not value or value[0] not in "[{" or value[-1] == {"[": "]", "{": "}"}[value[0]]:
        return None
    fixed = f"{line[: m.end()].strip()} {_quoted(value)}".strip()
    what = "a list, which must end with ]" if value[0] == "[" else "a mapping, which must end with }"
    return (row + 1, m.end() + 1, f"text that starts with {value[0]} is read by YAML as {what}: if it is text, "
                                  f"put it in quotes, like this: {_snip(fixed, 70)}")


def explain(text: str, exc: yaml.MarkedYAMLError) -> Explained:
    """A plain sentence with the fix, at the place to fix, for a parser failure on `text`."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    detail = "YAML parser: " + (" ".join(s for s in (context, problem) if s) or "invalid YAML")
    if mark is not None:
        detail += f" (line {mark.line + 1}, column {mark.column + 1})"
    lines = _lines(text)
    row = mark.line if mark is not None else 0
    found = None
    if "tab" in problem or "\\t" in problem:
        found = _tab(lines, [row, row - 1, row + 1])
    if found is None and "end of stream" in problem and "quoted scalar" in context and exc.context_mark:
        m = exc.context_mark
        q = lines[m.line][m.column: m.column + 1] if m.line < len(lines) else '"'
        found = (m.line + 1, m.column + 1, f"the quote ({q}) that opens here is never closed: add the closing "
                                           f"{q} at the end of the text")
    if found is None and len(text) <= MAX_SCAN and mark is not None:
        found = _quote_problem(text, mark.index)
    if found is None and ("alias" in context or "anchor" in context or "alias" in problem
                          or "cannot start any token" in problem):
        found = _starts_badly(lines, exc.context_mark if "alias" in context or "anchor" in context else mark)
    if found is None and "mapping values are not allowed" in problem:
        found = _colon(lines, mark)
    if found is None and mark is not None:
        for r in (row, row - 1):
            found = _bracket(lines, r) or _bad_indent(lines, r)
            if found:
                break
    if found is None:
        found = _tab(lines, [row, row - 1, row + 1])
    if found is None:
        line_text = lines[row] if row < len(lines) else ""
        curly = (" It has curly quotes (“ ” ‘ ’), which are not quotes to YAML: use straight ones (\" or ')."
                 if any(c in line_text for c in CURLY) else "")
        found = (row + 1, (mark.column + 1) if mark else 1,
                 "YAML cannot read the file here: check the quotes, colons and indentation on this line and the "
                 f"line above.{curly}")
    return Explained(found[0], found[1], found[2], detail)
