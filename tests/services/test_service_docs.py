"""docs/services.md is the registry rendered: it is up to date, and it shows each service's facts."""

from __future__ import annotations

from aifactory.service_docs import DOCS_PAGE, render_services_page
from aifactory.services import SERVICES
from tests.support import REPO


def test_committed_services_page_is_in_sync_with_the_registry() -> None:
    committed = (REPO / DOCS_PAGE).read_text(encoding="utf-8")
    assert committed == render_services_page(), "run `python -m aifactory.service_docs` and commit docs/services.md"


def test_the_page_has_a_section_per_service_with_its_facts() -> None:
    page = render_services_page()
    assert [s.name for s in SERVICES]
    for service in SERVICES:
        assert f"## {service.title} (`{service.name}`)" in page
    section = page.split("## Azure Cosmos DB for NoSQL (`cosmos_db`)")[1].split("\n## ")[0]
    assert "`Sql` → privatelink.documents.azure.com" in section
    assert "protected, and what holds its data CanNotDelete-locked" in section
    assert "| `serverless` | Optional. Serverless capacity mode. Default: true. |" in section
    assert "Cosmos DB Built-in Data Contributor (data plane) on `cosmos_db`" in section
    aks = page.split("## Azure Kubernetes Service (`aks`)")[1].split("\n## ")[0]
    assert "none: a private cluster" in aks and "stays private whatever the list says" in aks
