"""Two people acting on the same case at once: one wins, the other gets the conflict message."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.cases.conftest import D0, to_state
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.workflow import case_transition
from zhifa.core.errors import DomainError


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_moves_one_wins(kit):
    c = to_state(kit, "notified", fine_fen=100000)
    version = c.version
    barrier = threading.Barrier(2)
    results: list[str] = []

    def act(content):
        try:
            barrier.wait()
            case_transition(
                case=c,
                action="statement",
                actor=kit.officer_user,
                data={"content": content},
                expected_version=version,
                on=D0,
            )
            results.append("ok")
        except DomainError as e:
            results.append(e.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(t,)) for t in ("甲的意见", "乙的意见")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "数据已被他人修改，请刷新后重试"]
    assert Case.objects.get(pk=c.pk).version == version + 1
    assert CaseStep.objects.filter(case=c, action="statement").count() == 1
