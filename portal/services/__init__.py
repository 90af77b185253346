"""Use cases: they take the database session and `now`, apply domain rules and commit."""


class ServiceError(Exception):
    """Base of the typed errors that views turn into form errors or flashes."""
