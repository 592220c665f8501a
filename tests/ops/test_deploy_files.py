"""deploy/: every ZHIFA_* setting the code reads is in the env example and the README; the systemd units
parse with the keys systemd needs and run commands that exist; nginx's upload limit equals the app's;
docker-compose.yml names the services; ``nginx -t`` where nginx is installed."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# families documented as a pattern (ZHIFA_RULE_<PARAM>, ZHIFA_MON_<PARAM>, ZHIFA_S3_…)
FAMILY = re.compile(r"ZHIFA_([A-Z0-9_]*_)?")


def settings_read_in_src() -> set[str]:
    names = set()
    for path in (ROOT / "src" / "zhifa").rglob("*.py"):
        names |= set(re.findall(r"ZHIFA_[A-Z0-9_]*", path.read_text(encoding="utf-8")))
    return {n for n in names if not FAMILY.fullmatch(n)}


def test_every_setting_is_in_the_env_example_and_the_readme():
    names = settings_read_in_src()
    assert {"ZHIFA_ENV", "ZHIFA_METRICS_ALLOW", "ZHIFA_METRICS_TOKEN", "ZHIFA_JOBS_URL"} <= names
    example = (DEPLOY / "zhifa.env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    in_example = set(re.findall(r"^#? ?(ZHIFA_[A-Z0-9_]+)=", example, re.M))
    assert not names - in_example, f"zhifa.env.example lacks {sorted(names - in_example)}"
    missing = {n for n in names if not re.search(rf"\b{n}\b", readme)}
    assert not missing, f"README.md lacks {sorted(missing)}"


def test_every_example_line_means_the_same_to_the_shell_and_to_systemd(tmp_path):
    """The README loads the settings file with `set -a; . zhifa.env` for the CLI, systemd with EnvironmentFile=:
    every setting in the example, uncommented, must give both the same value (systemd takes the rest of the
    line, less one pair of enclosing quotes). An unquoted JSON value broke the shell."""
    lines = re.findall(r"^#? ?((?:ZHIFA_[A-Z0-9_]+|DATABASE_URL)=.*)$",
                       (DEPLOY / "zhifa.env.example").read_text(encoding="utf-8"), re.M)
    first = {}
    for line in lines:  # the first example of a name is the one a reader keeps
        first.setdefault(line.split("=", 1)[0], line)
    expected = {}
    for name, line in first.items():
        value = line.split("=", 1)[1]
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        expected[name] = value
    env_file = tmp_path / "zhifa.env"
    env_file.write_text("\n".join(first.values()) + "\n", encoding="utf-8")
    done = subprocess.run(["bash", "--noprofile", "--norc", "-c", f"set -a; . {env_file}; set +a; env -0"],
                          env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and not done.stderr, done.stderr
    got = dict(item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)
    assert {n: got.get(n) for n in expected} == expected


UNIT_COMMANDS = {
    "zhifa-web.service": ["serve"],
    "zhifa-worker.service": ["worker"],
    "zhifa-gateway-jt808.service": ["gateway", "jt808"],
    "zhifa-gateway-jt809.service": ["gateway", "jt809"],
}


@pytest.mark.parametrize("unit", sorted(UNIT_COMMANDS))
def test_systemd_units_parse_with_required_keys(unit):
    cp = configparser.ConfigParser(strict=False, interpolation=None)
    cp.optionxform = str  # systemd keys are case-sensitive
    cp.read(DEPLOY / "systemd" / unit, encoding="utf-8")
    assert cp["Unit"]["Description"] and cp["Install"]["WantedBy"] == "multi-user.target"
    svc = cp["Service"]
    for key in ("ExecStart", "User", "EnvironmentFile", "Restart"):
        assert svc.get(key), (unit, key)
    assert svc["EnvironmentFile"] == "/etc/zhifa/zhifa.env"
    argv = svc["ExecStart"].split()
    assert argv[0].endswith("/bin/zhifa") and argv[1:1 + len(UNIT_COMMANDS[unit])] == UNIT_COMMANDS[unit]


def test_unit_commands_exist_in_the_cli():
    from zhifa.cli import build_parser

    parser = build_parser()
    for unit in UNIT_COMMANDS:
        cp = configparser.ConfigParser(strict=False, interpolation=None)
        cp.read(DEPLOY / "systemd" / unit, encoding="utf-8")
        argv = cp["Service"]["ExecStart"].split()[1:]
        args = parser.parse_args(argv)
        assert callable(args.func), unit


def test_nginx_upload_limit_and_forwarded_for_match_the_app():
    conf = (DEPLOY / "nginx" / "zhifa.conf").read_text(encoding="utf-8")
    params = (DEPLOY / "nginx" / "zhifa_proxy_params").read_text(encoding="utf-8")
    from zhifa.evidence.services import max_upload_bytes

    limit = re.search(r"client_max_body_size (\d+)g;", conf)
    assert limit and int(limit.group(1)) * 1024**3 == max_upload_bytes()
    # core.middleware.client_ip takes the last X-Forwarded-For entry from a trusted proxy
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in params
    assert "proxy_request_buffering off;" in conf  # evidence streams through
    cached = re.findall(r"location ([^{]+)\{[^}]*proxy_cache zhifa_portal;", conf)
    assert cached == ["~ ^/(public|api/v1/public)/ "], cached  # only the public portal is cached


def test_nginx_accepts_the_site(tmp_path):
    """`nginx -t` on the shipped site with a throw-away certificate (.ci/run installs nginx-light)."""
    from tests.conftest import require_service

    nginx = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    require_service("nginx", nginx is not None, "apt-get install nginx-light")
    openssl = shutil.which("openssl")
    require_service("openssl", openssl is not None, "apt-get install openssl")
    crt, key = tmp_path / "zhifa.crt", tmp_path / "zhifa.key"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=zhifa.test",
                    "-keyout", str(key), "-out", str(crt)], check=True, capture_output=True)
    conf = (DEPLOY / "nginx" / "zhifa.conf").read_text(encoding="utf-8")
    conf = (conf.replace("/etc/nginx/zhifa_proxy_params", str(DEPLOY / "nginx" / "zhifa_proxy_params"))
            .replace("/etc/nginx/tls/zhifa.crt", str(crt)).replace("/etc/nginx/tls/zhifa.key", str(key))
            .replace("/var/cache/nginx/zhifa", str(tmp_path / "cache")))
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                    f"http {{\n{conf}\n}}\n", encoding="utf-8")
    r = subprocess.run([nginx, "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_docker_compose_services():
    import yaml

    doc = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    assert {"postgres", "redis", "minio", "minio-init", "web", "worker"} <= set(doc["services"])
    web = doc["services"]["web"]
    assert web["environment"]["ZHIFA_JOBS_URL"].startswith("redis://")
    assert web["environment"]["ZHIFA_STORAGE"] == "s3"
    assert "readyz" in " ".join(web["healthcheck"]["test"])
    assert (DEPLOY / "Dockerfile").exists()
