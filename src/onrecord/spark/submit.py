"""The script spark-submit runs: `spark-submit [options] path/to/onrecord/spark/submit.py INPUT... OUTPUT`
takes the arguments of `onrecord spark` (the master and executors come from spark-submit)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run `onrecord spark` with these arguments (default: the command line's); returns the exit status."""
    from onrecord.cli import main as cli_main

    return cli_main(["spark", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
