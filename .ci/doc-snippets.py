#!/usr/bin/env python3
"""Writes the configuration examples of a Markdown file out as files, to lint.

Every ```yaml block whose first line is a comment naming a path
(`# .github/workflows/docs.yml`, `# .gitlab-ci.yml`) is written to that path
under OUTDIR. Prints the paths written; fails when there are none.

Usage: doc-snippets.py FILE.md OUTDIR
"""
import pathlib
import re
import sys


def main(doc, outdir):
    text = pathlib.Path(doc).read_text(encoding="utf-8")
    written = []
    for block in re.findall(r"^```yaml\n(.*?)^```$", text, flags=re.M | re.S):
        first = block.split("\n", 1)[0]
        match = re.fullmatch(r"# ([\w./-]+\.ya?ml)", first)
        if not match or ".." in match.group(1) or match.group(1).startswith("/"):
            continue
        path = pathlib.Path(outdir) / match.group(1)
        if path.exists():
            print(f"{doc}: two examples named {match.group(1)}", file=sys.stderr)
            return 1
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block, encoding="utf-8")
        written.append(str(path))
    if not written:
        print(f"{doc}: no named YAML examples", file=sys.stderr)
        return 1
    print("\n".join(written))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
