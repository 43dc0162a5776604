"""An article qualifies at or above the live-reader threshold, and above the pageviews floor."""

from connectors.models import Post
from connectors.tests.conftest import T0, make_connector


def test_a_connector_posts_an_article_at_the_threshold_and_not_one_below(newsroom, tenant, receiver):
    make_connector(tenant, receiver.origin, threshold=3)
    newsroom.readers("/big", 3, title="Big story")
    newsroom.readers("/small", 2, title="Small story")
    assert newsroom.evaluate(T0) == 1
    (hook,) = receiver.got("/hook")
    assert hook["json"]["article"]["url"] == "/big"
    assert hook["json"]["article"]["realtime_users"] == 3


def test_a_connector_posts_once_per_qualification_however_often_it_is_evaluated(newsroom, tenant, receiver):
    make_connector(tenant, receiver.origin, threshold=2)
    newsroom.readers("/big", 2)
    for step in range(4):
        newsroom.evaluate(T0 + 15 * step)
    assert len(receiver.got("/hook")) == 1
    assert Post.objects.count() == 1


def test_a_connector_requires_the_pageviews_floor_when_one_is_set(newsroom, tenant, receiver):
    make_connector(tenant, receiver.origin, threshold=2, pageviews_floor=5)
    newsroom.readers("/big", 3)
    assert newsroom.evaluate(T0) == 0
    newsroom.readers("/big", 2)
    assert newsroom.evaluate(T0 + 15) == 1
    assert receiver.got("/hook")[0]["json"]["article"]["pageviews_today"] == 5


def test_an_inactive_connector_posts_nothing(newsroom, tenant, receiver):
    connector = make_connector(tenant, receiver.origin, threshold=1)
    connector.is_active = False
    connector.save()
    newsroom.readers("/big", 3)
    assert newsroom.evaluate(T0) == 0
    assert receiver.got() == []
