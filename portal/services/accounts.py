"""Officials' accounts: passwords, login, server-side sessions."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from portal.domain.permissions import Role
from portal.models import Division, User, UserRole, UserSession
from portal.services import ServiceError
from portal.services.audit import record

MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A hash to verify against when the e-mail is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ServiceError):
    pass


class WeakPassword(AccountError):
    """The password is too short or too easy to guess. `reason` is a code for the form."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LoginFailed(AccountError):
    """Unknown e-mail, wrong password, locked or inactive: one answer for all."""


@dataclass(frozen=True)
class NewUser:
    user: User
    one_time_password: str


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_strength(password: str, *, user_inputs: Iterable[str] = ()) -> None:
    """Refuse short passwords, the ones in lists of common passwords, and the ones built from
    what an attacker knows about the user (`user_inputs`: e-mail, name, agency, province)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword("too_short")
    words = guessable_words(user_inputs)
    if zxcvbn(password, user_inputs=words)["score"] < 3:
        raise WeakPassword("too_common")
    # zxcvbn still rates two known words with a year and a symbol as strong: what is left
    # once every known word is taken out must be strong on its own.
    rest = _fold(password)
    for word in sorted((w for w in words if len(w) >= 4), key=len, reverse=True):
        rest = rest.replace(word, "")
    if rest != _fold(password) and (len(rest) < 8 or zxcvbn(rest)["score"] < 3):
        raise WeakPassword("too_common")


def guessable_words(texts: Iterable[str]) -> list[str]:
    """The words a guesser tries first, from the user's e-mail, name and agency: each word
    without accents, each e-mail local part, and each run of adjacent words written together
    ("Tây Ninh" gives "tay", "ninh", "tayninh"; "victim2@x.vn" gives "victim2", "victim")."""
    words: set[str] = set()
    for text in texts:
        folded = _fold(text)
        local = folded.split("@", 1)[0]
        parts = [p for p in re.split(r"[^a-z0-9]+", folded) if p]
        words.update({local, re.sub(r"\d+$", "", local), *parts})
        for start in range(len(parts)):
            for end in range(start + 2, min(start + 4, len(parts)) + 1):
                words.add("".join(parts[start:end]))
    return sorted(word for word in words if len(word) >= 3)


def _fold(text: str) -> str:
    text = text.lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    roles: Iterable[str],
    now: datetime,
    division: Division | None = None,
    actor_id: int | None = None,
) -> NewUser:
    email = email.strip().lower()
    role_names = sorted({Role(r).value for r in roles})
    if not role_names:
        raise AccountError("no_roles")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("email_taken")
    one_time = secrets.token_urlsafe(12)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(one_time),
        must_change_password=True,
        division=division,
        password_changed_at=now,
        created_at=now,
    )
    user.role_rows = [UserRole(role=r) for r in role_names]
    session.add(user)
    session.flush()
    record(
        session,
        actor_id=actor_id,
        action="user.create",
        now=now,
        target_type="user",
        target_id=user.id,
        roles=role_names,
    )
    return NewUser(user=user, one_time_password=one_time)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(session: Session, *, email: str, password: str, now: datetime) -> User:
    """Check the credentials; raise LoginFailed the same way whatever went wrong.

    Wrong passwords never lock the account: anyone could lock any official out that way.
    The login page limits them per (address, account) pair instead (LOGIN_FAILURE_LIMIT),
    so a guesser waits and the official signs in from their own machine as usual.
    """
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise LoginFailed()
    if not verify_password(user.password_hash, password) or not user.active:
        user.failed_logins += 1
        record(session, actor_id=user.id, action="login.failed", now=now)
        session.commit()
        raise LoginFailed()
    user.failed_logins = 0
    user.locked_until = None
    return user


def start_session(session: Session, *, user: User, now: datetime) -> str:
    """Create a server-side session row and return the bearer token for the cookie."""
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(token_hash=_token_hash(token), user=user, created_at=now, last_seen_at=now)
    )
    record(session, actor_id=user.id, action="login", now=now)
    session.commit()
    return token


def resume_session(
    session: Session,
    *,
    token: str,
    user_id: int,
    now: datetime,
    idle: timedelta,
    absolute: timedelta,
) -> User | None:
    """The user behind a live session token, or None when it ended; refreshes last_seen_at."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if row is None or row.user_id != user_id or row.revoked_at is not None:
        return None
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        _write_alone(session, row.id, revoked_at=now)
        return None
    user = row.user
    if not user.active:
        return None
    # Write at most once a minute, not on every request.
    if now - row.last_seen_at > timedelta(minutes=1):
        _write_alone(session, row.id, last_seen_at=now)
    return user


