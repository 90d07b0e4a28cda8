"""English for the alerts on a low-income register entry's page (issue 13, item 6)."""

EN = {
    "预警在“核对预警”中处理：核实无误的办结，不再符合监测条件的退出监测。": (
        "Alerts are handled under Verification alerts: resolved when checked, or the household leaves the register "
        "when it no longer belongs on it."
    ),
}
