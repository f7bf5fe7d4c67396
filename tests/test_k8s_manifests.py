"""deploy/k8s: every manifest passes `kubernetes-validate --strict` (the schemas ship in the
package, so this runs offline), and the settings a class deployment depends on are there.

kubectl and a cluster are not available here: these checks read the files as kustomize
would take them (the resources listed in kustomization.yaml).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from tests.browser_support import ROOT

K8S = ROOT / "deploy" / "k8s"
KUSTOMIZATION = yaml.safe_load((K8S / "kustomization.yaml").read_text())
MANIFESTS = sorted(KUSTOMIZATION["resources"])
DOCS = {name: yaml.safe_load((K8S / name).read_text()) for name in MANIFESTS}
BY_KIND = {doc["kind"]: doc for doc in DOCS.values()}
DEPLOYMENT = BY_KIND["Deployment"]
POD = DEPLOYMENT["spec"]["template"]["spec"]
[CONTAINER] = POD["containers"]


def dockerfile_uid() -> int:
    match = re.search(r"^USER (\d+)", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert match, "the Dockerfile must set a numeric USER"
    return int(match.group(1))


def dockerfile_home() -> str:
    text = (ROOT / "Dockerfile").read_text()
    user = re.search(r"useradd .*--create-home.* (\w+)\s*$", text, re.MULTILINE)
    assert user, "the Dockerfile's user has a home directory"
    return f"/home/{user.group(1)}"


def test_kustomization_lists_every_manifest():
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(MANIFESTS) == on_disk
    assert {"Namespace", "Deployment", "Service", "Ingress", "HorizontalPodAutoscaler",
            "PodDisruptionBudget"} <= set(BY_KIND)  # fmt: skip


@pytest.mark.parametrize("name", MANIFESTS)
def test_manifest_validates_strictly(name):
    result = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "--strict", str(K8S / name)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout + result.stderr


def test_strict_validation_rejects_an_unknown_field(tmp_path):
    bad = dict(DOCS["pdb.yaml"])
    bad["spec"] = {**bad["spec"], "maxUnavailabel": 1}  # a typo must not pass unnoticed
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad))
    result = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "--strict", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0


def test_runs_as_the_images_non_root_user():
    uid = dockerfile_uid()
    assert uid != 0
    for context in (POD["securityContext"], CONTAINER["securityContext"]):
        assert context["runAsNonRoot"] is True
        assert context["runAsUser"] == uid
    security = CONTAINER["securityContext"]
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]


def test_read_only_root_with_empty_dirs_where_streamlit_writes():
    assert CONTAINER["securityContext"]["readOnlyRootFilesystem"] is True
    empty_dirs = {v["name"] for v in POD["volumes"] if "emptyDir" in v}
    mounts = {m["mountPath"]: m["name"] for m in CONTAINER["volumeMounts"]}
    home = dockerfile_home()
    for path in ("/tmp", home):  # temporary files, and ~/.streamlit
        assert mounts.get(path) in empty_dirs, path
    assert {"name": "HOME", "value": home} in CONTAINER["env"]


def test_probes_ask_streamlits_health_endpoint_on_the_served_port():
    port_names = {p["name"]: p["containerPort"] for p in CONTAINER["ports"]}
    assert port_names["http"] == 8501  # the Dockerfile's EXPOSE and Streamlit's default
    assert "EXPOSE 8501" in (ROOT / "Dockerfile").read_text()
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = CONTAINER[probe]["httpGet"]
        assert get["path"] == "/_stcore/health"
        assert get["port"] in ("http", 8501)


def test_resources_are_requested_and_limited():
    resources = CONTAINER["resources"]
    for part in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(resources[part])


def test_service_and_ingress_reach_the_pods():
    labels = DEPLOYMENT["spec"]["template"]["metadata"]["labels"]
    service = BY_KIND["Service"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert DEPLOYMENT["spec"]["selector"]["matchLabels"].items() <= labels.items()
    [port] = service["spec"]["ports"]
    assert port["targetPort"] == "http"
    [rule] = BY_KIND["Ingress"]["spec"]["rules"]
    backend = rule["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"] in ({"name": port["name"]}, {"number": port["port"]})


def test_ingress_keeps_each_student_on_one_pod_and_lets_websockets_idle():
    ingress = BY_KIND["Ingress"]
    notes = ingress["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert notes[prefix + "affinity"] == "cookie"
    # "balanced" would move students to new pods when the HPA scales up
    assert notes[prefix + "affinity-mode"] == "persistent"
    assert notes[prefix + "session-cookie-name"]
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(notes[prefix + timeout]) >= 3600  # the default 60 s cuts idle websockets


def test_hpa_scales_the_deployment_on_cpu_and_scales_down_slowly():
    hpa = BY_KIND["HorizontalPodAutoscaler"]
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", DEPLOYMENT["metadata"]["name"])
    [metric] = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert 30 <= metric["resource"]["target"]["averageUtilization"] <= 90
    assert hpa["spec"]["minReplicas"] >= 2  # one pod going away never takes everyone
    assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    # Removing a pod ends its students' sessions: no quick scale-down
    assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 600


def test_pdb_covers_the_pods():
    pdb = BY_KIND["PodDisruptionBudget"]
    labels = DEPLOYMENT["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["spec"].get("maxUnavailable") == 1 or pdb["spec"].get("minAvailable")


def test_rolling_update_never_drops_below_the_replica_count():
    rolling = DEPLOYMENT["spec"]["strategy"]["rollingUpdate"]
    assert rolling["maxUnavailable"] == 0
    assert rolling["maxSurge"] >= 1
