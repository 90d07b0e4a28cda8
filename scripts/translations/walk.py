"""English for the fixes of the browser walk through the demo county (one-off grants, ...)."""

EN = {
    "核定一次性救助 %(a)s 元，%(m)s 发放": "decided a one-off grant of %(a)s yuan, paid in %(m)s",
    "区划范围": "Area covered",
}
