"""History: durable rollups of the live state (slots, days, pages), the /v1 history endpoints
and the pace and recap pages. See README.md, section History."""
