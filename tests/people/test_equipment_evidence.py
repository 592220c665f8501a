"""A body cam (执法记录仪) links an evidence file to the device and the officer who wore it (the check-out
log), and the evidence file's custody and page show "which device recorded it"."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD
from zhifa.core.errors import DomainError
from zhifa.evidence import services as ev
from zhifa.evidence.enums import CustodyAction
from zhifa.people import services
from zhifa.people.models import EquipmentKind


@pytest.fixture
def cam(tree, head_user):
    services.kinds_ensure()
    return services.item_add(
        kind=EquipmentKind.objects.get(code="bodycam"),
        serial="DSJ-2026-001",
        org=tree.squad_a1,
        actor=head_user,
    )


def _upload(actor):
    return ev.evidence_ingest(
        io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + b"v" * 4000),
        filename="现场.mp4",
        content_type="video/mp4",
        target_type="tests.record",
        target_id=1,
        step="调查取证",
        org=actor.org,
        actor=actor,
    )


def test_the_device_link_is_on_the_custody_log_and_the_page(evidence_fs, cam, crew, officer_user, head_user):
    services.item_check_out(
        item=cam, officer=crew.o1, actor=head_user, at=timezone.now() - timedelta(hours=2)
    )
    item = _upload(officer_user)
    services.bodycam_link(evidence=item, serial="DSJ-2026-001", actor=officer_user)
    item.refresh_from_db()
    assert (item.device_ref, item.recorded_by) == ("DSJ-2026-001", crew.o1)
    link = item.custody.get(action=CustodyAction.LINK_DEVICE)
    assert link.detail == {"device": "DSJ-2026-001", "officer": "张执法"}
    c = Client()
    assert c.login(username="officer_a", password=PASSWORD)
    page = c.get(f"/evidence/{item.pk}/").content.decode()
    assert "录制设备" in page and "执法记录仪 DSJ-2026-001" in page and "关联录制设备" in page
    assert f"/people/equipment/{cam.pk}/" in page
    device_page = c.get(f"/people/equipment/{cam.pk}/").content.decode()
    assert f"/evidence/{item.pk}/" in device_page


def test_the_wearer_is_who_had_it_checked_out_at_the_time(evidence_fs, cam, crew, officer_user, head_user):
    now = timezone.now()
    services.item_check_out(item=cam, officer=crew.o2, actor=head_user, at=now - timedelta(hours=5))
    services.item_check_in(item=cam, actor=head_user, at=now - timedelta(hours=3))
    services.item_check_out(item=cam, officer=crew.o1, actor=head_user, at=now - timedelta(hours=1))
    item = _upload(officer_user)
    services.bodycam_link(
        evidence=item, serial=cam.serial, actor=officer_user, recorded_at=now - timedelta(hours=4)
    )
    item.refresh_from_db()
    assert item.recorded_by == crew.o2  # recorded 4 h ago: 李执法 had it then


def test_only_recording_devices_link_and_a_file_has_one_recorder(
    evidence_fs, tree, cam, head_user, officer_user
):
    vest = services.item_add(
        kind=EquipmentKind.objects.get(code="vest"), serial="BX-1", org=tree.squad_a1, actor=head_user
    )
    other = services.item_add(
        kind=EquipmentKind.objects.get(code="bodycam"),
        serial="DSJ-2026-002",
        org=tree.squad_a1,
        actor=head_user,
    )
    item = _upload(officer_user)
    with pytest.raises(DomainError, match="不是音视频记录设备"):
        services.bodycam_link(evidence=item, serial=vest.serial, actor=officer_user)
    services.bodycam_link(evidence=item, serial=cam.serial, actor=officer_user)
    with pytest.raises(DomainError, match="已关联录制设备"):
        services.bodycam_link(evidence=item, serial=other.serial, actor=officer_user)
    with pytest.raises(DomainError, match="不存在"):
        services.bodycam_link(evidence=item, serial="NO-SUCH", actor=officer_user)


def test_check_out_in_and_disposal(cam, crew, head_user):
    services.item_check_out(item=cam, officer=crew.o1, actor=head_user)
    assert cam.holder == crew.o1
    services.item_check_in(item=cam, actor=head_user)
    cam.refresh_from_db()
    assert cam.holder is None and [lg.action for lg in cam.logs.all()] == ["in", "out"]
    services.item_dispose(item=cam, on=timezone.localdate(), reason="电池鼓包", actor=head_user)
    with pytest.raises(DomainError, match="不能领用"):
        services.item_check_out(item=cam, officer=crew.o1, actor=head_user)
