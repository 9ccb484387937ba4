"""Order actions: schedule a session, list, cancel (source §3.1: remote help is ordered)."""

from __future__ import annotations

from datetime import datetime

from kvsupport.core.billing import local_date
from kvsupport.core.models import Evidence, Order
from kvsupport.errors import InvalidValue, NotFound, Refused
from kvsupport.ops.env import Env


def add(
    env: Env,
    client: str,
    service: str,
    at: datetime,
    problem: str | None,
    phone: str | None,
    *,
    consent: str | None = None,
    evidence: Evidence | None = None,
) -> Order:
    """Schedule a session of ``service`` for ``client`` at ``at`` (``consent`` and
    ``evidence``: what the client's letter gave, passed on to the session)."""
    if at < env.now:
        raise InvalidValue(
            f"{env.local(at):%Y-%m-%d %H:%M} is in the past",
            hint="an order is for later; log past work with 'kvsupport session add'",
        )
    with env.store(write=True) as store:
        store.client(client)
        env.tariffs.service_on(service, local_date(at, env.tz))
        order = Order(
            id=store.new_order_id(),
            client=client,
            service=service,
            at=at,
            problem=problem,
            phone=phone,
            consent=consent,
            evidence=evidence,
        )
        store.put_order(order)
        return order


def listing(env: Env, *, every: bool = False) -> list[Order]:
    """Open orders, soonest first (``every``: done and cancelled too)."""
    with env.store() as store:
        orders = store.orders()
    chosen = [o for o in orders if every or o.status == "open"]
    chosen.sort(key=lambda o: (o.status != "open", o.at))
    return chosen


def cancel(env: Env, order_id: int) -> Order:
    """Cancel an open order."""
    with env.store(write=True) as store:
        order = next((o for o in store.orders() if o.id == order_id), None)
        if order is None:
            raise NotFound(f"no order {order_id}", hint="see 'kvsupport order list'")
        if order.status != "open":
            raise Refused(f"order {order_id} is {order.status}")
        cancelled = order._replace(status="cancelled")
        store.put_order(cancelled)
        return cancelled
