"""The CLI reference (``docs/cli.md``), generated from the Typer app itself.

Regenerate with ``python -m kvsupport.cli.reference > docs/cli.md``; a test
fails when the file is stale, so ``--help`` and the docs cannot drift apart.
"""

from __future__ import annotations

from typing import Any

import typer

from kvsupport.cli.app import app


def _walk(command: Any, path: list[str], ctx: Any) -> list[tuple[list[str], Any, Any]]:
    found = [(path, command, ctx)]
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or getattr(sub, "hidden", False):
                continue
            sub_ctx = typer.Context(sub, info_name=name, parent=ctx)
            found.extend(_walk(sub, [*path, name], sub_ctx))
    return found


def _param_row(param: Any) -> str | None:
    if getattr(param, "hidden", False) or param.name in ("help",):
        return None
    if param.param_type_name == "argument":
        name = f"`{param.human_readable_name}`"
    else:
        names = [*param.opts, *param.secondary_opts]
        name = ", ".join(f"`{n}`" for n in names)
    help_text = (getattr(param, "help", None) or "").replace("|", "\\|").replace("\n", " ")
    default = param.default
    shown = ""
    if getattr(param, "show_default", True) is not False and default not in (None, False, (), []):
        value = getattr(default, "value", default)
        shown = f" [default: {value}]"
    if param.required:
        shown += " (required)"
    return f"| {name} | {help_text}{shown} |"


def render_reference() -> str:
    """Markdown for every command: usage, description, options."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="kvsupport")
    out = [
        "# kvsupport command reference",
        "",
        "Generated from the app by `python -m kvsupport.cli.reference > docs/cli.md`; "
        "a test fails when it is stale.",
        "",
    ]
    for path, command, cmd_ctx in _walk(root, ["kvsupport"], ctx):
        out.append(f"{'#' * min(len(path) + 1, 4)} {' '.join(path)}")
        out.append("")
        pieces = command.collect_usage_pieces(cmd_ctx)
        out.append(f"    {' '.join(path)} {' '.join(pieces)}".rstrip())
        out.append("")
        text = (command.help or "").strip()
        if text:
            out.append(text)
            out.append("")
        rows = [row for row in (_param_row(p) for p in command.params) if row]
        if rows:
            out += ["| option | meaning |", "|---|---|", *rows, ""]
        if hasattr(command, "list_commands"):
            subs = command.list_commands(cmd_ctx)
            if subs:
                out.append("Commands: " + ", ".join(f"`{s}`" for s in subs))
                out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_reference())
