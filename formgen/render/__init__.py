"""Writers of the form: PDF (fillable or flattened) and DOCX, both laid out from forms/."""
