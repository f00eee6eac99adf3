"""The classroom's web server: phones vote on the projected call (issue 14).

``hub`` holds the room and everything around it (join code, instructor token, the store, who
is waiting for changes), ``web`` is the Starlette application (JSON API, live events, the phone
page), ``serve`` runs it with uvicorn, in the foreground or beside the window.
"""
