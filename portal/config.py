"""Configuration classes, chosen by the PORTAL_ENV environment variable.

Settings that describe the department (name, director, address, contacts, logo) live here as
plain values that a deployment overrides through environment variables or instance/settings.py,
never in templates or code.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from datetime import timedelta
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised when a configuration cannot be used safely."""


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


class Config:
    PORTAL_ENV = "development"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}

    # Babel: Vietnamese first, dates in Asia/Ho_Chi_Minh.
    LANGUAGES = ("vi", "en")
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "portal" / "translations")

    # Sessions: officials' sessions are also tracked server-side (models.UserSession).
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    # Limits on what a request may carry. A form that takes files may carry more: every file
    # UPLOAD_MAX_FILES and UPLOAD_MAX_BYTES allow, and 1 MiB (web/input_bounds.py).
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 500_000
    MAX_FORM_PARTS = 100

    # CSRF: public forms may take a citizen a long time to fill in.
    WTF_CSRF_TIME_LIMIT = 6 * 3600

    # Rate limits: memory by default, Redis in production (RATELIMIT_STORAGE_URI=redis://...).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # How many web worker processes serve the app (gunicorn reads the same variable). In
    # production a memory store counts per process, so it is refused unless this says 1.
    WEB_CONCURRENCY: str | None = os.environ.get("WEB_CONCURRENCY")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "fixed-window"
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10/minute")
    # Wrong passwords for one account from one address: after these, that address waits;
    # the official signs in from anywhere else as usual (nobody can lock them out).
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "5 per 15 minutes")
    # Roles whose officials must use two-step sign-in (TOTP), e.g. "admin,leader".
    TOTP_REQUIRED_ROLES = _env_list("TOTP_REQUIRED_ROLES")

    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none),
    # and the addresses (IPs or networks) they connect from: headers from anywhere else are
    # dropped.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    TRUSTED_PROXIES = _env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
    # A fixed path prefix the portal's proxy serves the app under (e.g. /dan-van), for proxies
    # that pass the path through without sending X-Forwarded-Prefix. Empty: none.
    URL_PREFIX = os.environ.get("URL_PREFIX", "")
    # The app's public address, prefix included (e.g. https://tayninh.gov.vn/dan-van), for
    # links in e-mails sent by daily commands, which run outside any request.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None
    # HTTPS-only headers (HSTS) are sent when the request came over HTTPS.
    PREFERRED_URL_SCHEME = "http"

    # The department: a deployment changes these, not the code.
    AGENCY_NAME = os.environ.get("AGENCY_NAME", "Sở Thông tin và Truyền thông tỉnh Tây Ninh")
    AGENCY_PARENT = os.environ.get("AGENCY_PARENT", "Ủy ban nhân dân tỉnh Tây Ninh")
    AGENCY_NOTE = os.environ.get("AGENCY_NOTE", "")
    AGENCY_DIRECTOR = os.environ.get("AGENCY_DIRECTOR", "Giám đốc Sở")
    AGENCY_ADDRESS = os.environ.get(
        "AGENCY_ADDRESS", "Số 300, đường 30/4, phường Tân Ninh, tỉnh Tây Ninh"
    )
    AGENCY_PHONE = os.environ.get("AGENCY_PHONE", "0276 3822 000")
    AGENCY_EMAIL = os.environ.get("AGENCY_EMAIL", "stttt@tayninh.gov.vn")
    AGENCY_LOGO = os.environ.get("AGENCY_LOGO", "img/logo.svg")
    # For official notices (Decree 30/2020 layout).
    AGENCY_PLACE = os.environ.get("AGENCY_PLACE", "Tây Ninh")
    AGENCY_SYMBOL = os.environ.get("AGENCY_SYMBOL", "STTTT")
    AGENCY_SIGNER_TITLE = os.environ.get("AGENCY_SIGNER_TITLE", "GIÁM ĐỐC")
    AGENCY_SIGNER_NAME = os.environ.get("AGENCY_SIGNER_NAME", "")

    # Deadlines (issue 3): a deployment may restate rules in a TOML file.
    DEADLINE_RULES_FILE = os.environ.get("DEADLINE_RULES_FILE", "deadline_rules.toml")
    RECEIPT_DATE_CONVENTION = os.environ.get("RECEIPT_DATE_CONVENTION", "submission_date")
    DUE_SOON_WORKING_DAYS = int(os.environ.get("DUE_SOON_WORKING_DAYS", "3"))
    # The department's own time to answer an accepted petition or reflection (rule
    # petition.answer): the law sets none (docs/legal-notes.md asks the department to confirm).
    PETITION_ANSWER_WORKING_DAYS = int(os.environ.get("PETITION_ANSWER_WORKING_DAYS", "15"))

    # Citizens' submissions (issue 4).
    ACCESS_CODE_PEPPER = os.environ.get("ACCESS_CODE_PEPPER")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", "uploads")  # relative to instance/
    # Where attachments and article images are kept: "folder" (UPLOAD_FOLDER and
    # instance/news-images on this host) or "database" (in PostgreSQL, with the rows that
    # refer to them). Unset: "database" in production on PostgreSQL, else "folder".
    FILE_STORAGE = os.environ.get("FILE_STORAGE", "")
    UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
    UPLOAD_MAX_FILES = int(os.environ.get("UPLOAD_MAX_FILES", "5"))
    # Draft files one client address may store (counted under a keyed hash of the address),
    # and how long a draft that never became part of a case is kept (`flask purge-drafts`).
    UPLOAD_ADDRESS_LIMIT = os.environ.get("UPLOAD_ADDRESS_LIMIT", "30/hour")
    DRAFT_MAX_AGE_HOURS = int(os.environ.get("DRAFT_MAX_AGE_HOURS", "6"))
    # The custodian key pair that seals denouncers' identities (see docs/deployment.md).
    CUSTODIAN_PUBLIC_KEY = os.environ.get("CUSTODIAN_PUBLIC_KEY")
    CUSTODIAN_SEALED_PRIVATE_KEY = os.environ.get("CUSTODIAN_SEALED_PRIVATE_KEY")
    # "collect" or "none": whether the web form asks denouncers who they are (legal-notes §9).
    DENOUNCER_IDENTITY_ONLINE = os.environ.get("DENOUNCER_IDENTITY_ONLINE", "collect")
    SUBMISSION_MIN_SECONDS = int(os.environ.get("SUBMISSION_MIN_SECONDS", "4"))
    # Submissions accepted per address and per contact given (a form sent back with errors
    # does not count), and a flood guard on every attempt (each may store files).
    SUBMISSION_RATE_LIMIT = os.environ.get("SUBMISSION_RATE_LIMIT", "5/minute;30/day")
    CONTACT_RATE_LIMIT = os.environ.get("CONTACT_RATE_LIMIT", "5/day")
    SUBMISSION_ATTEMPT_RATE_LIMIT = os.environ.get(
        "SUBMISSION_ATTEMPT_RATE_LIMIT", "30/minute;300/day"
    )
    LOOKUP_RATE_LIMIT = os.environ.get("LOOKUP_RATE_LIMIT", "10/minute;100/day")
    REISSUE_RATE_LIMIT = os.environ.get("REISSUE_RATE_LIMIT", "3/hour")
    # New codes for one case, and to one e-mail address, from any address.
    REISSUE_TARGET_RATE_LIMIT = os.environ.get("REISSUE_TARGET_RATE_LIMIT", "3/hour;6/day")
    PRIVACY_NOTICE_VERSION = "2026-01"

    # /healthz/ready fails when the oldest e-mail waiting in the outbox is older than this.
    HEALTH_OUTBOX_MAX_AGE_MINUTES = int(os.environ.get("HEALTH_OUTBOX_MAX_AGE_MINUTES", "10"))

    # Mail (outbox delivery).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "no-reply@tayninh.gov.vn")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    # How often `flask deliver-outbox --watch` and `flask jobs run` look for new mail, in seconds.
    OUTBOX_POLL_SECONDS = float(os.environ.get("OUTBOX_POLL_SECONDS", "2"))

    # The job runner (`flask jobs run`, services/jobs.py): daily jobs (reminders) run once a
    # day from this local time (Vietnam) on; due jobs are looked for every few seconds.
    JOBS_DAILY_AT = os.environ.get("JOBS_DAILY_AT", "07:00")
    JOBS_CHECK_SECONDS = float(os.environ.get("JOBS_CHECK_SECONDS", "30"))

    # Public news pages are the same for every anonymous reader: kept for a short while.
    # SimpleCache keeps them in each process; production uses Redis (see ProductionConfig).
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CACHE_DEFAULT_TIMEOUT", "30"))

    # The rich-text editor's scripts, under static/ (docs/editor.md); empty: a plain textarea.
    EDITOR_SCRIPTS: tuple[str, ...] = ("vendor/quill-2.0.3/quill.js", "js/editor.js")

    # Origins allowed to frame the embeddable pages, e.g. https://portal.example.gov.vn
    # (docs/embedding.md). Every other page refuses to be framed.
    EMBED_ALLOWED_ORIGINS = _env_list("EMBED_ALLOWED_ORIGINS")

    # The recipient lines ("Nơi nhận") of the consolidated yearly report (docs/legal-notes.md
    # §31); empty: the defaults in portal/lib/report_documents.py.
    YEARLY_REPORT_RECIPIENTS = _env_list("YEARLY_REPORT_RECIPIENTS", "") or None

    # Open311 GeoReport v2 (docs/open311.md): the jurisdiction_id clients may send (empty: the
    # argument is ignored) and the rate limits for reads (per address) and filings (per key).
    OPEN311_JURISDICTION_ID = os.environ.get("OPEN311_JURISDICTION_ID") or None
    OPEN311_READ_RATE_LIMIT = os.environ.get("OPEN311_READ_RATE_LIMIT", "120/minute")
    OPEN311_WRITE_RATE_LIMIT = os.environ.get("OPEN311_WRITE_RATE_LIMIT", "30/minute;1000/day")


