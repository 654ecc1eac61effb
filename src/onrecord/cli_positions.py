"""The commands on positions and disagreements: `onrecord positions NAME`, `onrecord target
[TARGET]` and `onrecord disagreements`. Each opens the store, calls one Store method and prints."""

from __future__ import annotations

import argparse
import json
from typing import Any

from onrecord.cli import _add_db_flag, _open_existing_store


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add positions, target and disagreements to the command parser."""
    po = sub.add_parser("positions", help="what one speaker is for and against, with the evidence")
    po.add_argument("name", metavar="NAME", help="a canonical name, a variant or a surname")
    po.add_argument("--json", action="store_true", help="print the positions as JSON")
    _add_db_flag(po)
    po.set_defaults(run=_run_positions)

    tg = sub.add_parser("target", help="who is for and who is against a target, by month (no TARGET: the most contested targets)")
    tg.add_argument("target", metavar="TARGET", nargs="?", help="a target as stored ('ceasefire') or as printed ('a ceasefire')")
    tg.add_argument("--top", type=int, default=20, metavar="N", help="without TARGET: list the first N targets (default 20)")
    tg.add_argument("--json", action="store_true", help="print as JSON")
    _add_db_flag(tg)
    tg.set_defaults(run=_run_target)

    di = sub.add_parser("disagreements", help="who disagrees with whom: explicit and derived (opposite stances) disagreements")
    di.add_argument("--top", type=int, default=20, metavar="N", help="the N heaviest pairs (default 20)")
    di.add_argument("--min-weight", type=int, default=1, metavar="N", help="only pairs with at least N disagreements (default 1)")
    di.add_argument("--json", action="store_true", help="print the network (nodes and edges) as JSON")
    _add_db_flag(di)
    di.set_defaults(run=_run_disagreements)


def _read(args: argparse.Namespace, method: str, *params: Any) -> Any:
    """Call one Store read method on the --db store; with --json print its result as JSON and
    return None, else return it for printing."""
    with _open_existing_store(args) as store:
        result = getattr(store, method)(*params)
    if not args.json:
        return result
    rows = [r.to_dict() for r in result] if isinstance(result, list) else result.to_dict()
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    return None


def _dates(first: str | None, last: str | None) -> str:
    first, last = (first or "")[:10], (last or "")[:10]
    return (first if first == last else f"{first or '?'} to {last or '?'}") or "undated"


def _print_evidence(evidence: Any) -> None:
    for e in evidence:
        where = f"statement {e.statement_id}, " if e.statement_id is not None else ""
        print(f"      {e.kind}: {where}article {e.article_id} [{e.start}:{e.end}] {' '.join(e.text.split())}")


def _run_positions(args: argparse.Namespace) -> int:
    found = _read(args, "speaker_positions", args.name)
    if found is None:
        return 0
    print(f"{found.name}: {len(found.positions)} position{'s' if len(found.positions) != 1 else ''}")
    if not found.positions:
        print("(no positions read: no statement of theirs is for or against something)")
    for p in found.positions:
        print(f"  {'for' if p.stance == 'favor' else 'against':<8} {p.target_norm}  ({p.count}×, {_dates(p.first_date, p.last_date)})")
        _print_evidence(p.evidence)
    return 0


def _run_target(args: argparse.Namespace) -> int:
    if args.target is None:
        rows = _read(args, "targets", args.top)
        if rows == []:
            print("(no positions stored)")
        for r in rows or ():
            print(f"  {r.target_norm}  (for {r.favor}, against {r.against}; {r.holders} holder{'s' if r.holders != 1 else ''})")
        return 0
    view = _read(args, "target", args.target)
    if view is None:
        return 0
    print(f"{view.target_norm}  (printed as: {'; '.join(view.printed)})")
    for label, holders, total in (("for", view.favor, view.favor_holders), ("against", view.against, view.against_holders)):
        print(f"{label} ({total}{'' if total == len(holders) else f', the {len(holders)} with the most positions'}):")
        for h in holders:
            print(f"  {h.name}  ({h.position.count}×, {_dates(h.position.first_date, h.position.last_date)})")
            _print_evidence(h.position.evidence)
    if view.months:
        print("by month:")
    for m in view.months:
        print(f"  {m.month}  for {m.favor}  against {m.against}")
    if view.undated_favor or view.undated_against:
        print(f"  undated  for {view.undated_favor}  against {view.undated_against}")
    return 0


def _run_disagreements(args: argparse.Namespace) -> int:
    network = _read(args, "disagreement_network", args.min_weight, args.top)
    if network is None:
        return 0
    if not network.edges:
        print("(no disagreements between named speakers)")
    for e in network.edges:
        arrow = "->" if e.explicit else "<>"
        on = f"; opposite on {', '.join(e.targets)}" if e.targets else ""
        print(f"{e.a_name} {arrow} {e.b_name}  (explicit {e.explicit}, derived {e.derived}{on})")
        _print_evidence(e.evidence)
    return 0
