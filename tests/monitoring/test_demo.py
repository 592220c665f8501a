"""The demo month: generated positions for the county's 两客一危 fleet, terminals bound, the month computed."""

from __future__ import annotations

from datetime import date

from tests.monitoring.test_services import fleet  # noqa: F401  (fixture)
from zhifa.demo.monitoring import load_demo_monitoring
from zhifa.monitoring.models import MonthlyRun, SpeedZone, Terminal


def test_load_demo_monitoring(fleet, settings, tmp_path):  # noqa: F811
    settings.DATA_DIR = tmp_path
    s = load_demo_monitoring(seed=3, today=date(2025, 4, 10), scale=0.5)
    assert s.month == "2025-03" and s.vehicles == 2 and s.points > 1000 and s.terminals == 2
    assert Terminal.objects.count() == 2
    run = MonthlyRun.objects.get(month="2025-03")
    assert run.summary["counts"]["vehicles_required"] == 2
    assert set(s.rates) == {"入网率", "上线率", "数据合格率", "轨迹完整率", "漂移率"}
    # the demo's 路段限速 layer: an expressway band (Art 78) and a posted 30 km/h stretch (Art 46)
    zones = {z.name: z for z in SpeedZone.objects.all()}
    assert {z.road_class for z in zones.values()} == {"expressway", "special"}
    assert zones["演示：急弯陡坡路段（示意）"].limit_kmh == 30
