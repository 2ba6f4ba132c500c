"""The one seam to a CKAN site, for the CKAN target and the harvester (as a
source and as a sink): every action goes through `call`, which sorts failures
into terminal and transient by HTTP status, retries idempotent calls a bounded
number of times, and counts the HTTP calls and bytes sent (for the benchmark
and the plan output)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ckanapi
import requests

from publisher.ckan.retry import RetryPolicy, with_retries
from publisher.errors import TerminalError, TransientError

# Actions that change nothing, or that give the same result when repeated.
IDEMPOTENT = frozenset({
    "status_show", "scheming_dataset_schema_show", "license_list", "organization_show",
    "package_show", "package_search", "resource_show", "resource_delete",
})
_TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass
class Traffic:
    calls: int = 0
    bytes_sent: int = 0
    file_bytes_sent: int = 0
    actions: list[str] = field(default_factory=list)


class CkanClient:
    def __init__(self, url: str, api_key: str | None, *, timeout: float = 60.0,
                 retry: RetryPolicy | None = None, user_agent: str = "publisher (ckan target)"):
        """API_KEY None: anonymous (a harvest source reads public datasets only)."""
        self.url = url.rstrip("/")
        self.traffic = Traffic()
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self._status: int | None = None
        session = requests.Session()
        session.hooks["response"].append(self._record)
        self._ckan = ckanapi.RemoteCKAN(self.url, apikey=api_key, session=session,
                                        user_agent=user_agent)

    def _record(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._status = response.status_code
        self.traffic.calls += 1
        body = response.request.body
        self.traffic.bytes_sent += len(body) if isinstance(body, bytes | str) else 0

    def call(self, action: str, *, idempotent: bool | None = None,
             files: dict[str, Any] | None = None, **data: Any) -> Any:
        """Call an action; ValidationError, NotFound and NotAuthorized surface as
        ckanapi's exceptions (the caller decides), anything else is sorted into
        TerminalError and TransientError."""
        safe = action in IDEMPOTENT if idempotent is None else idempotent
        return with_retries(lambda: self._once(action, data, files), idempotent=safe,
                            policy=self.retry)

    def _once(self, action: str, data: dict[str, Any], files: dict[str, Any] | None) -> Any:
        self.traffic.actions.append(action)
        self._status = None
        where = f"{self.url} {action}"
        try:
            return self._ckan.call_action(action, data, files=files,
                                          requests_kwargs={"timeout": self.timeout})
        except (ckanapi.ValidationError, ckanapi.NotFound, ckanapi.NotAuthorized):
            raise
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise TransientError(f"CKAN did not answer ({type(exc).__name__})",
                                 where=where) from None
        except ckanapi.CKANAPIError:
            status = self._status
            if status in _TRANSIENT_STATUS:
                raise TransientError(f"CKAN answered HTTP {status}", where=where) from None
            raise TerminalError(f"CKAN answered HTTP {status} with an error it did not "
                                "explain", where=where) from None

    def show(self, action: str, **data: Any) -> dict[str, Any] | None:
        """A *_show action, None when CKAN says not found."""
        try:
            result: dict[str, Any] = self.call(action, **data)
            return result
        except ckanapi.NotFound:
            return None
        except ckanapi.NotAuthorized:
            raise TerminalError(f"not allowed to read {data.get('id')}",
                                where=f"{self.url} {action}",
                                hint="check PUBLISHER_CKAN_API_KEY") from None
