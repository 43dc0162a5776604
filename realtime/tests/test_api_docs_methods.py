"""The Swagger pages (`/docs/api`, `/docs/ga`) answer GET and HEAD; every other method, OPTIONS
included, is a 405 naming the allowed ones, never a 500 (DRF's OPTIONS metadata has no
template in the page's HTML renderer)."""

from __future__ import annotations

import pytest

PAGES = ["/docs/api", "/docs/ga"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("method", ["get", "head"])
def test_a_docs_page_answers_get_and_head(client, db, path, method):
    assert getattr(client, method)(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("method", ["OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"])
def test_a_docs_page_refuses_other_methods_with_405(client, db, path, method):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
