"""API tokens for other systems: list, issue (the secret is shown once), revoke."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields import SelectChoice

from portal.admin import bp
from portal.admin.api_token_forms import ApiTokenForm, RevokeTokenForm
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.models import ApiToken, Division
from portal.services import api_tokens as token_service
from portal.web.security import now_utc, require
from portal.web.uploads import pepper


def _division_choices() -> list[SelectChoice]:
    divisions = db.session.scalars(select(Division).order_by(Division.name))
    return [SelectChoice(0, _("None"))] + [SelectChoice(d.id, d.name) for d in divisions]


@bp.route("/ma-api", methods=["GET", "POST"])
@require(Permission.MANAGE_API_TOKENS)
def api_tokens() -> ResponseReturnValue:
    form = ApiTokenForm()
    form.division.choices = _division_choices()
    issued = None
    if form.validate_on_submit():
        issued = token_service.issue(
            db.session,
            name=form.name.data,
            scope=form.scope.data,
            division_id=form.division.data or None,
            actor_id=current_user.id,
            now=now_utc(),
            pepper=pepper(),
        )
        db.session.commit()
        form = ApiTokenForm(formdata=None)
        form.division.choices = _division_choices()
    tokens = db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc())).all()
    divisions = {d.id: d.name for d in db.session.scalars(select(Division))}
    return render_template(
        "admin/api_tokens.html",
        form=form,
        revoke_form=RevokeTokenForm(),
        tokens=tokens,
        divisions=divisions,
        issued=issued,
        now=now_utc(),
    )


@bp.post("/ma-api/<int:token_id>/thu-hoi")
@require(Permission.MANAGE_API_TOKENS)
def revoke_api_token(token_id: int) -> ResponseReturnValue:
    token = db.get_or_404(ApiToken, token_id)
    if RevokeTokenForm().validate_on_submit():
        token_service.revoke(db.session, token, actor_id=current_user.id, now=now_utc())
        db.session.commit()
        flash(_("Token “%(name)s” revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for("admin.api_tokens"))
