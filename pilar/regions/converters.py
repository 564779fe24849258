class RegionCodeConverter:
    """A dotted area code in a URL: `18`, `18.01`, `18.01.01` or `18.01.01.2001`."""

    regex = r"\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
