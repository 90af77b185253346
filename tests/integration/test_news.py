"""News: editors write, leaders publish, citizens read, search and syndicate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import feedparser
from sqlalchemy import select

from portal.extensions import db
from portal.models import Article, ArticleRevision
from tests.admin_helpers import sign_in, sign_out, write_article
from tests.factories import make_user


def test_editor_writes_leader_publishes_citizen_reads(client) -> None:
    editor = make_user(roles=("editor",))
    leader = make_user(roles=("leader",))
    sign_in(client, editor)
    response = write_article(client)
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    article = db.session.scalar(select(Article))
    assert article.slug == "dan-van-kheo-o-xa-hoa-thanh"
    assert "<script" not in article.body_html and "onclick" not in article.body_html
    assert "<h2>" in article.body_html and 'rel="noopener noreferrer"' in article.body_html
    assert article.status == "draft" and article.cover_image
    article_id = article.id
    # an editor cannot publish
    token = client.csrf_token(f"/quan-tri/bai-viet/{article_id}")
    assert (
        client.post(f"/quan-tri/bai-viet/{article_id}/dang", data={"csrf_token": token}).status_code
        == 403
    )
    client.post(f"/quan-tri/bai-viet/{article_id}/gui-duyet", data={"csrf_token": token})
    sign_out(client)
    assert client.get("/tin-tuc/dan-van-kheo-o-xa-hoa-thanh").status_code == 404

    sign_in(client, leader)
    token = client.csrf_token(f"/quan-tri/bai-viet/{article_id}")
    assert (
        client.post(f"/quan-tri/bai-viet/{article_id}/dang", data={"csrf_token": token}).status_code
        == 303
    )
    sign_out(client)

    page = client.get("/tin-tuc/dan-van-kheo-o-xa-hoa-thanh").get_data(as_text=True)
    assert "Dân vận khéo ở xã Hòa Thành" in page
    assert 'property="og:title"' in page and "srcset=" in page
    found = client.get("/tin-tuc/?q=dan+van+kheo").get_data(as_text=True)
    assert "/tin-tuc/dan-van-kheo-o-xa-hoa-thanh" in found
    found = client.get("/tin-tuc/?q=ho%C3%A0").get_data(as_text=True)  # "hoà" finds "Hòa"
    assert "/tin-tuc/dan-van-kheo-o-xa-hoa-thanh" in found
    assert "/tin-tuc/dan-van-kheo-o-xa-hoa-thanh" in client.get(
        "/tin-tuc/chuyen-muc/dan-van-kheo"
    ).get_data(as_text=True)
    actions = [
        r.action
        for r in db.session.scalars(
            select(ArticleRevision).where(ArticleRevision.article_id == article_id)
        )
    ]
    assert actions == ["create", "submit", "publish"]
    cover = page.split("<figure>")[1].split('src="')[1].split('"')[0]
    image = client.get(cover)
    assert image.status_code == 200 and image.mimetype.startswith("image/")


def test_atom_feeds_parse(client) -> None:
    leader = make_user(roles=("leader",))
    sign_in(client, leader)
    write_article(client)
    article = db.session.scalar(select(Article))
    token = client.csrf_token(f"/quan-tri/bai-viet/{article.id}")
    client.post(f"/quan-tri/bai-viet/{article.id}/dang", data={"csrf_token": token})
    feed = feedparser.parse(client.get("/tin-tuc/feed.atom").data)
    assert feed.version == "atom10" and not feed.bozo
    assert feed.entries[0].title == "Dân vận khéo ở xã Hòa Thành"
    category = feedparser.parse(client.get("/tin-tuc/chuyen-muc/dan-van-kheo/feed.atom").data)
    assert len(category.entries) == 1 and not category.bozo


def test_scheduled_article_appears_at_its_time(client) -> None:
    leader = make_user(roles=("leader",))
    sign_in(client, leader)
    write_article(client, title="Kế hoạch đối thoại tháng 12")
    article = db.session.scalar(select(Article))
    token = client.csrf_token(f"/quan-tri/bai-viet/{article.id}")
    later = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/quan-tri/bai-viet/{article.id}/dang", data={"csrf_token": token, "publish_at": later}
    )
    assert client.get(f"/tin-tuc/{article.slug}").status_code == 404
    db.session.expire_all()
    row = db.session.get(Article, article.id)
    row.published_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/tin-tuc/{article.slug}").status_code == 200


def test_cover_needs_its_description_and_errors_keep_input(client) -> None:
    sign_in(client, make_user(roles=("editor",)))
    response = write_article(client, cover_alt="", title="Bài có ảnh")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Lỗi:" in page
    assert 'value="Bài có ảnh"' in page
    assert db.session.query(Article).count() == 0


def test_slug_stays_after_publishing(client) -> None:
    leader = make_user(roles=("leader",))
    sign_in(client, leader)
    write_article(client)
    article = db.session.scalar(select(Article))
    token = client.csrf_token(f"/quan-tri/bai-viet/{article.id}")
    client.post(f"/quan-tri/bai-viet/{article.id}/dang", data={"csrf_token": token})
    token = client.csrf_token(f"/quan-tri/bai-viet/{article.id}")
    client.post(
        f"/quan-tri/bai-viet/{article.id}",
        data={
            "csrf_token": token,
            "title": "Tiêu đề mới hoàn toàn",
            "summary": "x",
            "body": "<p>y</p>",
            "cover_alt": "Người dân cùng làm đường",
        },
    )
    db.session.expire_all()
    assert db.session.get(Article, article.id).slug == "dan-van-kheo-o-xa-hoa-thanh"


def test_anonymous_news_pages_are_cached_briefly(app, client) -> None:
    from portal import create_app

    leader = make_user(roles=("leader",))
    sign_in(client, leader)
    write_article(client)
    article = db.session.scalar(select(Article))
    token = client.csrf_token(f"/quan-tri/bai-viet/{article.id}")
    client.post(f"/quan-tri/bai-viet/{article.id}/dang", data={"csrf_token": token})
    cached_app = create_app(
        {
            "PORTAL_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "CACHE_TYPE": "SimpleCache",
        }
    )
    cached_app.test_client_class = app.test_client_class
    reader = cached_app.test_client()
    assert article.title in reader.get("/tin-tuc/").get_data(as_text=True)
    article.status = "unpublished"
    db.session.commit()
    # still the cached page for readers who are not signed in, for at most
    # CACHE_DEFAULT_TIMEOUT seconds, also when they have a session (a form's CSRF token)
    assert article.title in reader.get("/tin-tuc/").get_data(as_text=True)
    reader.get("/tra-cuu/")
    assert reader.get_cookie("session") is not None
    assert article.title in reader.get("/tin-tuc/").get_data(as_text=True)
    # an official sees the page as it is now
    official = cached_app.test_client()
    sign_in(official, leader)
    assert article.title not in official.get("/tin-tuc/").get_data(as_text=True)


def _large_png() -> bytes:
    """A PNG of noise just over 1 MiB (noise does not compress)."""
    import io
    import os

    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (620, 620), os.urandom(620 * 620 * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_image_over_the_size_limit_is_called_too_large(client, config_override) -> None:
    """Not "must be a JPG or PNG": the file was cut at the limit, then read as an image."""
    import io

    config_override(UPLOAD_MAX_BYTES=2**20)
    big = _large_png()
    assert len(big) > 2**20
    sign_in(client, make_user(roles=("editor",)))
    response = write_article(client, title="Bài có ảnh lớn", cover=(io.BytesIO(big), "lon.png"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ảnh phải có dung lượng không quá 1 MB." in page
    assert 'value="Bài có ảnh lớn"' in page
    token = client.csrf_token("/quan-tri/bai-viet/moi")
    response = client.post(
        "/quan-tri/bai-viet/anh",
        data={"csrf_token": token, "image": (io.BytesIO(big), "lon.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "Ảnh phải có dung lượng không quá 1 MB."
    assert db.session.query(Article).count() == 0
