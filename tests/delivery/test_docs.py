"""The documentation site: generated pages are up to date, the nav lists them, and the site builds strictly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from aifactory.docsgen import COMPONENT_STACKS, SHIPPED_STACKS, generated_pages
from aifactory.docsgen.components import component_docs
from aifactory.offline.stack_run import load_plan
from tests.support import REPO, shipped_stack

DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    plans = {stack: load_plan(REPO, stack) for stack in SHIPPED_STACKS}
    runs = {stack: shipped_stack(stack).run for stack in COMPONENT_STACKS}
    return generated_pages(plans, runs)


def test_generated_pages_are_committed_and_up_to_date(pages: dict[str, str]) -> None:
    stale = [path for path, text in pages.items() if not (DOCS / path).is_file() or (DOCS / path).read_text() != text]
    assert stale == [], "run `python -m aifactory.docsgen` and commit docs/"


def _nav_pages(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [page for item in node for page in _nav_pages(item)]
    if isinstance(node, dict):
        return [page for value in node.values() for page in _nav_pages(value)]
    return []


def _mkdocs() -> dict[str, Any]:
    # mkdocs.yml names a Python function for the mermaid fence; read it without resolving that tag
    class Loader(yaml.SafeLoader):
        """SafeLoader that reads !!python/name tags as plain strings."""

    Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda _loader, suffix, _node: suffix)
    data = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=Loader)
    assert isinstance(data, dict)
    return data


def test_nav_lists_every_page_and_every_page_exists(pages: dict[str, str]) -> None:
    nav = _nav_pages(_mkdocs()["nav"])
    assert len(nav) == len(set(nav)), "a page is listed twice"
    missing = [page for page in nav if not (DOCS / page).is_file()]
    assert missing == []
    generated = {path for path in pages if path.endswith(".md")}
    assert generated <= set(nav), f"generated pages missing from the nav: {sorted(generated - set(nav))}"
    written = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert written <= set(nav), f"pages not in the nav: {sorted(written - set(nav))}"


def test_every_component_the_brief_names_has_a_page() -> None:
    names = {doc.name for doc in component_docs()}
    assert names >= {
        "CommonNetwork",
        "PrivateDns",
        "PrivateEndpointSet",
        "SharedServices",
        "DataLake",
        "ProjectBaseline",
        "EsmlProject",
        "GenAIProject",
        "CommonIdentity",
        "ProjectIdentity",
    }


def test_component_pages_say_what_each_component_creates(pages: dict[str, str]) -> None:
    network = pages["components/commonnetwork.md"]
    assert "| `azure-native:network:Subnet` |" in network and "Type token `aifactory:network:CommonNetwork`" in network
    endpoints = pages["components/privateendpointset.md"]
    assert "| `azure-native:network:PrivateEndpoint` |" in endpoints and "| `group_ids` |" in endpoints


def test_references_document_every_key(pages: dict[str, str]) -> None:
    stack, project = pages["reference/stack-config.md"], pages["reference/project-file.md"]
    for key in (
        "aifactory:network.hub.firewall_ip",
        "aifactory:dns.policy_managed_dns",
        "aifactory:project_subscriptions[].first_id",
    ):
        assert f"| `{key}` |" in stack
    for key in ("members[].persona", "services.ai_foundry.models[].capacity", "overrides.<key>.services"):
        assert f"| `{key}` |" in project
    assert "| `id` | integer | required |" in project


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "components" / "commonnetwork" / "index.html").is_file()
    assert "mermaid" in (tmp_path / "site" / "diagrams" / "index.html").read_text()
