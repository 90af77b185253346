"""Articles: drafts, approval, publication (now or scheduled), revisions, images."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portal.domain.search import fold, terms
from portal.domain.slugs import slugify, unique_slug
from portal.lib import images
from portal.lib.file_storage import FileStore
from portal.models import Article, ArticleImage, ArticleRevision, Category
from portal.services import ServiceError
from portal.services.audit import record

# status -> the actions that may follow, and who may take them
TRANSITIONS = {
    "submit": ({"draft", "returned"}, "submitted", "write"),
    "return": ({"submitted"}, "returned", "publish"),
    "publish": ({"draft", "submitted", "returned", "unpublished"}, "published", "publish"),
    "unpublish": ({"published"}, "unpublished", "publish"),
    "archive": ({"published", "unpublished", "draft", "returned"}, "archived", "publish"),
}
IMAGE_PREFIX = "/tin-tuc/anh/"


class NewsError(ServiceError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ArticleInput:
    title: str
    summary: str
    body_html: str
    category_ids: Iterable[int]
    tags: str = ""
    source: str | None = None
    cover_image: str | None = None
    cover_alt: str | None = None
    related_links: str = ""


def _search_text(article: Article, body_text: str) -> str:
    return fold(" ".join([article.title, article.summary, article.tags, body_text]))


def save(
    session: Session,
    article: Article | None,
    data: ArticleInput,
    *,
    editor_id: int,
    now: datetime,
    sanitize: Callable[[str], str],
    text_of: Callable[[str], str],
) -> Article:
    """Create or update an article and keep a revision. A published article's slug stays."""
    if data.cover_image and not data.cover_alt:
        raise NewsError("cover_alt_required")
    creating = article is None
    if article is None:
        article = Article(author_id=editor_id, status="draft", created_at=now)
    if article.status == "archived":
        raise NewsError("archived")
    with session.no_autoflush:
        _fill(session, article, data, sanitize=sanitize, text_of=text_of, now=now)
    session.add(article)
    session.flush()
    _revision(article, editor_id, now, "create" if creating else "edit")
    record(
        session,
        actor_id=editor_id,
        action="article.save",
        now=now,
        target_type="article",
        target_id=article.id,
    )
    session.commit()
    return article


def _fill(
    session: Session,
    article: Article,
    data: ArticleInput,
    *,
    sanitize: Callable[[str], str],
    text_of: Callable[[str], str],
    now: datetime,
) -> None:
    article.title = data.title
    article.summary = data.summary
    article.body_html = sanitize(data.body_html)
    article.tags = data.tags
    article.source = data.source
    article.cover_image = data.cover_image
    article.cover_alt = data.cover_alt
    article.related_links = data.related_links
    article.categories = list(
        session.scalars(select(Category).where(Category.id.in_(list(data.category_ids))))
    )
    if article.published_at is None:  # the slug is fixed once the article has been public
        article.slug = unique_slug(
            slugify(data.title),
            lambda candidate: (
                session.scalar(
                    select(Article.id).where(Article.slug == candidate, Article.id != article.id)
                )
                is not None
            ),
        )
    article.search_text = _search_text(article, text_of(article.body_html))
    article.updated_at = now


def _revision(article: Article, editor_id: int, now: datetime, action: str) -> None:
    article.revisions.append(
        ArticleRevision(
            editor_id=editor_id,
            at=now,
            action=action,
            title=article.title,
            summary=article.summary,
            body_html=article.body_html,
        )
    )


def change_status(
    session: Session,
    article: Article,
    action: str,
    *,
    actor_id: int,
    can_publish: bool,
    now: datetime,
    publish_at: datetime | None = None,
) -> None:
    if action not in TRANSITIONS:
        raise NewsError("unknown_action")
    allowed_from, target, needs = TRANSITIONS[action]
    if article.status not in allowed_from:
        raise NewsError("wrong_status")
    if needs == "publish" and not can_publish:
        raise NewsError("not_permitted")
    article.status = target
    if action == "submit":
        article.submitted_at = now
    if action == "publish":
        article.published_at = publish_at if publish_at and publish_at > now else now
        article.published_by_id = actor_id
    _revision(article, actor_id, now, action)
    record(
        session,
        actor_id=actor_id,
        action=f"article.{action}",
        now=now,
        target_type="article",
        target_id=article.id,
    )
    session.commit()


def public_articles(now: datetime) -> Select[tuple[Article]]:
    """Articles citizens may read: published, and not scheduled for later."""
    return (
        select(Article)
        .where(Article.status == "published", Article.published_at <= now)
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


def search(query: Select[tuple[Article]], text: str) -> Select[tuple[Article]]:
    for word in terms(text):
        query = query.where(Article.search_text.contains(word, autoescape=True))
    return query


def store_image(
    session: Session,
    data: bytes,
    *,
    store: FileStore,
    uploaded_by: int,
    now: datetime,
    max_bytes: int | None = None,
) -> ArticleImage:
    """Keep an uploaded image in a few widths, without its metadata, in the file storage
    (committed with its row when that is the database). Raises NewsError "image_too_large"
    beyond `max_bytes`, "bad_image" for anything but a JPG or PNG."""
    if max_bytes is not None and len(data) > max_bytes:
        raise NewsError("image_too_large")
    try:
        variants = images.make_variants(data)
    except ValueError as error:
        raise NewsError("bad_image") from error
    token = secrets.token_hex(16)
    for variant in variants:
        store.put("news-images", f"{token}-{variant.width}.{variant.extension}", variant.data)
    largest = variants[-1]
    image = ArticleImage(
        token=token,
        extension=largest.extension,
        widths=",".join(str(v.width) for v in variants),
        width=largest.width,
        height=largest.height,
        uploaded_by_id=uploaded_by,
        created_at=now,
    )
    session.add(image)
    session.commit()
    return image


def image_url(image: ArticleImage, width: int | None = None) -> str:
    widths = [int(w) for w in image.widths.split(",")]
    chosen = width if width in widths else widths[-1]
    return f"{IMAGE_PREFIX}{image.token}-{chosen}.{image.extension}"


def image_srcset(image: ArticleImage) -> str:
    return ", ".join(f"{image_url(image, int(w))} {w}w" for w in image.widths.split(","))
