"""The Russian catalogue of the interface: extract, update, compile, check.

    python tools/catalogue.py update    # new msgids into locale/ru/…/kvsupport.po
    python tools/catalogue.py fill      # translations from locale/ru/parts/*.po into it
    python tools/catalogue.py compile   # .po -> .mo (shipped in the wheel)
    python tools/catalogue.py check     # what tests/test_catalogue.py checks

The msgids are the English texts, found two ways: Babel's extractor reads every
``_()``, ``N_()`` and ``ngettext()`` of the sources; and the command line's help
— docstrings and ``help=`` texts, which Typer reads without a ``_()`` — is taken
from the built commands themselves (the texts kvsupport.cli.app translates when it
builds a command), plus the few texts of Typer's own that it lets be translated.
Babel is a development tool here: the wheel ships the compiled ``.mo``.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "src" / "kvsupport"
LOCALE = SOURCES / "locale"
PO = LOCALE / "ru" / "LC_MESSAGES" / "kvsupport.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2)}


def _code_messages() -> Iterator[tuple[str, int, str | tuple[str, str], str | None]]:
    from babel.messages.extract import extract_from_dir

    for filename, lineno, message, _comments, context in extract_from_dir(
        str(SOURCES), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if message:
            yield f"src/kvsupport/{filename}", lineno, message, context


def _help_messages() -> Iterator[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "src"))
    from kvsupport.cli.app import TYPER_TEXTS, help_texts

    for where, text in help_texts():
        yield where, text
    for text in TYPER_TEXTS.values():
        yield "typer", text


def template() -> object:
    """Every msgid of the interface as a Babel catalogue."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="kvsupport", domain="kvsupport", charset="utf-8")
    for where, lineno, message, context in _code_messages():
        catalog.add(message, locations=[(where, lineno)], context=context)
    for where, text in _help_messages():
        if text.strip():
            catalog.add(text, locations=[(where, 0)], flags={"python-brace-format"} if "{" in text else ())
    return catalog


def _read_po() -> object:
    from babel.messages.pofile import read_po

    with PO.open("rb") as fp:
        return read_po(fp, locale="ru", domain="kvsupport")


def update() -> None:
    """Bring the Russian catalogue in step with the code: new msgids untranslated,
    gone ones dropped, translations kept."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    tmpl = template()
    if PO.exists():
        catalog = _read_po()
    else:
        catalog = Catalog(locale="ru", domain="kvsupport", project="kvsupport", charset="utf-8")
    catalog.update(tmpl, no_fuzzy_matching=True)  # type: ignore[attr-defined]
    catalog.obsolete.clear()  # type: ignore[attr-defined]
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as fp:
        write_po(fp, catalog, width=100, omit_header=False, sort_output=True)
    print(f"{PO.relative_to(ROOT)}: {len(catalog)} messages")  # type: ignore[arg-type]


def fill() -> None:
    """Fill the catalogue's untranslated entries from the partial catalogues in
    ``locale/ru/parts/`` (each written alongside one part of the code)."""
    from babel.messages.pofile import read_po, write_po

    catalog = _read_po()
    known: dict[object, object] = {}
    for part in sorted((PO.parent.parent / "parts").glob("*.po")):
        with part.open("rb") as fp:
            for message in read_po(fp, locale="ru"):
                if message.id and message.string and not message.fuzzy:
                    known.setdefault((message.id, message.context), message.string)
    filled = 0
    for message in catalog:  # type: ignore[attr-defined]
        empty = not message.string or (isinstance(message.string, tuple) and not all(message.string))
        if message.id and empty and (message.id, message.context) in known:
            message.string = known[message.id, message.context]
            filled += 1
    with PO.open("wb") as fp:
        write_po(fp, catalog, width=100, sort_output=True)
    print(f"{PO.relative_to(ROOT)}: {filled} translations filled in")


def compiled() -> bytes:
    """The ``.mo`` bytes of the Russian catalogue as it is."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, _read_po(), use_fuzzy=False)
    return buffer.getvalue()


def compile_mo() -> None:
    """Write the ``.mo`` that ships."""
    MO.write_bytes(compiled())
    print(f"{MO.relative_to(ROOT)}: written")


def problems() -> list[str]:
    """What is wrong with the catalogue: a msgid of the code it lacks or does not
    translate, a fuzzy entry, placeholders that differ, a stale ``.mo``."""
    import string

    found: list[str] = []
    catalog = _read_po()
    tmpl = template()
    have = {(m.id, m.context) for m in catalog if m.id}  # type: ignore[attr-defined]
    for message in tmpl:  # type: ignore[attr-defined]
        if message.id and (message.id, message.context) not in have:
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            found.append(f"not in the catalogue: {message.id!r} ({where})")
    wanted = {(m.id, m.context) for m in tmpl if m.id}  # type: ignore[attr-defined]
    for message in catalog:  # type: ignore[attr-defined]
        if not message.id:
            continue
        if (message.id, message.context) not in wanted:
            found.append(f"in the catalogue but not in the code: {message.id!r}")
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            found.append(f"not translated: {ids[0]!r}")
            continue

        def fields(text: str) -> set[str]:
            try:
                return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
            except ValueError:
                return {"<unbalanced braces>"}

        want = fields(ids[0])
        for text in strings:
            if fields(text) != want:
                found.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    if not MO.exists() or MO.read_bytes() != compiled():
        found.append(f"{MO.relative_to(ROOT)} is stale: run python tools/catalogue.py compile")
    return found


def main(argv: list[str]) -> int:
    """The command line of this tool."""
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "fill":
        fill()
    elif command == "compile":
        compile_mo()
    elif command == "check":
        found = problems()
        for problem in found:
            print(problem)
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
