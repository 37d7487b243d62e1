from django.contrib import admin

from ccops.core.admin import AuditedAdmin
from ccops.knowledge.models import (
    Article,
    ArticleLink,
    ArticleRevision,
    Category,
    Department,
    DifficultCase,
    ManualEdition,
    Synonym,
)

for _model in (
    Department,
    DifficultCase,
    Category,
    Article,
    ArticleRevision,
    Synonym,
    ArticleLink,
    ManualEdition,
):
    admin.site.register(_model, AuditedAdmin)
