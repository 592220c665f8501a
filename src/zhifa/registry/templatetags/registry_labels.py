"""``{{ "coach"|vehicle_type_name }}`` → 客运班车: vehicle-type codes stored in data (zone limits, rule
parameters) read by their Chinese names from :class:`~zhifa.registry.enums.VehicleType`."""

from django import template

from zhifa.registry.enums import VehicleType

register = template.Library()
_NAMES = {**dict(VehicleType.choices), "default": "其他车型"}  # "default": a zone limit for every other type


@register.filter
def vehicle_type_name(code: str) -> str:
    return str(_NAMES.get(code, code))
