"""The extract command: JSON and table output, and one-line errors for bad inputs."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord.cli import main

DATA = Path(__file__).parent / "data"


def run_cli(args, capsys, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(["extract", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_extract_json_record_of_the_example(capsys):
    code, out, err = run_cli([str(DATA / "cleverly-hussain.txt")], capsys)
    assert code == 0, err
    record = json.loads(out)
    assert set(record) >= {"article", "statements", "entities"}
    assert len(record["statements"]) >= 8
    text = (DATA / "cleverly-hussain.txt").read_text(encoding="utf-8")
    for s in record["statements"]:
        assert text[s["content"]["start"]:s["content"]["end"]] == s["content"]["text"]


def test_cli_extract_text_table_names_speakers_and_roles(capsys):
    code, out, _ = run_cli([str(DATA / "cleverly-hussain.txt"), "--format", "text"], capsys)
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["SPEAKER", "KIND", "CUE"]
    assert "Imran Hussain, MP for Bradford" in out
    assert "calls for" in out


def test_cli_extract_several_inputs_give_json_lines(capsys, tmp_path):
    second = tmp_path / "b.txt"
    second.write_text("“We will win,” the coach said.", encoding="utf-8")
    code, out, _ = run_cli([str(DATA / "cleverly-hussain.txt"), str(second)], capsys)
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["article"]["id"] for line in lines)


def test_cli_extract_html_reads_title_and_text(capsys, tmp_path):
    page = tmp_path / "a.html"
    page.write_text(
        "<html><head><title>Mayor speaks</title></head><body><article><h1>Mayor speaks</h1>"
        "<p>“The bridge will reopen in May,” Mayor Ana Lopez told reporters on Monday.</p>"
        "<p>She added that the repairs had cost less than planned.</p></article></body></html>",
        encoding="utf-8",
    )
    code, out, err = run_cli([str(page), "--with-text"], capsys)
    assert code == 0, err
    record = json.loads(out)
    assert record["article"]["title"] == "Mayor speaks"
    assert "bridge will reopen" in record["article"]["text"]
    assert any(s["cue"] and s["cue"]["text"] == "told" for s in record["statements"])


def test_cli_extract_stdin(capsys, monkeypatch):
    code, out, _ = run_cli(["-"], capsys, stdin="“Prices will fall,” the minister said.".encode(), monkeypatch=monkeypatch)
    assert code == 0
    assert json.loads(out)["statements"][0]["kind"] == "direct"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: (d / "bin.txt").write_bytes(bytes(range(256)) * 20) and d / "bin.txt", "binary"),
        (lambda d: (d / "folder").mkdir() or d / "folder", "folder"),
    ],
)
def test_cli_extract_bad_input_is_one_line_error(capsys, tmp_path, make, message):
    path = make(tmp_path)
    code, out, err = run_cli([str(path)], capsys)
    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert "Traceback" not in err


def test_cli_extract_unreadable_file(capsys, tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("x")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)  # as root, chmod 0 would not stop the read
    code, _, err = run_cli([str(path)], capsys)
    assert code != 0 and "cannot be read" in err and "Permission denied" in err


def test_cli_extract_empty_file_gives_empty_record(capsys, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    code, out, _ = run_cli([str(path)], capsys)
    assert code == 0
    record = json.loads(out)
    assert record["statements"] == [] and record["entities"] == []


def test_cli_extract_as_a_process_has_no_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "onrecord.cli", "extract", str(tmp_path / "nope.txt")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("onrecord: error:") and "Traceback" not in proc.stderr


def test_cli_unknown_spacy_model_is_a_clear_error(capsys):
    code, _, err = run_cli([str(DATA / "cleverly-hussain.txt"), "--spacy-model", "no_such_model_xyz"], capsys)
    assert code == 1
    assert "no_such_model_xyz" in err and "pip install" in err
