"""Django's makemessages, also extracting the msgids the pure rule modules mark with ``N_`` (core.lazytext):
those modules import no Django, so they cannot call gettext, and xgettext would not otherwise see their texts."""

from django.core.management.commands.makemessages import Command as MakeMessages


class Command(MakeMessages):
    xgettext_options = [*MakeMessages.xgettext_options, "--keyword=N_"]
