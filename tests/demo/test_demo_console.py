"""What `zhifa demo` prints about each module reads as Chinese sentences, not Python reprs (issue 15)."""

from tests.crawl.codes import internal_codes
from zhifa.demo.inspections import DemoInspections
from zhifa.demo.monitoring import MonitoringDemoSummary
from zhifa.demo.overload import OverloadSummary


def test_module_summaries_print_as_words():
    lines = [
        str(DemoInspections(items=4, plan_id=1, tasks=[("2026年第1轮抽查", "已完成")], inspections=2, case_sources=0)),
        str(OverloadSummary(stations=3, records=2123, leads=108, confirmed=56, rejected=4, notices=12, sanctions=8)),
        str(MonitoringDemoSummary(month="2026-02", vehicles=15, points=6731, terminals=5, violations=83,
                                  rates={"入网率": 100.0, "轨迹完整率": None})),
    ]
    for line in lines:
        assert not internal_codes(line) and "=" not in line, line
    assert "过车记录 2,123 条" in lines[1] and "入网率 100.0%" in lines[2]
