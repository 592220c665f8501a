"""Factories for tests. Domain objects are created through the services, as the application does."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from zhifa.accounts import services as acc
from zhifa.accounts.enums import OrgKind
from zhifa.accounts.models import Org, User
from zhifa.core.identifiers import idcard_check_char, orgcode_check_char, uscc_check_char

PASSWORD = "Zhifa@2026!"


@dataclass
class OrgTree:
    province: Org
    city: Org
    bureau_a: Org
    brigade_a: Org
    squad_a1: Org
    squad_a2: Org
    bureau_b: Org
    brigade_b: Org
    squad_b1: Org


def make_org_tree() -> OrgTree:
    p = acc.org_create(name="广东省交通运输厅", kind=OrgKind.PROVINCE, parent=None, actor=None, division_code="440000")
    c = acc.org_create(name="云浮市交通运输局", kind=OrgKind.CITY, parent=p, actor=None, division_code="445300")
    ba = acc.org_create(name="郁南县交通运输局", kind=OrgKind.BUREAU, parent=c, actor=None, short_name="郁",
                        division_code="445322")
    bga = acc.org_create(name="郁南县交通运输综合行政执法大队", kind=OrgKind.BRIGADE, parent=ba, actor=None)
    s1 = acc.org_create(name="第一中队", kind=OrgKind.SQUAD, parent=bga, actor=None)
    s2 = acc.org_create(name="第二中队", kind=OrgKind.SQUAD, parent=bga, actor=None)
    bb = acc.org_create(name="新兴县交通运输局", kind=OrgKind.BUREAU, parent=c, actor=None, short_name="新",
                        division_code="445321")
    bgb = acc.org_create(name="新兴县交通运输综合行政执法大队", kind=OrgKind.BRIGADE, parent=bb, actor=None)
    sb1 = acc.org_create(name="新兴第一中队", kind=OrgKind.SQUAD, parent=bgb, actor=None)
    return OrgTree(p, c, ba, bga, s1, s2, bb, bgb, sb1)


def make_user(username: str, org: Org, roles: set[str], password: str = PASSWORD) -> User:
    return acc.user_create(username=username, display_name=username, org=org, roles=roles, password=password,
                           actor=None)


def fake_uscc(rng: random.Random, region: str = "445322") -> str:
    org8 = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = "91" + region + org8 + orgcode_check_char(org8)
    return first17 + uscc_check_char(first17)


def fake_idcard(rng: random.Random, region: str = "445322", born: date | None = None) -> str:
    born = born or date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    first17 = f"{region}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + idcard_check_char(first17)
