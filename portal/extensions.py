"""Unbound extensions; `create_app` binds them with init_app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Session

import portal.lib.rate_limit_memory  # noqa: F401  (memory:// without a thread per expiry)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Database(SQLAlchemy):
    """Flask-SQLAlchemy, typed for the layers below the web: `db.session` is a scoped session
    that forwards each call to the current app context's `Session`, so the services, typed
    against `sqlalchemy.orm.Session`, take it as it is."""

    if TYPE_CHECKING:
        session: Session  # type: ignore[assignment]  # a scoped_session proxies a Session


db = Database(model_class=Base)
if TYPE_CHECKING:
    Model = Base  # db.Model is Base with Flask-SQLAlchemy's additions; mypy cannot see it
else:
    Model = db.Model
migrate = Migrate()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
login_manager = LoginManager()
babel = Babel()
cache = Cache()
