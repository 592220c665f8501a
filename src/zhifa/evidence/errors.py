from zhifa.core.errors import ErrorCode


class EvidenceError(ErrorCode):
    # 《行政处罚法》第四十七条: the full-process record is made and archived (归档保存); an application
    # that could delete it would defeat the article.
    NO_DELETE = (
        "evidence.no_delete",
        "证据材料不得删除（《行政处罚法》第四十七条：执法全过程记录应当归档保存）；如确有错误，"
        "请由执法部门负责人或法制审核人员注明理由后作废",
        403,
    )
    NOT_BUSINESS = ("evidence.not_business", "仅执法人员、法制审核人员和执法部门负责人可以处理证据材料", 403)
    OUT_OF_SCOPE = ("evidence.out_of_scope", "{what}不在您的单位管辖范围内", 403)
    VOID_NOT_ALLOWED = ("evidence.void_not_allowed", "仅执法部门负责人或法制审核人员可以作废证据材料", 403)
    ALREADY_VOID = ("evidence.already_void", "该证据材料已于 {at} 作废", 409)
    REASON_REQUIRED = ("evidence.reason_required", "请填写{what}理由", 422)
    INVALID = ("evidence.invalid", "证据材料信息有误：{detail}", 422)
    EMPTY = ("evidence.empty", "上传的文件为空（0 字节），未保存", 422)
    TOO_LARGE = ("evidence.too_large", "文件超过允许的最大大小 {limit}，未保存", 413)
    INCOMPLETE = (
        "evidence.incomplete",
        "上传未完成：声明 {expected} 字节，实际收到 {received} 字节，未保存",
        400,
    )
    INTERRUPTED = ("evidence.interrupted", "上传中断（已收到 {received} 字节），未保存任何内容", 400)
    DIGEST_MISMATCH = (
        "evidence.digest_mismatch",
        "文件摘要与声明的不一致（声明 {expected}，实际 {actual}），文件可能在传输中损坏，未保存",
        422,
    )
    TARGET_NOT_FOUND = ("evidence.target_not_found", "证据所属对象 {target} 不存在", 404)
    STORAGE = ("evidence.storage", "证据存储不可用：{detail}", 503)
