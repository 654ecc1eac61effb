"""Gold attributions: PolNeAR-style brat folders and JSON (Lines) gold records, read into small
frozen records whose spans are character offsets into each article's text (end exclusive).

Choices, so that every figure can be reproduced:

- An article annotated by several annotators (``NAME_A.ann``, ``NAME_B.ann``) is scored against
  one of them only: the lexicographically first annotator suffix (``NAME_4e07.ann`` before
  ``NAME_6b86.ann``). The others are listed in ``GoldArticle.annotators``.
- Only attributions linked by an ``E`` line are gold; a ``Content2`` (``Content3`` ...) role adds
  pieces to the content, a second Source or Cue adds pieces to it. ``Discuss`` and ``Discard``
  flags, annotator notes and unlinked spans are ignored; an ``E`` line without Content is skipped.
- Attributions without a Source (``Attribution-no-source``, or an ``E`` line with no Source) keep
  an empty ``source``; metrics.py says how they are scored.
- PolNeAR has no kind: it is derived from the content (``derive_kind``). JSON gold keeps its
  ``type`` when it is one of direct, mixed, indirect.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from onrecord.errors import InputError
from onrecord.model import KINDS, merge_pieces
from onrecord.text.quotemarks import APOSTROPHE_PAIR, DOUBLE_CLOSE, DOUBLE_OPEN, STRAIGHT_DOUBLE

Pieces = tuple[tuple[int, int], ...]

#: What counts as a quotation mark for the kind of a gold statement and for the quoted subset:
#: double marks only (straight, curly, low-9, guillemets, and two straight apostrophes typed for one,
#: as news archives keep the New York Times). Single marks are left out because ’ and ' are
#: apostrophes far more often than quotation marks in English news.
QUOTE_MARKS = frozenset(DOUBLE_OPEN | DOUBLE_CLOSE | {STRAIGHT_DOUBLE, "‟"})

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_ROLE = re.compile(r"^([A-Za-z-]+?)(\d*):(T\d+)$")


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution: content, cue and source as pieces of the article text."""

    id: str
    content: Pieces
    cue: Pieces = ()
    source: Pieces = ()  # () when the attribution has no source
    kind: str = "indirect"
    quoted: bool = False  # the content holds a double quotation mark
    source_entity: str | None = None  # canonical speaker name, where the gold gives one

    @property
    def has_source(self) -> bool:
        """Whether the gold names a source that a predicted speaker can match."""
        return bool(self.source)


@dataclass(frozen=True)
class GoldArticle:
    """One annotated article: its text and the attributions of the chosen annotator."""

    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]
    annotator: str | None = None
    annotators: tuple[str, ...] = ()  # every annotator who annotated this text, sorted
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class GoldSet:
    """The articles of one gold source, in a fixed order (sorted names for brat, file order for JSON)."""

    source: str
    format: str  # "brat" or "json"
    articles: tuple[GoldArticle, ...]
    skipped: tuple[str, ...] = ()  # what was left out and why, one line each


def text_of(text: str, pieces: Pieces) -> str:
    """The text of a (possibly discontinuous) span, its pieces joined by one space (brat's way)."""
    return " ".join(text[a:b] for a, b in pieces)


def is_quoted(content: str) -> bool:
    """Whether a content holds a double quotation mark (the 'quoted subset')."""
    return APOSTROPHE_PAIR in content or any(ch in QUOTE_MARKS for ch in content)


def derive_kind(content: str) -> str:
    """direct when every word is inside quotation marks, mixed when some are, indirect when none are."""
    if not is_quoted(content):
        return "indirect"
    content = content.replace(APOSTROPHE_PAIR, STRAIGHT_DOUBLE)
    depth = 0
    inside = outside = 0
    for i, ch in enumerate(content):
        if ch in QUOTE_MARKS:
            after = content[i + 1] if i + 1 < len(content) else " "
            before = content[i - 1] if i else " "
            if ch == STRAIGHT_DOUBLE or (ch in DOUBLE_CLOSE and depth == 0 and after.isalnum()):
                opens = depth == 0  # a straight mark toggles; a closer that starts a word opens (a typo)
            elif ch in DOUBLE_OPEN and depth > 0 and before.isalnum() and not after.isalnum():
                opens = False  # an opener that ends a word closes (a typo)
            else:
                opens = ch in DOUBLE_OPEN
            depth = depth + 1 if opens else max(0, depth - 1)
        elif ch.isalnum():
            if depth:
                inside += 1
            else:
                outside += 1
    if inside and not outside:
        return "direct"
    return "mixed" if inside else "indirect"


