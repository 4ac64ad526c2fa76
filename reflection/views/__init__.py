"""The reflection app's pages, one module per concern: reflection cycles, learning goals, and
conversations with their agreements. Each view asks the access policy (mentoring/access.py) for
its object, parses input with a form, calls one service, and renders or redirects."""
