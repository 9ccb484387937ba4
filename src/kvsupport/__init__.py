"""kvsupport: time, charges and invoices for paid remote support of «Квартплата»."""

__version__ = "0.1.0"