def load_gold(path: str | Path, limit: int | None = None) -> GoldSet:
    """Gold from a brat folder (text/, attributions/) or a JSON / JSON Lines file of gold records."""
    p = Path(path)
    if not p.exists():
        raise InputError(
            f"{p}: no such file or folder; give a PolNeAR-style brat folder (with text/ and attributions/, "
            "e.g. ../shared/bench/polnear/dev) or a JSON Lines file of gold records"
        )
    if p.is_dir():
        return load_brat(p, limit)
    return load_json_gold(p, limit)


# --- brat ------------------------------------------------------------------------------------


def load_brat(folder: Path, limit: int | None = None) -> GoldSet:
    """Articles of a brat folder, sorted by name; one annotator each (the first suffix in sort order)."""
    text_dir, ann_dir = folder / "text", folder / "attributions"
    if not (text_dir.is_dir() and ann_dir.is_dir()):
        subs = sorted(d.name for d in folder.iterdir() if d.is_dir() and (d / "text").is_dir())
        hint = f"; it holds {', '.join(s + '/' for s in subs)}: name one of them, e.g. {folder / subs[0]}" if subs else ""
        raise InputError(f"{folder}: not a brat gold folder: it needs text/ and attributions/ folders{hint}")
    by_name: dict[str, list[tuple[str, Path]]] = {}
    for ann in ann_dir.glob("*.ann"):
        name, sep, annotator = ann.stem.rpartition("_")
        if not sep:
            name, annotator = ann.stem, ""
        by_name.setdefault(name, []).append((annotator, ann))
    metadata = _read_metadata(folder)
    articles: list[GoldArticle] = []
    skipped: list[str] = []
    for txt in sorted(text_dir.glob("*.txt")):
        name = txt.stem
        if name not in by_name:
            skipped.append(f"{name}: no annotation file in attributions/")
            continue
        if limit is not None and len(articles) >= limit:
            break
        annotators = sorted(by_name[name])
        annotator, ann_path = annotators[0]
        text = _read_utf8(txt)
        attributions, problems = parse_brat(text, _read_utf8(ann_path), ann_path.name)
        skipped += problems
        meta = metadata.get(name, {})
        articles.append(
            GoldArticle(
                name=name,
                text=text,
                attributions=attributions,
                annotator=annotator or None,
                annotators=tuple(a for a, _ in annotators),
                title=meta.get("title") or None,
                outlet=meta.get("publisher") or None,
                published=meta.get("publication_date") or None,
            )
        )
    if not articles:
        raise InputError(f"{folder}: no annotated article (text/NAME.txt with attributions/NAME_ANNOTATOR.ann)")
    return GoldSet(str(folder), "brat", tuple(articles), tuple(skipped))


def other_annotations(folder: str | Path, article: GoldArticle) -> tuple[GoldArticle, ...]:
    """The article as each of its other annotators annotated it (training data; scoring uses the first)."""
    out = []
    for annotator in article.annotators:
        if annotator == (article.annotator or ""):
            continue
        ann = Path(folder) / "attributions" / f"{article.name}_{annotator}.ann"
        attributions, _ = parse_brat(article.text, _read_utf8(ann), ann.name)
        out.append(replace(article, attributions=attributions, annotator=annotator))
    return tuple(out)


