"""Loading translations: Qt's own ``qtbase`` catalogue and familydoc's ``.qm``.

The command line uses the same catalogue through ``Translator.translate``
without a running application.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from familydoc.core.resources import resource_path

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
APP_CATALOGUE = "familydoc"


class Translator:
    """familydoc's and Qt's catalogues for one language (English needs none)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self.catalogues: list[QTranslator] = []
        if self.lang == "en":
            return
        app = QTranslator()
        if not app.load(f"{APP_CATALOGUE}_{self.lang}.qm", str(resource_path("translations"))):
            raise FileNotFoundError(f"translation {APP_CATALOGUE}_{self.lang}.qm is missing")
        self.catalogues.append(app)
        qt = QTranslator()
        if qt.load(
            f"qtbase_{self.lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            self.catalogues.append(qt)

    def translate(self, context: str, text: str) -> str:
        for catalogue in self.catalogues:
            found = catalogue.translate(context, text)
            if found:
                return found
        return text

    def install(self, app: QCoreApplication) -> None:
        """Install into a running application; we keep the references so they stay alive."""
        for catalogue in self.catalogues:
            app.installTranslator(catalogue)
        QLocale.setDefault(QLocale(self.lang if self.lang != "en" else "en_US"))
