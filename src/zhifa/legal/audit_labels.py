"""Names of the audit actions of 法制工作."""

from zhifa.core.audit import register_action_labels

register_action_labels(
    {
        "legal.doc.step": "法制工作：规范性文件办理环节",
        "legal.doc.comment": "法制工作：登记征求意见",
        "legal.decision.create": "法制工作：登记重大行政决策",
        "legal.decision.step": "法制工作：登记重大行政决策步骤",
        "legal.decision.refused": "法制工作：重大行政决策步骤被拒绝",
        "legal.review.create": "法制工作：组织案卷评查",
        "legal.review.sample": "法制工作：抽取评查案卷",
        "legal.review.score": "法制工作：案卷评分",
        "legal.review.rectified": "法制工作：整改完成",
        "legal.review.report": "法制工作：印发评查通报",
        "legal.power.save": "法制工作：调整权责清单",
        "legal.cleanup.create": "法制工作：组织规范性文件清理",
        "legal.cleanup.decide": "法制工作：提出清理意见",
        "legal.cleanup.close": "法制工作：完成清理",
        "legal.hearing": "法制工作：登记开庭及负责人出庭应诉",
        "legal.recommendation": "法制工作：登记复议意见书/司法建议",
        "legal.recommendation.reply": "法制工作：报送整改情况",
        "legal.counsel.contract": "法制工作：登记法律顾问合同",
        "legal.counsel.opinion": "法制工作：登记法律顾问意见",
    }
)
