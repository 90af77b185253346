"""News for citizens: list, categories, search, article page, Atom feeds, images."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import Select, select

from portal.extensions import db
from portal.models import Article, ArticleImage, Category, article_categories
from portal.public import bp
from portal.services import news
from portal.web import page_cache
from portal.web.security import now_utc

PER_PAGE = 10


cached_page = page_cache.cached(query=True)  # see portal/web/page_cache.py


MAX_PAGE = 10_000  # far beyond the last page; a larger offset overflows the database's integer


def _page() -> int:
    return min(max(request.args.get("trang", 1, type=int), 1), MAX_PAGE)


def _listing(
    query: Select[tuple[Article]], *, title: str, category: Category | None = None, q: str = ""
) -> str:
    rows = db.paginate(query, page=_page(), per_page=PER_PAGE, error_out=False)
    covers = _covers(rows.items)
    categories = db.session.scalars(
        select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)
    ).all()
    return render_template(
        "public/news.html",
        rows=rows,
        covers=covers,
        list_title=title,
        category=category,
        categories=categories,
        q=q,
    )


def _covers(articles: list[Article]) -> dict[str, ArticleImage]:
    tokens = [a.cover_image for a in articles if a.cover_image]
    if not tokens:
        return {}
    return {
        image.token: image
        for image in db.session.scalars(select(ArticleImage).where(ArticleImage.token.in_(tokens)))
    }


@bp.get("/tin-tuc/")
@cached_page
def news_list() -> ResponseReturnValue:
    q = (request.args.get("q") or "").strip()[:200]
    query = news.public_articles(now_utc())
    if q:
        query = news.search(query, q)
    from flask_babel import gettext as _

    title = _("Search results for “%(q)s”", q=q) if q else _("News")
    return _listing(query, title=title, q=q)


@bp.get("/tin-tuc/chuyen-muc/<slug>")
@cached_page
def news_category(slug: str) -> ResponseReturnValue:
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        abort(404)
    children = db.session.scalars(select(Category.id).where(Category.parent_id == category.id))
    ids = [category.id, *children]
    query = news.public_articles(now_utc()).where(
        Article.id.in_(
            select(article_categories.c.article_id).where(article_categories.c.category_id.in_(ids))
        )
    )
    return _listing(query, title=category.name, category=category)


@bp.get("/tin-tuc/<slug>")
@cached_page
def article(slug: str) -> ResponseReturnValue:
    row = db.session.scalar(news.public_articles(now_utc()).where(Article.slug == slug))
    if row is None:
        abort(404)
    related: Sequence[Article] = []
    if row.categories:
        related = db.session.scalars(
            news.public_articles(now_utc())
            .where(
                Article.id != row.id,
                Article.id.in_(
                    select(article_categories.c.article_id).where(
                        article_categories.c.category_id.in_([c.id for c in row.categories])
                    )
                ),
            )
            .limit(4)
        ).all()
    cover = _covers([row]).get(row.cover_image or "")
    return render_template(
        "public/article.html", article=row, related=related, cover=cover, preview=False
    )


@bp.get("/tin-tuc/anh/<name>")
def news_image(name: str) -> ResponseReturnValue:
    from portal.web.downloads import stored_file
    from portal.web.uploads import file_store

    try:
        opened = file_store().open("news-images", name)
    except ValueError:
        opened = None
    if opened is None:
        abort(404)
    mimetype = "image/png" if name.endswith(".png") else "image/jpeg"
    return stored_file(opened, mimetype=mimetype, max_age=7 * 24 * 3600)


def _feed(title: str, rows: list[Article], self_url: str) -> ResponseReturnValue:
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.author({"name": current_app.config["AGENCY_NAME"]})
    feed.link(href=self_url, rel="self")
    feed.link(href=url_for("public.news_list", _external=True), rel="alternate")
    feed.language("vi")
    feed.updated(rows[0].published_at if rows else now_utc())
    for row in reversed(rows):
        entry = feed.add_entry()
        link = url_for("public.article", slug=row.slug, _external=True)
        entry.id(link)
        entry.title(row.title)
        entry.link(href=link)
        entry.summary(row.summary)
        entry.published(row.published_at)
        entry.updated(max(row.updated_at, row.published_at or row.updated_at))
    return current_app.response_class(feed.atom_str(pretty=True), mimetype="application/atom+xml")


@bp.get("/tin-tuc/feed.atom")
@cached_page
def news_feed() -> ResponseReturnValue:
    from flask_babel import gettext as _

    rows = db.session.scalars(news.public_articles(now_utc()).limit(30)).all()
    return _feed(
        f"{_('News')} – {current_app.config['AGENCY_NAME']}",
        list(rows),
        url_for("public.news_feed", _external=True),
    )


@bp.get("/tin-tuc/chuyen-muc/<slug>/feed.atom")
@cached_page
def news_category_feed(slug: str) -> ResponseReturnValue:
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        abort(404)
    rows = db.session.scalars(
        news.public_articles(now_utc())
        .where(
            Article.id.in_(
                select(article_categories.c.article_id).where(
                    article_categories.c.category_id == category.id
                )
            )
        )
        .limit(30)
    ).all()
    return _feed(
        category.name, list(rows), url_for("public.news_category_feed", slug=slug, _external=True)
    )
