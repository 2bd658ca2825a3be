"""Batch scoring (`roleplay score --jsonl`): JSON lines in, one result line out per line, in order.

Chunks of lines go to forked worker processes that share the scorer built once before the fork.
From a file (or a file redirected to stdin) the chunks are as large as keeps the workers busy;
from a pipe, each chunk is what has arrived, flushed as soon as it is scored, so a program can
talk to it one reply at a time and a bulk pipe is still scored on every core. From a terminal, or
with one job, lines are scored in this process.
"""

from __future__ import annotations

import json
import sys


_SCORER = None  # the scorer a forked worker inherits from the parent
_dumps = json.JSONEncoder(ensure_ascii=False).encode  # built once; json.dumps builds one per line


def _worker_start() -> None:
    from roleplay.core.scoring.budget import tick

    tick()  # a worker only scores: one repeating timer guards every reply's budget


def _score_rows(job: tuple[int, list[str]]) -> str:
    """The result lines of one chunk, joined: one string crosses back to the parent, not one per line."""
    from roleplay.core.assessment import Context
    from roleplay.core.scoring.evaluation import read_jsonl

    start, lines = job
    out: list[str] = []
    for _, row, err in read_jsonl(lines, need_label=False, start=start):
        if err is not None:
            obj = err
        else:
            a = _SCORER.assess(row.reply, Context(client=row.client), feedback=False)  # the line prints none
            obj = {"id": row.id, "label": a.label, "confidence": round(a.confidence, 4),
                   "scores": {k: round(v, 4) for k, v in a.scores.items()}, "kinds": list(a.kinds),
                   "evidence": [e.to_dict() for e in a.evidence], **({"notes": list(a.notes)} if a.notes else {})}
        out.append(_dumps(obj))
        out.append("\n")
    return "".join(out)


def _chunks(stream, size: int, total: int = 0):
    """(number of the chunk's first line, its lines). With `total` (the file's length in characters,
    near enough), the last few chunks are small, so no worker sits idle at the end waiting for
    another to finish a whole chunk."""
    chunk: list[str] = []
    first = 1
    seen = 0
    want = size
    for line in stream:
        chunk.append(line)
        seen += len(line)
        if len(chunk) >= want:
            yield first, chunk
            first += len(chunk)
            chunk = []
            if total and want == size and (total - seen) * (first - 1) < 4 * size * seen:
                want = max(1, size // 10)  # under four chunks left
    if chunk:
        yield first, chunk


_READ = 1 << 16  # a pipe's usual capacity


def _pipe_chunks(fd: int, size: int, stop):
    """(number of the chunk's first line, its lines) from a pipe, as lines arrive: the complete
    lines already waiting go out at once (at most `size` a chunk), so a program that sends one
    reply and waits is answered straight away, and a bulk pipe still keeps every worker busy.
    Lines are split on newline bytes and decoded one by one, as a file is read (UTF-8, bad bytes
    replaced, a carriage return before the newline dropped). The pool reads this in a thread it
    joins on the way out, so the wait for input gives up once `stop` is set (say, when the
    program reading the output has gone but still holds the input open)."""
    import os
    import select

    first, pending, ended = 1, [], False  # pending: the bytes of a line not yet ended
    while not ended:
        while not select.select([fd], [], [], 0.2)[0]:
            if stop.is_set():
                return
        data = os.read(fd, _READ)  # something arrived, or the end
        if not data:
            break
        pieces, got = [data], len(data)
        while got < 4 * _READ and select.select([fd], [], [], 0)[0]:  # what else is waiting
            more = os.read(fd, _READ)
            if not more:
                ended = True
                break
            pieces.append(more)
            got += len(more)
        buf = b"".join(pieces)
        cut = buf.rfind(b"\n")
        if cut < 0:  # still inside one (long) line: keep its pieces, join them once it ends
            pending.append(buf)
            continue
        pending.append(buf[:cut])
        lines = b"".join(pending).split(b"\n")
        pending = [buf[cut + 1:]]
        for i in range(0, len(lines), size):
            part = [_decode_line(b) for b in lines[i:i + size]]
            yield first, part
            first += len(part)
    tail = b"".join(pending)
    if tail:
        yield first, [_decode_line(tail)]


def _decode_line(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").removesuffix("\r")


def _stdin_kind() -> str:
    """"file" (redirected from a file), "pipe", or "lines" (a terminal, or no real descriptor)."""
    import os
    import stat

    try:
        fd = sys.stdin.fileno()
        if os.isatty(fd):
            return "lines"
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):
        return "lines"
    return "file" if stat.S_ISREG(mode) else "pipe" if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) else "lines"


def score_jsonl(scorer, source: str, jobs: int) -> int:
    """Score the JSON lines of `source` (a file, or - for stdin) to stdout, as the module says."""
    import os

    global _SCORER
    _SCORER = scorer
    kind = "file" if source != "-" else _stdin_kind()
    parallel = jobs > 1 and hasattr(os, "fork") and kind != "lines"
    answer_each = kind != "file"  # the program on the other end may be waiting for each line
    try:
        if source != "-":
            stream = open(source, encoding="utf-8", errors="replace")
        elif kind == "file":  # read as a named file is, whatever the locale says of stdin
            stream = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
        else:
            stream = sys.stdin
    except OSError as exc:
        print(f"roleplay score: cannot read {source}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        # The word index and the known words' tables (read from the model file, not worked out)
        # are made once, here, and shared with any workers; each adds the words it meets that
        # the model does not know.
        if hasattr(scorer, "preload"):
            scorer.preload()
        if not parallel:
            for n, line in enumerate(stream, 1):
                sys.stdout.write(_score_rows((n, [line])))
                if answer_each:
                    sys.stdout.flush()
        else:
            import gc
            import multiprocessing
            import threading

            # The scorer's tables are shared with the workers copy-on-write; a collection in a
            # worker would touch every one of them (and copy their pages), so they are frozen.
            gc.freeze()
            with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start) as pool:
                stop = threading.Event()
                if kind == "pipe":
                    chunks = _pipe_chunks(stream.fileno(), 250, stop)
                else:
                    # Chunks of 250 lines, and smaller ones at the end of a file (see _chunks).
                    try:
                        total = os.fstat(stream.fileno()).st_size
                    except (OSError, ValueError, AttributeError):
                        total = 0
                    chunks = _chunks(stream, 250, total)
                try:
                    for outs in pool.imap(_score_rows, chunks):
                        sys.stdout.write(outs)
                        if answer_each:
                            sys.stdout.flush()
                finally:
                    stop.set()
            sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"roleplay score: cannot read {source}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 0


def default_jobs(n: int) -> int:
    import os

    return n if n > 0 else max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                                      else (os.cpu_count() or 1)))
