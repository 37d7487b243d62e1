"""Home-page panels and menu entries of the quality app (filled in below)."""


def register() -> None:
    pass
