#!/usr/bin/env python3
"""Fails when a locked dependency needs a newer Rust than Cargo.toml's rust-version.

Reads `cargo metadata` (the packages of Cargo.lock, for every target platform),
takes the highest `rust_version` any dependency declares, and compares it with
the `rust_version` of this workspace's own package.
"""
import json
import subprocess
import sys


def version(text):
    return tuple(int(part) for part in text.split("."))


def main():
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    members = set(metadata["workspace_members"])
    ours = [p for p in metadata["packages"] if p["id"] in members]
    deps = [p for p in metadata["packages"] if p["id"] not in members and p.get("rust_version")]
    if not deps:
        print("rust-version: no locked dependency declares a rust-version")
        return 0
    needed = max(deps, key=lambda p: version(p["rust_version"]))
    status = 0
    for package in ours:
        declared = package.get("rust_version")
        if declared is None:
            print(f"rust-version: {package['name']} declares no rust-version in Cargo.toml")
            status = 1
        elif version(needed["rust_version"]) > version(declared):
            print(
                f"rust-version: {package['name']} declares {declared}, but the lock file's "
                f"{needed['name']} {needed['version']} needs {needed['rust_version']}"
            )
            status = 1
        else:
            print(
                f"rust-version: {package['name']} declares {declared}; the highest a locked "
                f"dependency needs is {needed['rust_version']} ({needed['name']} {needed['version']})"
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
