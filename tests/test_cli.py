"""The zhifa command, run in-process (same settings and test database)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhifa.cli import main


def test_validate_outputs_one_line_per_value_and_exit_code(capsys):
    assert main(["validate", "uscc", "91350100M000100Y43"]) == 0
    assert capsys.readouterr().out == "91350100M000100Y43\tok\n"
    assert main(["validate", "idcard", "11010519491231002X", "110105194902300021"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "11010519491231002X\tok"
    value, verdict, reason = lines[1].split("\t")
    assert (value, verdict) == ("110105194902300021", "invalid") and "出生日期" in reason


def test_plate_validation(capsys):
    assert main(["validate", "plate", "粤W12345", "粤WD12345", "粤W12345D"]) == 0
    assert main(["validate", "plate", "粤WI2345"]) == 1
    assert "invalid" in capsys.readouterr().out


@pytest.mark.django_db
def test_calendar_commands_first_line_is_the_date(capsys):
    # 2026 National Day: Oct 1-7 off, Oct 10 (Sat) a make-up working day.
    assert main(["calendar", "add-workdays", "2026-09-29", "7"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2026-10-14" and any("国庆节" in line for line in out[1:])
    # 15 calendar days from 2026-09-20 end on 10-05, inside the holiday: rolled to 10-08 (民法典 Art 203).
    assert main(["calendar", "add-days", "2026-09-20", "15"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2026-10-08" and any("第二百零三条" in line for line in out)
    assert main(["calendar", "add-days", "2026-09-20", "15", "--no-roll-over"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "2026-10-05"


def test_bad_date_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["calendar", "add-days", "2026-02-30", "3"])
    assert exc.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.django_db
def test_import_command_reports_rows(tree, tmp_path, capsys):
    p = tmp_path / "v.csv"
    p.write_text("车牌号,车牌颜色,车辆类型\n粤W12345,黄色,普通货车\n粤W1234,黄色,普通货车\n", encoding="utf-8")
    assert main(["import", "vehicles", str(p), "--org", "郁南县交通运输局"]) == 1
    captured = capsys.readouterr()
    assert "新增 1" in captured.out and "第 3 行" in captured.out and "已处理 2/2 行" in captured.err
    assert main(["import", "vehicles", str(p), "--org", "不存在的局"]) == 2


@pytest.mark.django_db
def test_createadmin_and_token(tree, capsys, monkeypatch):
    monkeypatch.setenv("ZHIFA_ADMIN_PASSWORD", "Admin@2026x")
    assert main(["createadmin", "root", "--role", "sysadmin", "--org", "郁南县交通运输局"]) == 0
    assert "系统管理员" in capsys.readouterr().out
    assert main(["token", "create", "root", "测试"]) == 0
    assert capsys.readouterr().out.startswith("zf_")


def test_help_is_bilingual():
    out = subprocess.run([sys.executable, "-m", "zhifa.cli", "import", "--help"], capture_output=True, text=True,
                         env={**os.environ}).stdout
    assert "导入" in out and "import" in out.lower() and "显示帮助" in out


def test_prod_refuses_default_secrets(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update(ZHIFA_ENV="prod", ZHIFA_DATA_DIR=str(tmp_path))
    r = subprocess.run([sys.executable, "-m", "zhifa.cli", "audit", "verify"], capture_output=True, text=True, env=env)
    assert r.returncode != 0 and "ZHIFA_SECRET_KEY" in r.stderr


@pytest.mark.django_db
def test_no_missing_migrations():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _sockets(pid: int) -> int:
    """Open sockets of a process (its listening socket, its clients' connections)."""
    n = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            n += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        except OSError:
            pass
    return n


def test_serve_runs_one_process_per_worker_and_stops_cleanly(tmp_path):
    """`zhifa serve` as deployed: a migrated database, N pre-forked workers answering pages and the open
    API, and a clean stop on SIGTERM (what systemd sends)."""
    import http.client
    import signal
    import socket
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_") and k != "DATABASE_URL"}
    env.update(ZHIFA_DATA_DIR=str(tmp_path), ZHIFA_ALLOWED_HOSTS="127.0.0.1", ZHIFA_KEEPALIVE_REQUESTS="3")
    subprocess.run([sys.executable, "-m", "zhifa.cli", "migrate"], env=env, check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "zhifa.cli", "serve", "--port", str(port), "--workers", "2", "--threads", "2"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/api/v1/public/records?q=%E9%83%81%E5%8D%97")
                r = conn.getresponse()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else ""
                time.sleep(0.3)
        assert r.status == 200 and r.getheader("ETag") and b'"items":[]' in r.read()
        assert r.getheader("Content-Length") and r.getheader("Connection") != "close"
        conn.request("GET", "/login/")  # the same keep-alive connection
        page = conn.getresponse()
        assert page.status == 200 and "登录" in page.read().decode()
        assert page.getheader("Connection") != "close"
        conn.request("GET", "/api/v1/public/records")  # the third: ZHIFA_KEEPALIVE_REQUESTS reached
        third = conn.getresponse()
        assert third.status == 200 and third.read() and third.getheader("Connection") == "close"
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(children) == 2, children
        # keep-alive clients are spread over the processes (core.server): 12 of them, one after another
        clients = []
        for _ in range(12):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/api/v1/public/records")
            c.getresponse().read()
            clients.append(c)
        time.sleep(0.3)
        held = [_sockets(int(pid)) for pid in children]
        assert abs(held[0] - held[1]) <= 2, held
        for c in clients:
            c.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "2 个进程" in out
    assert "内部接口" not in err  # core.server found gunicorn's internals: balanced, not the plain fallback
