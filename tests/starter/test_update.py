"""Re-rendering after a project or template change updates generated values and keeps the team's own work."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import copier
import pytest
import yaml

from aifactory.errors import ConfigError
from aifactory.starter import render_kit
from tests.starter.conftest import git, make_factory

TEAM_NOTE = "\n## Team notes\n\nWe score card payments every night.\n"
TRAIN_EDIT = "# team: we tuned the learning rate here\n"


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def rename_project(factory: Path) -> None:
    """The lead renames project 1 and attaches AKS to its prod workspace (online endpoints)."""
    old = factory / "projects" / "001-fraud-detection.yaml"
    spec = yaml.safe_load(old.read_text())
    spec["name"] = "card-fraud"
    spec["overrides"]["prod"]["services"]["aks"]["attach_to_workspace"] = True
    old.unlink()
    (factory / "projects" / "001-card-fraud.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))


def change_template(factory: Path, marker: str) -> None:
    """A template edit away from where the team edits (both at the same lines would be a marked conflict)."""
    readme = factory / "templates" / "project" / "README.md.jinja"
    readme.write_text(readme.read_text().replace("## What is in it", f"{marker}\n\n## What is in it", 1))


def test_rerender_updates_names_and_keeps_the_teams_files(tmp_path: Path) -> None:
    factory = make_factory(tmp_path / "factory")
    kit = tmp_path / "kit"
    assert render_kit(factory, "1", kit).action == "created"
    git(kit, "init", "-q", "-b", "main")
    commit(kit, "starter kit")
    # the team works in its repository
    (kit / "README.md").write_text((kit / "README.md").read_text() + TEAM_NOTE)
    train = kit / "src" / "stages" / "train.py"
    train.write_text(TRAIN_EDIT + train.read_text())
    (kit / "notebooks").mkdir()
    (kit / "notebooks" / "explore.md").write_text("our exploration\n")
    commit(kit, "team work")
    # the factory changes: the project is renamed and gets an online endpoint; the template changes too
    rename_project(factory)
    change_template(factory, "Template change one.")
    commit(factory, "rename project 1, template change")

    result = render_kit(factory, "1", kit)

    assert result.action == "updated"
    environments = json.loads((kit / "config" / "environments.json").read_text())
    assert [e["names"]["resource_group"] for e in environments] == [
        f"rg-acme-p001-card-fraud-{env}-sdc" for env in ("dev", "stage", "prod")
    ]
    workflow = (kit / ".github" / "workflows" / "mlops.yml").read_text()
    assert "app-acme-p001-card-fraud-deploy-dev-sdc" in workflow
    assert "fraud-detection" not in workflow
    readme = (kit / "README.md").read_text()
    assert TEAM_NOTE.strip() in readme and "Template change one." in readme
    assert "rg-acme-p001-card-fraud-prod-sdc" in readme and "rg-acme-p001-fraud-detection" not in readme
    assert train.read_text().startswith(TRAIN_EDIT)
    assert (kit / "notebooks" / "explore.md").read_text() == "our exploration\n"
    assert "<<<<<<<" not in readme + workflow  # the changes merged without conflicts
    # the new online endpoint loads with azure-ai-ml's loaders
    from azure.ai.ml import load_online_deployment, load_online_endpoint
    from azure.ai.ml.entities import KubernetesOnlineEndpoint

    online = kit / "mlops" / "azureml" / "online"
    endpoint = load_online_endpoint(source=online / "endpoint.yml")
    assert isinstance(endpoint, KubernetesOnlineEndpoint)
    assert endpoint.name == "acme-p001-prod-score"
    assert endpoint.compute == "aks-serving"
    assert load_online_deployment(source=online / "deployment.yml").endpoint_name == endpoint.name
    kit_settings = json.loads((kit / "config" / "kit.json").read_text())
    assert kit_settings["online_endpoints"] == {"prod": "acme-p001-prod-score"}
    answers = yaml.safe_load((kit / ".copier-answers.yml").read_text())
    assert git(factory, "rev-parse", "HEAD").startswith(answers["_commit"])

    # plain `copier update --defaults` pulls a template change alone and keeps the recorded names
    commit(kit, "kit update")
    change_template(factory, "Template change two.")
    commit(factory, "template change two")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_update(kit, defaults=True, overwrite=True, quiet=True)
    readme = (kit / "README.md").read_text()
    assert "Template change two." in readme and TEAM_NOTE.strip() in readme
    assert "rg-acme-p001-card-fraud-dev-sdc" in readme


def test_update_refuses_a_dirty_kit_and_a_dirty_template(tmp_path: Path) -> None:
    factory = make_factory(tmp_path / "factory")
    kit = tmp_path / "kit"
    render_kit(factory, "2", kit)
    with pytest.raises(ConfigError, match="not a git repository"):
        render_kit(factory, "2", kit)
    git(kit, "init", "-q", "-b", "main")
    commit(kit, "kit")
    (kit / "README.md").write_text("edited, not committed\n")
    with pytest.raises(ConfigError, match="uncommitted changes"):
        render_kit(factory, "2", kit)
    git(kit, "checkout", "--", "README.md")
    with pytest.raises(ConfigError, match="holds the starter kit of project 2"):
        render_kit(factory, "1", kit)
    change_template(factory, "not committed")
    with pytest.raises(ConfigError, match="template has uncommitted changes"):
        render_kit(factory, "2", tmp_path / "other")


def test_a_non_empty_folder_without_a_kit_is_refused(tmp_path: Path) -> None:
    factory = make_factory(tmp_path / "factory")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "file.txt").write_text("someone's work\n")
    with pytest.raises(ConfigError, match="holds no starter kit"):
        render_kit(factory, "1", tmp_path / "busy")
    assert (tmp_path / "busy" / "file.txt").read_text() == "someone's work\n"


def test_a_folder_without_the_template_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="starter-kit template"):
        render_kit(tmp_path, "1", tmp_path / "kit")
