"""Who a form is sent to: the Länsstyrelse of the kommun's län (formgen.places), in the form's own wording.

The län comes from the caller (``--lan``, a send-out for one län) or else from the kommun the record names
(``kontakt.kommun``, matched by :func:`formgen.places.match_kommun`). A form whose län is not known says
``texts.recipient_unknown`` ("Länsstyrelsen i ditt län") rather than a wrong address.
"""

from __future__ import annotations

from dataclasses import dataclass

from formgen.places import Lan, lan_of, match_kommun
from formgen.record import Record


@dataclass(frozen=True)
class Addressee:
    """A form's recipient: the län (None when unknown) and the texts printed on the form and in its metadata."""

    lan: Lan | None
    recipient: str  # "Länsstyrelsen i Skåne län (skane@lansstyrelsen.se)" or "Länsstyrelsen i ditt län"
    send_to: str  # the form's "Sänds till … senast den …" line
    metadata: str  # "Mottagare: …" for the PDF's Keywords and the DOCX's keywords


def lan_for(record: Record, lan: Lan | None = None) -> Lan | None:
    """The län a record's form goes to: ``lan`` when given, else the län of the kommun the record names."""
    if lan is not None:
        return lan
    kommun = match_kommun(record.kommun)
    return lan_of(kommun) if kommun is not None else None


def addressee(record: Record, lan: Lan | None = None) -> Addressee:
    """The recipient of the record's form (see :func:`lan_for`), worded by the form's ``texts``."""
    form, year = record.form, record.year
    to = lan_for(record, lan)
    if to is None:
        recipient = form.text("recipient_unknown", year)
    else:
        recipient = form.text("recipient", year, lansstyrelse=to.lansstyrelse, email=to.email,
                              address=to.address, lan=to.name)
    return Addressee(
        lan=to,
        recipient=recipient,
        send_to=form.render(form.send_to, year, recipient=recipient),
        metadata=form.text("recipient_metadata", year, recipient=recipient),
    )
