"""Posts per hour per connector, and a cool-down per article."""

from connectors.tests.conftest import T0, make_connector


def _urls(receiver) -> list[str]:
    return [r["json"]["article"]["url"] for r in receiver.got("/hook")]


def test_a_connector_posts_at_most_the_hourly_limit_in_any_sixty_minutes(newsroom, tenant, receiver):
    make_connector(tenant, receiver.origin, threshold=2, hourly_limit=2)
    newsroom.readers("/a", 5)
    newsroom.readers("/b", 4)
    newsroom.readers("/c", 3)
    assert newsroom.evaluate(T0) == 2
    assert _urls(receiver) == ["/a", "/b"]  # the most read first
    assert newsroom.evaluate(T0 + 15) == 0
    # Still qualifying when the first posts are an hour old (readers keep reading).
    newsroom.traffic.now = T0 + 3500
    newsroom.readers("/c", 3)
    assert newsroom.evaluate(T0 + 3599) == 0
    assert newsroom.evaluate(T0 + 3601) == 1
    assert _urls(receiver) == ["/a", "/b", "/c"]


def test_a_connector_posts_one_article_at_most_once_within_the_cool_down(newsroom, tenant, receiver):
    make_connector(tenant, receiver.origin, threshold=2, cooldown_hours=12)
    newsroom.readers("/a", 2)
    assert newsroom.evaluate(T0) == 1
    # The readers leave (the qualification ends), new ones come an hour later: a new
    # qualification, but within the cool-down.
    newsroom.evaluate(T0 + 400)
    newsroom.traffic.now = T0 + 3600
    newsroom.readers("/a", 3)
    assert newsroom.evaluate(T0 + 3600) == 0
    # Twelve hours after the post, the article may be posted again.
    newsroom.traffic.now = T0 + 12 * 3600 + 1
    newsroom.readers("/a", 3)
    assert newsroom.evaluate(T0 + 12 * 3600 + 1) == 1
    assert _urls(receiver) == ["/a", "/a"]


def test_test_messages_do_not_count_against_the_hourly_limit(newsroom, tenant, receiver, django_capture_on_commit_callbacks):
    from connectors import services

    connector = make_connector(tenant, receiver.origin, threshold=2, hourly_limit=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.connector_send_test(connector=connector, now=T0)
    newsroom.readers("/a", 2)
    assert newsroom.evaluate(T0) == 1
