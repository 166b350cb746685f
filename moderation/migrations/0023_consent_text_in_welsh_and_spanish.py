"""The consent text in Welsh and in Spanish, beside the English, for people sharing in those languages.

Each is a text of its own (ConsentText.language), so every consent records the exact words read, in the language
read. Only a site still on the default English words (migration 0018) gets them: a site whose staff have written
their own words adds each language's version in the admin, saying what theirs says.
"""

import hashlib
import importlib

from django.db import migrations

TRANSLATIONS = {
    "cy": (
        "Rhannu eich stori gyda Voicebox",
        """Eich stori chi yw hi. Drwy ei hanfon, rydych chi'n cytuno i'r canlynol:

Mae Voicebox yn cadw eich stori, eich recordiad os gwnaethoch chi un, a'r dewisiadau ar y dudalen hon, er mwyn i ni allu ei hadolygu a'i rhannu yn y ffordd a ddewisoch chi.

Mae cymedrolwr yn darllen neu'n gwrando ar eich stori cyn i unrhyw beth gael ei gyhoeddi. Dim ond am reswm sydd yn ein polisi cyhoeddedig y byddwn ni'n gwrthod stori. Rydyn ni'n dangos unrhyw newid i chi cyn iddo gael ei gyhoeddi, oni bai eich bod chi'n caniatáu mân olygiadau sydd ond yn tynnu manylion a allai ddangos pwy yw rhywun.

Dim ond yr hyn rydych chi'n ei ddewis yma rydyn ni'n ei gyhoeddi: pwy sy'n gallu gweld eich stori, sut rydych chi'n cael eich enwi, ac a yw eich llais neu eich wyneb yn cael eu defnyddio.

Os bydd gweithiwr cymheiriaid neu aelod o'n staff yn eich helpu i rannu, gallan nhw nodi eich stori gyda chi, yn eich geiriau eich hun, neu eich helpu i'w recordio. Eich stori chi yw hi o hyd: mae popeth ar y dudalen hon yn berthnasol yn yr un ffordd, chi yn unig sy'n penderfynu ar y dewisiadau, a byddwch chi'n cael eich dolen breifat eich hun. Dydyn ni byth yn cyhoeddi pwy wnaeth eich helpu.

Os byddwch chi'n rhoi eich cyfeiriad e-bost i ni, dim ond i roi gwybod i chi am eich stori y byddwn ni'n ei ddefnyddio.

Gallwch chi dynnu eich stori yn ôl ar unrhyw adeg gyda'ch dolen breifat. Yna byddwn ni'n ei thynnu i lawr ac yn dileu'r stori, ei recordiad a'r dewisiadau hyn. Dim ond nodyn bod stori wedi'i thynnu'n ôl rydyn ni'n ei gadw, heb ddim byd o'r stori ynddo.

Os yw eich stori'n dweud y gallech chi fod mewn perygl ar hyn o bryd, byddwn ni'n ei rhoi ar saib ac yn dilyn ein polisi diogelu. Nid penderfyniad yn erbyn eich stori yw hyn.""",
    ),
    "es": (
        "Compartir tu historia con Voicebox",
        """Tu historia es tuya. Al enviarla, aceptas lo siguiente:

Voicebox guarda tu historia, tu grabación si hiciste una y lo que elijas en esta página, para poder revisarla y compartirla de la forma que hayas elegido.

Alguien del equipo de moderación lee o escucha tu historia antes de que se publique nada. Solo rechazamos una historia por un motivo que figure en nuestra política publicada. Te mostramos cualquier cambio antes de publicarlo, salvo que permitas pequeñas ediciones que solo eliminen datos que podrían identificar a alguien.

Solo publicamos lo que elijas aquí: quién puede ver tu historia, con qué nombre apareces y si se usa tu voz o tu cara.

Si una persona de apoyo entre pares o alguien de nuestro equipo te ayuda a compartirla, puede introducir tu historia contigo, con tus propias palabras, o ayudarte a grabarla. Sigue siendo tu historia: todo lo que dice esta página se aplica igual, solo tú tomas las decisiones y recibes tu propio enlace privado. Nunca publicamos quién te ayudó.

Si nos das tu correo electrónico, solo lo usamos para informarte sobre tu historia.

Puedes retirar tu historia en cualquier momento con tu enlace privado. Entonces la retiramos y borramos la historia, su grabación y lo que elegiste en esta página. Solo guardamos una nota de que se retiró una historia, que no contiene nada de la historia.

Si tu historia dice que podrías estar en riesgo ahora mismo, la ponemos en pausa y seguimos nuestra política de protección. Esto no es una decisión en contra de tu historia.""",
    ),
}


def _hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def add_translations(apps, schema_editor):
    ConsentText = apps.get_model("moderation", "ConsentText")
    first = importlib.import_module("moderation.migrations.0004_initial_consent_text")
    assisted = importlib.import_module("moderation.migrations.0018_consent_text_explains_assisted_sharing")
    english = ConsentText.objects.filter(is_current=True, language="en-gb").order_by("-pk").first()
    default_body = first.BODY.replace(
        "\n\nIf you give us your email address,", f"\n\n{assisted.HELPED}\n\nIf you give us your email address,", 1
    )
    if english is None or _hash(english.title, english.body) != _hash(assisted.TITLE, default_body):
        return
    for language, (title, body) in TRANSLATIONS.items():
        if not ConsentText.objects.filter(language=language).exists():
            ConsentText.objects.create(title=title, body=body, language=language, is_current=True)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0022_interface_languages")]

    operations = [migrations.RunPython(add_translations, migrations.RunPython.noop)]
