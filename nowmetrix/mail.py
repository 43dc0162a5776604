"""The development mail backend of `make run`: each mail on the console, as Django's console
backend prints it, and appended to `NOWMETRIX_MAIL_FILE`, whose path the banner shows, so an
invitation or password-reset link need not be fished out of the scrolling console."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend

_file_lock = threading.Lock()  # one process's threads append whole mails, never interleaved


class ConsoleAndFileBackend(EmailBackend):
    def write_message(self, message) -> None:
        super().write_message(message)  # to the console (self.stream)
        path = Path(settings.NOWMETRIX_MAIL_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = message.message().as_bytes().decode("utf-8", errors="replace")
        with _file_lock, open(path, "a", encoding="utf-8") as out:
            out.write(f"{text}\n{'-' * 79}\n")
