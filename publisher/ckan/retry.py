"""Retries with exponential backoff, for transient failures of idempotent calls only."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from publisher.errors import TransientError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, attempt: int) -> float:
        """Full jitter: a random wait up to base * 2**attempt, capped."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** attempt))


def with_retries(call: Callable[[], T], *, idempotent: bool, policy: RetryPolicy,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """Run `call`; on a TransientError retry it only if it is idempotent."""
    attempt = 0
    while True:
        try:
            return call()
        except TransientError:
            attempt += 1
            if not idempotent or attempt >= policy.attempts:
                raise
            sleep(policy.delay(attempt))
