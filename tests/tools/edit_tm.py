#!/usr/bin/env python3
"""Edits exported translation memory the way a translator's tool would,
with libraries helpbook did not write: polib for PO, translate-toolkit for
XLIFF 2 and TMX. Used by tests/import.rs.

Usage: edit_tm.py FILE EDITS.json

EDITS.json: {"KEY": {"target": "new text" or null, "confirm": true|false}, ...}
where KEY is the unit's key as helpbook writes it: the PO msgctxt, the TMX
tuid, or for XLIFF the file's `original`, "#", the unit's `name`, and
"@LINE:COLUMN" when the unit id is "pos:LINE:COLUMN".

For each unit named: a target replaces the translation; confirm marks it
done (PO: fuzzy removed; XLIFF: state "translated"; TMX has no state).
Then each tool rewrites the file in its own way:
- PO: entries in reverse order, strings rewrapped at 30 columns, an
  obsolete entry added, a translator comment on each edited entry;
- XLIFF: a note added to each edited unit, serialised by translate-toolkit;
- TMX: a <prop type="x-reviewed"> added to each edited unit.
Prints the number of units edited. Exit status 2 when a module is missing.
"""
import json
import sys

try:
    import polib
    from lxml import etree
    from translate.storage import tmx, xliff2
except ImportError as err:  # pragma: no cover
    print(f"polib or translate-toolkit is not installed: {err}", file=sys.stderr)
    sys.exit(2)


def edit_po(path, edits):
    po = polib.pofile(path, wrapwidth=0)
    done = 0
    for entry in po:
        change = edits.get(entry.msgctxt)
        if change is None:
            continue
        if change.get("target") is not None:
            entry.msgstr = change["target"]
        if change.get("confirm") and "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.tcomment = "edited in a test"
        done += 1
    po.reverse()
    po.append(polib.POEntry(msgctxt="gone.md#1", msgid="Gone", msgstr="Borta", obsolete=True))
    po.wrapwidth = 30
    po.save(path)
    return done


def xliff_key(unit):
    element = unit.getunitelement()
    node = element.getparent()
    while node is not None and etree.QName(node).localname != "file":
        node = node.getparent()
    original = node.get("original") if node is not None else ""
    unit_id = element.get("id", "")
    name = element.get("name", unit_id)
    if unit_id.startswith("pos:"):
        return f"{original}#{name}@{unit_id[4:]}"
    return f"{original}#{name}"


def edit_xliff(path, edits):
    with open(path, "rb") as f:
        store = xliff2.Xliff2File.parsefile(f)
    done = 0
    for unit in store.units:
        change = edits.get(xliff_key(unit))
        if change is None:
            continue
        if change.get("target") is not None:
            unit.target = change["target"]
        if change.get("confirm"):
            unit.marktranslated()
        unit.addnote("edited in a test")
        done += 1
    with open(path, "wb") as f:
        f.write(bytes(store))
    return done


def edit_tmx(path, edits):
    with open(path, "rb") as f:
        store = tmx.tmxfile.parsefile(f)
    done = 0
    for unit in store.units:
        change = edits.get(unit.getid())
        if change is None:
            continue
        if change.get("target") is not None:
            unit.target = change["target"]
        prop = etree.Element("prop", type="x-reviewed")
        prop.text = "yes"
        unit.xmlelement.insert(0, prop)
        done += 1
    with open(path, "wb") as f:
        f.write(bytes(store))
    return done


def main(path, edits_path):
    with open(edits_path, encoding="utf-8") as f:
        edits = json.load(f)
    if path.endswith(".po"):
        done = edit_po(path, edits)
    elif path.endswith(".xlf"):
        done = edit_xliff(path, edits)
    else:
        done = edit_tmx(path, edits)
    print(done)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
