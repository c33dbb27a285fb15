"""Diagrams: built from the pure plan, rendered as Mermaid and as an SVG checked by parsing its XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aifactory.cli.app import app
from aifactory.diagram import Diagram, Edge, Group, Node, environment_diagram, project_diagram, to_mermaid, to_svg
from aifactory.offline.stack_run import load_plan
from aifactory.plan.factory import FactoryPlan
from tests.support import REPO, shipped_project_ids

SVG = "{http://www.w3.org/2000/svg}"
runner = CliRunner()


@cache
def _plan(stack: str) -> FactoryPlan:
    return load_plan(REPO, stack)


def _labels(diagram: Diagram) -> str:
    return "\n".join([*(g.label for g in diagram.groups), *(line for n in diagram.nodes() for line in n.lines)])


def test_prod_environment_shows_hub_firewall_route_shards_and_policy_managed_dns() -> None:
    picture = environment_diagram(_plan("prod"))
    groups = {g.id: g for g in picture.groups}
    assert list(groups) == ["hub", "common", "shard_01", "dns"]
    assert {n.id for n in groups["hub"].nodes} == {"hub_vnet", "hub_firewall", "hub_dns_servers"}
    assert [n.id for n in groups["shard_01"].nodes] == [
        "shard_01_subscription",
        *(f"shard_01_p{i:03d}" for i in shipped_project_ids("prod")),
    ]
    edges = {(e.source, e.target, e.label) for e in picture.edges}
    assert ("shard_01", "common", "peering") in edges and ("common", "hub", "peering") in edges
    assert ("shard_01", "hub_firewall", "0.0.0.0/0 route") in edges
    assert "DNS: policy-managed" in _labels(picture)
    assert picture.ids() >= {e.source for e in picture.edges} | {e.target for e in picture.edges}


def test_dev_environment_routes_through_the_hub_and_links_its_own_zones_to_every_vnet() -> None:
    picture = environment_diagram(_plan("dev"))
    assert "hub" in {g.id for g in picture.groups}  # dev peers the hub like prod (ALZ Deny-Subnet-Without-Udr)
    assert ("shard_01", "hub_firewall", "0.0.0.0/0 route") in {(e.source, e.target, e.label) for e in picture.edges}
    assert {(e.source, e.target) for e in picture.edges if e.label == "zone links"} == {
        ("dns_mode", "common"),
        ("dns_mode", "shard_01"),
    }
    assert f"{len(_plan('dev').dns.zones_to_create)} privatelink zones created," in _labels(picture)
    assert "AzureBastionSubnet" in _labels(picture)  # dev turns Bastion on


def test_project_diagram_links_each_endpoint_to_its_subnet_and_zones() -> None:
    picture = project_diagram(_plan("dev"), 3)
    subnet = "subnet_private_endpoints"
    assert ("svc_ai_foundry", subnet, "endpoint: account") in {(e.source, e.target, e.label) for e in picture.edges}
    foundry_zones = {e.target for e in picture.edges if e.source == "svc_ai_foundry" and e.target != subnet}
    assert foundry_zones == {
        "zone_privatelink_cognitiveservices_azure_com",
        "zone_privatelink_openai_azure_com",
        "zone_privatelink_services_ai_azure_com",
    }
    assert "delegated to Microsoft.App/environments" in _labels(picture)
    with pytest.raises(KeyError):
        project_diagram(_plan("prod"), 2)  # project 2 is not deployed in prod


def test_mermaid_quotes_labels_and_writes_every_edge() -> None:
    picture = Diagram(
        'a "quoted": title',
        (Group("g", 'say "hi"', (Node("a", ("one", "two"), "subnet"), Node("b", ("b",), "zone"))),),
        (Edge("a", "b", "link", dashed=True), Edge("b", "a", both=True)),
    )
    text = to_mermaid(picture)
    assert text.splitlines()[:4] == ["---", 'title: "a \\"quoted\\": title"', "---", "flowchart LR"]
    assert '    subgraph g["say #quot;hi#quot;"]' in text
    assert '        a["one<br/>two"]' in text
    assert "    a -.->|link| b" in text and "    b <--> a" in text


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text.encode())


def test_svg_has_a_box_per_node_and_group_and_a_path_per_edge_without_overlaps() -> None:
    picture = environment_diagram(_plan("prod"))
    root = _svg(to_svg(picture))
    assert root.tag == f"{SVG}svg"
    groups = root.findall(f"{SVG}g[@class='group']")
    assert [g.get("id") for g in groups] == [g.id for g in picture.groups]
    nodes = root.findall(f".//{SVG}g[@class='node']")
    assert sorted(n.get("id") or "" for n in nodes) == sorted(n.id for n in picture.nodes())
    paths = root.findall(f"{SVG}path[@class='edge']")
    assert [(p.get("data-source"), p.get("data-target")) for p in paths] == [
        (e.source, e.target) for e in picture.edges
    ]
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert "10.100.0.4" in texts and "p003 support-copilot (genai)" in texts
    width = int(root.get("width") or 0)
    boxes = []
    for node in nodes:
        rect = node.find(f"{SVG}rect")
        assert rect is not None
        x, y, w, h = (int(rect.get(k) or 0) for k in ("x", "y", "width", "height"))
        assert x >= 0 and x + w <= width
        longest = max(len(t.text or "") for t in node.iter(f"{SVG}text"))
        assert w >= longest * 7, f"{node.get('id')}: text wider than its box"
        boxes.append((x, y, x + w, y + h))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], "two boxes overlap"


def test_lines_that_would_cross_a_column_run_above_the_groups() -> None:
    picture = environment_diagram(_plan("prod"))
    root = _svg(to_svg(picture))
    top = min(int(g.find(f"{SVG}rect").get("y") or 0) for g in root.findall(f"{SVG}g[@class='group']"))  # type: ignore[union-attr]
    for path in root.findall(f"{SVG}path[@class='edge']"):
        if (path.get("data-source"), path.get("data-target")) == ("dns_mode", "hub"):
            ys = [int(v) for v in re.findall(r"[ML]\d+,(\d+)", path.get("d") or "")]
            assert min(ys) < top  # over the common VNet and the shard, not through them
            break
    else:
        pytest.fail("no dns_mode -> hub line")


def test_svg_is_deterministic() -> None:
    assert to_svg(environment_diagram(_plan("stage"))) == to_svg(environment_diagram(load_plan(REPO, "stage")))


@pytest.mark.parametrize("stack", ["dev", "stage", "prod"])
def test_the_diagram_command_writes_a_file_for_each_example_stack(stack: str, tmp_path: Path) -> None:
    svg, mermaid = tmp_path / f"{stack}.svg", tmp_path / f"{stack}.mmd"
    result = runner.invoke(app, ["diagram", stack, "-C", str(REPO), "--out", str(svg)])
    assert result.exit_code == 0, result.output
    assert _svg(svg.read_text()).tag == f"{SVG}svg"
    result = runner.invoke(app, ["diagram", stack, "-C", str(REPO), "--project", "1", "-o", str(mermaid)])
    assert result.exit_code == 0, result.output
    assert "flowchart LR" in mermaid.read_text() and "svc_storage" in mermaid.read_text()


def test_the_diagram_command_refuses_unknown_projects_and_formats() -> None:
    result = runner.invoke(app, ["diagram", "prod", "-C", str(REPO), "--project", "2"])
    assert result.exit_code == 2 and "project 2 is not deployed in prod" in result.output
    result = runner.invoke(app, ["diagram", "prod", "-C", str(REPO), "--format", "png"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["diagram", "nope", "-C", str(REPO)])
    assert result.exit_code == 1 and "no such stack file" in result.output
