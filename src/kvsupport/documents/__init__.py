"""Invoice («Счёт на оплату») and act («Акт оказанных услуг») documents (SPEC §8).

``layout.document()`` turns a frozen :class:`~kvsupport.core.models.Invoice`
into a :class:`~kvsupport.documents.layout.Document`: every printed string,
already formatted, in the document's language. The renderers only place those
strings: ``text.render_text`` (rich, for the terminal), ``html.render_html``
(one printable A4 page) and ``pdf.render_pdf`` (fpdf2, DejaVu Sans embedded).
``render.render`` picks HTML or PDF by name. ``payment`` builds the text of
the invoice's payment QR code (ГОСТ Р 56042-2014), ``qr`` draws it with segno.

Importing this package imports nothing heavy: rich, fpdf2 and segno are
imported by the renderers that need them.
"""
