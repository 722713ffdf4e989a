"""The web front end: a thin Litestar layer over the catalogue core (see app.create_app)."""
