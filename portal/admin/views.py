from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from portal.admin import bp
from portal.admin.forms import ChangePasswordForm, LoginForm, LogoutForm, TwoStepForm
from portal.domain.due_badge import due_badge
from portal.domain.permissions import Permission, Role
from portal.extensions import csrf, db, limiter
from portal.models import User
from portal.services import accounts, dialogues, my_work, notifications
from portal.web import limits as web_limits
from portal.web.case_access import current_scope
from portal.web.navigation import safe_next
from portal.web.security import (
    SESSION_TOKEN_KEY,
    has_permission,
    may_update_follow_up,
    now_utc,
    public_admin_view,
    require,
    today_local,
)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_pair_key() -> str:
    """One counter of wrong passwords per (address, account) pair, keyed so that the rate
    limit store holds neither."""
    email = (request.form.get("email") or "").strip().lower()
    pair = f"{get_remote_address()}|{email}".encode()
    secret = current_app.config["SECRET_KEY"].encode()
    return "login-pair:" + hmac.new(secret, pair, hashlib.sha256).hexdigest()


def _login_failed(response: Response) -> bool:
    """A login POST that shows the form again (200) did not sign anyone in."""
    return response.status_code == 200


def _login_failure_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def _login_limited(spec: Callable[[], str]) -> Callable[[RequestLimit], Response | None]:
    """Too many attempts: the form again with the email kept (never the password) and the
    wait, 429; the same words whichever limit was reached, so that they tell nothing of the
    account."""
    return web_limits.form_at_limit(
        spec,
        lambda problem: render_template("admin/login.html", form=LoginForm(), problem=problem),
        lambda wait: _(
            "You have tried to sign in too many times; please try again in about %(wait)s.",
            wait=wait,
        ),
    )


@bp.route("/dang-nhap", methods=["GET", "POST"])
@csrf.exempt  # LoginForm checks CSRF itself, so an expired form comes back with the email kept
@public_admin_view
@limiter.limit(_login_limit, methods=["POST"], on_breach=_login_limited(_login_limit))
@limiter.limit(
    _login_failure_limit,
    key_func=_login_pair_key,
    methods=["POST"],
    deduct_when=_login_failed,
    on_breach=_login_limited(_login_failure_limit),
)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("admin.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                db.session, email=form.email.data, password=form.password.data, now=now_utc()
            )
        except accounts.LoginFailed:
            form.password.errors.append(_("The email or password is not correct."))
        else:
            # A fresh session at login: nothing from before it survives.
            session.clear()
            target = safe_next(request.args.get("next"), url_for("admin.home"))
            if user.totp_secret:
                session[PENDING_KEY] = {
                    "user": user.id,
                    "at": now_utc().timestamp(),
                    "next": target,
                }
                return redirect(url_for("admin.two_step"))
            _start(user)
            return redirect(target)
    return render_template("admin/login.html", form=form)


PENDING_KEY = "pending_two_step"
TWO_STEP_WINDOW_SECONDS = 300


def _start(user: User) -> None:
    session[SESSION_TOKEN_KEY] = accounts.start_session(db.session, user=user, now=now_utc())
    session.permanent = True
    login_user(user)


@bp.route("/xac-thuc-hai-buoc", methods=["GET", "POST"])
@csrf.exempt  # TwoStepForm checks CSRF itself
@public_admin_view
@limiter.limit(_login_limit, methods=["POST"])
def two_step() -> ResponseReturnValue:
    pending = session.get(PENDING_KEY)
    if not pending or now_utc().timestamp() - pending["at"] > TWO_STEP_WINDOW_SECONDS:
        session.pop(PENDING_KEY, None)
        return redirect(url_for("admin.login"))
    form = TwoStepForm()
    if form.validate_on_submit():
        user = db.session.get(User, pending["user"])
        if (
            user
            and user.active
            and accounts.verify_totp(db.session, user=user, code=form.code.data, now=now_utc())
        ):
            session.clear()
            _start(user)
            return redirect(pending["next"])
        form.code.errors.append(_("This code is not correct or has already been used."))
    return render_template("admin/two_step.html", form=form)


