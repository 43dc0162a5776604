"""With a minimum duration, an article must stay at or above the threshold that long."""

from connectors.models import Qualification
from connectors.tests.conftest import T0, make_connector


def test_a_connector_posts_only_after_the_minimum_duration_at_the_threshold(newsroom, tenant, receiver):
    make_connector(tenant, receiver.origin, threshold=2, min_minutes=2)
    newsroom.readers("/big", 2)
    assert newsroom.evaluate(T0) == 0
    assert newsroom.evaluate(T0 + 60) == 0
    assert newsroom.evaluate(T0 + 119) == 0
    assert newsroom.evaluate(T0 + 120) == 1
    assert len(receiver.got("/hook")) == 1


def test_a_dip_below_the_threshold_starts_the_duration_again(newsroom, tenant, receiver):
    make_connector(tenant, receiver.origin, threshold=2, min_minutes=2)
    newsroom.readers("/big", 2)
    newsroom.evaluate(T0)
    # Both readers leave the live window (5 minutes without a hit): the article drops out.
    assert newsroom.evaluate(T0 + 301) == 0
    assert Qualification.objects.filter(ended_at__isnull=True).count() == 0
    newsroom.readers("/big", 2)
    assert newsroom.evaluate(T0 + 302) == 0
    assert newsroom.evaluate(T0 + 302 + 119) == 0
    assert newsroom.evaluate(T0 + 302 + 120) == 1


def test_without_a_minimum_duration_an_article_is_due_at_first_sight_whatever_the_clocks_fraction(newsroom, tenant, receiver):
    # T0 + 0.1401217 rounds up to the next microsecond as a datetime: a float comparison saw -0.2 µs.
    make_connector(tenant, receiver.origin, threshold=2)
    newsroom.readers("/big", 2)
    assert newsroom.evaluate(1900000000.1401217) == 1
