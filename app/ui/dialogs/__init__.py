"""Dialogs of the user actions; imported lazily by app.ui.actions to keep startup quick."""
