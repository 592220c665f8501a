"""zhifa (执法): an open platform on which a transport bureau does, records and proves its lawful administration."""

__version__ = "0.1.0"
