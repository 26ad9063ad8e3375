"""Encrypt what earlier versions stored in plaintext (see refuge.web.sealing).

Not atomic as a whole: SQLite's VACUUM cannot run inside a transaction. The sealing itself
runs in one transaction; the scrub after it only rewrites the file.
"""

from django.db import migrations, transaction


def seal(apps, schema_editor):  # type: ignore[no-untyped-def]
    from refuge.web import sealing

    connection = schema_editor.connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if not sealing.needs_sealing(cursor):
            return
        from refuge.web.keys import get_keyring

        keyring = get_keyring()
        sealing.seal_persons(cursor, keyring)
        sealing.seal_confidential_sources(cursor, keyring)
        sealing.seal_claims(apps, keyring)


def scrub(apps, schema_editor):  # type: ignore[no-untyped-def]
    from refuge.web import sealing

    sealing.scrub_sqlite(schema_editor.connection)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("incidents", "0002_encrypted_fields"),
        ("sources", "0002_encrypted_fields"),
    ]

    operations = [
        migrations.RunPython(seal, migrations.RunPython.noop),
        migrations.RunPython(scrub, migrations.RunPython.noop),
    ]
