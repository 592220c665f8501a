"""Names of the audit actions of 队伍与保障."""

from zhifa.core.audit import register_action_labels

register_action_labels(
    {
        "people.course_create": "队伍与保障：登记培训课程",
        "people.attendance": "队伍与保障：培训签到",
        "people.question_add": "队伍与保障：新增试题",
        "people.exam_create": "队伍与保障：组织学法考试",
        "people.sitting_start": "队伍与保障：开始在线考试（记录随机种子）",
        "people.sitting_submit": "队伍与保障：交卷评分",
        "people.sitting_paper": "队伍与保障：录入纸质考试成绩",
        "people.item_add": "队伍与保障：登记装备",
        "people.item_out": "队伍与保障：装备领用",
        "people.item_in": "队伍与保障：装备归还",
        "people.item_maintain": "队伍与保障：装备维护",
        "people.item_dispose": "队伍与保障：装备报废处置",
        "people.joint_create": "队伍与保障：登记联合执法",
        "people.plan_save": "队伍与保障：登记应急预案",
        "people.drill_add": "队伍与保障：登记应急演练",
        "people.standby_add": "队伍与保障：登记应急备用资源",
        "people.duty_add": "队伍与保障：登记值班",
        "people.risk_create": "队伍与保障：登记风险任务",
        "people.risk_progress": "队伍与保障：风险任务进展",
        "people.pufa_item": "队伍与保障：登记普法责任事项",
        "people.pufa_activity": "队伍与保障：登记普法活动",
        "people.case_story": "队伍与保障：编写以案释法",
        "people.case_story_publish": "队伍与保障：以案释法在门户公开",
        "people.case_story_withdraw": "队伍与保障：以案释法撤回门户公开",
    }
)
