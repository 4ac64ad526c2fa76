import uuid

from django.db import migrations, models


def give_each_role_assignment_its_own_id(apps, schema_editor):
    RoleAssignment = apps.get_model("roles", "RoleAssignment")
    for assignment in RoleAssignment.objects.filter(public_id__isnull=True).only("pk"):
        assignment.public_id = uuid.uuid4()
        assignment.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("roles", "0002_institute_trajectory_learninggroup_invitation")]

    operations = [
        migrations.RunPython(give_each_role_assignment_its_own_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="roleassignment",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
