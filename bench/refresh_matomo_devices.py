"""Refresh realtime/ingest/data/matomo-devices.json from Matomo Device Detector's device list.

Usage: ``.venv/bin/python bench/refresh_matomo_devices.py [PATH]`` where PATH is
``regexes/device/mobiles.yml`` of a matomo-org/device-detector checkout (LGPL-3.0-or-later);
without PATH, the copy inside the ``device-detector`` package (requirements-dev.txt) is read.

Writes the brands in Matomo's order as ``[brand, regex, device, models]``: a model list only for
brands whose models are not all of the brand's device type, each ``[regex, device]`` in Matomo's
order (the first match wins, as in Device Detector). The regexes are Matomo's, unchanged;
realtime/ingest/device_models.py reads them. Then check what changed with
bench/bench_enrich_accuracy.py (the tablet figure).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "realtime" / "ingest" / "data"


def installed_list() -> Path:
    import device_detector

    return Path(device_detector.__file__).parent / "regexes" / "upstream" / "device" / "mobiles.yml"


def convert(text: str) -> list[list]:
    import yaml_rs  # device-detector's own YAML reader: PyYAML takes seconds on this file

    brands = []
    for name, entry in (yaml_rs.loads(text) or {}).items():
        device = str(entry.get("device") or "")
        models = [[str(model["regex"]), str(model.get("device") or device)] for model in entry.get("models") or ()]
        if all(model_device == device for _, model_device in models):
            models = []  # every model is of the brand's type: the brand's regex decides alone
        brands.append([str(name), str(entry["regex"]), device, models])
    return brands


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else installed_list()
    brands = convert(src.read_text(encoding="utf-8"))
    lines = ",\n".join(json.dumps(brand, ensure_ascii=False) for brand in brands)
    (OUT / "matomo-devices.json").write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    print(f"realtime/ingest/data/matomo-devices.json: {len(brands)} brands, "
          f"{sum(len(b[3]) for b in brands)} models kept")


if __name__ == "__main__":
    main()