@bp.route("/bao-mat", methods=["GET", "POST"])
@require(Permission.VIEW_DASHBOARD)
def security() -> ResponseReturnValue:
    user = current_user._get_current_object()
    required = accounts.totp_required(user, current_app.config["TOTP_REQUIRED_ROLES"])
    form = TwoStepForm()
    if user.totp_secret:
        if form.validate_on_submit() and not required:
            if accounts.verify_totp(db.session, user=user, code=form.code.data, now=now_utc()):
                accounts.disable_totp(db.session, user=user, actor_id=user.id, now=now_utc())
                flash(_("Two-step sign-in is off."), "success")
                return redirect(url_for("admin.security"))
            form.code.errors.append(_("This code is not correct or has already been used."))
        return render_template("admin/security.html", form=form, enabled=True, required=required)
    secret = session.get("totp_setup") or accounts.new_totp_secret()
    session["totp_setup"] = secret
    if form.validate_on_submit():
        if accounts.enable_totp(
            db.session, user=user, secret=secret, code=form.code.data, now=now_utc()
        ):
            session.pop("totp_setup", None)
            flash(_("Two-step sign-in is on."), "success")
            return redirect(url_for("admin.home"))
        form.code.errors.append(_("This code is not correct. Check the time on your phone."))
    uri = accounts.totp_uri(secret, email=user.email, issuer=current_app.config["AGENCY_NAME"])
    return render_template(
        "admin/security.html",
        form=form,
        enabled=False,
        required=required,
        secret=secret,
        uri=uri,
    )


@bp.post("/dang-xuat")
@require(Permission.VIEW_DASHBOARD)
def logout() -> ResponseReturnValue:
    form = LogoutForm()
    if form.validate_on_submit():
        token = session.get(SESSION_TOKEN_KEY)
        if token:
            accounts.end_session(db.session, token=token, now=now_utc())
        logout_user()
        session.clear()
        flash(_("You have signed out."), "success")
        return redirect(url_for("admin.login"))
    return redirect(url_for("admin.home"))


@bp.get("/")
@require(Permission.VIEW_DASHBOARD)
def home() -> ResponseReturnValue:
    from portal.services import deadlines as deadline_service

    board = None
    work = None
    today = today_local()
    soon = current_app.config["DUE_SOON_WORKING_DAYS"]
    calendar = deadline_service.load_calendar(db.session)
    if has_permission(Permission.VIEW_CASES):
        work = my_work.my_work(
            db.session, user_id=current_user.id, roles=current_user.roles, scope=current_scope()
        )
        from datetime import timedelta

        from portal.services import queue

        board = queue.dashboard(
            db.session,
            scope=current_scope(),
            today=today,
            calendar=calendar,
            soon_working_days=soon,
            week_start=today - timedelta(days=today.weekday()),
        )
    follow_ups = None
    scope = _follow_up_scope()
    if scope != []:
        follow_ups = dialogues.open_follow_ups(
            db.session,
            today=today,
            horizon=calendar.add_working_days(today, soon),
            division_ids=scope,
        )
    missing_months = (
        dialogues.months_without_head(db.session, today=today, now=now_utc())
        if has_permission(Permission.MANAGE_DIALOGUES)
        else []
    )
    mail_failures = (
        notifications.failures(db.session, limit=5)
        if has_permission(Permission.MANAGE_USERS)
        else (0, [])
    )
    return render_template(
        "admin/home.html",
        board=board,
        work=work,
        badges={
            item.case.id: due_badge(item.case.next_due_on, today, calendar, soon_working_days=soon)
            for item in (work.items if work else [])
        },
        follow_ups=follow_ups,
        missing_months=missing_months,
        mail_failures=mail_failures,
        can_manage_dialogues=has_permission(Permission.MANAGE_DIALOGUES),
        may_update_follow_up=may_update_follow_up,
    )


def _follow_up_scope() -> list[int | None] | None:
    """Whose session follow-ups the dashboard lists: every one for leaders; otherwise the
    user's division's, and those without a division for the officials who organise sessions.
    An empty list: none."""
    if Role.LEADER in current_user.roles:
        return None
    scope: list[int | None] = []
    if current_user.division_id is not None:
        scope.append(current_user.division_id)
    if has_permission(Permission.MANAGE_DIALOGUES):
        scope.append(None)
    return scope


def _agency_words() -> list[str]:
    """What anyone knows about the department, for the password strength check."""
    config = current_app.config
    keys = ("AGENCY_NAME", "AGENCY_PARENT", "AGENCY_PLACE", "AGENCY_SYMBOL", "AGENCY_EMAIL")
    return [str(config[key]) for key in keys if config.get(key)]


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@require(Permission.VIEW_DASHBOARD)
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(
                db.session,
                user=user,
                current=form.current_password.data,
                new=form.new_password.data,
                now=now_utc(),
                context=_agency_words(),
            )
        except accounts.WeakPassword as weak:
            form.new_password.errors.append(_password_message(weak.reason))
        except accounts.AccountError:
            form.current_password.errors.append(_("The current password is not correct."))
        else:
            # Every session ended with the change; this browser gets a new one.
            session.clear()
            _start(user)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("admin.home"))
    return render_template("admin/change_password.html", form=form)


def _password_message(reason: str) -> str:
    messages = {
        "too_short": _("The password must have at least 12 characters."),
        "too_common": _(
            "This password is too common or too easy to guess. Choose a longer one, "
            "for example a short sentence."
        ),
        "same_as_current": _("The new password must differ from the current one."),
    }
    return messages.get(reason, messages["too_common"])
