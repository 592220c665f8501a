"""Choices of the 全过程记录 (evidence) app."""

from __future__ import annotations

from django.db import models


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "视频"
    DOCUMENT = "document", "文档"
    DATA = "data", "数据"


class CustodyAction(models.TextChoices):
    """Every access to an evidence item is one custody event (保管链)."""

    INGEST = "ingest", "上传"
    VIEW = "view", "查看"
    DOWNLOAD = "download", "下载"
    PLAY = "play", "播放"
    RANGE_READ = "range_read", "分段读取"
    VERIFY = "verify", "完整性校验"
    VOID = "void", "作废"
    DELETE_REQUEST = "delete_request", "删除请求（已拒绝）"
    LINK_DEVICE = "link_device", "关联录制设备"


# Media types served inline by /evidence/<id>/play. Everything else (HTML, SVG, scripts…) is sent as an
# attachment so that an uploaded file can never run in the platform's origin.
INLINE_TYPES = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/bmp",
    "audio/",
    "video/",
    "application/pdf",
)

EXTENSION_KIND = {
    EvidenceKind.PHOTO: (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".heic", ".heif", ".tif", ".tiff"),
    EvidenceKind.AUDIO: (".mp3", ".wav", ".amr", ".aac", ".m4a", ".ogg", ".oga", ".flac", ".wma"),
    EvidenceKind.VIDEO: (
        ".mp4",
        ".mov",
        ".avi",
        ".mkv",
        ".3gp",
        ".ts",
        ".m4v",
        ".webm",
        ".wmv",
        ".flv",
        ".mpg",
    ),
    EvidenceKind.DOCUMENT: (".pdf", ".ofd", ".doc", ".docx", ".wps", ".odt", ".rtf", ".txt"),
    EvidenceKind.DATA: (
        ".csv",
        ".xls",
        ".xlsx",
        ".et",
        ".json",
        ".xml",
        ".zip",
        ".7z",
        ".rar",
        ".parquet",
        ".db",
    ),
}


# What a custody event's detail keys and verification results are called on the pages (the stored
# detail keeps the codes; the chain and exports read those).
CUSTODY_DETAIL_LABELS = {"size": "大小", "digest": "摘要", "range": "读取字节范围", "reason": "理由", "result": "结果",
                         "device": "录制设备", "officer": "佩戴人员"}
CUSTODY_RESULT_LABELS = {
    "ok": "一致",
    "missing": "文件缺失",
    "size_mismatch": "大小不一致",
    "digest_mismatch": "摘要不一致",
    "error": "校验出错",
    "refused": "已拒绝",
}
