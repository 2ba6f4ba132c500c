"""One root error type; every failure the user sees is a PublisherError.

Exceptions are for input that cannot be used at all (or a target that cannot be
reached); findings about usable input are data in a Report, never exceptions.

Exit codes: 0 all well, 1 findings block, 2 unusable input or a failed target.
"""

from __future__ import annotations

from typing import Any

EXIT_OK = 0
EXIT_BLOCKED = 1
EXIT_UNUSABLE = 2


class PublisherError(Exception):
    """Root of every error the publisher raises on purpose."""

    exit_code: int = EXIT_UNUSABLE
    transient: bool = False

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} (hint: {self.hint})" if self.hint else text

    def __reduce__(self) -> tuple[Any, ...]:
        # whatever a subclass's __init__ asks for: a worker of the cluster hands its
        # errors back pickled
        return _rebuilt, (type(self), self.args, self.__dict__.copy())

    def to_dict(self) -> dict[str, str | bool | None]:
        return {
            "error": type(self).__name__,
            "message": self.message,
            "where": self.where,
            "hint": self.hint,
            "transient": self.transient,
        }


class InputError(PublisherError):
    """The input (package, descriptor, file, spec) cannot be used at all."""


class UnsafePathError(InputError):
    """A resource path escapes the package root, or is a remote URL not allowed."""


class SpecError(InputError):
    """A pipeline or policy file does not match its schema."""


class BlockedError(PublisherError):
    """Findings block publication (validation errors or blocking policy findings)."""

    exit_code = EXIT_BLOCKED


class TerminalError(PublisherError):
    """A target refused the request; retrying will not help."""


class TransientError(PublisherError):
    """A target failed in a way that may pass (timeout, 5xx, throttling)."""

    transient = True


def _rebuilt(cls: type[PublisherError], args: tuple[Any, ...],
             state: dict[str, Any]) -> PublisherError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error
