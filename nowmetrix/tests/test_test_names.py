"""Test names read as sentences naming their subject: `test_a_revoked_key_is_rejected`, never
`test_it_...` (whose "it" the reader must look up in the module's docstring)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_test_name_starts_with_it():
    found = [f"{path.relative_to(ROOT)}: {name}"
             for path in sorted(ROOT.rglob("test_*.py")) if ".venv" not in path.parts
             for name in re.findall(r"^\s*(?:async\s+)?def (test_its?_\w+)", path.read_text(), re.M)]
    assert found == []
