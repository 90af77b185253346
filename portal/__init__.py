"""The application factory: load config, bind extensions, register blueprints. Nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from portal.config import config_for


def create_app(config: str | dict[str, Any] | None = None) -> Flask:
    """Build an app. `config` is a PORTAL_ENV name, or a dict of overrides for tests."""
    app = Flask(__name__, instance_relative_config=True)
    overrides = config if isinstance(config, dict) else {}
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

    if app.config["TRUSTED_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops
        )
    _init_extensions(app)
    from portal.custodian import init_custodian
    from portal.rules import init_rules

    init_rules(app)
    init_custodian(app)
    _register_blueprints(app)

    from portal.cli import register_cli
    from portal.errors import init_errors
    from portal.filters import init_filters
    from portal.i18n import init_i18n
    from portal.navigation import init_navigation
    from portal.security import init_security

    init_errors(app)
    init_i18n(app)
    init_navigation(app)
    init_filters(app)
    init_security(app)
    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    import portal.database  # noqa: F401  (SQLite connection settings)
    from portal import models  # noqa: F401  (one metadata for Alembic)
    from portal.extensions import babel, cache, csrf, db, limiter, login_manager, migrate
    from portal.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
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
