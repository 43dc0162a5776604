import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from nowmetrix import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]


def test_no_app_module_reads_a_nowmetrix_setting_from_the_environment():
    offenders = [str(path.relative_to(ROOT)) for app in ("nowmetrix", "realtime", "trackers", "gacompat")
                 for path in (ROOT / app).rglob("*.py")
                 if "tests" not in path.parts and path.name not in ("settings.py", "instance.py", "pytest_plugin.py")
                 and re.search(r'environ(?:\.get)?[\[(]"NOWMETRIX_(?!READY_FILE|INSTANCE_FILE|DEMO_)', path.read_text())]
    assert offenders == []


def test_a_float_setting_that_is_no_number_fails_loudly(monkeypatch):
    monkeypatch.setenv("NOWMETRIX_SNAPSHOT_INTERVAL_SECS", "fast")
    with pytest.raises(ImproperlyConfigured, match="NOWMETRIX_SNAPSHOT_INTERVAL_SECS must be a number"):
        project_settings.env_float("NOWMETRIX_SNAPSHOT_INTERVAL_SECS", 1.0, minimum=0.001)
    monkeypatch.setenv("NOWMETRIX_SNAPSHOT_INTERVAL_SECS", "0")
    with pytest.raises(ImproperlyConfigured):
        project_settings.env_float("NOWMETRIX_SNAPSHOT_INTERVAL_SECS", 1.0, minimum=0.001)
    monkeypatch.setenv("NOWMETRIX_SNAPSHOT_INTERVAL_SECS", "0.25")
    assert project_settings.env_float("NOWMETRIX_SNAPSHOT_INTERVAL_SECS", 1.0, minimum=0.001) == 0.25