def _write_alone(session: Session, row_id: int, **values: object) -> None:
    """Update a session row outside the read that found it (mostly a GET's): the read ends,
    then the UPDATE opens a transaction of its own. On SQLite a write that opens a transaction
    waits for the lock (busy timeout), where one after a read fails with "database is locked"
    as soon as another writer has committed in between."""
    session.commit()
    session.execute(update(UserSession).where(UserSession.id == row_id).values(**values))
    session.commit()


def end_session(session: Session, *, token: str, now: datetime) -> None:
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        record(session, actor_id=row.user_id, action="logout", now=now)
        session.commit()


def revoke_all_sessions(session: Session, *, user_id: int, now: datetime) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def change_password(
    session: Session,
    *,
    user: User,
    current: str,
    new: str,
    now: datetime,
    context: Iterable[str] = (),
) -> None:
    """`context`: what else a guesser knows, such as the agency's name and its province."""
    if not verify_password(user.password_hash, current):
        raise AccountError("wrong_current")
    if new == current:
        raise WeakPassword("same_as_current")
    division = user.division.name if user.division is not None else ""
    check_password_strength(new, user_inputs=[user.email, user.name, division, *context])
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = now
    revoke_all_sessions(session, user_id=user.id, now=now)
    record(session, actor_id=user.id, action="password.change", now=now)
    session.commit()


def set_active(session: Session, *, user: User, active: bool, actor_id: int, now: datetime) -> None:
    user.active = active
    if not active:
        revoke_all_sessions(session, user_id=user.id, now=now)
    record(
        session,
        actor_id=actor_id,
        action="user.activate" if active else "user.deactivate",
        now=now,
        target_type="user",
        target_id=user.id,
    )
    session.commit()


def reset_one_time_password(user: User) -> str:
    """Give a user a new one-time password that must be changed at the next login."""
    one_time = secrets.token_urlsafe(12)
    user.password_hash = hash_password(one_time)
    user.must_change_password = True
    return one_time


def totp_required(user: User, required_roles: Iterable[str]) -> bool:
    return bool(user.roles & set(required_roles))


def verify_totp(session: Session, *, user: User, code: str, now: datetime) -> bool:
    """Check a code from the official's authenticator app; each code is accepted once."""
    if not user.totp_secret:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    code = "".join(ch for ch in code if ch.isdigit())
    for offset in (-1, 0, 1):  # one step of clock drift either way
        moment = now.timestamp() + offset * totp.interval
        step = totp.timecode(datetime.fromtimestamp(moment, tz=now.tzinfo))
        if hmac.compare_digest(totp.at(moment), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            session.commit()
            return True
    return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, *, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def enable_totp(session: Session, *, user: User, secret: str, code: str, now: datetime) -> bool:
    digits = "".join(c for c in code if c.isdigit())
    if not pyotp.TOTP(secret).verify(digits, for_time=now, valid_window=1):
        return False
    user.totp_secret = secret
    user.totp_last_step = None
    record(session, actor_id=user.id, action="totp.enable", now=now)
    session.commit()
    return True


def disable_totp(session: Session, *, user: User, actor_id: int, now: datetime) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    record(
        session,
        actor_id=actor_id,
        action="totp.disable",
        now=now,
        target_type="user",
        target_id=user.id,
    )
    session.commit()
