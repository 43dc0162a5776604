"""Placeholder: replaced by the lean ingest app."""


class IngestFrontApp:
    def __init__(self, fallback):
        self.fallback = fallback

    async def __call__(self, scope, receive, send):
        await self.fallback(scope, receive, send)
