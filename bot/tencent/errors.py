"""The typed failures of a CCC call, mapped from Tencent error codes (never from message text).

    CccError                      every failure; carries .code, .message, .request_id, .action
    ├── CccRejected               Tencent answered with an error: the request did not take effect
    │   ├── RateLimited           RequestLimitExceeded, RequestLimitExceeded.*       (retried with backoff)
    │   ├── SignatureExpired      AuthFailure.SignatureExpire                        (re-signed once)
    │   ├── AuthFailed            AuthFailure.*, UnauthorizedOperation*
    │   ├── InvalidRequest        InvalidParameter*, MissingParameter, UnknownParameter, InvalidAction,
    │   │                         RequestSizeLimitExceeded
    │   ├── QuotaExceeded         LimitExceeded.*  (a business quota, not throttling)
    │   ├── OperationDenied       OperationDenied.*, FailedOperation.*
    │   └── NotFound              ResourceNotFound*
    ├── CccUnreachable            the connection failed before the request was sent (retried)
    └── CccOutcomeUnknown         InternalError*, ServiceUnavailable, HTTP 5xx, a body that is not JSON, a timeout
                                  after sending: the action may or may not have happened (never retried)
"""

from __future__ import annotations


class CccError(Exception):
    """A failed CCC call. `str()` is safe to show: it never contains credentials."""

    def __init__(self, message: str, *, code: str = "", request_id: str = "", action: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.action = action

    def __str__(self) -> str:
        parts = [self.message]
        if self.code:
            parts.append(f"code {self.code}")
        if self.request_id:
            parts.append(f"RequestId {self.request_id}")
        return " · ".join(parts)


class CccRejected(CccError):
    """Tencent processed the request and refused it: nothing was created."""


class RateLimited(CccRejected):
    pass


class SignatureExpired(CccRejected):
    pass


class AuthFailed(CccRejected):
    pass


class InvalidRequest(CccRejected):
    pass


class QuotaExceeded(CccRejected):
    pass


class OperationDenied(CccRejected):
    pass


class NotFound(CccRejected):
    pass


class CccUnreachable(CccError):
    """The request never left this process: nothing was created."""


class CccOutcomeUnknown(CccError):
    """The request may have been processed: check the CCC console before trying again."""


_PREFIXES: list[tuple[str, type[CccError]]] = [
    ("RequestLimitExceeded", RateLimited),
    ("AuthFailure.SignatureExpire", SignatureExpired),
    ("AuthFailure", AuthFailed),
    ("UnauthorizedOperation", AuthFailed),
    ("InvalidParameter", InvalidRequest),
    ("MissingParameter", InvalidRequest),
    ("UnknownParameter", InvalidRequest),
    ("InvalidAction", InvalidRequest),
    ("RequestSizeLimitExceeded", InvalidRequest),
    ("LimitExceeded", QuotaExceeded),
    ("OperationDenied", OperationDenied),
    ("FailedOperation", OperationDenied),
    ("ResourceNotFound", NotFound),
    ("InternalError", CccOutcomeUnknown),
    ("ServiceUnavailable", CccOutcomeUnknown),
]


def error_class(code: str) -> type[CccError]:
    """The class for a Tencent error code, by prefix (the specific prefixes are listed first). Unknown codes
    were answered by the server, so they are rejections."""
    for prefix, cls in _PREFIXES:
        if code.startswith(prefix):
            return cls
    return CccRejected


def from_response(code: str, message: str, request_id: str, action: str) -> CccError:
    return error_class(code)(message, code=code, request_id=request_id, action=action)