class DevelopmentConfig(Config):
    PORTAL_ENV = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    ACCESS_CODE_PEPPER = os.environ.get("ACCESS_CODE_PEPPER") or "dev-only-pepper-not-a-secret"


class TestConfig(Config):
    PORTAL_ENV = "test"
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105
    ACCESS_CODE_PEPPER = "test-only-pepper-not-a-secret"
    SUBMISSION_MIN_SECONDS = 0
    CACHE_TYPE = "NullCache"  # a test that wants the cache turns it on for itself
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = os.environ.get("TEST_RATELIMIT_STORAGE_URI", "memory://")
    # Mail must never leave the machine from a test: tests start their own SMTP server.
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 1


class ProductionConfig(Config):
    PORTAL_ENV = "production"
    # The page cache is shared by every worker and host: Redis, the rate-limit one unless
    # CACHE_REDIS_URL says otherwise (check_production fills it in).
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "RedisCache")
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    env = name or os.environ.get("PORTAL_ENV", "development")
    try:
        return CONFIGS[env]
    except KeyError as exc:
        raise ConfigError(f"PORTAL_ENV={env!r} is not one of {sorted(CONFIGS)}") from exc


# Flask-Caching types that keep entries in one process (or one host's disk).
PER_PROCESS_CACHES = frozenset({"SimpleCache", "FileSystemCache", "UWSGICache"})


