"""Coverage-guided fuzzing of every ingest reader with atheris (libFuzzer), run by hand, not in the suite.

    pip install -e '.[fuzz]'
    python benchmarks/fuzz_readers.py -max_total_time=600 -rss_limit_mb=2048 -timeout=60 [CORPUS_DIR]

The first byte of each input picks the file name's suffix (so every reader and the sniffing of
unnamed files are reached), the rest is the file. Any exception, a hang past -timeout or memory
past -rss_limit_mb is a finding: libFuzzer stops and writes the input to crash-*/timeout-*/oom-*.
Every item must be an Article with storable text or a ReadFailure with a one-line reason.
Without a corpus folder, one valid file of every kind (from tests/test_fuzz_inputs.py) seeds it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["onrecord"]):
    from onrecord.ingest import ReadFailure, iter_articles
    from onrecord.ingest.base import BINARY  # noqa: F401  (instruments the module)
    from onrecord.model import Article
    from onrecord.settings import Settings

SUFFIXES = [".txt", ".html", ".json", ".jsonl", ".csv", ".tsv", ".rss", ".atom", ".xml", ".warc", ".warc.gz", ".md", ""]
SETTINGS = Settings(max_input_bytes=1_000_000, max_article_seconds=20)
WORK = Path(tempfile.mkdtemp(prefix="onrecord-fuzz-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))


def one_input(data: bytes) -> None:
    """Read one fuzzed file; fail loudly on anything but articles and one-line failures."""
    if not data:
        return
    path = WORK / f"input{SUFFIXES[data[0] % len(SUFFIXES)]}"
    path.write_bytes(data[1:])
    for item in iter_articles([str(path)], SETTINGS):
        if isinstance(item, ReadFailure):
            assert item.reason and "\n" not in item.reason, item
        else:
            assert isinstance(item, Article) and item.text.strip(), item
            assert not any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in item.text), item.source


def seed_corpus() -> str:
    """A folder holding one valid file of every kind, each prefixed with the byte that names its suffix."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_fuzz_inputs import SEEDS

    folder = Path(tempfile.mkdtemp(prefix="onrecord-fuzz-corpus-"))
    for suffix, data in SEEDS.items():
        (folder / f"seed{suffix or '-none'}").write_bytes(bytes([SUFFIXES.index(suffix)]) + data)
    return str(folder)


if __name__ == "__main__":
    argv = list(sys.argv)
    if not any(not a.startswith("-") for a in argv[1:]):
        argv.append(seed_corpus())
    atheris.Setup(argv, one_input)
    atheris.Fuzz()