def parse_brat(text: str, ann: str, source: str = "<ann>") -> tuple[tuple[GoldAttribution, ...], list[str]]:
    """The attributions of one .ann file (linked by E lines), and a line for each one left out."""
    spans: dict[str, tuple[str, Pieces]] = {}
    events: list[tuple[str, str]] = []
    for line in ann.splitlines():
        m = _T_LINE.match(line)
        if m:
            pieces = tuple(tuple(int(x) for x in part.split()) for part in m.group(3).split(";"))
            for a, b in pieces:
                if not 0 <= a <= b <= len(text):
                    raise InputError(f"{source}: {m.group(1)} span {a}-{b} lies outside its text of {len(text)} characters")
            spans[m.group(1)] = (m.group(2), tuple(sorted(pieces)))  # type: ignore[arg-type]
            continue
        m = _E_LINE.match(line)
        if m:
            events.append((m.group(1), m.group(2)))
    out: list[GoldAttribution] = []
    problems: list[str] = []
    for eid, args in events:
        roles: dict[str, list[tuple[int, int]]] = {"Content": [], "Cue": [], "Source": []}
        for arg in args.split():
            rm = _ROLE.match(arg)
            if not rm or rm.group(3) not in spans:
                continue
            role = rm.group(1)
            if role in roles:
                roles[role] += spans[rm.group(3)][1]
        if not roles["Content"]:
            problems.append(f"{source}: {eid} has no Content; left out")
            continue
        content = merge_pieces(roles["Content"])
        body = text_of(text, content)
        out.append(
            GoldAttribution(
                id=eid,
                content=content,
                cue=merge_pieces(roles["Cue"]),
                source=merge_pieces(roles["Source"]),
                kind=derive_kind(body),
                quoted=is_quoted(body),
            )
        )
    out.sort(key=lambda g: (g.content[0], int(g.id[1:]) if g.id[1:].isdigit() else 0))
    return tuple(out), problems


def _read_utf8(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start}); brat offsets need the exact text") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def _read_metadata(folder: Path) -> dict[str, dict[str, str]]:
    """metadata.tsv rows by filename, from the folder or the folder above it (PolNeAR keeps it there)."""
    for candidate in (folder / "metadata.tsv", folder.parent / "metadata.tsv"):
        if candidate.is_file():
            lines = _read_utf8(candidate).splitlines()
            if not lines:
                return {}
            header = lines[0].split("\t")
            rows = [dict(zip(header, line.split("\t"))) for line in lines[1:] if line.strip()]
            return {r["filename"]: r for r in rows if "filename" in r}
    return {}


# --- JSON gold records -----------------------------------------------------------------------


def load_json_gold(path: Path, limit: int | None = None) -> GoldSet:
    """Gold records from one JSON object, a JSON array, or JSON Lines (one record a line)."""
    raw = _read_utf8(path)
    try:
        data = json.loads(raw)
        records = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        records = []
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{path}: line {n} is not JSON ({exc.msg}); give a brat folder or a JSON Lines file of gold records"
                ) from exc
    if limit is not None:
        records = records[:limit]
    articles = tuple(gold_from_record(r, f"{path.stem}#{n}") for n, r in enumerate(records, 1))
    if not articles:
        raise InputError(f"{path}: holds no gold record")
    return GoldSet(str(path), "json", articles)


def gold_from_record(record: dict[str, Any], default_name: str = "record") -> GoldArticle:
    """One article from a gold record: text and quotes[quote_start, quote_end, speaker_*, cue_*, type]."""
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputError(f"{default_name}: a gold record needs a 'text' string and a 'quotes' list")
    text = record["text"]
    out = []
    for n, q in enumerate(record.get("quotes") or (), 1):
        try:
            if q.get("quote_spans"):
                content = merge_pieces([(int(a), int(b)) for a, b in q["quote_spans"]])
            else:
                content = ((int(q["quote_start"]), int(q["quote_end"])),)
            cue = _pair(q, "cue")
            source = _pair(q, "speaker")
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{default_name}: quote {n} lacks valid quote_start/quote_end offsets ({exc!r})") from exc
        for a, b in content + cue + source:
            if not 0 <= a <= b <= len(text):
                raise InputError(f"{default_name}: quote {n} has a span {a}-{b} outside its text of {len(text)} characters")
        body = text_of(text, content)
        kind = q.get("type") if q.get("type") in KINDS else derive_kind(body)
        out.append(
            GoldAttribution(
                id=f"q{n}",
                content=content,
                cue=cue,
                source=source,
                kind=kind,
                quoted=is_quoted(body),
                source_entity=q.get("speaker_entity"),
            )
        )
    return GoldArticle(
        name=str(record.get("id") or record.get("name") or default_name),
        text=text,
        attributions=tuple(out),
        title=record.get("title"),
        outlet=record.get("outlet"),
        published=record.get("published"),
    )


def _pair(q: dict[str, Any], prefix: str) -> Pieces:
    a, b = q.get(f"{prefix}_start"), q.get(f"{prefix}_end")
    if a is None or b is None:
        return ()
    return ((int(a), int(b)),)
