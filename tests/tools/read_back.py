#!/usr/bin/env python3
"""Reads exported translation memory back with parsers helpbook did not
write: polib for PO, translate-toolkit for XLIFF 2 and TMX.

Usage: read_back.py FILE ; prints a JSON list with one object per unit, in
file order: {"key": ..., "source": ..., "target": ..., "fuzzy": bool}
where key is the PO msgctxt, the XLIFF unit id or the TMX tuid.
Exit status 2 when a module is missing (the caller skips), 1 on any error.
"""
import json
import sys

try:
    import polib
    from translate.storage import tmx, xliff2
except ImportError as err:  # pragma: no cover
    print(f"polib or translate-toolkit is not installed: {err}", file=sys.stderr)
    sys.exit(2)


def po_units(path):
    return [
        {
            "key": e.msgctxt,
            "source": e.msgid,
            "target": e.msgstr,
            "fuzzy": "fuzzy" in e.flags,
        }
        for e in polib.pofile(path, wrapwidth=0)
    ]


def toolkit_units(store):
    return [
        {
            "key": u.getid(),
            "source": str(u.source),
            "target": str(u.target),
            "fuzzy": bool(u.isfuzzy()),
        }
        for u in store.units
        if not u.isheader()
    ]


def main(path):
    if path.endswith(".po"):
        units = po_units(path)
    else:
        opener = xliff2.Xliff2File if path.endswith(".xlf") else tmx.tmxfile
        with open(path, "rb") as f:
            units = toolkit_units(opener.parsefile(f))
    json.dump(units, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
