"""Order actions: schedule a session, list, cancel (source §3.1: remote help is ordered)."""

from __future__ import annotations

from datetime import datetime, timedelta

from kvsupport.core import readable
from kvsupport.core.billing import local_date
from kvsupport.core.models import Evidence, Order
from kvsupport.errors import InvalidValue, NotFound, Refused
from kvsupport.i18n import N_, _
from kvsupport.ops.client_codes import active
from kvsupport.ops.env import Env

#: how late a session may start and still be the order's: later, an open order is missed
GRACE = timedelta(minutes=15)

#: an order as it stands, by its status (one that is not open cannot be taken or cancelled)
_ORDER_IS = {
    "open": N_("order {id} is open"),
    "done": N_("order {id} is done"),
    "cancelled": N_("order {id} is cancelled"),
}


def order_is(order: Order) -> str:
    """``order 3 is done``: why an order that is not open cannot be taken or cancelled."""
    return _(_ORDER_IS[order.status]).format(id=order.id)


def is_missed(order: Order, now: datetime) -> bool:
    """True for an open order whose time passed more than :data:`GRACE` ago with no session
    started for it (issue 12, item 14)."""
    return order.status == "open" and order.session is None and order.at < now - GRACE


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
    ``evidence``: what the client's letter gave, passed on to the session); the same
    client, service and time as an open order is refused."""
    if at < env.now:
        raise InvalidValue(
            _("{moment} is in the past").format(moment=readable.day_and_time(env.local(at))),
            hint=_("an order is for later; log past work with 'kvsupport session add'"),
        )
    with env.store(write=True) as store:
        client = active(store, client).code
        env.tariffs.service_on(service, local_date(at, env.tz))
        for other in store.orders():
            if (other.status, other.client, other.service, other.at) == ("open", client, service, at):
                raise Refused(
                    _("order {id} is for the same: {service} for {client} at {at}").format(
                        id=other.id, service=service, client=client, at=readable.day_and_time(env.local(at))
                    ),
                    hint=_("see 'kvsupport order list'; cancel one with 'kvsupport order cancel N'"),
                )
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
            raise NotFound(_("no order {id}").format(id=order_id), hint=_("see 'kvsupport order list'"))
        if order.status != "open":
            raise Refused(order_is(order))
        cancelled = order._replace(status="cancelled")
        store.put_order(cancelled)
        return cancelled
