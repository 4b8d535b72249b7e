"""Documents sent to the inspectorate: the progress return and the s.55 comments, as Word (.docx) and HTML preview.

The Word templates (``return.docx``, ``comments.docx``) are real documents staff may restyle in Word; they are filled
with Jinja2 through docxtpl, with autoescape on (so "A & B <c>" stays text) and StrictUndefined (a misspelt tag fails
loudly instead of leaving a blank).
"""
