"""Signing in and writing an article as an official, for the integration tests."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import Category
from tests.factories import PASSWORD

ARTICLE_BODY = (
    "<h1>Mô hình ở xã Hòa Thành</h1><p>Mô hình <strong>“Dân vận khéo”</strong> giúp người dân"
    ' <a href="https://tayninh.gov.vn/">làm đường</a>.</p><script>alert(1)</script>'
    '<p onclick="x()">Kết quả</p>'
)


def sign_in(client, user) -> None:  # type: ignore[no-untyped-def]
    client.post_form("/quan-tri/dang-nhap", {"email": user.email, "password": PASSWORD})


def sign_out(client) -> None:  # type: ignore[no-untyped-def]
    client.post_form("/quan-tri/dang-xuat", {}, token_from="/quan-tri/")


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), "green").save(buffer, "PNG")
    return buffer.getvalue()


def write_article(client, **changes):  # type: ignore[no-untyped-def]
    category = db.session.scalar(select(Category).where(Category.slug == "dan-van-kheo"))
    data = {
        "title": "Dân vận khéo ở xã Hòa Thành",
        "summary": "Người dân góp công làm đường giao thông nông thôn.",
        "body": ARTICLE_BODY,
        "categories": str(category.id),
        "tags": "dân vận khéo, giao thông",
        "source": "Phòng TTBCXB",
        "cover_alt": "Người dân cùng làm đường",
        "cover": (io.BytesIO(png_bytes()), "anh.png"),
        "related_links": "/tra-cuu/",
        **changes,
    }
    token = client.csrf_token("/quan-tri/bai-viet/moi")
    return client.post(
        "/quan-tri/bai-viet/moi",
        data={"csrf_token": token, **data},
        content_type="multipart/form-data",
    )
