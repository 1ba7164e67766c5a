"""The email on/off choices move from PersonSettings to the outbox's opt-outs: a box that was
unticked becomes an opt-out of that kind (the goal box covered both goal emails)."""

from django.db import migrations

KINDS_OF = {
    "email_new_log": ["new_log"],
    "email_goal_agreement": ["goal_agreement", "goal_proposed"],
}


def to_optouts(apps, schema_editor):
    PersonSettings = apps.get_model("relationships", "PersonSettings")
    Optout = apps.get_model("outbox", "Optout")
    for field, kinds in KINDS_OF.items():
        for user_id in PersonSettings.objects.filter(**{field: False}).values_list(
            "user_id", flat=True
        ):
            for kind in kinds:
                Optout.objects.get_or_create(user_id=user_id, kind=kind)


def to_fields(apps, schema_editor):
    PersonSettings = apps.get_model("relationships", "PersonSettings")
    Optout = apps.get_model("outbox", "Optout")
    for field, kinds in KINDS_OF.items():
        off = Optout.objects.filter(kind=kinds[0]).values_list("user_id", flat=True)
        for user_id in off:
            PersonSettings.objects.update_or_create(user_id=user_id, defaults={field: False})


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0006_profiles_moved_to_programs"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_optouts, to_fields),
        migrations.RemoveField(model_name="personsettings", name="email_goal_agreement"),
        migrations.RemoveField(model_name="personsettings", name="email_new_log"),
    ]
