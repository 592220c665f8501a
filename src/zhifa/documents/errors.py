from zhifa.core.errors import ErrorCode


class DocumentError(ErrorCode):
    UNKNOWN_TEMPLATE = "documents.unknown_template", "文书模板“{name}”不存在", 404
    MISSING_FIELDS = ("documents.missing_fields", "生成《{title}》缺少必填内容：{names}", 422)
    TEMPLATE_BROKEN = (
        "documents.template_broken",
        "文书模板“{name}”有误：{detail}，请法制审核人员修改模板",
        422,
    )
    NO_SHORT_NAME = (
        "documents.no_short_name",
        "发文机关“{org}”未设置简称（文号用字），请系统管理员在单位管理中设置后再生成文号",
        422,
    )
    NO_TYPE_WORD = ("documents.no_type_word", "文书类型“{doc_type}”未配置文号类别字（文号规则）", 422)
    BAD_PATTERN = ("documents.bad_pattern", "文号格式“{pattern}”无效：须包含 {{year}} 和 {{seq}}", 422)
    NOT_ALLOWED = (
        "documents.not_allowed",
        "无权为“{org}”生成文书：只能为本县（区）交通运输执法机构办理的事项生成",
        403,
    )
    REISSUE_REASON = ("documents.reissue_reason", "更正文书须写明更正原因", 422)
    PDF_UNAVAILABLE = (
        "documents.pdf_unavailable",
        "本服务器未安装 LibreOffice（soffice），无法生成 PDF；请下载 DOCX 文件，或请系统管理员安装 LibreOffice",
        503,
    )
    PDF_FAILED = ("documents.pdf_failed", "PDF 转换失败：{detail}", 500)
    FILE_TAMPERED = (
        "documents.file_tampered",
        "文书文件“{number}”校验失败（摘要不符），可能已被篡改或损坏",
        500,
    )
