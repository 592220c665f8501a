from django.apps import AppConfig


class OverloadConfig(AppConfig):
    name = "zhifa.overload"
    label = "overload"
    verbose_name = "治超非现场执法"

    def ready(self) -> None:
        from zhifa.cases.hooks import on_case_closed
        from zhifa.evidence.targets import register_target

        from . import (
            indicators,  # noqa: F401  (registers the 治超 indicators)
            listeners,
        )

        listeners.subscribe()  # 一超四罚 counts 处罚决定 (cases.penalty_decided / decision_overturned)

        def _lead_org(target_id: str):
            from .models import Lead
            from .services import lead_evidence_org

            lead = (
                Lead.objects.select_related("org", "reviewed_by__org").filter(pk=target_id).first()
                if str(target_id).isdigit()
                else None
            )
            return lead_evidence_org(lead) if lead else None

        def _case_closed(case) -> None:
            from .services import lead_case_closed

            lead_case_closed(case)

        # the weighing record and its evidence package, attached at confirmation (全过程记录)
        register_target("overload.lead", _lead_org)
        # 抄告 (超限规定 Art 44) once the case raised from a lead's case source is closed
        on_case_closed("overload.notice", _case_closed)
