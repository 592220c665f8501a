from django.db import models


class BusinessType(models.TextChoices):
    PASSENGER = "passenger", "道路旅客运输"
    FREIGHT = "freight", "道路货物运输"
    DANGEROUS = "dangerous", "危险货物运输"
    REPAIR = "repair", "机动车维修"
    DRIVING_SCHOOL = "driving_school", "驾驶员培训"
    TAXI = "taxi", "出租汽车"
    SOURCE = "source", "货运源头单位"
    PORT = "port", "港口"
    OTHER = "other", "其他"


class SubjectStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    SUSPENDED = "suspended", "停业"
    CANCELLED = "cancelled", "注销"


class VehicleType(models.TextChoices):
    COACH = "coach", "客运班车"
    CHARTER = "charter", "旅游包车"
    BUS = "bus", "公交客车"
    TAXI = "taxi", "出租汽车"
    TRUCK = "truck", "普通货车"
    HEAVY_TRUCK = "heavy_truck", "重型货车"
    TRACTOR = "tractor", "半挂牵引车"
    TRAILER = "trailer", "挂车"
    DANGEROUS = "dangerous", "危险货物运输车"
    TRAINING = "training", "教练车"
    OTHER = "other", "其他"


class LicenceKind(models.TextChoices):
    BUSINESS_PERMIT = "business_permit", "道路运输经营许可证"
    VEHICLE_CERT = "vehicle_cert", "道路运输证"
    QUALIFICATION = "qualification", "从业资格证"


class LicenceStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "吊销"
    CANCELLED = "cancelled", "注销"
    ANNULLED = "annulled", "撤销"


class PermitAction(models.TextChoices):
    """行政许可决定 on a licence (《中华人民共和国行政许可法》, 2019 revision; 暂扣 and 吊销 are penalties,
    行政处罚法 Art 9(三), with 发还 ending a 暂扣 and 恢复 undoing a 吊销 revoked on appeal)."""

    GRANT = "grant", "准予许可"
    CHANGE = "change", "准予变更"
    RENEWAL = "renewal", "准予延续"
    CANCEL = "cancel", "注销"
    ANNUL = "annul", "撤销"
    REVOKE = "revoke", "吊销"
    SUSPEND = "suspend", "暂扣"  # 暂扣许可证件, a penalty (行政处罚法 Art 9(三)), for a period
    RETURN = "return", "发还"  # the 暂扣 licence returned: at the end of the period or by decision
    RESTORE = "restore", "恢复"  # the 吊销 undone: the 吊销 decision was revoked by 复议决定 or 判决


class PermitCategory(models.TextChoices):
    """许可类别 of the national 双公示 行政许可 data items (信用中国 field XK_XKLB, coded 01–06)."""

    ORDINARY = "01", "普通"
    FRANCHISE = "02", "特许"
    RECOGNITION = "03", "认可"
    APPROVAL = "04", "核准"
    REGISTRATION = "05", "登记"
    OTHER = "06", "其他"


class QualificationCategory(models.TextChoices):
    """从业资格类别 on a 从业资格证."""

    PASSENGER_DRIVER = "passenger_driver", "经营性道路旅客运输驾驶员"
    FREIGHT_DRIVER = "freight_driver", "经营性道路货物运输驾驶员"
    DANGEROUS_DRIVER = "dangerous_driver", "道路危险货物运输驾驶员"
    DANGEROUS_ESCORT = "dangerous_escort", "道路危险货物运输押运人员"
    DANGEROUS_LOADER = "dangerous_loader", "道路危险货物运输装卸管理人员"
    TAXI_DRIVER = "taxi_driver", "出租汽车驾驶员"
    INSTRUCTOR = "instructor", "机动车驾驶教练员"
    REPAIR_TECH = "repair_tech", "机动车维修技术人员"
