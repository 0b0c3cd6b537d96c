"""deploy/kubernetes/ run with `podman kube play`: the sync Job loads the knowledge, two Rasa
pods and the action server hold a conversation, the purge CronJob's command runs.

podman 4.3 plays Pods, Deployments and ConfigMaps, so the Job and the CronJob are played as
the Pods their templates describe. What this machine needs and a cluster does not is
changed here, never in the manifests:
- podman 4.3 reads a Secret for `envFrom` from a podman secret holding JSON (name to
  base64 value), so the Secret is created that way;
- there are no Services or cluster DNS: the action server's pod uses the host's network
  on a free port, and the Rasa pods reach it, PostgreSQL and Redis at the host's address;
  the test reaches each Rasa pod at its own address, and the containers' ports are not
  declared (podman 4.3 publishes every declared port on the host, where two replicas
  would collide);
- podman's emptyDir belongs to root (Kubernetes makes it writable for every user), so the
  sync Job's first step, which copies the ConfigMaps' files into it, runs as root here;
- the image is the one `make deploy-test` built.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import PROJECT_DIR
from bot.cluster import free_port
from tests.deploy.conftest import (
    HOST_FROM_PODS,
    SAMPLES,
    Backing,
    first_answer_after,
    inspect,
    podman,
    say,
)

pytestmark = pytest.mark.deploy

MANIFESTS = PROJECT_DIR / "deploy" / "kubernetes"


def documents(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((MANIFESTS / name).read_text()) if d]


def kind(name: str, wanted: str) -> dict[str, Any]:
    return next(d for d in documents(name) if d["kind"] == wanted)


def containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """A pod spec's containers, its init containers included."""
    return [*spec.get("initContainers", []), *spec["containers"]]


def pod_of(template: dict[str, Any], name: str) -> dict[str, Any]:
    """A Job's or CronJob's pod template as a Pod of its own."""
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": template["spec"]}


def pod_spec(document: dict[str, Any]) -> dict[str, Any]:
    """The pod spec of a Pod or of a Deployment's template."""
    spec: dict[str, Any] = (
        document["spec"] if document["kind"] == "Pod" else document["spec"]["template"]["spec"]
    )
    return spec


def with_image(document: dict[str, Any], image: str) -> dict[str, Any]:
    for container in containers(pod_spec(document)):
        assert container["image"] == "welcome-bot", "kustomization.yaml names the image"
        container["image"] = image
    return document


def with_secret(document: dict[str, Any], secret: str) -> dict[str, Any]:
    """The document with its Secret references pointing at the podman secret `secret`."""
    for container in containers(pod_spec(document)):
        for source in container.get("envFrom", []):
            if "secretRef" in source:
                source["secretRef"]["name"] = secret
    return document


def play(folder: Path, name: str, docs: list[dict[str, Any]]) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    podman("kube", "play", str(path), timeout=300)
    return path


def wait_exited(container: str, seconds: float = 180) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = inspect(container)["State"]
        if state["Status"] in ("exited", "stopped"):
            return int(state["ExitCode"])
        time.sleep(1)
    raise AssertionError(f"{container} still running after {seconds:.0f} s")


