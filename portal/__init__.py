"""The application factory: load config, bind extensions, register blueprints. Nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, g, has_app_context

from portal.config import config_for


class Portal(Flask):
    """Flask, with one twist: inside an embedded page (served under /embed, see
    portal/embed), links and form actions to public pages point to their embeddable twins, so
    a citizen stays inside the portal's frame from the first step to the receipt."""

    def url_for(  # type: ignore[override]  # one keyword more than Flask's: _standalone
        self, endpoint: str, /, *, _standalone: bool = False, **values: Any
    ) -> str:
        if (
            not _standalone
            and endpoint.startswith("public.")
            and has_app_context()
            and g.get("embeddable")
        ):
            twin = "embed." + endpoint.removeprefix("public.")
            if twin in self.view_functions:
                endpoint = twin
        return super().url_for(endpoint, **values)


def create_app(config: str | dict[str, Any] | None = None) -> Flask:
    """Build an app. `config` is a PORTAL_ENV name, or a dict of overrides for tests;
    "INSTANCE_PATH" among them replaces the instance folder (settings.py, custodian keys)."""
    overrides = config if isinstance(config, dict) else {}
    app = Portal(
        __name__, instance_relative_config=True, instance_path=overrides.get("INSTANCE_PATH")
    )
    env_name = config if isinstance(config, str) else overrides.get("PORTAL_ENV")
    app.config.from_object(config_for(env_name))
    app.config.from_pyfile("settings.py", silent=True)
    app.config.from_prefixed_env("PORTAL")
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PORTAL_ENV"] == "production":
        from portal.config import check_production

        check_production(app.config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'portal.db'}"

    _wrap_for_proxy(app)
    from portal.web.input_bounds import init_input_bounds

    init_input_bounds(app)  # before the blueprints: it bounds their <int:> arguments
    _init_extensions(app)
    from portal.cli.custodian import init_custodian
    from portal.web.rules import init_rules

    init_rules(app)
    init_custodian(app)
    _register_blueprints(app)

    from portal.cli import register_cli
    from portal.web.errors import init_errors
    from portal.web.filters import init_filters
    from portal.web.i18n import init_i18n
    from portal.web.navigation import init_navigation
    from portal.web.security import init_security
    from portal.web.sessions import init_sessions

    init_errors(app)
    init_i18n(app)
    init_navigation(app)
    init_filters(app)
    init_security(app)
    init_sessions(app)
    register_cli(app)
    from portal.embed import cookies_refused, embed_origins, standalone_url

    app.add_template_global(cookies_refused)
    app.add_template_global(embed_origins)
    app.add_template_global(standalone_url)
    return app


def _wrap_for_proxy(app: Flask) -> None:
    from portal.web.proxy import PathPrefix, TrustedProxies

    if app.config["URL_PREFIX"].strip("/"):
        app.wsgi_app = PathPrefix(  # type: ignore[method-assign]  # WSGI middleware, as Flask documents
            app.wsgi_app, app.config["URL_PREFIX"]
        )
    if app.config["TRUSTED_PROXY_COUNT"]:
        app.wsgi_app = TrustedProxies(  # type: ignore[method-assign]  # WSGI middleware
            app.wsgi_app,
            hops=app.config["TRUSTED_PROXY_COUNT"],
            proxies=app.config["TRUSTED_PROXIES"],
        )


def _init_extensions(app: Flask) -> None:
    from sqlalchemy.engine import make_url

    import portal.web.database  # noqa: F401  (SQLite connection settings)
    from portal import models  # noqa: F401  (one metadata for Alembic)
    from portal.extensions import babel, cache, csrf, db, limiter, login_manager, migrate
    from portal.web.i18n import select_locale

    if make_url(str(app.config["SQLALCHEMY_DATABASE_URI"])).get_backend_name() == "sqlite":
        # A SQLite file has no server that could drop the connection: no ping per checkout.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "pool_pre_ping": False}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    if str(app.config.get("CACHE_TYPE") or "").endswith("RedisCache"):
        # The page cache is a shortcut (portal/web/page_cache.py): a Redis that hangs must
        # not hang the pages, which are then rendered as if there were no cache.
        app.config.setdefault(
            "CACHE_OPTIONS", {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
        )
    cache.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "admin.login"
    login_manager.login_message = None
    login_manager.session_protection = None  # the server-side session row does this job


def _register_blueprints(app: Flask) -> None:
    from portal.admin import bp as admin_bp
    from portal.api import bp as api_bp
    from portal.embed import bp as embed_bp
    from portal.open311 import bp as open311_bp
    from portal.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(admin_bp, url_prefix="/quan-tri")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(embed_bp, url_prefix="/embed")
    app.register_blueprint(open311_bp, url_prefix="/open311/v2")
