"""``kvsupport demo``: a sample month in a temporary ledger, and its invoices."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer

from kvsupport.cli import figures
from kvsupport.cli.invoice import print_document, sum_in_summary
from kvsupport.cli.options import env_of
from kvsupport.cli.output import say
from kvsupport.i18n import _

app = typer.Typer(add_completion=False, help="A sample month in a temporary ledger, with its invoices.")
commands = {"demo": app}


@app.command("demo")
def demo(ctx: typer.Context) -> None:
    """Build a sample ledger in a temporary directory (never yours) and print its invoices.

    Example: kvsupport demo
    """
    from kvsupport.ops.demo import build

    env = env_of(ctx)
    directory = Path(tempfile.mkdtemp(prefix="kvsupport-demo-"))
    sample = build(directory, env.now)
    for step in sample.steps:
        say(env, step)
    for invoice in sample.issued.invoices:
        print_document(sample.env, invoice, act=False)
    issued = sample.issued
    totals = ", ".join(f"{i.number} {i.client_code} {sum_in_summary(i.total)}" for i in issued.invoices)
    say(
        env,
        _("issued for {period}: {invoices}").format(period=figures.period(issued.period), invoices=totals),
    )
    say(env, _("the sample ledger is in {directory}; explore it with:").format(directory=directory))
    say(env, f"  export KVSUPPORT_LEDGER={directory}/ledger.json KVSUPPORT_CONFIG={directory}/config.toml")
    say(env, "  kvsupport session list --all; kvsupport report --month " + issued.period)
