"""Enrichment accuracy on public labelled corpora (bench/enrich_corpora.py): device class, bot
recall by category, false positives on real browsers, referrer recognition, cost per cold parse.

Run from the project root: ``.venv/bin/python bench/bench_enrich_accuracy.py [--quick]``. Prints
one ``figure <key> <value>`` line per measured figure (read by bench/run.py), then the details.
``--quick`` measures every 10th User-Agent (CI's smoke test; its numbers are not the figures).
Needs no Django settings and no network: the corpora ship in packages (requirements-dev.txt).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import enrich_corpora  # noqa: E402
from realtime.ingest import bots, sources, useragent  # noqa: E402

# The bot categories that a JavaScript tracker meets most (they run pages).
MONITOR_CATEGORIES = ("Site Monitor", "Service Agent", "Feed Fetcher", "AI Assistant", "AI Agent")
REFERRER_MEDIUMS = {"search": "search", "social": "social", "email": "newsletter"}


def pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def figure(key: str, value: float) -> None:
    print(f"figure {key} {value:.3f}")


def measure_agents(step: int) -> list[str]:
    agents = list(enrich_corpora.agents())[::step]
    useragent.clear_cache()
    total, right, wrong = Counter(), Counter(), Counter()
    browsers = flagged = 0
    start = time.perf_counter_ns()
    for agent in agents:
        parsed = useragent.parse_user_agent(agent.user_agent)
        if agent.device_class:
            total[agent.device_class] += 1
            if parsed.device == agent.device_class:
                right[agent.device_class] += 1
            else:
                wrong[(agent.device_class, parsed.device)] += 1
        if agent.is_browser:
            browsers += 1
            flagged += parsed.is_bot
    cold_us = (time.perf_counter_ns() - start) / len(agents) / 1000
    # Again with the parse cache cleared: every UA parsed anew, but the device list's RE2 sets
    # have built their DFA states (what a process pays once it has seen some traffic).
    useragent.clear_cache()
    start = time.perf_counter_ns()
    for agent in agents:
        useragent.parse_user_agent(agent.user_agent)
    cold_warm_us = (time.perf_counter_ns() - start) / len(agents) / 1000
    lows = [agent.user_agent.lower() for agent in agents]
    start = time.perf_counter_ns()
    for low in lows:
        bots.matches_bot_list(low)
    bot_us = (time.perf_counter_ns() - start) / len(lows) / 1000

    figure("enrich.accuracy.device_pct", pct(sum(right.values()), sum(total.values())))
    for cls in ("desktop", "mobile", "tablet"):
        figure(f"enrich.accuracy.{cls}_pct", pct(right[cls], total[cls]))
    figure("enrich.accuracy.browser_fp_pct", pct(flagged, browsers))
    figure("enrich.accuracy.ua_cold_us", cold_us)
    figure("enrich.accuracy.ua_cold_list_warm_us", cold_warm_us)
    figure("enrich.accuracy.bot_list_cold_us", bot_us)
    lines = [f"device class: {sum(right.values())}/{sum(total.values())} UAs right "
             f"(Matomo Device Detector fixtures; desktop {right['desktop']}/{total['desktop']}, "
             f"mobile {right['mobile']}/{total['mobile']}, tablet {right['tablet']}/{total['tablet']})",
             "  most frequent confusions (labelled -> ours): "
             + ", ".join(f"{a}->{b} {n}" for (a, b), n in wrong.most_common(4)),
             f"bot flag on real browsers: {flagged} of {browsers}",
             f"cold parse_user_agent {cold_us:.1f} us/UA over the corpus ({cold_warm_us:.1f} us/UA a second time, "
             f"the device list's DFAs warm); bot list alone {bot_us:.2f} us/UA"]
    return lines


def measure_bots(step: int) -> list[str]:
    labelled = list(enrich_corpora.bots())[::step] if step > 1 else list(enrich_corpora.bots())
    total, caught = Counter(), Counter()
    for bot in labelled:
        total[bot.category] += 1
        caught[bot.category] += useragent.parse_user_agent(bot.user_agent).is_bot
    figure("enrich.accuracy.bot_recall_pct", pct(sum(caught.values()), sum(total.values())))
    figure("enrich.accuracy.site_monitor_pct", pct(caught["Site Monitor"], total["Site Monitor"]))
    lines = [f"bots caught: {sum(caught.values())}/{sum(total.values())} (Matomo's bots.yml fixtures)"]
    for category in sorted(total, key=lambda c: -total[c]):
        marker = " *" if category in MONITOR_CATEGORIES else ""
        lines.append(f"  {category:<22} {caught[category]:>4}/{total[category]:<4} "
                     f"{pct(caught[category], total[category]):5.1f}%{marker}")
    return lines


def measure_crawler_user_agents() -> list[str]:
    """Bot recall on a second corpus, kept apart from the list NowMetrix ships."""
    total, caught = Counter(), Counter()
    for bot in enrich_corpora.crawler_user_agents():
        total[bot.category] += 1
        caught[bot.category] += useragent.parse_user_agent(bot.user_agent).is_bot
    figure("enrich.accuracy.cua_bot_recall_pct", pct(sum(caught.values()), sum(total.values())))
    figure("enrich.accuracy.cua_monitoring_pct", pct(caught["monitoring"], total["monitoring"]))
    return [f"bots caught: {sum(caught.values())}/{sum(total.values())} (crawler-user-agents' instances)"] + [
        f"  {tag:<22} {caught[tag]:>4}/{total[tag]:<4} {pct(caught[tag], total[tag]):5.1f}%"
        for tag in sorted(total, key=lambda t: -total[t])
    ]


def _recognised(hosts: list[str], want: str) -> int:
    def url(host: str) -> str:
        return f"https://{host}" if "/" in host else f"https://{host}/"

    return sum(1 for host in hosts
               if (s := sources.classify_source(url(host), {}, frozenset())) is not None and s.medium == want)


def measure_referrers() -> list[str]:
    lines = []
    # GA4's source categories: a list NowMetrix does not ship (its "social" also holds blogs,
    # forums, review sites and link shorteners, which NowMetrix counts as referrals).
    for kind, hosts in enrich_corpora.ga4_source_hosts().items():
        known = _recognised(hosts, kind)
        figure(f"enrich.accuracy.ga4_{kind}_hosts_pct", pct(known, len(hosts)))
        lines.append(f"{kind} hosts recognised: {known}/{len(hosts)} (GA4's source categories, not shipped)")
    # The lists NowMetrix ships (Matomo's, Ghost's): regression checks of the tables and rules.
    for kind, hosts in enrich_corpora.matomo_referrer_hosts().items():
        want = "search" if kind == "ai" else kind  # AI assistants share the search medium
        known = _recognised(hosts, want)
        figure(f"enrich.accuracy.{kind}_hosts_pct", pct(known, len(hosts)))
        lines.append(f"{kind} hosts recognised: {known}/{len(hosts)} (Matomo's list, shipped)")
    for medium, hosts in enrich_corpora.referrer_hosts().items():
        if medium in REFERRER_MEDIUMS:
            known = _recognised(hosts, REFERRER_MEDIUMS[medium])
            lines.append(f"{REFERRER_MEDIUMS[medium]} hosts recognised: {known}/{len(hosts)} (Ghost's list, shipped)")
    return lines


def main() -> None:
    step = 10 if "--quick" in sys.argv else 1
    try:
        details = measure_agents(step) + measure_bots(step) + measure_crawler_user_agents() + measure_referrers()
    except enrich_corpora.CorpusMissing as exc:
        print(f"skipped: {exc}")
        return
    print("\n".join(details))


if __name__ == "__main__":
    main()
