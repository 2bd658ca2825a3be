"""Batch scoring (`roleplay score --jsonl`): JSON lines in, one result line out per line, in order.

From a file, chunks of lines go to forked worker processes that share the scorer built once
before the fork; from stdin, line by line, flushed, so a program can talk to it one reply at a time.
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


def score_jsonl(scorer, source: str, jobs: int) -> int:
    """Score the JSON lines of `source` (a file, or - for stdin) to stdout, as the module says."""
    import os

    global _SCORER
    _SCORER = scorer
    try:
        stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"roleplay score: cannot read {source}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        # The word index and the known words' tables (read from the model file, not worked out)
        # are made once, here, and shared with any workers; each adds the words it meets that
        # the model does not know.
        if hasattr(scorer, "preload"):
            scorer.preload()
        if stream is sys.stdin or jobs <= 1 or not hasattr(os, "fork"):
            for n, line in enumerate(stream, 1):
                sys.stdout.write(_score_rows((n, [line])))
                if stream is sys.stdin:
                    sys.stdout.flush()
        else:
            import gc
            import multiprocessing

            # The scorer's tables are shared with the workers copy-on-write; a collection in a
            # worker would touch every one of them (and copy their pages), so they are frozen.
            gc.freeze()
            # Chunks of 250 lines, and smaller ones at the end of a file (see _chunks).
            with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start) as pool:
                try:
                    total = os.fstat(stream.fileno()).st_size
                except (OSError, ValueError, AttributeError):
                    total = 0
                for outs in pool.imap(_score_rows, _chunks(stream, 250, total)):
                    sys.stdout.write(outs)
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