def check_production(settings: MutableMapping[str, Any]) -> None:
    """Refuse to start a production app that would run with guessable secrets, or keep what
    workers and hosts must share in one process. Fills in the page cache's Redis: the
    rate-limit one unless CACHE_REDIS_URL is given; without any Redis, one process's memory,
    refused below unless WEB_CONCURRENCY=1."""
    missing = [key for key in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI") if not settings.get(key)]
    if missing:
        names = ", ".join("DATABASE_URL" if k.startswith("SQLALCHEMY") else k for k in missing)
        raise ConfigError(f"Production configuration is missing: {names}")
    storage = str(settings.get("RATELIMIT_STORAGE_URI") or "memory://")
    single = str(settings.get("WEB_CONCURRENCY") or "")
    if storage.startswith("memory://") and single != "1":
        raise ConfigError(
            "RATELIMIT_STORAGE_URI is memory://, which counts per process: set it to a shared "
            "store (redis://…), or WEB_CONCURRENCY=1 if a single process serves the app"
        )
    cache = str(settings.get("CACHE_TYPE") or "")
    if cache.rsplit(".", 1)[-1] == "RedisCache" and not settings.get("CACHE_REDIS_URL"):
        if storage.startswith(("redis://", "rediss://")):
            settings["CACHE_REDIS_URL"] = storage
        elif single == "1":
            settings["CACHE_TYPE"] = cache = "SimpleCache"
    if cache.rsplit(".", 1)[-1] in PER_PROCESS_CACHES and single != "1":
        raise ConfigError(
            f"CACHE_TYPE={cache} keeps pages in each process, so workers and hosts would "
            "serve different versions: set CACHE_TYPE=RedisCache with CACHE_REDIS_URL (it "
            "defaults to RATELIMIT_STORAGE_URI), NullCache, or WEB_CONCURRENCY=1"
        )
