"""The roles app's pages, one module per concern: auth, people, invitations, imports,
trajectories and learning groups. Each view parses input with a form, asks the access
policy (mentoring/access.py) for its object, calls one service, and renders or redirects."""
