from django.db import models


class OrgKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县/区"
    BUREAU = "bureau", "交通运输局"
    BRIGADE = "brigade", "综合行政执法大队"
    SQUAD = "squad", "中队"
    OTHER = "other", "其他单位"


class Role(models.TextChoices):
    OFFICER = "officer", "执法人员"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核人员"
    HEAD = "head", "执法部门负责人"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITADMIN = "auditadmin", "审计管理员"


# 三员分立 (GB/T 22239-2019 §8.1.4.2 d, §8.1.5): mutually exclusive, and none is a business role.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})
BUSINESS_ROLES = frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD})


class CertField(models.TextChoices):
    """执法门类 on a transport enforcement certificate (执法证)."""

    ROAD_ADMIN = "road_admin", "公路路政"
    ROAD_TRANSPORT = "road_transport", "道路运政"
    WATERWAY = "waterway", "水路运政"
    PORT = "port", "港航"
    QUALITY = "quality", "质量监督"
    COMPREHENSIVE = "comprehensive", "综合执法"


class ReviewStatus(models.TextChoices):
    """年审 status of an enforcement certificate."""

    PASSED = "passed", "年审通过"
    PENDING = "pending", "待年审"
    FAILED = "failed", "年审不合格"
    SUSPENDED = "suspended", "暂扣"


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", "在岗"
    LEFT = "left", "已调离"
    RETIRED = "retired", "已退休"
