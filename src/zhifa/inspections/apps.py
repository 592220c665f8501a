from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "zhifa.inspections"
    label = "inspections"
    verbose_name = "双随机、一公开"

    def ready(self) -> None:
        from zhifa.evidence.targets import register_target

        from . import events, indicators, lookups  # noqa: F401  (declares the seams; registers the indicators)

        def _record_org(target_id: str):
            """The inspecting bureau (谁检查、谁公开) of an inspection record, or None."""
            from .models import InspectionRecord

            if not str(target_id).isdigit():
                return None
            rec = (
                InspectionRecord.objects.select_related("assignment__task__plan__org")
                .filter(pk=target_id)
                .first()
            )
            return rec.org if rec else None

        # photos and files of a 检查记录: the bureau's squads attach them, another county's record is "not found"
        register_target("inspections.inspectionrecord", _record_org, jurisdiction=True)
