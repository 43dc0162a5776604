"""Refresh realtime/ingest/data/matomo-referrers.json from Matomo's searchengine-and-social-list.

Usage: ``.venv/bin/python bench/refresh_matomo_referrers.py PATH`` where PATH is a checkout of
matomo-org/searchengine-and-social-list (CC0; SearchEngines.yml, Socials.yml, AIAssistants.yml).
Writes {host: [kind, name]} with kind "search", "social" or "ai"; hosts keep Matomo's "{}"
country placeholder (realtime/ingest/referrers.py reads it). Then check what changed with
bench/bench_enrich_accuracy.py.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parent.parent / "realtime" / "ingest" / "data"


def convert(src: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    engines = yaml.safe_load((src / "SearchEngines.yml").read_text(encoding="utf-8"))
    for name, configs in engines.items():
        for config in configs:
            for url in config["urls"]:
                out.setdefault(str(url).lower(), ["search", str(name)])
    for kind, filename in (("social", "Socials.yml"), ("ai", "AIAssistants.yml")):
        for name, urls in yaml.safe_load((src / filename).read_text(encoding="utf-8")).items():
            for url in urls:
                out.setdefault(str(url).lower(), [kind, str(name)])
    return dict(sorted(out.items()))


def main() -> None:
    src = Path(sys.argv[1])
    data = convert(src)
    lines = ",\n".join(f"{json.dumps(host)}: {json.dumps(entry, ensure_ascii=False)}" for host, entry in data.items())
    (OUT / "matomo-referrers.json").write_text("{\n" + lines + "\n}\n", encoding="utf-8")
    shutil.copy(src / "LICENSE", OUT / "matomo-referrers.LICENSE")
    print(f"realtime/ingest/data/matomo-referrers.json: {len(data)} hosts")


if __name__ == "__main__":
    main()
