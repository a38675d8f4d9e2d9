"""Ship the default certificate layout, with its wording spelled out so that
administrators edit real text in the Wagtail admin rather than empty fields."""

from django.db import migrations

TITLE = "SERTIFIKAT"
INTRO = "diberikan kepada"
BODY = (
    "telah menyelesaikan pelatihan {course} ({hours} jam pelajaran) "
    "yang diselenggarakan oleh {office} melalui Akademi PPID "
    "pada tanggal {date}."
)


def create_default_layout(apps, schema_editor):
    CertificateLayout = apps.get_model("certificates", "CertificateLayout")
    if not CertificateLayout.objects.filter(office__isnull=True).exists():
        CertificateLayout.objects.create(title=TITLE, intro=INTRO, body=BODY)


def remove_default_layout(apps, schema_editor):
    CertificateLayout = apps.get_model("certificates", "CertificateLayout")
    CertificateLayout.objects.filter(
        office__isnull=True, title=TITLE, intro=INTRO, body=BODY
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_certificates_layouts_counters_bundles_keys")]

    operations = [migrations.RunPython(create_default_layout, remove_default_layout)]
