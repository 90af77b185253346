"""Articles for editors: write, submit, publish (now or later), unpublish, archive."""

from __future__ import annotations

from datetime import datetime

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from wtforms.fields import SelectChoice

from portal.admin import bp
from portal.admin.news_forms import ArticleForm, PublishForm, StatusForm
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.lib.sanitize import sanitize_article
from portal.models import Article, ArticleImage, Category
from portal.services import news
from portal.web.security import VIETNAM, has_permission, now_utc, require
from portal.web.uploads import file_store

ACTION_SLUGS = {
    "submit": "gui-duyet",
    "return": "tra-lai",
    "unpublish": "go-xuong",
    "archive": "luu-tru",
}


def _store(upload: FileStorage) -> ArticleImage:
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    return news.store_image(
        db.session,
        upload.stream.read(limit + 1),  # one byte more tells a file over the limit
        store=file_store(),
        uploaded_by=current_user.id,
        now=now_utc(),
        max_bytes=limit,
    )


def _image_problem(error: news.NewsError, *, cover: bool) -> str:
    if error.code == "image_too_large":
        megabytes = current_app.config["UPLOAD_MAX_BYTES"] // 2**20
        return _("The image must be at most %(mb)d MB.", mb=megabytes)
    if cover:
        return _("The cover must be a JPG or PNG image.")
    return _("The image must be a JPG or PNG file.")


def _text_of(html: str) -> str:
    # Only to extract the words for search; nothing is rendered.
    return Markup(html).striptags()  # noqa: S704  # nosec B704


def _category_choices() -> list[SelectChoice]:
    rows = db.session.scalars(select(Category).order_by(Category.position)).all()
    names = {row.id: row.name for row in rows}
    return [
        SelectChoice(row.id, f"{names[row.parent_id]} – {row.name}" if row.parent_id else row.name)
        for row in rows
    ]


@bp.get("/bai-viet/")
@require(Permission.WRITE_ARTICLES)
def articles() -> ResponseReturnValue:
    rows = db.session.scalars(select(Article).order_by(Article.updated_at.desc()).limit(200)).all()
    return render_template("admin/articles.html", rows=rows)


@bp.route("/bai-viet/moi", methods=["GET", "POST"])
@require(Permission.WRITE_ARTICLES)
def new_article() -> ResponseReturnValue:
    return _edit(None)


@bp.route("/bai-viet/<int:article_id>", methods=["GET", "POST"])
@require(Permission.WRITE_ARTICLES)
def edit_article(article_id: int) -> ResponseReturnValue:
    return _edit(db.get_or_404(Article, article_id))


def _edit(article: Article | None) -> ResponseReturnValue:
    form = ArticleForm(obj=article)
    form.categories.choices = _category_choices()
    if request.method == "GET" and article is not None:
        form.body.data = article.body_html
        form.categories.data = [c.id for c in article.categories]
    if form.validate_on_submit():
        cover = article.cover_image if article else None
        upload = request.files.get(form.cover.name)
        if upload and upload.filename:
            try:
                image = _store(upload)
            except news.NewsError as error:
                form.cover.errors = [_image_problem(error, cover=True)]
                return _render_edit(form, article)
            cover = image.token
        if cover and not form.cover_alt.data:
            form.cover_alt.errors = [_("Describe the cover image.")]
            return _render_edit(form, article)
        article = news.save(
            db.session,
            article,
            news.ArticleInput(
                title=form.title.data,
                summary=form.summary.data,
                body_html=form.body.data,
                category_ids=form.categories.data or [],
                tags=form.tags.data or "",
                source=form.source.data or None,
                cover_image=cover,
                cover_alt=form.cover_alt.data or None,
                related_links=form.related_links.data or "",
            ),
            editor_id=current_user.id,
            now=now_utc(),
            sanitize=lambda html: sanitize_article(html, image_prefix=news.IMAGE_PREFIX),
            text_of=_text_of,
        )
        flash(_("Saved."), "success")
        return redirect(url_for("admin.edit_article", article_id=article.id), 303)
    return _render_edit(form, article)


def _render_edit(form: ArticleForm, article: Article | None) -> ResponseReturnValue:
    form.body.render_kw = {
        **(form.body.render_kw or {}),
        "data-image-upload-url": url_for("admin.upload_article_image"),
    }
    return render_template(
        "admin/article_edit.html",
        form=form,
        article=article,
        publish_form=PublishForm(),
        status_form=StatusForm(),
        can_publish=has_permission(Permission.PUBLISH_ARTICLES),
        action_slugs=ACTION_SLUGS,
    )


@bp.get("/bai-viet/<int:article_id>/xem-truoc")
@require(Permission.WRITE_ARTICLES)
def preview_article(article_id: int) -> ResponseReturnValue:
    article = db.get_or_404(Article, article_id)
    return render_template(
        "public/article.html", article=article, related=[], preview=True, cover=_cover(article)
    )


def _cover(article: Article) -> ArticleImage | None:
    if not article.cover_image:
        return None
    return db.session.scalar(select(ArticleImage).where(ArticleImage.token == article.cover_image))


def _change(article_id: int, action: str) -> ResponseReturnValue:
    article = db.get_or_404(Article, article_id)
    try:
        news.change_status(
            db.session,
            article,
            action,
            actor_id=current_user.id,
            can_publish=has_permission(Permission.PUBLISH_ARTICLES),
            now=now_utc(),
        )
    except news.NewsError:
        db.session.rollback()
        flash(_("This action is not possible for this article now."), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("admin.edit_article", article_id=article_id), 303)


for _action, _slug in ACTION_SLUGS.items():

    def _view(article_id: int, action: str = _action) -> ResponseReturnValue:
        if not StatusForm().validate_on_submit():
            abort(400)
        return _change(article_id, action)

    _view.__name__ = f"article_{_action}"
    bp.add_url_rule(
        f"/bai-viet/<int:article_id>/{_slug}",
        endpoint=_view.__name__,
        view_func=require(
            Permission.WRITE_ARTICLES if _action == "submit" else Permission.PUBLISH_ARTICLES
        )(_view),
        methods=["POST"],
    )


@bp.post("/bai-viet/<int:article_id>/dang")
@require(Permission.PUBLISH_ARTICLES)
def publish_article(article_id: int) -> ResponseReturnValue:
    article = db.get_or_404(Article, article_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    when = None
    if form.publish_at.data:
        try:
            when = datetime.fromisoformat(form.publish_at.data.replace(" ", "T")).replace(
                tzinfo=VIETNAM
            )
        except ValueError:
            flash(_("Enter the time as 2026-12-01 07:30."), "error")
            return redirect(url_for("admin.edit_article", article_id=article_id), 303)
    try:
        news.change_status(
            db.session,
            article,
            "publish",
            actor_id=current_user.id,
            can_publish=True,
            now=now_utc(),
            publish_at=when,
        )
    except news.NewsError:
        db.session.rollback()
        flash(_("This action is not possible for this article now."), "error")
    else:
        flash(_("Published."), "success")
    return redirect(url_for("admin.edit_article", article_id=article_id), 303)


@bp.post("/bai-viet/anh")
@require(Permission.WRITE_ARTICLES)
def upload_article_image() -> ResponseReturnValue:
    """For the editor: store an image, answer with its URL and srcset (JSON)."""
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        return jsonify(error="no_file"), 400
    try:
        image = _store(upload)
    except news.NewsError as error:
        return jsonify(error=_image_problem(error, cover=False)), 400
    return jsonify(url=news.image_url(image), srcset=news.image_srcset(image))
