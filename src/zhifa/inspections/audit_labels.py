"""Names of the audit actions of 双随机、一公开."""

from zhifa.core.audit import register_action_labels

register_action_labels(
    {
        "inspection_item.create": "双随机：新建抽查事项",
        "inspection_list.publish": "双随机：公布名录",
        "inspection_plan.create": "双随机：新建抽查计划",
        "inspection_task.create": "双随机：新建抽查任务",
        "inspection_task.complete": "双随机：任务完成",
        "inspection_conflict.declare": "双随机：登记回避关系",
        "inspection_draw.commit": "双随机：公布承诺值",
        "inspection_draw.contribute": "双随机：见证人录入取值",
        "inspection_draw.witness_absent": "双随机：记录见证人缺席",
        "inspection_draw.public_value": "双随机：录入公开随机值",
        "inspection_draw.execute": "双随机：执行抽取",
        "inspection_draw.reveal": "双随机：公开密钥",
        "inspection_draw.supersede": "双随机：作废抽取（重新抽取）",
        "inspection_record.save": "双随机：保存检查记录",
        "inspection_record.submit": "双随机：提交检查记录",
        "inspection_record.attach": "双随机：检查记录附件",
        "inspection_record.case_source": "双随机：检查发现转为案源",
        "inspection_record.publish": "双随机：公示检查结果",
    }
)
