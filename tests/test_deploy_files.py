"""The Compose file and the Kubernetes manifests agree with the code and with each other
(`make deploy-test` runs them; these checks are fast and run in `make test`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import PROJECT_DIR

DEPLOY = PROJECT_DIR / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
ROLES = {"rasa", "actions", "sync", "purge"}


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def manifests() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    return [d for name in kustomization["resources"] for d in documents(KUBERNETES / name)]


def pod_specs() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for document in manifests():
        spec = document.get("spec", {})
        if document["kind"] == "CronJob":
            spec = spec["jobTemplate"]["spec"]
        if "template" in spec:
            found.append((document["metadata"]["name"], spec["template"]["spec"]))
    return found


def environment_names() -> set[str]:
    """Every environment variable the code or the endpoints files read."""
    names: set[str] = set()
    pattern = re.compile(
        r"""(?:environ(?:\.get)?\(|environ\[|getenv\()\s*f?["']([A-Z][A-Z0-9_]+)"""
    )
    constant = re.compile(r"""^([A-Z_]+) = ["']([A-Z][A-Z0-9_]+)["']""", re.M)
    for path in [*PROJECT_DIR.glob("bot/**/*.py"), *PROJECT_DIR.glob("actions/*.py")]:
        code = path.read_text()
        names |= set(pattern.findall(code))
        for name, value in constant.findall(code):  # environ.get(VARIABLE)
            if re.search(rf"environ(?:\.get)?[\[(]\s*{name}\b", code):
                names.add(value)
    for path in PROJECT_DIR.glob("endpoints*.yml"):
        names |= set(re.findall(r"\$\{([A-Z_]+)\}", path.read_text()))
    return names


def test_every_resource_of_the_kustomization_exists_and_parses() -> None:
    kinds = {d["kind"] for d in manifests()}
    assert {
        "Deployment",
        "Service",
        "Job",
        "CronJob",
        "ConfigMap",
        "Ingress",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
    } <= kinds


@pytest.mark.parametrize(("name", "spec"), pod_specs())
def test_every_pod_runs_the_image_as_non_root_in_a_known_role(
    name: str, spec: dict[str, Any]
) -> None:
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] == 10001
    for container in spec["containers"]:
        assert container["image"] == "welcome-bot", "kustomization.yaml sets the real name"
        assert container["args"][0] in ROLES
        refs = {next(iter(source.values()))["name"] for source in container.get("envFrom", [])}
        assert refs == {"welcome-settings", "welcome-secrets"}
        assert "requests" in container["resources"]
    for container in [*spec.get("initContainers", []), *spec["containers"]]:
        # the "restricted" Pod Security Standard
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"


def test_rasa_has_two_replicas_probes_a_budget_and_an_autoscaler() -> None:
    by_kind = {(d["kind"], d["metadata"]["name"]): d for d in manifests()}
    rasa = by_kind[("Deployment", "welcome-rasa")]
    assert rasa["spec"]["replicas"] >= 2
    (container,) = rasa["spec"]["template"]["spec"]["containers"]
    assert {"startupProbe", "readinessProbe", "livenessProbe"} <= set(container)
    assert by_kind[("HorizontalPodAutoscaler", "welcome-rasa")]["spec"]["minReplicas"] >= 2
    assert by_kind[("PodDisruptionBudget", "welcome-rasa")]["spec"]["minAvailable"] >= 1
    assert by_kind[("Service", "welcome-rasa")]["spec"]["sessionAffinity"] == "ClientIP"
    assert by_kind[("Service", "welcome-actions")]["spec"].get("type", "ClusterIP") == "ClusterIP"


def test_the_settings_name_only_variables_the_code_reads() -> None:
    (settings,) = [d for d in documents(KUBERNETES / "settings.yaml") if d["kind"] == "ConfigMap"]
    known = environment_names()
    assert set(settings["data"]) <= known, set(settings["data"]) - known
    # the secrets are named in the code as text, often with the municipality appended
    code = " ".join(path.read_text() for path in PROJECT_DIR.glob("bot/**/*.py"))
    example = (KUBERNETES / "secrets.env.example").read_text()
    for name in re.findall(r"\b([A-Z][A-Z0-9_]+)=", example):
        generic = re.sub(r"_(DORNBIRN|KRANJ)$", "_", name)
        assert name in known or f'"{generic}' in code, name


def test_compose_puts_rasa_where_the_example_proxy_looks() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    upstream = re.findall(
        r"server 127\.0\.0\.1:(\d+);", (PROJECT_DIR / "docs/examples/nginx.conf").read_text()
    )
    ports = sorted(
        services[name]["environment"]["PORT"] for name in services if name.startswith("rasa-")
    )
    assert ports == sorted(set(upstream))
    assert all(
        services[name]["network_mode"] == "service:nginx"
        for name in services
        if name.startswith("rasa-")
    )
    nginx_volumes = services["nginx"]["volumes"]
    assert any(volume.startswith("../docs/examples/nginx.conf:") for volume in nginx_volumes)
    for name, service in services.items():
        command = service.get("command")
        if service.get("image", "").startswith("${WELCOME_IMAGE"):
            assert command[0] in ROLES or name == "purge", name
    assert "ports" not in services["actions"], "the action server is never published"
