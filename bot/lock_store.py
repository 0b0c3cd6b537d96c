"""Rasa's Redis lock store with every change of a lock made atomically.

Rasa (open source 3.6) keeps one ticket lock per conversation in Redis, so that the messages
of a conversation are handled one at a time, whichever instance receives them. Its
`RedisLockStore` changes a lock by reading it, changing it in Python and writing it back.
Two instances doing that at the same moment overwrite each other: both get the same ticket,
or a finished message deletes the lock while another was just queued. Both then run at once
on the same conversation and one of the two messages is lost from the tracker store (our
load test showed it; RasaHQ/rasa#9213). Here each read-change-write is one Redis transaction
(WATCH/MULTI/EXEC), retried when another instance changed the lock in between. The locking
protocol, the key layout and the waiting loop stay Rasa's.

endpoints.production.yml: `lock_store: {type: bot.lock_store.AtomicRedisLockStore, url, ...}`.
"""

from __future__ import annotations

import json
from typing import Any, Callable, List, Optional, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.redis_tls import client_options

T = TypeVar("T")
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket issue, expiry and clean-up are Redis transactions."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """The server from the endpoint configuration; TLS from REDIS_TLS and REDIS_CA_CERT
        (bot/redis_tls.py), since an endpoint file has no default for an unset variable."""
        tls = client_options()
        super().__init__(
            host=endpoint_config.url or "localhost",
            **endpoint_config.kwargs,
            **({"use_ssl": True, "ssl_ca_certs": tls["ssl_ca_certs"]} if tls else {}),
        )
        if tls:  # Rasa's store leaves the name unchecked; connections are made on first use
            self.red.connection_pool.connection_kwargs["ssl_check_hostname"] = True

    def _change(self, conversation_id: str, change: Change[T]) -> T:
        """Apply `change` to the stored lock (None when absent) in one transaction; the
        lock it returns is saved, or the key deleted when it returns None."""
        key = self.key_prefix + conversation_id
        outcome: List[Any] = []

        def transaction(pipe: Any) -> None:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            changed, value = change(lock)
            pipe.multi()
            if changed is None:
                pipe.delete(key)
            else:
                pipe.set(key, changed.dumps())
            outcome[:] = [value]

        self.red.transaction(transaction, key)
        return outcome[0]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def prune(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, prune)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket; delete the lock in the same step if nobody else waits."""

        def finish(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)
