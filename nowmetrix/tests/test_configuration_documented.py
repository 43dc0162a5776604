"""Every environment variable that `nowmetrix/settings.py` reads is named in the README's
Configuration section, so an operator finds every knob in one table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_READ = re.compile(r"""(?:env_\w+|os\.environ\.get|os\.environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")


def _configuration_section() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("\n## Configuration\n")
    return readme[start:readme.index("\n## ", start + 1)]


def test_every_variable_settings_reads_is_in_the_readme_configuration_table():
    read = set(_READ.findall((ROOT / "nowmetrix" / "settings.py").read_text()))
    assert len(read) > 40  # the pattern still finds the helpers' calls
    section = _configuration_section()
    missing = sorted(name for name in read if not re.search(rf"`{name}[`=]", section))
    assert missing == []
