"""Published schemas the tests validate against, fetched from a package registry.

SARIF 2.1.0's official JSON schema (OASIS, ``sarif-2.1.0-rtm.5.json``, the file
SchemaStore serves as ``sarif-2.1.0.json``) is not on PyPI, and copies from
public repositories may not be committed here. Microsoft publishes it on the npm
registry inside ``@microsoft/jest-sarif`` (MIT). The tarball is fetched once,
checked against the registry's recorded SHA-512 integrity, and kept in
``tests/.downloads/`` (ignored by git). No Node.js is needed.

A fetch that fails is a test failure that says why, never a skip: the test is
the proof that the report is accepted.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import urllib.request
from functools import cache
from pathlib import Path
from typing import Any

import pytest

DOWNLOADS = Path(__file__).parent / ".downloads"
SARIF_PACKAGE = "https://registry.npmjs.org/@microsoft/jest-sarif/-/jest-sarif-1.0.0-beta.0.tgz"
# `npm view @microsoft/jest-sarif@1.0.0-beta.0 dist.integrity`
SARIF_INTEGRITY = "sha512-A1fOhPd6Ic5iDk4F9YPw1qNB4XF+7+IviR7xl8r2F6QzQkx5cpY9LsGk2rExiFIEcBbjpVnSmwWGBukASkiQ9A=="
SARIF_MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _fetch(url: str, integrity: str) -> bytes:
    cached = DOWNLOADS / url.rsplit("/", 1)[1]
    if cached.is_file() and _integrity(cached.read_bytes()) == integrity:
        return cached.read_bytes()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data: bytes = response.read()
    except OSError as error:
        pytest.fail(f"could not fetch the published schema from {url}: {error}", pytrace=False)
    if _integrity(data) != integrity:
        pytest.fail(f"{url} does not match its recorded integrity {integrity}", pytrace=False)
    DOWNLOADS.mkdir(exist_ok=True)
    cached.write_bytes(data)
    return data


@cache
def official_sarif_schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 JSON schema (draft-04)."""
    with tarfile.open(fileobj=io.BytesIO(_fetch(SARIF_PACKAGE, SARIF_INTEGRITY)), mode="r:gz") as tar:
        member = tar.extractfile(SARIF_MEMBER)
        assert member is not None, f"{SARIF_MEMBER} is missing from {SARIF_PACKAGE}"
        schema: dict[str, Any] = json.load(member)
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0-rtm.5 JSON Schema"
    return schema
