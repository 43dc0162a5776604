import subprocess
import sys

from django.conf import settings


def test_a_command_with_missing_arguments_exits_non_zero_with_a_clear_error():
    result = subprocess.run(
        [sys.executable, "manage.py", "create_tracker", "--account", "Demo"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "the following arguments are required: --name, --host" in result.stderr


def test_a_command_error_exits_non_zero_with_its_message():
    result = subprocess.run(
        [sys.executable, "manage.py", "create_demo", "--base-url", "ftp://nope"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "CommandError: --base-url must start with http:// or https://" in result.stderr
