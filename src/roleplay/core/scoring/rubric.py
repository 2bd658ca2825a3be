"""The rubric: labels, sub-kinds, cues, exemplars, feedback and lexicons, loaded from YAML.

A rubric file is for instructors to read and edit (see docs/scoring.md and rubrics/default.yaml).
`load_rubric(path)` checks it against RUBRIC_SHAPE (unknown keys with "did you mean", missing
keys, wrong types, values out of range), then what only meaning can catch (bad regexes at their
line, unknown word lists, cues with neither or both of `phrase`/`regex`), and compiles every cue
once, so scoring a reply never parses a pattern. Nothing here raises on a bad file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from roleplay.core.io.diagnostics import Diagnostic, Reporter
from roleplay.core.labels import KINDS, LABELS
from roleplay.core.io.paths import builtin_dir
from roleplay.core.scenario.shape import load_document, parse_document, suggest
from roleplay.core.scoring import pattern_facts
from roleplay.core.scoring.textnorm import Normaliser, normalise_phrase, stem
from roleplay.core.io.yamlload import YNode, text_of

from roleplay.core.scoring.rubric_shape import (  # noqa: F401  (RUBRIC_SHAPE is read by the schema)
    _INT_SETTINGS, _MACRO, _NAME, _PROTECTED_ONLY, REQUIRED_LEXICONS, RETIRED_SETTINGS, RUBRIC_SHAPE, SETTINGS,
    WHERE, Cue, Exemplar, KindSpec, Rubric, Settings,
)


# --- building ------------------------------------------------------------------------------

def _texts(n: YNode | None) -> list[tuple[str, YNode]]:
    if n is None:
        return []
    if n.kind == "seq":
        return [(str(x.value), x) for x in n.value if x.kind == "scalar" and x.value is not None]
    if n.kind == "scalar" and n.value is not None:
        return [(str(n.value), n)]
    return []


def _alternation(words: list[str]) -> str:
    uniq = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w) for w in uniq) + ")" if uniq else "(?!x)x"


_CAPITAL = re.compile(r"(?<!\\)[A-Z]")  # a capital letter that is not an escape such as \S

SENTENCE_START = r"(?:^|(?<=[.!?] ))"


class _Builder(Reporter):
    def __init__(self, path: str, root: YNode) -> None:
        super().__init__(path)
        self.root = root
        self._weight_warned = False

    @staticmethod
    def _list(n: YNode | None) -> list[str]:
        if n is None or n.kind != "seq":
            return []
        return [str(x.value).strip() for x in n.value
                if x.kind == "scalar" and x.value is not None and str(x.value).strip()]

    def build(self) -> Rubric | None:
        r = self.root.value
        ident = str(r["id"].value).strip() if r.get("id") is not None and r["id"].kind == "scalar" else ""
        if ident and not _NAME.match(ident):
            self.err(r["id"].pos, "E105", f"id {ident!r} must be lower_snake_case (letters, digits, _)")
        settings = self._settings(r.get("settings"))

        textspeak: dict[str, str] = {}
        ts = r.get("textspeak")
        if ts is not None and ts.kind == "map":
            for k, v in ts.value.items():
                if v.kind == "scalar" and v.value is not None and str(v.value).strip():
                    textspeak[k.strip().lower()] = str(v.value).strip().lower()

        lexicons: dict[str, tuple[str, ...]] = {}
        lx = r.get("lexicons")
        if lx is not None and lx.kind == "map":
            for name, v in lx.value.items():
                if not _NAME.match(name):
                    self.err(lx.key_pos(name), "E105", f"word list name {name!r} must be lower_snake_case")
                lexicons[name] = tuple(w.lower() for w in self._list(v))
            for name in REQUIRED_LEXICONS:
                if name not in lx.value:
                    self.err(lx.pos, "E103", f"lexicons is missing the word list {name!r} the scorer needs")
        elif lx is None:
            self.err(self.root.pos, "E103", "the file is missing the required key 'lexicons'")

        feelings: dict[str, tuple[str, ...]] = {}
        fl = r.get("feelings")
        if fl is not None and fl.kind == "map":
            for fam, v in fl.value.items():
                if not _NAME.match(fam):
                    self.err(fl.key_pos(fam), "E105", f"feeling family {fam!r} must be lower_snake_case")
                feelings[fam] = tuple(w.lower() for w in self._list(v))

        # The normaliser: its vocabulary is every word a cue, feeling or lexicon mentions, so a
        # typo is corrected towards words the rubric cares about and nothing else.
        # Neutral word lists (services, days...) are known words but not correction targets:
        # a typo is only ever read as a word that carries emotional or evaluative weight.
        vocab: set[str] = set()
        protected: set[str] = set()
        for words in feelings.values():
            vocab.update(x for w in words for x in w.split())
        for name, words in lexicons.items():
            target = protected if name in _PROTECTED_ONLY else vocab
            target.update(x for w in words for x in w.split())
        labels_node = r.get("labels")
        for _, _, cue_node in self._cue_nodes(labels_node):
            for text, _ in _texts(cue_node.get("phrase")):
                vocab.update(re.findall(r"[a-z]+", text.lower()))
            rx = cue_node.get("regex")
            if rx is not None and rx.kind == "scalar" and isinstance(rx.value, str):
                literal = _MACRO.sub(" ", re.sub(r"\\.|\(\?[:!=<]+|\{\d*,?\d*\}", " ", rx.value))
                vocab.update(w for w in re.findall(r"[a-z]{3,}", literal.lower()))
        normaliser = Normaliser(
            textspeak, lexicons.get("possessive_nouns", ()), vocab,
            protected=sorted(protected),
            fuzzy_cutoff=settings.fuzzy_cutoff, fuzzy_min_len=settings.fuzzy_min_len,
        )

        macros = self._macros(lexicons, feelings, normaliser)
        kinds: dict[tuple[str, str], KindSpec] = {}
        label_feedback: dict[str, str] = {}
        cues: list[Cue] = []
        exemplars: list[Exemplar] = []
        seen_ids: dict[str, tuple[int, int]] = {}
        if labels_node is not None and labels_node.kind == "map":
            for label, ln in labels_node.value.items():
                if label not in LABELS or ln.kind != "map":
                    continue
                fb = ln.get("feedback")
                if fb is not None and fb.kind == "scalar" and fb.value:
                    label_feedback[label] = str(fb.value).strip()
                kn = ln.get("kinds")
                if kn is None or kn.kind != "map":
                    continue
                for kind, kv in kn.value.items():
                    if kind not in KINDS[label] or kv.kind != "map":
                        continue
                    kcues: list[Cue] = []
                    cl = kv.get("cues")
                    for i, cn in enumerate(cl.value if cl is not None and cl.kind == "seq" else []):
                        if cn.kind != "map":
                            continue
                        kcues.extend(self._cue(cn, label, kind, i, macros, normaliser, seen_ids))
                    ex = tuple(self._list(kv.get("exemplars")))
                    for e in ex:
                        exemplars.append(Exemplar(label, kind, e, normaliser.normalise(e).text))
                    fbn = kv.get("feedback")
                    spec = KindSpec(label, kind, str(fbn.value).strip() if fbn is not None and fbn.value else "",
                                    text_of(kv.get("description")), tuple(kcues), ex)
                    kinds[(label, kind)] = spec
                    cues.extend(kcues)

        fam_of: dict[str, str] = {}
        fam_stems: dict[str, str] = {}
        for fam, words in feelings.items():
            for w in words:
                nw = normalise_phrase(normaliser, w)
                fam_of.setdefault(nw, fam)
                if " " not in nw:
                    fam_stems.setdefault(stem(nw), fam)
        title = r.get("title")
        desc = r.get("description")
        model = r.get("model")
        return Rubric(
            model=str(model.value).strip() if model is not None and model.kind == "scalar" and model.value else "",
            id=ident, title=str(title.value).strip() if title is not None and title.value else ident,
            path=self.path, settings=settings, textspeak=textspeak, feelings=feelings,
            lexicons=lexicons, kinds=kinds, label_feedback=label_feedback, cues=tuple(cues),
            exemplars=tuple(exemplars), normaliser=normaliser,
            description=str(desc.value).strip() if desc is not None and desc.value else "",
            feeling_family=fam_of, feeling_stems=fam_stems,
        )

    def _cue_nodes(self, labels_node: YNode | None):
        if labels_node is None or labels_node.kind != "map":
            return
        for label, ln in labels_node.value.items():
            kn = ln.get("kinds") if ln.kind == "map" else None
            if kn is None or kn.kind != "map":
                continue
            for kind, kv in kn.value.items():
                cl = kv.get("cues") if kv.kind == "map" else None
                if cl is None or cl.kind != "seq":
                    continue
                for cn in cl.value:
                    if cn.kind == "map":
                        yield label, kind, cn

    def _settings(self, n: YNode | None) -> Settings:
        values: dict[str, Any] = {}
        if n is not None and n.kind == "map":
            for name, v in n.value.items():
                if name in RETIRED_SETTINGS:
                    self.warn(n.key_pos(name), "W202", f"the setting {name!r} is no longer used (the scorer "
                              "learns its weights from labelled replies now); remove it")
                    continue
                if name in SETTINGS and v.kind == "scalar" and isinstance(v.value, (int, float)) \
                        and not isinstance(v.value, bool):
                    _, lo, hi, _ = SETTINGS[name]
                    if lo <= v.value <= hi:
                        values[name] = int(v.value) if name in _INT_SETTINGS else float(v.value)
        return Settings(**values)

    def _macros(self, lexicons: dict[str, tuple[str, ...]], feelings: dict[str, tuple[str, ...]],
                norm: Normaliser) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, words in lexicons.items():
            out[name] = _alternation([normalise_phrase(norm, w) for w in words])
        every: list[str] = []
        for fam, words in feelings.items():
            nws = [normalise_phrase(norm, w) for w in words]
            out["feeling_" + fam] = _alternation(nws)
            every.extend(nws)
        out["feeling"] = _alternation(every)
        fillers = out.get("fillers", "(?!x)x")
        out["S"] = SENTENCE_START + f"(?:{fillers} (?:, )?)*"
        out["end"] = r"(?= [.!?]|$)"
        return out

    def _cue(self, cn: YNode, label: str, kind: str, index: int, macros: dict[str, str],
             norm: Normaliser, seen_ids: dict[str, tuple[int, int]]) -> list[Cue]:
        v = cn.value
        phrase, regex = v.get("phrase"), v.get("regex")
        if (phrase is None) == (regex is None):
            self.err(cn.pos, "E203", f"a cue of {label}/{kind} needs exactly one of `phrase` or `regex`"
                     + ("" if phrase is None else ", not both"))
            return []
        ident = str(v["id"].value).strip() if v.get("id") is not None and v["id"].value else f"{kind}.{index + 1}"
        if ident in seen_ids:
            first = seen_ids[ident]
            self.err(v["id"].pos if v.get("id") is not None else cn.pos, "E204",
                     f"duplicate cue id {ident!r} (first at line {first[0]})")
        seen_ids.setdefault(ident, cn.pos)
        weight = 1.0
        wn = v.get("weight")
        if wn is not None and not self._weight_warned:
            self._weight_warned = True
            self.warn(wn.pos, "W202", "cue weights are no longer used (the scorer learns how much each cue "
                      "counts from labelled replies); remove `weight:` from the cues")
        negated = "cancel"
        nn = v.get("negated")
        if nn is not None and nn.kind == "scalar" and nn.value is not None:
            negated = str(nn.value).strip()
            if negated not in ("cancel", "keep"):
                lab, _, kd = negated.partition("/")
                if lab not in LABELS:
                    self.err(nn.pos, "E105", f"negated must be cancel, keep or label/kind, not {negated!r}"
                             + suggest(lab, LABELS))
                    negated = "cancel"
                elif kd not in KINDS[lab]:
                    self.err(nn.pos, "E105", f"{kd!r} is not a kind of {lab} ({', '.join(KINDS[lab])})"
                             + suggest(kd, KINDS[lab]))
                    negated = "cancel"
        where_n = v.get("where")
        where = str(where_n.value) if where_n is not None and where_n.value in WHERE else "anywhere"
        qn = v.get("quoted")
        quoted = bool(qn.value) if qn is not None and isinstance(qn.value, bool) else False

        sources: list[tuple[str, YNode, str]] = []  # (as written, node, pattern)
        if phrase is not None:
            # A list of phrases is one cue: one regex, longest phrase first, so it is run once.
            alts: list[str] = []
            for text, node in _texts(phrase):
                nt = normalise_phrase(norm, text)
                if not nt.strip():
                    self.err(node.pos, "E105", "a cue phrase must contain a word")
                    continue
                alts.append(nt)
            if alts:
                written = " | ".join(t for t, _ in _texts(phrase))
                pat = "|".join(re.escape(a) for a in sorted(set(alts), key=lambda a: (-len(a), a)))
                sources.append((written, phrase, pat))
        else:
            text = str(regex.value) if regex.kind == "scalar" and regex.value is not None else ""
            if not text.strip():
                self.err(regex.pos, "E105", "a cue regex must not be empty")
                return []
            bad = False

            def sub(m: re.Match) -> str:
                nonlocal bad
                name = m.group(1)
                if name in macros:
                    return macros[name]
                bad = True
                self.err(regex.pos, "E202", f"regex uses an unknown word list {{{name}}}"
                         + suggest(name, macros))
                return ""

            expanded = _MACRO.sub(sub, text)
            if bad:
                return []
            if "'" in text or "’" in text:
                self.warn(regex.pos, "W201", "regexes match the normalised reply, where \"don't\" is "
                          "\"do not\" and \"you're\" is \"you are\": this apostrophe will never match")
            sources.append((text, regex, expanded))
        out: list[Cue] = []
        for text, node, pat in sources:
            try:
                # Whole words: a match starts at a word and ends at one (or just after a space,
                # so "i am sure (?:that|it) " still matches before the next word).
                # The text matched is already lower case; case-folding costs a quarter of the
                # scoring time, so it is only asked for when the author wrote a capital letter.
                flags = re.IGNORECASE if _CAPITAL.search(pat) else 0
                compiled = re.compile(r"(?<!\S)(?:" + pat + r")(?:(?<=\s)|(?!\S))", flags)
            except re.error as exc:
                where_txt = f" at character {exc.pos + 1}" if exc.pos is not None else ""
                self.err(node.pos, "E201", f"bad regex{where_txt}: {exc.msg}")
                continue
            if compiled.match(""):
                self.err(node.pos, "E205", "this regex matches empty text, so it would fire on every reply")
                continue
            facts = pattern_facts.facts(pat)
            if facts.nested:
                self.err(node.pos, "E207", "this regex repeats a part that itself repeats without limit "
                         "(like (\\w+\\s?)+), which can take minutes on one reply; bound the inner or the "
                         "outer repeat, e.g. (?:\\w+ ){0,6}")
                continue
            cid = ident if len(sources) == 1 else f"{ident}.{len(out) + 1}"
            out.append(Cue(cid, label, kind, weight, compiled, text, negated, where, quoted, node.line,
                           facts.needs, facts.also))
        return out


def parse_rubric(source: str | bytes, path: str = "<rubric>") -> tuple[Rubric | None, list[Diagnostic]]:
    """Parse and check rubric text. Returns (None, diagnostics) when it cannot be used."""
    result = parse_document(source, path, RUBRIC_SHAPE, _Builder, "rubric (rubric:, id:, labels: ...)")
    pattern_facts.save()
    return result


def load_rubric(path: str | Path) -> tuple[Rubric | None, list[Diagnostic]]:
    """Load a rubric file: (Rubric, warnings) or (None, diagnostics). Never raises on a bad file."""
    return load_document(str(path), parse_rubric)


def default_rubric_path() -> Path:
    return builtin_dir("rubrics") / "default.yaml"


def find_rubric(name_or_path: str, base: str | Path | None = None) -> Path:
    """A built-in rubric name ("default") or a path (relative to `base`, e.g. a scenario's folder)."""
    if _NAME.match(name_or_path):
        p = builtin_dir("rubrics") / f"{name_or_path}.yaml"
        if p.is_file():
            return p
    p = Path(name_or_path).expanduser()
    if not p.is_absolute() and base is not None:
        p = Path(base) / p
    return p


@lru_cache(maxsize=1)
def load_default_rubric() -> Rubric:
    """The built-in rubric, loaded once. A broken built-in rubric is a bug: it raises."""
    rubric, diags = load_rubric(default_rubric_path())
    if rubric is None:
        raise RuntimeError("the built-in rubric is broken:\n" + "\n".join(map(str, diags)))
    return rubric
