from django.apps import AppConfig
from django.core import checks


class CasesConfig(AppConfig):
    name = "doudi.cases"
    label = "cases"

    def ready(self):
        checks.register(procedure_complete)


def procedure_complete(app_configs=None, **kwargs):
    """Every move of the workflow table has a handler and an audit event type (and no handler is left over)."""
    from .actions.procedure import HANDLERS
    from .audit_actions import AuditAction
    from .workflow import MOVES

    errors = []
    if set(HANDLERS) != set(MOVES):
        errors.append(
            checks.Error(
                f"moves without a handler: {sorted(set(MOVES) - set(HANDLERS))}; handlers "
                f"without a move: {sorted(set(HANDLERS) - set(MOVES))}",
                id="cases.E001",
            )
        )
    missing = [m for m in MOVES if f"case.{m}" not in set(AuditAction)]
    if missing:
        errors.append(checks.Error(f"moves without an audit event type: {missing}", id="cases.E002"))
    return errors
