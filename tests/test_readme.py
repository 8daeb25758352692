"""The README's examples do what it says: the Python block prints an answer from every
print call, and the command-line examples run as written after the set-up command."""
from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(lang: str, start: str) -> str:
    """The first ```lang block of the README whose text starts with ``start``."""
    for m in re.finditer(rf"```{lang}\n(.*?)```", README, re.S):
        if m.group(1).startswith(start):
            return m.group(1)
    raise AssertionError(f"no {lang} block starting {start!r} in README.md")


def test_set_up_puts_kg_where_the_examples_call_it():
    setup = block("sh", "# 1.")
    assert ".venv/bin/pip install -e ." in setup and ".venv/bin/kg build" in setup
    commands = [line for line in block("text", "$ ").splitlines() if line.startswith("$ ")]
    assert commands and all(c.startswith("$ .venv/bin/kg ") for c in commands)


def test_python_example_prints_answers(monkeypatch):
    """Run against the bundled graph in outputs/, as the README's set-up leaves it."""
    code = block("python", "import kg")
    calls = [i for i, line in enumerate(code.splitlines(), 1) if "print(" in line]
    printed: dict = {}

    def record(*args, **kwargs):
        line = sys._getframe(1).f_lineno
        text = " ".join(str(a) for a in args)
        printed.setdefault(line, []).append(text)

    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {"print": record, "__name__": "readme"})
    assert len(calls) >= 3
    for line in calls:
        texts = printed.get(line, [])
        assert texts and all(t.strip() for t in texts), f"README print on line {line} of the block printed nothing"
    assert printed[calls[0]][0].startswith("ResNet-50 method")


@pytest.fixture(scope="module")
def examples():
    """(command line, the README's output) pairs of the command-line block."""
    text = block("text", "$ ")
    parts = re.split(r"^\$ (.*)$", text, flags=re.M)[1:]
    return [(parts[i], parts[i + 1].strip("\n")) for i in range(0, len(parts), 2)]


def test_command_line_examples_run_as_written(examples, tmp_path):
    assert len(examples) >= 3
    for command, shown in examples:
        args = shlex.split(command.replace("/tmp/", f"{tmp_path}/"))
        assert args[0] == ".venv/bin/kg"
        result = CliRunner().invoke(cli, args[1:])
        assert result.exit_code == 0, (command, result.output)
        out = result.output.replace(f"{tmp_path}/", "/tmp/")
        first = shown.splitlines()[0]
        assert first in out.splitlines(), (command, first, out)
