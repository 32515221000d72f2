#!/usr/bin/env python3
"""Opens exported translation memory files with translate-toolkit and counts
their units, as a check that does not use helpbook's own code.

Usage: count_units.py FILE... ; prints one JSON object per file, one a line:
{"file": ..., "units": N, "with_target": N, "translated": N, "fuzzy": N}

- units: translation units (the PO header excluded);
- with_target: units whose translation is not empty;
- translated / fuzzy: translate-toolkit's own istranslated() / isfuzzy()
  (a stale pair is fuzzy: PO `#, fuzzy`, XLIFF state="initial").

PO is opened with translate.storage.pypo, XLIFF 2 with
translate.storage.xliff2 (the factory maps .xlf to XLIFF 1), TMX with
translate.storage.tmx. Exit status 2 when a module is missing, so callers can
tell "cannot check" from "check failed" (1, any file that does not open).
"""
import json
import sys

try:
    from translate.storage import pypo, tmx, xliff2
except ImportError as err:  # pragma: no cover
    print(f"translate-toolkit is not installed: {err}", file=sys.stderr)
    sys.exit(2)

OPENERS = {".po": pypo.pofile, ".xlf": xliff2.Xliff2File, ".tmx": tmx.tmxfile}


def count(path):
    opener = next((o for ext, o in OPENERS.items() if path.endswith(ext)), None)
    if opener is None:
        raise ValueError(f"{path}: not a .po, .xlf or .tmx file")
    with open(path, "rb") as f:
        store = opener.parsefile(f) if hasattr(opener, "parsefile") else opener(f)
    units = [u for u in store.units if not u.isheader()]
    return {
        "file": path,
        "units": len(units),
        "with_target": sum(1 for u in units if u.target),
        "translated": sum(1 for u in units if u.istranslated()),
        "fuzzy": sum(1 for u in units if u.isfuzzy()),
    }


def main(paths):
    status = 0
    for path in paths:
        try:
            print(json.dumps(count(path)))
        except Exception as err:  # report every file, then fail
            print(f"{path}: {type(err).__name__}: {err}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
