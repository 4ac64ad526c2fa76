"""Indicators per school: NULL is shared with every school, otherwise the school's own copy.

Indicators already loaded into a school's own instrument were that school's all along, so they
get its school; those of a built-in instrument could only come from the administrator, and stay
shared. The data step comes last: on PostgreSQL an ALTER TABLE after an UPDATE of the same rows
in one transaction fails on the new foreign key's pending checks.
"""

import django.db.models.deletion
from django.db import migrations, models


def schools_own_indicators(apps, schema_editor):
    Indicator = apps.get_model("observations", "Indicator")
    Item = apps.get_model("observations", "Item")
    Indicator.objects.filter(item__instrument__school__isnull=False).update(
        school=models.Subquery(
            Item.objects.filter(pk=models.OuterRef("item")).values("instrument__school")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("observations", "0003_calendar_feed"),
        ("roles", "0004_verbose_names"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="indicator",
            name="indicator_position_unique",
        ),
        migrations.AddField(
            model_name="indicator",
            name="school",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="indicators",
                to="roles.school",
                verbose_name="school",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                condition=models.Q(("school__isnull", True)),
                fields=("item", "position"),
                name="indicator_shared_position_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                condition=models.Q(("school__isnull", False)),
                fields=("item", "school", "position"),
                name="indicator_school_position_unique",
            ),
        ),
        migrations.RunPython(schools_own_indicators, migrations.RunPython.noop),
    ]
