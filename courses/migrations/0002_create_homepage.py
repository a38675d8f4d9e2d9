from django.db import migrations


def create_homepage(apps, schema_editor):
    """Replace Wagtail's default welcome page with the Akademi PPID home page."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("courses.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home").delete()
    content_type, _ = ContentType.objects.get_or_create(
        model="homepage", app_label="courses"
    )
    home = HomePage.objects.create(
        title="Akademi PPID",
        draft_title="Akademi PPID",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        locale=Locale.objects.order_by("pk").first(),
        url_path="/home/",
        intro=(
            "<p>Pelatihan dan sertifikasi Pejabat Pengelola Informasi dan Dokumentasi "
            "(PPID) KPU: belajar, berlatih, dan membuktikan kompetensi layanan "
            "informasi publik.</p>"
        ),
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "root_page_id": home.id,
            "site_name": "Akademi PPID",
        },
    )


def remove_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("courses.HomePage")
    HomePage.objects.filter(slug="home", depth=2).delete()
    ContentType.objects.filter(model="homepage", app_label="courses").delete()


class Migration(migrations.Migration):
    run_before = []
    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