def container_output(container: str) -> str:
    done = podman("logs", container, check=False)
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def cluster(
    image: str, backing: Backing, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("kube")
    tag = uuid.uuid4().hex[:6]
    secret = f"welcome-secrets-{tag}"
    played: list[Path] = []
    values = backing.environment(HOST_FROM_PODS)
    encoded = {k: base64.b64encode(v.encode()).decode() for k, v in values.items()}
    (folder / "secret.json").write_text(json.dumps(encoded))
    podman("secret", "create", secret, str(folder / "secret.json"))

    actions_port = free_port()
    settings = kind("settings.yaml", "ConfigMap")
    settings["data"]["ACTION_SERVER_URL"] = f"http://{HOST_FROM_PODS}:{actions_port}/webhook"
    knowledge = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "welcome-knowledge"},
        "data": {path.name: path.read_text() for path in sorted(SAMPLES.glob("*.yml"))},
    }
    calendars = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "welcome-calendars"},
        "data": {path.name: path.read_text() for path in sorted(SAMPLES.glob("events/*.ics"))},
    }
    assert calendars["data"], "the samples have a calendar file to lay out"

    try:
        sync = with_secret(
            with_image(
                pod_of(kind("sync-job.yaml", "Job")["spec"]["template"], f"welcome-sync-{tag}"),
                image,
            ),
            secret,
        )
        for step in sync["spec"]["initContainers"]:  # podman's emptyDir belongs to root
            step["securityContext"] = {"runAsUser": 0, "runAsNonRoot": False}
        played.append(play(folder, "sync", [settings, knowledge, calendars, sync]))
        sync_container = f"welcome-sync-{tag}-sync"
        code = wait_exited(sync_container)
        output = container_output(sync_container)
        assert code == 0 and "Synced" in output, output[-3000:]

        actions = with_secret(with_image(kind("actions.yaml", "Deployment"), image), secret)
        actions["spec"]["replicas"] = 1
        actions["spec"]["template"]["spec"]["hostNetwork"] = True
        (actions_container,) = actions["spec"]["template"]["spec"]["containers"]
        actions_container.setdefault("env", []).append({"name": "PORT", "value": str(actions_port)})
        del actions_container["ports"]  # podman maps no ports on the host's network
        for probe in ("readinessProbe", "livenessProbe"):
            actions_container[probe]["httpGet"]["port"] = actions_port
        played.append(play(folder, "actions", [settings, actions]))

        rasa = with_secret(with_image(kind("rasa.yaml", "Deployment"), image), secret)
        (rasa_container,) = rasa["spec"]["template"]["spec"]["containers"]
        del rasa_container["ports"]  # podman 4.3 would publish each on the host's port 5005
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            rasa_container[probe]["httpGet"]["port"] = 5005
        started = time.monotonic()
        played.append(play(folder, "rasa", [settings, knowledge, rasa]))
        pods = sorted(
            line.split()[0]
            for line in podman("pod", "ps", "--format", "{{.Name}} {{.Status}}").stdout.splitlines()
            if line.startswith("welcome-rasa-pod-")
        )
        assert len(pods) == 2, pods
        urls = []
        for pod in pods:
            infra = inspect(pod)["InfraContainerID"]
            (network,) = inspect(infra)["NetworkSettings"]["Networks"].values()
            address = network["IPAddress"]
            urls.append(f"http://{address}:5005")
        seconds = [first_answer_after(url, started) for url in urls]
        yield {
            "urls": urls,
            "pods": pods,
            "seconds": seconds,
            "settings": settings,
            "secret": secret,
            "folder": folder,
        }
    finally:
        for path in reversed(played):
            podman("kube", "down", str(path), check=False)
        podman("secret", "rm", secret, check=False)


def test_the_sync_job_loaded_the_knowledge_and_two_rasa_pods_answer(
    cluster: dict[str, Any],
) -> None:
    print(
        f"\n  kube play: {len(cluster['pods'])} Rasa pods answered after "
        + ", ".join(f"{s:.1f} s" for s in cluster["seconds"])
    )
    assert len(cluster["urls"]) == 2


def test_one_conversation_in_two_languages_across_both_pods(cluster: dict[str, Any]) -> None:
    first, second = cluster["urls"]
    sender = f"kube-{uuid.uuid4().hex[:8]}"
    opening = say(first, sender, "Buongiorno, cerco una casa in affitto", "bolzano")
    assert opening and all(reply["language"] == "it" for reply in opening)
    later = say(second, sender, "grazie")
    assert later and all(reply["language"] == "it" for reply in later), "the other pod carries on"
    ukrainian = say(second, f"{sender}-uk", "Як знайти квартиру в оренду?", "kranj")
    assert ukrainian and all(reply["language"] == "uk" for reply in ukrainian)


def test_the_purge_cronjobs_command_runs(image: str, cluster: dict[str, Any]) -> None:
    tag = uuid.uuid4().hex[:6]
    template = kind("purge-cronjob.yaml", "CronJob")["spec"]["jobTemplate"]["spec"]["template"]
    pod = with_secret(
        with_image(pod_of(template, f"welcome-purge-{tag}"), image), cluster["secret"]
    )
    pod["spec"]["restartPolicy"] = "Never"
    path = play(cluster["folder"], f"purge-{tag}", [cluster["settings"], pod])
    try:
        container = f"welcome-purge-{tag}-purge"
        code = wait_exited(container)
        output = container_output(container)
        assert code == 0 and "Deleted" in output, output[-3000:]
    finally:
        podman("kube", "down", str(path), check=False)
