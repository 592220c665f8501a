"""Error codes of 队伍与保障; each refusal names the field or the rule."""

from zhifa.core.errors import ErrorCode


class PeopleError(ErrorCode):
    INVALID = "people.invalid", "输入有误：{detail}", 422
    NOT_FOUND = "people.not_found", "{what}不存在或无权查看", 404
    EXAM_CLOSED = "people.exam_closed", "考试“{title}”未开放在线作答", 409
    NOT_REQUIRED = "people.not_required", "{name} 不在考试“{title}”的应考人员名单中", 403
    SUBMITTED = "people.submitted", "本场考试已交卷（{at}），不能再次作答", 409
    NO_OFFICER = "people.no_officer", "当前账号未关联执法人员档案，不能参加考试", 403
    NOT_RECORDER = "people.not_recorder", "装备 {serial} 是“{kind}”，不是音视频记录设备，不能关联证据", 422
    ITEM_STATE = "people.item_state", "装备 {serial} 当前状态“{state}”，不能{what}", 409
    ROLE = "people.role", "“{what}”须由{roles}办理", 403
