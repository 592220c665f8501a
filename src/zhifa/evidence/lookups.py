"""Reads the evidence pages need from apps above (see :mod:`zhifa.core.lookups`)."""

from zhifa.core import lookups

DEVICE_LABEL = lookups.declare(
    "evidence.device_label",
    doc="录制设备：given an evidence item's device_ref (a recording device's serial), a dict with 'label' (装备名称、"
    "编号、配备单位, in Chinese) and 'url' (the device's page, or ''); provided by zhifa.people (the equipment register)",
)
